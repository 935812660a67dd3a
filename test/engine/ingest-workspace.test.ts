import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, symlinkSync, chmodSync, rmSync, realpathSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  NodeFileSystemWorkspace, InMemoryWorkspace, DEFAULT_MAX_FILE_SIZE, type Workspace, type FileFilter,
} from '../../server/src/engine/ingest/workspace.ts';
import type { Logger } from '../../server/src/engine/types.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

async function list(ws: Workspace, root?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const f of ws.listFiles()) out.push(root ? relative(root, f.path).split('\\').join('/') : f.path);
  return out;
}

function tree(files: Record<string, string>): string {
  const root = realpathSync(scratchDir('ner-ws-'));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), content);
  }
  return root;
}

function make(root: string, filter?: FileFilter, logger?: Logger) { return new NodeFileSystemWorkspace([root], filter, logger); }

test('default include/exclude, sorted depth-first order', async () => {
  const root = tree({
    'b.md': 'b', 'a.txt': 'a', 'c.png': 'x', 'notes/z.markdown': 'z', 'notes/a.mdx': 'a', 'notes/x.text': 'x',
    'node_modules/pkg/README.md': 'no', '.git/HEAD.md': 'no', '.ner-retriever/x.md': 'no', 'code.ts': 'no', 'README': 'no',
    // Sphinx writes every page again under _build (html/_sources/*.txt): each hit would come twice.
    'docs/_build/html/_sources/index.rst.txt': 'no', 'lib/site-packages/pkg/README.md': 'no', '.tox/py3/notes.txt': 'no',
    'build/notes.md': 'b', 'dist/notes.md': 'd',
  });
  try {
    assert.deepEqual(await list(make(root), root), ['a.txt', 'b.md', 'build/notes.md', 'dist/notes.md', 'notes/a.mdx', 'notes/x.text', 'notes/z.markdown']);
    const ws = make(root);
    for await (const f of ws.listFiles()) {
      assert.ok(f.path.startsWith(root));
      assert.equal(typeof f.mtimeMs, 'number');
      assert.ok(f.size >= 1);
    }
    assert.deepEqual(ws.roots, [root]);
    assert.deepEqual(ws.skipped, []);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('custom include and exclude globs (relative and absolute)', async () => {
  const root = tree({ 'a.md': 'a', 'drafts/b.md': 'b', 'keep/c.md': 'c', 'keep/d.txt': 'd', 'store/e.md': 'e' });
  try {
    assert.deepEqual(await list(make(root, { include: ['**/*.md'] }), root), ['a.md', 'drafts/b.md', 'keep/c.md', 'store/e.md']);
    assert.deepEqual(await list(make(root, { exclude: ['drafts/**', `${join(root, 'store')}/**`] }), root), ['a.md', 'keep/c.md', 'keep/d.txt']);
    assert.deepEqual(await list(make(root, { include: ['keep/*.txt'] }), root), ['keep/d.txt']);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('.gitignore at every level, relative to its folder, with negation; can be disabled', async () => {
  const root = tree({
    '.gitignore': 'ignored.md\nbuild/\n*.log.md\n',
    'ignored.md': 'x', 'kept.md': 'k', 'build/out.md': 'x', 'a.log.md': 'x',
    'sub/.gitignore': 'local.md\n!a.log.md\n/anchored.md\n',
    'sub/local.md': 'x', 'sub/a.log.md': 'back', 'sub/anchored.md': 'x', 'sub/deeper/anchored.md': 'kept', 'sub/deeper/local.md': 'x',
    'other/local.md': 'kept',
  });
  try {
    assert.deepEqual(await list(make(root), root), ['kept.md', 'other/local.md', 'sub/a.log.md', 'sub/deeper/anchored.md']);
    const all = await list(make(root, { respectGitignore: false }), root);
    assert.equal(all.length, 10);
    assert.ok(all.includes('build/out.md') && all.includes('ignored.md'));
    // Ignored files are not reported as skipped.
    const ws = make(root);
    await list(ws);
    assert.deepEqual(ws.skipped, []);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('listFilesUnder: a subfolder listed as the whole listing would (globs relative to the root, .gitignore from above)', async () => {
  const root = tree({
    '.gitignore': 'ignored.md\nbuild/\n',
    'docs/a.md': 'a', 'docs/ignored.md': 'x', 'docs/build/out.md': 'x', 'docs/deep/b.md': 'b', 'docs/deep/c.txt': 'c',
    'docs/.gitignore': '!ignored.md\nlocal.md\n', 'docs/deep/local.md': 'x', 'docs/big.md': 'x'.repeat(100),
    'build/z.md': 'x', 'other/d.md': 'd',
  });
  const under = async (ws: NodeFileSystemWorkspace, folder: string) => {
    const out: string[] = [];
    for await (const f of ws.listFilesUnder(join(root, folder))) out.push(relative(root, f.path).split('\\').join('/'));
    return out;
  };
  try {
    const filter = { include: ['docs/**/*.md'], maxFileSize: 50 };
    const whole = (await list(make(root, filter), root)).filter((p) => p.startsWith('docs/deep/'));
    assert.deepEqual(await under(make(root, filter), 'docs/deep'), whole);
    assert.deepEqual(whole, ['docs/deep/b.md']);
    const ws = make(root, filter);
    assert.deepEqual(await under(ws, 'docs'), await list(make(root, filter), root));
    assert.deepEqual(await under(ws, 'docs'), ['docs/a.md', 'docs/deep/b.md', 'docs/ignored.md'], 'a negation below re-includes');
    assert.deepEqual(ws.skipped.map((s) => relative(root, s.path)), ['docs/big.md'], 'the size limit applies');
    assert.deepEqual(await under(make(root), 'build'), [], 'an ignored folder');
    assert.deepEqual(await under(make(root, { exclude: ['other/**'] }), 'other'), [], 'an excluded folder');
    assert.deepEqual(await under(make(root), join('..', 'elsewhere')), [], 'outside the roots');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('files over the size limit are skipped with a reason and a warning', async () => {
  const root = tree({ 'small.md': 'x'.repeat(100), 'big.md': 'x'.repeat(3000) });
  const warnings: string[] = [];
  const logger: Logger = { error() {}, warn: (m) => warnings.push(m), info() {}, debug() {} };
  try {
    const ws = make(root, { maxFileSize: 2048 }, logger);
    assert.deepEqual(await list(ws, root), ['small.md']);
    assert.deepEqual(ws.skipped, [{ path: join(root, 'big.md'), reason: 'larger than 2.0 KB limit (2.9 KB)' }]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /big\.md/);
    // skipped is reset by each listing
    await list(ws);
    assert.equal(ws.skipped.length, 1);
    assert.equal(DEFAULT_MAX_FILE_SIZE, 5 * 1024 * 1024);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('size reason in MB', async () => {
  const root = tree({ 'huge.md': 'x'.repeat(Math.round(7.2 * 1024 * 1024)) });
  try {
    const ws = make(root);
    assert.deepEqual(await list(ws), []);
    assert.equal(ws.skipped[0].reason, 'larger than 5.0 MB limit (7.2 MB)');
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('unreadable entries are recorded and the walk continues', async () => {
  const root = tree({ 'a.md': 'a', 'locked.md': 'secret', 'lockeddir/x.md': 'x', 'z.md': 'z' });
  try {
    symlinkSync(join(root, 'missing-target.md'), join(root, 'dangling.md'));
    chmodSync(join(root, 'locked.md'), 0o000);
    chmodSync(join(root, 'lockeddir'), 0o000);
    const ws = make(root);
    const files = await list(ws, root);
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) {
      assert.deepEqual(files, ['a.md', 'z.md']);
      assert.deepEqual(ws.skipped.map((s) => [relative(root, s.path), s.reason]), [
        ['dangling.md', 'broken symbolic link'],
        ['locked.md', 'unreadable (EACCES)'],
        ['lockeddir', 'unreadable folder (EACCES)'],
      ]);
    } else {
      // root can read mode-000 files: only the dangling link exercises the unreadable path.
      assert.deepEqual(files, ['a.md', 'locked.md', 'lockeddir/x.md', 'z.md']);
      assert.deepEqual(ws.skipped.map((s) => [relative(root, s.path), s.reason]), [['dangling.md', 'broken symbolic link']]);
    }
  } finally {
    chmodSync(join(root, 'lockeddir'), 0o755);
    rmSync(root, { recursive: true, force: true });
  }
});

test('symlinks: files followed, directory loops terminate', async () => {
  const root = tree({ 'a/one.md': '1', 'b/two.md': '2', 'elsewhere/three.md': '3' });
  const outside = tree({ 'ext.md': 'e' });
  try {
    symlinkSync(root, join(root, 'a', 'loop-to-root'), 'dir');
    symlinkSync(join(root, 'a'), join(root, 'b', 'to-a'), 'dir');
    symlinkSync(join(outside, 'ext.md'), join(root, 'b', 'link.md'));
    symlinkSync(join(root, 'b', 'two.md'), join(root, 'b', 'dup.md'));
    const files = await list(make(root), root);
    // Links to files are followed (listed under the link's path); directory loops are not followed:
    // a/loop-to-root → root (visited) and b/to-a → a (visited) are not descended into.
    assert.deepEqual(files, ['a/one.md', 'b/dup.md', 'b/link.md', 'b/two.md', 'elsewhere/three.md']);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('a link to a folder inside the root is not followed, whichever name sorts first: its files are listed under their own paths', async () => {
  // The folder seen first was kept and the other skipped as visited, so "a -> notes" listed
  // a/one.md instead of notes/one.md, and renaming the link changed every path in the index.
  const root = tree({ 'notes/one.md': '1', 'zz/two.md': '2' });
  try {
    symlinkSync(join(root, 'notes'), join(root, 'a'), 'dir');
    symlinkSync(join(root, 'notes'), join(root, 'zlink'), 'dir');
    assert.deepEqual(await list(make(root), root), ['notes/one.md', 'zz/two.md']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('listFilesUnder: a link the whole listing does not follow (to a folder holding the root, or inside it) lists nothing', async () => {
  // A watcher reports a link retargeted from a folder elsewhere to ".." as a folder: listing it
  // indexed the whole parent of the root, under the link's path.
  const root = tree({ 'notes/one.md': '1', 'sub/two.md': '2' });
  const outside = tree({ 'three.md': '3' });
  try {
    symlinkSync('..', join(root, 'sub', 'up'), 'dir');
    symlinkSync(join(root, 'notes'), join(root, 'again'), 'dir');
    symlinkSync(outside, join(root, 'elsewhere'), 'dir');
    const under = async (folder: string) => {
      const out: string[] = [];
      for await (const f of make(root).listFilesUnder(join(root, folder))) out.push(relative(root, f.path));
      return out;
    };
    assert.deepEqual(await under('sub/up'), []);
    assert.deepEqual(await under('again'), []);
    assert.deepEqual(await under('elsewhere'), ['elsewhere/three.md'], 'a link to a folder elsewhere is followed, as the listing follows it');
    assert.deepEqual(await list(make(root), root), ['elsewhere/three.md', 'notes/one.md', 'sub/two.md']);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('single files and missing paths as inputs; cancellation', async () => {
  const root = tree({ 'a.md': 'a', 'b.json': '{}', 'c.md': 'c' });
  try {
    const ws = new NodeFileSystemWorkspace([join(root, 'b.json'), join(root, 'nope'), root]);
    assert.deepEqual(await list(ws, root), ['b.json', 'a.md', 'c.md']);
    assert.deepEqual(ws.skipped.map((s) => [relative(root, s.path), s.reason]), [['nope', 'cannot access (ENOENT)']]);
    const bytes = await ws.readFile(join(root, 'a.md'));
    assert.deepEqual([...bytes], [0x61]);
    const token = { isCancellationRequested: true };
    await assert.rejects(async () => { for await (const _ of make(root).listFiles(token)) { /* */ } }, { name: 'CancelledError' });
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('fixture workspace: gitignore, node_modules and build are skipped', async () => {
  const root = resolve(process.cwd(), 'test/fixtures/workspace');
  const ws = make(root);
  assert.deepEqual(await list(ws, root), ['companies.txt', 'people.md', 'rivers.md', 'travel/london.md']);
  assert.deepEqual(ws.skipped, []);
  const people = new TextDecoder().decode(await ws.readFile(join(root, 'people.md')));
  assert.ok(people.includes('\r\n'), 'people.md keeps CRLF line endings');
  const rivers = new TextDecoder().decode(await ws.readFile(join(root, 'rivers.md')));
  assert.ok(rivers.startsWith('---\n') && rivers.includes('🚢 Rhine') && rivers.includes('```') && rivers.includes('\n    Indented'));
});

test('InMemoryWorkspace lists sorted, reads bytes, set/delete bump state', async () => {
  const ws = new InMemoryWorkspace({ '/w/b.md': 'Rhine', '/w/a.txt': new Uint8Array([0x41]) });
  const first: Array<{ path: string; size: number; mtimeMs: number }> = [];
  for await (const f of ws.listFiles()) first.push(f);
  assert.deepEqual(first.map((f) => [f.path, f.size]), [['/w/a.txt', 1], ['/w/b.md', 5]]);
  assert.deepEqual(ws.roots, ['/w']);
  assert.equal(new TextDecoder().decode(await ws.readFile('/w/b.md')), 'Rhine');
  await assert.rejects(() => ws.readFile('/w/none.md'), { code: 'ENOENT' });
  ws.set('/w/b.md', 'Danube!');
  const after: Array<{ path: string; size: number; mtimeMs: number }> = [];
  for await (const f of ws.listFiles()) after.push(f);
  assert.equal(after[1].size, 7);
  assert.ok(after[1].mtimeMs > first[1].mtimeMs);
  assert.equal(ws.delete('/w/a.txt'), true);
  assert.deepEqual(ws.skipped, []);
});
