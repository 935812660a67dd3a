// The NER Retriever language server: LSP wiring only (all indexing and search logic lives in the
// engine's WorkspaceIndex). Runs over --stdio, --node-ipc or --socket=N (vscode-languageserver picks
// the transport from argv). stdout carries JSON-RPC: nothing here may write to it; logs go through
// connection.console.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, DidChangeWorkspaceFoldersNotification, DocumentHighlightKind, ErrorCodes,
  ExitNotification, FileChangeType, InitializeRequest, InlayHintKind, LSPErrorCodes, Message, ProposedFeatures, ResponseError, ShutdownRequest,
  SymbolKind, TextDocuments, TextDocumentSyncKind, MarkupKind, type CancellationToken, type RequestMessage, type DocumentHighlight, type Hover, type InitializeParams, type InitializeResult, type InlayHint, type Position,
  type SymbolInformation, type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WorkspaceIndex, type IndexState } from '../engine/workspaceIndex.ts';
import { QueryError, mentionName, outermost, readDifferently, searchMentions, searchNames, type NameHit, type SearchHit as EngineHit } from '../engine/query/search.ts';
import { loadModels, openStore, type Models } from '../engine/engine.ts';
import { isUnder } from '../engine/indexer.ts';
import { parseLlmEncoderId } from '../engine/llm/llmEncoder.ts';
import { DEFAULT_TYPE_LABELS } from '../engine/typeLabels.ts';
import { watchWorkspace, type WorkspaceWatcher } from '../engine/watch.ts';
import { decodeLoosely } from '../engine/ingest/decode.ts';
import type { Logger } from '../engine/types.ts';
import { StoreError, storeLockHolder, type MentionStore, type StoredMention } from '../engine/index/store.ts';
import { describeHolder } from '../engine/processLock.ts';
import {
  GITIGNORE_GLOB, HighlightsRequest, PauseRequest, ReindexRequest, ResumeRequest, SearchRequest, StatusNotification, WATCH_GLOB,
  type HighlightsParams, type HighlightsResult, type InitializationOptions, type Params, type SearchHit, type SearchParams,
  type SearchResult, type StatusParams,
} from '../protocol.ts';
import { filterOf, readSettings, SettingsCache, type ResolvedSettings } from './settings.ts';

/**
 * Where the connection is in LSP's lifecycle. Before `initialize` a request is answered
 * ServerNotInitialized, after `shutdown` InvalidRequest (as is a second `initialize`), and
 * notifications then are dropped (`exit` aside), so nothing reaches the index. Tracked as
 * messages are dispatched, in their order.
 */
let lifecycle: 'new' | 'running' | 'shutDown' = 'new';
/** The method a refused request is dispatched as: the library answers requests only through handlers. */
const REFUSED = '$/ner/refused';

const connection = createConnection(ProposedFeatures.all, {
  // A request cancelled before it was dispatched (stale searches queued behind others) is
  // answered RequestCancelled at once instead of running.
  connectionStrategy: {
    cancelUndispatched: (message) => {
      const id = (message as { id?: number | string }).id;
      return id === undefined ? undefined
        : { jsonrpc: '2.0', id, error: { code: LSPErrorCodes.RequestCancelled, message: 'Request cancelled before it started' } };
    },
  },
  messageStrategy: {
    handleMessage: (message, next) => {
      const refusal = lifecycle === 'new' ? { code: ErrorCodes.ServerNotInitialized, reason: 'the server is not initialized yet' }
        : lifecycle === 'shutDown' ? { code: ErrorCodes.InvalidRequest, reason: 'the server was shut down' } : undefined;
      if (Message.isRequest(message)) {
        // A second initialize would replace the roots, the store folder and the client's capabilities under the running index.
        const refused = lifecycle === 'running' && message.method === InitializeRequest.method
          ? { code: ErrorCodes.InvalidRequest, reason: 'the server is already initialized' } : refusal;
        if (lifecycle === 'new' && message.method === InitializeRequest.method) lifecycle = 'running';
        else if (refused) return next({ ...message, method: REFUSED, params: { code: refused.code, message: `${message.method}: ${refused.reason}` } } as RequestMessage);
        else if (message.method === ShutdownRequest.method) lifecycle = 'shutDown';
      } else if (Message.isNotification(message) && refusal && message.method !== ExitNotification.method) {
        return;
      }
      return next(message);
    },
  },
});

connection.onRequest(REFUSED, (params: unknown) => {
  const { code, message } = (params ?? {}) as { code?: unknown; message?: unknown };
  if (code === ErrorCodes.ServerNotInitialized || code === ErrorCodes.InvalidRequest) throw new ResponseError(code, String(message));
  throw new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${REFUSED}`);
});

// Anything that would print to stdout (a stray console.log in a dependency) goes to the client log instead.
const toClient = (level: 'log' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
  const text = args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.stack ?? a.message : JSON.stringify(a))).join(' ');
  connection.console[level](text);
};
console.log = toClient('log');
console.info = toClient('info');
console.debug = toClient('log');
console.warn = toClient('warn');
console.error = toClient('error');

// A stray rejected promise (a file vanishing mid-read, a client gone mid-write) would end the
// process under node's default; the index is only a cache, so log it and keep serving, as VS
// Code's own language servers do.
process.on('unhandledRejection', (reason) => console.error('Unhandled rejection:', reason));

let verbose = false;
const logger: Logger = {
  error: (m) => connection.console.error(m),
  warn: (m) => connection.console.warn(m),
  info: (m) => connection.console.info(m),
  debug: (m) => { if (verbose) connection.console.log(m); },
};

let roots: string[] = [];
let storeDir = '';
let cacheDir: string | undefined;
let watchDynamically = false;
let inlayHintRefresh = false;
let configurationPull = false;
let configurationDynamic = false;
let workspaceFolderEvents = false;
let wasQuiescent = true;
const settings = new SettingsCache();
/** Open documents (unsaved edits are indexed, debounced, instead of the disk content). */
const documents = new TextDocuments(TextDocument);
const pendingEdits = new Map<string, ReturnType<typeof setTimeout>>();
const EDIT_DEBOUNCE_MS = 150;
const WATCHER_READY_MS = 10_000;
let index: WorkspaceIndex | undefined;
/** Why there is no index (a failed start or encoder switch); any settings change then starts over. */
let noIndex: string | undefined;
/** Set while the index waits for a store another process holds (see openIndex). */
let waitingForStore: string | undefined;
let shuttingDown = false;
/**
 * Set by ner/pause, cleared by ner/resume. Kept here, not only in the index: a pause while there is
 * none (models loading, an encoder switch, an LLM's pre-pass) applies to the index that opens next.
 */
let indexingPaused = false;
/** The last state of an index being opened (the whitening pre-pass says what it does), for statuses sent meanwhile. */
let openingState: IndexState | undefined;
let progress: WorkDoneProgressServerReporter | undefined;
let lastPercentage = -1;
/** Watched-file events that arrive before the index is open. */
const early: Array<() => void> = [];

/**
 * The normalised path of a file URI: `…/ws//a.md` is `…/ws/a.md` and `…/ws/` is `…/ws`, so one file
 * is one document, and folders compare equal however a client spells them.
 */
function uriToPath(uri: string): string | undefined {
  try { return resolvePath(fileURLToPath(uri)); } catch { return undefined; }
}
const pathToUri = (path: string) => pathToFileURL(path).href;

/** Default store folder: per user, keyed by the workspace folders. */
export function defaultStoreDir(folders: string[]): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const key = createHash('sha1').update([...folders].sort().join('\n')).digest('hex');
  return join(base, 'ner-retriever', 'workspaces', key);
}

function statusOf(state: IndexState | undefined): StatusParams {
  if (!index || !state) {
    // Before the index is open, a state can only come from its opening (the whitening pre-pass).
    return {
      health: noIndex ? 'error' : waitingForStore ? 'warning' : 'ok', quiescent: false, paused: indexingPaused, indexedFiles: 0, totalFiles: 0, mentions: 0,
      message: noIndex ?? waitingForStore ?? state?.message ?? 'Loading models…',
    };
  }
  if (encoderLoadError) {
    return {
      health: 'error', quiescent: state.quiescent, paused: index.isPaused, indexedFiles: state.indexedFiles, totalFiles: state.totalFiles,
      mentions: state.mentions, message: `${encoderLoadError} (the index of the encoder before stays in use)`,
    };
  }
  const health = state.phase === 'error' ? 'error' : state.warnings.length ? 'warning' : 'ok';
  const message = state.warnings.length && state.quiescent
    ? `${state.message} (${state.warnings.length} warning${state.warnings.length === 1 ? '' : 's'}: ${state.warnings[0]}${state.warnings.length > 1 ? ', …' : ''})`
    : state.error && state.phase === 'error' ? state.message : state.message;
  return {
    health, quiescent: state.quiescent, paused: index.isPaused, indexedFiles: state.indexedFiles, totalFiles: state.totalFiles,
    mentions: state.mentions, message,
  };
}

function onState(state: IndexState): void {
  // Progress first: a client that sees a quiescent ner/status has already seen the progress end.
  updateProgress(state);
  openingState = index ? undefined : state;
  void connection.sendNotification(StatusNotification.method, statusOf(state));
  if (state.quiescent && !wasQuiescent) refreshInlayHints();
  wasQuiescent = state.quiescent;
}

function refreshInlayHints(): void {
  if (!inlayHintRefresh) return;
  void connection.languages.inlayHint.refresh().catch((e) => logger.debug(`inlayHint/refresh failed: ${(e as Error).message}`));
}

function updateProgress(state: IndexState): void {
  if (!progress) return;
  if (state.quiescent && (state.initialPassDone || state.phase !== 'indexing')) {
    progress.done();
    progress = undefined;
    return;
  }
  if (state.phase === 'starting') progress.report(state.message);
  if (state.phase === 'indexing' && state.totalFiles > 0) {
    const percentage = Math.min(100, Math.floor((100 * state.indexedFiles) / state.totalFiles));
    if (percentage !== lastPercentage) {
      lastPercentage = percentage;
      progress.report(percentage, `${state.indexedFiles}/${state.totalFiles} files`);
    }
  }
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  const folders = params.workspaceFolders?.map((f) => f.uri)
    ?? (params.rootUri ? [params.rootUri] : params.rootPath ? [pathToUri(params.rootPath)] : []);
  roots = [...new Set(folders.map(uriToPath).filter((p): p is string => !!p))];
  storeDir = typeof options.storagePath === 'string' && options.storagePath ? join(options.storagePath, 'ner-index') : defaultStoreDir(roots);
  cacheDir = typeof options.cacheDir === 'string' ? options.cacheDir : undefined;
  verbose = options.verbose === true || params.trace === 'verbose';
  watchDynamically = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  inlayHintRefresh = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
  configurationPull = params.capabilities.workspace?.configuration === true;
  configurationDynamic = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  workspaceFolderEvents = params.capabilities.workspace?.workspaceFolders === true;
  return {
    capabilities: {
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      workspaceSymbolProvider: true,
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      inlayHintProvider: true,
      documentHighlightProvider: true,
      hoverProvider: true,
    },
    serverInfo: { name: 'ner-retriever', version: '0.1.0' },
  };
});

/** Whether `initialized` has come: a repeated one would start a second index on the same store (and wait for its lock forever). */
let started = false;

connection.onInitialized(() => {
  if (started) {
    logger.warn('Repeated initialized notification ignored');
    return;
  }
  started = true;
  if (watchDynamically) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCH_GLOB }, { globPattern: GITIGNORE_GLOB }] })
      .catch((e) => logger.warn(`Could not register file watchers: ${(e as Error).message}`));
  } else {
    logger.info('The client does not offer file watching: the server watches the workspace folders itself (chokidar).');
  }
  if (configurationDynamic) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'nerRetriever' })
      .catch((e) => logger.debug(`Could not register for configuration changes: ${(e as Error).message}`));
  }
  // Registered here, not once the index opens: a start that failed and is retried later (see
  // applyConfiguration) must index the folders open then.
  // Registered on the connection, not through connection.workspace.onDidChangeWorkspaceFolders,
  // whose handler reads `params.event` unchecked: a malformed event is checked here, logged and
  // dropped (bad entries only, when some are good), as watched-file events are.
  if (workspaceFolderEvents) connection.onNotification(DidChangeWorkspaceFoldersNotification.method, (params: unknown) => {
    const event = (params as { event?: unknown } | null)?.event;
    const { added, removed } = (typeof event === 'object' && event !== null ? event : {}) as { added?: unknown; removed?: unknown };
    const folderPaths = (folders: unknown) => (Array.isArray(folders) ? folders : []).flatMap((f: unknown) => {
      const uri = (f as { uri?: unknown } | null)?.uri;
      const path = typeof uri === 'string' ? uriToPath(uri) : undefined;
      return path ? [path] : [];
    });
    const addedPaths = folderPaths(added);
    const removedPaths = folderPaths(removed);
    const valid = addedPaths.length + removedPaths.length;
    const entries = (Array.isArray(added) ? added.length : 0) + (Array.isArray(removed) ? removed.length : 0);
    if (!Array.isArray(added) || !Array.isArray(removed) || valid < entries) {
      logger.warn(`Malformed workspace/didChangeWorkspaceFolders ignored${valid ? ' in part' : ''}: ${JSON.stringify(params)?.slice(0, 200)}`);
    }
    if (!valid) return;
    const gone = roots.filter((r) => removedPaths.includes(r));
    const kept = roots.filter((r) => !removedPaths.includes(r));
    const fresh = [...new Set(addedPaths)].filter((p) => !kept.includes(p));
    roots = [...kept, ...fresh];
    logger.info(`Workspace folders changed: now ${roots.length} (${fresh.length} added, ${gone.length} removed)`);
    watcher?.unwatch(gone);
    watcher?.add(fresh);
    void index?.setRoots(roots);
    // A document open in an added folder is indexed from its buffer, not the disk.
    reapplyOpenDocuments();
  });
  configuration = start();
});

/**
 * Startup and configuration changes, one after another: a change that arrives while the models
 * load (or while an LLM's whitening pre-pass runs) is applied after that, against the models then
 * in use — not dropped, nor compared with the models that were being replaced.
 */
let configuration: Promise<void> = Promise.resolve();

/** Loads the models, opens the index and runs the first pass; run again by a settings change after a failure. */
async function start(): Promise<void> {
  noIndex = undefined;
  connection.sendNotification(StatusNotification.method, statusOf(undefined));
  try {
    progress = await connection.window.createWorkDoneProgress();
    progress.begin('NER Retriever: indexing', 0, 'Loading models…', true);
  } catch (e) {
    logger.warn(`Work-done progress unavailable: ${(e as Error).message}`);
    progress = undefined;
  }
  try {
    if (!roots.length) logger.warn('No workspace folder: nothing to index.');
    const global = await globalSettings();
    modelKey = modelKeyOf(global);
    // Word-vector rows are read as needed: an up-to-date index needs few (passes over many files
    // embed on the worker thread, which reads the whole matrix itself).
    const models = await loadModels({ ...modelChoiceOf(global), cacheDir, storeDir, logger, rowsOnDemand: true });
    index = await openIndex(models, global);
    if (indexingPaused) index.pause();
    logger.info(`Index at ${storeDir}: ${index.documentCount} documents, ${index.mentionCount} mentions`);
  } catch (e) {
    noIndex = `NER Retriever failed to start: ${(e as Error).message}`;
    logger.error(noIndex);
    progress?.done();
    progress = undefined;
    connection.sendNotification(StatusNotification.method, statusOf(undefined));
    return;
  }
  if (!watchDynamically && !watcher) startOwnWatcher();
  // Our own watcher reports only changes after its scan ("ready"); the pass must start after that,
  // or a file changed between the pass reading it and the watcher's scan would stay stale.
  if (watcher) await watcherReady(watcher);
  const pass = index.indexAll({ token: progress?.token });
  for (const apply of early.splice(0)) apply();
  reapplyOpenDocuments();
  await pass;
  // The first type query loads WordNet's type data (≈ 0.2 s): load it now, while idle, by building
  // the label vocabulary inlay hints use (editors that ask for no hints would pay it on a search).
  // Only for the built-in encoder, whose 15 queries take milliseconds; an LLM's would be forward passes.
  if (modelKey === 'static') {
    const labels = (await globalSettings()).typeLabels;
    void index?.vocabulary(labels.length ? labels : DEFAULT_TYPE_LABELS).catch(() => undefined);
  }
}

// ------------------------------------------------------------------ settings

/** Window-level settings (no scope): file filter and search limit. */
async function globalSettings(): Promise<ResolvedSettings> {
  if (configurationPull && !settings.pushed) {
    const cached = settings.get(undefined);
    if (cached) return cached;
    const value = readSettings(await connection.workspace.getConfiguration({ section: 'nerRetriever' }).catch(() => undefined), logger);
    settings.set(undefined, value);
    return value;
  }
  return settings.pushed ?? readSettings(undefined, logger);
}

/** Settings for one resource (type labels may differ per folder or language). */
async function settingsFor(uri: string): Promise<ResolvedSettings> {
  if (!configurationPull) return globalSettings();
  const cached = settings.get(uri);
  if (cached) return cached;
  const value = readSettings(await connection.workspace.getConfiguration({ scopeUri: uri, section: 'nerRetriever' }).catch(() => undefined), logger);
  settings.set(uri, value);
  return value;
}

connection.onDidChangeConfiguration((params) => {
  configuration = configuration.then(() => applyConfiguration(params)).catch((e: unknown) => {
    logger.error(`Could not apply the new settings: ${(e as Error).message}`);
  });
});

async function applyConfiguration(params: { settings: unknown }): Promise<void> {
  const before = index ? JSON.stringify(filterOf(await globalSettings())) : undefined;
  settings.clear();
  if (!configurationPull) {
    const pushed = (params.settings as Record<string, unknown> | undefined)?.nerRetriever;
    settings.pushed = readSettings(pushed, logger);
  }
  const after = await globalSettings();
  // A failed change of encoder is reported until the settings change again: to one that loads, or
  // back to the encoder in use (no switch then, only a new status).
  const reported = encoderLoadError;
  encoderLoadError = undefined;
  if (reported && index && modelKeyOf(after) === modelKey) void connection.sendNotification(StatusNotification.method, statusOf(index.currentState));
  if (!index && noIndex) {
    // The start or the last change of encoder failed (a missing model, a store that would not
    // open): the new settings get a fresh start instead of a restart of the server.
    await start();
  } else if (index && modelKeyOf(after) !== modelKey) {
    await switchModels(after);
  } else if (index && before !== JSON.stringify(filterOf(after))) {
    index.setFilter(filterOf(after));
    // (A folder the old settings left out is not watched: chokidar turned it away.)
    watcher?.filterChanged();
    void index.indexAll();
    // An open document that `include` now covers is indexed from its buffer, not the disk.
    reapplyOpenDocuments();
  }
  refreshInlayHints();
}

/** The encoder settings (`static`, or an LLM hub id / checkpoint folder, with layer and device). */
function modelChoiceOf(s: ResolvedSettings): { encoder: string; layer?: number; device: ResolvedSettings['device'] } {
  const encoder = s.encoder === 'static' || s.encoder.startsWith('llm:') ? s.encoder : `llm:${s.encoder}`;
  return { encoder, layer: s.layer, device: s.device };
}
/** What selects the models: the built-in encoder has no layer and runs on the CPU whatever `device` says. */
const modelKeyOf = (s: ResolvedSettings) => (s.encoder === 'static' ? 'static' : JSON.stringify(modelChoiceOf(s)));
let modelKey = '';
/** Why the last change of encoder did not load (the index before stays in use); cleared by the next settings change. */
let encoderLoadError: string | undefined;

/** Whether the index's encoder is an LLM whose whitening head was fitted on this workspace. */
let whiteningFitted = false;

/** How often a store held by another process is looked at again. */
const LOCKED_STORE_POLL_MS = 1000;

/** The models of the index being waited for (another process writes its store). */
let waitingModels: Models | undefined;
/**
 * While another process writes the store (a second editor window on these folders, `ner-retriever
 * watch`), searches read it read-only, as `ner-retriever search` does: opened on the first search,
 * opened again when the writer has written since (at most every few seconds), closed once the
 * index opens.
 */
let waitingView: { store: Promise<MentionStore | undefined>; stamp: string; openedAt: number } | undefined;
const WAITING_VIEW_REFRESH_MS = 5000;

/** Changes whenever the writer checkpoints or journals (the manifest's and journals' sizes and times). */
function storeStamp(dir: string): string {
  try {
    return readdirSync(dir).filter((n) => n === 'store.json' || n.startsWith('journal-')).sort()
      .map((n) => { const st = statSync(join(dir, n)); return `${n}:${st.size}:${st.mtimeMs}`; }).join('|');
  } catch { return ''; }
}

function readOnlyView(): Promise<MentionStore | undefined> {
  const models = waitingModels;
  if (!waitingForStore || !models) return Promise.resolve(undefined);
  const stamp = storeStamp(storeDir);
  if (waitingView && (waitingView.stamp === stamp || Date.now() - waitingView.openedAt < WAITING_VIEW_REFRESH_MS)) return waitingView.store;
  const previous = waitingView;
  const store = openStore(storeDir, models, { readOnly: true }).catch(() => undefined);
  waitingView = { store, stamp, openedAt: Date.now() };
  void previous?.store.then((s) => s?.close());
  return store;
}

function closeWaitingView(): void {
  void waitingView?.store.then((s) => s?.close());
  waitingView = undefined;
  waitingModels = undefined;
}

/**
 * Opens the workspace index with these models. While another process holds the store's writer
 * lock — `ner-retriever index` or `watch` in a terminal on the same store, a second editor on the
 * same folders — the status says which and the open waits for it, instead of failing until a
 * restart. The lock is looked at before opening, so an LLM's whitening pre-pass does not rerun
 * while waiting.
 */
async function openIndex(models: Models, s: ResolvedSettings, options: { refitWhitening?: boolean } = {}): Promise<WorkspaceIndex> {
  let announced: number | undefined;
  let unexplained = 0;
  try {
    for (;;) {
      let holder = storeLockHolder(storeDir);
      if (holder === undefined) {
        try {
          const opened = await WorkspaceIndex.open({
            roots, storeDir, cacheDir, logger, onState, filter: filterOf(s), models, fitWhitening: options.refitWhitening ? 'refit' : true,
          });
          whiteningFitted = parseLlmEncoderId(opened.encoderId)?.head === 'whitening';
          return opened;
        } catch (e) {
          // Taken between the look and the open: wait for it as for any holder. A lock no other live
          // process holds (this process's own open, or a holder gone meanwhile) is tried again a
          // few times, then reported as it is.
          if (!(e instanceof StoreError && e.code === 'locked')) throw e;
          holder = storeLockHolder(storeDir);
          if (holder === undefined && ++unexplained > 3) throw e;
          holder ??= -1;
        }
      }
      if (shuttingDown) throw new Error('the server is shutting down');
      waitingModels = models;
      if (holder !== announced) {
        announced = holder;
        const who = holder > 0 ? describeHolder(holder) : undefined;
        waitingForStore = who
          ? `Waiting for the index store ${storeDir}: ${who} (pid ${holder}) is writing it`
          : `Waiting for the index store ${storeDir}: another process${holder > 0 ? ` (pid ${holder})` : ''} is writing it — a \`ner-retriever index\` or \`watch\` on the same store, or another editor on these folders`;
        logger.warn(waitingForStore);
        void connection.sendNotification(StatusNotification.method, statusOf(undefined));
      }
      await new Promise((resolve) => setTimeout(resolve, LOCKED_STORE_POLL_MS));
    }
  } finally {
    if (announced !== undefined) logger.info(`The index store ${storeDir} is free again`);
    waitingForStore = undefined;
    closeWaitingView();
  }
}

/**
 * The encoder settings changed: load the new models, reopen the store (rebuilt, since its vectors
 * came from the old encoder) and index everything again. When the models fail to load the old
 * index stays in use; when they load but the new index does not open there is none (replaceIndex).
 */
async function switchModels(s: ResolvedSettings): Promise<void> {
  const key = modelKeyOf(s);
  logger.info(`Encoder settings changed (${key}): loading the models and rebuilding the index`);
  let models;
  try {
    models = await loadModels({ ...modelChoiceOf(s), cacheDir, storeDir, logger, rowsOnDemand: true });
  } catch (e) {
    encoderLoadError = `Could not load encoder ${s.encoder}: ${(e as Error).message}`;
    logger.error(encoderLoadError);
    void connection.sendNotification(StatusNotification.method, statusOf(index?.currentState));
    return;
  }
  modelKey = key;
  await replaceIndex(models, s, `encoder ${s.encoder}`);
}

/**
 * "Rebuild Index from Scratch" with an LLM encoder whose whitening head was fitted on this
 * workspace: the head is fitted again on the workspace as it is now (it may have grown or shrunk
 * since), as `ner-retriever index --rebuild` does, and everything is re-embedded with it.
 */
async function refitAndRebuild(): Promise<void> {
  const s = await globalSettings();
  logger.info('Rebuilding the index with a new whitening fit of the LLM encoder');
  // Without the store folder the encoder comes back raw, without the saved fit.
  const models = await loadModels({ ...modelChoiceOf(s), cacheDir, logger, rowsOnDemand: true });
  await replaceIndex(models, s, `encoder ${s.encoder}`, { refitWhitening: true });
}

/**
 * Closes the index and opens one with these models in its place (the two share the store
 * folder), then indexes: a pause and open documents' unsaved text carry over. If the new one does
 * not open there is no index until a settings change starts over.
 */
async function replaceIndex(models: Models, s: ResolvedSettings, what: string, options: { refitWhitening?: boolean } = {}): Promise<void> {
  const old = index;
  index = undefined;
  await old?.close();
  try {
    index = await openIndex(models, s, options);
  } catch (e) {
    noIndex = `The index for ${what} did not open: ${(e as Error).message}. Change the encoder setting to try again.`;
    logger.error(noIndex);
    void connection.sendNotification(StatusNotification.method, statusOf(undefined));
    return;
  }
  // Paused stays paused (or a pause while it opened applies): the rebuild waits for ner/resume, as any other indexing would.
  if (indexingPaused) index.pause();
  // A refit that comes out as before leaves the store as it was: rebuild it as asked.
  void index.indexAll({ rebuild: options.refitWhitening === true });
  // The new index knows no open documents yet: their unsaved text wins over the disk again.
  reapplyOpenDocuments();
}

// ------------------------------------------------------------------ open documents (unsaved edits)

/** Whether this document is one the index covers (a file under a workspace folder, matching the globs). */
function indexedPath(uri: string): string | undefined {
  const path = uriToPath(uri);
  return path && index?.accepts(path) ? path : undefined;
}

/**
 * Queues every open document's buffer for the index (those it covers): after the index opens, and
 * after the workspace folders or the file filter change, which can bring an open document under it.
 */
function reapplyOpenDocuments(): void {
  for (const doc of documents.all()) flushEdit(doc.uri);
}

function flushEdit(uri: string): void {
  const timer = pendingEdits.get(uri);
  if (timer) clearTimeout(timer);
  pendingEdits.delete(uri);
  const doc = documents.get(uri);
  // Any document in a workspace folder, even one the filters leave out now: a .gitignore edit
  // may bring it in, and the pass that applies it must index this buffer, not the disk.
  const path = uriToPath(uri);
  if (doc && path && index?.roots.some((r) => isUnder(path, r))) void index.openDocument(path, doc.getText());
}

/** How long a request about an open document waits for its latest edit to be indexed. */
const EDITOR_TEXT_WAIT_MS = 750;

/**
 * Before answering about an open document's mentions: its latest edit is indexed now instead of
 * after the debounce, and the answer waits for it a little. Returns a test that keeps the mentions
 * whose range holds their text in the editor, so that an edit not indexed in time leaves out the
 * mentions it moved instead of placing hints and highlights wrongly.
 */
async function editorView(uri: string): Promise<(mention: Pick<StoredMention, 'range' | 'text'>) => boolean> {
  const doc = documents.get(uri);
  const path = indexedPath(uri);
  if (!doc || !path || !index) return () => true;
  await indexEditorText(doc, path);
  const current = documents.get(uri) ?? doc; // an edit may have arrived meanwhile
  return (mention) => current.getText(mention.range) === mention.text;
}

/** An open document's edit still in the debounce indexed now, and its buffer waited for a little (up to EDITOR_TEXT_WAIT_MS). */
function indexEditorText(doc: TextDocument, path: string): Promise<boolean> {
  if (pendingEdits.has(doc.uri)) flushEdit(doc.uri);
  // A buffer over the size limit is not indexed (it leaves the index): nothing to wait for.
  return index!.accepts(path, Buffer.byteLength(doc.getText())) ? index!.whenIndexedAs(path, doc.getText(), EDITOR_TEXT_WAIT_MS) : Promise.resolve(false);
}

/**
 * Before a workspace-wide answer (`ner/search`, `workspace/symbol`): an open document's edit still
 * in the debounce is indexed now and waited for a little, as {@link editorView} does (not a
 * document the first pass has yet to reach: every search would wait then), and the test returned
 * keeps a hit in an open document only where its range holds its text in the editor (an edit not
 * indexed in time would otherwise send the user to where the name used to be).
 */
async function editorViews(): Promise<(hit: { path: string } & Pick<StoredMention, 'range' | 'text'>) => boolean> {
  if (!index) return () => true;
  const waits: Array<Promise<boolean>> = [];
  for (const doc of documents.all()) {
    const path = indexedPath(doc.uri);
    if (path && pendingEdits.has(doc.uri)) waits.push(indexEditorText(doc, path));
  }
  await Promise.all(waits);
  const open = new Map(documents.all().flatMap((d) => { const p = uriToPath(d.uri); return p ? [[p, d] as const] : []; }));
  return (hit) => { const doc = open.get(hit.path); return !doc || doc.getText(hit.range) === hit.text; };
}

documents.onDidChangeContent(({ document }) => {
  const timer = pendingEdits.get(document.uri);
  if (timer) clearTimeout(timer);
  pendingEdits.set(document.uri, setTimeout(() => flushEdit(document.uri), EDIT_DEBOUNCE_MS));
});

documents.onDidClose(({ document }) => {
  const timer = pendingEdits.get(document.uri);
  if (timer) clearTimeout(timer);
  pendingEdits.delete(document.uri);
  const path = uriToPath(document.uri);
  if (path && index) void index.closeDocument(path);
});

documents.listen(connection);

// ------------------------------------------------------------------ own file watcher (fallback)

let watcher: WorkspaceWatcher | undefined;

/** Without the client's dynamic watched-files registration: chokidar on the workspace folders, fed into the same queue. */
function startOwnWatcher(): void {
  if (!index || !roots.length) return;
  // `index` is read at each event: a change of encoder replaces it.
  watcher = watchWorkspace(roots, () => index, { storeDir, logger, onEvent: (event, path) => logger.debug(`File watcher: ${event} ${path}`) });
  logger.info(`Watching ${roots.length} workspace folder${roots.length === 1 ? '' : 's'} for changes`);
}

/** Waits for the watcher's initial scan, at most WATCHER_READY_MS (a huge tree: start indexing anyway). */
async function watcherReady(w: WorkspaceWatcher): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((done) => { timer = setTimeout(() => done(true), WATCHER_READY_MS); });
  if (await Promise.race([w.ready.then(() => false), late])) logger.warn(`The file watcher was not ready after ${WATCHER_READY_MS / 1000} s; indexing anyway (changes during its scan may be missed until the next pass)`);
  clearTimeout(timer);
}

connection.onDidChangeWatchedFiles((params: unknown) => {
  // Checked here, not when applied: a malformed event queued for the index (below) must not
  // throw in the middle of the start that replays the queue.
  const changes = (params as { changes?: unknown } | null)?.changes;
  const valid = Array.isArray(changes) ? changes.filter((c): c is { uri: string; type: number } =>
    typeof c === 'object' && c !== null && typeof c.uri === 'string' && Number.isInteger(c.type)) : [];
  if (!Array.isArray(changes) || valid.length < changes.length) logger.warn(`Malformed workspace/didChangeWatchedFiles ignored${valid.length ? ' in part' : ''}: ${JSON.stringify(params).slice(0, 200)}`);
  if (!valid.length) return;
  const apply = () => {
    let gitignoreChanged = false;
    for (const change of valid) {
      const path = uriToPath(change.uri);
      if (!path || !index) continue;
      // What a .gitignore says decides which notes are indexed: one pass (incremental) applies it.
      if (basename(path) === '.gitignore') gitignoreChanged = true;
      else if (change.type === FileChangeType.Deleted) void index.removeFile(path);
      else void index.updateFile(path);
    }
    if (gitignoreChanged) void index?.indexAll();
  };
  // Without an index after a failure, nothing is kept: the next start's full pass reads the disk.
  if (index) apply(); else if (!noIndex) early.push(apply);
});

function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

function checkSearchParams(params: unknown): SearchParams {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw invalid('ner/search expects an object {query, limit?, scope?, names?}');
  const p = params as Record<string, unknown>;
  if (typeof p.query !== 'string' || !p.query.trim()) throw invalid('"query" must be a non-empty string (an entity type, e.g. "European river")');
  if (p.limit !== undefined && (!Number.isInteger(p.limit) || (p.limit as number) < 1 || (p.limit as number) > 1000)) {
    throw invalid('"limit" must be an integer between 1 and 1000');
  }
  if (p.scope !== undefined && (!Array.isArray(p.scope) || !p.scope.every((s) => typeof s === 'string' && uriToPath(s)))) {
    throw invalid('"scope" must be an array of file URIs');
  }
  if (p.names !== undefined && typeof p.names !== 'boolean') throw invalid('"names" must be a boolean');
  return { query: p.query, limit: p.limit as number | undefined, scope: p.scope as string[] | undefined, names: p.names as boolean | undefined };
}

const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');

/** A type query the encoder cannot search is the client's input: InvalidParams with the reason. */
function queryFailure(e: unknown): never {
  if (e instanceof QueryError) throw invalid(e.message);
  throw e instanceof Error && e.name === 'CancelledError' ? cancelled() : e;
}

connection.onRequest(SearchRequest.method, async (raw: unknown, token: CancellationToken): Promise<SearchResult> => {
  const params = checkSearchParams(raw);
  const limit = params.limit ?? (await globalSettings()).searchLimit;
  const scope = params.scope?.map((s) => uriToPath(s)!);
  if (!index) {
    // Another process writes the store: what it holds so far, read-only.
    const models = waitingModels;
    const view = await readOnlyView();
    if (!view || !models) return { hits: [], partial: true };
    const options = { limit, scope: scope?.length ? (p: string) => scope.some((s) => isUnder(p, s)) : undefined };
    const names = params.names ? (await searchNames(params.query, models.encoder, view, options).catch(queryFailure)).names : undefined;
    const hits = names ? names.map((n) => n.best) : await searchMentions(params.query, models.encoder, view, options).catch(queryFailure);
    if (token.isCancellationRequested) throw cancelled();
    return { hits: withPreviews(hits), partial: true, ...(names && { names: namesOf(names) }) };
  }
  const options = { limit, scope, token };
  const inEditor = await editorViews();
  const names = params.names ? (await index.searchNames(params.query, options).catch(queryFailure)).filter((n) => inEditor(n.best)) : undefined;
  const hits = names ? names.map((n) => n.best) : (await index.search(params.query, options).catch(queryFailure)).filter(inEditor);
  if (token.isCancellationRequested) throw cancelled();
  const state = index.currentState;
  const searchedAs = readDifferently(params.query, index.describe(params.query));
  const restrictedTo = index.restrictionOf(params.query);
  return {
    hits: withPreviews(hits), partial: !index.quiescent || !state.initialPassDone, ...(searchedAs && { searchedAs }), ...(restrictedTo && { restrictedTo }),
    ...(names && { names: namesOf(names) }),
  };
});

const namesOf = (names: NameHit[]) => names.map((n) => ({ text: mentionName(n.text), mentions: n.mentions, files: n.documents }));

/** Hits on the wire, each with its line as a preview. */
function withPreviews(hits: EngineHit[]): SearchHit[] {
  // Preview lines come from the text the ranges were found in: an open document's buffer (its
  // unsaved edits are what the index holds), else the file. Files are read synchronously: an
  // asynchronous read would wait a turn of the event loop, which during indexing means waiting
  // behind a file's detection and store work.
  const lines = new Map<string, string[]>();
  let open: Map<string, TextDocument> | undefined;
  const linesOf = (path: string) => {
    let l = lines.get(path);
    if (!l) {
      open ??= new Map(documents.all().flatMap((d) => { const p = uriToPath(d.uri); return p ? [[p, d] as const] : []; }));
      // A file is decoded as the index read it (a UTF-8 or UTF-16 BOM honoured and stripped); a
      // buffer is taken as it is, a U+FEFF at its start included: the ranges count it there.
      let text: string;
      try { text = open.get(path)?.getText() ?? decodeLoosely(readFileSync(path)); } catch { text = ''; }
      l = text.split(/\r\n|\n|\r/);
      lines.set(path, l);
    }
    return l;
  };
  return hits.map((h) => ({
    uri: pathToUri(h.path), range: h.range, text: h.text, score: h.score,
    preview: linesOf(h.path)[h.range.start.line] ?? '',
  }));
}

// ------------------------------------------------------------------ inlay hints, highlights

const isPosition = (p: unknown): p is Position => typeof p === 'object' && p !== null
  && Number.isInteger((p as Position).line) && Number.isInteger((p as Position).character);
const hasDocument = (p: unknown): p is { textDocument: { uri: string } } => typeof p === 'object' && p !== null
  && typeof (p as { textDocument?: { uri?: unknown } }).textDocument?.uri === 'string';

/** Standard requests arrive unchecked from the wire: malformed ones get InvalidParams, not a TypeError. */
function checkDocumentParams(method: string, params: unknown, field: 'range' | 'position'): void {
  if (!hasDocument(params)) throw invalid(`${method} expects {textDocument: {uri}, ${field}}`);
  const value = (params as Record<string, unknown>)[field];
  const ok = field === 'position' ? isPosition(value)
    : typeof value === 'object' && value !== null && isPosition((value as Record<string, unknown>).start) && isPosition((value as Record<string, unknown>).end);
  if (!ok) throw invalid(`${method}: "${field}" must be a ${field === 'position' ? '{line, character}' : '{start, end}'} of integers`);
}

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);

/**
 * A request's position in an open document as LSP reads it: a character past its line's end is the
 * line's end. A line past the document's end, or a negative number, is left as it is (nothing there).
 */
function clampToLine(uri: string, p: Position): Position {
  const doc = documents.get(uri);
  if (!doc || p.line < 0 || p.line >= doc.lineCount || p.character < 0) return p;
  return doc.positionAt(doc.offsetAt(p)); // offsetAt stops at the line's end, before its line break
}

/** The mention whose range holds the position (its end included: the cursor right after a name). */
const mentionAt = (mentions: readonly StoredMention[], p: Position) => mentions.find((m) => !before(p, m.range.start) && !before(m.range.end, p));

connection.languages.inlayHint.on(async (params, token): Promise<InlayHint[]> => {
  checkDocumentParams('textDocument/inlayHint', params, 'range');
  const path = uriToPath(params.textDocument.uri);
  if (!index || !path) return [];
  const range = { start: clampToLine(params.textDocument.uri, params.range.start), end: clampToLine(params.textDocument.uri, params.range.end) };
  const inEditor = await editorView(params.textDocument.uri);
  if (token.isCancellationRequested) throw cancelled();
  if (!index) return [];
  // Mentions that end inside the requested range (the hint sits at the mention's end); a maker's
  // name inside a product's ("Canon" of "Canon R7") is labelled with the whole name, not apart.
  const mentions = outermost(index.mentionsOf(path)).filter((m) => !before(m.range.end, range.start) && !before(range.end, m.range.end) && inEditor(m));
  if (!mentions.length) return [];
  const s = await settingsFor(params.textDocument.uri);
  if (token.isCancellationRequested) throw cancelled();
  const labelled = await index.typeLabels(mentions, s.typeLabels, s.typeLabelThreshold);
  return labelled.map(({ mention, label, score }) => ({
    position: mention.range.end,
    label: `: ${label}`,
    kind: InlayHintKind.Type,
    paddingLeft: true,
    tooltip: `NER Retriever: ${label} (${score.toFixed(2)})`,
  }));
});

/** How many labels a hover lists. */
const HOVER_LABELS = 3;

/**
 * Hover over a mention: its best labels of the `typeLabels` vocabulary with their scores — what the
 * inline label chose from, and how close the next ones came. Nothing outside mentions, or with the
 * labels turned off.
 */
connection.onHover(async (params, token): Promise<Hover | null> => {
  checkDocumentParams('textDocument/hover', params, 'position');
  const path = uriToPath(params.textDocument.uri);
  if (!index || !path) return null;
  const inEditor = await editorView(params.textDocument.uri);
  if (token.isCancellationRequested) throw cancelled();
  if (!index) return null;
  const p = clampToLine(params.textDocument.uri, params.position);
  const under = mentionAt(index.mentionsOf(path).filter(inEditor), p);
  if (!under) return null;
  const s = await settingsFor(params.textDocument.uri);
  if (token.isCancellationRequested) throw cancelled();
  if (!index || !s.typeLabels.length) return null;
  const ranked = (await index.typeScores(under, s.typeLabels)).slice(0, HOVER_LABELS);
  if (!ranked.length) return null;
  const shown = ranked[0].score >= s.typeLabelThreshold ? '' : ` (below the label threshold ${s.typeLabelThreshold}: no inline label)`;
  const labels = ranked.map(({ label, score }, i) => `${i === 0 ? `**${escapeMarkdown(label)}**` : escapeMarkdown(label)} ${score.toFixed(2)}`).join(' · ');
  return {
    contents: { kind: MarkupKind.Markdown, value: `${escapeMarkdown(mentionName(under.text))} — ${labels}${shown}` },
    range: under.range,
  };
});

/** Text shown as itself in Markdown (a mention may hold `*`, `_`, brackets or backticks). */
const escapeMarkdown = (text: string) => text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');

connection.onDocumentHighlight(async (params, token): Promise<DocumentHighlight[]> => {
  checkDocumentParams('textDocument/documentHighlight', params, 'position');
  const path = uriToPath(params.textDocument.uri);
  if (!index || !path) return [];
  const inEditor = await editorView(params.textDocument.uri);
  if (token.isCancellationRequested) throw cancelled();
  if (!index) return [];
  const mentions = index.mentionsOf(path).filter(inEditor);
  const p = clampToLine(params.textDocument.uri, params.position);
  const under = mentionAt(mentions, p);
  if (!under) return [];
  return mentions.filter((m) => m.text === under.text).map((m) => ({ range: m.range, kind: DocumentHighlightKind.Text }));
});

function checkHighlightsParams(params: unknown): HighlightsParams {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw invalid('ner/highlights expects an object {uri, query, minScore?}');
  const p = params as Record<string, unknown>;
  if (typeof p.uri !== 'string' || !uriToPath(p.uri)) throw invalid('"uri" must be a file URI');
  if (typeof p.query !== 'string' || !p.query.trim()) throw invalid('"query" must be a non-empty string (an entity type, e.g. "river")');
  if (p.minScore !== undefined && (typeof p.minScore !== 'number' || !Number.isFinite(p.minScore) || p.minScore < -1 || p.minScore > 1)) {
    throw invalid('"minScore" must be a number between -1 and 1');
  }
  return { uri: p.uri, query: p.query, minScore: p.minScore as number | undefined };
}

connection.onRequest(HighlightsRequest.method, async (raw: unknown, token: CancellationToken): Promise<HighlightsResult> => {
  const params = checkHighlightsParams(raw);
  if (!index) return { highlights: [], partial: true };
  const inEditor = await editorView(params.uri);
  if (!index) return { highlights: [], partial: true };
  const matches = await index.matchesIn(uriToPath(params.uri)!, params.query, params.minScore ?? 0.4).catch(queryFailure);
  if (token.isCancellationRequested) throw cancelled();
  return {
    highlights: matches.filter(({ mention }) => inEditor(mention)).map(({ mention, score }) => ({ range: mention.range, text: mention.text, score })),
    partial: !index.quiescent || !index.currentState.initialPassDone,
  };
});

/**
 * `type: European river` as a workspace-symbol query: the mentions of that type, best first, as
 * `ner/search` finds them — type search for editors that list the server's symbol results as
 * they are (Neovim's `vim.lsp.buf.workspace_symbol`). VS Code filters symbol results by their
 * names, so there the extension's picker does this instead.
 */
const TYPE_QUERY = /^\s*type:\s*(\S.*)$/i;

connection.onWorkspaceSymbol(async (params, token): Promise<SymbolInformation[]> => {
  const query: unknown = (params as { query?: unknown } | null)?.query;
  if (typeof query !== 'string') throw invalid('workspace/symbol expects {query: string}');
  if (!index) return [];
  const inEditor = await editorViews();
  const type = TYPE_QUERY.exec(query)?.[1]?.trim();
  if (type) {
    const hits = (await index.search(type, { limit: (await globalSettings()).searchLimit, token }).catch(queryFailure)).filter(inEditor);
    if (token.isCancellationRequested) throw cancelled();
    return hits.map((h) => ({
      name: mentionName(h.text),
      kind: SymbolKind.Constant,
      location: { uri: pathToUri(h.path), range: h.range },
      containerName: `${type} ${h.score.toFixed(2)} · ${basename(h.path)}`,
    }));
  }
  const found = index.findMentionsByText(query, 500).filter((f) => inEditor({ path: f.path, range: f.mention.range, text: f.mention.text }));
  const s = await globalSettings();
  if (token.isCancellationRequested) throw cancelled();
  // containerName: the mention's best type label (when it clears the threshold) and its file.
  const labelled = await index.typeLabels(found.map((f) => f.mention), s.typeLabels, s.typeLabelThreshold);
  const labelOf = new Map(labelled.map((l) => [l.mention.label, l.label]));
  return found.map(({ path, mention }) => {
    const label = labelOf.get(mention.label);
    return {
      name: mentionName(mention.text),
      kind: SymbolKind.Constant,
      location: { uri: pathToUri(path), range: mention.range },
      containerName: label ? `${label} · ${basename(path)}` : basename(path),
    };
  });
});

connection.onRequest(ReindexRequest.method, (params: Params<typeof ReindexRequest>) => {
  if (params !== undefined && params !== null && (typeof params !== 'object' || Array.isArray(params))) throw invalid('ner/reindex expects {rebuild?: boolean} or no params');
  const rebuild = params?.rebuild;
  if (rebuild !== undefined && typeof rebuild !== 'boolean') throw invalid('"rebuild" must be a boolean');
  if (!index) throw new ResponseError(ErrorCodes.InternalError, noIndex ?? waitingForStore ?? 'The index is still loading');
  if (rebuild && whiteningFitted) {
    // After any settings change in flight, which may replace the index itself.
    configuration = configuration.then(refitAndRebuild).catch((e: unknown) => {
      // The models did not load again: the index in use stays.
      const message = `Could not rebuild with a new whitening fit: ${(e as Error).message}`;
      logger.error(message);
      void connection.sendNotification(StatusNotification.method, { ...statusOf(index?.currentState), health: 'error', message });
    });
    return null;
  }
  void index.indexAll({ rebuild: !!rebuild });
  return null;
});

/** How long shutdown waits for open documents to be re-read from disk. */
const SHUTDOWN_REVERT_MS = 3000;

connection.onRequest(PauseRequest.method, () => { setPaused(true); return null; });
connection.onRequest(ResumeRequest.method, () => { setPaused(false); return null; });

function setPaused(paused: boolean): void {
  if (paused === indexingPaused) return;
  indexingPaused = paused;
  if (index) {
    if (paused) index.pause(); else index.resume();
  } else {
    void connection.sendNotification(StatusNotification.method, statusOf(openingState));
  }
}

connection.onShutdown(async () => {
  shuttingDown = true;
  closeWaitingView();
  await watcher?.close().catch(() => undefined);
  // Unsaved buffers go back to the files' saved text (a few files; bounded, as the editor waits).
  if (index) await Promise.race([index.closeAllDocuments(), new Promise((r) => setTimeout(r, SHUTDOWN_REVERT_MS).unref())]);
  await index?.close();
});

connection.listen();
