// Generic helper to write ONNX models from named initializers + nodes (onnx-proto).
// Used for the static projection head; kept free of head specifics so other graphs
// (e.g. LLM layers) can be built with it too.
import { closeSync, openSync, writeSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import type { onnx } from 'onnx-proto';

// onnx-proto is CommonJS: take the namespace from the default export (works from ESM and CJS).
const P = (onnxProto as unknown as { onnx: typeof onnx }).onnx;

/** 'float16' / 'bfloat16' only as external data (ExternalDataFile.addRaw) or graph inputs/outputs. */
export type OnnxElemType = 'float32' | 'int64' | 'int32' | 'float16' | 'bfloat16';

const ELEM: Record<OnnxElemType, number> = {
  float32: P.TensorProto.DataType.FLOAT,
  int64: P.TensorProto.DataType.INT64,
  int32: P.TensorProto.DataType.INT32,
  float16: P.TensorProto.DataType.FLOAT16,
  bfloat16: P.TensorProto.DataType.BFLOAT16,
};
const ELEM_BYTES: Record<OnnxElemType, number> = { float32: 4, int64: 8, int32: 4, float16: 2, bfloat16: 2 };

/** A named constant tensor (weights, shapes, axes…). */
export interface OnnxInitializer {
  name: string;
  dims: number[];
  /** Float32Array → float32; BigInt64Array or number[] with type 'int64' → int64; Int32Array → int32. */
  data: Float32Array | BigInt64Array | Int32Array | number[];
  type?: OnnxElemType;
}

/**
 * A constant tensor whose bytes live in a side file (ONNX external data) instead of the model
 * protobuf, which cannot exceed 2 GB. `location` is relative to the model file's folder.
 */
export interface OnnxExternalInitializer {
  name: string;
  dims: number[];
  type?: OnnxElemType;
  location: string;
  offset: number;
  length: number;
}

/** Appends raw little-endian tensor bytes to an external data file, 64-byte aligned (mmap-friendly). */
export class ExternalDataFile {
  private fd: number;
  private offset = 0;
  /** `path` is written; `location` is the name the model records (usually the file's basename). */
  constructor(path: string, readonly location: string) { this.fd = openSync(path, 'w'); }

  add(name: string, dims: number[], data: Float32Array): OnnxExternalInitializer {
    return this.addRaw(name, dims, 'float32', new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  /** Little-endian bytes of any element type (e.g. a bf16 tensor copied as is from a checkpoint). */
  addRaw(name: string, dims: number[], type: OnnxElemType, bytes: Uint8Array): OnnxExternalInitializer {
    const count = dims.reduce((a, b) => a * b, 1);
    if (bytes.length !== count * ELEM_BYTES[type]) throw new Error(`external initializer ${name}: ${bytes.length} bytes for ${type} dims [${dims}]`);
    const pad = (64 - (this.offset % 64)) % 64;
    if (pad) { writeSync(this.fd, new Uint8Array(pad), 0, pad, this.offset); this.offset += pad; }
    const start = this.offset;
    for (let done = 0; done < bytes.length;) {
      done += writeSync(this.fd, bytes, done, Math.min(1 << 28, bytes.length - done), start + done);
    }
    this.offset += bytes.length;
    return { name, dims, type, location: this.location, offset: start, length: bytes.length };
  }

  get size(): number { return this.offset; }
  close(): void { closeSync(this.fd); }
}

export type OnnxAttributeValue = number | string | number[] | string[] | { float: number } | { floats: number[] };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  /** Integers (whole numbers) become INT/INTS; use { float } / { floats } to force floats. */
  attributes?: Record<string, OnnxAttributeValue>;
}

/** Graph input/output: dims may be symbolic (string) or fixed (number). */
export interface OnnxValueInfo { name: string; dims: Array<number | string>; type?: OnnxElemType }

export interface OnnxModelSpec {
  name?: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers?: OnnxInitializer[];
  /** Initializers stored in external data files (see ExternalDataFile). */
  externalInitializers?: OnnxExternalInitializer[];
  nodes: OnnxNode[];
  opset?: number;
  producer?: string;
  /** Free-form key/value metadata stored in the model. */
  metadata?: Record<string, string>;
}

function tensorProto(init: OnnxInitializer): onnx.ITensorProto {
  const type: OnnxElemType = init.type ?? (init.data instanceof Float32Array ? 'float32'
    : init.data instanceof Int32Array ? 'int32' : 'int64');
  if (type === 'float16' || type === 'bfloat16') throw new Error(`initializer ${init.name}: ${type} only as external data`);
  const t: onnx.ITensorProto = { name: init.name, dims: init.dims, dataType: ELEM[type] };
  const count = init.dims.reduce((a, b) => a * b, 1);
  if (init.data.length !== count) throw new Error(`initializer ${init.name}: ${init.data.length} values for dims [${init.dims}]`);
  let bytes: Uint8Array;
  if (type === 'float32') {
    const f = init.data instanceof Float32Array ? init.data : Float32Array.from(init.data as number[]);
    bytes = new Uint8Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength));
  } else if (type === 'int64') {
    const b = init.data instanceof BigInt64Array ? init.data : BigInt64Array.from(Array.from(init.data as ArrayLike<number>, (x) => BigInt(x)));
    bytes = new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  } else {
    const b = init.data instanceof Int32Array ? init.data : Int32Array.from(init.data as number[]);
    bytes = new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }
  // raw_data is little-endian; every platform Node runs on here is little-endian.
  t.rawData = bytes;
  return t;
}

function externalTensorProto(init: OnnxExternalInitializer): onnx.ITensorProto {
  return {
    name: init.name, dims: init.dims, dataType: ELEM[init.type ?? 'float32'],
    dataLocation: P.TensorProto.DataLocation.EXTERNAL,
    externalData: [
      { key: 'location', value: init.location },
      { key: 'offset', value: String(init.offset) },
      { key: 'length', value: String(init.length) },
    ],
  };
}

function attributeProto(name: string, v: OnnxAttributeValue): onnx.IAttributeProto {
  const A = P.AttributeProto.AttributeType;
  if (typeof v === 'number') {
    return Number.isInteger(v) ? { name, type: A.INT, i: v } : { name, type: A.FLOAT, f: v };
  }
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) {
    if (v.length && typeof v[0] === 'string') return { name, type: A.STRINGS, strings: (v as string[]).map((s) => new TextEncoder().encode(s)) };
    const nums = v as number[];
    return nums.every(Number.isInteger) ? { name, type: A.INTS, ints: nums } : { name, type: A.FLOATS, floats: nums };
  }
  if ('float' in v) return { name, type: A.FLOAT, f: v.float };
  return { name, type: A.FLOATS, floats: v.floats };
}

function valueInfo(v: OnnxValueInfo): onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: ELEM[v.type ?? 'float32'],
        shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** Builds a ModelProto (IR version 8, default opset 17). */
export function buildOnnxModel(spec: OnnxModelSpec): onnx.ModelProto {
  const nodes: onnx.INodeProto[] = spec.nodes.map((n, i) => ({
    name: n.name ?? `${n.op}_${i}`,
    opType: n.op,
    domain: n.domain ?? '',
    input: n.inputs,
    output: n.outputs,
    attribute: Object.entries(n.attributes ?? {}).map(([k, v]) => attributeProto(k, v)),
  }));
  return P.ModelProto.create({
    irVersion: 8,
    producerName: spec.producer ?? 'ner-retriever',
    opsetImport: [{ domain: '', version: spec.opset ?? 17 }],
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: spec.name ?? 'graph',
      node: nodes,
      initializer: [...(spec.initializers ?? []).map(tensorProto), ...(spec.externalInitializers ?? []).map(externalTensorProto)],
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    },
  });
}

/** Serialises a model spec to ONNX protobuf bytes. */
export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  return P.ModelProto.encode(buildOnnxModel(spec)).finish();
}

/** Reads the metadata_props of an ONNX file's bytes. */
export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  const m = P.ModelProto.decode(bytes);
  const out: Record<string, string> = {};
  for (const p of m.metadataProps ?? []) if (p.key) out[p.key] = p.value ?? '';
  return out;
}

/** Decodes ONNX bytes (for inspection: inputs, outputs, metadata). */
export function decodeOnnxModel(bytes: Uint8Array): onnx.ModelProto {
  return P.ModelProto.decode(bytes);
}

/** Static size of dimension `axis` of the model's first input and first output (0 when symbolic). */
export function onnxIoDims(bytes: Uint8Array, axis = 1): { input: number; output: number } {
  const g = decodeOnnxModel(bytes).graph;
  const dim = (vi: onnx.IValueInfoProto | undefined) => Number(vi?.type?.tensorType?.shape?.dim?.[axis]?.dimValue ?? 0);
  return { input: dim(g?.input?.[0] ?? undefined), output: dim(g?.output?.[0] ?? undefined) };
}

/** Static size of dimension `axis` of the named graph output (0 when symbolic or absent). */
export function onnxOutputDim(bytes: Uint8Array, name: string, axis = 1): number {
  const out = decodeOnnxModel(bytes).graph?.output?.find((o) => o.name === name);
  return Number(out?.type?.tensorType?.shape?.dim?.[axis]?.dimValue ?? 0);
}
