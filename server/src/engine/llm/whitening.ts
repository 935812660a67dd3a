// Corpus-fitted whitening for LLM encoders without a trained head (heads.ts: WhiteningHead).
//
// Where: `<store>/llm-whitening.json`, beside the store's own files (the store ignores it).
// When: before indexing, a cheap pre-pass runs ingest + detection over the whole corpus (no LLM)
// to count its mentions and draw a seeded uniform sample of them (reservoir, default 4,096). The
// fit is (re)made when there is none, when it belongs to another model/revision/layer, when
// --rebuild is asked, or when the corpus's mention count has doubled or halved since the fit
// (needsRefit). A new fit changes the encoder id, so the store is rebuilt — all mentions
// re-embedded in the new space (the store keeps no raw vectors to re-project).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MentionStore } from '../index/store.ts';
import type { IndexComponents } from '../indexer.ts';
import { mulberry32 } from '../random.ts';
import { nullLogger, type Logger, type MentionEncoder, type MentionInput, type SpanDetector } from '../types.ts';
import type { Models } from '../engine.ts';
import { fitWhitening, loadWhitening, needsRefit, saveWhitening, WhiteningHead, type WhiteningFit } from './heads.ts';
import { LlmEncoder, parseLlmEncoderId, type HeadChoice } from './llmEncoder.ts';
import { findManifest } from './manifest.ts';

export const WHITENING_FILE = 'llm-whitening.json';
export const DEFAULT_WHITENING_SAMPLE = 4096;

export function whiteningPath(storeDir: string): string { return join(storeDir, WHITENING_FILE); }

/**
 * Beside a store indexed raw only because it had too few mentions to fit whitening on (an empty
 * notes folder at first): its encoder id says `raw`, as if raw had been chosen, so this marks that
 * whitening is still wanted, and the next `index` fits it once there are mentions.
 */
export const WHITENING_PENDING_FILE = 'llm-whitening.pending';

export function whiteningPending(storeDir: string): boolean { return existsSync(join(storeDir, WHITENING_PENDING_FILE)); }

/** A stand-in encoder for the pre-pass: records a uniform sample of the mentions, embeds nothing. */
class SamplingEncoder implements MentionEncoder {
  readonly id = 'whitening-sampler';
  readonly dimension = 1;
  seen = 0;
  readonly sample: MentionInput[] = [];
  private readonly rand: () => number;
  constructor(private readonly size: number, seed: number) { this.rand = mulberry32(seed); }
  async encodeMentions(mentions: MentionInput[]): Promise<Float32Array[]> {
    for (const m of mentions) {
      this.seen++;
      if (this.sample.length < this.size) this.sample.push(m);
      else {
        const j = Math.floor(this.rand() * this.seen);
        if (j < this.size) this.sample[j] = m;
      }
    }
    return mentions.map(() => Float32Array.of(1));
  }
  async encodeQuery(): Promise<Float32Array> { return Float32Array.of(1); }
}

/**
 * Runs `index` (indexWorkspace / indexCorpus with the given components) into a throw-away store
 * with a sampling encoder: the corpus's mention count and a uniform sample, without the LLM.
 */
export async function sampleCorpusMentions(
  detector: SpanDetector,
  index: (c: IndexComponents) => Promise<unknown>,
  options: { sampleSize?: number; seed?: number } = {},
): Promise<{ mentionCount: number; sample: MentionInput[] }> {
  const sampler = new SamplingEncoder(options.sampleSize ?? DEFAULT_WHITENING_SAMPLE, options.seed ?? 13);
  const dir = mkdtempSync(join(tmpdir(), 'ner-whitening-pass-'));
  const store = await MentionStore.open(dir, { encoderId: sampler.id, detectorId: detector.id, dimension: 1 });
  try {
    await index({ store, detector, encoder: sampler });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { mentionCount: sampler.seen, sample: sampler.sample };
}

export interface PrepareWhiteningOptions {
  dimension?: number;
  /** Refit even when the saved fit is still valid (index --rebuild). */
  force?: boolean;
  logger?: Logger;
}

export interface PreparedWhitening {
  /** The encoder with the whitening head (or the raw encoder when the corpus has < 2 mentions). */
  encoder: LlmEncoder;
  fit?: WhiteningFit;
  refitted: boolean;
  reason: string;
}

/** The saved fit of a store when it belongs to this encoder's raw vectors. */
export function loadStoreWhitening(storeDir: string, raw: LlmEncoder): WhiteningFit | undefined {
  const fit = loadWhitening(whiteningPath(storeDir));
  return fit && fit.source === raw.sourceId && fit.inputDim === raw.kvDim ? fit : undefined;
}

/**
 * Chooses the whitening fit for indexing: the saved one while valid, else a new fit on the
 * sample's raw vectors. Call saveStoreWhitening once the store is open.
 */
export async function prepareWhitening(
  raw: LlmEncoder, storeDir: string, corpus: { mentionCount: number; sample: MentionInput[] }, options: PrepareWhiteningOptions = {},
): Promise<PreparedWhitening> {
  const logger = options.logger ?? nullLogger;
  // A forced refit never reads the saved fit: that is how a corrupt one is replaced.
  const saved = options.force ? undefined : loadStoreWhitening(storeDir, raw);
  if (saved && !options.force && !needsRefit(saved, corpus.mentionCount)) {
    return { encoder: raw.withHead(new WhiteningHead(saved)), fit: saved, refitted: false, reason: `fit on ${saved.mentionCount} mentions still valid for ${corpus.mentionCount}` };
  }
  if (corpus.sample.length < 2) {
    logger.warn(`only ${corpus.sample.length} mention(s) to fit whitening on: using raw normalised value vectors`);
    return { encoder: raw, refitted: false, reason: 'too few mentions' };
  }
  const reason = options.force ? 'rebuild requested' : !saved ? 'no fit yet' : `mention count ${saved.mentionCount} → ${corpus.mentionCount}`;
  logger.info(`Fitting the whitening head on ${corpus.sample.length} of ${corpus.mentionCount} mentions (${reason})`);
  const vectors = await raw.encodeRaw(corpus.sample);
  const fit = fitWhitening(vectors, { dimension: options.dimension, mentionCount: corpus.mentionCount, source: raw.sourceId });
  return { encoder: raw.withHead(new WhiteningHead(fit)), fit, refitted: true, reason };
}

export function saveStoreWhitening(storeDir: string, fit: WhiteningFit): void {
  saveWhitening(whiteningPath(storeDir), fit);
}

export interface CorpusWhitening {
  models: Models;
  /** Call once the store is open: saves a new fit beside it (opening may rebuild the folder first). */
  afterOpen(): void;
}

/**
 * The models to index a corpus with, shared by the CLI's `index` and the language server: an LLM
 * encoder that is raw because its head is to be a whitening fit (no trained head; `head` not
 * chosen otherwise) gets the store's saved fit while it is valid, else a new one fitted on a
 * sample of the corpus's mentions — `indexWith` runs the index over the corpus, here with a
 * sampling encoder (detection only, no LLM). Other models come back as they are.
 */
export async function withCorpusWhitening(
  models: Models, storeDir: string, indexWith: (c: IndexComponents) => Promise<unknown>,
  options: { head?: HeadChoice; force?: boolean; logger?: Logger; onSampling?: () => void } = {},
): Promise<CorpusWhitening> {
  const unchanged = { models, afterOpen() {} };
  const encoder = models.encoder;
  const parsed = encoder instanceof LlmEncoder ? parseLlmEncoderId(encoder.id) : undefined;
  if (!(encoder instanceof LlmEncoder) || parsed?.head !== 'raw' || (options.head ?? 'whitening') !== 'whitening') return unchanged;
  options.logger?.info('Counting and sampling the corpus\'s mentions for the whitening head…');
  options.onSampling?.();
  const corpus = await sampleCorpusMentions(models.detector, indexWith);
  const manifestHead = findManifest(parsed.model)?.head;
  const prepared = await prepareWhitening(encoder, storeDir, corpus, {
    force: options.force, logger: options.logger, dimension: manifestHead?.kind === 'whitening' ? manifestHead.dimension : undefined,
  });
  const fit = prepared.refitted ? prepared.fit : undefined;
  const pending = prepared.encoder === encoder; // too few mentions: indexed raw for now
  return {
    models: { ...models, encoder: prepared.encoder },
    afterOpen() {
      if (fit) saveStoreWhitening(storeDir, fit);
      if (pending) writeFileSync(join(storeDir, WHITENING_PENDING_FILE), '');
      else rmSync(join(storeDir, WHITENING_PENDING_FILE), { force: true });
    },
  };
}
