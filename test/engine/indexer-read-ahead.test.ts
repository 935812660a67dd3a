// indexWorkspace reads the next files while earlier ones are stored (ReadAhead in indexer.ts):
// every file is still read once, in order of indexing, a bounded number at a time; a failed read
// skips that file alone; files unchanged since the last pass are not read at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { components, loadDefaultModels, openStore } from '../../server/src/engine/engine.ts';
import { indexWorkspace } from '../../server/src/engine/indexer.ts';
import { InMemoryWorkspace } from '../../server/src/engine/ingest/workspace.ts';
import { scratchDir } from '../helpers/scratchDir.ts';
import { indexSummary } from '../../server/src/cli/main.ts';

/** An in-memory workspace whose reads finish a few milliseconds later and are counted. */
class SlowWorkspace extends InMemoryWorkspace {
  reads: string[] = [];
  outstanding = 0;
  mostOutstanding = 0;
  constructor(files: Record<string, string>, private readonly failing: string) { super(files); }
  override async readFile(path: string): Promise<Uint8Array> {
    this.reads.push(path);
    this.outstanding++;
    this.mostOutstanding = Math.max(this.mostOutstanding, this.outstanding);
    await new Promise((resolve) => setTimeout(resolve, 2));
    this.outstanding--;
    if (path === this.failing) throw Object.assign(new Error(`EIO: i/o error, read '${path}'`), { code: 'EIO' });
    return super.readFile(path);
  }
}

test('files are read ahead, each once and at most 9 at a time; a failed read skips only its file; unchanged files are not read again', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++) files[`/w/note-${String(i).padStart(2, '0')}.md`] = `# Note ${i}\n\nAngela Merkel visited Siemens in Munich, note ${i}.\n`;
  const failing = '/w/note-07.md';
  const workspace = new SlowWorkspace(files, failing);
  const models = await loadDefaultModels();
  const store = await openStore(join(scratchDir('ner-read-ahead-'), 'store'), models, { rebuild: true });
  try {
    const report = await indexWorkspace(workspace, components(models, store));
    assert.deepEqual([...workspace.reads].sort(), Object.keys(files).sort(), 'every file read exactly once');
    assert.ok(workspace.mostOutstanding > 1, 'reads overlap');
    assert.ok(workspace.mostOutstanding <= 9, `at most 9 reads at a time, saw ${workspace.mostOutstanding}`);
    assert.deepEqual(report.skipped.map((s) => s.path), [failing]);
    assert.match(report.skipped[0].reason, /unreadable: EIO/);
    assert.equal(report.filesIndexed, 29);
    assert.deepEqual([...store.documents()].map((d) => d.path).sort(), Object.keys(files).filter((p) => p !== failing).sort());
    for (const d of store.documents()) assert.ok(d.paragraphs.some((p) => p.mentions.some((m) => m.text === 'Angela Merkel')), d.path);

    workspace.reads = [];
    const again = await indexWorkspace(workspace, components(models, store));
    assert.deepEqual(workspace.reads, [failing], 'only the file that failed is read again');
    assert.equal(again.filesUnchanged, 29);
  } finally {
    await store.close();
  }
});

/** An in-memory workspace whose `gone` files are listed but deleted before they are read. */
class VanishingWorkspace extends InMemoryWorkspace {
  gone = new Set<string>();
  override async readFile(path: string): Promise<Uint8Array> {
    if (this.gone.has(path)) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    return super.readFile(path);
  }
}

test('a file deleted between the listing and its read leaves the index (not "unreadable"); one never indexed is just passed over', async () => {
  const workspace = new VanishingWorkspace({ '/w/a.md': 'Angela Merkel visited Siemens in Munich.\n', '/w/b.md': 'The Danube flows through Vienna.\n' });
  const models = await loadDefaultModels();
  const store = await openStore(join(scratchDir('ner-vanish-'), 'store'), models, { rebuild: true });
  try {
    await indexWorkspace(workspace, components(models, store));
    assert.equal(store.documentCount, 2);
    // Both change, then vanish after being listed (a branch switch under the indexer); a new one too.
    workspace.set('/w/a.md', 'Olaf Scholz visited Bosch in Stuttgart.\n');
    workspace.set('/w/b.md', 'The Rhine flows past Basel.\n');
    workspace.set('/w/c.md', 'Paris is lovely.\n');
    workspace.gone = new Set(['/w/a.md', '/w/c.md']);
    const report = await indexWorkspace(workspace, components(models, store));
    assert.deepEqual(report.skipped, [], 'no warning for a file that is gone');
    assert.equal(report.filesRemoved, 1);
    assert.equal(report.filesGone, 2);
    assert.deepEqual([...store.documents()].map((d) => d.path), ['/w/b.md']);
  } finally {
    await store.close();
  }
});

test('files deleted during a run are counted as gone, so the summary adds up to the files seen', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 20; i++) files[`/w/note-${String(i).padStart(2, '0')}.md`] = `Angela Merkel visited Siemens in Munich, note ${i}.\n`;
  const workspace = new VanishingWorkspace(files);
  workspace.gone = new Set(Object.keys(files).slice(15));
  const models = await loadDefaultModels();
  const store = await openStore(join(scratchDir('ner-vanish-'), 'store'), models, { rebuild: true });
  try {
    const report = await indexWorkspace(workspace, components(models, store));
    assert.equal(report.filesSeen, 20);
    assert.equal(report.filesIndexed, 15);
    assert.equal(report.filesGone, 5);
    assert.equal(report.filesRemoved, 0, 'never indexed: nothing left the index');
    assert.match(indexSummary(report, 1), /^Indexed 15 of 20 documents \(0 unchanged, 0 removed, 0 renamed, 0 skipped, 5 gone during the run\): /);
    assert.doesNotMatch(indexSummary({ ...report, filesGone: 0 }, 1), /gone/, 'an ordinary run\'s line is as it was');
  } finally {
    await store.close();
  }
});
