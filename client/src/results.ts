// "Open Results in Editor": a read-only `ner-results:` document listing the hits of a query, grouped
// by file (grammar: syntaxes/ner-results.tmLanguage.json), with clickable locations.
import * as vscode from 'vscode';
import type { SearchHit, SearchResult } from '../../server/src/protocol.ts';
import type { NerRequests } from './requests.ts';
import { scopeLabel } from './find.ts';

export const RESULTS_SCHEME = 'ner-results';
export const RESULTS_LANGUAGE = 'ner-results';

/** Names listed in a results document's header. */
const NAMES_SHOWN = 15;

interface Link { line: number; start: number; end: number; hit: SearchHit }
interface Rendered { text: string; links: Link[] }

/** The URI of the results document of `query`, kept to `scope` (file or folder URIs) if given: one document per query and scope; reopening refreshes it. */
export function resultsUri(query: string, scope?: readonly string[]): vscode.Uri {
  const slug = query.trim().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'results';
  const params = new URLSearchParams({ q: query.trim() });
  for (const s of scope ?? []) params.append('in', s);
  return vscode.Uri.from({ scheme: RESULTS_SCHEME, path: `/${slug}.ner-results`, query: params.toString() });
}

export const queryOf = (uri: vscode.Uri) => new URLSearchParams(uri.query).get('q') ?? '';
/** The scope of a results document's URI, if any. */
export const scopeOf = (uri: vscode.Uri): string[] | undefined => {
  const scope = new URLSearchParams(uri.query).getAll('in');
  return scope.length ? scope : undefined;
};

/**
 * Text of a results document:
 *   # NER Retriever: 3 mentions of "river" in 2 files
 *   # Names: Rhine ×2, Danube ×1
 *   <blank>
 *   notes/rivers.md
 *     3:5      0.83  The «Rhine» rises in the Swiss Alps …
 */
export function renderResults(query: string, result: SearchResult, relativePath: (uri: string) => string, names?: SearchResult, where = ''): Rendered {
  const files = new Map<string, SearchHit[]>();
  for (const h of result.hits) {
    const list = files.get(h.uri);
    if (list) list.push(h); else files.set(h.uri, [h]);
  }
  const n = result.hits.length;
  const lines = [`# NER Retriever: ${n} mention${n === 1 ? '' : 's'} of "${query}" in ${files.size} file${files.size === 1 ? '' : 's'}${where ? ` (kept to ${where})` : ''}`];
  if (result.partial) lines.push('# (partial: indexing was still running)');
  // Which names, before where: "# Names: Rhine ×3, Danube ×2, …" (ner/search with names).
  if (names?.names?.length) lines.push(`# Names: ${names.names.map((n) => `${n.text.replace(/\s+/g, ' ')} ×${n.mentions}`).join(', ')}`);
  const links: Link[] = [];
  for (const [uri, hits] of files) {
    lines.push('', relativePath(uri));
    for (const hit of hits) {
      const { line, character } = hit.range.start;
      const location = `${line + 1}:${character + 1}`;
      const pre = hit.preview;
      const single = hit.range.end.line === line;
      const mentionEnd = single ? hit.range.end.character : pre.length;
      const before = pre.slice(0, character).trimStart();
      const shown = `${before.length > 60 ? '…' + before.slice(-60) : before}«${pre.slice(character, mentionEnd) || hit.text}»${pre.slice(mentionEnd).trimEnd()}`;
      const text = `  ${location.padEnd(8)} ${hit.score.toFixed(2)}  ${shown}`;
      links.push({ line: lines.length, start: 2, end: 2 + location.length, hit });
      lines.push(text);
    }
  }
  return { text: lines.join('\n') + '\n', links };
}

export class ResultsProvider implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly rendered = new Map<string, Rendered>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly requests: NerRequests) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const query = queryOf(uri);
    if (!query) return '# NER Retriever: no query\n';
    const scope = scopeOf(uri);
    const kept = scope ? { scope } : {};
    const [result, names] = await Promise.all([this.requests.search({ query, ...kept }, token), this.requests.search({ query, names: true, limit: NAMES_SHOWN, ...kept }, token)]);
    const r = renderResults(query, result, (u) => vscode.workspace.asRelativePath(vscode.Uri.parse(u)), names, scope ? scopeLabel(scope) : '');
    this.rendered.set(uri.toString(), r);
    return r.text;
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const r = this.rendered.get(document.uri.toString());
    if (!r) return [];
    return r.links.map(({ line, start, end, hit }) => {
      const { start: s, end: e } = hit.range;
      const target = vscode.Uri.parse(hit.uri).with({ fragment: `L${s.line + 1},${s.character + 1}-L${e.line + 1},${e.character + 1}` });
      const link = new vscode.DocumentLink(new vscode.Range(line, start, line, end), target);
      link.tooltip = `Open ${hit.text} (${hit.score.toFixed(2)})`;
      return link;
    });
  }

  /** Re-runs the queries of the open results documents. */
  refreshOpen(): void {
    for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === RESULTS_SCHEME) this.emitter.fire(d.uri);
  }

  /** Opens (or refreshes) the results document of `query`, kept to `scope` if given. */
  async open(query: string, scope?: readonly string[]): Promise<vscode.TextDocument> {
    const uri = resultsUri(query, scope);
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) this.emitter.fire(uri);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== RESULTS_LANGUAGE) doc = await vscode.languages.setTextDocumentLanguage(doc, RESULTS_LANGUAGE);
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  }

  dispose(): void { this.emitter.dispose(); }
}
