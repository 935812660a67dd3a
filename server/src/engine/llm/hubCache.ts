// The huggingface_hub cache layout, shared with Python tools so models a user already has are reused:
//   <HF_HUB_CACHE>/models--<org>--<name>/blobs/<etag>            file contents (LFS: etag = SHA-256)
//                                        snapshots/<commit>/<file>  symlink → ../../blobs/<etag>
//                                        refs/<revision>           the commit a branch / tag pointed at
import { closeSync, createReadStream, existsSync, fstatSync, lstatSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, isAbsolute, join } from 'node:path';
import type { ProgressSink } from '../types.ts';
import { HubError, hfHome } from './hubHttp.ts';

export const WEIGHTS_FILE = 'model.safetensors';
export const WEIGHTS_INDEX_FILE = 'model.safetensors.index.json';
/** Files the LLM encoder needs besides the weights; the optional ones are fetched when the repo has them. */
export const REQUIRED_FILES = ['config.json', 'tokenizer.json'];
export const OPTIONAL_FILES = ['tokenizer_config.json', 'generation_config.json', 'special_tokens_map.json'];

const COMMIT_RE = /^[0-9a-f]{40}$/;

export function isCommitHash(revision: string): boolean {
  return COMMIT_RE.test(revision);
}

/** HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub. */
export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE || join(hfHome(env), 'hub');
}

/** Throws a clear error unless `repoId` looks like `org/name` (or `name`) as the hub accepts them. */
export function validateRepoId(repoId: string, alsoFolder = false): void {
  const part = '[A-Za-z0-9][A-Za-z0-9._-]{0,95}';
  if (!new RegExp(`^(${part}/)?${part}$`).test(repoId) || repoId.includes('--') || repoId.includes('..')) {
    throw new HubError('invalid', `"${repoId}" is not a Hugging Face model id (expected org/name, e.g. meta-llama/Llama-3.2-1B)${alsoFolder ? ' nor an existing folder' : ''}`);
  }
}

/** A revision is a branch, tag or commit; `refs/pr/N` style names are allowed, path tricks are not. */
export function validateRevision(revision: string): void {
  if (!revision || revision.split('/').some((p) => !p || p === '.' || p === '..') || revision.startsWith('/')) {
    throw new HubError('invalid', `"${revision}" is not a valid revision (branch, tag or commit hash)`);
  }
}

export function repoFolderName(repoId: string): string {
  return `models--${repoId.split('/').join('--')}`;
}

export function repoCacheDir(repoId: string, cacheDir = hubCacheDir()): string {
  validateRepoId(repoId);
  return join(cacheDir, repoFolderName(repoId));
}

/** Commit a revision resolves to from the cache alone (a commit hash resolves to itself). */
export function cachedCommit(repoDir: string, revision: string): string | undefined {
  if (isCommitHash(revision)) return existsSync(join(repoDir, 'snapshots', revision)) ? revision : undefined;
  try {
    const commit = readFileSync(join(repoDir, 'refs', revision), 'utf8').trim();
    return isCommitHash(commit) ? commit : undefined;
  } catch { return undefined; }
}

/** Shard files named by a safetensors index (`weight_map` values), deduplicated, in order. */
export function shardsOfIndex(indexJson: string): string[] {
  const parsed = JSON.parse(indexJson) as { weight_map?: Record<string, string> };
  if (!parsed.weight_map || typeof parsed.weight_map !== 'object') throw new Error(`${WEIGHTS_INDEX_FILE} has no weight_map`);
  return [...new Set(Object.values(parsed.weight_map).map(String))];
}

/** A shard name that stays inside the snapshot folder (no `..`, not absolute). */
export function safeShardName(name: string): boolean {
  return !isAbsolute(name) && !name.split(/[\\/]/).some((p) => p === '..' || p === '');
}

export interface SnapshotStatus { complete: boolean; missing: string[] }

/** Whether a snapshot folder has everything the LLM encoder loads (links that resolve, all shards). */
export function snapshotStatus(dir: string): SnapshotStatus {
  const missing = REQUIRED_FILES.filter((f) => !existsSync(join(dir, f)));
  if (!existsSync(join(dir, WEIGHTS_FILE))) {
    const index = join(dir, WEIGHTS_INDEX_FILE);
    if (!existsSync(index)) missing.push(WEIGHTS_FILE);
    else {
      try {
        missing.push(...shardsOfIndex(readFileSync(index, 'utf8')).filter((s) => !safeShardName(s) || !existsSync(join(dir, s))));
      } catch { missing.push(WEIGHTS_INDEX_FILE); }
    }
  }
  return { complete: missing.length === 0, missing };
}

/** Blob name of a snapshot file (its ETag: the SHA-256 for LFS files), '' for a copy. */
export function etagOfPointer(pointer: string): string {
  try { return lstatSync(pointer).isSymbolicLink() ? basename(readlinkSync(pointer)) : ''; } catch { return ''; }
}

export const SHA256_RE = /^[0-9a-f]{64}$/;

/**
 * A safetensors file must be exactly as long as its header describes: one small read catches a
 * truncated (or overlong) copy without hashing gigabytes.
 */
export function safetensorsSizeProblem(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const len = Buffer.alloc(8);
    if (size < 8 || readSync(fd, len, 0, 8, 0) < 8) return `${size} bytes, not even a safetensors header`;
    const headerLen = Number(len.readBigUInt64LE(0));
    if (8 + headerLen > size) return `${size} bytes, its safetensors header alone takes ${8 + headerLen}`;
    const header = Buffer.alloc(headerLen);
    readSync(fd, header, 0, headerLen, 8);
    let end = 0;
    for (const t of Object.values(JSON.parse(header.toString('utf8')) as Record<string, { data_offsets?: unknown[] }>)) {
      end = Math.max(end, Number(t?.data_offsets?.[1] ?? 0));
    }
    const expected = 8 + headerLen + end;
    return size === expected ? undefined : `${size} bytes, its safetensors header describes ${expected}`;
  } catch (e) {
    return `unreadable safetensors header (${(e as Error).message})`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** SHA-256 of a file, streamed; `onBytes` sees the bytes hashed so far (and may throw to stop). */
async function sha256File(path: string, onBytes?: (done: number) => void): Promise<string> {
  const hash = createHash('sha256');
  let done = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) {
    hash.update(chunk as Buffer);
    onBytes?.(done += (chunk as Buffer).length);
  }
  return hash.digest('hex');
}

/**
 * Why the file at `path` is not the LFS blob named `sha256` (hashing every byte), or undefined: the
 * one check of a download, of a cached copy `pull --verify` keeps, and of `model list --verify`.
 */
export async function sha256Problem(path: string, sha256: string, onBytes?: (done: number) => void): Promise<string | undefined> {
  const actual = await sha256File(path, onBytes);
  return actual === sha256 ? undefined : `SHA-256 ${actual}, expected ${sha256}`;
}

export interface CachedRevision {
  commit: string;
  /** Branches / tags that point at this commit in refs/. */
  refs: string[];
  snapshotDir: string;
  files: string[];
  complete: boolean;
  missing: string[];
  /** Files present but unusable, with why: a safetensors file of another size than its header says; with verify, an LFS file whose SHA-256 is not its blob's name. */
  damaged: string[];
}

export interface CachedModel {
  repoId: string;
  path: string;
  /** Bytes of blobs/ (each file counted once, partial downloads included). */
  sizeOnDisk: number;
  revisions: CachedRevision[];
  /** Interrupted downloads waiting to be resumed (blobs/*.incomplete). */
  incompleteDownloads: number;
}

function walkFiles(dir: string, prefix = ''): string[] {
  let entries;
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return []; }
  const out: string[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walkFiles(join(dir, e.name), rel));
    else out.push(rel);
  }
  return out.sort();
}

function readModel(cacheDir: string, folder: string): CachedModel {
  const path = join(cacheDir, folder);
  const repoId = folder.slice('models--'.length).split('--').join('/');
  const refsByCommit = new Map<string, string[]>();
  for (const ref of walkFiles(join(path, 'refs'))) {
    const commit = cachedCommit(path, ref);
    if (commit) refsByCommit.set(commit, [...(refsByCommit.get(commit) ?? []), ref]);
  }
  const revisions: CachedRevision[] = [];
  for (const commit of walkFiles(join(path, 'snapshots')).map((f) => f.split('/')[0]).filter((c, i, a) => a.indexOf(c) === i)) {
    const snapshotDir = join(path, 'snapshots', commit);
    const files = walkFiles(snapshotDir);
    const status = snapshotStatus(snapshotDir);
    const damaged = files.filter((f) => f.endsWith('.safetensors') && !status.missing.includes(f)).flatMap((f) => {
      const problem = safetensorsSizeProblem(join(snapshotDir, f));
      return problem ? [`${f} (${problem})`] : [];
    });
    revisions.push({ commit, refs: refsByCommit.get(commit) ?? [], snapshotDir, files, complete: status.complete && !damaged.length, missing: status.missing, damaged });
  }
  let sizeOnDisk = 0;
  let incompleteDownloads = 0;
  for (const blob of walkFiles(join(path, 'blobs'))) {
    try { sizeOnDisk += lstatSync(join(path, 'blobs', blob)).size; } catch { /* vanished meanwhile */ }
    if (blob.endsWith('.incomplete')) incompleteDownloads++;
  }
  return { repoId, path, sizeOnDisk, revisions, incompleteDownloads };
}

/** Models in the hub cache (every model there, also those other tools downloaded), by id. */
export function listCachedModels(opts: { cacheDir?: string } = {}): CachedModel[] {
  const cacheDir = opts.cacheDir ?? hubCacheDir();
  let folders: string[];
  try { folders = readdirSync(cacheDir); } catch { return []; }
  return folders
    .filter((f) => {
      try { return f.startsWith('models--') && statSync(join(cacheDir, f)).isDirectory(); } catch { return false; }
    })
    .sort()
    .map((f) => readModel(cacheDir, f));
}

/**
 * `model list --verify`: hashes every LFS file of every revision (huggingface_hub names its blob by
 * its SHA-256) and marks a mismatch damaged. Reads every byte, so only on request; each blob once.
 */
export async function verifyCachedModels(models: CachedModel[], progress?: ProgressSink): Promise<void> {
  const todo = models.flatMap((m) => m.revisions.flatMap((r) => r.files.map((f) => ({ m, r, f, blob: etagOfPointer(join(r.snapshotDir, f)) }))))
    .filter((t) => SHA256_RE.test(t.blob) && !t.r.damaged.some((d) => d.startsWith(`${t.f} (`)) && existsSync(join(t.r.snapshotDir, t.f)));
  const sizes = new Map(todo.map((t) => [join(t.m.path, 'blobs', t.blob), statSync(join(t.r.snapshotDir, t.f)).size]));
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const verdicts = new Map<string, string | undefined>();
  let before = 0;
  for (const { m, r, f, blob } of todo) {
    const key = join(m.path, 'blobs', blob);
    if (!verdicts.has(key)) {
      verdicts.set(key, await sha256Problem(join(r.snapshotDir, f), blob, (done) => progress?.({ what: 'Verifying', done: before + done, total, message: `${m.repoId}/${f}` })));
      before += sizes.get(key)!;
    }
    const problem = verdicts.get(key);
    if (problem) { r.damaged.push(`${f} (${problem})`); r.complete = false; }
  }
}

/** Deletes a model from the hub cache (all revisions); returns what was removed. */
export function removeCachedModel(repoId: string, opts: { cacheDir?: string } = {}): CachedModel {
  const cacheDir = opts.cacheDir ?? hubCacheDir();
  const dir = repoCacheDir(repoId, cacheDir);
  if (!existsSync(dir)) throw new HubError('not-cached', `${repoId} is not in the Hugging Face cache (${cacheDir})`);
  const model = readModel(cacheDir, repoFolderName(repoId));
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(cacheDir, '.locks', repoFolderName(repoId)), { recursive: true, force: true });
  return model;
}
