// The NER Retriever VS Code extension: a thin client. It starts the language server
// (dist/server.mjs) and maps its features to VS Code UI; all entity logic lives in the server.
// Custom methods: docs/lsp-extensions.md, typed in server/src/protocol.ts.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { SETTINGS_SECTION, StatusNotification, type SearchResult, type StatusParams } from '../../server/src/protocol.ts';
import { createLanguageClient, RestartingErrorHandler } from './languageClient.ts';
import { FindCommand, QueryHistory, type FindArgs, type FindUiState } from './find.ts';
import { Highlighter } from './highlights.ts';
import { NerRequests } from './requests.ts';
import { RESULTS_LANGUAGE, RESULTS_SCHEME, ResultsProvider } from './results.ts';
import { IndexStatus } from './status.ts';

/** What `activate` returns (`vscode.extensions.getExtension('ner-retriever.ner-retriever').exports`): used by tests and other extensions. */
export interface NerRetrieverApi {
  /** Latest `ner/status` (undefined while the server starts or restarts). */
  readonly status: StatusParams | undefined;
  /** Number of `ner/status` notifications received so far. */
  readonly statusCount: number;
  readonly onDidChangeStatus: vscode.Event<StatusParams | undefined>;
  /** Resolves with the first status (current or future) that satisfies `predicate`. */
  waitForStatus(predicate: (s: StatusParams, count: number) => boolean, timeoutMs?: number): Promise<StatusParams>;
  /** Resolves once the index is quiescent and, with `after`, only on a status received after that count. */
  waitForIdle(after?: number, timeoutMs?: number): Promise<StatusParams>;
  /** The language client's state ('stopped' after too many crashes, until Restart Server). */
  readonly clientState: 'starting' | 'running' | 'stopped';
  /** Process id of the running language server. */
  readonly serverPid: number | undefined;
  /** Resolves when the language client is running (after a start or restart). */
  whenRunning(timeoutMs?: number): Promise<void>;
  /** Same as the `nerRetriever.find` command with a query: the server's answer, no UI. */
  find(query: string, limit?: number): Promise<SearchResult>;
  /** State of the open Find picker (undefined when closed). */
  readonly findUi: FindUiState | undefined;
  readonly onDidChangeFindUi: vscode.Event<FindUiState | undefined>;
  hideFind(): void;
  /** Ranges decorated by the last highlight, per document URI. */
  readonly highlights: ReadonlyMap<string, vscode.Range[]>;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<NerRetrieverApi> {
  const output = vscode.window.createOutputChannel('NER Retriever', { log: true });
  const errorHandler = new RestartingErrorHandler(output);
  const lc = createLanguageClient(context, output, errorHandler);
  client = lc;
  const requests = new NerRequests(lc);
  const status = new IndexStatus();
  const highlighter = new Highlighter(requests);
  const find = new FindCommand(requests, highlighter, new QueryHistory(context.globalState));
  const results = new ResultsProvider(requests);
  context.subscriptions.push(output, status, highlighter, find, results);

  lc.onNotification(StatusNotification.method, (s: StatusParams) => {
    const wasBusy = status.status?.quiescent === false;
    status.update(s);
    if (wasBusy && s.quiescent) results.refreshOpen();   // open results documents follow the index
  });
  context.subscriptions.push(lc.onDidChangeState((e) => {
    if (e.newState !== State.Running) status.update(undefined, e.newState === State.Stopped);
  }));

  const askQuery = (title: string, value?: string) => vscode.window.showInputBox({
    title, value: value ?? find.history.get()[0], prompt: 'A free-text entity type', placeHolder: 'e.g. "European river", "aerospace manufacturer"',
    validateInput: (v) => (v.trim() ? undefined : 'Type an entity type'),
  });

  const command = (id: string, run: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, run));
  command('nerRetriever.find', (arg?: string | FindArgs) => find.run(arg));
  // The explorer's context menu passes the clicked resource and the selection.
  command('nerRetriever.findIn', (resource?: vscode.Uri, selected?: vscode.Uri[]) => find.runIn(resource instanceof vscode.Uri ? resource : undefined, Array.isArray(selected) ? selected : undefined));
  // Menus pass the resource URI as the first argument: only a string is a query.
  command('nerRetriever.openResults', async (query?: unknown, scope?: unknown) => {
    const q = typeof query === 'string' ? query : await askQuery('NER Retriever: Open Results in Editor');
    if (!q?.trim()) return undefined;
    await find.history.add(q);
    const kept = Array.isArray(scope) && scope.length && scope.every((s) => typeof s === 'string') ? scope as string[] : undefined;
    return (await results.open(q, kept)).uri;
  });
  command('nerRetriever.highlightType', async (query?: unknown) => {
    const q = typeof query === 'string' ? query : await askQuery('NER Retriever: Highlight Type in Editor');
    if (!q?.trim()) return;
    await find.history.add(q);
    await highlighter.highlight(q);
  });
  command('nerRetriever.clearHighlights', () => highlighter.clear());
  command('nerRetriever.toggleTypeLabels', async () => {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const inspect = config.inspect<boolean>('typeLabelsEnabled');
    const enabled = config.get<boolean>('typeLabelsEnabled', true);
    // Flip it where it is set (workspace beats user), else in the user settings.
    const target = inspect?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspect?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await config.update('typeLabelsEnabled', !enabled, target);
    void vscode.window.setStatusBarMessage(`NER Retriever: type labels ${enabled ? 'off' : 'on'}`, 3000);
    return !enabled;
  });
  command('nerRetriever.reindex', () => requests.reindex({ rebuild: false }));
  command('nerRetriever.rebuildIndex', () => requests.reindex({ rebuild: true }));
  // The server's ner/status carries the paused state (the status bar and the context key follow it).
  command('nerRetriever.pauseIndexing', () => requests.pause());
  command('nerRetriever.resumeIndexing', () => requests.resume());
  command('nerRetriever.restartServer', async () => {
    errorHandler.reset();
    await lc.restart();
  });
  command('nerRetriever.showOutput', () => output.show(true));

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(RESULTS_SCHEME, results),
    vscode.languages.registerDocumentLinkProvider([{ scheme: RESULTS_SCHEME }, { language: RESULTS_LANGUAGE }], results),
  );

  const whenRunning = (timeoutMs = 60_000) => new Promise<void>((resolve, reject) => {
    if (lc.state === State.Running) return resolve();
    const timer = setTimeout(() => { sub.dispose(); reject(new Error('NER Retriever: the language client did not start')); }, timeoutMs);
    const sub = lc.onDidChangeState((e) => { if (e.newState === State.Running) { clearTimeout(timer); sub.dispose(); resolve(); } });
  });

  await lc.start().catch((e: unknown) => {
    output.error(`Could not start the NER Retriever server: ${(e as Error).message}`);
    void vscode.window.showErrorMessage('NER Retriever: the language server did not start.', 'Show Output').then((c) => { if (c) output.show(); });
  });

  return {
    get status() { return status.status; },
    get statusCount() { return status.count; },
    onDidChangeStatus: status.onDidChange,
    waitForStatus: (predicate, timeoutMs) => status.waitFor(predicate, timeoutMs),
    waitForIdle: (after = -1, timeoutMs) => status.waitFor((s, n) => s.quiescent && n > after, timeoutMs),
    get clientState() { return lc.state === State.Running ? 'running' : lc.state === State.Starting ? 'starting' : 'stopped'; },
    get serverPid() { return lc.state === State.Running ? lc.serverProcess?.pid : undefined; },
    whenRunning,
    find: (query, limit) => find.run({ query, limit }) as Promise<SearchResult>,
    get findUi() { return find.uiState; },
    onDidChangeFindUi: find.onDidChangeUi,
    hideFind: () => find.hide(),
    get highlights() { return highlighter.applied; },
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop().catch(() => undefined);
  client = undefined;
}
