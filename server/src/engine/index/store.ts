// The mention store: documents → paragraphs → mentions, with vectors in a VectorIndex.
//
// On-disk layout (one folder):
//   store.json            manifest {format, version, identity, generation, checksums (CRC-32 of the
//                         graph and vectors files, checked at open)}; written tmp+fsync+rename = commit point
//   index-<gen>.hnsw      HNSW snapshot of generation <gen>          (absent for generation 0 = empty)
//   meta-<gen>.ndjson     metadata snapshot: header line, then one compact line per document
//   vectors-<gen>.bin     own vectors of the mentions whose graph node holds their name group's
//                         mean (dedupIndex.ts); absent when there are none
//   journal-<gen>.ndjson  write-ahead journal of changes since the snapshot (one JSON line per change,
//                         new vectors included as base64 float32); a torn last line is ignored
//   lock                  the writer's pid and start (processLock.ts); a lock whose writer no longer
//                         runs is taken over
// Every journal line is written with one write(2) before putDocument/removeDocument/renameDocument
// return, so the change survives kill -9 (the page cache outlives the process). checkpoint() writes
// generation+1 snapshot files, fsyncs them, commits the manifest, then deletes the old generation;
// the HNSW file is written off the event loop, so searches go on meanwhile, while changes are
// refused until the checkpoint resolves.
import {
  closeSync, existsSync, fsyncSync, ftruncateSync, linkSync, openSync, readdirSync, readFileSync, readSync,
  renameSync, rmSync, statSync, writeFileSync, writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Logger, Range, Yielder } from '../types.ts';
import { nullLogger } from '../types.ts';
import { VectorIndex } from './vectorIndex.ts';
import { DedupIndex } from './dedupIndex.ts';
import { LabelTable } from './labelTable.ts';
import { checksumOf, fileChecksum } from './checksum.ts';
import { makeFolder } from '../makeFolder.ts';
import { describeHolder, lockHolderRunning, ownLockRecord, parseLockRecord, type LockHolder } from '../processLock.ts';

export interface StoredMention { label: number; start: number; end: number; range: Range; text: string }
export interface StoredParagraph { hash: string; start: number; end: number; mentions: StoredMention[] }
export interface StoredDocument { path: string; docId?: string; contentHash: string; size: number; mtimeMs: number; paragraphs: StoredParagraph[] }
export interface StoreIdentity { encoderId: string; detectorId: string; dimension: number }

export type StoreErrorCode = 'corrupt' | 'foreign' | 'mismatch' | 'locked';
export class StoreError extends Error {
  constructor(readonly code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

const FORMAT = 'ner-retriever-store';
/**
 * 2: the snapshot's metadata also lists the mentions that share another mention's vector node,
 * and the nodes' vector hashes (v1 stores read as they are).
 * 3: members of a name group keep vectors of their own, in `vectors-<gen>.bin` (dedupIndex.ts).
 */
const VERSION = 3;
const READABLE_VERSIONS = new Set([1, 2, 3]);
const MANIFEST = 'store.json';
const LOCK = 'lock';
/** Names the store may create; anything else in the folder is "foreign" and is never deleted. */
const OWN_FILE = /^(store\.json|lock|(index|meta|journal|vectors)-\d+\.(hnsw|ndjson|bin))(\.tmp(-\d+)?)?$|\.tmp(-\d+)?$/;
const GEN_FILE = /^(index|meta|journal|vectors)-(\d+)\.(hnsw|ndjson|bin)$/;

interface Manifest {
  format: string; version: number; identity: StoreIdentity; generation: number;
  /** The store folder's absolute path when a writer last committed it (absent in older stores). */
  location?: string;
  /**
   * CRC-32 of the graph and vectors files by name (checksum.ts); absent in stores written before.
   * The metadata is JSON, checked as it is parsed, and a damaged vector-hash record in it costs
   * only sharing: no checksum, which would make it cost the store.
   */
  checksums?: Record<string, number>;
}

// Compact encodings (also the journal's document encoding).
// doc: [path, docId|null, contentHash, size, mtimeMs, paragraphs]
// paragraph: [hash, start, end, mentions] ; mentions flat: label,start,end,sl,sc,el,ec,text,...
type EncParagraph = [string, number, number, Array<number | string>];
type EncDoc = [string, string | null, string, number, number, EncParagraph[]];

function encodeDoc(d: StoredDocument): EncDoc {
  return [d.path, d.docId ?? null, d.contentHash, d.size, d.mtimeMs, d.paragraphs.map((p) => {
    const flat: Array<number | string> = [];
    for (const m of p.mentions) {
      flat.push(m.label, m.start, m.end, m.range.start.line, m.range.start.character, m.range.end.line, m.range.end.character, m.text);
    }
    return [p.hash, p.start, p.end, flat];
  })];
}

function decodeDoc(e: EncDoc): StoredDocument {
  if (!Array.isArray(e) || e.length !== 6 || typeof e[0] !== 'string' || !Array.isArray(e[5])) throw new Error('bad document record');
  const paragraphs: StoredParagraph[] = e[5].map((p) => {
    const flat = p[3];
    if (!Array.isArray(flat) || flat.length % 8 !== 0) throw new Error('bad paragraph record');
    const mentions: StoredMention[] = new Array(flat.length / 8);
    for (let i = 0, j = 0; i < flat.length; i += 8, j++) {
      mentions[j] = {
        label: flat[i] as number, start: flat[i + 1] as number, end: flat[i + 2] as number,
        range: { start: { line: flat[i + 3] as number, character: flat[i + 4] as number }, end: { line: flat[i + 5] as number, character: flat[i + 6] as number } },
        text: flat[i + 7] as string,
      };
    }
    return { hash: p[0], start: p[1], end: p[2], mentions };
  });
  const doc: StoredDocument = { path: e[0], contentHash: e[2], size: e[3], mtimeMs: e[4], paragraphs };
  if (e[1] !== null) doc.docId = e[1];
  return doc;
}

function vecToB64(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}
function b64ToVec(s: string, dim: number): Float32Array {
  const b = Buffer.from(s, 'base64');
  if (b.length !== dim * 4) throw new Error(`vector of ${b.length} bytes, expected ${dim * 4}`);
  const out = new Float32Array(dim);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** Number pairs as snapshot lines `{"<key>": [a, b, a, b, …]}` of at most 100k pairs each. */
function pairLines(key: string, pairs: Iterable<[number, number]>): string[] {
  const lines: string[] = [];
  let flat: number[] = [];
  for (const [a, b] of pairs) {
    flat.push(a, b);
    if (flat.length >= 200_000) { lines.push(JSON.stringify({ [key]: flat })); flat = []; }
  }
  if (flat.length) lines.push(JSON.stringify({ [key]: flat }));
  return lines;
}

/**
 * A put's new vectors by name: the mentions with the same text (case-insensitive), in document
 * order. Each group may share one graph node (DedupIndex.addGroup); the grouping depends only on
 * the put, so replaying the journal makes the same nodes.
 */
function nameGroups(doc: StoredDocument, newVectors: Map<number, Float32Array>): Array<Array<[number, Float32Array]>> {
  const groups = new Map<string, Array<[number, Float32Array]>>();
  for (const p of doc.paragraphs) {
    for (const m of p.mentions) {
      const v = newVectors.get(m.label);
      if (!v) continue;
      const key = m.text.toLowerCase();
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push([m.label, v]);
    }
  }
  return [...groups.values()];
}

// vectors-<gen>.bin: "NERVEC01", dimension and count (uint32 LE), the labels (uint32 LE), then
// the vectors (float32), all of a snapshot's mentions that have a vector of their own.
const VECTORS_MAGIC = 'NERVEC01';

function encodeOwnVectors(entries: Iterable<[number, Float32Array]>, dim: number): Buffer {
  const list = [...entries];
  const buf = Buffer.alloc(16 + list.length * 4 * (1 + dim));
  buf.write(VECTORS_MAGIC, 0, 'latin1');
  buf.writeUInt32LE(dim, 8);
  buf.writeUInt32LE(list.length, 12);
  let off = 16;
  for (const [label] of list) { buf.writeUInt32LE(label, off); off += 4; }
  // Host byte order, as the HNSW file's (every platform Node supports is little-endian).
  for (const [, v] of list) { buf.set(new Uint8Array(v.buffer, v.byteOffset, dim * 4), off); off += dim * 4; }
  return buf;
}

function decodeOwnVectors(buf: Buffer, dim: number, count: number): Array<[number, Float32Array]> {
  if (buf.length < 16 || buf.toString('latin1', 0, 8) !== VECTORS_MAGIC) throw new Error('not a vectors file');
  if (buf.readUInt32LE(8) !== dim) throw new Error(`vectors of dimension ${buf.readUInt32LE(8)}, expected ${dim}`);
  if (buf.readUInt32LE(12) !== count) throw new Error(`${buf.readUInt32LE(12)} vectors, the metadata says ${count}`);
  if (buf.length !== 16 + count * 4 * (1 + dim)) throw new Error(`${buf.length} bytes, expected ${16 + count * 4 * (1 + dim)}`);
  const all = new Float32Array(count * dim);
  const base = 16 + count * 4;
  new Uint8Array(all.buffer).set(buf.subarray(base));
  const out: Array<[number, Float32Array]> = new Array(count);
  for (let j = 0; j < count; j++) out[j] = [buf.readUInt32LE(16 + 4 * j), all.subarray(j * dim, (j + 1) * dim)];
  return out;
}

function* labelsOf(doc: StoredDocument): Generator<number> {
  for (const p of doc.paragraphs) for (const m of p.mentions) yield m.label;
}

function fsyncPath(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch { /* directories cannot be fsynced on some platforms */ }
}

// Temp names carry the pid: a process never renames another's half-written file into place.
function writeFileAtomic(path: string, data: string | Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally { closeSync(fd); }
  renameSync(tmp, path);
}

/** writeFileAtomic off the event loop (a snapshot's vectors file can be tens of MB). */
async function writeFileAtomicAsync(path: string, data: Buffer): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const file = await open(tmp, 'w');
  try {
    await file.writeFile(data);
    await file.sync();
  } finally { await file.close(); }
  renameSync(tmp, path);
}

/** Folders opened by this process (a second open in the same process is 'locked' too). */
const openDirs = new Set<string>();

export class MentionStore {
  readonly dir: string;
  readonly identity: StoreIdentity;
  private readonly logger: Logger;
  private index: VectorIndex;
  /** The mentions' view of `index`: identical vectors share a node (dedupIndex.ts). */
  private dedup: DedupIndex;
  private generation: number;
  private docs = new Map<string, StoredDocument>();
  /**
   * Each mention and its document by label: a search with the type-membership boost looks up a
   * thousand candidates, spread over as many documents.
   */
  private labels = new LabelTable<StoredDocument, StoredMention>();
  /** Documents by content hash, to recognise a moved file without looking at every document. */
  private byContent = new Map<string, Set<StoredDocument>>();
  private nextLabel = 0;
  private journalFd = -1;
  private journalBytes = 0;
  private dirty = false;
  private closed = false;
  /** Opened for searching only: no lock, no journal writes, nothing changed on disk. */
  private readOnly = false;

  private constructor(dir: string, identity: StoreIdentity, logger: Logger, index: VectorIndex, generation: number) {
    this.dir = dir;
    this.identity = { ...identity };
    this.logger = logger;
    this.index = index;
    this.dedup = new DedupIndex(index);
    this.generation = generation;
  }

  static async open(dir: string, identity: StoreIdentity, options: { rebuild?: boolean; readOnly?: boolean; logger?: Logger } = {}): Promise<MentionStore> {
    const logger = options.logger ?? nullLogger;
    const abs = resolve(dir);
    // Checked before anything is written: a head with no outputs left a store.json of dimension 0.
    if (!Number.isInteger(identity.dimension) || identity.dimension <= 0) {
      throw new Error(`encoder ${identity.encoderId} gives ${identity.dimension}-dimensional vectors; a store needs at least one dimension (is its head file right?)`);
    }
    if (options.readOnly) return MentionStore.openReadOnly(abs, identity, logger);
    makeFolder(abs);
    const entries = readdirSync(abs);
    const foreign = entries.filter((n) => !OWN_FILE.test(n));
    const hasManifest = entries.includes(MANIFEST);
    let manifest: Manifest | undefined;
    let manifestError: string | undefined;
    if (hasManifest) {
      try {
        manifest = JSON.parse(readFileSync(join(abs, MANIFEST), 'utf8')) as Manifest;
        if (!manifest || typeof manifest !== 'object') throw new Error('not an object');
      } catch (e) {
        manifestError = `unreadable manifest ${MANIFEST}: ${(e as Error).message}`;
        manifest = undefined;
      }
    }
    if (manifest && manifest.format !== FORMAT) {
      throw new StoreError('foreign', `${abs} contains a ${MANIFEST} that is not a NER Retriever store; refusing to use it`);
    }
    // Without a valid manifest the folder is only ours if everything in it has our names.
    if (!manifest && foreign.length > 0) {
      throw new StoreError('foreign', `${abs} contains files that are not a NER Retriever store (${someNames(foreign)}); refusing to use or delete it`);
    }

    acquireLock(abs);
    try {
      if (options.rebuild || !hasManifest) {
        if (options.rebuild) logger.info(`Rebuilding mention store in ${abs}`);
        // recursive: a damaged store may hold a folder under one of its file names.
        for (const n of entries) if (n !== LOCK && OWN_FILE.test(n)) rmSync(join(abs, n), { force: true, recursive: true });
        const m: Manifest = { format: FORMAT, version: VERSION, identity: { ...identity }, generation: 0, location: abs };
        writeFileAtomic(join(abs, MANIFEST), JSON.stringify(m));
        fsyncPath(abs);
        const store = new MentionStore(abs, identity, logger, VectorIndex.create(identity.dimension), 0);
        store.openJournal(0);
        return store;
      }
      if (!manifest) throw corruptStore(abs, String(manifestError));
      if (!READABLE_VERSIONS.has(manifest.version) || !Number.isInteger(manifest.generation) || manifest.generation < 0 || !manifest.identity) {
        throw new StoreError('corrupt', `Mention store in ${abs} is corrupt or of an unsupported version (manifest ${JSON.stringify(manifest).slice(0, 200)})`);
      }
      const mi = manifest.identity;
      if (mi.encoderId !== identity.encoderId || mi.detectorId !== identity.detectorId || mi.dimension !== identity.dimension) throw mismatchError(abs, mi, identity);
      const store = await MentionStore.load(abs, identity, logger, manifest.generation, false, manifest.checksums);
      store.followMove(manifest.location);
      // Clean stale tmp files and other generations (left by a crash during checkpoint).
      for (const n of entries) {
        const g = GEN_FILE.exec(n);
        if ((g && Number(g[2]) !== manifest.generation) || (!g && n !== MANIFEST && n !== LOCK && OWN_FILE.test(n))) {
          rmSync(join(abs, n), { force: true, recursive: true });
        }
      }
      return store;
    } catch (e) {
      releaseLock(abs);
      throw e;
    }
  }

  /** The generation store.json names now (undefined if it cannot be read). */
  private static generationNow(dir: string): number | undefined {
    try { return (JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Partial<Manifest>).generation; } catch { return undefined; }
  }

  /**
   * A reader never takes the lock, so searches work while another process indexes. A writer's
   * checkpoint may replace the generation files mid-read: then the manifest is read again.
   */
  private static async openReadOnly(abs: string, identity: StoreIdentity, logger: Logger): Promise<MentionStore> {
    for (let attempt = 0; ; attempt++) {
      let manifest: Manifest;
      try {
        manifest = JSON.parse(readFileSync(join(abs, MANIFEST), 'utf8')) as Manifest;
      } catch (e) {
        const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
        if (!missing) throw corruptStore(abs, `unreadable manifest ${MANIFEST}: ${(e as Error).message}`);
        // Only our own files: a store that lost its manifest, which rebuild recreates; anything
        // else is a folder of other things, which rebuild refuses ('foreign').
        const foreign = readdirSync(abs).filter((n) => !OWN_FILE.test(n));
        throw foreign.length
          ? new StoreError('foreign', `${abs} is not a mention store (no ${MANIFEST}; it holds other files: ${someNames(foreign)})`)
          : new StoreError('corrupt', `${abs} is not a mention store (no ${MANIFEST})`);
      }
      if (!manifest || manifest.format !== FORMAT) throw new StoreError('foreign', `${abs} contains a ${MANIFEST} that is not a NER Retriever store`);
      if (!READABLE_VERSIONS.has(manifest.version) || !Number.isInteger(manifest.generation) || manifest.generation < 0 || !manifest.identity) {
        throw new StoreError('corrupt', `Mention store in ${abs} is corrupt or of an unsupported version (manifest ${JSON.stringify(manifest).slice(0, 200)})`);
      }
      const mi = manifest.identity;
      checkSearchIdentity(abs, mi, identity, attempt === 0 ? logger : nullLogger);
      try {
        const store = await MentionStore.load(abs, mi, logger, manifest.generation, true, manifest.checksums);
        // A checkpoint between reading the snapshot and its journal deletes that journal: what was
        // read is older than the store. Read again from the new generation.
        if (attempt < 3 && MentionStore.generationNow(abs) !== manifest.generation) {
          await store.close();
          continue;
        }
        store.followMove(manifest.location);
        return store;
      } catch (e) {
        // A checkpoint raced us, or the manifest is gone or unreadable now: the next round reads
        // it again and reports what is wrong with it (a parse error here would hide both).
        if (attempt < 3 && MentionStore.generationNow(abs) !== manifest.generation) continue;
        throw e;
      }
    }
  }

  private static async load(dir: string, identity: StoreIdentity, logger: Logger, gen: number, readOnly = false, checksums: Manifest['checksums'] = {}): Promise<MentionStore> {
    const corrupt = (what: string) => corruptStore(dir, what);
    const expected = (name: string) => (checksums && typeof checksums[name] === 'number' ? checksums[name] : undefined);
    const store = new MentionStore(dir, identity, logger, VectorIndex.create(identity.dimension), gen);
    store.readOnly = readOnly;
    if (gen > 0) {
      // The graph is read on a libuv thread while this one reads the documents and mentions: at
      // a million mentions each takes seconds (docs/benchmarks.md, "Twenty-third session").
      const indexPath = join(dir, `index-${gen}.hnsw`);
      const reading = VectorIndex.readAsync(indexPath, identity.dimension);
      // Checked alongside the read, and before anything searches the graph (checksum.ts).
      const indexSum = expected(`index-${gen}.hnsw`);
      const checking = indexSum === undefined ? undefined : fileChecksum(indexPath).then((sum) => sum === undefined || sum === indexSum, () => true);
      const metaPath = join(dir, `meta-${gen}.ndjson`);
      let meta: SnapshotMeta | undefined;
      let metaError: StoreError | undefined;
      try {
        meta = readSnapshotMeta(metaPath, readOnly);
        store.nextLabel = meta.nextLabel;
        for (const doc of meta.documents) store.insertDoc(doc);
        if (store.labels.size !== meta.mentions) throw corrupt(`${metaPath}: mention count mismatch`);
      } catch (e) {
        metaError = e instanceof StoreError ? e : corrupt(`${metaPath}: ${(e as Error).message}`);
      }
      try {
        store.adoptIndex(await reading);
      } catch (e) {
        throw corrupt((e as Error).message); // a bad graph is reported before bad metadata, as it always was
      }
      if (checking && !(await checking)) throw corrupt(`${indexPath} does not match its checksum (damaged after it was written)`);
      if (metaError || !meta) throw metaError ?? corrupt(`${metaPath}: unreadable`);
      try {
        for (const [alias] of meta.aliases) if (!store.labels.has(alias)) throw new Error(`alias of unknown mention ${alias}`);
        store.dedup.restoreAliases(meta.aliases, (node) => store.labels.has(node));
      } catch (e) {
        throw corrupt(`${metaPath}: ${(e as Error).message}`);
      }
      if (meta.ownVectors > 0) {
        const vectorsPath = join(dir, `vectors-${gen}.bin`);
        try {
          const bytes = readFileSync(vectorsPath);
          const vectors = decodeOwnVectors(bytes, identity.dimension, meta.ownVectors);
          const sum = expected(`vectors-${gen}.bin`);
          if (sum !== undefined && checksumOf(bytes) !== sum) throw new Error('does not match its checksum (damaged after it was written)');
          store.dedup.restoreOwnVectors(vectors, (l) => store.labels.has(l));
        } catch (e) {
          throw corrupt(`${vectorsPath}: ${(e as Error).message}`);
        }
      }
      try {
        // Vector hashes only matter to a writer (to find the node of a copy), and only once it
        // inserts: parsed then. They are an optimisation, so a damaged record is only logged.
        const { hashRecords } = meta;
        if (hashRecords.length) store.dedup.restoreHashesLater(() => parseHashRecords(hashRecords, metaPath, logger));
      } catch (e) {
        throw corrupt(`${metaPath}: ${(e as Error).message}`);
      }
      // Every mention must have a vector, and the index must hold nothing else.
      if (store.dedup.mentionCount !== store.labels.size) {
        store.dedup.dropOrphans((l) => store.labels.has(l));
        if (store.dedup.mentionCount !== store.labels.size) throw corrupt(`index-${gen}.hnsw holds vectors for ${store.dedup.mentionCount} mentions, the metadata ${store.labels.size}`);
      }
    }
    store.replayJournal();
    return store;
  }

  /** The snapshot's graph, read while the documents were (load): replaces the empty one the store was made with. */
  private adoptIndex(index: VectorIndex): void {
    this.index = index;
    this.dedup = new DedupIndex(index);
  }

  private insertDoc(doc: StoredDocument): void {
    this.docs.set(doc.path, doc);
    let same = this.byContent.get(doc.contentHash);
    if (!same) this.byContent.set(doc.contentHash, (same = new Set()));
    same.add(doc);
    for (const p of doc.paragraphs) {
      for (const m of p.mentions) {
        this.labels.set(m.label, doc, m);
        if (m.label >= this.nextLabel) this.nextLabel = m.label + 1;
      }
    }
  }

  private deleteDoc(doc: StoredDocument): void {
    this.docs.delete(doc.path);
    const same = this.byContent.get(doc.contentHash);
    if (same?.delete(doc) && same.size === 0) this.byContent.delete(doc.contentHash);
    for (const l of labelsOf(doc)) if (this.labels.document(l) === doc) this.labels.delete(l);
  }

  private replayJournal(): void {
    const path = join(this.dir, `journal-${this.generation}.ndjson`);
    let good = 0;
    if (existsSync(path)) {
      let buf: Buffer;
      try { buf = readFileSync(path); } catch (e) { throw corruptStore(this.dir, `${path}: ${(e as Error).message}`); }
      let pos = 0;
      let lineNo = 0;
      while (pos < buf.length) {
        const nl = buf.indexOf(10, pos);
        if (nl < 0) { this.logger.warn(`Mention store: ignoring a torn last journal record in ${path}`); break; }
        lineNo++;
        let rec: JournalRecord;
        try {
          rec = JSON.parse(buf.toString('utf8', pos, nl)) as JournalRecord;
        } catch {
          if (buf.indexOf(10, nl + 1) < 0) { this.logger.warn(`Mention store: ignoring a torn last journal record in ${path}`); break; }
          throw new StoreError('corrupt', `Mention store in ${this.dir} is corrupt: ${path} line ${lineNo} is not valid JSON`);
        }
        try {
          this.apply(rec);
        } catch (e) {
          throw new StoreError('corrupt', `Mention store in ${this.dir} is corrupt: ${path} line ${lineNo}: ${(e as Error).message}`);
        }
        pos = nl + 1;
        good = pos;
      }
      if (good > 0 && !this.readOnly) this.dirty = true;
    }
    if (!this.readOnly) this.openJournal(this.generation, good);
  }

  private openJournal(gen: number, keepBytes = 0): void {
    const path = join(this.dir, `journal-${gen}.ndjson`);
    const fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    if (statSync(path).size !== keepBytes) ftruncateSync(fd, keepBytes); // drop a torn tail before appending
    this.journalFd = fd;
    this.journalBytes = keepBytes;
  }

  private append(line: string): void {
    if (this.readOnly) throw new Error(`Mention store ${this.dir} was opened read-only`);
    const b = Buffer.from(line + '\n');
    let off = 0;
    while (off < b.length) off += writeSync(this.journalFd, b, off, b.length - off, this.journalBytes + off);
    this.journalBytes += b.length;
    this.dirty = true;
  }

  private apply(rec: JournalRecord): void {
    if (rec.op === 'put') {
      const vectors = new Map<number, Float32Array>();
      for (const [l, s] of rec.vectors) vectors.set(l, b64ToVec(s, this.identity.dimension));
      const doc = decodeDoc(rec.doc);
      this.check(doc, vectors);
      this.applyPut(doc, vectors);
    } else if (rec.op === 'rm') {
      const doc = this.docs.get(rec.path);
      if (doc) this.applyRemove(doc);
    } else if (rec.op === 'mv') {
      this.applyRename(rec.from, rec.to);
    } else {
      throw new Error(`unknown journal operation ${(rec as { op: string }).op}`);
    }
  }

  private check(doc: StoredDocument, newVectors: Map<number, Float32Array>): void {
    const prev = this.docs.get(doc.path);
    const seen = new Set<number>();
    for (const l of labelsOf(doc)) {
      if (seen.has(l)) throw new Error(`putDocument(${doc.path}): label ${l} used twice`);
      seen.add(l);
      const owner = this.labels.document(l);
      if (owner && owner !== prev) throw new Error(`putDocument(${doc.path}): label ${l} belongs to ${owner.path}`);
      if (!newVectors.has(l) && !(owner && owner === prev)) throw new Error(`putDocument(${doc.path}): label ${l} has no vector`);
    }
    for (const [l, v] of newVectors) {
      if (!seen.has(l)) throw new Error(`putDocument(${doc.path}): vector for label ${l} that is not a mention of the document`);
      if (v.length !== this.identity.dimension) throw new Error(`putDocument(${doc.path}): vector of dimension ${v.length}, expected ${this.identity.dimension}`);
    }
  }

  private applyPut(doc: StoredDocument, newVectors: Map<number, Float32Array>): void {
    const prev = this.docs.get(doc.path);
    for (const group of nameGroups(doc, newVectors)) this.dedup.addGroup(group);
    if (prev) {
      const keep = new Set(labelsOf(doc));
      for (const l of labelsOf(prev)) if (!keep.has(l)) this.dedup.remove(l);
      this.deleteDoc(prev);
    }
    this.insertDoc(doc);
  }

  private applyRemove(doc: StoredDocument): void {
    for (const l of labelsOf(doc)) this.dedup.remove(l);
    this.deleteDoc(doc);
  }

  /**
   * The store folder was moved or copied along with the folder it sits in (`mv notes notes2`, the
   * default store `notes/.ner-retriever` with it): the documents of the old folder are the ones at
   * the same place in the new folder, so they are renamed there — journaled by a writer, in memory
   * for a reader — instead of leaving every hit twice, once under a folder that is gone. Only
   * when the files are there: a store moved on its own keeps its documents' paths.
   */
  private followMove(recorded: string | undefined): void {
    if (typeof recorded !== 'string' || recorded === this.dir) return;
    const from = dirname(recorded);
    const to = dirname(this.dir);
    if (from === to) return;
    const prefix = from.endsWith('/') ? from : `${from}/`;
    const moved = [...this.docs.values()].filter((d) => d.docId === undefined && d.path.startsWith(prefix)).map((d) => d.path);
    const target = (path: string) => join(to, path.slice(prefix.length));
    const sample = moved.slice(0, 16);
    if (!sample.length || sample.filter((p) => existsSync(target(p))).length * 2 < sample.length) return;
    for (const path of moved) {
      // A document already at the new place (indexed there since) is the newer one.
      const stale = this.docs.has(target(path));
      if (this.readOnly) {
        if (stale) this.applyRemove(this.docs.get(path)!);
        else this.applyRename(path, target(path));
      } else if (stale) this.removeDocument(path);
      else this.renameDocument(path, target(path));
    }
    // A reader does this at every open until a writer records the new place: said once, by the writer.
    const say = this.readOnly ? this.logger.debug.bind(this.logger) : this.logger.info.bind(this.logger);
    say(`Mention store ${this.dir} was at ${recorded}: ${moved.length} documents under ${from} are now under ${to}`);
  }

  private applyRename(from: string, to: string): void {
    const doc = this.docs.get(from);
    if (!doc || from === to) return;
    const existing = this.docs.get(to);
    if (existing) this.applyRemove(existing);
    this.docs.delete(from);
    doc.path = to;
    this.docs.set(to, doc);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`Mention store ${this.dir} is closed`);
  }

  /** Open, and no snapshot being written (a change now would not match the snapshot's files). */
  private assertWritable(): void {
    this.assertOpen();
    if (this.snapshot) throw new Error(`Mention store ${this.dir} is writing a snapshot: await checkpoint() or settled() before changing it`);
  }

  /** The snapshot being written by checkpoint(), if any; searches and reads go on meanwhile. */
  private snapshot: Promise<void> | undefined;

  /** Resolves when no snapshot is being written, i.e. when the store may be changed again. */
  async settled(): Promise<void> {
    while (this.snapshot) await this.snapshot.catch(() => {});
  }

  /**
   * Whether the files on disk still belong to this open store: the manifest is ours and at our
   * generation and the journal exists. Anything else means something outside deleted or damaged
   * them, and what we write next would not survive a restart. Returns the problem, if any.
   */
  diskProblem(): string | undefined {
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(join(this.dir, MANIFEST), 'utf8')) as Manifest;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'its manifest was deleted' : `its manifest is unreadable (${(e as Error).message})`;
    }
    if (!manifest || manifest.format !== FORMAT || manifest.generation !== this.generation) return 'its manifest was changed by something else';
    if (!this.readOnly && !existsSync(join(this.dir, `journal-${this.generation}.ndjson`))) return 'its journal was deleted';
    return undefined;
  }

  getDocument(path: string): StoredDocument | undefined { return this.docs.get(path); }
  documents(): IterableIterator<StoredDocument> { return this.docs.values(); }
  /** The documents whose content hash is `contentHash`. */
  documentsWithContent(contentHash: string): Iterable<StoredDocument> { return this.byContent.get(contentHash) ?? []; }
  allocateLabel(): number { return this.nextLabel++; }

  /** Replaces the document (or adds it); see the module comment for durability. Throws on inconsistent labels. */
  putDocument(doc: StoredDocument, newVectors: Map<number, Float32Array>): void {
    const copy = this.journalPut(doc, newVectors);
    this.applyPut(copy, newVectors);
  }

  /**
   * putDocument in time slices: the vectors go into the HNSW graph a few at a time, yielding the
   * event loop in between (an insert costs ~0.4 ms; a large document holds hundreds). Durable as
   * soon as it starts (the journal line is written first); searches in between never see the
   * document's new mentions until it is complete. Callers must not write concurrently.
   */
  async putDocumentSliced(doc: StoredDocument, newVectors: Map<number, Float32Array>, yielder: Yielder): Promise<void> {
    const copy = this.journalPut(doc, newVectors);
    for (const group of nameGroups(copy, newVectors)) {
      this.dedup.addGroup(group);
      const pause = yielder.maybeYield();
      if (pause) { await pause; if (this.closed) return; } // the journal replays the rest at the next open
    }
    this.applyPut(copy, new Map());
  }

  /** Validates and journals a put; returns the store's private copy of the document. */
  private journalPut(doc: StoredDocument, newVectors: Map<number, Float32Array>): StoredDocument {
    this.assertWritable();
    this.check(doc, newVectors);
    const encoded = JSON.stringify(encodeDoc(doc));
    const vecs: Array<[number, string]> = [];
    for (const [l, v] of newVectors) vecs.push([l, vecToB64(v)]);
    this.append(`{"op":"put","doc":${encoded},"vectors":${JSON.stringify(vecs)}}`);
    // A private copy decoded from the journal encoding: fresh objects, flat strings (no slices of the text).
    return decodeDoc(JSON.parse(encoded) as EncDoc);
  }

  removeDocument(path: string): void {
    this.assertWritable();
    const doc = this.docs.get(path);
    if (!doc) return;
    this.append(JSON.stringify({ op: 'rm', path }));
    this.applyRemove(doc);
  }

  /** Moves a document to a new path without touching vectors; a document already at newPath is replaced. No-op if oldPath is unknown. */
  renameDocument(oldPath: string, newPath: string): void {
    this.assertWritable();
    if (!this.docs.has(oldPath) || oldPath === newPath) return;
    this.append(JSON.stringify({ op: 'mv', from: oldPath, to: newPath }));
    this.applyRename(oldPath, newPath);
  }

  search(vector: Float32Array, k: number, ef?: number): Array<{ label: number; score: number }> {
    return this.dedup.search(vector, k, ef, (l) => this.labels.has(l));
  }

  mention(label: number): { document: StoredDocument; mention: StoredMention } | undefined {
    const document = this.labels.document(label);
    const mention = this.labels.mention(label);
    return document && mention && { document, mention };
  }

  /** The (unit-normalised) vector of a mention. */
  vector(label: number): Float32Array | undefined {
    return this.labels.has(label) ? this.dedup.vector(label) : undefined;
  }

  get mentionCount(): number { return this.labels.size; }
  /** HNSW nodes: one per distinct vector (mentions with identical vectors share one). */
  get vectorNodes(): number { return this.index.size; }
  get documentCount(): number { return this.docs.size; }
  /** Bytes in the journal since the last checkpoint (callers may checkpoint when it grows large). */
  get pendingJournalBytes(): number { return this.journalBytes; }

  /** Writes a snapshot (index + metadata) atomically and truncates the journal. */
  async checkpoint(): Promise<void> {
    if (this.snapshot) await this.settled(); // else it starts before this call returns
    this.assertOpen();
    if (!this.dirty || this.readOnly) return;
    this.snapshot = this.writeSnapshot();
    try {
      await this.snapshot;
    } finally {
      this.snapshot = undefined;
    }
  }

  /**
   * The HNSW file is written off the event loop (searches go on meanwhile); no change may
   * interleave until the new generation is committed, so puts, removes and renames throw until
   * then (callers await checkpoint() or settled()).
   */
  private async writeSnapshot(): Promise<void> {
    const gen = this.generation + 1;
    if (this.index.compactIfNeeded()) this.logger.info(`Mention store: compacted vector index (${this.index.size} vectors)`);
    const checksums: Record<string, number> = {};
    const record = (name: string, sum: number | undefined) => { if (sum !== undefined) checksums[name] = sum; };
    const indexPath = join(this.dir, `index-${gen}.hnsw`);
    await this.index.write(indexPath);
    record(`index-${gen}.hnsw`, await fileChecksum(indexPath)); // just written: read back from the page cache
    const own = encodeOwnVectors(this.dedup.ownVectors(), this.identity.dimension);
    const ownVectors = own.readUInt32LE(12);
    if (ownVectors > 0) {
      await writeFileAtomicAsync(join(this.dir, `vectors-${gen}.bin`), own);
      record(`vectors-${gen}.bin`, checksumOf(own));
    }
    const metaPath = join(this.dir, `meta-${gen}.ndjson`);
    const tmp = `${metaPath}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      const aliasLines = pairLines('aliases', this.dedup.aliases());
      const hashLines = pairLines('hashes', this.dedup.hashes());
      const chunks: string[] = [JSON.stringify({
        nextLabel: this.nextLabel, documents: this.docs.size, mentions: this.labels.size,
        aliasLines: aliasLines.length, hashLines: hashLines.length, ownVectors,
      })];
      let size = 0;
      const flush = () => { writeSync(fd, chunks.join('\n') + '\n'); chunks.length = 0; size = 0; };
      for (const doc of this.docs.values()) {
        const line = JSON.stringify(encodeDoc(doc));
        chunks.push(line);
        size += line.length;
        if (size > 4 << 20) flush();
      }
      for (const line of [...aliasLines, ...hashLines]) chunks.push(line);
      if (chunks.length) flush();
      fsyncSync(fd);
    } finally { closeSync(fd); }
    renameSync(tmp, metaPath);
    writeFileSync(join(this.dir, `journal-${gen}.ndjson`), '');
    fsyncPath(this.dir);
    const m: Manifest = { format: FORMAT, version: VERSION, identity: this.identity, generation: gen, location: this.dir, checksums };
    writeFileAtomic(join(this.dir, MANIFEST), JSON.stringify(m)); // commit point
    fsyncPath(this.dir);
    const old = this.generation;
    closeSync(this.journalFd);
    this.generation = gen;
    this.openJournal(gen);
    for (const n of [`index-${old}.hnsw`, `meta-${old}.ndjson`, `journal-${old}.ndjson`, `vectors-${old}.bin`]) rmSync(join(this.dir, n), { force: true });
    this.dirty = false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.dirty) await this.checkpoint();
    } finally {
      this.closed = true;
      if (this.journalFd >= 0) closeSync(this.journalFd);
      this.journalFd = -1;
      if (!this.readOnly) releaseLock(this.dir);
    }
  }
}

type JournalRecord =
  | { op: 'put'; doc: EncDoc; vectors: Array<[number, string]> }
  | { op: 'rm'; path: string }
  | { op: 'mv'; from: string; to: string };

// The writer lock is a file `lock` naming its holder (processLock.ts). It is created whole, by a
// hard link of a complete temp file, so no other process ever reads it empty and takes it for
// stale; a stale one is moved aside before it is deleted, so that two processes taking it over at
// once cannot delete the lock one of them has just made.
function acquireLock(dir: string): void {
  if (openDirs.has(dir)) throw new StoreError('locked', `Mention store ${dir} is already open in this process`);
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 6; attempt++) {
    if (createLockFile(path)) {
      openDirs.add(dir);
      return;
    }
    let text: string;
    try { text = readFileSync(path, 'utf8'); } catch { continue; /* released meanwhile */ }
    const holder = parseLockRecord(text);
    // Empty and new: being written by a process without hard links (or an older version).
    if (holder === undefined && text === '' && lockAgeMs(path) < 5000) { sleepMs(50); continue; }
    if (holder !== undefined && holder.pid !== process.pid && lockHolderRunning(holder)) throw new StoreError('locked', lockedMessage(dir, path, holder));
    takeOverStaleLock(path, text);
  }
  throw new StoreError('locked', `Mention store ${dir}: could not acquire ${path}`);
}

/** "in use by …": who holds the store, and what to do; deleting the lock is offered only where the holder cannot be told for sure. */
function lockedMessage(dir: string, path: string, holder: LockHolder): string {
  const what = describeHolder(holder.pid);
  // With its start time recorded the lock names exactly that process, not a reused pid.
  if (holder.life || what) {
    return `Mention store ${dir} is in use by ${what ?? 'another ner-retriever process'} (pid ${holder.pid}): ` +
      'wait for it or close it, then try again; `ner-retriever search` works meanwhile (read-only)';
  }
  return `Mention store ${dir} is in use by process ${holder.pid}; if that is not ner-retriever (check with \`ps -p ${holder.pid} -o args\`), delete ${path} and try again`;
}

/** Creates `path` holding this process's lock record, whole or not at all; false when it exists. */
function createLockFile(path: string): boolean {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, ownLockRecord());
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOENT: the holder's open swept our temp file away with its own leftovers.
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    // No hard links on this filesystem (some network and FUSE mounts): exclusive create, then write.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EXDEV') return createLockFileExclusive(path);
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function createLockFileExclusive(path: string): boolean {
  let fd: number;
  try { fd = openSync(path, 'wx'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try { writeSync(fd, ownLockRecord()); } finally { closeSync(fd); }
  return true;
}

/** Deletes the stale lock whose text is `staleText`; a lock that another process made in the meantime is put back. */
function takeOverStaleLock(path: string, staleText: string): void {
  const aside = `${path}-stale-${process.pid}.tmp-${Date.now()}`;
  try { renameSync(path, aside); } catch { return; /* taken away meanwhile */ }
  let moved: string | undefined;
  try { moved = readFileSync(aside, 'utf8'); } catch { /* unreadable: treat as the stale one */ }
  if (moved !== undefined && moved !== staleText) {
    try { linkSync(aside, path); } catch { /* a third process took the store in between */ }
  }
  rmSync(aside, { force: true });
}

function lockAgeMs(path: string): number {
  try { return Date.now() - statSync(path).mtimeMs; } catch { return Infinity; }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The pid of another live process holding the store's writer lock, if any (a stale lock, this
 * process's own or none: undefined). Lets a caller wait for the store without opening it.
 */
export function storeLockHolder(dir: string): number | undefined {
  return otherLockHolder(join(resolve(dir), LOCK));
}

function otherLockHolder(lockPath: string): number | undefined {
  let holder: LockHolder | undefined;
  try { holder = parseLockRecord(readFileSync(lockPath, 'utf8')); } catch { return undefined; /* none, or vanished meanwhile */ }
  return holder && holder.pid !== process.pid && lockHolderRunning(holder) ? holder.pid : undefined;
}

function releaseLock(dir: string): void {
  openDirs.delete(dir);
  try {
    if (parseLockRecord(readFileSync(join(dir, LOCK), 'utf8'))?.pid === process.pid) rmSync(join(dir, LOCK), { force: true });
  } catch { /* already gone */ }
}

/** [hash, node] pairs of a snapshot's hash records; a damaged record is skipped with a warning. */
function parseHashRecords(records: string[], metaPath: string, logger: Logger): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (const record of records) {
    let flat: unknown;
    try { flat = (JSON.parse(record) as { hashes?: unknown }).hashes; } catch { flat = undefined; }
    if (!Array.isArray(flat) || flat.length % 2 !== 0 || !flat.every(Number.isInteger)) {
      logger.warn(`${metaPath}: a vector-hash record is damaged and was skipped (copies of those vectors get nodes of their own)`);
      continue;
    }
    for (let j = 0; j < flat.length; j += 2) pairs.push([flat[j] as number, flat[j + 1] as number]);
  }
  return pairs;
}

/** A snapshot's metadata file, parsed (MentionStore.load checks it against the graph). */
interface SnapshotMeta {
  metaPath: string;
  nextLabel: number;
  mentions: number;
  documents: StoredDocument[];
  /** [alias label, node label] pairs. */
  aliases: Array<[number, number]>;
  /** Vector-hash records, kept as text for a writer (empty for a reader). */
  hashRecords: string[];
  /** Mentions with a vector of their own, in `vectors-<gen>.bin` (0 before version 3). */
  ownVectors: number;
}

/** The first few of a folder's file names, for a message. */
function someNames(names: string[]): string {
  return `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`;
}

/** Reads and decodes `meta-<gen>.ndjson`; a StoreError ('corrupt') names what is wrong with it. */
function readSnapshotMeta(metaPath: string, readOnly: boolean): SnapshotMeta {
  const corrupt = (what: string) => corruptStore(dirname(metaPath), what);
  let lines: string[];
  try {
    lines = readFileSync(metaPath, 'utf8').split('\n');
  } catch (e) {
    throw corrupt(`cannot read ${metaPath}: ${(e as Error).message}`);
  }
  try {
    const header = JSON.parse(lines[0]) as { nextLabel: number; documents: number; mentions: number; aliasLines?: number; hashLines?: number; ownVectors?: number };
    if (lines[lines.length - 1] !== '') throw new Error('truncated');
    const aliasLines = header.aliasLines ?? 0;
    const hashLines = header.hashLines ?? 0;
    const n = lines.length - 2 - aliasLines - hashLines;
    if (n !== header.documents) throw new Error(`expected ${header.documents} documents, found ${n}`);
    const documents: StoredDocument[] = [];
    for (let i = 1; i <= n; i++) documents.push(decodeDoc(JSON.parse(lines[i]) as EncDoc));
    const aliases: Array<[number, number]> = [];
    for (let i = n + 1; i <= n + aliasLines; i++) {
      const flat = (JSON.parse(lines[i]) as { aliases?: unknown }).aliases;
      if (!Array.isArray(flat) || flat.length % 2 !== 0) throw new Error(`line ${i + 1} is not an alias record`);
      for (let j = 0; j < flat.length; j += 2) aliases.push([flat[j] as number, flat[j + 1] as number]);
    }
    const hashRecords = readOnly ? [] : lines.slice(n + aliasLines + 1, n + aliasLines + 1 + hashLines);
    const ownVectors = header.ownVectors ?? 0;
    if (!Number.isInteger(ownVectors) || ownVectors < 0) throw new Error('bad vector count');
    return { metaPath, nextLabel: header.nextLabel, mentions: header.mentions, documents, aliases, hashRecords, ownVectors };
  } catch (e) {
    throw corrupt(`${metaPath}: ${(e as Error).message}`);
  }
}

/** The error of a store that cannot be read as it is ('corrupt'), and the way out. */
function corruptStore(dir: string, what: string): StoreError {
  return new StoreError('corrupt', `Mention store in ${dir} is corrupt: ${what}. Re-open with rebuild to start over.`);
}

function mismatchError(dir: string, recorded: StoreIdentity, wanted: StoreIdentity): StoreError {
  return new StoreError('mismatch', `Mention store in ${dir} was built with encoder ${recorded.encoderId} / detector ${recorded.detectorId} / dimension ${recorded.dimension}, not ${wanted.encoderId} / ${wanted.detectorId} / ${wanted.dimension}; rebuild it`);
}

/**
 * Whether a store built with the `recorded` models can be searched with the `wanted` ones: the
 * same encoder and dimension, else a 'mismatch' StoreError. Spans another detector found are
 * searched as they are, with a warning: their vectors answer this encoder's queries, and the
 * next index run re-detects them.
 */
export function checkSearchIdentity(dir: string, recorded: StoreIdentity, wanted: StoreIdentity, logger: Logger): void {
  if (recorded.encoderId !== wanted.encoderId || recorded.dimension !== wanted.dimension) throw mismatchError(dir, recorded, wanted);
  if (recorded.detectorId !== wanted.detectorId) {
    logger.warn(`The mentions in ${dir} were found by detector ${recorded.detectorId}, not ${wanted.detectorId}: searching them as they are (re-run index to update them)`);
  }
}
