// watchWorkspace: chokidar events reach the index, and each file gets one stat re-check after its
// last event (the safety net for events chokidar coalesces or drops).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchWorkspace } from '../../server/src/engine/watch.ts';
import type { WorkspaceIndex } from '../../server/src/engine/workspaceIndex.ts';
import { nullLogger } from '../../server/src/engine/types.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

/** An index that records what the watcher asks of it. */
function recordingIndex(calls: string[], ignoresForWatch: (path: string, isDir: boolean) => boolean): WorkspaceIndex {
  return {
    updateFile: async (p: string) => { calls.push(`update ${p}`); },
    removeFile: async (p: string) => { calls.push(`remove ${p}`); },
    recheckFile: async (p: string) => { calls.push(`recheck ${p}`); return false; },
    indexAll: async () => { calls.push('pass'); },
    ignoresForWatch,
  } as unknown as WorkspaceIndex;
}


/** Writes `file` again every 200 ms (a new folder's watch is set up asynchronously) until the index is asked to update it; fails after 25 writes. */
async function writeUntilSeen(calls: string[], file: string, what: string): Promise<void> {
  for (let i = 0; !calls.includes(`update ${file}`); i++) {
    if (i === 25) assert.fail(`no event for ${what}; calls: ${calls.join(', ')}`);
    writeFileSync(file, `The Vltava flows through Prague (${i}).\n`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('events are forwarded; one re-check per file follows its last event', async () => {
  const root = scratchDir('ner-watch-');
  const calls: string[] = [];
  const index = recordingIndex(calls, () => false);
  const watcher = watchWorkspace([root], () => index, { storeDir: join(root, '.store'), logger: nullLogger, recheckMs: 300 });
  const until = async (what: string, ok: () => boolean) => {
    const t0 = Date.now();
    while (!ok()) {
      if (Date.now() - t0 > 10_000) assert.fail(`timed out waiting for ${what}; calls: ${calls.join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    await watcher.ready;
    const file = join(root, 'a.md');
    writeFileSync(file, 'The Danube flows through Vienna.\n');
    await until('the add event', () => calls.includes(`update ${file}`));
    writeFileSync(file, 'The Vltava flows through Prague.\n'); // a second event within the re-check delay
    await until('the re-check', () => calls.includes(`recheck ${file}`));
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(calls.filter((c) => c === `recheck ${file}`).length, 1, `one re-check after the burst (${calls.join(', ')})`);
    const lastUpdate = calls.lastIndexOf(`update ${file}`);
    assert.ok(lastUpdate < calls.indexOf(`recheck ${file}`), 'the re-check comes after the events');
    rmSync(file);
    await until('the unlink event and its re-check', () => calls.includes(`remove ${file}`) && calls.filter((c) => c === `recheck ${file}`).length === 2);
  } finally {
    await watcher.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a .gitignore change runs a pass (what it ignores may lie anywhere below it), not a file update', async () => {
  const root = scratchDir('ner-watch-');
  const calls: string[] = [];
  // As the real index does, a .gitignore is no note it covers.
  const index = recordingIndex(calls, (p, isDir) => !isDir && !p.endsWith('.md'));
  const watcher = watchWorkspace([root], () => index, { storeDir: join(root, '.store'), logger: nullLogger, recheckMs: 300 });
  try {
    await watcher.ready;
    writeFileSync(join(root, '.gitignore'), 'sub/x.md\n');
    const t0 = Date.now();
    while (!calls.includes('pass')) {
      if (Date.now() - t0 > 10_000) assert.fail(`no pass after the .gitignore was written; calls: ${calls.join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(!calls.some((c) => c.startsWith('update')), calls.join(', '));
  } finally {
    await watcher.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a folder a .gitignore stops hiding is watched again, also below a folder chokidar does not re-read', async () => {
  // chokidar neither watches nor re-reads a folder its `ignored` test turned away; when the
  // .gitignore changes, only the .gitignore's own folder is re-read, so sub/deep (hidden at start by
  // "deep/") stayed unwatched after the line was removed and its edits went unseen until restart.
  const root = scratchDir('ner-watch-');
  const deep = join(root, 'sub', 'deep');
  mkdirSync(deep, { recursive: true });
  const file = join(deep, 'a.md');
  writeFileSync(file, 'The Danube flows through Vienna.\n');
  writeFileSync(join(root, '.gitignore'), 'deep/\n');
  let hidden = true;
  const calls: string[] = [];
  const index = recordingIndex(calls, (p, isDir) => hidden && isDir && p === deep);
  const watcher = watchWorkspace([root], () => index, { storeDir: join(root, '.store'), logger: nullLogger, recheckMs: 300 });
  try {
    await watcher.ready;
    hidden = false;
    writeFileSync(join(root, '.gitignore'), '');
    const t0 = Date.now();
    while (!calls.includes('pass')) {
      if (Date.now() - t0 > 10_000) assert.fail(`no pass after the .gitignore was written; calls: ${calls.join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await writeUntilSeen(calls, file, 'an edit in the folder no longer hidden');
  } finally {
    await watcher.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a folder the include/exclude settings stop hiding is watched again after filterChanged', async () => {
  // The language server's setFilter (new include/exclude settings) has no .gitignore event: the
  // folder turned away at start stayed unwatched, and edits in it went unseen until a restart.
  const root = scratchDir('ner-watch-');
  const drafts = join(root, 'drafts');
  mkdirSync(drafts, { recursive: true });
  const file = join(drafts, 'a.md');
  writeFileSync(file, 'The Danube flows through Vienna.\n');
  let excluded = true;
  const calls: string[] = [];
  const index = recordingIndex(calls, (p, isDir) => excluded && isDir && p === drafts);
  const watcher = watchWorkspace([root], () => index, { storeDir: join(root, '.store'), logger: nullLogger, recheckMs: 300 });
  try {
    await watcher.ready;
    writeFileSync(file, 'The Vltava flows through Prague.\n');
    await new Promise((r) => setTimeout(r, 600));
    assert.ok(!calls.includes(`update ${file}`), `an excluded folder is not watched; calls: ${calls.join(', ')}`);
    excluded = false;
    watcher.filterChanged();
    await writeUntilSeen(calls, file, 'an edit in the folder no longer excluded');
  } finally {
    await watcher.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a file the settings stop hiding is watched after filterChanged: its deletion is seen', async () => {
  // Chokidar keeps no watch on a file turned away (`*.txt` under `include: ["**/*.md"]`); the pass
  // after a settings change that takes it in indexed it, and its deletion went unseen: it stayed indexed.
  const root = scratchDir('ner-watch-');
  mkdirSync(join(root, 'sub'), { recursive: true });
  const files = [join(root, 'b.txt'), join(root, 'sub', 'e.org')];
  writeFileSync(files[0], 'The Rhine passes Cologne.\n');
  let hidden = true;
  const calls: string[] = [];
  const index = recordingIndex(calls, (p, isDir) => hidden && !isDir && !p.endsWith('.md'));
  const watcher = watchWorkspace([root], () => index, { storeDir: join(root, '.store'), logger: nullLogger, recheckMs: 300 });
  try {
    await watcher.ready;
    writeFileSync(files[1], 'The Volga flows past Kazan.\n'); // created while hidden
    await new Promise((r) => setTimeout(r, 600));
    assert.ok(!calls.some((c) => c.startsWith('update')), `hidden files are not reported; calls: ${calls.join(', ')}`);
    hidden = false;
    watcher.filterChanged();
    await new Promise((r) => setTimeout(r, 300));
    for (const f of files) rmSync(f);
    for (let i = 0; !files.every((f) => calls.includes(`remove ${f}`)); i++) {
      if (i === 25) assert.fail(`a deletion went unseen; calls: ${calls.join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await watcher.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a file replaced by a folder of its name: files created in the folder are seen', async () => {
  // chokidar reports the swap as a change of the file and keeps its watch on the deleted file; a
  // plain add() of the folder reused that watch, so files created in the folder went unseen.
  const root = scratchDir('ner-watch-');
  const path = join(root, 'a.md');
  writeFileSync(path, 'The Danube flows through Vienna.\n');
  const calls: string[] = [];
  const index = recordingIndex(calls, () => false);
  const watcher = watchWorkspace([root], () => index, { storeDir: join(root, '.store'), logger: nullLogger, recheckMs: 300 });
  try {
    await watcher.ready;
    rmSync(path);
    mkdirSync(path);
    writeFileSync(join(path, 'in.md'), 'The Mekong flows through Laos.\n');
    const t0 = Date.now();
    while (!calls.includes(`update ${path}`)) {
      if (Date.now() - t0 > 10_000) assert.fail(`no event for the swap; calls: ${calls.join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const created = join(path, 'new.md');
    await writeUntilSeen(calls, created, 'a file created in the folder');
  } finally {
    await watcher.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a link to a folder outside the workspace is watched as the listing follows it; a link to a folder inside is not', async () => {
  // chokidar lists folders with lstat: a link to a folder came to `ignored` as a link, which the
  // index took for a file that is no note, so edits in the linked folder went unseen (the listing
  // indexes them under the link's path). A link into the root is not followed: its files are
  // watched under their own paths, once.
  const root = scratchDir('ner-watch-');
  const outside = scratchDir('ner-watch-outside-');
  mkdirSync(join(root, 'sub'));
  symlinkSync(outside, join(root, 'linked'));
  symlinkSync(join(root, 'sub'), join(root, 'again'));
  const calls: string[] = [];
  const index = recordingIndex(calls, (p, isDir) => !isDir && !p.endsWith('.md'));
  const watcher = watchWorkspace([root], () => index, { storeDir: join(root, '.store'), logger: nullLogger, recheckMs: 300 });
  try {
    await watcher.ready;
    await writeUntilSeen(calls, join(root, 'linked', 'a.md'), 'an edit in a linked folder');
    await writeUntilSeen(calls, join(root, 'sub', 'b.md'), 'an edit in a folder that a link inside also leads to');
    assert.ok(!calls.some((c) => c.includes(join(root, 'again'))), `the link into the root is not followed; calls: ${calls.join(', ')}`);
  } finally {
    await watcher.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a broken link to a note is indexed when its target appears, then followed like any link', async () => {
  // chokidar could not watch the missing target and the link itself did not change: the note
  // stayed out of the index until the next pass, which lists it.
  const root = scratchDir('ner-watch-');
  const outside = scratchDir('ner-watch-outside-');
  const link = join(root, 'link.md');
  symlinkSync(join(outside, 'later.md'), link);
  const calls: string[] = [];
  const index = recordingIndex(calls, (p, isDir) => !isDir && !p.endsWith('.md'));
  const watcher = watchWorkspace([root], () => index, { storeDir: join(root, '.store'), logger: nullLogger, recheckMs: 300 });
  try {
    await watcher.ready;
    // Written through the target's path (the watch on it is set up asynchronously, hence again until seen).
    for (let i = 0; !calls.includes(`update ${link}`); i++) {
      if (i === 25) assert.fail(`no update of the link when its target appeared; calls: ${calls.join(', ')}`);
      writeFileSync(join(outside, 'later.md'), `The Danube flows through Vienna (${i}).\n`);
      await new Promise((r) => setTimeout(r, 200));
    }
    calls.length = 0;
    await writeUntilSeen(calls, link, 'an edit of the target the link now leads to');
  } finally {
    await watcher.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a symbolic link loop is not watched: no ELOOP warning (the pass already names it)', async () => {
  const root = scratchDir('ner-watch-');
  symlinkSync('a.md', join(root, 'a.md'));
  const warnings: string[] = [];
  const logger = { ...nullLogger, warn: (m: string) => { warnings.push(m); } };
  const watcher = watchWorkspace([root], () => recordingIndex([], (p, isDir) => !isDir && !p.endsWith('.md')), { storeDir: join(root, '.store'), logger, recheckMs: 300 });
  try {
    await watcher.ready;
    assert.deepEqual(warnings, []);
  } finally {
    await watcher.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a .gitignore rewritten without an event is looked at again: a second pass applies it', async () => {
  // Under load chokidar drops the event of a write that quickly follows another (its 5 ms per-file
  // throttle); a pass that had already read the first write then stayed in force. The lost event
  // is simulated: each write is given the same whole-second mtime and a later atime, which chokidar
  // takes for a mere read once it has seen that mtime.
  const root = scratchDir('ner-watch-');
  const gitignore = join(root, '.gitignore');
  writeFileSync(gitignore, '');
  const calls: string[] = [];
  const index = recordingIndex(calls, (p, isDir) => !isDir && !p.endsWith('.md'));
  const watcher = watchWorkspace([root], () => index, { storeDir: join(root, '.store'), logger: nullLogger, recheckMs: 300 });
  const passes = () => calls.filter((c) => c === 'pass').length;
  const mtime = Math.floor(Date.now() / 1000) - 10;
  const write = (text: string) => { writeFileSync(gitignore, text); utimesSync(gitignore, mtime + 60, mtime); };
  try {
    await watcher.ready;
    write('a.md\n');
    const t0 = Date.now();
    while (!passes()) {
      if (Date.now() - t0 > 10_000) assert.fail(`no pass after the .gitignore was written; calls: ${calls.join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    write('b.md\nc.md\n'); // within the re-check delay of the first write's event
    assert.equal(statSync(gitignore).mtimeMs, mtime * 1000, 'the mtime was put back');
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(passes(), 2, `a second pass for the unreported write (calls: ${calls.join(', ')})`);
  } finally {
    await watcher.close();
    rmSync(root, { recursive: true, force: true });
  }
});
