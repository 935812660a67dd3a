// A language server whose store lies inside the workspace (storagePath there) with include globs
// that match anything: the store's own files are never indexed as documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefaultModels } from '../../server/src/engine/engine.ts';
import { WorkspaceIndex } from '../../server/src/engine/workspaceIndex.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

test('the store folder inside the workspace is excluded from full passes and single-file updates, whatever the include globs', async () => {
  const ws = scratchDir('ner-store-inside-');
  mkdirSync(join(ws, 'notes'));
  writeFileSync(join(ws, 'notes', 'a.md'), 'The Danube flows through Vienna.\n');
  const storeDir = join(ws, '.vscode', 'ner-index');
  const index = await WorkspaceIndex.open({ roots: [ws], storeDir, models: await loadDefaultModels(), filter: { include: ['**/*'] } });
  try {
    await index.indexAll();
    await index.indexAll(); // the store's files exist now: a second pass would list them
    assert.equal(index.documentCount, 1, 'notes/a.md only');
    const hits = await index.search('river', { limit: 50 });
    assert.deepEqual([...new Set(hits.map((h) => h.path))], [join(ws, 'notes', 'a.md')]);
    assert.equal(index.accepts(join(storeDir, 'meta-1.ndjson')), false);
    assert.equal(index.accepts(join(ws, 'notes', 'a.md')), true);
  } finally {
    await index.close();
  }
});
