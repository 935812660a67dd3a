// The built-in zero-download encoder: word-vector features (features.ts) + trained ONNX head.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CancellationToken, MentionEncoder, MentionInput, ProgressSink } from '../types.ts';
import { throwIfCancelled } from '../types.ts';
import { findModelFile } from '../modelFiles.ts';
import { WordnetExpander } from './queryExpansion.ts';
import { FeatureExtractor } from './features.ts';
import { OnnxHead } from './head.ts';
import { loadWordVectors } from './wordVectors.ts';

const HEAD_RELATIVE = join('static-head', 'head.onnx');

/**
 * The shipped head: under $NER_RETRIEVER_MODELS_DIR when set, else found by walking up from this
 * module like every shipped model file (modelFiles.ts). When it is missing, the path it was
 * expected at (StaticEncoder.create then says so).
 */
export function defaultHeadPath(): string {
  if (process.env.NER_RETRIEVER_MODELS_DIR) return resolve(process.env.NER_RETRIEVER_MODELS_DIR, HEAD_RELATIVE);
  try {
    return findModelFile(HEAD_RELATIVE);
  } catch {
    return resolve(process.cwd(), 'models', HEAD_RELATIVE);
  }
}

export interface StaticEncoderOptions {
  cacheDir?: string;
  headPath?: string;
  progress?: ProgressSink;
  /** Mentions per onnxruntime call. */
  batchSize?: number;
  /**
   * WordNet expansion of type queries (queryExpansion.ts): `max` example lemmas per alternative,
   * blended with weight `weight` against the description itself; `false` turns it off.
   */
  queryExpansion?: false | { max?: number; weight?: number; instancesFirst?: boolean };
}

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

  private constructor(readonly features: FeatureExtractor, readonly head: OnnxHead, batchSize: number, expansion: StaticEncoderOptions['queryExpansion']) {
    // Query expansion changes only the query side, so it is not part of the index identity.
    this.id = `static-v1:${head.hash.slice(0, 8)}`;
    this.expansion = expansion === false ? undefined : { ...DEFAULT_QUERY_EXPANSION, ...expansion };
    this.dimension = head.outputDim;
    this.batchSize = batchSize;
  }

  static async create(options: StaticEncoderOptions = {}): Promise<StaticEncoder> {
    const headPath = options.headPath ?? defaultHeadPath();
    if (!existsSync(headPath)) throw new Error(`static encoder head not found at ${headPath} (set NER_RETRIEVER_MODELS_DIR)`);
    const vectors = loadWordVectors({ cacheDir: options.cacheDir, progress: options.progress });
    const head = await OnnxHead.load(headPath);
    const features = new FeatureExtractor(vectors);
    if (head.inputDim !== features.dimension) {
      throw new Error(`head ${headPath} expects ${head.inputDim} features, extractor gives ${features.dimension}`);
    }
    return new StaticEncoder(features, head, options.batchSize ?? 512, options.queryExpansion);
  }

  async encodeMentions(mentions: MentionInput[], token?: CancellationToken): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const F = this.features.dimension;
    const D = this.dimension;
    for (let i = 0; i < mentions.length; i += this.batchSize) {
      throwIfCancelled(token);
      const chunk = mentions.slice(i, i + this.batchSize);
      const x = new Float32Array(chunk.length * F);
      for (let j = 0; j < chunk.length; j++) this.features.extractInto(chunk[j], x, j * F);
      const y = await this.head.run(x, chunk.length);
      for (let j = 0; j < chunk.length; j++) out.push(y.slice(j * D, (j + 1) * D));
    }
    return out;
  }

  async encodeQuery(description: string): Promise<Float32Array> {
    const [v] = await this.encodeMentions([FeatureExtractor.queryInput(description)]);
    if (!this.expansion) return v;
    // Blend with the prototype of WordNet examples of the type (only those with word vectors).
    const examples = WordnetExpander.load().expand(description, this.expansion.max, { instancesFirst: this.expansion.instancesFirst })
      .filter((e) => this.features.knows(e));
    if (!examples.length) return v;
    const vectors = await this.encodeMentions(examples.map((e) => FeatureExtractor.queryInput(e)));
    const prototype = new Float32Array(v.length);
    for (const x of vectors) for (let i = 0; i < x.length; i++) prototype[i] += x[i];
    normalizeInPlace(prototype);
    for (let i = 0; i < v.length; i++) v[i] += this.expansion.weight * prototype[i];
    return normalizeInPlace(v);
  }

  async dispose(): Promise<void> { await this.head.dispose(); }
}

/** The untrained baseline: L2-normalised raw features, same interface. */
export class RawFeatureEncoder implements MentionEncoder {
  readonly id = 'raw-features-v1';
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
  async encodeQuery(description: string): Promise<Float32Array> {
    return (await this.encodeMentions([FeatureExtractor.queryInput(description)]))[0];
  }
}
