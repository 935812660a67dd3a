// WorkspaceIndex: the serial change queue behind the language server (no LSP involved).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefaultModels, type Models } from '../../server/src/engine/engine.ts';
import { WorkspaceIndex, type IndexState } from '../../server/src/engine/workspaceIndex.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

describe('WorkspaceIndex', () => {
  let tmp: string;
  let ws: string;
  let index: WorkspaceIndex;
  let encoded = 0;
  let onEncode: (() => void) | undefined;
  const states: IndexState[] = [];

  before(async () => {
    tmp = scratchDir('ner-wsindex-');
    ws = join(tmp, 'ws');
    mkdirSync(join(ws, 'sub'), { recursive: true });
    writeFileSync(join(ws, 'a.md'), '# Rivers\n\nThe Danube flows through Vienna.\n\nThe Rhine flows past Basel.\n\nThe Thames flows through London.\n');
    writeFileSync(join(ws, 'sub', 'b.txt'), 'Angela Merkel visited Paris.\n');
    writeFileSync(join(ws, 'code.js'), '// The Volga flows into the Caspian Sea.\n');
    const base = await loadDefaultModels();
    const models: Models = {
      detector: base.detector,
      encoder: {
        id: base.encoder.id, dimension: base.encoder.dimension,
        encodeMentions: (m, t) => { encoded += m.length; onEncode?.(); return base.encoder.encodeMentions(m, t); },
        encodeQuery: (q) => base.encoder.encodeQuery(q),
      },
    };
    index = await WorkspaceIndex.open({ roots: [ws], storeDir: join(tmp, 'store'), models, onState: (s) => states.push(s) });
    await index.indexAll();
  });
  after(async () => {
    await index?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('the first pass indexes the covered files and ends quiescent', async () => {
    assert.equal(index.documentCount, 2, 'a.md and sub/b.txt, not code.js');
    assert.ok(index.quiescent);
    const last = states.at(-1)!;
    assert.equal(last.quiescent, true);
    assert.equal(last.initialPassDone, true);
    assert.equal(last.totalFiles, 2);
    assert.ok(states.some((s) => !s.quiescent), 'busy state announced');
    const hits = await index.search('river', { limit: 50 });
    assert.ok(['Danube', 'Rhine', 'Thames'].every((r) => hits.some((h) => h.text === r)));
  });

  test('an edit re-embeds only the changed paragraph; an identical save embeds nothing', async () => {
    const path = join(ws, 'a.md');
    const text = '# Rivers\n\nThe Danube flows through Vienna.\n\nThe Loire flows past Orléans.\n\nThe Thames flows through London.\n';
    writeFileSync(path, text);
    encoded = 0;
    await index.updateFile(path);
    assert.ok(encoded > 0 && encoded <= 2, `only the edited paragraph's mentions are embedded (${encoded})`);
    const hits = await index.search('river', { limit: 50, scope: [path] });
    assert.ok(hits.some((h) => h.text === 'Loire'));
    assert.ok(!hits.some((h) => h.text === 'Rhine'));
    const danube = hits.find((h) => h.text === 'Danube');
    assert.deepEqual(danube?.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 10 } });
    encoded = 0;
    await index.updateFile(path, text);
    assert.equal(encoded, 0);
  });

  test('an edit elsewhere that shows a capitalised word to be ordinary re-detects the paragraph it opens; incremental equals fresh', async () => {
    const path = join(ws, 'servers.md');
    const first = 'Servers SHOULD handle all requests to the same location.';
    const texts = () => index.mentionsOf(path).map((m) => m.text);
    writeFileSync(path, `${first}\n\nA client may talk to several hosts at once.\n`);
    await index.updateFile(path);
    assert.ok(texts().includes('Servers'), 'nothing says the capital is positional yet');
    const edited = `${first}\n\nA client may talk to several servers at once.\n`;
    writeFileSync(path, edited);
    await index.updateFile(path);
    assert.ok(!texts().includes('Servers'), 'the lower-case "servers" below shows it is an ordinary word');
    // The same as indexing the edited text from scratch.
    const fresh = join(ws, 'servers-fresh.md');
    writeFileSync(fresh, edited);
    await index.updateFile(fresh);
    assert.deepEqual(texts(), index.mentionsOf(fresh).map((m) => m.text));
    await index.removeFile(fresh);
    rmSync(fresh);
    rmSync(path);
    await index.removeFile(path);
  });

  test('opening a large Markdown file parses it while idle, so its first edit is parsed incrementally', async () => {
    const paragraphs = Array.from({ length: 800 }, (_, i) => `Paragraph ${i}: the Danube flows past Vienna and Budapest.`);
    const big = join(ws, 'big.md');
    const other = join(ws, 'other.md');
    writeFileSync(big, paragraphs.join('\n\n'));
    writeFileSync(other, paragraphs.join('\n\n'));
    await index.indexAll(); // the full pass: files parsed there are not kept for incremental re-parsing
    const edited = (at: number) => paragraphs.map((p, i) => (i === at ? `${p} The Loire flows past Orléans.` : p)).join('\n\n');
    const before = { ...index.markdownParses };
    try {
    await index.openDocument(big, paragraphs.join('\n\n')); // same content as on disk: nothing to re-embed
    assert.equal(index.markdownParses.full, before.full + 1, 'parsed once on open');
    await index.updateFile(big, edited(400));
    assert.deepEqual(index.markdownParses, { full: before.full + 1, incremental: before.incremental + 1 }, 'the first edit is incremental');
    assert.ok((await index.search('river', { limit: 20, scope: [big] })).some((h) => h.text === 'Loire'));

    // Control: a large file edited without being opened first is parsed in full.
    const mid = { ...index.markdownParses };
    writeFileSync(other, edited(200));
    await index.updateFile(other);
    assert.equal(index.markdownParses.full, mid.full + 1);
    } finally {
      await index.closeDocument(big);
      rmSync(big);
      rmSync(other);
      await index.updateFile(big);
      await index.updateFile(other);
    }
  });

  test('whenIndexedAs: true at once for the stored text, true once an edit is indexed, false after its timeout', async () => {
    const path = join(ws, 'open.md');
    const first = 'The Danube flows through Vienna.\n';
    await index.openDocument(path, first);
    assert.equal(await index.whenIndexedAs(path, first, 0), true, 'already stored');
    const second = 'The Rhine flows past Basel.\n';
    const waited = index.whenIndexedAs(path, second, 30_000);
    void index.openDocument(path, second);
    assert.equal(await waited, true, 'settled by the job that stored it');
    assert.ok(index.mentionsOf(path).some((m) => m.text === 'Rhine'));
    const t = performance.now();
    assert.equal(await index.whenIndexedAs(path, 'Never sent to the index.\n', 50), false);
    assert.ok(performance.now() - t >= 45, 'waited for its timeout');
    await index.closeDocument(path);
  });

  test('recheckFile re-indexes a file only when its size or mtime differ from what is indexed', async () => {
    const path = join(ws, 'recheck.md');
    const minutesAgo = (n: number) => Date.now() / 1000 - n * 60; // settled files: no racy mtime
    writeFileSync(path, 'The Danube flows through Vienna.\n');
    utimesSync(path, minutesAgo(5), minutesAgo(5));
    await index.updateFile(path);
    assert.equal(await index.recheckFile(path), false, 'unchanged: nothing queued');
    // A change no event reported (same size, new mtime): found by the stat, then indexed.
    writeFileSync(path, 'The Vltava flows through Prague.\n');
    utimesSync(path, minutesAgo(4), minutesAgo(4));
    assert.equal(await index.recheckFile(path), true);
    await index.whenQuiescent();
    assert.ok((await index.search('river', { limit: 20, scope: [path] })).some((h) => h.text === 'Vltava'));
    assert.equal(await index.recheckFile(path), false, 'indexed: nothing more to do');
    rmSync(path);
    assert.equal(await index.recheckFile(path), true, 'a vanished file leaves the index');
    await index.whenQuiescent();
    assert.equal((await index.search('river', { limit: 20, scope: [path] })).length, 0);
    assert.equal(await index.recheckFile(path), false);
    assert.equal(await index.recheckFile(join(ws, 'code.js')), false, 'a file the index does not cover');
  });

  test('a file rewritten within its mtime tick (same size, same mtime) is still seen: a racy mtime is recorded as unknown, so the recheck reads it', async () => {
    const path = join(ws, 'racy.md');
    const second = Math.ceil(Date.now() / 1000) + 1; // one coarse tick (a whole second, just ahead) for both writes
    writeFileSync(path, 'The Danube flows through Vienna.\n');
    utimesSync(path, second, second);
    await index.updateFile(path);
    writeFileSync(path, 'The Vltava flows through Prague.\n');
    utimesSync(path, second, second);
    assert.equal(statSync(path).mtimeMs, second * 1000, 'the stat is what the first read saw');
    assert.equal(await index.recheckFile(path), true, 'the recorded mtime was too recent to trust');
    await index.whenQuiescent();
    const found = (await index.search('river', { limit: 20, scope: [path] })).map((h) => h.text);
    assert.ok(found.includes('Vltava') && !found.includes('Danube'), found.join(', '));
    rmSync(path);
    await index.updateFile(path);
  });

  test('files outside the include globs are ignored; a deleted folder leaves the index', async () => {
    await index.updateFile(join(ws, 'code.js'));
    assert.equal(index.documentCount, 2);
    rmSync(join(ws, 'sub'), { recursive: true });
    await index.removeFile(join(ws, 'sub'));
    assert.equal(index.documentCount, 1);
    assert.deepEqual(index.findMentionsByText('merkel'), []);
  });

  test('a file event under a link the full pass does not follow (to a folder holding the root, or the root) indexes nothing', async () => {
    // A watcher that followed a link to a folder elsewhere goes on reporting files under it once
    // the link is retargeted to "..": each was indexed under the link's path, the root's parent with it.
    symlinkSync('..', join(ws, 'up'));
    symlinkSync('.', join(ws, 'again'));
    try {
      const count = index.documentCount;
      await index.updateFile(join(ws, 'up', 'ws', 'a.md'));
      await index.updateFile(join(ws, 'again', 'a.md'));
      assert.equal(index.documentCount, count);
    } finally {
      rmSync(join(ws, 'up'));
      rmSync(join(ws, 'again'));
    }
  });

  test('a folder renamed or deleted under an open document: its buffer stays indexed at its path until it is closed', async () => {
    const dir = join(ws, 'open-in');
    const path = join(dir, 'notes.md');
    mkdirSync(dir);
    writeFileSync(path, 'Niels Bohr lectured in Copenhagen.\n');
    await index.updateFile(path);
    await index.openDocument(path, 'Niels Bohr lectured in Copenhagen.\n\nLise Meitner worked in Berlin.\n');
    const buffer = index.mentionsOf(path).map((m) => m.text);
    assert.ok(buffer.includes('Lise Meitner'));
    // Renamed: the deletion and the creation in one notification (queued together), either order.
    const moved = join(ws, 'open-out');
    renameSync(dir, moved);
    await Promise.all([index.removeFile(dir), index.updateFile(moved)]);
    await index.whenQuiescent();
    assert.deepEqual(index.mentionsOf(path).map((m) => m.text), buffer, 'the open buffer, at its path');
    assert.ok(index.mentionsOf(join(moved, 'notes.md')).some((m) => m.text === 'Niels Bohr'), 'the file on disk, at its new path');
    renameSync(moved, dir);
    await Promise.all([index.updateFile(dir), index.removeFile(moved)]);
    await index.whenQuiescent();
    // Deleted alone (nothing else queued).
    rmSync(dir, { recursive: true });
    await index.removeFile(dir);
    assert.deepEqual(index.mentionsOf(path).map((m) => m.text), buffer);
    assert.deepEqual(index.mentionsOf(join(moved, 'notes.md')), []);
    await index.closeDocument(path);
    assert.deepEqual(index.mentionsOf(path), [], 'closed: its file is gone');
  });

  test('a file replaced by a folder of its name leaves the index, and the folder\'s files come in (a watcher reports the path as changed)', async () => {
    const path = join(ws, 'swap.md');
    writeFileSync(path, 'Marie Curie worked in Paris.\n');
    await index.updateFile(path);
    assert.equal(index.findMentionsByText('marie curie').length, 1);
    const before = index.documentCount;
    rmSync(path);
    mkdirSync(path);
    writeFileSync(join(path, 'inner.md'), 'Niels Bohr lectured in Copenhagen.\n');
    await index.updateFile(path);
    await index.whenQuiescent();
    assert.deepEqual(index.findMentionsByText('marie curie'), [], 'the file that stood at the path');
    assert.equal(index.findMentionsByText('niels bohr').length, 1);
    assert.equal(index.documentCount, before);
    rmSync(path, { recursive: true });
    await index.removeFile(path);
  });

  test('pause holds queued changes until resume', async () => {
    const path = join(ws, 'c.md');
    writeFileSync(path, 'The Seine crosses Paris.\n');
    index.pause();
    let done = false;
    const pending = index.updateFile(path).then(() => { done = true; });
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false);
    assert.equal(index.quiescent, false);
    assert.equal(index.currentState.phase, 'paused');
    index.resume();
    await pending;
    assert.ok(index.findMentionsByText('seine').length > 0);
  });

  test('a rename moves the mentions without re-embedding, whichever event comes first', async () => {
    const from = join(ws, 'moved-from.md');
    writeFileSync(from, 'The Oder flows past Frankfurt.\n\nThe Elbe flows through Dresden.\n');
    await index.updateFile(from);
    const before = index.mentionsOf(from);
    assert.ok(before.some((m) => m.text === 'Oder'));
    // Deletion reported first (VS Code sends both changes in one notification).
    const to = join(ws, 'moved-to.md');
    renameSync(from, to);
    encoded = 0;
    await Promise.all([index.removeFile(from), index.updateFile(to)]);
    assert.equal(encoded, 0, 'nothing re-embedded');
    assert.deepEqual(index.mentionsOf(from), []);
    assert.deepEqual(index.mentionsOf(to).map((m) => [m.label, m.text, m.range]), before.map((m) => [m.label, m.text, m.range]));
    // Creation reported first.
    const again = join(ws, 'moved-again.md');
    renameSync(to, again);
    await Promise.all([index.updateFile(again), index.removeFile(to)]);
    assert.equal(encoded, 0, 'nothing re-embedded');
    assert.deepEqual(index.mentionsOf(to), []);
    assert.deepEqual(index.mentionsOf(again).map((m) => m.label), before.map((m) => m.label));
    const hits = await index.search('river', { limit: 50, scope: [again] });
    assert.ok(hits.some((h) => h.text === 'Oder' && h.path === again));
    // A full pass (the CLI's `index` after a `mv`) does the same.
    const last = join(ws, 'moved-last.md');
    renameSync(again, last);
    await index.indexAll();
    assert.equal(encoded, 0, 'nothing re-embedded by the pass');
    assert.deepEqual(index.mentionsOf(last).map((m) => m.label), before.map((m) => m.label));
    assert.deepEqual(index.mentionsOf(again), []);
  });

  test('a rename to another file type is read anew: the same bytes parse otherwise (a.md → a.txt)', async () => {
    const md = join(ws, 'typed.md');
    const text = 'The Oder flows past `Frankfurt` and **Szczecin**.\n';
    writeFileSync(md, text);
    await index.updateFile(md);
    assert.ok(!index.mentionsOf(md).some((m) => m.text === 'Frankfurt'), 'inline code is no prose in Markdown');
    const txt = join(ws, 'typed.txt');
    renameSync(md, txt);
    await Promise.all([index.removeFile(md), index.updateFile(txt)]);
    assert.deepEqual(index.mentionsOf(md), []);
    assert.ok(index.mentionsOf(txt).every((m) => text.slice(m.start, m.end) === m.text));
    assert.ok(index.mentionsOf(txt).some((m) => /Frankfurt/.test(m.text)), `read as plain text: ${JSON.stringify(index.mentionsOf(txt).map((m) => m.text))}`);
    // The CLI's pass as well.
    const back = join(ws, 'typed-again.md');
    renameSync(txt, back);
    await index.indexAll();
    assert.ok(!index.mentionsOf(back).some((m) => /Frankfurt/.test(m.text)), 'Markdown again');
  });

  test('a burst of deletions, then creations: moved files keep their mentions, the rest leave the index', async () => {
    const dir = join(ws, 'burst');
    mkdirSync(dir);
    const old = Array.from({ length: 40 }, (_, i) => join(dir, `old-${i}.md`));
    old.forEach((p, i) => writeFileSync(p, `Note ${i}: the Danube flows past Vienna, said Anna Novak ${i}.\n`));
    for (const p of old) await index.updateFile(p);
    const before = old.map((p) => index.mentionsOf(p).map((m) => m.label));
    // Like a branch switch: every deletion is reported before any creation, and the new names of
    // the first 20 notes are queued far behind their deletions.
    const moved = old.slice(0, 20).map((_, i) => join(dir, `new-${i}.md`));
    moved.forEach((p, i) => renameSync(old[i], p));
    old.slice(20).forEach((p) => rmSync(p));
    // A new note between the two halves: while it is embedded, the vanished notes are hidden, and
    // the counts (status bar, ner/status) leave them out like searches do.
    const fresh = join(dir, 'fresh.md');
    writeFileSync(fresh, 'The Loire flows past Orléans.\n');
    const counts = { documents: index.documentCount, mentions: index.mentionCount };
    const oldMentions = before.reduce((n, labels) => n + labels.length, 0);
    let during: { documents: number; mentions: number } | undefined;
    onEncode = () => { during = { documents: index.documentCount, mentions: index.mentionCount }; };
    encoded = 0;
    index.pause();
    const done = [...old.map((p) => index.removeFile(p)), index.updateFile(fresh), ...moved.map((p) => index.updateFile(p))];
    index.resume();
    await Promise.all(done);
    onEncode = undefined;
    assert.deepEqual(during, { documents: counts.documents - 40, mentions: counts.mentions - oldMentions });
    assert.equal(encoded, index.mentionsOf(fresh).length, 'nothing re-embedded but the new note');
    assert.deepEqual({ documents: index.documentCount, mentions: index.mentionCount },
      { documents: counts.documents - 20 + 1, mentions: counts.mentions - before.slice(20).reduce((n, labels) => n + labels.length, 0) + encoded });
    moved.forEach((p, i) => assert.deepEqual(index.mentionsOf(p).map((m) => m.label), before[i], p));
    old.forEach((p) => assert.deepEqual(index.mentionsOf(p), [], p));
    const hits = await index.search('river', { limit: 200, scope: [dir] });
    assert.equal(hits.filter((h) => h.text === 'Danube').length, 20, 'one Danube per moved note, none from deleted ones');
    rmSync(dir, { recursive: true });
    await index.removeFile(dir);
  });

  test('single-file events respect .gitignore like the full pass (nested files, ignored folders, negations)', async () => {
    writeFileSync(join(ws, '.gitignore'), 'draft*.md\nprivate/\n!draft-public.md\n');
    mkdirSync(join(ws, 'private', 'deep'), { recursive: true });
    mkdirSync(join(ws, 'notes'), { recursive: true });
    writeFileSync(join(ws, 'notes', '.gitignore'), 'scratch.md\n');
    const files = {
      draft: join(ws, 'draft-1.md'), deep: join(ws, 'private', 'deep', 'x.md'), scratch: join(ws, 'notes', 'scratch.md'),
      kept: join(ws, 'notes', 'kept.md'), negated: join(ws, 'draft-public.md'),
    };
    for (const f of Object.values(files)) writeFileSync(f, 'The Tiber flows through Rome.\n');
    for (const f of Object.values(files)) await index.updateFile(f);
    const indexed = (f: string) => index.mentionsOf(f).length > 0;
    assert.deepEqual(Object.fromEntries(Object.entries(files).map(([k, f]) => [k, indexed(f)])),
      { draft: false, deep: false, scratch: false, kept: true, negated: true });
    assert.equal(index.ignoresForWatch(join(ws, 'private'), true), true, 'the watcher skips an ignored folder');
    // The full pass agrees.
    await index.indexAll();
    assert.deepEqual(Object.fromEntries(Object.entries(files).map(([k, f]) => [k, indexed(f)])),
      { draft: false, deep: false, scratch: false, kept: true, negated: true });
  });

  test('single-file events respect an exclude glob naming a folder like the full pass (exclude: ["archive"] prunes archive/a.md)', async () => {
    mkdirSync(join(ws, 'archive', 'deep'), { recursive: true });
    mkdirSync(join(ws, 'kept', 'inner'), { recursive: true });
    const files = { top: join(ws, 'archive', 'a.md'), deep: join(ws, 'archive', 'deep', 'b.md'), inner: join(ws, 'kept', 'inner', 'c.md'), kept: join(ws, 'kept', 'd.md') };
    for (const f of Object.values(files)) writeFileSync(f, 'The Tiber flows through Rome.\n');
    index.setFilter({ exclude: ['archive', '**/inner'] });
    try {
      await index.indexAll();
      const indexed = (f: string) => index.mentionsOf(f).length > 0;
      const expected = { top: false, deep: false, inner: false, kept: true };
      assert.deepEqual(Object.fromEntries(Object.entries(files).map(([k, f]) => [k, indexed(f)])), expected, 'the pass');
      // A watcher's event (or an editor's buffer) for a file in an excluded folder leaves it out too.
      for (const f of Object.values(files)) writeFileSync(f, 'The Tiber flows through Rome and Ostia.\n');
      for (const f of Object.values(files)) await index.updateFile(f);
      await index.openDocument(files.deep, 'The Arno flows through Florence.\n');
      assert.deepEqual(Object.fromEntries(Object.entries(files).map(([k, f]) => [k, indexed(f)])), expected, 'single-file events');
      assert.equal(index.accepts(files.top), false);
      assert.equal(index.ignoresForWatch(files.inner, false), true);
      await index.closeDocument(files.deep);
    } finally {
      index.setFilter(undefined);
      for (const d of ['archive', 'kept']) rmSync(join(ws, d), { recursive: true, force: true });
      await index.indexAll();
    }
  });

  test('a .gitignore rewritten within one timestamp tick is read again (its length differs)', async () => {
    const gitignore = join(ws, '.gitignore');
    const saved = readFileSync(gitignore, 'utf8');
    const note = join(ws, 'same-tick.md');
    writeFileSync(note, 'The Tiber flows through Rome.\n');
    const tick = Math.floor(Date.now() / 1000) - 60;
    writeFileSync(gitignore, 'same-tick.md\n');
    utimesSync(gitignore, tick, tick);
    await index.updateFile(note);
    assert.equal(index.mentionsOf(note).length, 0, 'ignored');
    writeFileSync(gitignore, 'another-note.md\n');
    utimesSync(gitignore, tick, tick); // the same time: a coarse clock, or two writes in one tick
    await index.updateFile(note);
    assert.ok(index.mentionsOf(note).length > 0, 'no longer ignored');
    writeFileSync(gitignore, saved);
    rmSync(note);
    await index.removeFile(note);
  });
});

describe('WorkspaceIndex: a change queued while the idle snapshot is being written', () => {
  test('idle is announced only after that change is indexed, and the snapshot holds the first one', async () => {
    const tmp = scratchDir('ner-wsindex-snap-');
    const ws = join(tmp, 'ws');
    mkdirSync(ws, { recursive: true });
    const first = join(ws, 'first.md');
    const second = join(ws, 'second.md');
    writeFileSync(first, 'The Danube flows through Vienna.\n');
    const models = await loadDefaultModels();
    let secondQueued = false;
    const earlyIdle: IndexState[] = [];
    // A snapshot at every quiescence, so the window exists even with a tiny journal.
    const index = await WorkspaceIndex.open({
      roots: [ws], storeDir: join(tmp, 'store'), models, idleCheckpointBytes: 0,
      onState: (s) => { if (secondQueued && s.phase === 'idle' && !index.findMentionsByText('seine').length) earlyIdle.push(s); },
    });
    try {
      await index.indexAll();
      const store = (index as unknown as { store: { checkpoint(): Promise<void> } }).store;
      const checkpoint = store.checkpoint.bind(store);
      let secondDone: Promise<void> | undefined;
      let snapshots = 0;
      store.checkpoint = () => {
        const writing = checkpoint();
        // The snapshot now runs off the thread: queue the second file inside its window, once.
        if (snapshots++ === 0) {
          writeFileSync(second, 'The Seine flows through Paris.\n');
          secondQueued = true;
          secondDone = index.updateFile(second);
        }
        return writing;
      };
      await index.updateFile(first, 'The Danube flows through Vienna and Budapest.\n');
      assert.ok(secondDone, 'the idle snapshot ran');
      await secondDone;
      assert.deepEqual(earlyIdle, [], 'idle announced (and waiters released) while the second file was still queued or running');
      assert.ok(snapshots >= 2, 'the second pump wrote its own snapshot');
      assert.equal(index.currentState.phase, 'idle');
      assert.ok(index.quiescent);
      assert.ok(index.findMentionsByText('seine').length > 0 && index.findMentionsByText('budapest').length > 0);
    } finally {
      await index.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('WorkspaceIndex: pause and resume before the interrupted pass has stopped', () => {
  test('the pass is queued again and completes (it is not reported as cancelled)', async () => {
    const tmp = scratchDir('ner-wsindex-pause-');
    const ws = join(tmp, 'ws');
    mkdirSync(ws, { recursive: true });
    writeFileSync(join(ws, 'a.md'), 'The Danube flows through Vienna.\n');
    writeFileSync(join(ws, 'b.md'), 'The Seine flows through Paris.\n');
    let toggle = false;
    const index = await WorkspaceIndex.open({
      roots: [ws], storeDir: join(tmp, 'store'), models: await loadDefaultModels(),
      onState: (s) => {
        // The pass has just started listing: a client toggles pause in one go (both before the pass looks at its token).
        if (toggle && s.message === 'Listing files…') {
          toggle = false;
          queueMicrotask(() => { index.pause(); index.resume(); });
        }
      },
    });
    try {
      await index.indexAll();
      toggle = true;
      await index.indexAll({ rebuild: true });
      assert.equal(toggle, false, 'the pause came during the pass');
      assert.equal(index.currentState.message, 'Index up to date');
      assert.deepEqual(index.currentState.warnings, []);
      assert.equal(index.documentCount, 2);
      assert.ok(index.findMentionsByText('seine').length > 0);
    } finally {
      await index.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
