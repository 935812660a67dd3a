// `ner-retriever watch`: indexes a folder, keeps it current as files are created, edited and
// deleted (searchable from another process meanwhile), and stops cleanly on SIGINT.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { searchJson } from './helpers.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const entry = new URL('../../server/src/cli/index.ts', import.meta.url).pathname;
const tmp = scratchDir('ner-cli-watch-');
after(() => rmSync(tmp, { recursive: true, force: true }));

/** `ner-retriever watch …args` in a child process (under `prefix`, if any): its stderr so far, and its exit code once it exits. */
function startWatch(args: string[], prefix: string[] = []): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const command = [...prefix, process.execPath, '--import', 'tsx', entry, 'watch', ...args];
  const child = spawn(command[0], command.slice(1), { env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stderr: () => stderr, exited };
}

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
  const { child, stderr: log, exited } = startWatch([ws, '--store', store]);
  try {
    await eventually('the watcher to start', () => /Watching /.test(log()), 60_000);
    const texts = () => searchJson(store, 'river').map((h) => `${h.path.split('/').pop()}:${h.text}`);
    assert.ok(texts().includes('a.md:Danube'), log());

    writeFileSync(join(ws, 'b.md'), 'The Mekong flows through Laos.\n');
    await eventually('the created file', () => texts().includes('b.md:Mekong'));
    writeFileSync(join(ws, 'a.md'), '# Rivers\n\nThe Loire flows past Orléans.\n');
    // (On a timeout, say what search saw and what the watcher logged: this step failed once, not reproduced.)
    await eventually('the edit', () => texts().includes('a.md:Loire') && !texts().includes('a.md:Danube'))
      .catch((e: Error) => { throw new Error(`${e.message}; search saw ${texts().join(', ')}; watcher: ${log().slice(-1500)}`); });
    rmSync(join(ws, 'b.md'));
    await eventually('the deletion', () => !texts().some((t) => t.startsWith('b.md:')));
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0, log());
  assert.match(log(), /Stopped; the index is saved/);
  // A state is said once: a file's event and its re-check used to print the same line twice.
  const upToDate = log().split('\n').filter((l) => l.startsWith('Index up to date'));
  assert.ok(upToDate.every((l, i) => i === 0 || l !== upToDate[i - 1]), log());
  // The saved index opens for search after the watcher stopped.
  assert.ok(searchJson(store, 'river').some((h) => h.text === 'Loire'));
});

/** What to run the CLI under so that mode bits hold (root reads through them, except in a user namespace); undefined when nothing can. */
function modeBitsPrefix(): string[] | undefined {
  if (process.getuid?.() !== 0) return [];
  return spawnSync('unshare', ['--user', 'true']).status === 0 ? ['unshare', '--user'] : undefined;
}

test('watch: a file or folder made unreadable leaves the index, as `index` leaves it out; readable again, it comes back', { timeout: 120_000 }, async (t) => {
  // A read that failed for want of permission was reported and the file's old mentions kept, so
  // search went on showing a file its owner had locked (a fresh `index` leaves it out).
  const prefix = modeBitsPrefix();
  if (!prefix) return t.skip('running as root without unshare --user: no unreadable file to try');
  const ws = join(tmp, 'locked');
  mkdirSync(join(ws, 'sub'), { recursive: true });
  writeFileSync(join(ws, 'a.md'), 'The Danube flows through Vienna.\n');
  writeFileSync(join(ws, 'sub', 'b.md'), 'The Mekong flows through Laos.\n');
  writeFileSync(join(ws, 'c.md'), 'The Loire flows past Orléans.\n');
  const store = join(tmp, 'locked-store');
  const { child, stderr: log, exited } = startWatch([ws, '--store', store], prefix);
  const texts = () => searchJson(store, 'river').map((h) => h.text);
  try {
    await eventually('the watcher to start', () => /Watching /.test(log()), 60_000);
    assert.deepEqual(texts().filter((x) => ['Danube', 'Mekong', 'Loire'].includes(x)).sort(), ['Danube', 'Loire', 'Mekong']);
    chmodSync(join(ws, 'a.md'), 0o000);
    chmodSync(join(ws, 'sub'), 0o000);
    await eventually('the unreadable file and folder to leave the index', () => !texts().includes('Danube') && !texts().includes('Mekong'))
      .catch((e: Error) => { throw new Error(`${e.message}; search saw ${texts().join(', ')}; watcher: ${log().slice(-1500)}`); });
    assert.ok(texts().includes('Loire'), 'the other files stay');
    chmodSync(join(ws, 'a.md'), 0o644);
    chmodSync(join(ws, 'sub'), 0o755);
    await eventually('the file and folder readable again to come back', () => texts().includes('Danube') && texts().includes('Mekong'))
      .catch((e: Error) => { throw new Error(`${e.message}; search saw ${texts().join(', ')}; watcher: ${log().slice(-1500)}`); });
  } finally {
    chmodSync(join(ws, 'a.md'), 0o644);
    chmodSync(join(ws, 'sub'), 0o755);
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0, log());
});

test('watch: a folder unreadable at the start is indexed once it is made readable', { timeout: 120_000 }, async (t) => {
  // chokidar kept the folder it could not watch as known (and said "File watcher: EACCES"), so a
  // permission change never made it read the folder: its files stayed out until a restart.
  const prefix = modeBitsPrefix();
  if (!prefix) return t.skip('running as root without unshare --user: no unreadable folder to try');
  const ws = join(tmp, 'locked-at-start');
  mkdirSync(join(ws, 'sub'), { recursive: true });
  writeFileSync(join(ws, 'a.md'), 'The Loire flows past Orléans.\n');
  writeFileSync(join(ws, 'sub', 'b.md'), 'The Mekong flows through Laos.\n');
  chmodSync(join(ws, 'sub'), 0o000);
  const store = join(tmp, 'locked-at-start-store');
  const { child, stderr: log, exited } = startWatch([ws, '--store', store], prefix);
  const texts = () => searchJson(store, 'river').map((h) => h.text);
  try {
    await eventually('the watcher to start', () => /Watching /.test(log()), 60_000);
    assert.ok(texts().includes('Loire') && !texts().includes('Mekong'), texts().join(', '));
    chmodSync(join(ws, 'sub'), 0o755);
    await eventually('the folder made readable to be indexed', () => texts().includes('Mekong'))
      .catch((e: Error) => { throw new Error(`${e.message}; search saw ${texts().join(', ')}; watcher: ${log().slice(-1500)}`); });
  } finally {
    chmodSync(join(ws, 'sub'), 0o755);
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0, log());
  assert.doesNotMatch(log(), /File watcher: EACCES/);
});

for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) test(`watch stopped by ${signal} during its first pass says the index is incomplete and exits ${exitCode}, not "up to date"`, { timeout: 120_000 }, async () => {
  const ws = join(tmp, `many-${signal}`);
  mkdirSync(ws, { recursive: true });
  const paragraph = 'Angela Merkel met Emmanuel Macron in Paris, and the Danube flows through Vienna and Budapest.\n\n';
  for (let i = 0; i < 400; i++) writeFileSync(join(ws, `note-${i}.md`), `# Note ${i}\n\n${paragraph.repeat(12)}`);
  const store = join(tmp, `many-store-${signal}`);
  const { child, stderr: log, exited } = startWatch([ws, '--store', store]);
  // Stopped as soon as its store exists: long before 400 files are indexed.
  await eventually('the store to open', () => existsSync(join(store, 'store.json')), 60_000).finally(() => child.kill(signal));
  assert.equal(await exited, exitCode, log());
  assert.match(log(), /Stopped before the first pass finished/);
  assert.doesNotMatch(log(), /Watching |Index up to date|the index is saved/);
});
