// The LLM encoder (NER Retriever, arXiv 2509.04011): a mention's embedding is a projection of the
// layer-L `self_attn.v_proj` output at the mention's last sub-token, computed with the mention in
// its whole sentence, BOS in front, no prompt. A type query is the bare description as a one-span
// sentence, same path.
//
// Sentences are run once however many mentions they hold; sequences are batched by token count;
// cancellation is checked between batches. Long sentences are windowed (mentionTokens.ts).
//
// Encoder id: `llm-v1|<model>|<revision>|L<layer>|<head id>` — model = hub id or absolute folder,
// revision = hub commit or checkpoint content hash, head id = `paper:<sha>`, `whiten<d>:<sha>`,
// `raw` or `<head path>#<sha>`. Any change forces re-embedding; parseLlmEncoderId reads it back
// (search rebuilds the encoder a store was made with).
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CancellationToken, Logger, MentionEncoder, MentionInput, ProgressSink } from '../types.ts';
import { nullLogger, throwIfCancelled } from '../types.ts';
import { checkLayer, loadCheckpoint, type LlmCheckpoint } from './checkpoint.ts';
import { ensureValueGraph, tokenizerDigest } from './graphCache.ts';
import { IdentityHead, PaperHead, WhiteningHead, type ProjectionHead, type WhiteningFit } from './heads.ts';
import { resolveModelDir } from './hub.ts';
import { findManifest, resolveHeadFile } from './manifest.ts';
import { lastTokenOf, planWindows } from './mentionTokens.ts';
import { LlmTokenizer } from './tokenizer.ts';
import { batchByTokenCount, ValueVectorRunner, type ExecutionDevice } from './valueRunner.ts';

export const LLM_ENCODER_PREFIX = 'llm-v1';

/** `paper` (the manifest's trained head), `whitening` (fitted on the corpus), `raw`, or a head .safetensors path. */
export type HeadChoice = 'paper' | 'whitening' | 'raw' | string;

export interface LlmEncoderOptions {
  /** Hugging Face repo id (resolved in the local hub cache) or a local checkpoint folder. */
  model: string;
  /** Layer whose v_proj output is read (default: the manifest's). */
  layer?: number;
  device?: ExecutionDevice;
  /** Default: the manifest's head, else `whitening`. */
  head?: HeadChoice;
  /** Required for head `whitening` (see whitening.ts); without it the encoder is created raw. */
  whitening?: WhiteningFit;
  /** ner-retriever cache folder: value graphs go under <cacheDir>/llm-graphs. */
  cacheDir: string;
  logger?: Logger;
  progress?: ProgressSink;
  /** Positions per model input, BOS included (default min(512, model context)). */
  maxTokens?: number;
  /** Tokens shared by consecutive windows of a long sentence (default half a window). */
  overlap?: number;
  /** Padded tokens per runner call (default 4096). */
  maxBatchTokens?: number;
  threads?: number;
}

export interface ParsedLlmEncoderId { model: string; revision: string; layer: number; head: HeadChoice; headId: string }

export function parseLlmEncoderId(id: string): ParsedLlmEncoderId | undefined {
  const parts = id.split('|');
  if (parts.length !== 5 || parts[0] !== LLM_ENCODER_PREFIX || !/^L\d+$/.test(parts[3])) return undefined;
  const headId = parts[4];
  const head = headId.startsWith('paper:') ? 'paper' : headId.startsWith('whiten') ? 'whitening' : headId === 'raw' ? 'raw' : headId.replace(/#[0-9a-f]+$/, '');
  return { model: parts[1], revision: parts[2], layer: Number(parts[3].slice(1)), head, headId };
}

/** What `embed` prints for one mention. */
export interface MentionExplanation {
  /** The model input (BOS included) of the window the mention was read from. */
  inputIds: number[];
  inputTokens: string[];
  /** Index of the mention's last sub-token in inputIds. */
  tokenIndex: number;
  tokenText: string;
  /** Its character range in the sentence. */
  tokenRange: [number, number];
  raw: Float32Array;
  projected: Float32Array;
}

interface Request { sequence: number[]; text: string; reads: Array<{ mention: number; position: number }> }

interface Shared {
  checkpoint: LlmCheckpoint;
  checkpointDir: string;
  graphDir: string;
  tokenizer: LlmTokenizer;
  runner: ValueVectorRunner;
  modelRef: string;
  revision: string;
  layer: number;
  logger: Logger;
  progress?: ProgressSink;
  maxTokens: number;
  overlap?: number;
  maxBatchTokens: number;
}

function allFinite(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

function truncate(s: string, max = 80): string { return s.length > max ? `${s.slice(0, max)}…` : s; }

export class LlmEncoder implements MentionEncoder {
  readonly id: string;
  readonly dimension: number;

  private constructor(private readonly s: Shared, readonly head: ProjectionHead, private readonly headTag: string) {
    this.dimension = head.outputDim;
    this.id = [LLM_ENCODER_PREFIX, s.modelRef, s.revision, `L${s.layer}`, headTag].join('|');
  }

  static async create(options: LlmEncoderOptions): Promise<LlmEncoder> {
    const logger = options.logger ?? nullLogger;
    // A local folder is named by its absolute path (no manifest applies), a hub model by its repo id.
    const isLocal = existsSync(options.model) && statSync(options.model).isDirectory();
    const manifest = isLocal ? undefined : findManifest(options.model);
    const dir = resolveModelDir(manifest?.model ?? options.model);
    const modelRef = isLocal ? resolve(dir) : (manifest?.model ?? options.model);
    const layer = options.layer ?? manifest?.layer;
    if (layer === undefined) throw new Error(`no layer given for ${options.model} and no manifest for it: pass --layer L`);
    const checkpoint = loadCheckpoint(dir);
    checkLayer(checkpoint.config, layer);
    const tokenizer = LlmTokenizer.load(dir, { bosTokenId: checkpoint.config.bosTokenId, vocabSize: checkpoint.config.vocabSize });
    const graphOptions = { checkpointDir: dir, layer, cacheDir: join(options.cacheDir, 'llm-graphs'), logger };
    const runnerOptions = { device: options.device ?? 'auto', logger, threads: options.threads };
    let graph = await ensureValueGraph(graphOptions);
    let runner: ValueVectorRunner;
    try {
      runner = await ValueVectorRunner.create(graph.path, runnerOptions);
    } catch (e) {
      if (graph.built) throw new Error(`the value graph in ${dirname(graph.path)} could not be loaded: ${(e as Error).message}`);
      // Damage the recorded sizes and hashes did not catch (e.g. bytes between the samples of a large file).
      logger.warn(`the cached value graph in ${dirname(graph.path)} could not be loaded (${(e as Error).message}): rebuilding it`);
      graph = await ensureValueGraph({ ...graphOptions, rebuild: true });
      runner = await ValueVectorRunner.create(graph.path, runnerOptions).catch((again: Error) => {
        throw new Error(`the rebuilt value graph in ${dirname(graph.path)} could not be loaded either: ${again.message}`);
      });
    }
    logger.debug(`LLM encoder ${modelRef} layer ${layer} on ${runner.device} (kvDim ${runner.kvDim})`);
    const shared: Shared = {
      // A local folder's tokenizer may be swapped under the same weights: it is part of the identity.
      checkpoint, checkpointDir: dir, graphDir: dirname(graph.path), tokenizer, runner, modelRef, revision: graph.revision.startsWith('sha256-') ? `${graph.revision}+tok${tokenizerDigest(dir)}` : graph.revision,
      layer, logger, progress: options.progress,
      maxTokens: options.maxTokens ?? Math.min(512, checkpoint.config.maxPositionEmbeddings || 512),
      overlap: options.overlap, maxBatchTokens: options.maxBatchTokens ?? 4096,
    };
    const choice = options.head ?? (manifest?.head.kind === 'paper' ? 'paper' : 'whitening');
    let head: ProjectionHead;
    let tag: string;
    if (choice === 'paper') {
      if (manifest?.head.kind !== 'paper') throw new Error(`no trained head is known for ${options.model}${isLocal ? ' (a local folder: give the head file with --head <file.safetensors>)' : ''}: use --head whitening, or give a head .safetensors file`);
      if (manifest.layer !== layer) throw new Error(`the paper head of ${manifest.model} is for layer ${manifest.layer}, not ${layer}`);
      head = PaperHead.load(resolveHeadFile(manifest.head, { cacheDir: options.cacheDir }), runner.kvDim);
      tag = head.id;
    } else if (choice === 'whitening' && options.whitening) {
      head = new WhiteningHead(options.whitening);
      if (head.inputDim !== runner.kvDim) throw new Error(`the whitening fit is for ${head.inputDim}-d vectors, the encoder gives ${runner.kvDim}-d ones: refit it`);
      tag = head.id;
    } else if (choice === 'whitening' || choice === 'raw') {
      head = new IdentityHead(runner.kvDim);
      tag = 'raw';
    } else {
      const path = resolve(choice);
      head = PaperHead.load(path, runner.kvDim);
      tag = `${path}#${(head as PaperHead).sha256.slice(0, 12)}`;
    }
    return new LlmEncoder(shared, head, tag);
  }

  /** The same model and layer with another head (shares the loaded runner). */
  withHead(head: ProjectionHead): LlmEncoder {
    if (head.inputDim !== this.kvDim) throw new Error(`head expects ${head.inputDim}-d vectors, the encoder gives ${this.kvDim}-d ones`);
    return new LlmEncoder(this.s, head, head.id);
  }

  get kvDim(): number { return this.s.runner.kvDim; }
  get layer(): number { return this.s.layer; }
  get device(): string { return this.s.runner.device; }
  get tokenizer(): LlmTokenizer { return this.s.tokenizer; }
  /** Identity of the raw value vectors (model, revision, layer): what a whitening fit belongs to. */
  get sourceId(): string { return [LLM_ENCODER_PREFIX, this.s.modelRef, this.s.revision, `L${this.s.layer}`].join('|'); }

  /** Plans the model inputs: each distinct sentence once, long ones in windows. */
  private plan(mentions: MentionInput[]): { requests: Request[]; explain: Array<{ request: number; position: number; range: [number, number] }> } {
    const { tokenizer } = this.s;
    const bySentence = new Map<string, number[]>();
    mentions.forEach((m, i) => {
      const list = bySentence.get(m.sentence);
      if (list) list.push(i); else bySentence.set(m.sentence, [i]);
    });
    const requests: Request[] = [];
    const explain: Array<{ request: number; position: number; range: [number, number] }> = new Array(mentions.length);
    for (const [sentence, indices] of bySentence) {
      const enc = tokenizer.encode(sentence);
      if (!enc.ids.length) {
        if (tokenizer.bosTokenId === null) throw new Error(`cannot embed a mention in an empty sentence (the model has no BOS token)`);
        const r = requests.push({ sequence: [tokenizer.bosTokenId], text: sentence, reads: [] }) - 1;
        for (const i of indices) { requests[r].reads.push({ mention: i, position: 0 }); explain[i] = { request: r, position: 0, range: [0, 0] }; }
        continue;
      }
      const bos = tokenizer.withBos(enc.ids).length - enc.ids.length;
      const last = indices.map((i) => lastTokenOf(enc.offsets, mentions[i]));
      const plan = planWindows(enc.ids.length, last, { maxTokens: this.s.maxTokens, overlap: this.s.overlap, bosLength: bos });
      const first = requests.length;
      for (const w of plan.windows) {
        const body = enc.ids.slice(w.start, w.end);
        requests.push({ sequence: bos ? [tokenizer.bosTokenId!, ...body] : body, text: sentence, reads: [] });
      }
      indices.forEach((i, j) => {
        const { window, position } = plan.positions[j];
        requests[first + window].reads.push({ mention: i, position });
        explain[i] = { request: first + window, position, range: enc.offsets[last[j]] };
      });
    }
    return { requests, explain };
  }

  /** Runs the planned inputs in token-count batches; calls `take` with each mention's raw value vector. */
  private async run(requests: Request[], take: (mention: number, raw: Float32Array, request: number) => void, token?: CancellationToken): Promise<void> {
    const kv = this.kvDim;
    const batches = batchByTokenCount(requests.map((r) => r.sequence.length), this.s.maxBatchTokens);
    const total = requests.reduce((s, r) => s + r.reads.length, 0);
    let done = 0;
    for (const batch of batches) {
      throwIfCancelled(token);
      const rows = await this.s.runner.run(batch.map((b) => requests[b].sequence));
      batch.forEach((b, k) => {
        for (const { mention, position } of requests[b].reads) {
          const raw = rows[k].slice(position * kv, (position + 1) * kv);
          // NaN/inf weights (or activations that overflow) would otherwise be stored and poison every search.
          if (!allFinite(raw)) {
            throw new Error(`the model in ${this.s.checkpointDir} gave a non-finite value vector (NaN or infinity) at layer ${this.s.layer} `
              + `for the sentence "${truncate(requests[b].text)}": its weights, or the value graph built from them in ${this.s.graphDir}, `
              + 'hold NaN/infinity or overflow; delete that folder to rebuild the graph, else check or re-download the checkpoint');
          }
          take(mention, raw, b);
        }
        done += requests[b].reads.length;
      });
      this.s.progress?.({ what: 'Embedding mentions', done, total });
    }
  }

  /** Raw layer-L value vectors at each mention's last sub-token (no head). */
  async encodeRaw(mentions: MentionInput[], token?: CancellationToken): Promise<Float32Array[]> {
    const out: Float32Array[] = new Array(mentions.length);
    await this.run(this.plan(mentions).requests, (i, raw) => { out[i] = raw; }, token);
    return out;
  }

  async encodeMentions(mentions: MentionInput[], token?: CancellationToken): Promise<Float32Array[]> {
    const out: Float32Array[] = new Array(mentions.length);
    await this.run(this.plan(mentions).requests, (i, raw) => { out[i] = this.project(raw); }, token);
    return out;
  }

  async encodeQuery(description: string): Promise<Float32Array> {
    const sentence = description.trim();
    const [v] = await this.encodeMentions([{ sentence, start: 0, end: sentence.length }]);
    return v;
  }

  /** Everything `embed` prints about one mention. */
  async explain(mention: MentionInput): Promise<MentionExplanation> {
    const { requests, explain } = this.plan([mention]);
    const e = explain[0];
    let raw: Float32Array = new Float32Array(0);
    await this.run(requests, (_, r) => { raw = r; });
    const inputIds = requests[e.request].sequence;
    return {
      inputIds, inputTokens: inputIds.map((id) => this.s.tokenizer.tokenString(id)),
      tokenIndex: e.position, tokenText: this.s.tokenizer.tokenString(inputIds[e.position]), tokenRange: e.range,
      raw, projected: this.project(raw),
    };
  }

  private project(raw: Float32Array): Float32Array {
    const v = this.head.project(raw);
    if (!allFinite(v)) {
      throw new Error(`the projection head ${this.head.id} gave a non-finite vector (NaN or infinity) from a finite value vector: `
        + 'its weights hold NaN/infinity or overflow; use another head (--head whitening or raw)');
    }
    return v;
  }

  async dispose(): Promise<void> { await this.s.runner.dispose(); }
}
