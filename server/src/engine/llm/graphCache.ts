// On-disk cache of built value graphs, keyed by checkpoint revision + layer + weight dtype +
// graph format, so a graph is built once per model version and rebuilt when anything changes.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import type { Logger } from '../types.ts';
import { checkFitsInMemory, checkLayer, checkTensorShapes, loadCheckpoint, type MemoryInfo } from './checkpoint.ts';
import { openSafetensors } from './safetensors.ts';
import { makeFolder } from '../makeFolder.ts';
import { buildValueGraph, VALUE_GRAPH_FORMAT } from './valueGraph.ts';

export interface EnsureValueGraphOptions {
  checkpointDir: string;
  layer: number;
  cacheDir: string;
  /** Defaults to the hub snapshot folder name, else a hash of the checkpoint's config and weights' headers. */
  revision?: string;
  logger?: Logger;
  /** Injectable memory figures (tests); defaults to os.totalmem/freemem. */
  memory?: MemoryInfo;
  /** Build even when a cached graph looks intact (it failed to load). */
  rebuild?: boolean;
}

export interface ValueGraphInfo { path: string; built: boolean; buildMs: number; kvDim: number; revision: string }

const WEIGHTS_DTYPE = 'f32';

/**
 * `<repo>@<rev>` for a hub cache path `.../models--org--name/snapshots/<rev>/`; otherwise a hash of
 * config.json, the safetensors headers and the weight files' sizes and content (sampled when large).
 */
export function checkpointRevision(checkpointDir: string): string {
  const parts = resolve(checkpointDir).split(sep).filter(Boolean);
  const i = parts.lastIndexOf('snapshots');
  if (i >= 0 && i === parts.length - 2) return i > 0 ? `${parts[i - 1]}@${parts[i + 1]}` : parts[i + 1];
  const h = createHash('sha256');
  h.update(readFileSync(join(checkpointDir, 'config.json')));
  const tensors = openSafetensors(checkpointDir);
  // The weights' bytes, not their modification times: a copy without -p, a restore from backup or
  // a `touch` is the same model (before, it re-embedded the store and rebuilt the graph).
  for (const f of tensors.files) {
    const size = statSync(f).size;
    h.update(`${basename(f)}:${size}\n`);
    sampleContent(h, f, size);
  }
  for (const header of tensors.headers()) h.update(header);
  return `sha256-${h.digest('hex').slice(0, 16)}`;
}

/** Whole files up to this size are hashed; larger ones (GBs of weights) by evenly spaced samples. */
const SAMPLED_ABOVE = 4 << 20;
const SAMPLES = 64;
const SAMPLE_BYTES = 64 << 10;

/**
 * A file's content into `h`: whole when small, else 64 chunks of 64 KB spread over it (4 MB read
 * of a 16 GB checkpoint). Retrained, fine-tuned or re-quantised weights differ throughout, so the
 * samples tell them apart; a change confined to bytes between samples would not be seen.
 */
function sampleContent(h: ReturnType<typeof createHash>, file: string, size: number): void {
  if (size <= SAMPLED_ABOVE) { h.update(readFileSync(file)); return; }
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(SAMPLE_BYTES);
    for (let k = 0; k < SAMPLES; k++) {
      const at = Math.floor((k * (size - SAMPLE_BYTES)) / (SAMPLES - 1));
      const n = readSync(fd, chunk, 0, SAMPLE_BYTES, at);
      h.update(chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A short hash of a local checkpoint's tokenizer files: part of the encoder's identity (another
 * tokenizer gives other tokens, so other vectors) but not of the value graph's, which holds
 * weights only. Hub snapshots need none: their commit names the tokenizer too.
 */
export function tokenizerDigest(checkpointDir: string): string {
  const h = createHash('sha256');
  for (const name of ['tokenizer.json', 'tokenizer_config.json']) {
    const path = join(checkpointDir, name);
    h.update(`${name}:`);
    if (existsSync(path)) h.update(readFileSync(path));
  }
  return h.digest('hex').slice(0, 8);
}

const SOURCE_FILE = 'source.json';
const GRAPH_FILES = ['values.onnx', 'values.onnx.data'];

type FileRecord = Record<string, { size: number; sha256: string }>;

/** Sizes and (sampled) content hashes of a built graph's files, kept in source.json. */
function recordGraphFiles(dir: string): FileRecord {
  const record: FileRecord = {};
  for (const name of GRAPH_FILES) {
    const file = join(dir, name);
    const size = statSync(file).size;
    const h = createHash('sha256');
    sampleContent(h, file, size);
    record[name] = { size, sha256: h.digest('hex') };
  }
  return record;
}

/**
 * Why a cached graph cannot be trusted, or undefined when its files are as they were written. A
 * truncated file gave cryptic onnxruntime errors on every run, and bytes changed in place gave
 * wrong (or NaN) vectors.
 */
function damagedGraph(dir: string): string | undefined {
  for (const name of GRAPH_FILES) if (!existsSync(join(dir, name))) return `${name} is missing`;
  let recorded: FileRecord | undefined;
  try { recorded = JSON.parse(readFileSync(join(dir, SOURCE_FILE), 'utf8')).files; } catch { /* handled below */ }
  if (!recorded || typeof recorded !== 'object') return `${SOURCE_FILE} is missing or has no record of the files (built by an older version)`;
  const actual = recordGraphFiles(dir);
  for (const name of GRAPH_FILES) {
    const want = recorded[name], got = actual[name];
    if (want?.size !== got.size) return `${name} is ${got.size} bytes, ${want?.size ?? 'unknown'} when written`;
    if (want.sha256 !== got.sha256) return `${name} has changed since it was written`;
  }
  return undefined;
}

/** Graphs of older revisions of the same checkpoint folder are GBs each and never used again: delete them. */
function removeStaleGraphs(cacheDir: string, checkpointDir: string, revision: string, logger?: Logger): void {
  for (const name of readdirSync(cacheDir)) {
    if (name.startsWith('.')) continue;
    try {
      const src = JSON.parse(readFileSync(join(cacheDir, name, SOURCE_FILE), 'utf8'));
      if (src.checkpointDir === checkpointDir && src.revision !== revision) {
        rmSync(join(cacheDir, name), { recursive: true, force: true });
        logger?.info(`removed the value graph of an older revision: ${name}`);
      }
    } catch { /* not one of ours, or being written: leave it */ }
  }
}

function safeName(s: string): string { return s.replace(/[^A-Za-z0-9._@-]+/g, '_').slice(0, 120); }

/** Returns the cached value graph for (checkpoint, layer), building it first when absent or stale. */
export async function ensureValueGraph(opts: EnsureValueGraphOptions): Promise<ValueGraphInfo> {
  const ck = loadCheckpoint(opts.checkpointDir);
  checkLayer(ck.config, opts.layer);
  // Refuse before reading any weights: the same memory is needed to run a cached graph.
  checkFitsInMemory(ck.config, opts.layer, opts.memory);
  // Also before reusing a cached graph: a hub snapshot's revision does not cover an edited config.json.
  checkTensorShapes(ck, opts.layer);
  const revision = opts.revision ?? checkpointRevision(opts.checkpointDir);
  const dir = join(opts.cacheDir, `${safeName(revision)}-L${opts.layer}-${WEIGHTS_DTYPE}-g${VALUE_GRAPH_FORMAT}`);
  const path = join(dir, 'values.onnx');
  if (existsSync(dir) && !opts.rebuild) {
    const damage = damagedGraph(dir);
    if (!damage) return { path, built: false, buildMs: 0, kvDim: ck.kvDim, revision };
    opts.logger?.warn(`the cached value graph in ${dir} cannot be used (${damage}): rebuilding it`);
  }

  makeFolder(opts.cacheDir);
  const t0 = performance.now();
  opts.logger?.info(`building value graph of ${basename(opts.checkpointDir)} up to layer ${opts.layer} (${revision})`);
  // Build in a private temp folder, then rename it into place: readers never see half a graph.
  const tmp = mkdtempSync(join(opts.cacheDir, '.building-'));
  try {
    buildValueGraph(ck, opts.layer, join(tmp, 'values.onnx'), { logger: opts.logger });
    writeFileSync(join(tmp, SOURCE_FILE), JSON.stringify({ checkpointDir: resolve(opts.checkpointDir), revision, layer: opts.layer, files: recordGraphFiles(tmp) }));
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another process finished the same graph first: use theirs.
      if (!existsSync(path)) throw e;
    }
  } finally {
    if (existsSync(tmp)) rmSync(tmp, { recursive: true, force: true });
  }
  removeStaleGraphs(opts.cacheDir, resolve(opts.checkpointDir), revision, opts.logger);
  const buildMs = performance.now() - t0;
  opts.logger?.info(`value graph built in ${(buildMs / 1000).toFixed(1)} s: ${path}`);
  return { path, built: true, buildMs, kvDim: ck.kvDim, revision };
}
