// Thin, well-behaved wrapper over hnswlib-node (HNSW, cosine space).
// - Grows capacity by doubling; re-adding a label replaces its vector.
// - Tracks deleted labels itself (hnswlib does not expose them) and can compact.
// - Validates an index file in JS before handing it to the native loader, so a corrupt or
//   truncated file gives a clear Error instead of a native crash or a huge allocation.
// Vectors are stored L2-normalised (cosine space), so vector(label) returns the unit vector.
import hnswlib from 'hnswlib-node';
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';

type HnswCtor = new (space: 'cosine', dim: number) => HnswNative;
interface HnswNative {
  initIndex(maxElements: number, m?: number, efConstruction?: number, randomSeed?: number, allowReplaceDeleted?: boolean): void;
  readIndexSync(filename: string, allowReplaceDeleted?: boolean): void;
  readIndex(filename: string, allowReplaceDeleted?: boolean): Promise<boolean>;
  writeIndex(filename: string): Promise<boolean>;
  resizeIndex(newMaxElements: number): void;
  addPoint(point: number[], label: number, replaceDeleted?: boolean): void;
  markDelete(label: number): void;
  searchKnn(query: number[], k: number): { distances: number[]; neighbors: number[] };
  getIdsList(): number[];
  getPoint(label: number): number[];
  getMaxElements(): number;
  getCurrentCount(): number;
  setEf(ef: number): void;
}

const HierarchicalNSW = (hnswlib as unknown as { HierarchicalNSW: HnswCtor }).HierarchicalNSW;

/**
 * Graph settings for new indexes (an existing index keeps the ones in its file). M 8 rather than
 * 16: each insert re-prunes half as many neighbour lists, and inserts are most of indexing's time;
 * on the 1M-mention store recall@10 at the default beam is 0.985 instead of 0.996 and indexing
 * runs ≈ 20 % faster (docs/benchmarks.md, "Eighteenth session").
 */
export const DEFAULT_M = 8;
export const DEFAULT_EF_CONSTRUCTION = 100;
export const DEFAULT_EF = 256;
const MAX_DEFAULT_EF = 4096;

/**
 * The search beam for an index of `size` mentions when the caller gives none. A type query sits
 * far from every mention (its best cosine is ≈ 0.6–0.8), the hard case for greedy graph search,
 * so the beam has to grow with the index: on a real store of 424k static-encoder mentions,
 * recall@10 of 200 type queries is 0.72 at ef 256, 0.95 at 1024 and 0.99 at 4096; on 226k
 * mentions of real documentation 0.972 at 1211, 0.987 at 3000 (bench/recall-real.ts,
 * docs/benchmarks.md). Capped at 4096, which keeps search p95 under 20 ms at 1M vectors (real
 * store of 954k mentions: recall 0.988, p95 16.8 ms; ef 8192 took 30 ms).
 */
export function defaultEf(size: number): number {
  return Math.min(MAX_DEFAULT_EF, Math.max(DEFAULT_EF, Math.ceil(size / 64)));
}
const DEFAULT_SEED = 100;
const DEFAULT_CAPACITY = 1024;
/** The largest capacity an index read from disk may hold beyond twice its count (an initialCapacity given to create). */
const MAX_FREE_CAPACITY_FROM_OPTIONS = 1 << 16;
const HEADER_BYTES = 96;

export interface VectorIndexOptions { m?: number; efConstruction?: number; seed?: number; initialCapacity?: number }

/** Graph nodes no other node links to at level 0, which no graph search returns, with their (unit) vectors row by row. */
interface Unreachable { labels: number[]; vectors: Float32Array; has: ReadonlySet<number> }

interface FileInfo { maxElements: number; count: number; m: number; efConstruction: number; deleted: Set<number>; unreachable: Unreachable }

const NONE_UNREACHABLE: Unreachable = { labels: [], vectors: new Float32Array(0), has: new Set() };

export class VectorIndex {
  private native: HnswNative;
  private readonly deleted: Set<number>;
  /** True while write() has the file being written on another thread. */
  private writing = false;
  /**
   * The nodes of the file this index was read from that the graph cannot reach (about one in
   * 200–500 at M 8: pruning can drop every link to a node), scored exactly by every search so that
   * no mention is out of a search's reach. Nodes added since are not looked at until the next read.
   */
  private unreachable: Unreachable = NONE_UNREACHABLE;

  private constructor(
    readonly dimension: number,
    native: HnswNative,
    private readonly m: number,
    private readonly efConstruction: number,
    private readonly seed: number,
    deleted: Set<number>,
  ) {
    this.native = native;
    this.deleted = deleted;
  }

  static create(dimension: number, options: VectorIndexOptions = {}): VectorIndex {
    if (!Number.isInteger(dimension) || dimension <= 0) throw new Error(`VectorIndex: invalid dimension ${dimension}`);
    const m = options.m ?? DEFAULT_M;
    const efc = options.efConstruction ?? DEFAULT_EF_CONSTRUCTION;
    const seed = options.seed ?? DEFAULT_SEED;
    const cap = Math.max(1, Math.ceil(options.initialCapacity ?? DEFAULT_CAPACITY));
    const native = new HierarchicalNSW('cosine', dimension);
    native.initIndex(cap, m, efc, seed, false);
    return new VectorIndex(dimension, native, m, efc, seed, new Set());
  }

  /** Loads an index written by write(). Throws a clear Error when the file is missing, corrupt or of another dimension. */
  static read(path: string, dimension: number): VectorIndex {
    const info = inspectIndexFile(path, dimension);
    const native = new HierarchicalNSW('cosine', dimension);
    try {
      native.readIndexSync(path, false);
    } catch (e) {
      throw new Error(`Vector index ${path} could not be loaded: ${(e as Error).message}`);
    }
    return VectorIndex.loaded(path, dimension, native, info);
  }

  /**
   * read() on a libuv thread. hnswlib's loader is bound by system calls (a seek per node while it
   * checks the file: ≈ 5 s at a million nodes on this machine), so a store parses its metadata on
   * this thread meanwhile. The file is checked here first, as read() does.
   */
  static async readAsync(path: string, dimension: number): Promise<VectorIndex> {
    const info = inspectIndexFile(path, dimension);
    const native = new HierarchicalNSW('cosine', dimension);
    try {
      await native.readIndex(path, false);
    } catch (e) {
      throw new Error(`Vector index ${path} could not be loaded: ${(e as Error).message}`);
    }
    return VectorIndex.loaded(path, dimension, native, info);
  }

  private static loaded(path: string, dimension: number, native: HnswNative, info: FileInfo): VectorIndex {
    if (native.getCurrentCount() !== info.count) throw new Error(`Vector index ${path} is corrupt (element count mismatch)`);
    const index = new VectorIndex(dimension, native, info.m, info.efConstruction, DEFAULT_SEED, info.deleted);
    index.unreachable = info.unreachable;
    return index;
  }

  add(label: number, vector: Float32Array): void {
    this.assertNotWriting();
    checkLabel(label);
    if (vector.length !== this.dimension) throw new Error(`VectorIndex: vector has dimension ${vector.length}, expected ${this.dimension}`);
    const count = this.native.getCurrentCount();
    const max = this.native.getMaxElements();
    if (count >= max) this.native.resizeIndex(Math.max(max * 2, 16));
    this.native.addPoint(Array.from(vector), label, false); // existing label (even deleted): updated and undeleted
    this.deleted.delete(label);
    if (this.unreachable.has.has(label)) this.unreachable = withoutLabel(this.unreachable, label, this.dimension);
  }

  remove(label: number): void {
    this.assertNotWriting();
    if (this.deleted.has(label)) return;
    try {
      this.native.markDelete(label);
    } catch {
      return; // unknown label
    }
    this.deleted.add(label);
  }

  /** Marked deleted (cheap: no vector is read). */
  isDeleted(label: number): boolean { return this.deleted.has(label); }

  has(label: number): boolean {
    return !this.deleted.has(label) && this.vector(label) !== undefined;
  }

  /** The k nearest stored vectors by cosine; score = dot product of the query with the (unit) stored vector. */
  search(vector: Float32Array, k: number, ef?: number): Array<{ label: number; score: number }> {
    if (vector.length !== this.dimension) throw new Error(`VectorIndex: query has dimension ${vector.length}, expected ${this.dimension}`);
    const n = this.size;
    const kk = Math.min(Math.floor(k), n);
    if (kk <= 0) return [];
    this.native.setEf(Math.max(ef ?? defaultEf(n), kk));
    const res = this.native.searchKnn(Array.from(vector), kk);
    // Stored vectors are unit; the query need not be (a hubness-corrected query carries its score
    // scale in its norm), so the score is the dot product: cosine × ‖query‖.
    let norm = 0;
    for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
    norm = Math.sqrt(norm);
    const out: Array<{ label: number; score: number }> = new Array(res.neighbors.length);
    for (let i = 0; i < res.neighbors.length; i++) out[i] = { label: res.neighbors[i], score: (1 - res.distances[i]) * norm };
    return this.unreachable.labels.length ? this.withUnreachable(vector, out, kk) : out;
  }

  /** The graph's hits and the unreachable nodes, scored exactly (dot product, as above), best `k`. */
  private withUnreachable(vector: Float32Array, hits: Array<{ label: number; score: number }>, k: number): Array<{ label: number; score: number }> {
    const { labels, vectors } = this.unreachable;
    const returned = new Set(hits.map((h) => h.label));
    const dim = this.dimension;
    const min = hits.length >= k ? hits[hits.length - 1].score : -Infinity;
    let added = false;
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i];
      if (this.deleted.has(label) || returned.has(label)) continue;
      let score = 0;
      for (let d = 0, o = i * dim; d < dim; d++) score += vector[d] * vectors[o + d];
      if (score > min) { hits.push({ label, score }); added = true; }
    }
    return added ? hits.sort((a, b) => b.score - a.score).slice(0, k) : hits;
  }

  get size(): number { return this.native.getCurrentCount() - this.deleted.size; }
  /** Nodes of the file read that no other node links to (scored exactly by each search). */
  get unreachableCount(): number { return this.unreachable.labels.length; }
  get deletedCount(): number { return this.deleted.size; }
  get capacity(): number { return this.native.getMaxElements(); }

  /** Live labels (not deleted). */
  labels(): number[] {
    return this.native.getIdsList().filter((l) => !this.deleted.has(l));
  }

  vector(label: number): Float32Array | undefined {
    if (this.deleted.has(label)) return undefined;
    try {
      return Float32Array.from(this.native.getPoint(label));
    } catch {
      return undefined;
    }
  }

  /** Rebuilds without deleted elements when they exceed `threshold` of the total (default 0.3). Returns whether it compacted. */
  compactIfNeeded(threshold = 0.3): boolean {
    this.assertNotWriting();
    const total = this.native.getCurrentCount();
    if (this.deleted.size === 0 || this.deleted.size <= threshold * total) return false;
    const live = this.labels();
    const native = new HierarchicalNSW('cosine', this.dimension);
    native.initIndex(Math.max(DEFAULT_CAPACITY, Math.ceil(live.length * 1.25)), this.m, this.efConstruction, this.seed, false);
    for (const label of live) native.addPoint(this.native.getPoint(label), label, false);
    this.native = native;
    this.deleted.clear();
    this.unreachable = NONE_UNREACHABLE; // a new graph
    return true;
  }

  /**
   * Atomic: writes `<path>.tmp`, fsyncs, renames over `path`. The file is written on a libuv
   * thread (seconds for a few hundred thousand vectors), so searches go on meanwhile; adding,
   * removing or compacting before it resolves throws, as the file must be one consistent graph.
   */
  async write(path: string): Promise<void> {
    const tmp = `${path}.tmp`;
    this.writing = true;
    try {
      if (!(await this.native.writeIndex(tmp))) throw new Error(`Vector index could not be written to ${tmp}`);
      const file = await open(tmp, 'r+');
      try { await file.sync(); } finally { await file.close(); } // fsync of a large file: also off the loop
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    } finally {
      this.writing = false;
    }
  }

  private assertNotWriting(): void {
    if (this.writing) throw new Error('VectorIndex: changed while its file is being written (await write() first)');
  }
}

function withoutLabel(u: Unreachable, label: number, dim: number): Unreachable {
  const keep = u.labels.flatMap((l, i) => (l === label ? [] : [i]));
  const vectors = new Float32Array(keep.length * dim);
  keep.forEach((i, row) => vectors.set(u.vectors.subarray(i * dim, (i + 1) * dim), row * dim));
  const labels = keep.map((i) => u.labels[i]);
  return { labels, vectors, has: new Set(labels) };
}

function checkLabel(label: number): void {
  if (!Number.isInteger(label) || label < 0 || label > 0xffffffff) throw new Error(`VectorIndex: invalid label ${label}`);
}

/** Chunked sequential reader over a file. */
class ChunkReader {
  private buf: Buffer;
  private bufStart = 0;
  private valid = 0;
  constructor(private readonly fd: number, private readonly fileSize: number, chunk = 8 << 20) {
    this.buf = Buffer.alloc(chunk);
  }
  /** A buffer and offset where bytes [pos, pos+len) are available, or undefined past EOF. */
  at(pos: number, len: number): { buf: Buffer; off: number } | undefined {
    if (pos + len > this.fileSize) return undefined;
    if (pos < this.bufStart || pos + len > this.bufStart + this.valid) {
      if (this.buf.length < len) this.buf = Buffer.alloc(len);
      const size = Math.min(this.buf.length, this.fileSize - pos);
      let got = 0;
      while (got < size) {
        const n = readSync(this.fd, this.buf, got, size - got, pos + got);
        if (n <= 0) break;
        got += n;
      }
      this.bufStart = pos;
      this.valid = got;
      if (got < len) return undefined;
    }
    return { buf: this.buf, off: pos - this.bufStart };
  }
}

/** Validates an hnswlib index file (format of hnswlib 0.7/0.8 saveIndex) and collects its deleted labels. */
function inspectIndexFile(path: string, dimension: number): FileInfo {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new Error(`Vector index ${path} cannot be opened: ${(e as Error).message}`);
  }
  try {
    const fileSize = fstatSync(fd).size;
    const bad = (why: string) => new Error(`Vector index ${path} is corrupt or not an HNSW index (${why})`);
    if (fileSize < HEADER_BYTES) throw bad(`file is ${fileSize} bytes, shorter than the header`);
    const h = Buffer.alloc(HEADER_BYTES);
    readSync(fd, h, 0, HEADER_BYTES, 0);
    const u64 = (off: number) => {
      const v = h.readBigUInt64LE(off);
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(`header field at ${off} out of range`);
      return Number(v);
    };
    const offsetLevel0 = u64(0), maxElements = u64(8), count = u64(16), sizePerElement = u64(24);
    const labelOffset = u64(32), offsetData = u64(40);
    const maxLevel = h.readInt32LE(48);
    const enterpoint = h.readUInt32LE(52);
    const maxM = u64(56), maxM0 = u64(64), m = u64(72);
    const mult = h.readDoubleLE(80);
    const efConstruction = u64(88);
    const linksLevel0 = maxM0 * 4 + 4;
    if (offsetLevel0 !== 0) throw bad('offsetLevel0');
    if (m < 2 || m > 10000 || maxM !== m || maxM0 !== 2 * m) throw bad('M fields');
    if (offsetData !== linksLevel0) throw bad('data offset');
    if (labelOffset !== linksLevel0 + dimension * 4) throw bad(`record layout does not match dimension ${dimension}`);
    if (sizePerElement !== labelOffset + 8) throw bad('element size');
    if (count > maxElements) throw bad('element count exceeds capacity');
    // hnswlib allocates the whole capacity on load: one flipped bit there asks for gigabytes before
    // any check sees the rest. An index grows by doubling (and is compacted to 1.25× its live
    // count), so a capacity beyond twice the count, or the default, was not written by VectorIndex.
    if (maxElements > Math.max(2 * count, DEFAULT_CAPACITY, MAX_FREE_CAPACITY_FROM_OPTIONS)) throw bad(`capacity ${maxElements} for ${count} elements`);
    if (count > 0 && (enterpoint >= count || maxLevel < 0 || maxLevel > 64)) throw bad('entry point');
    if (!(mult > 0 && mult < 10)) throw bad('level multiplier');
    const dataEnd = HEADER_BYTES + count * sizePerElement;
    if (dataEnd > fileSize) throw bad(`truncated: ${fileSize} bytes, data needs ${dataEnd}`);
    const reader = new ChunkReader(fd, fileSize);
    const deleted = new Set<number>();
    const labelAt = (buf: Buffer, off: number) => buf.readUInt32LE(off + labelOffset + 4) * 0x100000000 + buf.readUInt32LE(off + labelOffset);
    // Level-0 links: checked (hnswlib follows them unchecked, so a bad one would crash a search)
    // and counted, to find the nodes none links to.
    const inLinks = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const base = HEADER_BYTES + i * sizePerElement;
      const r = reader.at(base, sizePerElement);
      if (!r) throw bad('truncated data');
      if (r.buf[r.off + 2] & 1) deleted.add(labelAt(r.buf, r.off));
      const links = r.buf.readUInt16LE(r.off);
      if (links > maxM0) throw bad(`node ${i} has ${links} links, more than ${maxM0}`);
      for (let j = 0; j < links; j++) {
        const to = r.buf.readUInt32LE(r.off + 4 + 4 * j);
        if (to >= count) throw bad(`node ${i} links to node ${to} of ${count}`);
        if (inLinks[to] < 255) inLinks[to]++;
      }
    }
    const unreachableIds: number[] = [];
    for (let i = 0; i < count; i++) if (inLinks[i] === 0 && i !== enterpoint) unreachableIds.push(i);
    const unreachable = { labels: [] as number[], vectors: new Float32Array(unreachableIds.length * dimension) };
    for (const i of unreachableIds) {
      const r = reader.at(HEADER_BYTES + i * sizePerElement, sizePerElement)!;
      const label = labelAt(r.buf, r.off);
      if (deleted.has(label)) continue;
      const row = unreachable.labels.push(label) - 1;
      for (let d = 0; d < dimension; d++) unreachable.vectors[row * dimension + d] = r.buf.readFloatLE(r.off + offsetData + 4 * d);
    }
    unreachable.vectors = unreachable.vectors.subarray(0, unreachable.labels.length * dimension);
    const linksPerElement = maxM * 4 + 4;
    let pos = dataEnd;
    for (let i = 0; i < count; i++) {
      const r = reader.at(pos, 4);
      if (!r) throw bad('truncated link lists');
      const size = r.buf.readUInt32LE(r.off);
      if (size % linksPerElement !== 0 || size / linksPerElement > 64) throw bad('link list size');
      pos += 4 + size;
    }
    if (pos !== fileSize) throw bad(pos > fileSize ? 'truncated link lists' : 'trailing bytes');
    return { maxElements, count, m, efConstruction, deleted, unreachable: { ...unreachable, has: new Set(unreachable.labels) } };
  } finally {
    closeSync(fd);
  }
}
