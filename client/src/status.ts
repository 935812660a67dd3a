// Index state from the server's `ner/status` notification: a language status item (Markdown, text,
// reStructuredText and Org files), a status bar entry, and waiting helpers for the extension API
// (tests poll these, never a fixed sleep).
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol.ts';

/** The documents the server indexes by default (as the language client's selector). */
const SELECTOR: vscode.DocumentSelector = [
  { language: 'markdown' }, { language: 'plaintext' }, { language: 'restructuredtext' }, { language: 'org' },
  { scheme: 'file', pattern: '**/*.{md,markdown,mdx,txt,text,rst,org}' },
];

export class IndexStatus implements vscode.Disposable {
  private current: StatusParams | undefined;
  private generation = 0;
  private readonly emitter = new vscode.EventEmitter<StatusParams | undefined>();
  private readonly language = vscode.languages.createLanguageStatusItem('nerRetriever.status', SELECTOR);
  private readonly bar = vscode.window.createStatusBarItem('nerRetriever.status', vscode.StatusBarAlignment.Left, 10);
  private lastHealth: StatusParams['health'] | undefined;
  /** Fires on every status (undefined: the server is (re)starting). */
  readonly onDidChange = this.emitter.event;
  /** Last value given to the `nerRetriever.paused` context key (menus offer Pause or Resume). */
  private pausedContext: boolean | undefined;

  constructor() {
    this.language.name = 'NER Retriever';
    this.bar.name = 'NER Retriever';
    this.render();
    this.bar.show();
  }

  get status(): StatusParams | undefined { return this.current; }
  /** Increases with every status received: "a status newer than X" is `generationNow > X`. */
  get count(): number { return this.generation; }

  /** The client stopped for good (too many crashes): shown until a restart. */
  private stopped = false;

  update(status: StatusParams | undefined, stopped = false): void {
    this.current = status;
    this.stopped = stopped && !status;
    if (status) this.generation++;
    this.render();
    const paused = !!status?.paused;
    if (paused !== this.pausedContext) {
      this.pausedContext = paused;
      void vscode.commands.executeCommand('setContext', 'nerRetriever.paused', paused);
    }
    this.emitter.fire(status);
    if (status?.health === 'error' && this.lastHealth !== 'error') {
      void vscode.window.showErrorMessage(`NER Retriever: ${status.message}`, 'Reindex', 'Show Output').then((choice) => {
        if (choice === 'Reindex') void vscode.commands.executeCommand('nerRetriever.reindex');
        else if (choice === 'Show Output') void vscode.commands.executeCommand('nerRetriever.showOutput');
      });
    }
    this.lastHealth = status?.health;
  }

  /** Resolves with the first status (current or future) satisfying `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate: (s: StatusParams, generation: number) => boolean, timeoutMs = 120_000): Promise<StatusParams> {
    if (this.current && predicate(this.current, this.generation)) return Promise.resolve(this.current);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { sub.dispose(); reject(new Error(`NER Retriever: status wait timed out (last: ${JSON.stringify(this.current)})`)); }, timeoutMs);
      const sub = this.onDidChange((s) => {
        if (s && predicate(s, this.generation)) { clearTimeout(timer); sub.dispose(); resolve(s); }
      });
    });
  }

  private render(): void {
    const s = this.current;
    const lang = this.language;
    const bar = this.bar;
    lang.busy = false;
    lang.severity = vscode.LanguageStatusSeverity.Information;
    lang.command = { title: 'Find…', command: 'nerRetriever.find' };
    bar.backgroundColor = undefined;
    bar.command = 'nerRetriever.find';
    if (!s && this.stopped) {
      lang.text = '$(error) NER: server stopped';
      lang.detail = 'The language server stopped';
      lang.severity = vscode.LanguageStatusSeverity.Error;
      lang.command = { title: 'Restart Server', command: 'nerRetriever.restartServer' };
      bar.text = '$(error) NER';
      bar.tooltip = 'NER Retriever: the language server stopped — click to restart it';
      bar.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      bar.command = 'nerRetriever.restartServer';
      return;
    }
    if (!s) {
      lang.text = '$(loading~spin) NER: starting';
      lang.detail = 'Loading models…';
      lang.busy = true;
      bar.text = '$(loading~spin) NER';
      bar.tooltip = 'NER Retriever: starting the language server';
      return;
    }
    const mentions = s.mentions.toLocaleString('en-US');
    if (s.health === 'error') {
      lang.text = '$(error) NER: error';
      lang.severity = vscode.LanguageStatusSeverity.Error;
      lang.command = { title: 'Show Output', command: 'nerRetriever.showOutput' };
      bar.text = '$(error) NER';
      bar.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      bar.command = 'nerRetriever.showOutput';
    } else if (s.paused) {
      lang.text = '$(debug-pause) NER: paused';
      lang.command = { title: 'Resume', command: 'nerRetriever.resumeIndexing' };
      bar.text = `$(debug-pause) NER ${s.indexedFiles}/${s.totalFiles}`;
      bar.command = 'nerRetriever.resumeIndexing';
    } else if (!s.quiescent) {
      lang.text = s.totalFiles ? `$(sync~spin) NER: indexing ${s.indexedFiles}/${s.totalFiles}` : '$(sync~spin) NER: indexing';
      lang.busy = true;
      lang.command = { title: 'Pause', command: 'nerRetriever.pauseIndexing' };
      bar.text = s.totalFiles ? `$(sync~spin) NER ${s.indexedFiles}/${s.totalFiles}` : '$(sync~spin) NER';
    } else {
      lang.text = `$(search) NER: ${mentions} mentions`;
      if (s.health === 'warning') {
        lang.severity = vscode.LanguageStatusSeverity.Warning;
        lang.command = { title: 'Reindex', command: 'nerRetriever.reindex' };
        bar.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      }
      bar.text = `$(search) NER ${mentions}`;
    }
    lang.detail = s.message;
    bar.tooltip = `NER Retriever: ${s.message}\n${s.indexedFiles}/${s.totalFiles} files, ${mentions} mentions`;
  }

  dispose(): void {
    this.language.dispose();
    this.bar.dispose();
    this.emitter.dispose();
  }
}
