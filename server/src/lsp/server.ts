// The NER Retriever language server: LSP wiring only (all indexing and search logic lives in the
// engine's WorkspaceIndex). Runs over --stdio, --node-ipc or --socket=N (vscode-languageserver picks
// the transport from argv). stdout carries JSON-RPC: nothing here may write to it; logs go through
// connection.console.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createConnection, DidChangeWatchedFilesNotification, ErrorCodes, FileChangeType, LSPErrorCodes, ProposedFeatures,
  ResponseError, SymbolKind, TextDocumentSyncKind,
  type CancellationToken, type InitializeParams, type InitializeResult, type SymbolInformation, type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import { WorkspaceIndex, type IndexState } from '../engine/workspaceIndex.ts';
import type { Logger } from '../engine/types.ts';
import {
  PauseRequest, ReindexRequest, ResumeRequest, SearchRequest, StatusNotification, WATCH_GLOB,
  type InitializationOptions, type Params, type SearchHit, type SearchParams, type SearchResult, type StatusParams,
} from '../protocol.ts';

const connection = createConnection(ProposedFeatures.all);

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
let index: WorkspaceIndex | undefined;
let startupError: string | undefined;
let progress: WorkDoneProgressServerReporter | undefined;
let lastPercentage = -1;
/** Watched-file events that arrive before the index is open. */
const early: Array<() => void> = [];

function uriToPath(uri: string): string | undefined {
  try { return fileURLToPath(uri); } catch { return undefined; }
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
    return {
      health: startupError ? 'error' : 'ok', quiescent: false, indexedFiles: 0, totalFiles: 0, mentions: 0,
      message: startupError ? `NER Retriever failed to start: ${startupError}` : 'Loading models…',
    };
  }
  const health = state.phase === 'error' ? 'error' : state.warnings.length ? 'warning' : 'ok';
  const message = state.warnings.length && state.quiescent
    ? `${state.message} (${state.warnings.length} warning${state.warnings.length === 1 ? '' : 's'}: ${state.warnings[0]}${state.warnings.length > 1 ? ', …' : ''})`
    : state.error && state.phase === 'error' ? state.message : state.message;
  return {
    health, quiescent: state.quiescent, indexedFiles: state.indexedFiles, totalFiles: state.totalFiles,
    mentions: state.mentions, message,
  };
}

function onState(state: IndexState): void {
  // Progress first: a client that sees a quiescent ner/status has already seen the progress end.
  updateProgress(state);
  void connection.sendNotification(StatusNotification.method, statusOf(state));
}

function updateProgress(state: IndexState): void {
  if (!progress) return;
  if (state.quiescent && (state.initialPassDone || state.phase !== 'indexing')) {
    progress.done();
    progress = undefined;
    return;
  }
  if (state.phase === 'indexing' && state.totalFiles > 0) {
    const percentage = Math.min(100, Math.floor((100 * state.indexedFiles) / state.totalFiles));
    if (percentage !== lastPercentage) {
      lastPercentage = percentage;
      progress.report(percentage, `${state.indexedFiles}/${state.totalFiles} files`);
    }
  }
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const options = (params.initializationOptions ?? {}) as InitializationOptions & { verbose?: boolean };
  const folders = params.workspaceFolders?.map((f) => f.uri)
    ?? (params.rootUri ? [params.rootUri] : params.rootPath ? [pathToUri(params.rootPath)] : []);
  roots = folders.map(uriToPath).filter((p): p is string => !!p);
  storeDir = typeof options.storagePath === 'string' && options.storagePath ? join(options.storagePath, 'ner-index') : defaultStoreDir(roots);
  cacheDir = typeof options.cacheDir === 'string' ? options.cacheDir : undefined;
  verbose = options.verbose === true || params.trace === 'verbose';
  watchDynamically = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  return {
    capabilities: {
      workspaceSymbolProvider: true,
      textDocumentSync: TextDocumentSyncKind.None,
    },
    serverInfo: { name: 'ner-retriever', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (watchDynamically) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCH_GLOB }] })
      .catch((e) => logger.warn(`Could not register file watchers: ${(e as Error).message}`));
  } else {
    logger.warn('The client cannot watch files for the server; changes on disk are picked up on ner/reindex.');
  }
  void start();
});

async function start(): Promise<void> {
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
    index = await WorkspaceIndex.open({ roots, storeDir, cacheDir, logger, onState });
    logger.info(`Index at ${storeDir}: ${index.documentCount} documents, ${index.mentionCount} mentions`);
  } catch (e) {
    startupError = (e as Error).message;
    logger.error(`Could not open the index: ${startupError}`);
    progress?.done();
    progress = undefined;
    connection.sendNotification(StatusNotification.method, statusOf(undefined));
    return;
  }
  const pass = index.indexAll({ token: progress?.token });
  for (const apply of early.splice(0)) apply();
  await pass;
}

connection.onDidChangeWatchedFiles((params) => {
  const apply = () => {
    for (const change of params.changes) {
      const path = uriToPath(change.uri);
      if (!path || !index) continue;
      if (change.type === FileChangeType.Deleted) void index.removeFile(path);
      else void index.updateFile(path);
    }
  };
  if (index) apply(); else early.push(apply);
});

function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

function checkSearchParams(params: unknown): SearchParams {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw invalid('ner/search expects an object {query, limit?, scope?}');
  const p = params as Record<string, unknown>;
  if (typeof p.query !== 'string' || !p.query.trim()) throw invalid('"query" must be a non-empty string (an entity type, e.g. "European river")');
  if (p.limit !== undefined && (!Number.isInteger(p.limit) || (p.limit as number) < 1 || (p.limit as number) > 1000)) {
    throw invalid('"limit" must be an integer between 1 and 1000');
  }
  if (p.scope !== undefined && (!Array.isArray(p.scope) || !p.scope.every((s) => typeof s === 'string' && uriToPath(s)))) {
    throw invalid('"scope" must be an array of file URIs');
  }
  return { query: p.query, limit: p.limit as number | undefined, scope: p.scope as string[] | undefined };
}

const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');

connection.onRequest(SearchRequest.method, async (raw: unknown, token: CancellationToken): Promise<SearchResult> => {
  const params = checkSearchParams(raw);
  if (!index) return { hits: [], partial: true };
  const hits = await index.search(params.query, {
    limit: params.limit ?? 50,
    scope: params.scope?.map((s) => uriToPath(s)!),
    token,
  }).catch((e) => { throw e instanceof Error && e.name === 'CancelledError' ? cancelled() : e; });
  if (token.isCancellationRequested) throw cancelled();
  const lines = new Map<string, Promise<string[]>>();
  const linesOf = (path: string) => {
    let p = lines.get(path);
    if (!p) { p = readFile(path, 'utf8').then((t) => t.split(/\r\n|\n|\r/), () => []); lines.set(path, p); }
    return p;
  };
  const out: SearchHit[] = await Promise.all(hits.map(async (h) => ({
    uri: pathToUri(h.path), range: h.range, text: h.text, score: h.score,
    preview: (await linesOf(h.path))[h.range.start.line] ?? '',
  })));
  const state = index.currentState;
  return { hits: out, partial: !index.quiescent || !state.initialPassDone };
});

connection.onWorkspaceSymbol((params): SymbolInformation[] => {
  if (!index) return [];
  return index.findMentionsByText(params.query ?? '', 500).map(({ path, mention }) => ({
    name: mention.text,
    kind: SymbolKind.Constant,
    location: { uri: pathToUri(path), range: mention.range },
    containerName: basename(path),
  }));
});

connection.onRequest(ReindexRequest.method, (params: Params<typeof ReindexRequest>) => {
  if (params !== undefined && params !== null && (typeof params !== 'object' || Array.isArray(params))) throw invalid('ner/reindex expects {rebuild?: boolean} or no params');
  const rebuild = params?.rebuild;
  if (rebuild !== undefined && typeof rebuild !== 'boolean') throw invalid('"rebuild" must be a boolean');
  if (!index) throw new ResponseError(ErrorCodes.InternalError, startupError ? `The index failed to open: ${startupError}` : 'The index is still loading');
  void index.indexAll({ rebuild: !!rebuild });
  return null;
});

connection.onRequest(PauseRequest.method, () => { index?.pause(); return null; });
connection.onRequest(ResumeRequest.method, () => { index?.resume(); return null; });

connection.onShutdown(async () => {
  await index?.close();
});

connection.listen();
