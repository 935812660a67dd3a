// The trained projection head, stored as ONNX and run by onnxruntime-node.
//   x  : [N, F] raw features (features.ts)
//   r  = (m⊙x) / ‖m⊙x‖                     (raw, untrained geometry; m selects feature blocks,
//                                            by default only the sentence block)
//   y  = W2 · SiLU(W1 · x + b1) + b2        (learned projection)
//   out = normalise([α·r ; y/‖y‖])          → cosine = (α²·raw_cos + learned_cos)/(1+α²)
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { encodeOnnxModel, onnxIoDims, readOnnxMetadata, type OnnxNode } from './onnxWriter.ts';

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
}

export const HEAD_EPS = 1e-12;

/** Builds the head's ONNX bytes from trained weights. */
export function headToOnnx(w: HeadWeights, metadata: Record<string, string> = {}): Uint8Array {
  const l2norm = (x: string, out: string): OnnxNode[] => [
    { op: 'ReduceL2', inputs: [x], outputs: [`${out}_n`], attributes: { axes: [1], keepdims: 1 } },
    { op: 'Add', inputs: [`${out}_n`, 'eps'], outputs: [`${out}_ne`] },
    { op: 'Div', inputs: [x, `${out}_ne`], outputs: [out] },
  ];
  return encodeOnnxModel({
    name: 'static-head',
    inputs: [{ name: 'features', dims: ['N', w.inputDim] }],
    outputs: [{ name: 'embedding', dims: ['N', w.inputDim + w.outputDim] }],
    initializers: [
      { name: 'W1', dims: [w.inputDim, w.hiddenDim], data: w.w1 },
      { name: 'b1', dims: [w.hiddenDim], data: w.b1 },
      { name: 'W2', dims: [w.hiddenDim, w.outputDim], data: w.w2 },
      { name: 'b2', dims: [w.outputDim], data: w.b2 },
      { name: 'alpha', dims: [], data: new Float32Array([w.alpha]) },
      { name: 'eps', dims: [], data: new Float32Array([HEAD_EPS]) },
      { name: 'rawMask', dims: [w.inputDim], data: w.rawMask ?? new Float32Array(w.inputDim).fill(1) },
    ],
    nodes: [
      { op: 'Mul', inputs: ['features', 'rawMask'], outputs: ['xm'] },
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
      ...l2norm('z', 'embedding'),
    ],
    metadata: { kind: 'ner-retriever-static-head', ...metadata },
  });
}

export class OnnxHead {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly inputDim: number,
    readonly outputDim: number,
    readonly hash: string,
    readonly metadata: Record<string, string>,
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
    return new OnnxHead(session, inputDim, outputDim, hash, meta);
  }

  /** Runs `count` feature rows (row-major, count × inputDim); returns count × outputDim. */
  async run(features: Float32Array, count: number): Promise<Float32Array> {
    if (count === 0) return new Float32Array(0);
    if (features.length !== count * this.inputDim) throw new Error(`OnnxHead.run: expected ${count}×${this.inputDim} features, got ${features.length}`);
    const input = new ort.Tensor('float32', features, [count, this.inputDim]);
    const res = await this.session.run({ [this.session.inputNames[0]]: input });
    const out = res[this.session.outputNames[0]];
    return out.data as Float32Array;
  }

  async dispose(): Promise<void> { await this.session.release(); }
}
