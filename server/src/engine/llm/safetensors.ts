// Lazy reader for Hugging Face safetensors checkpoints (single file or sharded with an index).
// Only the JSON header is read up front; each tensor's bytes are pread on demand, so a
// multi-GB checkpoint never has to fit in memory at once.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16';
const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2 };

export interface TensorInfo {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  file: string;
  /** Absolute byte offset of the tensor's data in `file`. */
  offset: number;
  byteLength: number;
}

/** Named tensors of a checkpoint, read one at a time as float32. */
export interface TensorSource {
  readonly files: string[];
  has(name: string): boolean;
  info(name: string): TensorInfo;
  names(): string[];
  read(name: string): Float32Array;
  /** The tensor's bytes exactly as stored (little-endian, its own dtype). */
  readRaw(name: string): { dtype: SafetensorsDtype; bytes: Uint8Array };
  /** The raw JSON header bytes of every file (for content hashing). */
  headers(): string[];
}

const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

function numel(shape: number[]): number { return shape.reduce((a, b) => a * b, 1); }

/** Parses one safetensors file's header; throws clear messages for truncated/corrupt files. */
export function readSafetensorsHeader(file: string): { tensors: TensorInfo[]; header: string } {
  if (!existsSync(file)) throw new Error(`safetensors file not found: ${file}`);
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < 8) throw new Error(`${file}: truncated safetensors file (${size} bytes, no header length)`);
    const lenBuf = Buffer.alloc(8);
    readSync(fd, lenBuf, 0, 8, 0);
    const headerLen = Number(lenBuf.readBigUInt64LE(0));
    if (headerLen > size - 8) {
      throw new Error(`${file}: corrupt or truncated safetensors file (header length ${headerLen} exceeds file size ${size})`);
    }
    const hb = Buffer.alloc(headerLen);
    readSync(fd, hb, 0, headerLen, 8);
    const header = hb.toString('utf8');
    let json: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
    try { json = JSON.parse(header); } catch (e) {
      throw new Error(`${file}: corrupt safetensors header (invalid JSON: ${(e as Error).message})`);
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${file}: corrupt safetensors header (not a JSON object)`);
    const dataStart = 8 + headerLen;
    const tensors: TensorInfo[] = [];
    for (const [name, t] of Object.entries(json)) {
      if (name === '__metadata__') continue;
      if (!t || !Array.isArray(t.shape) || !Array.isArray(t.data_offsets)) {
        throw new Error(`${file}: corrupt safetensors header entry for ${name}`);
      }
      // Strings or fractions here would be concatenated or used as offsets and lengths unchecked.
      if (!t.shape.every(isCount)) throw new Error(`${file}: corrupt safetensors header entry for ${name} (shape ${JSON.stringify(t.shape)})`);
      const [b, e] = t.data_offsets;
      if (t.data_offsets.length !== 2 || !isCount(b) || !isCount(e) || e < b) throw new Error(`${file}: corrupt safetensors header entry for ${name} (data_offsets ${b}..${e})`);
      if (dataStart + e > size) {
        throw new Error(`${file}: truncated safetensors file (tensor ${name} bytes ${dataStart + b}..${dataStart + e} beyond file size ${size})`);
      }
      tensors.push({ name, dtype: t.dtype as SafetensorsDtype, shape: t.shape, file, offset: dataStart + b, byteLength: e - b });
    }
    return { tensors, header };
  } finally { closeSync(fd); }
}

function bf16ToF32(src: Uint16Array, dst: Float32Array): void {
  const u = new Uint32Array(dst.buffer, dst.byteOffset, dst.length);
  for (let i = 0; i < src.length; i++) u[i] = src[i] << 16;
}

// IEEE half → float; denormals and inf/NaN included.
function f16ToF32(src: Uint16Array, dst: Float32Array): void {
  for (let i = 0; i < src.length; i++) {
    const h = src[i]; const s = h & 0x8000 ? -1 : 1; const e = (h >> 10) & 0x1f; const m = h & 0x3ff;
    dst[i] = e === 0 ? s * m * 2 ** -24 : e === 31 ? (m ? NaN : s * Infinity) : s * (1 + m / 1024) * 2 ** (e - 15);
  }
}

const CHUNK = 1 << 28; // readSync reads at most ~2 GB per call; stay well below

function preadAll(fd: number, buf: Uint8Array, position: number): void {
  for (let done = 0; done < buf.length;) {
    const n = readSync(fd, buf, done, Math.min(CHUNK, buf.length - done), position + done);
    if (n <= 0) throw new Error(`unexpected end of file at byte ${position + done}`);
    done += n;
  }
}

/** Reads one tensor's stored bytes (checked against its dtype and shape). */
export function readTensorBytes(t: TensorInfo): Uint8Array {
  if (!(t.dtype in BYTES)) throw new Error(`${t.file}: tensor ${t.name} has unsupported dtype ${t.dtype} (supported: F32, F16, BF16)`);
  if (numel(t.shape) * BYTES[t.dtype] !== t.byteLength) {
    throw new Error(`${t.file}: corrupt tensor ${t.name}: ${t.byteLength} bytes for shape [${t.shape}] ${t.dtype}`);
  }
  // 4-byte aligned backing store, so F32 bytes can be viewed as a Float32Array in place.
  const bytes = new Uint8Array(new ArrayBuffer(Math.ceil(t.byteLength / 4) * 4), 0, t.byteLength);
  const fd = openSync(t.file, 'r');
  try { preadAll(fd, bytes, t.offset); } finally { closeSync(fd); }
  return bytes;
}

/** Reads one tensor (any supported dtype) as float32. */
export function readTensor(t: TensorInfo): Float32Array {
  const bytes = readTensorBytes(t);
  const n = numel(t.shape);
  if (t.dtype === 'F32') return new Float32Array(bytes.buffer, 0, n);
  const raw = new Uint16Array(bytes.buffer, 0, n);
  const out = new Float32Array(n);
  if (t.dtype === 'BF16') bf16ToF32(raw, out); else f16ToF32(raw, out);
  return out;
}

/**
 * Opens `model.safetensors` or the shards listed by `model.safetensors.index.json` in `dir`
 * (or a path to either file).
 */
export function openSafetensors(pathOrDir: string): TensorSource {
  const isFile = pathOrDir.endsWith('.json') || pathOrDir.endsWith('.safetensors');
  const dir = isFile ? dirname(pathOrDir) : pathOrDir;
  const index = isFile && pathOrDir.endsWith('.json') ? pathOrDir : join(dir, 'model.safetensors.index.json');
  const single = isFile && pathOrDir.endsWith('.safetensors') ? pathOrDir : join(dir, 'model.safetensors');
  let files: string[];
  let weightMap: Record<string, string> | undefined;
  if (!(isFile && pathOrDir.endsWith('.safetensors')) && existsSync(index)) {
    let parsed: { weight_map?: unknown } | null;
    try { parsed = JSON.parse(readFileSync(index, 'utf8')); } catch (e) {
      throw new Error(`${index}: invalid JSON (${(e as Error).message})`);
    }
    const map = parsed?.weight_map;
    if (!map || typeof map !== 'object' || Array.isArray(map)) throw new Error(`${index}: no weight_map object (tensor name → shard file)`);
    for (const [name, shard] of Object.entries(map)) {
      if (typeof shard !== 'string' || !shard) throw new Error(`${index}: weight_map entry for ${name} is ${JSON.stringify(shard)}, not a shard file name`);
      // Shards sit beside the index: `../x` or an absolute path would read any file on the machine.
      const rel = relative(dir, resolve(dir, shard));
      if (!rel || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) || isAbsolute(shard)) {
        throw new Error(`${index}: weight_map entry for ${name} is ${JSON.stringify(shard)}, outside the model folder: shard files must be inside ${dir}`);
      }
    }
    weightMap = map as Record<string, string>;
    files = [...new Set(Object.values(weightMap))].map((f) => join(dir, f));
    for (const f of files) if (!existsSync(f)) throw new Error(`shard missing: ${basename(f)} (listed in ${index})`);
  } else if (existsSync(single)) {
    files = [single];
  } else {
    throw new Error(`no model.safetensors or model.safetensors.index.json in ${dir}`);
  }
  const byName = new Map<string, TensorInfo>();
  const headers: string[] = [];
  for (const f of files) {
    const { tensors, header } = readSafetensorsHeader(f);
    headers.push(header);
    for (const t of tensors) {
      // A tensor stored in two shards comes from the one weight_map names (not whichever was read last).
      const named = weightMap && Object.hasOwn(weightMap, t.name) ? join(dir, weightMap[t.name]) : undefined;
      if (named === f || !byName.has(t.name)) byName.set(t.name, t);
    }
  }
  return {
    files,
    has: (name) => byName.has(name),
    info(name) {
      const t = byName.get(name);
      if (!t) throw new Error(`tensor ${name} not found in ${files.map((f) => basename(f)).join(', ')}`);
      return t;
    },
    names: () => [...byName.keys()],
    read(name) { return readTensor(this.info(name)); },
    readRaw(name) { const t = this.info(name); return { dtype: t.dtype, bytes: readTensorBytes(t) }; },
    headers: () => headers,
  };
}

// ---- writing (random checkpoints for tests and benchmarks) ----

function f32ToBf16(src: Float32Array): Uint16Array {
  const u = new Uint32Array(src.buffer, src.byteOffset, src.length);
  const out = new Uint16Array(src.length);
  // round to nearest even
  for (let i = 0; i < u.length; i++) out[i] = (u[i] + 0x7fff + ((u[i] >> 16) & 1)) >>> 16;
  return out;
}

/**
 * Streams tensors to a safetensors file. Tensors are produced one at a time by `produce`
 * (after the header, which needs only names and shapes), so big files never sit in memory.
 */
export function writeSafetensors(
  file: string, specs: Array<{ name: string; shape: number[] }>, dtype: 'F32' | 'BF16',
  produce: (name: string) => Float32Array, metadata: Record<string, string> = { format: 'pt' },
): void {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let off = 0;
  for (const s of specs) {
    const len = numel(s.shape) * BYTES[dtype];
    header[s.name] = { dtype, shape: s.shape, data_offsets: [off, off + len] };
    off += len;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // data aligned to 8 bytes, as the reference writer does
  const fd = openSync(file, 'w');
  try {
    const lenBuf = Buffer.alloc(8);
    lenBuf.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
    writeSync(fd, lenBuf);
    writeSync(fd, Buffer.from(json, 'utf8'));
    for (const s of specs) {
      const data = produce(s.name);
      if (data.length !== numel(s.shape)) throw new Error(`writeSafetensors: ${s.name} has ${data.length} values for [${s.shape}]`);
      const bytes = dtype === 'F32' ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(f32ToBf16(data).buffer);
      for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, Math.min(CHUNK, bytes.length - done));
    }
  } finally { closeSync(fd); }
}
