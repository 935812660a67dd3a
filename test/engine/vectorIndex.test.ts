import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { VectorIndex, defaultEf } from '../../server/src/engine/index/vectorIndex.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}
function randomVectors(n: number, dim: number, seed = 1): Float32Array[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, () => r() * 2 - 1));
}
function cos(a: Float32Array, b: Float32Array): number {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { d += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
  return d / Math.sqrt(na * nb);
}

test('add / search / remove, growth beyond initial capacity', () => {
  const dim = 16;
  const vs = randomVectors(300, dim);
  const ix = VectorIndex.create(dim, { initialCapacity: 8 });
  vs.forEach((v, i) => ix.add(i, v));
  assert.equal(ix.size, 300);
  const q = Float32Array.from(vs[42], (x) => x / Math.hypot(...vs[42]));
  const res = ix.search(q, 5);
  assert.equal(res.length, 5);
  assert.equal(res[0].label, 42);
  assert.ok(Math.abs(res[0].score - 1) < 1e-5);
  for (let i = 1; i < res.length; i++) assert.ok(res[i - 1].score >= res[i].score);
  assert.ok(Math.abs(res[1].score - cos(vs[42], vs[res[1].label])) < 1e-4);
  // A query that is not unit gets the same neighbours, scored by its dot product with the unit
  // stored vectors (a hubness-corrected query carries its score scale in its norm).
  const scaled = ix.search(Float32Array.from(q, (x) => x * 1.5), 5);
  assert.deepEqual(scaled.map((r) => r.label), res.map((r) => r.label));
  scaled.forEach((r, i) => assert.ok(Math.abs(r.score - 1.5 * res[i].score) < 1e-4));
  ix.remove(42);
  ix.remove(42);
  ix.remove(100000); // unknown: ignored
  assert.equal(ix.size, 299);
  assert.equal(ix.deletedCount, 1);
  assert.ok(!ix.search(vs[42], 10).some((r) => r.label === 42));
  assert.equal(ix.vector(42), undefined);
  // re-adding a deleted label revives it
  ix.add(42, vs[42]);
  assert.equal(ix.size, 300);
  assert.equal(ix.deletedCount, 0);
  assert.equal(ix.search(vs[42], 1)[0].label, 42);
  // re-adding a live label replaces the vector
  ix.add(7, vs[8]);
  const v7 = ix.vector(7)!;
  assert.ok(cos(v7, vs[8]) > 0.9999);
  assert.equal(ix.size, 300);
  // k larger than the index
  assert.equal(ix.search(vs[0], 1000).length, 300);
  assert.deepEqual(VectorIndex.create(dim).search(vs[0], 10), []);
  assert.throws(() => ix.add(1, new Float32Array(3)), /dimension/);
});

test('compaction keeps results', () => {
  const dim = 12;
  const vs = randomVectors(400, dim, 2);
  const ix = VectorIndex.create(dim, { initialCapacity: 16 });
  vs.forEach((v, i) => ix.add(i, v));
  for (let i = 0; i < 100; i++) ix.remove(i);
  assert.equal(ix.compactIfNeeded(), false); // 100/400 = 0.25 < 0.3
  for (let i = 100; i < 200; i++) ix.remove(i);
  const before = [250, 300, 399].map((q) => ix.search(vs[q], 10).map((r) => r.label));
  assert.equal(ix.compactIfNeeded(), true);
  assert.equal(ix.deletedCount, 0);
  assert.equal(ix.size, 200);
  const after = [250, 300, 399].map((q) => ix.search(vs[q], 10).map((r) => r.label));
  for (let q = 0; q < before.length; q++) {
    const overlap = after[q].filter((l) => before[q].includes(l)).length;
    assert.ok(overlap >= 9, `overlap ${overlap}`);
    assert.ok(after[q].every((l) => l >= 200));
  }
  assert.equal(ix.compactIfNeeded(), false);
});

test('write / read round trip, keeps deleted marks; corrupt files give clear errors', async () => {
  const dir = scratchDir('vi-');
  try {
    const dim = 20;
    const vs = randomVectors(200, dim, 3);
    const ix = VectorIndex.create(dim, { initialCapacity: 10 });
    vs.forEach((v, i) => ix.add(i * 3, v));
    ix.remove(0); ix.remove(3);
    const path = join(dir, 'a.hnsw');
    await ix.write(path);
    const r = VectorIndex.read(path, dim);
    assert.equal(r.size, 198);
    assert.equal(r.deletedCount, 2);
    for (const q of [5, 50, 150]) assert.deepEqual(r.search(vs[q], 10), ix.search(vs[q], 10));
    assert.ok(cos(r.vector(30)!, vs[10]) > 0.9999);
    assert.equal(r.vector(0), undefined);
    r.add(10000, vs[0]); // still growable
    assert.equal(r.size, 199);

    assert.throws(() => VectorIndex.read(path, dim + 1), /dimension/);
    assert.throws(() => VectorIndex.read(join(dir, 'missing.hnsw'), dim), /cannot be opened/);
    const bytes = readFileSync(path);
    writeFileSync(join(dir, 'trunc.hnsw'), bytes.subarray(0, bytes.length - 100));
    assert.throws(() => VectorIndex.read(join(dir, 'trunc.hnsw'), dim), /corrupt/);
    writeFileSync(join(dir, 'garbage.hnsw'), Buffer.from('this is not an index at all, just some text'.repeat(10)));
    assert.throws(() => VectorIndex.read(join(dir, 'garbage.hnsw'), dim), /corrupt/);
    // A capacity no index grows to (one flipped bit): refused before hnswlib allocates it all.
    const huge = Buffer.from(bytes);
    huge.writeBigUInt64LE(60_000_000n, 8);
    writeFileSync(join(dir, 'huge.hnsw'), huge);
    assert.throws(() => VectorIndex.read(join(dir, 'huge.hnsw'), dim), /corrupt .*capacity 60000000 for 200 elements/);
    const empty = VectorIndex.create(dim);
    await empty.write(join(dir, 'empty.hnsw'));
    assert.equal(VectorIndex.read(join(dir, 'empty.hnsw'), dim).size, 0);

    // readAsync (a store's open reads the graph on another thread): the same index, the same errors.
    const a = await VectorIndex.readAsync(path, dim);
    assert.equal(a.size, 198);
    assert.equal(a.deletedCount, 2);
    for (const q of [5, 50, 150]) assert.deepEqual(a.search(vs[q], 10), ix.search(vs[q], 10));
    assert.equal(a.vector(3), undefined);
    await assert.rejects(VectorIndex.readAsync(path, dim + 1), /dimension/);
    await assert.rejects(VectorIndex.readAsync(join(dir, 'missing.hnsw'), dim), /cannot be opened/);
    await assert.rejects(VectorIndex.readAsync(join(dir, 'trunc.hnsw'), dim), /corrupt/);
    await assert.rejects(VectorIndex.readAsync(join(dir, 'garbage.hnsw'), dim), /corrupt/);
    assert.equal((await VectorIndex.readAsync(join(dir, 'empty.hnsw'), dim)).size, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('defaultEf: the search beam grows with the index (type queries are far from every mention), within bounds', () => {
  assert.equal(defaultEf(0), 256);
  assert.equal(defaultEf(16_000), 256);
  assert.equal(defaultEf(100_000), 1_563);
  assert.equal(defaultEf(226_000), 3_532);
  assert.equal(defaultEf(300_000), 4_096);
  assert.equal(defaultEf(1_000_000), 4_096);
  // A search with no ef on a small index still returns exact neighbours.
  const index = VectorIndex.create(4);
  for (let i = 0; i < 50; i++) index.add(i, Float32Array.from([Math.cos(i), Math.sin(i), i / 50, 1]));
  const q = Float32Array.from([1, 0, 0, 1]);
  const norm = (v: number[]) => { const n = Math.hypot(...v); return v.map((x) => x / n); };
  const qn = norm([1, 0, 0, 1]);
  const exact = Array.from({ length: 50 }, (_, i) => ({ i, s: norm([Math.cos(i), Math.sin(i), i / 50, 1]).reduce((a, x, j) => a + x * qn[j], 0) }))
    .sort((a, b) => b.s - a.s).slice(0, 5).map((x) => x.i);
  assert.deepEqual(index.search(q, 5).map((h) => h.label), exact);
});

test('DedupIndex.restoreAliases: an alias of a node the index lacks (or has deleted) is refused, with dense labels and with a far one', async () => {
  const { DedupIndex } = await import('../../server/src/engine/index/dedupIndex.ts');
  const vs = randomVectors(6, 8, 11);
  for (const far of [false, true]) { // a far label: the membership test is a set, not a bitmap
    const ix = VectorIndex.create(8);
    [0, 1, 5, 9].forEach((l, i) => ix.add(l, vs[i]));
    if (far) ix.add(3_000_000_000, vs[4]);
    ix.remove(9);
    const dedup = new DedupIndex(ix);
    dedup.restoreAliases(far ? [[10, 5], [11, 5], [12, 3_000_000_000]] : [[10, 5], [11, 5]], () => true);
    assert.equal(dedup.mentionCount, far ? 7 : 5);
    for (const [alias, node] of [[20, 7], [21, 9], [22, 2_999_999_999], [23, 4_294_967_295]]) {
      assert.throws(() => new DedupIndex(ix).restoreAliases([[alias, node]], () => true), /not in the index/, `${far} ${node}`);
    }
  }
});

test('DedupIndex with name groups: search returns exactly the k best mentions by their own vectors (heap, rescoring, copies, removals)', async () => {
  const { DedupIndex, GROUP_MIN_COSINE } = await import('../../server/src/engine/index/dedupIndex.ts');
  const dim = 16;
  const r = rng(5);
  const unitOf = (v: Float32Array) => { const n = Math.hypot(...v); return v.map((x) => x / n); };
  const dedup = new DedupIndex(VectorIndex.create(dim));
  const own = new Map<number, Float32Array>();
  let label = 0;
  let shared = 0;
  for (let g = 0; g < 120; g++) {
    const center = randomVectors(1, dim, 100 + g)[0];
    const size = 1 + Math.floor(r() * 6);
    const members: Array<[number, Float32Array]> = [];
    for (let j = 0; j < size; j++) {
      // Mostly close to the centre; now and then an unrelated vector (a member that gets its own node).
      const v = r() < 0.15 ? randomVectors(1, dim, 9000 + label)[0] : center.map((x) => x + (r() - 0.5) * 0.25);
      members.push([label, v]);
      own.set(label++, unitOf(v));
    }
    dedup.addGroup(members);
    if (g % 10 === 0) { // a copy of the group (as a copied document makes): joins the same nodes
      const before = dedup.vectors.size;
      dedup.addGroup(members.map(([, v]) => { own.set(label, unitOf(v)); return [label++, v] as [number, Float32Array]; }));
      shared += dedup.vectors.size === before ? 1 : 0;
    }
  }
  assert.ok(shared >= 10, `copies share nodes (${shared})`);
  assert.ok(dedup.vectors.size < own.size * 0.7, `groups share nodes: ${dedup.vectors.size} nodes for ${own.size} mentions`);
  assert.ok(GROUP_MIN_COSINE > 0.5);
  for (let l = 0; l < label; l += 7) { dedup.remove(l); own.delete(l); }
  const hidden = new Set([3, 4, 11]); // mentions of a document still being written
  for (let q = 0; q < 25; q++) {
    const query = randomVectors(1, dim, 500 + q)[0].map((x) => x * 1.7); // not unit: scores are dot products
    const exact = [...own].filter(([l]) => !hidden.has(l)).map(([l, v]) => v.reduce((a, x, i) => a + x * query[i], 0)).sort((a, b) => b - a);
    for (const k of [1, 7, 40]) {
      const hits = dedup.search(query, k, 2000, (l) => !hidden.has(l));
      assert.equal(hits.length, k);
      for (const h of hits) {
        assert.ok(own.has(h.label) && !hidden.has(h.label), `a live mention (${h.label})`);
        const s = own.get(h.label)!.reduce((a, x, i) => a + x * query[i], 0);
        assert.ok(Math.abs(s - h.score) < 1e-4, `scored by its own vector: ${h.score} vs ${s}`);
      }
      hits.forEach((h, i) => assert.ok(Math.abs(h.score - exact[i]) < 1e-4, `query ${q}, k ${k}, rank ${i}: ${h.score} vs exact ${exact[i]}`));
    }
  }
});

test('DedupIndex: without a given beam, search sizes it by mentions, not graph nodes (a group\'s node stands for several)', async () => {
  const { DedupIndex } = await import('../../server/src/engine/index/dedupIndex.ts');
  const dim = 8;
  for (const grouped of [false, true]) {
    const dedup = new DedupIndex(VectorIndex.create(dim));
    let label = 0;
    for (let g = 0; g < 9_000; g++) {
      const v = randomVectors(1, dim, g)[0];
      // Each group: three near-identical mentions (one node); the ungrouped index: copies (aliases).
      const members: Array<[number, Float32Array]> = [0, 1, 2].map((j) => [label++, grouped ? v.map((x, i) => x + (i === j ? 1e-3 : 0)) : v]);
      if (grouped) dedup.addGroup(members);
      else for (const [l, x] of members) dedup.add(l, x);
    }
    assert.equal(dedup.mentionCount, 27_000);
    assert.ok(dedup.vectors.size <= 9_000, `${dedup.vectors.size} nodes`);
    const beams: Array<number | undefined> = [];
    const search = dedup.vectors.search.bind(dedup.vectors);
    dedup.vectors.search = (vector, k, ef) => { beams.push(ef); return search(vector, k, ef); };
    dedup.search(randomVectors(1, dim, 77)[0], 10, undefined, () => true);
    assert.deepEqual(beams, [defaultEf(27_000)], grouped ? 'name groups' : 'copies');
    assert.ok(defaultEf(27_000) > defaultEf(9_000));
    dedup.search(randomVectors(1, dim, 78)[0], 10, 300, () => true);
    assert.equal(beams[1], 300, 'a given beam is kept');
  }
});

test('nodes no other node links to are found by every search once the index is read; a link out of range is a corrupt file', async () => {
  const dir = scratchDir('vector-index-unreachable-');
  try {
    // A sparse graph (M 3) of many vectors: pruning leaves a few nodes without a level-0 in-link,
    // which a search for their own vector misses however wide its beam.
    const dim = 8;
    const vs = randomVectors(3000, dim, 7);
    const built = VectorIndex.create(dim, { m: 3, efConstruction: 64 });
    vs.forEach((v, i) => built.add(i, v));
    built.remove(5);
    const ownSearchMisses = (index: VectorIndex) => vs.map((_, i) => i).filter((i) => i !== 5 && index.search(vs[i], 1, 400)[0]?.label !== i);
    assert.ok(ownSearchMisses(built).length > 0, 'the graph as built misses some');
    const path = join(dir, 'g.hnsw');
    await built.write(path);
    const ix = VectorIndex.read(path, dim);
    assert.ok(ix.unreachableCount > 0, 'the file has unreachable nodes');
    assert.deepEqual(ownSearchMisses(ix), [], 'read back, each vector\'s own search finds its node');
    assert.ok(!ix.search(vs[5], 3000).some((h) => h.label === 5), 'a deleted node stays out');
    const all = ix.search(vs[0], 3000);
    assert.equal(new Set(all.map((h) => h.label)).size, all.length, 'no node twice');
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].score >= all[i].score);
    // A level-0 link past the last node (hnswlib would follow it into other memory).
    const bytes = readFileSync(path);
    bytes.writeUInt16LE(Math.max(1, bytes.readUInt16LE(96)), 96);
    bytes.writeUInt32LE(3000 + 17, 100);
    writeFileSync(path, bytes);
    assert.throws(() => VectorIndex.read(path, dim), /corrupt .*node 0 links to node 3017 of 3000/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('DedupIndex: mentions re-embedded over and over (an edited paragraph) leave no hash or group entries behind', async () => {
  const { DedupIndex } = await import('../../server/src/engine/index/dedupIndex.ts');
  const dim = 8;
  const dedup = new DedupIndex(VectorIndex.create(dim));
  const internals = dedup as unknown as { byHash: Map<number, number>; groupNodes: Set<number> };
  let label = 0;
  let live: number[] = [];
  for (let round = 0; round < 1500; round++) {
    for (const l of live) dedup.remove(l);
    // A name group of three and two lone mentions, with new vectors and new labels each round.
    const center = randomVectors(1, dim, 10_000 + round)[0];
    const group: Array<[number, Float32Array]> = [0, 1, 2].map((j) => [label++, center.map((x, i) => x + (i === j ? 0.05 : 0))]);
    dedup.addGroup(group);
    const lone = randomVectors(2, dim, 50_000 + round).map((v) => [label++, v] as [number, Float32Array]);
    for (const [l, v] of lone) dedup.add(l, v);
    live = [...group, ...lone].map(([l]) => l);
    if (round % 250 === 249) dedup.vectors.compactIfNeeded();
  }
  assert.equal(dedup.mentionCount, 5);
  assert.ok(internals.byHash.size + internals.groupNodes.size <= 2 * dedup.vectors.size + 4096 + 10, `${internals.byHash.size} hashes, ${internals.groupNodes.size} group nodes for ${dedup.vectors.size} nodes`);
  assert.ok(internals.byHash.size < 4500, `stale hashes dropped: ${internals.byHash.size} of ${1500 * 3} made`);
  const [best] = dedup.search(live.length ? randomVectors(1, dim, 50_000 + 1499)[0] : new Float32Array(dim), 1, 100, () => true);
  assert.equal(best.label, live[3], 'the index still answers');
});
