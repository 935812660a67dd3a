// index re-reads only files whose size or mtime changed. A file rewritten within its filesystem's
// timestamp tick keeps both, so an mtime too close to the pass that read it is not trusted: the
// next pass reads the file once more and compares content hashes (git's "racily clean" rule).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { components, loadDefaultModels, openStore } from '../../server/src/engine/engine.ts';
import { indexWorkspace } from '../../server/src/engine/indexer.ts';
import { NodeFileSystemWorkspace } from '../../server/src/engine/ingest/workspace.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

/** The real file system, with each read recorded. */
class CountingWorkspace extends NodeFileSystemWorkspace {
  reads: string[] = [];
  override async readFile(path: string): Promise<Uint8Array> {
    this.reads.push(path);
    return super.readFile(path);
  }
}

test('a same-size rewrite within the mtime tick is indexed; a settled file is not read again; a racy one is read once more, then trusted', async () => {
  const root = scratchDir('ner-racy-');
  const ws = join(root, 'ws');
  mkdirSync(ws);
  const racy = join(ws, 'racy.md');
  const settled = join(ws, 'settled.md');
  // A whole second just ahead: as recent as a write can be (however slow the machine is until the
  // pass below lists it), and exactly what utimes gives back.
  const second = Math.ceil(Date.now() / 1000) + 1;
  const hourAgo = second - 3600;
  writeFileSync(racy, 'The Danube flows through Vienna.\n');
  utimesSync(racy, second, second);
  writeFileSync(settled, 'Angela Merkel visited Siemens.\n');
  utimesSync(settled, hourAgo, hourAgo);
  const models = await loadDefaultModels();
  const store = await openStore(join(root, 'store'), models, { rebuild: true });
  const pass = async () => {
    const workspace = new CountingWorkspace([ws]);
    const report = await indexWorkspace(workspace, components(models, store));
    return { reads: workspace.reads.map((p) => p.slice(ws.length + 1)).sort(), report };
  };
  const mentionsOf = (path: string) => store.getDocument(path)!.paragraphs.flatMap((p) => p.mentions.map((m) => m.text));
  try {
    assert.deepEqual((await pass()).reads, ['racy.md', 'settled.md']);
    // Rewritten in the same second, same size: the stat is unchanged.
    writeFileSync(racy, 'The Vltava flows through Prague.\n');
    utimesSync(racy, second, second);
    const second_ = await pass();
    assert.deepEqual(second_.reads, ['racy.md'], 'the settled file is trusted, the racy one read again');
    assert.equal(second_.report.filesIndexed, 1);
    assert.deepEqual(mentionsOf(racy), ['Vltava', 'Prague']);
    // Once its mtime is old enough to trust, it is read one last time (identical: nothing embedded), then skipped.
    utimesSync(racy, hourAgo, hourAgo);
    const third = await pass();
    assert.deepEqual(third.reads, ['racy.md']);
    assert.equal(third.report.filesIndexed, 0);
    assert.equal(third.report.mentionsEmbedded, 0);
    assert.deepEqual((await pass()).reads, [], 'both trusted now');
  } finally {
    await store.close();
  }
});
