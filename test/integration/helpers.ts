// Helpers of the extension-host integration tests: activation, condition polling, screenshots.
/// <reference types="mocha" />
import { statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { NerRetrieverApi } from '../../client/src/extension.ts';

export type Api = NerRetrieverApi;
export const EXTENSION_ID = 'ner-retriever.ner-retriever';

export async function activateExtension(): Promise<Api> {
  const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} not found`);
  const api = await ext.activate();
  await api.whenRunning(120_000);
  return api;
}

/** Polls `check` every 100 ms until it returns something other than undefined/false; throws after `timeoutMs`. */
export async function waitUntil<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (e) { lastError = e; }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Asks the launcher (scripts/vscode-host/launch.mjs) for a screenshot of the workbench and waits
 * until it is written. Only when NER_SCREENSHOT_DIR is set (npm run screenshots).
 */
export async function screenshot(name: string): Promise<void> {
  const dir = process.env.NER_SCREENSHOT_DIR;
  if (!dir) return;
  const file = join(dir, `${name}.png`);
  const asked = Date.now();
  // Let the workbench paint what the test just did (inlay hints, quick pick rows) before the capture.
  await new Promise((r) => setTimeout(r, 1500));
  console.log(`[ner-screenshot] ${name}`);
  await waitUntil(() => { try { return statSync(file).mtimeMs >= asked; } catch { return undefined; } }, `screenshot ${file}`, 30_000);
}

// ---------------------------------------------------------------- TextMate tokens
// VS Code's own TextMate engine (vscode-textmate + vscode-oniguruma) on a grammar file: the web
// workbench has no command that returns tokens (`_workbench.captureSyntaxTokens` is desktop-only).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

let onig: Promise<void> | undefined;

export interface Token { line: number; text: string; scopes: string[] }

export async function tokenize(grammarPath: string, scopeName: string, text: string): Promise<Token[]> {
  onig ??= (async () => {
    const wasm = readFileSync(createRequire(__filename).resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  })();
  await onig;
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s: string[]) => new oniguruma.OnigScanner(s), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope: string) => (scope === scopeName ? textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null),
  });
  const grammar = await registry.loadGrammar(scopeName);
  if (!grammar) throw new Error(`grammar ${scopeName} not loaded from ${grammarPath}`);
  const out: Token[] = [];
  let state = textmate.INITIAL;
  text.split('\n').forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) out.push({ line: i, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    state = r.ruleStack;
  });
  return out;
}
