import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabelTable } from '../../server/src/engine/index/labelTable.ts';

function mulberry32(seed: number): () => number {
  return () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

test('LabelTable: near and far labels, growth past a far one, odd labels, deletes; the same answers as a map under random use', () => {
  const t = new LabelTable<string, number>();
  t.set(0, 'a', 10);
  t.set(5, 'a', 15);
  t.set(3_000_000_000, 'far', 1); // far beyond the arrays: kept in a map, the arrays stay small
  t.set(60_000, 'b', 7); // near enough to extend the arrays (doubling, at least 65,536 past their end)
  t.set(-1, 'neg', -1);
  t.set(2.5, 'frac', 2);
  assert.equal(t.size, 6);
  assert.equal(t.document(3_000_000_000), 'far');
  assert.equal(t.mention(-1), -1);
  assert.equal(t.document(2.5), 'frac');
  assert.equal(t.document(2), undefined);
  assert.equal(t.has(4), false);
  t.set(5, 'c', 55); // an update does not count twice
  assert.equal(t.size, 6);
  assert.deepEqual([t.document(5), t.mention(5)], ['c', 55]);
  // A label first stored far stays found after the arrays grow past it.
  const u = new LabelTable<string, number>();
  u.set(200_000, 'early', 1);
  for (let l = 0; l < 300_000; l++) if (l !== 200_000) u.set(l, 'x', l);
  assert.equal(u.document(200_000), 'early');
  u.set(200_000, 'again', 2);
  assert.deepEqual([u.document(200_000), u.mention(200_000), u.size], ['again', 2, 300_000]);
  u.delete(200_000);
  assert.deepEqual([u.has(200_000), u.size], [false, 299_999]);
  u.delete(200_000); // deleting what is not there changes nothing
  u.delete(9_999_999);
  assert.equal(u.size, 299_999);

  // Random puts and deletes over labels dense and sparse, against a Map.
  const rand = mulberry32(7);
  const table = new LabelTable<number, number>();
  const ref = new Map<number, [number, number]>();
  for (let i = 0; i < 50_000; i++) {
    const r = rand();
    const label = r < 0.7 ? Math.floor(rand() * 5_000) : r < 0.9 ? Math.floor(rand() * 500_000) : Math.floor(rand() * 4e9);
    if (rand() < 0.3) { table.delete(label); ref.delete(label); } else { table.set(label, i, -i); ref.set(label, [i, -i]); }
  }
  assert.equal(table.size, ref.size);
  for (const [label, [d, m]] of ref) assert.deepEqual([table.document(label), table.mention(label)], [d, m]);
  for (let i = 0; i < 5_000; i++) {
    const label = Math.floor(rand() * 600_000);
    assert.equal(table.has(label), ref.has(label), String(label));
  }
});

test('LabelTable: labels handed out anew for re-embedded mentions, never reused, do not keep the arrays growing', () => {
  const t = new LabelTable<string, number>();
  const internals = t as unknown as { docs: unknown[] };
  // 1,000 mentions that stay, then 200 mentions re-embedded 2,000 times with new labels each time.
  for (let l = 0; l < 1000; l++) t.set(l, 'kept', l);
  let next = 1000;
  let live: number[] = [];
  for (let round = 0; round < 2000; round++) {
    for (const l of live) t.delete(l);
    live = Array.from({ length: 200 }, () => next++);
    for (const l of live) t.set(l, 'edited', l);
  }
  assert.equal(t.size, 1200);
  assert.ok(internals.docs.length < 300_000, `arrays of ${internals.docs.length} slots for ${t.size} labels (${next} handed out)`);
  for (const l of [0, 999]) assert.equal(t.document(l), 'kept');
  for (const l of live) assert.deepEqual([t.document(l), t.mention(l)], ['edited', l]);
  assert.equal(t.document(1000), undefined);
  assert.equal(t.has(live[0] - 1), false);
});
