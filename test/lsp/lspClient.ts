// Starts the real language server process (TypeScript through tsx) and talks JSON-RPC to it over
// stdio, recording its notifications so tests can wait for them instead of sleeping.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import {
  createMessageConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageConnection,
} from 'vscode-jsonrpc/node';
import { pathToFileURL } from 'node:url';
import type { StatusParams } from '../../server/src/protocol.ts';

const repoRoot = new URL('../..', import.meta.url).pathname;
const serverEntry = new URL('../../server/src/lsp/server.ts', import.meta.url).pathname;
const tsxLoader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).pathname;
/** Long enough for a search during a busy initial pass on a loaded 2-core machine. */
const REQUEST_TIMEOUT_MS = 60_000;

/** Servers started by this test file and not yet exited. */
const running = new Set<ChildProcess>();
// A server left running keeps the test file's process alive, and node's runner then reports no
// later file until its 10-minute file timeout: once the file's tests are done, stop any leftover
// loudly, and name whatever else still holds the process.
after(() => {
  for (const child of running) {
    console.error(`lspClient: server pid ${child.pid} still running after the file's tests; killing it`);
    child.kill('SIGKILL');
  }
  setTimeout(() => console.error(`lspClient: the test process is still alive 30 s after its tests: ${process.getActiveResourcesInfo().join(', ')}`), 30_000).unref();
});

export interface ProgressEvent { token: string | number; value: { kind: 'begin' | 'report' | 'end'; title?: string; percentage?: number; message?: string; cancellable?: boolean } }

export class LspTestClient {
  readonly child: ChildProcess;
  readonly connection: MessageConnection;
  readonly statuses: StatusParams[] = [];
  readonly progress: ProgressEvent[] = [];
  readonly progressCreated: Array<string | number> = [];
  readonly registrations: unknown[] = [];
  readonly logs: string[] = [];
  stderr = '';
  /** The `nerRetriever` settings answered to workspace/configuration (a function: per scopeUri). */
  settings: Record<string, unknown> | ((scopeUri: string | undefined) => Record<string, unknown> | null) | null = null;
  readonly configurationRequests: Array<{ scopeUri?: string; section?: string }> = [];
  inlayHintRefreshes = 0;
  readonly exited: Promise<number | null>;
  private listeners: Array<() => void> = [];

  /** `entry`: a built bundle (dist/server.mjs) instead of the TypeScript sources; `ipc`: --node-ipc instead of --stdio. */
  constructor(options: { env?: Record<string, string>; entry?: string; ipc?: boolean } = {}) {
    const env = { ...process.env, ...options.env };
    const execArgv = options.entry ? [] : ['--import', tsxLoader];
    const entry = options.entry ?? serverEntry;
    if (options.ipc) {
      this.child = fork(entry, ['--node-ipc'], { cwd: repoRoot, env, execArgv, stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
      this.connection = createMessageConnection(new IPCMessageReader(this.child), new IPCMessageWriter(this.child));
    } else {
      this.child = spawn(process.execPath, [...execArgv, entry, '--stdio'], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
      const reader = new StreamMessageReader(this.child.stdout!);
      // A server killed in the middle of writing a message leaves the reader with a partial one,
      // and vscode-jsonrpc 10 then re-arms a 10-second "partial message" timer forever, disposal
      // or not: that timer alone kept this test file's process alive until the runner's timeout.
      reader.partialMessageTimeout = 0;
      this.connection = createMessageConnection(reader, new StreamMessageWriter(this.child.stdin!));
    }
    this.child.stderr!.on('data', (d) => { this.stderr += String(d); });
    running.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code) => { running.delete(this.child); resolve(code); });
      // A failed spawn emits 'error' and no 'exit'.
      this.child.on('error', (e) => {
        this.stderr += `\nchild process error: ${e.message}`;
        if (this.child.pid === undefined) { running.delete(this.child); resolve(null); }
      });
    });
    this.connection.onNotification('ner/status', (s: StatusParams) => { this.statuses.push(s); this.notify(); });
    this.connection.onNotification('$/progress', (p: ProgressEvent) => { this.progress.push(p); this.notify(); });
    this.connection.onNotification('window/logMessage', (m: { message: string }) => { this.logs.push(m.message); });
    this.connection.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => { this.progressCreated.push(p.token); return null; });
    this.connection.onRequest('client/registerCapability', (p: { registrations: unknown[] }) => { this.registrations.push(...p.registrations); return null; });
    this.connection.onRequest('workspace/configuration', (p: { items: Array<{ scopeUri?: string; section?: string }> }) => {
      this.configurationRequests.push(...p.items);
      return p.items.map((item) => {
        if (item.section !== 'nerRetriever') return null;
        return typeof this.settings === 'function' ? this.settings(item.scopeUri) : this.settings;
      });
    });
    this.connection.onRequest('workspace/inlayHint/refresh', () => { this.inlayHintRefreshes++; this.notify(); return null; });
    this.connection.listen();
  }

  private notify(): void { for (const l of [...this.listeners]) l(); }

  /** Resolves once `predicate` holds (checked on every notification); rejects after `timeoutMs`. */
  waitUntil(what: string, predicate: () => boolean, timeoutMs = 90_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out waiting for ${what}; ${this.diagnostics()}`));
      }, timeoutMs);
      const cleanup = () => { clearTimeout(timer); this.listeners = this.listeners.filter((l) => l !== check); };
      this.listeners.push(check);
      check();
    });
  }

  /**
   * connection.sendRequest, failing with what the server last said when it exits first or has not
   * answered after `REQUEST_TIMEOUT_MS`. (vscode-jsonrpc leaves a request pending forever when the
   * other side dies, and an unanswered request must fail its test, not hold the whole run.)
   */
  request<R = unknown>(method: string, ...params: unknown[]): Promise<R> {
    const send = this.connection.sendRequest.bind(this.connection) as (m: string, ...p: unknown[]) => Promise<R>;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`No answer to ${method} in ${REQUEST_TIMEOUT_MS / 1000} s; ${this.diagnostics()}`)), REQUEST_TIMEOUT_MS);
    });
    const died = this.exited.then((code): never => { throw new Error(`The server exited (${code ?? this.child.signalCode}) before answering ${method}; ${this.diagnostics()}`); });
    return Promise.race([send(method, ...params), timeout, died]).finally(() => clearTimeout(timer));
  }

  /** The last status, the server's stderr and its last log lines, for failure messages. */
  diagnostics(): string {
    return `last status ${JSON.stringify(this.statuses.at(-1))}; exit ${this.child.exitCode ?? this.child.signalCode}; stderr: ${this.stderr.slice(-2000)}; logs: ${this.logs.slice(-10).join(' | ')}`;
  }

  /** Runs `action`, then waits for the server to become busy and then quiescent again (statuses after the action only). */
  async settle(action: () => void | Promise<void>, timeoutMs = 90_000): Promise<StatusParams> {
    const from = this.statuses.length;
    await action();
    let busyAt = -1;
    await this.waitUntil('quiescence', () => {
      for (let i = Math.max(from, busyAt + 1); i < this.statuses.length; i++) {
        if (!this.statuses[i].quiescent && busyAt < 0) busyAt = i;
        else if (busyAt >= 0 && this.statuses[i].quiescent) return true;
      }
      return false;
    }, timeoutMs);
    return this.statuses.at(-1)!;
  }

  /** initialize + initialized on these folders; resolves with the server's InitializeResult. */
  async start(folders: string[], initializationOptions: Record<string, unknown> = {}, capabilities: Record<string, unknown> = {
    window: { workDoneProgress: true },
    workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, symbol: {} },
  }): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.request<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid, rootUri: null,
      workspaceFolders: folders.map((f) => ({ uri: pathToFileURL(f).href, name: f })),
      capabilities, initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Waits for the first quiescent ner/status (the initial pass done). */
  initialIndexing(): Promise<void> {
    return this.waitUntil('initial indexing to finish', () => this.statuses.some((s) => s.quiescent));
  }

  async dispose(): Promise<void> {
    this.connection.dispose();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill();
      const stuck = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(stuck);
    }
  }
}
