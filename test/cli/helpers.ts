// Runs the real CLI in a child process (TypeScript sources through tsx) for end-to-end tests.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../helpers/scratchDir.ts';

const entry = new URL('../../server/src/cli/index.ts', import.meta.url).pathname;
export const repoRoot = new URL('../..', import.meta.url).pathname;

export interface JsonHit {
  query: string; score: number; text: string; path: string; docId?: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

// Resolved here, so that the CLI also starts in a folder without node_modules (`cwd`).
const tsxLoader = import.meta.resolve('tsx');

/** `prefix`: a command the CLI runs under (its arguments, then the CLI's command line); `timeout` in ms (a killed run has `signal` set); `cwd` defaults to the repository. */
export function runCli(args: string[], options: { input?: string; env?: Record<string, string>; timeout?: number; prefix?: string[]; cwd?: string } = {}): SpawnSyncReturns<string> {
  const command = [...options.prefix ?? [], process.execPath, '--import', tsxLoader, entry, ...args];
  return spawnSync(command[0], command.slice(1), {
    cwd: options.cwd ?? repoRoot, encoding: 'utf8', input: options.input ?? '', timeout: options.timeout ?? 180_000, maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
}

export function searchJson(store: string, query: string, limit = 50): JsonHit[] {
  const r = runCli(['search', query, '--store', store, '--json', '--limit', String(limit)]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as JsonHit);
}

/** A temporary copy of `folder` at <root>/ws, indexed into <root>/store (the caller removes root). */
export function indexedCopy(folder: string, filter?: (path: string) => boolean): { root: string; ws: string; store: string } {
  const root = scratchDir('ner-cli-');
  const ws = join(root, 'ws');
  cpSync(folder, ws, { recursive: true, filter });
  const store = join(root, 'store');
  const r = runCli(['index', ws, '--store', store]);
  assert.equal(r.status, 0, r.stderr);
  return { root, ws, store };
}
