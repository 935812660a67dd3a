// Starts the language server (dist/server.mjs) over Node IPC with VS Code's own Node runtime, and
// restarts it when it dies — at most MAX_RESTARTS times in RESTART_WINDOW_MS, then an error with a
// "Show Output" action.
import * as vscode from 'vscode';
import {
  CloseAction, ErrorAction, LanguageClient, TransportKind,
  type CloseHandlerResult, type ErrorHandler, type ErrorHandlerResult, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../server/src/protocol.ts';

export const CLIENT_ID = 'nerRetriever';
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60_000;

const PROCESS_GONE = /EPIPE|ECONNRESET|ERR_STREAM_DESTROYED|ERR_IPC_CHANNEL_CLOSED|channel closed/i;

/** Crash policy: restart while fewer than MAX_RESTARTS crashes happened in the last RESTART_WINDOW_MS. */
export class RestartingErrorHandler implements ErrorHandler {
  private crashes: number[] = [];

  constructor(private readonly output: vscode.LogOutputChannel) {}

  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    // Writes to a server process that just died (messages queued before its exit was noticed):
    // not a broken protocol. closed() follows and applies the crash policy; shutting down here
    // would turn a crash during the start-up burst of messages into "will not be restarted".
    if (PROCESS_GONE.test(`${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`)) return { action: ErrorAction.Continue, handled: true };
    // A few broken messages are tolerated; a persistently broken connection is shut down.
    return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < RESTART_WINDOW_MS);
    this.crashes.push(now);
    if (this.crashes.length <= MAX_RESTARTS) {
      this.output.warn(`The NER Retriever server stopped; restarting (${this.crashes.length}/${MAX_RESTARTS}).`);
      return { action: CloseAction.Restart, handled: true };
    }
    const message = `The NER Retriever server crashed ${this.crashes.length} times in ${RESTART_WINDOW_MS / 60_000} minutes and will not be restarted.`;
    this.output.error(message);
    void vscode.window.showErrorMessage(message, 'Show Output', 'Restart Server').then((choice) => {
      if (choice === 'Show Output') this.output.show();
      else if (choice === 'Restart Server') void vscode.commands.executeCommand('nerRetriever.restartServer');
    });
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  /** A deliberate restart (the Restart Server command) starts a fresh crash budget. */
  reset(): void { this.crashes = []; }
}

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, errorHandler: ErrorHandler): LanguageClient {
  const module = context.asAbsolutePath('dist/server.mjs');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--enable-source-maps', '--inspect=6039'] } },
  };
  const initializationOptions: InitializationOptions = { storagePath: context.storageUri?.fsPath };
  const clientOptions: LanguageClientOptions = {
    // Inlay hints and highlights for the files the server indexes (unsaved edits are synced too).
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'file', language: 'plaintext' },
      { scheme: 'file', pattern: '**/*.{md,markdown,mdx,txt,text,rst,org}' },
    ],
    initializationOptions,
    outputChannel: output,
    errorHandler,
  };
  return new LanguageClient(CLIENT_ID, 'NER Retriever', serverOptions, clientOptions);
}
