// "Find Entities of Type…": a QuickPick that sends a debounced `ner/search` as the user types
// (stale requests cancelled), shows the hits grouped by file, previews the active hit and opens the
// chosen one with every match of the query highlighted. Without UI (`find('river')`) it just
// returns the server's answer.
import * as vscode from 'vscode';
import type { SearchHit, SearchResult } from '../../server/src/protocol.ts';
import type { NerRequests } from './requests.ts';
import type { Highlighter } from './highlights.ts';
import { toRange } from './requests.ts';

const DEBOUNCE_MS = 200;
const HISTORY_KEY = 'nerRetriever.queryHistory';
const HISTORY_SIZE = 20;

interface Item extends vscode.QuickPickItem { hit?: SearchHit; historyQuery?: string }

/** Arguments of the `nerRetriever.find` command; `scope`: file or folder URIs the hits must lie in. */
export interface FindArgs { query?: string; limit?: number; interactive?: boolean; scope?: string[] }

/** What the open picker shows, for the extension API (tests wait on it). */
export interface FindUiState { value: string; busy: boolean; hits: number; partial: boolean; done: boolean; recent?: string[]; scope?: string[] }

/** "notes/travel", or "notes/travel and 2 more": how a scope reads in a title. */
export function scopeLabel(scope: readonly string[]): string {
  const first = vscode.workspace.asRelativePath(vscode.Uri.parse(scope[0]));
  return scope.length > 1 ? `${first} and ${scope.length - 1} more` : first;
}

export class QueryHistory {
  constructor(private readonly state: vscode.Memento) {}
  get(): string[] { return this.state.get<string[]>(HISTORY_KEY, []); }
  async add(query: string): Promise<void> {
    const q = query.trim();
    if (!q) return;
    await this.state.update(HISTORY_KEY, [q, ...this.get().filter((x) => x !== q)].slice(0, HISTORY_SIZE));
  }
}

export class FindCommand implements vscode.Disposable {
  private ui: FindUiState | undefined;
  private readonly emitter = new vscode.EventEmitter<FindUiState | undefined>();
  private picker: vscode.QuickPick<Item> | undefined;
  /** Fires whenever the open picker's state changes (undefined: closed). */
  readonly onDidChangeUi = this.emitter.event;

  constructor(private readonly requests: NerRequests, private readonly highlighter: Highlighter, readonly history: QueryHistory) {}

  get uiState(): FindUiState | undefined { return this.ui; }

  /** The command: a string or `{query}` runs headless and returns the result; otherwise (or with `interactive`) the picker opens. */
  async run(arg?: string | FindArgs): Promise<SearchResult | undefined> {
    // From a menu the argument is the resource URI (not FindArgs): that opens the picker.
    const args: FindArgs = typeof arg === 'string' ? { query: arg } : arg instanceof vscode.Uri || !arg ? {} : arg;
    const scope = args.scope?.length ? args.scope : undefined;
    if (args.query !== undefined && !args.interactive) {
      const result = await this.requests.search({ query: args.query, limit: args.limit, ...(scope ? { scope } : {}) });
      await this.history.add(args.query);
      return result;
    }
    this.open(args.query ?? '', scope);
    return undefined;
  }

  /** "Find Entities of Type Here…" from the explorer: the picker, its hits kept to the selected files and folders. */
  runIn(resource?: vscode.Uri, selected?: vscode.Uri[]): void {
    const uris = selected?.length ? selected : resource ? [resource] : [];
    this.open('', uris.length ? uris.map((u) => u.toString()) : undefined);
  }

  hide(): void { this.picker?.hide(); }

  private setUi(next: FindUiState | undefined): void {
    this.ui = next;
    this.emitter.fire(next);
  }

  private open(initial: string, scope?: string[]): void {
    this.picker?.dispose();
    const qp = vscode.window.createQuickPick<Item>();
    this.picker = qp;
    const where = scope ? ` in ${scopeLabel(scope)}` : '';
    qp.title = `NER Retriever: Find Entities of Type${where}`;
    qp.placeholder = 'Type an entity type, e.g. "European river", "aerospace manufacturer"';
    qp.matchOnDescription = false;
    qp.matchOnDetail = false;
    qp.buttons = [{ iconPath: new vscode.ThemeIcon('go-to-file'), tooltip: 'Open Results in Editor' }];
    let pending: ReturnType<typeof setTimeout> | undefined;
    let cts: vscode.CancellationTokenSource | undefined;
    const subs: vscode.Disposable[] = [];

    const showHistory = () => {
      const recent = this.history.get();
      qp.items = recent.length
        ? [{ label: 'Recent queries', kind: vscode.QuickPickItemKind.Separator }, ...recent.map((q) => ({ label: q, iconPath: new vscode.ThemeIcon('history'), historyQuery: q, alwaysShow: true }))]
        : [];
      this.setUi({ value: '', busy: false, hits: 0, partial: false, done: true, recent, scope });
    };

    const search = (value: string) => {
      cts?.cancel();
      cts?.dispose();
      cts = undefined;
      if (pending) clearTimeout(pending);
      if (!value.trim()) { qp.busy = false; showHistory(); return; }
      qp.busy = true;
      this.setUi({ value, busy: true, hits: this.ui?.hits ?? 0, partial: false, done: false, scope });
      pending = setTimeout(() => {
        const source = new vscode.CancellationTokenSource();
        cts = source;
        this.requests.search({ query: value, ...(scope ? { scope } : {}) }, source.token).then((result) => {
          if (source.token.isCancellationRequested) return;
          qp.items = itemsOf(result.hits);
          qp.busy = false;
          qp.title = `NER Retriever: ${result.hits.length} mention${result.hits.length === 1 ? '' : 's'} of "${value}"${where}${result.searchedAs ? ` (as "${result.searchedAs}")` : ''}${result.restrictedTo ? ` (known names kept to those ${result.restrictedTo})` : ''}${result.partial ? ' (indexing, partial)' : ''}`;
          this.setUi({ value, busy: false, hits: result.hits.length, partial: result.partial, done: true, scope });
        }, (e: unknown) => {
          if (source.token.isCancellationRequested) return;
          qp.busy = false;
          qp.items = [{ label: `$(error) ${(e as Error).message}`, alwaysShow: true }];
          this.setUi({ value, busy: false, hits: 0, partial: false, done: true, scope });
        });
      }, DEBOUNCE_MS);
    };

    subs.push(
      qp.onDidChangeValue(search),
      qp.onDidChangeActive((active) => {
        const hit = active[0]?.hit;
        if (hit) void vscode.window.showTextDocument(vscode.Uri.parse(hit.uri), { preview: true, preserveFocus: true, selection: toRange(hit.range) });
      }),
      qp.onDidAccept(() => {
        const item = qp.selectedItems[0] ?? qp.activeItems[0];
        if (item?.historyQuery) { qp.value = item.historyQuery; search(item.historyQuery); return; }
        if (!item?.hit) return;
        const query = qp.value;
        qp.hide();
        void this.reveal(item.hit, query);
      }),
      qp.onDidTriggerButton(() => {
        const query = qp.value.trim();
        if (!query) return;
        void this.history.add(query);
        qp.hide();
        void vscode.commands.executeCommand('nerRetriever.openResults', query, scope);
      }),
      qp.onDidHide(() => {
        cts?.cancel();
        cts?.dispose();
        if (pending) clearTimeout(pending);
        for (const s of subs) s.dispose();
        qp.dispose();
        if (this.picker === qp) { this.picker = undefined; this.setUi(undefined); }
      }),
    );
    qp.value = initial;
    qp.show();
    search(initial);
  }

  /** Opens a hit with the mention selected and highlights the query's matches in the visible editors. */
  async reveal(hit: SearchHit, query: string): Promise<void> {
    await this.history.add(query);
    await vscode.window.showTextDocument(vscode.Uri.parse(hit.uri), { preview: false, selection: toRange(hit.range) });
    await this.highlighter.highlight(query);
  }

  dispose(): void {
    this.picker?.dispose();
    this.emitter.dispose();
  }
}

/** Hits grouped by file (one separator per file, files in order of their best hit); every item `alwaysShow`. */
function itemsOf(hits: SearchHit[]): Item[] {
  const byFile = new Map<string, SearchHit[]>();
  for (const h of hits) {
    const list = byFile.get(h.uri);
    if (list) list.push(h); else byFile.set(h.uri, [h]);
  }
  const items: Item[] = [];
  for (const [uri, list] of byFile) {
    const file = vscode.workspace.asRelativePath(vscode.Uri.parse(uri));
    // VS Code hides separators while the picker filters (its value is the query), so each row names its file too.
    items.push({ label: file, kind: vscode.QuickPickItemKind.Separator });
    for (const hit of list) {
      items.push({
        label: hit.text,
        description: `${file}:${hit.range.start.line + 1} · ${hit.score.toFixed(2)}`,
        detail: hit.preview.trim(),
        alwaysShow: true,
        hit,
      });
    }
  }
  if (!items.length) items.push({ label: 'No mentions of this type', alwaysShow: true });
  return items;
}
