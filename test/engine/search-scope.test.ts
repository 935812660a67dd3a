// A search restricted to some documents (`scope`: the LSP's ner/search scope, the CLI's --in):
// a scope of few mentions is scored exactly, every one of its mentions, where the graph search
// would have to widen to the whole store; a large scope still goes through the graph.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MentionStore } from '../../server/src/engine/index/store.ts';
import { SCOPE_SCAN_MAX, searchByVector } from '../../server/src/engine/query/search.ts';
import { IDENTITY, docPath, makeDoc, mentionVector, unit } from './storeFixtures.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

async function storeOf(documents: number): Promise<MentionStore> {
  const store = await MentionStore.open(scratchDir('search-scope-'), IDENTITY);
  for (let i = 0; i < documents; i++) {
    const vectors = new Map<number, Float32Array>();
    const doc = makeDoc(i, 1, (j) => { const l = store.allocateLabel(); vectors.set(l, unit(mentionVector(i, j))); return l; });
    store.putDocument(doc, vectors);
  }
  return store;
}

const exactScores = (store: MentionStore, query: Float32Array, paths: Set<string>) => {
  const out: number[] = [];
  for (const d of store.documents()) {
    if (!paths.has(d.path)) continue;
    for (const p of d.paragraphs) for (const m of p.mentions) out.push(store.vector(m.label)!.reduce((s, x, k) => s + x * query[k], 0));
  }
  return out.sort((a, b) => b - a);
};

test('a small scope: every mention of it, exact scores, best first, whatever its distance from the query', async () => {
  const store = await storeOf(400);
  try {
    const query = unit(mentionVector(3, 0));
    // Two documents far down the whole store's ranking for this query.
    const whole = searchByVector('q', query, store, { limit: store.mentionCount });
    const far = [...new Set(whole.slice(-40).map((h) => h.path))].slice(0, 2);
    const paths = new Set(far);
    const hits = searchByVector('q', query, store, { limit: 50, scope: (p) => paths.has(p) });
    const expected = exactScores(store, query, paths);
    assert.ok(expected.length >= 4);
    assert.equal(hits.length, expected.length, 'every mention of the scope');
    assert.ok(hits.every((h) => paths.has(h.path)));
    hits.forEach((h, i) => assert.ok(Math.abs(h.score - expected[i]) < 1e-5, `hit ${i}: ${h.score} vs ${expected[i]}`));
    // The limit and a score floor still apply.
    assert.equal(searchByVector('q', query, store, { limit: 2, scope: (p) => paths.has(p) }).length, 2);
    const floor = expected[1];
    assert.ok(searchByVector('q', query, store, { limit: 50, minScore: floor, scope: (p) => paths.has(p) }).every((h) => h.score >= floor));
    assert.deepEqual(searchByVector('q', query, store, { limit: 5, scope: () => false }), []);
  } finally {
    await store.close();
  }
});

test('a scope of the whole store agrees with the unscoped search', async () => {
  const store = await storeOf(300);
  try {
    const query = unit(mentionVector(7, 1));
    const all = searchByVector('q', query, store, { limit: 10 });
    const scoped = searchByVector('q', query, store, { limit: 10, scope: (p) => p.startsWith('notes/') });
    assert.deepEqual(scoped.map((h) => h.label), all.map((h) => h.label));
    assert.ok(store.mentionCount < SCOPE_SCAN_MAX, 'scored exactly here');
    assert.equal(scoped[0].path, docPath(7));
  } finally {
    await store.close();
  }
});

test('a limit of the whole store returns every mention, even one the graph cannot reach', async () => {
  const store = await storeOf(200);
  try {
    const query = unit(mentionVector(5, 0));
    const every = searchByVector('q', query, store, { limit: store.mentionCount });
    assert.equal(every.length, store.mentionCount);
    // A node no other node links to (HNSW graphs of M 8 leave about one in a thousand so) is never
    // returned by the graph: here, the query's best mention.
    const unreachable = every[0].label;
    const graph = store.search.bind(store);
    store.search = (vector, k, ef) => graph(vector, k, ef).filter((h) => h.label !== unreachable);
    const hits = searchByVector('q', query, store, { limit: store.mentionCount + 10 });
    assert.equal(hits.length, store.mentionCount, 'every mention');
    assert.equal(hits[0].label, unreachable, 'in its place');
    assert.ok(!searchByVector('q', query, store, { limit: 5 }).some((h) => h.label === unreachable), 'a small limit goes through the graph alone');
  } finally {
    await store.close();
  }
});
