// `ner-retriever index` stopped by SIGTERM (`timeout`, a service manager, a CI job cancelled) stops
// as on Ctrl+C: what was indexed is kept, the store is closed and its lock released.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const entry = new URL('../../server/src/cli/index.ts', import.meta.url).pathname;

test('index stopped by SIGTERM keeps what it indexed, releases the store, exits 143; the next run completes it', { timeout: 180_000 }, async () => {
  // SIGTERM killed the process outright: the files indexed since the last journal write were lost
  // and the lock file stayed behind, where SIGINT stopped cleanly.
  const root = scratchDir('ner-cli-signals-');
  const ws = join(root, 'many');
  mkdirSync(ws);
  const paragraph = 'Angela Merkel met Emmanuel Macron in Paris, and the Danube flows through Vienna and Budapest.\n\n';
  for (let i = 0; i < 400; i++) writeFileSync(join(ws, `note-${i}.md`), `# Note ${i}\n\n${paragraph.repeat(12)}`);
  const store = join(root, 'store');
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'index', ws, '--store', store], { env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  // Stopped as soon as its store exists: long before 400 files are indexed.
  const deadline = Date.now() + 60_000;
  while (!existsSync(join(store, 'store.json')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGTERM');
  assert.deepEqual(await exited, { code: 143, signal: null }, stderr);
  assert.match(stderr, /Cancelled; what was indexed so far is kept/);
  assert.ok(!existsSync(join(store, 'lock')), 'the store\'s lock is released');
  const again = runCli(['index', ws, '--store', store]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /^Indexed \d+ of 400 documents/m);
});

test('the cancellation token of a long command says which status to exit with: 130 after Ctrl+C, 143 after SIGTERM (model pull used 130 for both)', async () => {
  const { sigintToken } = await import('../../server/src/cli/main.ts');
  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    const token = sigintToken();
    try {
      assert.equal(token.isCancellationRequested, false);
      process.emit(signal, signal);
      assert.equal(token.isCancellationRequested, true);
      assert.equal(token.exitCode, status, signal);
    } finally {
      token.dispose();
    }
  }
});
