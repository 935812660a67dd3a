// Read-only opening: searches work while a writer holds the store, and readers change nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MentionStore, StoreError } from '../../server/src/engine/index/store.ts';
import { IDENTITY, docPath, makeDoc, mentionVector } from './storeFixtures.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

function put(store: MentionStore, i: number): void {
  const vectors = new Map<number, Float32Array>();
  store.putDocument(makeDoc(i, 1, (j) => { const l = store.allocateLabel(); vectors.set(l, mentionVector(i, j)); return l; }), vectors);
}

function snapshot(dir: string): string {
  return readdirSync(dir).sort().map((f) => `${f}:${statSync(join(dir, f)).size}`).join(',');
}

test('a reader sees journaled and checkpointed documents while the writer holds the lock', async () => {
  const dir = scratchDir('ner-ro-');
  const writer = await MentionStore.open(dir, IDENTITY);
  for (let i = 0; i < 5; i++) put(writer, i);
  await assert.rejects(MentionStore.open(dir, IDENTITY), (e: unknown) => e instanceof StoreError && e.code === 'locked');

  const before = snapshot(dir);
  const reader = await MentionStore.open(dir, IDENTITY, { readOnly: true });
  assert.equal(reader.documentCount, 5, 'journal replayed without a checkpoint');
  const [hit] = reader.search(mentionVector(3, 1), 1);
  assert.equal(reader.mention(hit.label)?.document.path, docPath(3));
  assert.throws(() => put(reader, 9), /read-only/);
  assert.equal(reader.documentCount, 5);
  await reader.close();
  assert.equal(snapshot(dir), before, 'the reader wrote nothing');

  await writer.checkpoint();
  for (let i = 5; i < 8; i++) put(writer, i);
  const reader2 = await MentionStore.open(dir, IDENTITY, { readOnly: true });
  assert.equal(reader2.documentCount, 8, 'snapshot + newer journal');
  await reader2.close();
  await writer.close(); // the reader did not take or release the writer's lock
  const again = await MentionStore.open(dir, IDENTITY);
  assert.equal(again.documentCount, 8);
  await again.close();
});

test('read-only open of a folder without a store or of another identity fails clearly', async () => {
  const dir = scratchDir('ner-ro-');
  await assert.rejects(MentionStore.open(dir, IDENTITY, { readOnly: true }), /not a mention store/);
  const w = await MentionStore.open(dir, IDENTITY);
  await w.close();
  await assert.rejects(MentionStore.open(dir, { ...IDENTITY, encoderId: 'other' }, { readOnly: true }),
    (e: unknown) => e instanceof StoreError && e.code === 'mismatch');
  await assert.rejects(MentionStore.open(dir, { ...IDENTITY, dimension: IDENTITY.dimension + 1 }, { readOnly: true }),
    (e: unknown) => e instanceof StoreError && e.code === 'mismatch');
});

test('read-only open of a store whose spans another detector found: searchable, with a warning; writers still refuse it', async () => {
  const dir = scratchDir('ner-ro-');
  const w = await MentionStore.open(dir, IDENTITY);
  for (let i = 0; i < 3; i++) put(w, i);
  await w.close();
  const warnings: string[] = [];
  const logger = { info() {}, debug() {}, error() {}, warn: (m: string) => { warnings.push(m); } };
  const newer = { ...IDENTITY, detectorId: `${IDENTITY.detectorId}-newer` };
  const reader = await MentionStore.open(dir, newer, { readOnly: true, logger });
  const [hit] = reader.search(mentionVector(2, 0), 1);
  assert.equal(reader.mention(hit.label)?.document.path, docPath(2));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /found by detector det-test, not det-test-newer.*re-run index/);
  await reader.close();
  await assert.rejects(MentionStore.open(dir, newer), (e: unknown) => e instanceof StoreError && e.code === 'mismatch');
});

test('openStoreForSearch: the store opens while the models load; models of another encoder are refused, another detector is warned about, a failed load fails the open', async () => {
  const { openStoreForSearch, identityOf } = await import('../../server/src/engine/engine.ts');
  type Models = Parameters<typeof openStoreForSearch>[1] extends () => Promise<infer M> ? M : never;
  const modelsOf = (identity: typeof IDENTITY) => ({ encoder: { id: identity.encoderId, dimension: identity.dimension }, detector: { id: identity.detectorId } }) as unknown as Models;
  const dir = scratchDir('ner-ro-');
  const built = identityOf(modelsOf(IDENTITY)); // what index records: the detector with the ingest format
  const w = await MentionStore.open(dir, built);
  for (let i = 0; i < 4; i++) put(w, i);
  await w.checkpoint();
  put(w, 4); // one more in the journal only
  await w.close();
  const warnings: string[] = [];
  const logger = { info() {}, debug() {}, error() {}, warn: (m: string) => { warnings.push(m); } };
  const { models, store } = await openStoreForSearch(dir, async () => modelsOf(IDENTITY), logger);
  assert.equal(models.encoder.id, IDENTITY.encoderId);
  assert.equal(store.documentCount, 5);
  const [hit] = store.search(mentionVector(4, 0), 1);
  assert.equal(store.mention(hit.label)?.document.path, docPath(4));
  assert.deepEqual(warnings, []);
  await store.close();

  await assert.rejects(openStoreForSearch(dir, async () => modelsOf({ ...IDENTITY, encoderId: 'other' }), logger),
    (e: unknown) => e instanceof StoreError && e.code === 'mismatch' && /other/.test(e.message));
  const newer = await openStoreForSearch(dir, async () => modelsOf({ ...IDENTITY, detectorId: `${IDENTITY.detectorId}-newer` }), logger);
  assert.equal(newer.store.documentCount, 5);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /found by detector det-test\+nested-v\d+\|ingest-v\d+, not det-test-newer\+nested-v\d+\|ingest-v\d+/);
  await newer.store.close();
  await assert.rejects(openStoreForSearch(dir, async () => { throw new Error('no word vectors'); }, logger), /no word vectors/);
  // Not a store: the same clear error as a plain read-only open, after the models.
  await assert.rejects(openStoreForSearch(scratchDir('ner-ro-'), async () => modelsOf(IDENTITY), logger), /not a mention store/);
  // Still openable by a writer afterwards: nothing was left open or locked.
  const again = await MentionStore.open(dir, built);
  assert.equal(again.documentCount, 5);
  await again.close();
});

test('a writer\'s checkpoint between a reader\'s snapshot and its journal (which it deletes) is noticed: the reader reads the new generation', async () => {
  const dir = scratchDir('ner-ro-race-');
  const writer = await MentionStore.open(dir, IDENTITY);
  for (let i = 0; i < 3; i++) put(writer, i);
  await writer.close(); // generation 1: documents 0..2
  // Right before the reader replays its journal, another process adds a document and checkpoints.
  const proto = MentionStore.prototype as unknown as { replayJournal(this: MentionStore): void };
  const replay = proto.replayJournal;
  let raced = false;
  proto.replayJournal = function (this: MentionStore) {
    if (!raced) {
      raced = true;
      const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'storeLockContender.ts'), dir, '0', '0'], { encoding: 'utf8' });
      assert.match(child.stdout, /^GOT /, child.stderr);
    }
    return replay.call(this);
  };
  try {
    const reader = await MentionStore.open(dir, IDENTITY, { readOnly: true });
    assert.ok(raced);
    assert.equal(reader.documentCount, 4, 'the document of the checkpoint that raced the open');
    await reader.close();
  } finally {
    proto.replayJournal = replay;
  }
});

test('read-only open: a manifest spoilt while the snapshot loads is reported as such, not as a JSON parse error', async () => {
  const { writeFileSync } = await import('node:fs');
  const dir = scratchDir('ner-ro-');
  const w = await MentionStore.open(dir, IDENTITY);
  for (let i = 0; i < 3; i++) put(w, i);
  await w.checkpoint();
  await w.close();
  // The load fails and, meanwhile, the manifest is overwritten by something unreadable.
  const internals = MentionStore as unknown as { load: (...args: unknown[]) => Promise<MentionStore> };
  const load = internals.load;
  internals.load = async () => { writeFileSync(join(dir, 'store.json'), '{ truncated'); throw new Error('snapshot read failed'); };
  try {
    await assert.rejects(MentionStore.open(dir, IDENTITY, { readOnly: true }),
      (e: unknown) => e instanceof StoreError && e.code === 'corrupt' && /unreadable manifest store\.json/.test((e as Error).message));
  } finally {
    internals.load = load;
  }
});
