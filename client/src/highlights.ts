// Highlights every mention matching a type query in the visible editors (`ner/highlights` + one
// TextEditorDecorationType); follows editors as they become visible until cleared.
import * as vscode from 'vscode';
import type { NerRequests } from './requests.ts';
import { toRange } from './requests.ts';

export class Highlighter implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
    border: '1px solid',
    borderColor: new vscode.ThemeColor('editor.findMatchBorder'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.findMatchForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });
  private query: string | undefined;
  /** Decorated ranges per document URI (for the extension API / tests). */
  readonly applied = new Map<string, vscode.Range[]>();
  private readonly subs: vscode.Disposable[];

  constructor(private readonly requests: NerRequests) {
    this.subs = [vscode.window.onDidChangeVisibleTextEditors((editors) => { if (this.query) void this.apply(editors); })];
  }

  get currentQuery(): string | undefined { return this.query; }

  async highlight(query: string): Promise<void> {
    this.query = query.trim() || undefined;
    this.applied.clear();
    await this.apply(vscode.window.visibleTextEditors);
  }

  clear(): void {
    this.query = undefined;
    this.applied.clear();
    for (const e of vscode.window.visibleTextEditors) e.setDecorations(this.decoration, []);
  }

  private async apply(editors: readonly vscode.TextEditor[]): Promise<void> {
    const query = this.query;
    if (!query) return;
    await Promise.all(editors.filter((e) => e.document.uri.scheme === 'file').map(async (editor) => {
      const uri = editor.document.uri.toString();
      const result = await this.requests.highlights({ uri, query }).catch(() => ({ highlights: [] }));
      if (this.query !== query) return;
      const ranges = result.highlights.map((h) => toRange(h.range));
      this.applied.set(uri, ranges);
      editor.setDecorations(this.decoration, ranges.map((range, i) => ({
        range, hoverMessage: `NER Retriever: "${query}" (${result.highlights[i].score.toFixed(2)})`,
      })));
    }));
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.decoration.dispose();
  }
}
