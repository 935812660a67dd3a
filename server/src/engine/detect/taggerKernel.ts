// The tagger's per-token hidden layer and logits in WebAssembly with 128-bit SIMD (taggerKernel.wat):
// about three times the JavaScript loop's speed, bit-identical to it. Span detection is the
// largest share of indexing work after the HNSW inserts (docs/benchmarks.md).
import type { TaggerParams } from './tagger.ts';
import { TAGGER_KERNEL_WASM } from './taggerKernelWasm.ts';

const PAGE = 65536;
let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel, or null where this runtime has no WebAssembly SIMD (the JS loop is used then). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(TAGGER_KERNEL_WASM, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

interface KernelExports {
  memory: WebAssembly.Memory;
  logits(n: number, rows: number, H: number, rowsOf: number, g: number, out: number, b1: number, w2: number, pad: number, gmt: number, b2: number): void;
  project(D: number, R: number, wvt: number, v: number, out: number): void;
}

/**
 * Float32 rows of one length in one buffer, addressed by their index in float32s: the tagger's
 * cached contribution rows (tagger.ts), and at `padAt` the padding rows outside a sentence.
 */
export interface RowArena {
  /** The buffer as float32 (replaced when it grows: read it after `alloc`). */
  readonly view: Float32Array;
  readonly padAt: number;
  /** A new row's index. */
  alloc(): number;
  /** Hands out the rows' space again (the rows handed out before are overwritten by later ones). */
  reset(): void;
}

/**
 * The SIMD kernel, whose memory also holds the contribution rows (a RowArena after the weights),
 * so that a sentence passes the kernel one index per token instead of copying each token's row.
 */
export class SimdTaggerKernel implements RowArena {
  private f32!: Float32Array;
  private f64!: Float64Array;
  private i32!: Int32Array;
  private readonly row: number;
  /** Byte offsets of the weights (written once). */
  private readonly b1 = 0;
  private readonly w2: number;
  private readonly pad: number;
  private readonly gmt: number;
  private readonly b2: number;
  /** Wv transposed to [D][R] (R = 5 × H), for project. */
  private readonly wvt: number;
  private readonly D: number;
  /** Byte offsets of the first row and of the end of the last; the per-call scratch follows the rows. */
  private readonly rowsAt: number;
  private rowsEnd: number;

  private constructor(private readonly exports: KernelExports, private readonly H: number, params: TaggerParams, GmT: Float32Array) {
    this.row = 5 * H;
    this.w2 = this.b1 + 4 * H;
    this.pad = this.w2 + 12 * H;
    this.gmt = this.pad + 20 * H;
    this.b2 = align(this.gmt + 16 * H, 8);
    this.wvt = align(this.b2 + 24, 16);
    const R = this.row;
    this.D = params.Wv.length / R;
    this.rowsAt = align(this.wvt + this.D * R * 4, 16);
    this.rowsEnd = this.rowsAt;
    this.ensure(this.rowsAt);
    for (let r = 0; r < R; r++) for (let d = 0; d < this.D; d++) this.f32[(this.wvt >> 2) + d * R + r] = params.Wv[r * this.D + d];
    this.f32.set(params.b1, this.b1 >> 2);
    this.f32.set(params.W2, this.w2 >> 2);
    this.f32.set(params.Pad, this.pad >> 2);
    this.f32.set(GmT, this.gmt >> 2);
    for (let k = 0; k < 3; k++) this.f64[(this.b2 >> 3) + k] = params.b2[k];
  }

  /**
   * A kernel for a model with a window of 5 and 4 global features whose hidden size is a multiple
   * of 4 (GmT: the global-feature weights as [4][H]); undefined for other shapes or without SIMD.
   */
  static create(params: TaggerParams, H: number, window: number, globalFeatures: number, GmT: Float32Array): SimdTaggerKernel | undefined {
    if (window !== 2 || globalFeatures !== 4 || H % 4 !== 0 || H === 0) return undefined;
    const module = kernelModule();
    if (!module) return undefined;
    const exports = new WebAssembly.Instance(module).exports as unknown as KernelExports;
    return new SimdTaggerKernel(exports, H, params, GmT);
  }

  get view(): Float32Array { return this.f32; }
  get padAt(): number { return this.pad >> 2; }

  alloc(): number {
    const at = this.rowsEnd;
    // Grown by at least an eighth, so that a full cache costs a few dozen grows.
    this.ensure(at + this.row * 4, this.f32.byteLength >> 3);
    this.rowsEnd += this.row * 4;
    return at >> 2;
  }

  reset(): void { this.rowsEnd = this.rowsAt; }

  /**
   * Logits (rows × 3, before the log-sum-exp) of the first `rows` tokens of a sentence of `n`,
   * from the contribution rows (alloc's indices) of its first `needed` tokens and its global
   * features `g` (n × 4, each 0 or 1: the caller checks). The returned view is valid until the next call.
   */
  logits(rowsOf: Int32Array, needed: number, n: number, rows: number, g: Float32Array): Float64Array {
    const rowsOfAt = this.rowsEnd;
    const gAt = align(rowsOfAt + needed * 4, 16);
    const outAt = align(gAt + n * 16, 8);
    this.ensure(outAt + rows * 24);
    this.i32.set(rowsOf.subarray(0, needed), rowsOfAt >> 2);
    this.f32.set(g, gAt >> 2);
    this.exports.logits(n, rows, this.H, rowsOfAt, gAt, outAt, this.b1, this.w2, this.pad, this.gmt, this.b2);
    return this.f64.subarray(outAt >> 3, (outAt >> 3) + rows * 3);
  }

  /** Wv·v into `out` (5 × H), as tagger.ts's project loop computes it. */
  project(v: Float32Array, out: Float32Array): void {
    const vAt = this.rowsEnd;
    const outAt = align(vAt + this.D * 4, 16);
    this.ensure(outAt + this.row * 4);
    this.f32.set(v, vAt >> 2);
    this.exports.project(this.D, this.row, this.wvt, vAt, outAt);
    out.set(this.f32.subarray(outAt >> 2, (outAt >> 2) + this.row));
  }

  /** Grows the memory to at least `bytes`, and then by at least `more` (growth detaches the old views). */
  private ensure(bytes: number, more = 0): void {
    const memory = this.exports.memory;
    const have = memory.buffer.byteLength;
    if (have < bytes) memory.grow(Math.ceil((Math.max(bytes, have + more) - have) / PAGE));
    if (this.f32?.buffer !== memory.buffer) {
      this.f32 = new Float32Array(memory.buffer);
      this.f64 = new Float64Array(memory.buffer);
      this.i32 = new Int32Array(memory.buffer);
    }
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
