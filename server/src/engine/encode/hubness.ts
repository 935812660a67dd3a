// Hubness correction (CSLS-style, as in cross-lingual word retrieval) for the static encoder.
//
// Some mentions sit close to almost every type description ("hubs": generic words, sentences full
// of common words) and crowd out the mentions a query is really about. A mention's hubness r is the
// mean of its k highest cosines to a fixed bank of generic WordNet type names; the corrected score
// of query q and mention m is cos(q, m) − w·(r_m − center). The center is a typical r, so scores
// keep their usual scale (thresholds such as the inlay-hint one stay meaningful); it does not
// change any ranking.
//
// The correction is folded into the vectors so that the HNSW index (cosine) ranks by it exactly:
//   mention  m̃ = [m ; p ; √(1 − p²)] / √2          (unit norm; p = r − center, clamped to [−1, 1])
//   query    q̃ = √2 · [q ; −w ; 0]                  (not unit: ‖q̃‖ scales cosines back to scores)
//   q̃ · m̃ = q·m − w·p
// VectorIndex.search reports dot products (cosine × query norm), so every consumer sees the
// corrected score.
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { expectedModelFile } from '../modelFiles.ts';
import { encodeOnnxModel } from './onnxWriter.ts';

export interface HubnessSettings {
  /** Generic type names whose query vectors form the bank. */
  bank: string[];
  /** Cosines averaged per mention: its k nearest bank entries. */
  k: number;
  /** Weight w of the correction. */
  weight: number;
  /** Subtracted from r so that corrected scores keep the scale of plain cosines. */
  center: number;
}

/** The shipped settings (modelFiles.ts: $NER_RETRIEVER_MODELS_DIR, else the package's models/). */
export function defaultHubnessPath(): string {
  return expectedModelFile(join('static-head', 'hubness.json'));
}

/** Reads and validates a hubness settings file; errors name the file and what is wrong. */
export function loadHubnessSettings(path: string): HubnessSettings {
  if (!existsSync(path)) throw new Error(`hubness settings not found at ${path} (set NER_RETRIEVER_MODELS_DIR, or reinstall)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`hubness settings ${path} are not valid JSON: ${(e as Error).message}`);
  }
  const s = raw as Partial<HubnessSettings>;
  const bad = (what: string) => new Error(`hubness settings ${path}: ${what}`);
  if (!Array.isArray(s.bank) || !s.bank.length || !s.bank.every((b) => typeof b === 'string' && b.trim())) throw bad('"bank" must be a non-empty list of type names');
  if (!Number.isInteger(s.k) || s.k! < 1 || s.k! > s.bank.length) throw bad(`"k" must be an integer from 1 to ${s.bank.length}`);
  if (typeof s.weight !== 'number' || !Number.isFinite(s.weight) || s.weight < 0) throw bad('"weight" must be a number ≥ 0');
  if (typeof s.center !== 'number' || !Number.isFinite(s.center) || Math.abs(s.center) > 1) throw bad('"center" must be a number between -1 and 1');
  return { bank: s.bank, k: s.k!, weight: s.weight, center: s.center };
}

/** Short hash of the settings: part of the encoder id, since they change stored vectors. */
export function hubnessSettingsHash(s: HubnessSettings): string {
  return createHash('sha256').update(JSON.stringify([s.bank, s.k, s.weight, s.center])).digest('hex').slice(0, 8);
}

export class HubnessCorrection {
  /** Dimension of the embeddings r is measured on (the bank's): a projected head's unprojected one. */
  readonly inputDim: number;

  private constructor(readonly settings: HubnessSettings, private readonly session: ort.InferenceSession, inputDim: number) {
    this.inputDim = inputDim;
  }

  /**
   * `bankVectors`: the unit query vectors of `settings.bank`, from the same encoder the mentions
   * come from. The k-nearest mean runs in onnxruntime (one matrix product per batch).
   */
  static async create(settings: HubnessSettings, bankVectors: Float32Array[]): Promise<HubnessCorrection> {
    const D = bankVectors[0]?.length ?? 0;
    const B = bankVectors.length;
    if (!D || B !== settings.bank.length) throw new Error(`hubness bank: expected ${settings.bank.length} vectors, got ${B}`);
    const bankT = new Float32Array(D * B); // [D × B], column j = bank entry j
    bankVectors.forEach((v, j) => {
      if (v.length !== D) throw new Error('hubness bank: vectors differ in dimension');
      for (let i = 0; i < D; i++) bankT[i * B + j] = v[i];
    });
    const bytes = encodeOnnxModel({
      name: 'hubness',
      inputs: [{ name: 'embedding', dims: ['N', D] }],
      outputs: [{ name: 'penalty', dims: ['N'] }],
      initializers: [
        { name: 'bankT', dims: [D, B], data: bankT },
        { name: 'k', dims: [1], data: BigInt64Array.of(BigInt(settings.k)), type: 'int64' },
        { name: 'center', dims: [], data: Float32Array.of(settings.center) },
      ],
      nodes: [
        { op: 'MatMul', inputs: ['embedding', 'bankT'], outputs: ['cos'] },
        { op: 'TopK', inputs: ['cos', 'k'], outputs: ['top', 'topIndices'], attributes: { axis: 1 } },
        { op: 'ReduceMean', inputs: ['top'], outputs: ['r'], attributes: { axes: [1], keepdims: 0 } },
        { op: 'Sub', inputs: ['r', 'center'], outputs: ['penalty'] },
      ],
    });
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    return new HubnessCorrection(settings, session, D);
  }

  /** r − center for each of `count` unit rows (row-major, count × inputDim). */
  async penalties(embeddings: Float32Array, count: number): Promise<Float32Array> {
    if (count === 0) return new Float32Array(0);
    const input = new ort.Tensor('float32', embeddings, [count, this.inputDim]);
    const res = await this.session.run({ embedding: input });
    return res.penalty.data as Float32Array;
  }

  /** The stored mention vector [m ; p ; √(1 − p²)] / √2 (unit norm). */
  mentionVector(m: Float32Array, penalty: number): Float32Array {
    const p = Math.max(-1, Math.min(1, penalty));
    const out = new Float32Array(m.length + 2);
    for (let i = 0; i < m.length; i++) out[i] = m[i] * Math.SQRT1_2;
    out[m.length] = p * Math.SQRT1_2;
    out[m.length + 1] = Math.sqrt(1 - p * p) * Math.SQRT1_2;
    return out;
  }

  /** The query vector √2 · [q ; −w ; 0]: its dot product with a mention vector is the corrected score. */
  queryVector(q: Float32Array): Float32Array {
    const out = new Float32Array(q.length + 2);
    for (let i = 0; i < q.length; i++) out[i] = q[i] * Math.SQRT2;
    out[q.length] = -this.settings.weight * Math.SQRT2;
    return out;
  }

  async dispose(): Promise<void> { await this.session.release(); }
}
