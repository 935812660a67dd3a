// Downloads the files of a Hugging Face model repo that the LLM encoder needs (config, tokenizer,
// safetensors weights and shards) into the standard huggingface_hub cache, the way huggingface_hub
// does: files already there are not fetched again (unless damaged), interrupted downloads resume with
// a Range request, LFS files are checked against their SHA-256, gated models get a clear HF_TOKEN message.
import { closeSync, copyFileSync, openSync, writeSync, existsSync, readFileSync, renameSync, rmSync, statSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { CancelledError, nullLogger, throwIfCancelled, type CancellationToken, type Logger, type ProgressSink } from '../types.ts';
import {
  OPTIONAL_FILES, REQUIRED_FILES, SHA256_RE, WEIGHTS_FILE, WEIGHTS_INDEX_FILE, cachedCommit, etagOfPointer, hubCacheDir, isCommitHash,
  repoCacheDir, safeShardName, safetensorsSizeProblem, sha256Problem, shardsOfIndex, snapshotStatus, validateRepoId, validateRevision,
} from './hubCache.ts';
import { HubError, describeCause, hfToken, hubEndpoint, hubErrorFor, hubRequest, type ErrorContext } from './hubHttp.ts';
import { lockHolderRunning, ownLockRecord, parseLockRecord, type LockHolder } from '../processLock.ts';
import { makeFolder } from '../makeFolder.ts';

export { HubError, hfToken, hubEndpoint } from './hubHttp.ts';
export { hubCacheDir, listCachedModels, removeCachedModel, repoCacheDir, snapshotStatus, verifyCachedModels, type CachedModel, type CachedRevision } from './hubCache.ts';

export interface PullOptions {
  /** Branch, tag or commit (default `main`). */
  revision?: string;
  /** Hub cache folder (default $HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub). */
  cacheDir?: string;
  /** Hub URL (default $HF_ENDPOINT or https://huggingface.co). */
  endpoint?: string;
  /** Access token for gated / private models; default HF_TOKEN or the saved login token; null: none. */
  hfToken?: string | null;
  logger?: Logger;
  /** Bytes downloaded of the bytes this pull has to download. */
  progress?: ProgressSink;
  token?: CancellationToken;
  /** Tries per file when the connection drops; each resumes where the last stopped (default 5). */
  maxAttempts?: number;
  /**
   * Also hash each cached LFS file against its SHA-256 before keeping it (reads every byte: minutes
   * for an 8B model). Without it a cached file is checked by size only, which catches a cut copy.
   */
  verify?: boolean;
}

export interface PulledFile { name: string; size: number; etag: string; downloaded: boolean }

export interface PullResult {
  repoId: string;
  revision: string;
  commit: string;
  /** Folder with the model's files (links into the blob store): what `resolveModelDir` returns. */
  snapshotDir: string;
  files: PulledFile[];
  /** Bytes received over the network by this pull. */
  bytesDownloaded: number;
  /** True when the hub could not be reached and a complete cached snapshot was used. */
  offline: boolean;
}

interface RepoInfo { sha: string; siblings: string[] }
interface FileMeta { etag: string; size?: number; commit?: string }

const PROGRESS_INTERVAL_MS = 100;

class Pull {
  readonly endpoint: string;
  readonly repoDir: string;
  readonly logger: Logger;
  readonly auth: string | undefined;
  readonly ctx: ErrorContext;
  commit = '';
  bytesDownloaded = 0;
  private doneBytes = 0;
  private totalBytes = 0;
  private lastReport = 0;

  constructor(readonly repoId: string, readonly revision: string, readonly opts: PullOptions) {
    this.endpoint = (opts.endpoint ?? hubEndpoint()).replace(/\/+$/, '');
    this.repoDir = repoCacheDir(repoId, opts.cacheDir ?? hubCacheDir());
    this.logger = opts.logger ?? nullLogger;
    this.auth = opts.hfToken === null ? undefined : (opts.hfToken ?? hfToken());
    this.ctx = { repoId, revision, endpoint: this.endpoint, hadToken: Boolean(this.auth) };
  }

  get snapshotDir(): string { return join(this.repoDir, 'snapshots', this.commit); }

  private request(url: string, init: { method?: 'GET' | 'HEAD'; headers?: Record<string, string>; followCrossOrigin?: boolean; signal?: AbortSignal } = {}) {
    return hubRequest(url, { ...init, authToken: this.auth, authOrigin: new URL(this.endpoint).origin });
  }

  private resolveUrl(file: string): string {
    return `${this.endpoint}/${this.repoId}/resolve/${encodeURIComponent(this.commit)}/${file.split('/').map(encodeURIComponent).join('/')}`;
  }

  async repoInfo(): Promise<RepoInfo> {
    const url = `${this.endpoint}/api/models/${this.repoId}/revision/${encodeURIComponent(this.revision)}`;
    const res = await this.request(url);
    if (res.status !== 200) throw await hubErrorFor(res, this.ctx);
    let body: { sha?: unknown; siblings?: Array<{ rfilename?: unknown }> } = {};
    try { body = JSON.parse(await res.text()); } catch { /* reported below */ }
    if (typeof body.sha !== 'string' || !isCommitHash(body.sha) || !Array.isArray(body.siblings)) {
      throw new HubError('http', `unexpected answer from ${url}: no commit sha or file list`);
    }
    return { sha: body.sha, siblings: body.siblings.map((s) => String(s.rfilename)) };
  }

  /** HEAD on the resolve URL without following the redirect to the CDN: the hub's own headers carry the metadata. */
  async fileMeta(file: string): Promise<FileMeta> {
    throwIfCancelled(this.opts.token);
    const res = await this.request(this.resolveUrl(file), { method: 'HEAD', followCrossOrigin: false });
    if (res.status >= 400) throw await hubErrorFor(res, { ...this.ctx, file });
    res.discard();
    const h = (name: string) => res.header(name) ?? null;
    const etag = normalizeEtag(h('x-linked-etag') ?? h('etag'));
    if (!etag) throw new HubError('http', `${file} of ${this.repoId}: the hub sent no ETag, cannot cache the file`);
    const size = Number(h('x-linked-size') ?? (res.status < 300 ? h('content-length') : undefined));
    return { etag, size: Number.isFinite(size) && size >= 0 ? size : undefined, commit: h('x-repo-commit') ?? undefined };
  }

  /**
   * Why the cached copy of `file` at `path` cannot be used: a size the hub or its safetensors header
   * contradicts, or, with `verify`, (LFS) a SHA-256 other than its blob's name. A truncated or
   * corrupt blob (a copy cut short, a disk error) would otherwise be kept forever, as `pull` never
   * fetches it again. Hashing is asked for: a re-run of `pull` should not read every weight again.
   */
  private async cachedProblem(file: string, path: string, etag: string, size?: number): Promise<string | undefined> {
    const have = sizeOf(path);
    if (size !== undefined && have !== size) return `${have} bytes, expected ${size}`;
    const problem = file.endsWith('.safetensors') ? safetensorsSizeProblem(path) : undefined;
    if (problem || !this.opts.verify || !SHA256_RE.test(etag)) return problem;
    return sha256Problem(path, etag, (done) => {
      throwIfCancelled(this.opts.token);
      this.opts.progress?.({ what: `Checking ${this.repoId}`, done, total: have, message: file });
    });
  }

  /** Whether the cached copy at `path` can be kept; a damaged one is named in a warning and will be downloaded again. */
  private async cachedCopyUsable(file: string, path: string, etag: string, size?: number): Promise<boolean> {
    const problem = await this.cachedProblem(file, path, etag, size);
    if (problem) this.logger.warn(`${file}: the cached copy is damaged (${problem}); downloading it again`);
    return !problem;
  }

  /** Makes snapshots/<commit>/<file> present for each file; fetches only blobs the cache lacks (or holds damaged). */
  async ensureFiles(files: string[]): Promise<PulledFile[]> {
    const out: PulledFile[] = [];
    const todo: Array<{ file: string; meta: FileMeta; blob: string }> = [];
    // Blobs found damaged: downloaded again, replaced only once the new copy is verified.
    const damaged = new Set<string>();
    for (const file of files) {
      const pointer = join(this.snapshotDir, file);
      if (existsSync(pointer)) {
        const etag = etagOfPointer(pointer);
        if (await this.cachedCopyUsable(file, pointer, etag)) {
          this.logger.debug(`${file}: already in the cache`);
          out.push({ name: file, size: statSync(pointer).size, etag, downloaded: false });
          continue;
        }
        if (etag) damaged.add(join(this.repoDir, 'blobs', etag));
      }
      const meta = await this.fileMeta(file);
      if (meta.commit && meta.commit !== this.commit) this.logger.warn(`${file}: the hub answered for commit ${meta.commit}, expected ${this.commit}`);
      const blob = join(this.repoDir, 'blobs', meta.etag);
      if (existsSync(blob) && !damaged.has(blob)) {
        if (await this.cachedCopyUsable(file, blob, meta.etag, meta.size)) {
          linkPointer(blob, pointer);
          out.push({ name: file, size: statSync(blob).size, etag: meta.etag, downloaded: false });
          continue;
        }
        damaged.add(blob);
      }
      todo.push({ file, meta, blob });
    }
    this.totalBytes += todo.reduce((n, t) => n + (t.meta.size ?? 0), 0);
    checkDiskSpace(join(this.repoDir, 'blobs'), todo.reduce((n, t) => n + Math.max(0, (t.meta.size ?? 0) - sizeOf(`${t.blob}.incomplete`)), 0));
    for (const { file, meta, blob } of todo) {
      await withBlobLock(join(dirname(this.repoDir), '.locks', basename(this.repoDir), `${meta.etag}.ner-retriever.lock`), file, this.opts.token, this.logger, async () => {
        // Another process may have finished the same blob while we waited for the lock.
        if (existsSync(blob) && !damaged.has(blob)) { this.doneBytes += meta.size ?? 0; return; }
        this.logger.debug(`${file}: downloading ${meta.size ?? '?'} bytes`);
        await this.download(file, meta, blob);
      });
      linkPointer(blob, join(this.snapshotDir, file));
      out.push({ name: file, size: statSync(blob).size, etag: meta.etag, downloaded: true });
    }
    if (todo.length) this.report(true);
    return out;
  }

  private report(force = false, message?: string): void {
    const now = Date.now();
    if (!this.opts.progress || (!force && now - this.lastReport < PROGRESS_INTERVAL_MS)) return;
    this.lastReport = now;
    this.opts.progress({ what: `Downloading ${this.repoId}`, done: this.doneBytes, total: Math.max(this.totalBytes, this.doneBytes), message });
  }

  /** Downloads into blobs/<etag>.incomplete (resuming what is there), verifies, then renames into place. */
  private async download(file: string, meta: FileMeta, blob: string): Promise<void> {
    const partial = `${blob}.incomplete`;
    makeFolder(dirname(blob));
    const maxAttempts = Math.max(1, this.opts.maxAttempts ?? 5);
    const startDone = this.doneBytes;
    for (let attempt = 1; ; attempt++) {
      let have = sizeOf(partial);
      if (meta.size !== undefined && have > meta.size) { rmSync(partial, { force: true }); have = 0; }
      this.doneBytes = startDone + have;
      if (have > 0 && attempt === 1) this.logger.info(`${file}: resuming an interrupted download at ${have} bytes`);
      if (meta.size !== undefined && have === meta.size) break;
      try {
        await this.fetchInto(file, partial, have);
        if (meta.size === undefined || sizeOf(partial) >= meta.size) break;
        throw new HubError('network', `connection closed after ${sizeOf(partial)} of ${meta.size} bytes`);
      } catch (e) {
        if (!(e instanceof HubError) || e.code !== 'network') throw e;
        if (attempt >= maxAttempts) {
          throw new HubError('network', `${file} of ${this.repoId}: ${e.message}; ${sizeOf(partial)} bytes are kept: run the same command again to resume`);
        }
        this.logger.warn(`${file}: ${e.message}; resuming at ${sizeOf(partial)} bytes (try ${attempt + 1} of ${maxAttempts})`);
      }
    }
    await verifyBlob(file, partial, meta);
    renameSync(partial, blob);
    this.doneBytes = startDone + (meta.size ?? sizeOf(blob));
  }

  /** One GET (with Range from `have`), appended to `partial`; network failures come out as HubError('network'). */
  private async fetchInto(file: string, partial: string, have: number): Promise<void> {
    const controller = new AbortController();
    const token = this.opts.token;
    const poll = setInterval(() => { if (token?.isCancellationRequested) controller.abort(); }, 100);
    poll.unref();
    try {
      const res = await this.request(this.resolveUrl(file), { headers: have > 0 ? { range: `bytes=${have}-` } : {}, signal: controller.signal });
      let append = false;
      if (res.status === 206) {
        const start = /^bytes (\d+)-/.exec(res.header('content-range') ?? '');
        if (!start || Number(start[1]) !== have) {
          res.discard();
          rmSync(partial, { force: true });
          throw new HubError('network', `the server sent an unexpected range (${res.header('content-range')}), restarting`);
        }
        append = true;
      } else if (res.status === 416) {
        res.discard();
        rmSync(partial, { force: true });
        throw new HubError('network', 'the server refused to resume (HTTP 416), restarting');
      } else if (res.status !== 200) {
        throw await hubErrorFor(res, { ...this.ctx, file });
      } else if (have > 0) {
        this.logger.debug(`${file}: the server ignored the Range request, restarting from 0`);
        this.doneBytes -= have;
      }
      await this.writeBody(res.body, partial, append, file);
    } catch (e) {
      if (e instanceof CancelledError || token?.isCancellationRequested) throw new CancelledError();
      if (e instanceof HubError) throw e;
      throw new HubError('network', `download interrupted (${describeCause(e)})`);
    } finally {
      clearInterval(poll);
    }
  }

  /** Writes each chunk as it arrives (synchronously), so a cut connection loses nothing already received. */
  private writeBody(body: IncomingMessage, partial: string, append: boolean, file: string): Promise<void> {
    const fd = openSync(partial, append ? 'a' : 'w');
    return new Promise<void>((done, fail) => {
      let failure: unknown;
      body.on('data', (chunk: Buffer) => {
        try {
          if (this.opts.token?.isCancellationRequested) throw new CancelledError();
          writeSync(fd, chunk);
        } catch (e) {
          failure = e;
          body.destroy();
          return;
        }
        this.bytesDownloaded += chunk.length;
        this.doneBytes += chunk.length;
        this.report(false, file);
      });
      body.on('error', (e) => { failure ??= e; });
      body.on('close', () => {
        closeSync(fd);
        if (failure === undefined && !body.complete) failure = new Error('connection closed early');
        if (failure === undefined) done(); else fail(failure);
      });
    });
  }

  writeRef(): void {
    if (this.revision === this.commit) return;
    const ref = join(this.repoDir, 'refs', this.revision);
    makeFolder(dirname(ref));
    writeFileSync(ref, this.commit);
  }
}

function normalizeEtag(raw: string | null): string | undefined {
  const etag = raw?.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  return etag && /^[A-Za-z0-9._-]+$/.test(etag) ? etag : undefined;
}

/**
 * Runs `fn` holding an exclusive lock file (naming this process, processLock.ts) so two processes
 * never append to the same partial blob; a lock left by a process that no longer runs is taken over.
 */
async function withBlobLock(lock: string, file: string, token: CancellationToken | undefined, logger: Logger, fn: () => Promise<void>): Promise<void> {
  makeFolder(dirname(lock));
  for (let waited = false; ;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, ownLockRecord());
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder: LockHolder | undefined; // none: just created, not written yet (or unreadable): wait
    try { holder = parseLockRecord(readFileSync(lock, 'utf8')); } catch { continue; /* released meanwhile */ }
    if (holder && !lockHolderRunning(holder)) { rmSync(lock, { force: true }); continue; }
    if (!waited) logger.info(`${file}: another process is downloading it, waiting (lock ${lock})`);
    waited = true;
    throwIfCancelled(token);
    await new Promise((r) => setTimeout(r, 500));
  }
  try { await fn(); } finally { rmSync(lock, { force: true }); }
}

/** Refuses to start downloads that cannot fit, rather than failing hours later with a full disk. */
function checkDiskSpace(dir: string, needed: number): void {
  if (needed <= 0) return;
  makeFolder(dir);
  let free: number;
  try { const st = statfsSync(dir); free = st.bavail * st.bsize; } catch { return; }
  if (needed > free) {
    throw new HubError('disk', `not enough disk space in ${dir}: the download needs ${(needed / 1e9).toFixed(2)} GB, ${(free / 1e9).toFixed(2)} GB are free (set HF_HUB_CACHE to a larger disk)`);
  }
}

function sizeOf(path: string): number {
  try { return statSync(path).size; } catch { return 0; }
}

/** snapshots/<commit>/<file> → ../../blobs/<etag> (relative, as huggingface_hub makes it); a copy where links are refused. */
function linkPointer(blob: string, pointer: string): void {
  makeFolder(dirname(pointer));
  rmSync(pointer, { force: true });
  try {
    symlinkSync(relative(dirname(pointer), blob), pointer);
  } catch {
    copyFileSync(blob, pointer);
  }
}

/** Size and (for LFS files, whose ETag is their SHA-256) checksum; a bad file is deleted, never kept. */
async function verifyBlob(file: string, partial: string, meta: FileMeta): Promise<void> {
  const size = sizeOf(partial);
  let problem: string | undefined;
  if (meta.size !== undefined && size !== meta.size) problem = `size ${size} bytes, expected ${meta.size}`;
  else if (SHA256_RE.test(meta.etag)) problem = await sha256Problem(partial, meta.etag);
  if (problem) {
    rmSync(partial, { force: true });
    throw new HubError('checksum', `${file}: downloaded file is corrupt (${problem}); it was deleted, run the command again to download it afresh`);
  }
}

/** Files of the repo to fetch besides the weights: required ones (error if absent), optional ones if present. */
function selectFiles(repoId: string, info: RepoInfo, logger: Logger): string[] {
  const have = new Set(info.siblings);
  if (!have.has('config.json')) throw new HubError('invalid', `${repoId} has no config.json: not a transformers model`);
  for (const f of REQUIRED_FILES) if (!have.has(f)) logger.warn(`${repoId} has no ${f}; the LLM encoder will not be able to load it`);
  const files = [...REQUIRED_FILES, ...OPTIONAL_FILES].filter((f) => have.has(f));
  if (have.has(WEIGHTS_FILE)) files.push(WEIGHTS_FILE);
  else if (have.has(WEIGHTS_INDEX_FILE)) files.push(WEIGHTS_INDEX_FILE);
  else throw new HubError('invalid', `${repoId} has no safetensors weights (${WEIGHTS_FILE} or ${WEIGHTS_INDEX_FILE}); only safetensors checkpoints are supported`);
  return files;
}

/**
 * Downloads what the LLM encoder needs from `repoId` at `revision` into the hub cache and returns the
 * snapshot folder. A second pull of the same revision only asks the hub which commit it is.
 */
export async function pullModel(repoId: string, opts: PullOptions = {}): Promise<PullResult> {
  const revision = opts.revision ?? 'main';
  const folder = repoId.startsWith('~/') ? join(homedir(), repoId.slice(2)) : repoId;
  if (existsSync(folder) && statSync(folder).isDirectory()) {
    throw new HubError('invalid', `${repoId} is a local folder: there is nothing to download; use it as it is (--encoder llm:${repoId})`);
  }
  if (looksLikePath(repoId)) throw new HubError('invalid', `${repoId}: no such folder, and a path is not a Hugging Face model id (expected org/name, e.g. meta-llama/Llama-3.2-1B)`);
  validateRepoId(repoId);
  validateRevision(revision);
  const pull = new Pull(repoId, revision, opts);
  let info: RepoInfo;
  try {
    if (process.env.HF_HUB_OFFLINE === '1') throw new HubError('network', 'HF_HUB_OFFLINE=1');
    info = await pull.repoInfo();
  } catch (e) {
    if (!(e instanceof HubError) || e.code !== 'network') throw e;
    const commit = cachedCommit(pull.repoDir, revision);
    if (commit && snapshotStatus(join(pull.repoDir, 'snapshots', commit)).complete) {
      pull.logger.warn(`${e.message}; using the cached ${repoId}@${revision} (${commit.slice(0, 7)})`);
      pull.commit = commit;
      return { repoId, revision, commit, snapshotDir: pull.snapshotDir, files: [], bytesDownloaded: 0, offline: true };
    }
    throw new HubError('network', `${e.message}; ${repoId}@${revision} is not in the cache (${dirname(pull.repoDir)})`);
  }
  pull.commit = info.sha;
  pull.writeRef();
  const files = await pull.ensureFiles(selectFiles(repoId, info, pull.logger));
  const indexPath = join(pull.snapshotDir, WEIGHTS_INDEX_FILE);
  if (files.some((f) => f.name === WEIGHTS_INDEX_FILE)) {
    let shards: string[];
    try { shards = shardsOfIndex(readFileSync(indexPath, 'utf8')); } catch (e) {
      throw new HubError('invalid', `${repoId}: cannot read ${WEIGHTS_INDEX_FILE}: ${(e as Error).message}`);
    }
    const listed = new Set(info.siblings);
    const bad = shards.filter((s) => !safeShardName(s) || !listed.has(s));
    if (bad.length) throw new HubError('invalid', `${repoId}: ${WEIGHTS_INDEX_FILE} names shards the repo does not have: ${bad.join(', ')}`);
    files.push(...await pull.ensureFiles(shards));
  }
  return { repoId, revision, commit: pull.commit, snapshotDir: pull.snapshotDir, files, bytesDownloaded: pull.bytesDownloaded, offline: false };
}

function looksLikePath(s: string): boolean {
  return s.startsWith('.') || s.startsWith('/') || s.startsWith('~') || s.includes('\\') || isAbsolute(s);
}

/**
 * The local folder of a model: an existing folder path is returned as is (absolute); a hub id
 * resolves through the cache (refs/<revision> → snapshots/<commit>) without the network.
 */
export function resolveModelDir(idOrPath: string, revision = 'main', opts: { cacheDir?: string } = {}): string {
  const expanded = idOrPath.startsWith('~/') ? join(homedir(), idOrPath.slice(2)) : idOrPath;
  if (existsSync(expanded) && statSync(expanded).isDirectory()) return resolve(expanded);
  if (looksLikePath(idOrPath)) throw new HubError('invalid', `${idOrPath}: no such folder`);
  validateRepoId(idOrPath, true);
  validateRevision(revision);
  const cacheDir = opts.cacheDir ?? hubCacheDir();
  const repoDir = repoCacheDir(idOrPath, cacheDir);
  const commit = cachedCommit(repoDir, revision);
  const pullHint = `run \`ner-retriever model pull ${idOrPath}${revision === 'main' ? '' : ` --revision ${revision}`}\``;
  if (!commit) throw new HubError('not-cached', `${idOrPath}@${revision} is not in the Hugging Face cache (${cacheDir}): ${pullHint}`);
  const dir = join(repoDir, 'snapshots', commit);
  const status = snapshotStatus(dir);
  if (!status.complete) throw new HubError('not-cached', `${idOrPath}@${revision} is incomplete in the cache (missing ${status.missing.join(', ')}): ${pullHint}`);
  return dir;
}

/** Like resolveModelDir, but pulls a hub model that is not (completely) cached yet. */
export async function ensureModelDir(idOrPath: string, opts: PullOptions = {}): Promise<string> {
  try {
    return resolveModelDir(idOrPath, opts.revision, { cacheDir: opts.cacheDir });
  } catch (e) {
    if (!(e instanceof HubError) || e.code !== 'not-cached') throw e;
    return (await pullModel(idOrPath, opts)).snapshotDir;
  }
}
