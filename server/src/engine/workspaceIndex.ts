// A live index of a (multi-root) workspace: owns the models and the store, and applies file
// changes through one serial queue so the store is never written by two jobs at once. Searches
// are answered at any time from what is indexed. Used by the language server; no vscode imports.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { components, loadDefaultModels, openStore, type Models } from './engine.ts';
import { decodeText } from './ingest/decode.ts';
import { documentKind, ingestText, startsWithByteOrderMark } from './ingest/document.ts';
import { IncrementalProse } from './ingest/incrementalProse.ts';
import {
  DEFAULT_EXCLUDE, DEFAULT_INCLUDE, DEFAULT_MAX_FILE_SIZE, isBehindLinkNotFollowed, isGitignoredUnder, matchesExclude, NodeFileSystemWorkspace, type FileFilter,
} from './ingest/workspace.ts';
import { describeFileCounts, emptyReport, indexWorkspace, isUnder, mtimeToRecord, prepareDocument, statUnchanged, vanishedDocuments, type IndexComponents, type IndexReport } from './indexer.ts';
import { withCorpusWhitening } from './llm/whitening.ts';
import { StoreError, type MentionStore, type StoredDocument, type StoredMention } from './index/store.ts';
import { checkQuery, DEFAULT_SEARCH_LIMIT, mentionName, namesAmong, outermost, searchByVector, withoutOverlaps, type NameHit, type SearchHit } from './query/search.ts';
import { boostedScore } from './query/typeMembership.ts';
import { CancelledError, nullLogger, timeSlicer, type CancellationToken, type Logger, type TypeMembership } from './types.ts';
import { TypeVocabulary } from './typeLabels.ts';
import { dot } from './vectorMath.ts';

export type IndexPhase = 'starting' | 'indexing' | 'idle' | 'paused' | 'error';

export interface IndexState {
  phase: IndexPhase;
  /** No job running or queued (and not paused). */
  quiescent: boolean;
  /** The first full pass over the workspace has completed. */
  initialPassDone: boolean;
  indexedFiles: number;
  totalFiles: number;
  mentions: number;
  /** Problems worth surfacing (skipped files, failed updates); cleared by a clean pass. */
  warnings: string[];
  error?: string;
  message: string;
}

/**
 * The filter with the store's own folder excluded: a store kept inside the workspace (a
 * `storagePath` there) would otherwise have its files indexed as documents under broad include globs.
 */
function withoutStore(filter: FileFilter | undefined, storeDir: string): FileFilter {
  return { ...filter, excludeFolders: [...(filter?.excludeFolders ?? []), resolve(storeDir)] };
}

export interface WorkspaceIndexOptions {
  roots: string[];
  storeDir: string;
  cacheDir?: string;
  filter?: FileFilter;
  logger?: Logger;
  /** Called (synchronously) whenever the state changes; progress during a pass is included. */
  onState?: (state: IndexState) => void;
  /** Pre-loaded models (tests, or several indexes sharing them). */
  models?: Models;
  /**
   * A full pass over ≥ 2 MB of changed files detects spans on a worker thread (default true):
   * detection then never blocks this thread, and overlaps encoding and inserts.
   */
  detectorWorker?: boolean;
  /**
   * When the queue runs dry and the journal holds more than this many bytes (default 8 MB), a
   * snapshot is written so the next start replays little.
   */
  idleCheckpointBytes?: number;
  /**
   * An LLM encoder whose head is to be a whitening fit and has none yet (its models were loaded
   * raw: no trained head, no fit saved beside the store) gets one fitted on this workspace's
   * mentions before the store opens, and saved beside it, as the CLI's `index` does
   * (llm/whitening.ts). The language server sets this: its settings choose no head. `'refit'`:
   * fit again even when a saved fit is still valid (a rebuild; load the models raw for it).
   */
  fitWhitening?: boolean | 'refit';
}

type Job =
  | { kind: 'all'; rebuild: boolean }
  /** A newer event for a queued file updates its job in place. */
  | { kind: 'file'; path: string; text?: string };
type FileJob = Extract<Job, { kind: 'file' }>;

class Token implements CancellationToken {
  isCancellationRequested = false;
  /** Cancelled by pause(): the pass is queued again, even if resume() came before it stopped. */
  byPause = false;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** A mention's or a symbol query's text as names are matched: lower case; beyond printable ASCII also one line and NFC. */
function symbolText(text: string): string {
  return (/[^\x20-\x7e]/.test(text) ? mentionName(text).normalize('NFC') : text).toLowerCase();
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

/** Markdown files at least this long (UTF-16 units) are re-parsed incrementally after an edit. */
const INCREMENTAL_PARSE_CHARS = 32 * 1024;

export class WorkspaceIndex {
  private rootList: string[];
  private store: MentionStore;
  private readonly logger: Logger;
  private include!: (p: string) => boolean;
  private exclude!: (p: string) => boolean;
  private maxFileSize!: number;
  private filter: FileFilter | undefined;
  /** In-memory contents of open documents (unsaved edits): they win over the disk content. */
  private readonly overlays = new Map<string, string>();
  private readonly vocabularies = new Map<string, Promise<TypeVocabulary>>();
  /** Query vectors by description (most recent last): a repeated query skips the encoder, whose
   * asynchronous model call would otherwise wait behind indexing work on the event loop. */
  private readonly queryVectors = new Map<string, Promise<Float32Array>>();
  private readonly queue: Job[] = [];
  /** The queued job of each file path, and how many full passes are queued: event storms (a
   * branch switch, an unzip) queue tens of thousands of jobs, so neither may be a queue scan. */
  private readonly queuedFiles = new Map<string, FileJob>();
  private queuedPasses = 0;
  /** Documents whose files vanished while other changes were queued (see removeOrDefer). */
  private readonly vanishing = new Set<string>();
  /** Indexing shares the event loop with requests: it yields every few milliseconds. */
  private readonly yielder = timeSlicer(3);
  /** Previous prose parses of recently edited large Markdown files. */
  private readonly prose = new IncrementalProse(16);
  private running: { job: Job; token: Token } | undefined;
  private paused = false;
  /** No more jobs run (shutdown: closeAllDocuments, close). */
  private closed = false;
  private closing: Promise<void> | undefined;
  /** closeAllDocuments' reverts, run outside the queue. */
  private reverting: Promise<void> | undefined;
  private idleWaiters: Array<() => void> = [];
  /** whenIndexedAs's waiters, by path: the content hash each waits for. */
  private readonly contentWaiters = new Map<string, Array<{ hash: string; settle(indexed: boolean): void }>>();
  private pumping = false;
  private state: IndexState;
  /** Cancels the pass in progress when it is cancelled (work-done progress cancel). */
  private passToken: CancellationToken | undefined;
  private passCancelled = false;
  /**
   * The files a full pass would list now (`totalFiles`), plus open documents' buffers the index
   * covers: set by each pass's listing, kept up to date by single-file jobs. Undefined before the
   * first listing.
   */
  private listedFiles: Set<string> | undefined;
  /** Set when the store folder vanished under us and was rebuilt; reported with the next pass's warnings. */
  private storeWarning: string | undefined;

  private constructor(private readonly models: Models, store: MentionStore, private readonly options: WorkspaceIndexOptions) {
    this.rootList = [...options.roots];
    this.store = store;
    this.logger = options.logger ?? nullLogger;
    this.applyFilter(options.filter);
    this.state = {
      phase: 'idle', quiescent: true, initialPassDone: false, indexedFiles: store.documentCount, totalFiles: 0,
      mentions: store.mentionCount, warnings: [], message: 'Index loaded',
    };
  }

  /** Loads the models (unless given) and opens the store (rebuilt when the models changed). */
  static async open(options: WorkspaceIndexOptions): Promise<WorkspaceIndex> {
    const logger = options.logger ?? nullLogger;
    let models = options.models ?? await loadDefaultModels({ cacheDir: options.cacheDir, logger });
    let afterOpen = () => {};
    if (options.fitWhitening) {
      // A detection-only pass over the workspace samples its mentions (no LLM runs in it).
      const sample = (c: IndexComponents) => indexWorkspace(new NodeFileSystemWorkspace(options.roots, withoutStore(options.filter, options.storeDir), logger), c, { logger });
      // The pass before the first pass can take a while on a large workspace: say what it is.
      const onSampling = () => options.onState?.({
        phase: 'starting', quiescent: false, initialPassDone: false, indexedFiles: 0, totalFiles: 0, mentions: 0, warnings: [],
        message: 'Sampling the workspace\'s mentions for the LLM encoder\'s whitening head…',
      });
      ({ models, afterOpen } = await withCorpusWhitening(models, options.storeDir, sample, { logger, onSampling, force: options.fitWhitening === 'refit' }));
    }
    let store: MentionStore;
    let warning: string | undefined;
    try {
      store = await openStore(options.storeDir, models, { rebuildOnMismatch: true, logger });
    } catch (e) {
      // A damaged store is only a cache of the workspace: rebuild it and say so.
      if (!(e instanceof StoreError && e.code === 'corrupt')) throw e;
      warning = `The index store in ${options.storeDir} was damaged (${e.message}); it was rebuilt`;
      logger.warn(warning);
      store = await openStore(options.storeDir, models, { rebuild: true, logger });
    }
    afterOpen();
    const index = new WorkspaceIndex(models, store, options);
    index.storeWarning = warning;
    return index;
  }

  get roots(): readonly string[] { return this.rootList; }
  /** The encoder the index embeds with (an LLM's id names its head, and a fitted head's fit). */
  get encoderId(): string { return this.models.encoder.id; }

  /**
   * Workspace folders added or removed: documents outside every root leave the index and a pass
   * indexes the new folders (unchanged files are skipped by the incremental pass).
   */
  setRoots(roots: readonly string[]): Promise<void> {
    this.rootList = [...roots];
    return this.indexAll();
  }

  get currentState(): IndexState { return { ...this.state, warnings: [...this.state.warnings] }; }
  get quiescent(): boolean { return !this.running && this.queue.length === 0 && !this.paused; }
  get isPaused(): boolean { return this.paused; }
  /** Mentions searches can return: documents of vanished files waiting for a rename are left out. */
  get mentionCount(): number { return this.store.mentionCount - this.hiddenTotals().mentions; }
  get documentCount(): number { return this.store.documentCount - this.hiddenTotals().documents; }

  /** Totals of the documents hidden while their files' fate is decided (few calls; the set is usually empty). */
  private hiddenTotals(): { documents: number; mentions: number } {
    let documents = 0, mentions = 0;
    for (const path of this.vanishing) {
      const doc = this.store.getDocument(path);
      if (!doc) continue;
      documents++;
      for (const p of doc.paragraphs) mentions += p.mentions.length;
    }
    return { documents, mentions };
  }

  private setState(patch: Partial<IndexState>): void {
    this.state = { ...this.state, ...patch, quiescent: this.quiescent, mentions: this.mentionCount };
    if (this.state.phase !== 'indexing' && this.state.phase !== 'starting') {
      this.state.indexedFiles = this.documentCount;
      if (this.listedFiles) this.state.totalFiles = this.listedFiles.size;
    }
    this.options.onState?.(this.currentState);
  }

  private applyFilter(filter: FileFilter | undefined): void {
    this.filter = withoutStore(filter, this.options.storeDir);
    const include = filter?.include?.length ? filter.include : DEFAULT_INCLUDE;
    this.include = picomatch(include, { dot: true });
    this.exclude = picomatch([...DEFAULT_EXCLUDE, ...(this.filter?.exclude ?? []).map(toPosix)], { dot: true });
    this.maxFileSize = filter?.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  }

  /** Changes the include/exclude globs and size limit; a full pass applies them (call `indexAll`). */
  setFilter(filter: FileFilter | undefined): void {
    this.applyFilter(filter);
  }

  /**
   * Whether a path is one this index covers (under a root, matching the include globs, not
   * excluded); with `size`, the bytes of its content (an open buffer's), also within the size limit.
   */
  accepts(path: string, size?: number): boolean {
    if (size !== undefined && size > this.maxFileSize) return false;
    const root = this.roots.find((r) => isUnder(path, r));
    if (!root) return false;
    const rel = toPosix(relative(root, path));
    return this.include(rel) && !this.inExcludedFolder(path) && !this.exclude(rel) && !this.exclude(toPosix(path))
      && !this.inExcludedParent(root, rel) && !(this.filter?.respectGitignore !== false && isGitignoredUnder(root, path));
  }

  /**
   * Whether a folder above the file (below its root) is excluded, as the workspace listing prunes it:
   * `exclude: ["archive"]` leaves out `archive/a.md` from a pass, and so from a watcher event or an open buffer.
   */
  private inExcludedParent(root: string, rel: string): boolean {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (matchesExclude(this.exclude, dir, toPosix(join(root, dir)), true)) return true;
    }
    return false;
  }

  /** Whether a folder above the file, below its root, is a link the listing does not follow (to a folder holding the root, or inside it). */
  private isBehindLinkNotFollowed(path: string): Promise<boolean> {
    const root = this.roots.find((r) => isUnder(path, r));
    return root ? isBehindLinkNotFollowed(root, path) : Promise.resolve(false);
  }

  /** Whether the path is in a folder excluded by path (the store's own). */
  private inExcludedFolder(path: string): boolean {
    return (this.filter?.excludeFolders ?? []).some((f) => isUnder(path, f));
  }

  /** For a file watcher: whether to skip this path (a folder that is excluded, or a file this index does not cover). */
  ignoresForWatch(path: string, isDirectory: boolean): boolean {
    const root = this.roots.find((r) => isUnder(path, r));
    if (!root) return true;
    const rel = toPosix(relative(root, path));
    if (!rel) return false;
    if (this.inExcludedFolder(path) || this.exclude(rel) || (isDirectory && this.exclude(`${rel}/_`)) || this.exclude(toPosix(path))) return true;
    if (isDirectory && this.filter?.respectGitignore !== false && isGitignoredUnder(root, path, true)) return true;
    return !isDirectory && !this.accepts(path);
  }

  // ------------------------------------------------------------------ queueing

  /** Queues a full (incremental) pass over the workspace; `rebuild` wipes the store first. */
  indexAll(options: { rebuild?: boolean; token?: CancellationToken } = {}): Promise<void> {
    if (!this.queuedPasses) this.enqueue({ kind: 'all', rebuild: !!options.rebuild });
    else if (options.rebuild) for (const j of this.queue) if (j.kind === 'all') j.rebuild = true;
    this.passToken = options.token;
    return this.kick();
  }

  /** How edited large Markdown files were parsed (full vs only around the edit), for tests and benchmarks. */
  get markdownParses(): Readonly<{ full: number; incremental: number }> { return this.prose.stats; }

  /** Queues a (re-)index of one file: from `text` when given, else from disk (a missing file is removed). */
  updateFile(path: string, text?: string): Promise<void> {
    const queued = this.queuedFiles.get(path);
    if (queued) queued.text = text; else this.enqueue({ kind: 'file', path, text });
    return this.kick();
  }

  private enqueue(job: Job, atFront = false): void {
    if (atFront) this.queue.unshift(job); else this.queue.push(job);
    if (job.kind === 'all') this.queuedPasses++; else this.queuedFiles.set(job.path, job);
  }

  /** Takes `job` out of the queue's bookkeeping (the caller removes it from the array). */
  private forget(job: Job): void {
    if (job.kind === 'all') this.queuedPasses--;
    else if (this.queuedFiles.get(job.path) === job) this.queuedFiles.delete(job.path);
  }

  /**
   * Queues a re-index of `path` only if its size or mtime differs from what is indexed (or it
   * appeared or vanished). A file watcher calls this a little after its events: watchers coalesce
   * or drop events for quick successive writes, and a stat is cheap. Returns whether it queued one.
   */
  async recheckFile(path: string): Promise<boolean> {
    if (this.closed || this.overlays.has(path) || !this.accepts(path)) return false;
    const running = this.running?.job;
    if (this.queuedPasses || this.queuedFiles.has(path) || running?.kind === 'all' || (running?.kind === 'file' && running.path === path)) return false; // indexed soon anyway
    const stored = this.store.getDocument(path);
    const st = await stat(path).catch(() => undefined);
    if (!st) return stored ? (void this.updateFile(path), true) : false;
    if (!st.isFile() || (!stored && st.size > this.maxFileSize)) return false;
    if (statUnchanged(stored, { path, size: st.size, mtimeMs: st.mtimeMs })) return false;
    void this.updateFile(path);
    return true;
  }

  /**
   * An open document's unsaved content: indexed (queued) instead of the disk content until
   * `closeDocument`. Kept even for a document the filters leave out now (a .gitignore line, an
   * exclude glob, the size limit): when they change, the next pass indexes the buffer, not the disk.
   */
  openDocument(path: string, text: string): Promise<void> {
    this.overlays.set(path, text);
    return this.updateFile(path, text);
  }

  /** Drops an open document's in-memory content: the file reverts to its disk content (or leaves the index). */
  closeDocument(path: string): Promise<void> {
    this.overlays.delete(path);
    return this.updateFile(path);
  }

  /**
   * At shutdown, before `close`: puts every open document back to its content on disk, as closing
   * each would (an editor closing with unsaved changes: the store is shared with the CLI and the
   * next session, and should not keep text that was never saved). The index takes no more work:
   * queued jobs are dropped and a running one is cancelled rather than waited for, and the reverts
   * run even while paused (a queued revert would wait behind a pass, or for a resume that never
   * comes). Resolves once they are indexed; `close` meanwhile stops them after the current file.
   */
  closeAllDocuments(): Promise<void> {
    const open = [...this.overlays.keys()];
    this.overlays.clear();
    if (this.closed) return this.reverting ?? Promise.resolve();
    this.reverting = this.stopJobs().then(async () => {
      await this.store.settled();
      for (const path of open) {
        if (this.closing) return;
        await this.runFile({ kind: 'file', path }).catch((e) => this.logger.warn(`Could not put ${path} back to its saved text: ${(e as Error).message}`));
      }
    });
    return this.reverting;
  }

  /** Queues removal of a file (or of every file under a folder). */
  removeFile(path: string): Promise<void> {
    return this.updateFile(path);
  }

  /** Interrupts the running pass (it restarts on resume) and holds queued work. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    if (this.running?.job.kind === 'all') {
      this.running.token.isCancellationRequested = true;
      this.running.token.byPause = true;
    }
    this.setState({ phase: 'paused', message: 'Indexing paused' });
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.setState({ phase: this.queue.length ? 'indexing' : 'idle', message: this.queue.length ? 'Indexing resumed' : 'Index up to date' });
    void this.kick();
  }

  /**
   * Resolves true once the stored document at `path` holds `text`, false after `timeoutMs` (or on
   * close). An editor asks about an open document right after an edit, before the debounced edit
   * is indexed; the answer must come from the text the editor shows.
   */
  whenIndexedAs(path: string, text: string, timeoutMs: number): Promise<boolean> {
    const hash = sha1(text);
    if (this.store.getDocument(path)?.contentHash === hash) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      let list = this.contentWaiters.get(path);
      if (!list) this.contentWaiters.set(path, (list = []));
      const waiter = {
        hash,
        settle: (indexed: boolean) => {
          clearTimeout(timer);
          const rest = (this.contentWaiters.get(path) ?? []).filter((w) => w !== waiter);
          if (rest.length) this.contentWaiters.set(path, rest); else this.contentWaiters.delete(path);
          resolve(indexed);
        },
      };
      const timer = setTimeout(() => waiter.settle(false), timeoutMs);
      list.push(waiter);
    });
  }

  /** Settles the waiters whose document now holds the content they wait for (after each job). */
  private settleContentWaiters(): void {
    for (const [path, list] of [...this.contentWaiters]) {
      const hash = this.store.getDocument(path)?.contentHash;
      for (const w of [...list]) if (w.hash === hash) w.settle(true);
    }
  }

  /** Takes no more work: queued jobs are dropped, and the running one is cancelled and waited for. */
  private async stopJobs(): Promise<void> {
    this.closed = true;
    if (this.running) this.running.token.isCancellationRequested = true;
    this.queue.length = 0;
    this.queuedFiles.clear();
    this.queuedPasses = 0;
    // Let the running job notice the cancellation before the store changes hands.
    while (this.pumping) await new Promise((r) => setTimeout(r, 10));
  }

  /** Resolves once nothing is running or queued (immediately when already quiescent). */
  whenQuiescent(): Promise<void> {
    if (this.quiescent) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private kick(): Promise<void> {
    if (!this.pumping) void this.pump();
    return this.whenQuiescent();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    // Announce the busy state first, so a client waiting for quiescence never sees a stale "idle".
    if (this.queue.length && !this.paused && !this.closed) this.setState({ phase: 'indexing', message: 'Indexing…' });
    try {
      while (!this.paused && !this.closed && this.queue.length) {
        // A snapshot started at the last quiescence may still be writing: jobs change the store.
        await this.store.settled();
        if (this.paused || this.closed || !this.queue.length) break;
        const job = this.queue.shift()!;
        this.forget(job);
        const token = new Token();
        this.running = { job, token };
        try {
          // The store folder deleted under us: reopen it empty; a single-file job is followed by a full pass.
          if (await this.reopenIfStoreGone() && job.kind === 'file' && !this.queuedPasses) this.enqueue({ kind: 'all', rebuild: false }, true);
          if (job.kind === 'all') await this.runPass(job, token);
          else await this.runFile(job);
        } catch (e) {
          if (e instanceof CancelledError) {
            if (token.byPause && job.kind === 'all') this.enqueue(job, true); // restart on resume (or now, if resumed already)
            else if (job.kind === 'all') {
              this.passCancelled = true;
              this.setState({ message: 'Indexing cancelled', warnings: ['Indexing was cancelled; the index is incomplete.'] });
            }
          } else {
            const message = (e as Error).message;
            this.logger.error(`Indexing ${job.kind === 'file' ? job.path : 'the workspace'} failed: ${message}`);
            this.setState({ phase: 'error', error: message, message: `Indexing failed: ${message}` });
          }
        } finally {
          this.running = undefined;
          this.settleContentWaiters();
        }
      }
    } finally {
      this.pumping = false;
    }
    if (this.quiescent) {
      this.flushVanishing();
      if (this.store.pendingJournalBytes > (this.options.idleCheckpointBytes ?? 8 << 20)) {
        await this.store.checkpoint().catch((e) => this.logger.warn(`Checkpoint failed: ${(e as Error).message}`));
        // The snapshot no longer blocks the thread: work queued meanwhile runs in a new pump, which ends with its own idle state.
        if (!this.quiescent) return;
      }
      if (this.state.phase !== 'error') this.setState({ phase: 'idle', message: this.passCancelled ? 'Indexing cancelled; the index is incomplete' : 'Index up to date' });
      else this.setState({});
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    } else if (this.paused) {
      this.setState({ phase: 'paused', message: 'Indexing paused' });
    }
  }

  /**
   * The store folder deleted (or its manifest removed) while running: writes would go to unlinked
   * files and be lost. Reopens an empty store in the same folder; the caller re-runs a full pass.
   */
  private async reopenIfStoreGone(): Promise<boolean> {
    const dir = this.store.dir;
    const problem = this.store.diskProblem();
    if (!problem) return false;
    this.logger.warn(`The index store in ${dir} was damaged while running (${problem}); rebuilding it.`);
    await this.store.close().catch((e) => this.logger.debug(`Closing the damaged store: ${(e as Error).message}`));
    this.store = await openStore(dir, this.models, { rebuild: true, logger: this.logger });
    this.storeWarning = `The index store in ${dir} was damaged while running (${problem}); it was rebuilt`;
    return true;
  }

  private async runPass(job: Extract<Job, { kind: 'all' }>, token: Token): Promise<void> {
    if (job.rebuild) {
      const dir = this.store.dir;
      await this.store.close();
      this.store = await openStore(dir, this.models, { rebuild: true, logger: this.logger });
    }
    const outer = this.passToken;
    this.passCancelled = false;
    const combined: CancellationToken = { get isCancellationRequested() { return token.isCancellationRequested || !!outer?.isCancellationRequested; } };
    for (const doc of [...this.store.documents()]) {
      if (doc.docId === undefined && !this.rootList.some((r) => isUnder(doc.path, r))) this.store.removeDocument(doc.path);
    }
    const workspace = new NodeFileSystemWorkspace(this.rootList, this.filter, this.logger);
    this.setState({ phase: 'indexing', error: undefined, indexedFiles: 0, message: 'Listing files…' });
    let lastReport = 0;
    const c = components(this.models, this.store, { detectorWorker: this.options.detectorWorker ?? true, cacheDir: this.options.cacheDir, logger: this.logger });
    const report: IndexReport = await indexWorkspace(workspace, c, {
      logger: this.logger,
      token: combined,
      yielder: this.yielder,
      // A checkpoint rewrites the whole snapshot (seconds at 200k mentions; searches go on, but the
      // pass waits for it): during a pass, checkpoint rarely; the pass end (quiescence) does one.
      // Costs a longer journal replay if the server is killed mid-pass.
      checkpointBytes: 512 * 1024 * 1024,
      // Feature extraction for an encoder batch is one synchronous step: keep it short.
      encodeBatch: 128,
      onListed: (files) => { this.listedFiles = new Set(files.map((f) => f.path)); },
      progress: ({ done, total }) => {
        const now = performance.now();
        if (done !== total && now - lastReport < 100) return;
        lastReport = now;
        this.setState({ phase: 'indexing', indexedFiles: done, totalFiles: total, message: `Indexing ${done}/${total} files` });
      },
    });
    // The pass read open documents from disk: their unsaved content wins again.
    for (const [path, text] of this.overlays) {
      if (combined.isCancellationRequested) throw new CancelledError();
      await this.runFile({ kind: 'file', path, text });
    }
    const warnings = report.skipped.map((s) => `${s.path}: ${s.reason}`);
    if (this.storeWarning) warnings.unshift(this.storeWarning);
    this.storeWarning = undefined;
    this.setState({
      phase: 'indexing', initialPassDone: true, totalFiles: this.listedFiles?.size ?? report.filesSeen, warnings,
      message: `Indexed ${report.filesSeen} files (${report.filesIndexed} changed)`,
    });
    this.logger.info(`Indexed ${report.filesSeen} files: ${report.filesIndexed} changed, ${describeFileCounts(report)}, ${report.mentionsEmbedded} mentions embedded`);
  }

  private async runFile(job: FileJob): Promise<void> {
    const { path } = job;
    let text = job.text ?? this.overlays.get(path);
    let size: number;
    let mtimeMs: number;
    if (text === undefined) {
      let bytes: Uint8Array;
      try {
        const statAt = Date.now();
        const st = await stat(path);
        // A folder created (or renamed to this path): its files, as a full pass lists them. A file
        // that stood at this path before ("rm x.md; mkdir x.md") leaves the index.
        if (st.isDirectory()) {
          const replaced = this.store.getDocument(path);
          if (replaced && replaced.docId === undefined) { this.store.removeDocument(path); this.listedFiles?.delete(path); }
          await this.queueFolder(path);
          return;
        }
        if (!this.accepts(path) || await this.isBehindLinkNotFollowed(path)) { this.drop(path); return; }
        if (st.size > this.maxFileSize) {
          this.dropTooLarge(path);
          return;
        }
        this.listedFiles?.add(path);
        size = st.size;
        mtimeMs = mtimeToRecord(st.mtimeMs, statAt);
        bytes = await readFile(path);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') {
          // Gone: a file, or a folder (whose documents may be taken by a queued rename's new folder).
          this.removeOrDefer(path);
          this.unlist(path);
          return;
        }
        if (!this.accepts(path)) { this.drop(path); return; }
        // No permission (the file, or a folder above it): out of the index, as a full pass leaves
        // it; other errors (EMFILE, EIO) may pass, and keep what was indexed.
        if (code === 'EACCES' || code === 'EPERM') this.drop(path);
        this.logger.warn(`Skipping ${path}: unreadable (${code ?? (e as Error).message})`);
        return;
      }
      const decoded = decodeText(bytes);
      if (!decoded.ok) { this.removeUnder(path); return; }
      text = decoded.text;
    } else {
      if (!this.accepts(path)) { this.drop(path); return; }
      size = Buffer.byteLength(text);
      // A buffer is held to the size limit of its file on disk.
      if (size > this.maxFileSize) {
        this.dropTooLarge(path);
        return;
      }
      this.listedFiles?.add(path);
      mtimeMs = -1; // unsaved content: the next pass re-reads the file from disk
    }
    this.vanishing.delete(path); // it is back (or never left): indexed below like any file
    const contentHash = sha1(text);
    const previous = this.store.getDocument(path);
    if (!previous && job.text === undefined && !this.overlays.has(path)) {
      const from = vanishedDocuments(this.store, this.rootList, (p) => this.overlays.has(p)).take(contentHash, size, path);
      if (from) { this.moveDocument(from.path, path, size, mtimeMs); return; }
    }
    const kind = documentKind(path) ?? 'plaintext';
    // Large Markdown files are re-parsed only around the edit (small ones cost little to parse);
    // a buffer that starts with a byte-order mark is parsed whole, as ingestText reads it.
    const incremental = kind === 'markdown' && text.length >= INCREMENTAL_PARSE_CHARS && !startsWithByteOrderMark(text);
    if (previous && previous.contentHash === contentHash) {
      if (previous.size !== size || previous.mtimeMs !== mtimeMs) this.store.putDocument({ ...previous, size, mtimeMs }, new Map());
      // A document just opened in an editor is the one about to be edited: parse it now, while
      // idle, so its first edit is re-parsed incrementally instead of in full (≈ 120 ms per MB).
      if (incremental && job.text !== undefined) this.prose.parse(path, text);
      return;
    }
    const prose = incremental ? this.prose.parse(path, text) : undefined;
    const ingested = ingestText(path, text, kind, prose);
    const c = components(this.models, this.store);
    const report = emptyReport();
    const pending = await prepareDocument(ingested, { contentHash, size, mtimeMs }, previous, c, report, { yielder: this.yielder });
    const vectors = pending.inputs.length ? await this.models.encoder.encodeMentions(pending.inputs) : [];
    const fresh = new Map<number, Float32Array>();
    pending.labels.forEach((label, i) => fresh.set(label, vectors[i]));
    await this.store.putDocumentSliced(pending.doc, fresh, this.yielder);
    this.logger.debug(`Re-indexed ${path}: ${report.paragraphsEmbedded} paragraphs embedded, ${report.paragraphsReused} reused`);
  }

  /**
   * Queues the files under a folder that a full pass would index (globs, exclusions, .gitignore,
   * size limit) and that are not indexed as they are: a watcher may report a new or renamed folder
   * as one event (`git mv docs notes`), not one per file.
   */
  private async queueFolder(path: string): Promise<void> {
    const workspace = new NodeFileSystemWorkspace(this.rootList, this.filter, this.logger);
    for await (const file of workspace.listFilesUnder(path)) {
      if (this.closed) return;
      if (this.queuedFiles.has(file.path) || this.overlays.has(file.path) || statUnchanged(this.store.getDocument(file.path), file)) continue;
      this.enqueue({ kind: 'file', path: file.path });
    }
  }

  private moveDocument(from: string, to: string, size: number, mtimeMs: number): void {
    this.vanishing.delete(from);
    this.store.renameDocument(from, to);
    this.store.putDocument({ ...this.store.getDocument(to)!, size, mtimeMs }, new Map());
    this.logger.debug(`Renamed ${from} → ${to} (mentions kept, nothing re-embedded)`);
  }

  /**
   * The file (or folder) at `path` vanished. With other changes queued it may be one half of a
   * rename (watchers report delete + create, in either order, and a branch switch reports
   * thousands): its documents are kept, hidden from searches, until the queue has drained, so a
   * queued new file with the same content takes their mentions without re-embedding
   * (vanishedDocuments finds them by content hash). Otherwise they leave the index now.
   */
  private removeOrDefer(path: string): void {
    // A document open in an editor stays indexed with its buffer until it is closed, as a deleted
    // file that is open does: a vanished folder takes only the others (`mv docs notes` with
    // docs/a.md open left docs/a.md's buffer out of the index).
    const gone = this.documentsUnder(path).filter((doc) => !this.overlays.has(doc.path));
    if (!this.queuedFiles.size) { for (const doc of gone) this.store.removeDocument(doc.path); return; }
    for (const doc of gone) this.vanishing.add(doc.path);
  }

  /** Removes the deferred documents whose files are still gone (called once the queue is empty), open ones aside. */
  private flushVanishing(): void {
    for (const path of this.vanishing) if (this.store.getDocument(path) && !existsSync(path) && !this.overlays.has(path)) this.store.removeDocument(path);
    this.vanishing.clear();
  }

  /** `path` (a file, or a folder: everything under it) leaves the index and `totalFiles`. */
  private drop(path: string): void {
    this.removeUnder(path);
    this.unlist(path);
  }

  /** A file (or an open buffer) over the size limit: out of the index, as a full pass leaves it. */
  private dropTooLarge(path: string): void {
    this.drop(path);
    this.logger.warn(`Skipping ${path}: larger than the size limit`);
  }

  /** `path` (a file, or a folder: every file under it) no longer counts in `totalFiles`. */
  private unlist(path: string): void {
    const listed = this.listedFiles;
    if (!listed || listed.delete(path)) return;
    for (const p of listed) if (isUnder(p, path)) listed.delete(p);
  }

  private removeUnder(path: string): void {
    for (const doc of this.documentsUnder(path)) this.store.removeDocument(doc.path);
  }

  /** The file documents at `path` (a file) or under it (a folder); .jsonl corpus documents never. */
  private documentsUnder(path: string): StoredDocument[] {
    // A stored file is not a folder: no need to look at every document (deletion storms).
    const file = this.store.getDocument(path);
    if (file && file.docId === undefined) return [file];
    return [...this.store.documents()].filter((doc) => doc.docId === undefined && isUnder(doc.path, path));
  }

  // ------------------------------------------------------------------ queries

  /** Nearest mentions of a type description; `scope` restricts hits to these files/folders. */
  async search(query: string, options: { limit?: number; scope?: string[]; token?: CancellationToken } = {}): Promise<SearchHit[]> {
    const scope = options.scope?.length ? options.scope : undefined;
    const vector = await this.queryVector(query);
    if (options.token?.isCancellationRequested) throw new CancelledError();
    const inScope = scope ? (p: string) => scope.some((s) => isUnder(p, s)) : undefined;
    const hits = searchByVector(query, vector, this.store, {
      limit: options.limit,
      membership: this.membership(query),
      scope: this.vanishing.size ? (p) => !this.vanishing.has(p) && (!inScope || inScope(p)) : inScope,
    });
    if (options.token?.isCancellationRequested) throw new CancelledError();
    return hits;
  }

  /** The `limit` best names among a query's best mentions (query/search.ts, `namesAmong`), with search's options. */
  async searchNames(query: string, options: { limit?: number; scope?: string[]; token?: CancellationToken } = {}): Promise<NameHit[]> {
    const { names } = await namesAmong((k) => this.search(query, { ...options, limit: k }), Math.max(1, options.limit ?? DEFAULT_SEARCH_LIMIT));
    return names;
  }

  /** The description a query is searched as (query/description.ts); throws QueryError as search does. */
  describe(query: string): string {
    return checkQuery(query, this.models.encoder).description;
  }

  /** Where a query keeps the names WordNet knows to a place or time ("in Europe"), if it does. */
  restrictionOf(query: string): string | undefined {
    return this.membership(query)?.restriction;
  }

  /** The encoder's type-membership test for a (checked) query, if it has one. */
  private membership(query: string): TypeMembership | undefined {
    return this.models.encoder.typeMembership?.(this.describe(query));
  }

  /** The (cached) vector of a type description. */
  queryVector(query: string): Promise<Float32Array> {
    let description: string;
    try { description = this.describe(query); } catch (e) { return Promise.reject(e); }
    let v = this.queryVectors.get(description);
    if (v) {
      this.queryVectors.delete(description);
    } else {
      v = this.models.encoder.encodeQuery(description);
      v.catch(() => this.queryVectors.delete(description));
      if (this.queryVectors.size >= 256) this.queryVectors.delete(this.queryVectors.keys().next().value!);
    }
    this.queryVectors.set(description, v);
    return v;
  }

  /** The mentions of one indexed document, in document order (empty when it is not indexed). */
  mentionsOf(path: string): StoredMention[] {
    const doc = this.store.getDocument(path);
    if (!doc) return [];
    return doc.paragraphs.flatMap((p) => p.mentions).sort((a, b) => a.start - b.start);
  }

  /** The type vocabulary for these labels (query vectors computed once per distinct list). */
  vocabulary(labels: readonly string[]): Promise<TypeVocabulary> {
    const key = JSON.stringify(labels);
    let v = this.vocabularies.get(key);
    if (!v) {
      if (this.vocabularies.size >= 16) this.vocabularies.clear();
      v = TypeVocabulary.create(this.models.encoder, labels, (label, reason) => this.logger.warn(`Type label "${label}" left out: ${reason}`));
      v.catch(() => this.vocabularies.delete(key));
      this.vocabularies.set(key, v);
    }
    return v;
  }

  /** Best type label of each of these mentions, for those whose score is at least `threshold`. */
  async typeLabels(mentions: readonly StoredMention[], labels: readonly string[], threshold: number): Promise<Array<{ mention: StoredMention; label: string; score: number }>> {
    const vocabulary = await this.vocabulary(labels);
    const out: Array<{ mention: StoredMention; label: string; score: number }> = [];
    for (const mention of mentions) {
      const vector = this.store.vector(mention.label);
      if (!vector) continue;
      const best = vocabulary.best(vector, mention.text);
      if (best && best.score >= threshold) out.push({ mention, ...best });
    }
    return out;
  }

  /** Every label's score for one mention, best first (a hover's "which type is this?"); empty without a vector. */
  async typeScores(mention: StoredMention, labels: readonly string[]): Promise<Array<{ label: string; score: number }>> {
    const vocabulary = await this.vocabulary(labels);
    const vector = this.store.vector(mention.label);
    if (!vector) return [];
    const scores = vocabulary.scores(vector, mention.text);
    return vocabulary.labels.map((label, i) => ({ label, score: scores[i] })).sort((a, b) => b.score - a.score);
  }

  /** Mentions of a document whose cosine score for the type `query` is at least `minScore`, in document order. */
  async matchesIn(path: string, query: string, minScore: number): Promise<Array<{ mention: StoredMention; score: number }>> {
    const mentions = this.mentionsOf(path);
    if (!mentions.length) return [];
    const q = await this.queryVector(query);
    const membership = this.membership(query);
    const out: Array<{ mention: StoredMention; score: number }> = [];
    for (const mention of mentions) {
      const vector = this.store.vector(mention.label);
      if (!vector) continue;
      const score = boostedScore(dot(vector, q), membership, mention.text);
      if (score >= minScore) out.push({ mention, score });
    }
    // A product's name and the maker's name inside it are one place: highlighted once, as search lists it.
    const kept = new Set(withoutOverlaps([...out].sort((a, b) => b.score - a.score).map((m) => m.mention)));
    return out.filter((m) => kept.has(m.mention));
  }

  /** Mentions whose text contains `text` (case-insensitive), for symbol search. */
  findMentionsByText(text: string, limit = 500): Array<{ path: string; mention: StoredMention }> {
    // Matched as the names are shown (mentionName): a name wrapped over two lines ("Marie⏎Curie")
    // is "Marie Curie", and "José" written with a combining accent is the composed "José".
    const needle = symbolText(text);
    const out: Array<{ path: string; mention: StoredMention }> = [];
    for (const doc of this.store.documents()) {
      if (doc.docId !== undefined) continue;
      for (const p of doc.paragraphs) {
        // Not the maker's name inside a product's: the product's name holds its text too.
        for (const m of outermost(p.mentions)) {
          if (!needle || symbolText(m.text).includes(needle)) {
            out.push({ path: doc.path, mention: m });
            if (out.length >= limit) return out;
          }
        }
      }
    }
    return out;
  }

  close(): Promise<void> {
    this.closing ??= this.closeStore();
    return this.closing;
  }

  private async closeStore(): Promise<void> {
    await this.stopJobs();
    await this.reverting;
    await this.store.close();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
    for (const list of [...this.contentWaiters.values()]) for (const w of [...list]) w.settle(false);
  }
}
