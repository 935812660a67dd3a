// Runs an editor (headless Neovim, batch Emacs) on a script that starts the language server from
// the editor's own LSP client on a copy of the fixture workspace; the script writes what it saw
// as JSON to $NER_OUT (paths in the environment: NER_ROOT, NER_STORAGE, NER_CACHE, and
// NER_SERVER_CMD, the server's command line joined by tabs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheDir } from '../../server/src/engine/encode/wordVectors.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const fixture = new URL('../fixtures/workspace', import.meta.url).pathname;
const serverEntry = new URL('../../server/src/lsp/server.ts', import.meta.url).pathname;
const tsxLoader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).pathname;

/** Whether `command args…` runs and exits 0 (the editor, and what the test needs of it, is installed). */
export function runs(command: string, args: string[]): boolean {
  return spawnSync(command, args, { encoding: 'utf8' }).status === 0;
}

/** The editor's JSON result and the notes folder it worked on; fails the test when none was written. */
export function runEditor<T extends { error: string | null }>(command: string, args: string[]): { result: T; notes: string } {
  const tmp = scratchDir(`ner-${command}-`);
  const notes = join(tmp, 'notes');
  cpSync(fixture, notes, { recursive: true });
  const out = join(tmp, 'out.json');
  const run = spawnSync(command, args, {
    encoding: 'utf8', timeout: 110_000,
    env: {
      ...process.env, NER_ROOT: notes, NER_OUT: out, NER_STORAGE: join(tmp, 'storage'), NER_CACHE: defaultCacheDir(),
      NER_SERVER_CMD: [process.execPath, '--import', tsxLoader, serverEntry, '--stdio'].join('\t'),
    },
  });
  let result: T;
  try {
    result = JSON.parse(readFileSync(out, 'utf8')) as T;
  } catch {
    assert.fail(`${command} wrote no result (exit ${run.status}, signal ${run.signal}): ${run.stderr}${run.stdout}`);
  }
  assert.equal(result.error, null, String(result.error));
  return { result, notes };
}
