// `ner-retriever watch`: indexes a folder, keeps it current as files are created, edited and
// deleted (searchable from another process meanwhile), and stops cleanly on SIGINT.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { searchJson } from './helpers.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const entry = new URL('../../server/src/cli/index.ts', import.meta.url).pathname;
const tmp = scratchDir('ner-cli-watch-');
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Polls `check` every 100 ms until it holds, at most `timeoutMs`. */
async function eventually(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('watch: indexes, follows creations, edits and deletions, and stops on SIGINT', { timeout: 120_000 }, async () => {
  const ws = join(tmp, 'notes');
  mkdirSync(ws, { recursive: true });
  writeFileSync(join(ws, 'a.md'), '# Rivers\n\nThe Danube flows through Vienna.\n');
  const store = join(tmp, 'store');
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'watch', ws, '--store', store], { env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    await eventually('the watcher to start', () => /Watching /.test(stderr), 60_000);
    const texts = () => searchJson(store, 'river').map((h) => `${h.path.split('/').pop()}:${h.text}`);
    assert.ok(texts().includes('a.md:Danube'), stderr);

    writeFileSync(join(ws, 'b.md'), 'The Mekong flows through Laos.\n');
    await eventually('the created file', () => texts().includes('b.md:Mekong'));
    writeFileSync(join(ws, 'a.md'), '# Rivers\n\nThe Loire flows past Orléans.\n');
    // (On a timeout, say what search saw and what the watcher logged: this step failed once, not reproduced.)
    await eventually('the edit', () => texts().includes('a.md:Loire') && !texts().includes('a.md:Danube'))
      .catch((e: Error) => { throw new Error(`${e.message}; search saw ${texts().join(', ')}; watcher: ${stderr.slice(-1500)}`); });
    rmSync(join(ws, 'b.md'));
    await eventually('the deletion', () => !texts().some((t) => t.startsWith('b.md:')));
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0, stderr);
  assert.match(stderr, /Stopped; the index is saved/);
  // A state is said once: a file's event and its re-check used to print the same line twice.
  const said = stderr.split('\n').filter((l) => l.startsWith('Index up to date'));
  assert.ok(said.every((l, i) => i === 0 || l !== said[i - 1]), stderr);
  // The saved index opens for search after the watcher stopped.
  assert.ok(searchJson(store, 'river').some((h) => h.text === 'Loire'));
});

test('watch stopped during its first pass says the index is incomplete and exits 130, not "up to date"', { timeout: 120_000 }, async () => {
  const ws = join(tmp, 'many');
  mkdirSync(ws, { recursive: true });
  const paragraph = 'Angela Merkel met Emmanuel Macron in Paris, and the Danube flows through Vienna and Budapest.\n\n';
  for (let i = 0; i < 400; i++) writeFileSync(join(ws, `note-${i}.md`), `# Note ${i}\n\n${paragraph.repeat(12)}`);
  const store = join(tmp, 'many-store');
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'watch', ws, '--store', store], { env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  // Stopped as soon as its store exists: long before 400 files are indexed.
  await eventually('the store to open', () => existsSync(join(store, 'store.json')), 60_000).finally(() => child.kill('SIGINT'));
  assert.equal(await exited, 130, stderr);
  assert.match(stderr, /Stopped before the first pass finished/);
  assert.doesNotMatch(stderr, /Watching |Index up to date|the index is saved/);
});
