// The built-in zero-download encoder: word-vector features (features.ts) + trained ONNX head.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CancellationToken, MentionEncoder, MentionInput, ProgressSink, TypeMembership } from '../types.ts';
import { throwIfCancelled } from '../types.ts';
import { expectedModelFile } from '../modelFiles.ts';
import { WordnetExpander, type SenseVectors } from './queryExpansion.ts';
import { DEFAULT_MEMBERSHIP_WEIGHT, WordnetTypeMembership } from '../query/typeMembership.ts';
import { FeatureExtractor } from './features.ts';
import { OnnxHead } from './head.ts';
import { HubnessCorrection, defaultHubnessPath, hubnessSettingsHash, loadHubnessSettings, type HubnessSettings } from './hubness.ts';
import { loadWordVectors } from './wordVectors.ts';

/** The shipped head (modelFiles.ts: $NER_RETRIEVER_MODELS_DIR, else the package's models/). */
export function defaultHeadPath(): string {
  return expectedModelFile(join('static-head', 'head.onnx'));
}

export interface StaticEncoderOptions {
  cacheDir?: string;
  /** Word-vector rows read from the cache as they are needed (wordVectors.loadWordVectors). */
  rowsOnDemand?: boolean;
  headPath?: string;
  progress?: ProgressSink;
  /** Mentions per onnxruntime call. */
  batchSize?: number;
  /**
   * WordNet expansion of type queries (queryExpansion.ts): `max` example lemmas per alternative,
   * blended with weight `weight` against the description itself; `false` turns it off.
   */
  queryExpansion?: false | { max?: number; weight?: number; instancesFirst?: boolean };
  /**
   * Hubness correction of scores (hubness.ts): settings, a path to a settings file, or `false`.
   * Default: the shipped `models/static-head/hubness.json`.
   */
  hubness?: false | string | HubnessSettings;
  /**
   * WordNet membership evidence for type queries (query/typeMembership.ts); `false` turns it off.
   * Query side only, like the expansion. Default weight: DEFAULT_MEMBERSHIP_WEIGHT.
   */
  typeMembership?: false | { weight?: number };
  /**
   * The WordNet sense of a description's head is chosen by its modifiers' word vectors ("investment
   * bank": the financial institution, not WordNet's first "bank", the river's); `false`: always
   * the first sense. Query side only.
   */
  senseChoice?: boolean;
}

/**
 * What another thread needs to build an encoder that embeds mentions exactly as this one does
 * (structured-cloneable; the query side is left out).
 */
export interface StaticEncoderSpec { headPath: string; hubness: HubnessSettings | false; batchSize: number }

export const DEFAULT_QUERY_EXPANSION = { max: 40, weight: 0.5 };

function normalizeInPlace(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return v;
}

export class StaticEncoder implements MentionEncoder {
  readonly id: string;
  readonly dimension: number;
  private readonly batchSize: number;
  private readonly expansion: { max: number; weight: number; instancesFirst?: boolean } | undefined;
  private readonly membershipWeight: number;
  /** The word vectors that choose a description's head sense by its modifiers (queryExpansion.ts chooseSense). */
  private readonly senseVectors: SenseVectors | undefined;

  private hubness: HubnessCorrection | undefined;
  /** For a copy on a worker thread (detect/workerDetector.ts). */
  readonly spec: StaticEncoderSpec;

  private constructor(readonly features: FeatureExtractor, readonly head: OnnxHead, headPath: string, batchSize: number, expansion: StaticEncoderOptions['queryExpansion'], hubness: HubnessSettings | undefined, membership: StaticEncoderOptions['typeMembership'], senseChoice: boolean | undefined) {
    // Query expansion changes only the query side, so it is not part of the index identity; the
    // hubness correction changes stored vectors, so it is.
    // v3: words without a vector are looked up again with diacritics folded (features.ts).
    this.id = hubness ? `static-v3:${head.hash.slice(0, 8)}:${hubnessSettingsHash(hubness)}` : `static-v3:${head.hash.slice(0, 8)}`;
    this.expansion = expansion === false ? undefined : { ...DEFAULT_QUERY_EXPANSION, ...expansion };
    this.membershipWeight = membership === false ? 0 : membership?.weight ?? DEFAULT_MEMBERSHIP_WEIGHT;
    this.senseVectors = senseChoice === false ? undefined : features.vectors;
    this.dimension = head.outputDim + (hubness ? 2 : 0);
    this.batchSize = batchSize;
    this.spec = { headPath, hubness: hubness ?? false, batchSize };
  }

  static async create(options: StaticEncoderOptions = {}): Promise<StaticEncoder> {
    const headPath = options.headPath ?? defaultHeadPath();
    if (!existsSync(headPath)) throw new Error(`static encoder head not found at ${headPath} (set NER_RETRIEVER_MODELS_DIR)`);
    const vectors = loadWordVectors({ cacheDir: options.cacheDir, progress: options.progress, rowsOnDemand: options.rowsOnDemand });
    const head = await OnnxHead.load(headPath);
    const features = new FeatureExtractor(vectors);
    if (head.inputDim !== features.dimension) {
      throw new Error(`head ${headPath} expects ${head.inputDim} features, extractor gives ${features.dimension}`);
    }
    const hubness = options.hubness === false ? undefined
      : typeof options.hubness === 'object' ? options.hubness
        : loadHubnessSettings(options.hubness ?? defaultHubnessPath());
    const encoder = new StaticEncoder(features, head, headPath, options.batchSize ?? 512, options.queryExpansion, hubness, options.typeMembership, options.senseChoice);
    if (hubness) {
      // The bank is embedded by this very head, like a bare type query (a projected head's
      // unprojected embedding: outputProjection.ts).
      const bank = await encoder.embed(hubness.bank.map((b) => FeatureExtractor.queryInput(b)), undefined, undefined, 'full');
      encoder.hubness = await HubnessCorrection.create(hubness, bank);
    }
    return encoder;
  }

  async encodeMentions(mentions: MentionInput[], token?: CancellationToken): Promise<Float32Array[]> {
    const correction = this.hubness;
    if (!correction) return this.embed(mentions, token);
    const out: Float32Array[] = [];
    await this.embed(mentions, token, async (rows, count, full) => {
      const penalty = await correction.penalties(full, count);
      const D = this.head.outputDim;
      for (let j = 0; j < count; j++) out.push(correction.mentionVector(rows.subarray(j * D, (j + 1) * D), penalty[j]));
    });
    return out;
  }

  /**
   * The head's unit embeddings (no hubness correction), or with `which` 'full' a projected head's
   * unprojected ones; `batch` sees each onnxruntime batch (count × outputDim, row-major, and the
   * unprojected rows: the same rows for a head without a projection) instead of rows being returned.
   */
  private async embed(
    mentions: MentionInput[], token?: CancellationToken,
    batch?: (rows: Float32Array, count: number, full: Float32Array) => Promise<void>, which: 'embedding' | 'full' = 'embedding',
  ): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const F = this.features.dimension;
    const D = which === 'full' ? this.head.fullDim ?? this.head.outputDim : this.head.outputDim;
    for (let i = 0; i < mentions.length; i += this.batchSize) {
      throwIfCancelled(token);
      const chunk = mentions.slice(i, i + this.batchSize);
      const x = new Float32Array(chunk.length * F);
      for (let j = 0; j < chunk.length; j++) this.features.extractInto(chunk[j], x, j * F);
      const { embedding, full } = await this.head.runWithFull(x, chunk.length);
      if (batch) await batch(embedding, chunk.length, full ?? embedding);
      else {
        const y = which === 'full' ? full ?? embedding : embedding;
        for (let j = 0; j < chunk.length; j++) out.push(y.slice(j * D, (j + 1) * D));
      }
    }
    return out;
  }

  queryWords(description: string): { words: string[]; unknown: string[]; ranks: number[] } {
    return this.features.words(description);
  }

  async encodeQuery(description: string): Promise<Float32Array> {
    const [v] = await this.embed([FeatureExtractor.queryInput(description)]);
    const q = await this.expand(description, v);
    return this.hubness ? this.hubness.queryVector(q) : q;
  }

  typeMembership(description: string): TypeMembership | undefined {
    return this.membershipWeight > 0 ? WordnetTypeMembership.load().forDescription(description, this.membershipWeight, this.senseVectors) : undefined;
  }

  /** Blends a query with the prototype of WordNet examples of the type (only those with word vectors). */
  private async expand(description: string, v: Float32Array): Promise<Float32Array> {
    if (!this.expansion) return v;
    const examples = WordnetExpander.load().expand(description, this.expansion.max, { instancesFirst: this.expansion.instancesFirst, vectors: this.senseVectors })
      .filter((e) => this.features.knows(e));
    if (!examples.length) return v;
    const vectors = await this.embed(examples.map((e) => FeatureExtractor.queryInput(e)));
    const prototype = new Float32Array(v.length);
    for (const x of vectors) for (let i = 0; i < x.length; i++) prototype[i] += x[i];
    normalizeInPlace(prototype);
    for (let i = 0; i < v.length; i++) v[i] += this.expansion.weight * prototype[i];
    return normalizeInPlace(v);
  }

  async dispose(): Promise<void> {
    await this.hubness?.dispose();
    await this.head.dispose();
  }
}

/** The untrained baseline: L2-normalised raw features, same interface. */
export class RawFeatureEncoder implements MentionEncoder {
  readonly id = 'raw-features-v2';
  readonly dimension: number;
  constructor(readonly features: FeatureExtractor) { this.dimension = features.dimension; }
  async encodeMentions(mentions: MentionInput[]): Promise<Float32Array[]> {
    return mentions.map((m) => {
      const v = this.features.extract(m);
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i] * v[i];
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let i = 0; i < v.length; i++) v[i] *= inv;
      return v;
    });
  }
  queryWords(description: string): { words: string[]; unknown: string[]; ranks: number[] } {
    return this.features.words(description);
  }

  async encodeQuery(description: string): Promise<Float32Array> {
    return (await this.encodeMentions([FeatureExtractor.queryInput(description)]))[0];
  }
}
