// Projection heads on LLM value vectors. Every head maps one kvDim-wide value vector to an
// L2-normalised embedding (cosine = inner product in the index).
//
// - PaperHead: the NER Retriever head (arXiv 2509.04011): Linear(in,500) → SiLU → Linear(500,500)
//   → L2-normalise, from safetensors `net.0.weight [hidden,in]`, `net.0.bias`, `net.3.weight
//   [out,hidden]`, `net.3.bias` (Dropout at net.2 is a no-op at inference). The shipped one is
//   for Llama-3.1-8B layer 17 (in = 1024).
// - WhiteningHead: for models without a trained head. Fitted on the corpus's own mention vectors:
//   subtract the mean, project on the top `dimension` principal directions and divide each by its
//   standard deviation (PCA whitening), then L2-normalise. On its training vectors the whitened
//   (pre-normalisation) output has identity covariance.
//
// Refit policy (whitening): a fit records the corpus mention count it was made for; it is refitted
// when the corpus has changed a lot — the mention count has at least doubled or at most halved
// since the fit (needsRefit). A refit changes the head id, hence the encoder id, so the store is
// REBUILT (every mention re-embedded) rather than re-projected: the store keeps only projected
// vectors, and rebuilding is the one way that keeps all vectors in one space. With the doubling
// rule, the total re-embedding work stays below twice the work of embedding the final corpus once.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { openSafetensors } from './safetensors.ts';

export interface ProjectionHead {
  /** Stable id: part of the encoder id (a change forces re-embedding). */
  readonly id: string;
  readonly inputDim: number;
  readonly outputDim: number;
  /** One L2-normalised output per input vector. */
  project(x: Float32Array): Float32Array;
}

export function l2NormalizeInPlace(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return v;
}

function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** y = W x + b for a row-major W [rows, cols]. */
function affine(w: Float32Array, b: Float32Array, x: Float32Array, rows: number, cols: number): Float32Array {
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = b[r];
    const o = r * cols;
    for (let c = 0; c < cols; c++) s += w[o + c] * x[c];
    y[r] = s;
  }
  return y;
}

export class PaperHead implements ProjectionHead {
  readonly id: string;
  readonly inputDim: number;
  readonly hiddenDim: number;
  readonly outputDim: number;

  private constructor(
    readonly path: string, readonly sha256: string,
    private readonly w0: Float32Array, private readonly b0: Float32Array,
    private readonly w3: Float32Array, private readonly b3: Float32Array,
    shape0: number[], shape3: number[],
  ) {
    [this.hiddenDim, this.inputDim] = shape0;
    this.outputDim = shape3[0];
    this.id = `paper:${sha256.slice(0, 12)}`;
  }

  /**
   * Loads and shape-checks a head; `expectedInputDim` is the encoder's kvDim (a head trained for
   * another model or layer width is refused with both numbers).
   */
  static load(path: string, expectedInputDim?: number): PaperHead {
    if (!existsSync(path)) throw new Error(`projection head not found: ${path}`);
    const src = openSafetensors(path);
    for (const n of ['net.0.weight', 'net.0.bias', 'net.3.weight', 'net.3.bias']) {
      if (!src.has(n)) throw new Error(`${path} is not a NER Retriever head: tensor ${n} missing (has ${src.names().join(', ')})`);
    }
    const s0 = src.info('net.0.weight').shape;
    const s3 = src.info('net.3.weight').shape;
    const sb0 = src.info('net.0.bias').shape;
    const sb3 = src.info('net.3.bias').shape;
    if (s0.length !== 2 || s3.length !== 2 || sb0[0] !== s0[0] || s3[1] !== s0[0] || sb3[0] !== s3[0]) {
      throw new Error(`${path}: inconsistent head shapes net.0.weight [${s0}], net.0.bias [${sb0}], net.3.weight [${s3}], net.3.bias [${sb3}]`);
    }
    if (expectedInputDim !== undefined && s0[1] !== expectedInputDim) {
      throw new Error(`${path} expects ${s0[1]}-d value vectors (net.0.weight [${s0}]) but the encoder gives ${expectedInputDim}-d ones (kv heads × head dim): this head belongs to another model or layer width`);
    }
    const [w0, b0, w3, b3] = ['net.0.weight', 'net.0.bias', 'net.3.weight', 'net.3.bias'].map((n) => {
      const t = src.read(n);
      // A NaN weight would make every projected vector NaN, stored without a word.
      const bad = t.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) throw new Error(`${path}: tensor ${n} holds a non-finite value (${t[bad]} at index ${bad}): the head file is corrupt; re-download or retrain it`);
      return t;
    });
    return new PaperHead(path, fileHash(path), w0, b0, w3, b3, s0, s3);
  }

  project(x: Float32Array): Float32Array {
    if (x.length !== this.inputDim) throw new Error(`head expects ${this.inputDim}-d input, got ${x.length}`);
    const h = affine(this.w0, this.b0, x, this.hiddenDim, this.inputDim);
    for (let i = 0; i < h.length; i++) h[i] = h[i] / (1 + Math.exp(-h[i])); // SiLU
    return l2NormalizeInPlace(affine(this.w3, this.b3, h, this.outputDim, this.hiddenDim));
  }
}

// ---- whitening ----------------------------------------------------------------------------

export interface WhiteningFit {
  format: 'ner-retriever-whitening';
  version: 1;
  inputDim: number;
  outputDim: number;
  /** Corpus mention count when fitted (refit criterion). */
  mentionCount: number;
  /** Vectors the fit was computed on (a sample of the corpus's mentions). */
  sampleCount: number;
  /** Identity of the raw encoder the vectors came from (model, revision, layer). */
  source: string;
  mean: number[];
  /** Principal variances, descending (before regularisation). */
  variances: number[];
  /** Row-major [outputDim, inputDim]: rows are eigenvectors / sqrt(variance + eps). */
  projection: number[];
  /** sha256 of the fitted numbers (part of the head id). */
  hash: string;
}

export interface FitWhiteningOptions {
  /** Output dimension (default min(256, inputDim, samples − 1)). */
  dimension?: number;
  mentionCount?: number;
  source?: string;
  /** Variance floor relative to the largest variance (default 1e-6). */
  epsilon?: number;
}

/**
 * Symmetric eigendecomposition (Householder tridiagonalisation + implicit QL; after JAMA's
 * tred2/tql2). `a` is row-major n×n and is overwritten by the eigenvectors as ROWS (row j ↔
 * values[j]), eigenvalues ascending.
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const V = a;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  // tred2
  for (let i = n - 1; i > 0; i--) {
    let scale = 0; let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) { d[j] = V[(i - 1) * n + j]; V[i * n + j] = 0; V[j * n + i] = 0; }
    } else {
      for (let k = 0; k < i; k++) { d[k] /= scale; h += d[k] * d[k]; }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) { g += V[k * n + j] * d[k]; e[k] += V[k * n + j] * f; }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) { e[j] /= h; f += e[j] * d[j]; }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j]; g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) { d[j] = V[(n - 1) * n + j]; V[(n - 1) * n + j] = 0; }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
  // From here on the eigenvectors are kept as ROWS (W = Vᵀ) so the rotations run over contiguous memory.
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) { const t = V[i * n + j]; V[i * n + j] = V[j * n + i]; V[j * n + i] = t; }
  // tql2
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0; let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) { if (Math.abs(e[m]) <= eps * tst1) break; m++; }
    if (m > l) {
      for (let iter = 0; iter < 100; iter++) {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1; let c2 = c; let c3 = c;
        const el1 = e[l + 1];
        let s = 0; let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2; c2 = c; s2 = s;
          g = c * e[i]; h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r; c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const r0 = i * n; const r1 = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            h = V[r1 + k];
            V[r1 + k] = s * V[r0 + k] + c * h;
            V[r0 + k] = c * V[r0 + k] - s * h;
          }
        }
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (Math.abs(e[l]) <= eps * tst1) break;
      }
    }
    d[l] += f;
    e[l] = 0;
  }
  // sort ascending
  for (let i = 0; i < n - 1; i++) {
    let k = i; let p = d[i];
    for (let j = i + 1; j < n; j++) if (d[j] < p) { k = j; p = d[j]; }
    if (k !== i) {
      d[k] = d[i]; d[i] = p;
      for (let j = 0; j < n; j++) { const t = V[i * n + j]; V[i * n + j] = V[k * n + j]; V[k * n + j] = t; }
    }
  }
  return { values: d, vectors: V };
}

/** The hash recorded in a fit (and checked when it is loaded): over its source and numbers. */
function whiteningHash(fit: Pick<WhiteningFit, 'source' | 'mean' | 'projection'>): string {
  return createHash('sha256').update(JSON.stringify([fit.source, fit.mean, fit.projection])).digest('hex');
}

/** Fits PCA whitening on `vectors` (all of one width). Deterministic. */
export function fitWhitening(vectors: Float32Array[], options: FitWhiteningOptions = {}): WhiteningFit {
  if (vectors.length < 2) throw new Error(`whitening needs at least 2 mention vectors to fit, got ${vectors.length}`);
  const d = vectors[0].length;
  const n = vectors.length;
  const out = Math.max(1, Math.min(options.dimension ?? 256, d, n - 1));
  const mean = new Float64Array(d);
  for (const v of vectors) {
    if (v.length !== d) throw new Error(`whitening: vectors of widths ${d} and ${v.length}`);
    for (let i = 0; i < d; i++) mean[i] += v[i];
  }
  for (let i = 0; i < d; i++) mean[i] /= n;
  const cov = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (const v of vectors) {
    for (let i = 0; i < d; i++) c[i] = v[i] - mean[i];
    for (let i = 0; i < d; i++) {
      const ci = c[i];
      if (ci === 0) continue;
      const row = i * d;
      for (let j = i; j < d; j++) cov[row + j] += ci * c[j];
    }
  }
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) { cov[i * d + j] /= n - 1; cov[j * d + i] = cov[i * d + j]; }
  const { values, vectors: V } = symmetricEigen(cov, d);
  const maxVar = Math.max(values[d - 1], 1e-30);
  const floor = (options.epsilon ?? 1e-6) * maxVar;
  const projection = new Array<number>(out * d);
  const variances: number[] = [];
  for (let r = 0; r < out; r++) {
    const col = d - 1 - r; // descending variance
    const variance = Math.max(values[col], 0);
    variances.push(variance);
    const scale = 1 / Math.sqrt(variance + floor);
    for (let i = 0; i < d; i++) projection[r * d + i] = V[col * d + i] * scale;
  }
  const body = {
    format: 'ner-retriever-whitening' as const, version: 1 as const, inputDim: d, outputDim: out,
    mentionCount: options.mentionCount ?? n, sampleCount: n, source: options.source ?? '',
    mean: [...mean].map(Math.fround), variances, projection: projection.map(Math.fround),
  };
  return { ...body, hash: whiteningHash(body) };
}

/** The refit criterion: the corpus's mention count at least doubled or at most halved since the fit. */
export function needsRefit(fit: Pick<WhiteningFit, 'mentionCount'>, mentionCount: number): boolean {
  const fitted = Math.max(1, fit.mentionCount);
  return mentionCount >= 2 * fitted || mentionCount * 2 <= fitted;
}

export function saveWhitening(path: string, fit: WhiteningFit): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(fit));
  renameSync(tmp, path);
}

export function loadWhitening(path: string): WhiteningFit | undefined {
  if (!existsSync(path)) return undefined;
  let fit: WhiteningFit;
  try { fit = JSON.parse(readFileSync(path, 'utf8')) as WhiteningFit; } catch (e) {
    throw new Error(`${path}: unreadable whitening fit (${(e as Error).message}); delete it to refit`);
  }
  if (fit.format !== 'ner-retriever-whitening' || fit.version !== 1 || fit.projection?.length !== fit.inputDim * fit.outputDim || fit.mean?.length !== fit.inputDim) {
    throw new Error(`${path}: not a whitening fit of a supported version; delete it to refit`);
  }
  // An edited or damaged fit would project every vector wrongly (NaN turns into null in JSON, then 0).
  const finite = (xs: unknown[]) => xs.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!finite(fit.mean) || !finite(fit.projection) || fit.hash !== whiteningHash(fit)) {
    throw new Error(`${path}: corrupt (its numbers do not match its hash); delete it (or run index --rebuild) to refit`);
  }
  return fit;
}

export class WhiteningHead implements ProjectionHead {
  readonly id: string;
  readonly inputDim: number;
  readonly outputDim: number;
  private readonly mean: Float32Array;
  private readonly projection: Float32Array;

  constructor(readonly fit: WhiteningFit) {
    this.inputDim = fit.inputDim;
    this.outputDim = fit.outputDim;
    this.mean = Float32Array.from(fit.mean);
    this.projection = Float32Array.from(fit.projection);
    this.id = `whiten${fit.outputDim}:${fit.hash.slice(0, 12)}`;
  }

  /** Whitened, not normalised (identity covariance on the fit's vectors). */
  whiten(x: Float32Array): Float32Array {
    if (x.length !== this.inputDim) throw new Error(`whitening head expects ${this.inputDim}-d input, got ${x.length}`);
    const c = new Float32Array(this.inputDim);
    for (let i = 0; i < c.length; i++) c[i] = x[i] - this.mean[i];
    return affine(this.projection, new Float32Array(this.outputDim), c, this.outputDim, this.inputDim);
  }

  project(x: Float32Array): Float32Array { return l2NormalizeInPlace(this.whiten(x)); }
}

/** Raw value vectors, L2-normalised: the no-head reference. */
export class IdentityHead implements ProjectionHead {
  readonly id = 'raw';
  constructor(readonly inputDim: number) {}
  get outputDim(): number { return this.inputDim; }
  project(x: Float32Array): Float32Array { return l2NormalizeInPlace(Float32Array.from(x)); }
}
