// The trained projection head, stored as ONNX and run by onnxruntime-node.
//   x  : [N, F] raw features (features.ts)
//   r  = (m⊙x) / ‖m⊙x‖                     (raw, untrained geometry; m selects feature blocks,
//                                            by default only the sentence block)
//   y  = W2 · SiLU(W1 · x + b1) + b2        (learned projection)
//   z  = normalise([α·r ; y/‖y‖])            → cosine = (α²·raw_cos + learned_cos)/(1+α²)
//   out = normalise(z · P)   when the head carries an output projection P (outputProjection.ts):
//         the leading principal directions of z over the training mentions. The HNSW graph's
//         insert and search cost grows with the stored dimension; 64 of 228 directions keep the
//         retrieval figures (docs/zero-shot.md, sixteenth session).
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { decodeOnnxModel, encodeOnnxModel, onnxIoDims, onnxOutputDim, readOnnxMetadata, type OnnxNode } from './onnxWriter.ts';

export interface HeadWeights {
  inputDim: number;
  hiddenDim: number;
  outputDim: number;
  /** Row-major [inputDim × hiddenDim]. */
  w1: Float32Array;
  b1: Float32Array;
  /** Row-major [hiddenDim × outputDim]. */
  w2: Float32Array;
  b2: Float32Array;
  /** Weight of the raw (normalised feature) block in the output. */
  alpha: number;
  /** Per-feature weights applied before the raw block is normalised (default: all ones). */
  rawMask?: Float32Array;
  /** Output projection, row-major [z dimension × projection dimension]; absent: out = z. */
  projection?: { dim: number; matrix: Float32Array };
}

/** The dimension of z (before any output projection): the kept raw columns plus the learned part. */
export function headEmbeddingDim(w: HeadWeights): number {
  const mask = w.rawMask ?? new Float32Array(w.inputDim).fill(1);
  let kept = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) kept++;
  return kept + w.outputDim;
}

export const HEAD_EPS = 1e-12;

/** Builds the head's ONNX bytes from trained weights. */
export function headToOnnx(w: HeadWeights, metadata: Record<string, string> = {}): Uint8Array {
  const l2norm = (x: string, out: string): OnnxNode[] => [
    { op: 'ReduceL2', inputs: [x], outputs: [`${out}_n`], attributes: { axes: [1], keepdims: 1 } },
    { op: 'Add', inputs: [`${out}_n`, 'eps'], outputs: [`${out}_ne`] },
    { op: 'Div', inputs: [x, `${out}_ne`], outputs: [out] },
  ];
  // Only features with a non-zero raw weight enter the output: zero columns would cost index
  // memory and search time for nothing (cosines are identical either way).
  const mask = w.rawMask ?? new Float32Array(w.inputDim).fill(1);
  const kept: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) kept.push(i);
  const keptWeights = Float32Array.from(kept, (i) => mask[i]);
  const zDim = kept.length + w.outputDim;
  const projection = w.projection;
  if (projection && projection.matrix.length !== zDim * projection.dim) {
    throw new Error(`head projection: expected ${zDim}×${projection.dim} weights, got ${projection.matrix.length}`);
  }
  return encodeOnnxModel({
    name: 'static-head',
    inputs: [{ name: 'features', dims: ['N', w.inputDim] }],
    // A projected head also outputs the unit z ("full"): the hubness correction measures a
    // mention's closeness to the generic types there, where its settings were chosen.
    outputs: [{ name: 'embedding', dims: ['N', projection ? projection.dim : zDim] }, ...(projection ? [{ name: 'full', dims: ['N', zDim] }] : [])],
    initializers: [
      { name: 'W1', dims: [w.inputDim, w.hiddenDim], data: w.w1 },
      { name: 'b1', dims: [w.hiddenDim], data: w.b1 },
      { name: 'W2', dims: [w.hiddenDim, w.outputDim], data: w.w2 },
      { name: 'b2', dims: [w.outputDim], data: w.b2 },
      { name: 'alpha', dims: [], data: new Float32Array([w.alpha]) },
      { name: 'eps', dims: [], data: new Float32Array([HEAD_EPS]) },
      { name: 'rawIndices', dims: [kept.length], data: BigInt64Array.from(kept, (i) => BigInt(i)), type: 'int64' },
      { name: 'rawWeights', dims: [kept.length], data: keptWeights },
      ...(projection ? [{ name: 'P', dims: [zDim, projection.dim], data: projection.matrix }] : []),
    ],
    nodes: [
      { op: 'Gather', inputs: ['features', 'rawIndices'], outputs: ['xs'], attributes: { axis: 1 } },
      { op: 'Mul', inputs: ['xs', 'rawWeights'], outputs: ['xm'] },
      ...l2norm('xm', 'r'),
      { op: 'Mul', inputs: ['r', 'alpha'], outputs: ['ra'] },
      { op: 'MatMul', inputs: ['features', 'W1'], outputs: ['a1m'] },
      { op: 'Add', inputs: ['a1m', 'b1'], outputs: ['a1'] },
      { op: 'Sigmoid', inputs: ['a1'], outputs: ['a1s'] },
      { op: 'Mul', inputs: ['a1', 'a1s'], outputs: ['h1'] },
      { op: 'MatMul', inputs: ['h1', 'W2'], outputs: ['ym'] },
      { op: 'Add', inputs: ['ym', 'b2'], outputs: ['y'] },
      ...l2norm('y', 'yn'),
      { op: 'Concat', inputs: ['ra', 'yn'], outputs: ['z'], attributes: { axis: 1 } },
      ...(projection
        ? [...l2norm('z', 'full'), { op: 'MatMul', inputs: ['full', 'P'], outputs: ['zp'] } as OnnxNode, ...l2norm('zp', 'embedding')]
        : l2norm('z', 'embedding')),
    ],
    metadata: { kind: 'ner-retriever-static-head', ...metadata },
  });
}

/** Reads the trained weights back out of a head's ONNX bytes (either export layout). */
export function headWeightsFromOnnx(bytes: Uint8Array): { weights: HeadWeights; metadata: Record<string, string> } {
  const g = decodeOnnxModel(bytes).graph;
  const init = new Map((g?.initializer ?? []).map((t) => [t.name ?? '', t]));
  const floats = (name: string): { data: Float32Array; dims: number[] } => {
    const t = init.get(name);
    if (!t) throw new Error(`head ONNX has no initializer ${name}`);
    const raw = t.rawData as Uint8Array | undefined;
    const data = raw && raw.length ? new Float32Array(Uint8Array.prototype.slice.call(raw).buffer) : Float32Array.from(t.floatData ?? []);
    return { data, dims: (t.dims ?? []).map(Number) };
  };
  const w1 = floats('W1');
  const w2 = floats('W2');
  const [inputDim, hiddenDim] = w1.dims;
  let rawMask: Float32Array;
  if (init.has('rawMask')) rawMask = floats('rawMask').data;
  else {
    rawMask = new Float32Array(inputDim);
    const idx = init.get('rawIndices')!;
    const raw = idx.rawData as Uint8Array | undefined;
    const indices = raw && raw.length ? Array.from(new BigInt64Array(Uint8Array.prototype.slice.call(raw).buffer), Number) : (idx.int64Data ?? []).map(Number);
    const weights = floats('rawWeights').data;
    indices.forEach((i, k) => { rawMask[i] = weights[k]; });
  }
  const projection = init.has('P') ? { dim: floats('P').dims[1], matrix: floats('P').data } : undefined;
  return {
    weights: {
      inputDim, hiddenDim, outputDim: w2.dims[1], w1: w1.data, b1: floats('b1').data, w2: w2.data, b2: floats('b2').data,
      alpha: floats('alpha').data[0], rawMask, ...(projection ? { projection } : {}),
    },
    metadata: readOnnxMetadata(bytes),
  };
}

export class OnnxHead {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly inputDim: number,
    readonly outputDim: number,
    readonly hash: string,
    readonly metadata: Record<string, string>,
    /** Dimension of the unprojected embedding of a head with an output projection (else undefined). */
    readonly fullDim: number | undefined,
  ) {}

  static async load(path: string): Promise<OnnxHead> {
    return OnnxHead.fromBytes(new Uint8Array(readFileSync(path)));
  }

  static async fromBytes(bytes: Uint8Array): Promise<OnnxHead> {
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all',
    });
    const meta = readOnnxMetadata(bytes);
    const { input: inputDim, output: outputDim } = onnxIoDims(bytes);
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
    const fullDim = session.outputNames.includes('full') ? onnxOutputDim(bytes, 'full') : undefined;
    return new OnnxHead(session, inputDim, outputDim, hash, meta, fullDim);
  }

  /** Runs `count` feature rows (row-major, count × inputDim); returns count × outputDim. */
  async run(features: Float32Array, count: number): Promise<Float32Array> {
    return (await this.runWithFull(features, count)).embedding;
  }

  /** Like run, plus the unprojected embedding (count × fullDim) of a projected head. */
  async runWithFull(features: Float32Array, count: number): Promise<{ embedding: Float32Array; full: Float32Array | undefined }> {
    const projected = this.fullDim !== undefined;
    if (count === 0) return { embedding: new Float32Array(0), full: projected ? new Float32Array(0) : undefined };
    if (features.length !== count * this.inputDim) throw new Error(`OnnxHead.run: expected ${count}×${this.inputDim} features, got ${features.length}`);
    const res = await this.session.run({ [this.session.inputNames[0]]: new ort.Tensor('float32', features, [count, this.inputDim]) });
    return { embedding: res[this.session.outputNames[0]].data as Float32Array, full: projected ? res.full.data as Float32Array : undefined };
  }

  async dispose(): Promise<void> { await this.session.release(); }
}
