// On-disk cache of built value graphs, keyed by checkpoint revision + layer + weight dtype +
// graph format, so a graph is built once per model version and rebuilt when anything changes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import type { Logger } from '../types.ts';
import { checkFitsInMemory, checkLayer, loadCheckpoint, type MemoryInfo } from './checkpoint.ts';
import { openSafetensors } from './safetensors.ts';
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
}

export interface ValueGraphInfo { path: string; built: boolean; buildMs: number; kvDim: number; revision: string }

const WEIGHTS_DTYPE = 'f32';

/**
 * `<repo>@<rev>` for a hub cache path `.../models--org--name/snapshots/<rev>/`; otherwise a hash of
 * config.json, the safetensors headers and the weight files' sizes and modification times.
 */
export function checkpointRevision(checkpointDir: string): string {
  const parts = resolve(checkpointDir).split(sep).filter(Boolean);
  const i = parts.lastIndexOf('snapshots');
  if (i >= 0 && i === parts.length - 2) return i > 0 ? `${parts[i - 1]}@${parts[i + 1]}` : parts[i + 1];
  const h = createHash('sha256');
  h.update(readFileSync(join(checkpointDir, 'config.json')));
  const tensors = openSafetensors(checkpointDir);
  for (const f of tensors.files) {
    const st = statSync(f);
    h.update(`${basename(f)}:${st.size}:${st.mtimeMs}\n`);
  }
  for (const header of tensors.headers()) h.update(header);
  return `sha256-${h.digest('hex').slice(0, 16)}`;
}

const SOURCE_FILE = 'source.json';

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
  const revision = opts.revision ?? checkpointRevision(opts.checkpointDir);
  const dir = join(opts.cacheDir, `${safeName(revision)}-L${opts.layer}-${WEIGHTS_DTYPE}-g${VALUE_GRAPH_FORMAT}`);
  const path = join(dir, 'values.onnx');
  if (existsSync(path) && existsSync(`${path}.data`)) return { path, built: false, buildMs: 0, kvDim: ck.kvDim, revision };

  mkdirSync(opts.cacheDir, { recursive: true });
  const t0 = performance.now();
  opts.logger?.info(`building value graph of ${basename(opts.checkpointDir)} up to layer ${opts.layer} (${revision})`);
  // Build in a private temp folder, then rename it into place: readers never see half a graph.
  const tmp = mkdtempSync(join(opts.cacheDir, '.building-'));
  try {
    buildValueGraph(ck, opts.layer, join(tmp, 'values.onnx'), { logger: opts.logger });
    writeFileSync(join(tmp, SOURCE_FILE), JSON.stringify({ checkpointDir: resolve(opts.checkpointDir), revision, layer: opts.layer }));
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
