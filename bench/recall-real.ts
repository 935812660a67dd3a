// HNSW recall and latency on a REAL store (mention vectors of the static encoder), not synthetic
// vectors: type queries are embedded like the CLI does, searched in the store's HNSW index and
// compared with an exact scan over every stored vector.
//   npx tsx bench/indexing.ts --mb 50 --keep          (prints "kept DIR"; the store is DIR/store)
//   npx tsx bench/recall-real.ts --store DIR/store [--queries 200] [--k 10] [--ef default,64,256] [--graph 16:100,12:40] [--membership]
// --membership also measures search as the CLI runs it (searchByVector with the encoder's WordNet
// type-membership boost) against the exact boosted ranking of every stored mention.
// --graph M:efConstruction,... also rebuilds the HNSW graph from the stored vectors with those
// construction settings (one node per distinct vector, as the store builds it), times the
// inserts, and measures each rebuilt graph the same way.
// ("default" = no ef given, as the CLI and the language server search: VectorIndex.defaultEf)
// Queries: the 30 label descriptions of the shared data, three free-text examples, then WordNet
// hypernym lemmas in seeded random order. Recall counts ties: a returned mention is correct when
// its exact score reaches the k-th best exact score (the corpus repeats sentences, so equal
// vectors are common).
import { scriptArgs } from './args.ts';
import { performance } from 'node:perf_hooks';
import { loadDefaultModels, openStore } from '../server/src/engine/engine.ts';
import { MULTICONER_DESCRIPTIONS, WNUT17_DESCRIPTIONS } from '../server/src/engine/eval/retrieval.ts';
import { wordnetPairs } from '../server/src/engine/train/trainHead.ts';
import { loadWordVectors } from '../server/src/engine/encode/wordVectors.ts';
import { mulberry32, shuffleInPlace } from '../server/src/engine/random.ts';
import { defaultEf, VectorIndex } from '../server/src/engine/index/vectorIndex.ts';
import { searchByVector } from '../server/src/engine/query/search.ts';
import { WordnetTypeMembership, boostedScore } from '../server/src/engine/query/typeMembership.ts';

const { values } = scriptArgs({ options: {
  store: { type: 'string' }, queries: { type: 'string', default: '200' }, k: { type: 'string', default: '10' },
  ef: { type: 'string', default: 'default,64,256' }, graph: { type: 'string' }, membership: { type: 'boolean', default: false },
} }, import.meta.url);
if (!values.store) { console.error('usage: npx tsx bench/recall-real.ts --store DIR [--queries N] [--k 10] [--ef 64,256]'); process.exit(2); }
const k = Number(values.k);
const efs = values.ef!.split(',').map((e) => (e === 'default' ? 'default' : Number(e)));

const models = await loadDefaultModels();
const store = await openStore(values.store, models, { readOnly: true });
const dim = models.encoder.dimension;
const labels: number[] = [];
for (const d of store.documents()) for (const p of d.paragraphs) for (const m of p.mentions) labels.push(m.label);
const matrix = new Float32Array(labels.length * dim);
labels.forEach((l, i) => matrix.set(store.vector(l)!, i * dim));
// Bit-identical vectors (the same sentence indexed again): the node sharing keeps one HNSW node
// for each, so the graph holds `distinct` nodes.
const copies = new Map<string, number>();
for (let i = 0; i < labels.length; i++) {
  const key = Buffer.from(matrix.buffer, i * dim * 4, dim * 4).toString('base64');
  copies.set(key, (copies.get(key) ?? 0) + 1);
}
const counts = [...copies.values()];
const distinctLine = `${copies.size} distinct vectors (max ${counts.reduce((a, c) => Math.max(a, c), 0)} copies of one; ` +
  `${counts.filter((c) => c > 32).reduce((a, c) => a + c, 0)} mentions share a vector with more than 32 copies), ${store.vectorNodes} HNSW nodes`;
console.error(`store: ${labels.length} mentions, dimension ${dim}; ${distinctLine}`);

const fixed = [...new Set([...Object.values(MULTICONER_DESCRIPTIONS), ...Object.values(WNUT17_DESCRIPTIONS),
  'European river', 'pharmaceutical drug', 'aerospace manufacturer'])];
const hypernyms = [...new Set(wordnetPairs(loadWordVectors()).map((p) => p.type))].sort();
const rnd = mulberry32(2025);
shuffleInPlace(hypernyms, rnd);
const queries = [...fixed, ...hypernyms.filter((h) => !fixed.includes(h))].slice(0, Number(values.queries));

const embedMs: number[] = [];
const queryVectors: Float32Array[] = [];
const thresholds: number[] = [];
const boostedThresholds: number[] = [];
const texts = values.membership ? labels.map((l) => store.mention(l)!.mention.text) : [];
// Only texts WordNet knows as nouns can be members: the exact ranking tests those alone.
const withSenses = texts.map((t) => WordnetTypeMembership.load().senses(t) !== undefined);
for (const q of queries) {
  const t = performance.now();
  const v = await models.encoder.encodeQuery(q);
  embedMs.push(performance.now() - t);
  // Exact k-th best score.
  const scores = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let s = 0;
    const off = i * dim;
    for (let j = 0; j < dim; j++) s += matrix[off + j] * v[j];
    scores[i] = s;
  }
  queryVectors.push(v);
  thresholds.push([...scores].sort((a, b) => b - a)[k - 1]);
  if (values.membership) {
    const membership = models.encoder.typeMembership?.(q);
    const boosted = scores.map((s, i) => (withSenses[i] ? boostedScore(s, membership, texts[i]) : s));
    boostedThresholds.push([...boosted].sort((a, b) => b - a)[k - 1]);
  }
}

type Searcher = (v: Float32Array, k: number, ef: number | undefined, qi: number) => Array<{ score: number }>;
function measure(search: Searcher, exact = thresholds) {
  const perEf = new Map(efs.map((ef) => [ef, { recall: [] as number[], ms: [] as number[] }]));
  queryVectors.forEach((v, qi) => {
    for (const ef of efs) {
      const t = performance.now();
      const hits = search(v, k, ef === 'default' ? undefined : ef, qi);
      perEf.get(ef)!.ms.push(performance.now() - t);
      perEf.get(ef)!.recall.push(hits.filter((h) => h.score >= exact[qi] - 1e-5).length / k);
    }
  });
  return perEf;
}
const results: Array<{ title: string; perEf: ReturnType<typeof measure> }> = [
  { title: 'the store\'s own graph', perEf: measure((v, kk, ef) => store.search(v, kk, ef)) },
];
if (values.membership) {
  // Timed from the query vector to the hits, as `search` runs after embedding the query.
  const title = 'search with the WordNet type-membership boost (searchByVector; recall against the exact boosted ranking)';
  results.push({ title, perEf: measure((v, kk, ef, qi) => searchByVector(queries[qi], v, store, { limit: kk, ef, membership: models.encoder.typeMembership?.(queries[qi]) }), boostedThresholds) });
}
// A rebuilt graph holds one node per distinct vector, as the store's does (bit-identical vectors
// share a node); a hit stands for every mention with that vector, as in the store's search.
const firstOf = new Map<string, number>();
const distinctRows: number[] = [];
const copiesOfRow: number[] = [];
for (let i = 0; i < labels.length; i++) {
  const key = Buffer.from(matrix.buffer, i * dim * 4, dim * 4).toString('base64');
  const row = firstOf.get(key);
  if (row === undefined) { firstOf.set(key, distinctRows.length); distinctRows.push(i); copiesOfRow.push(1); } else copiesOfRow[row]++;
}
for (const spec of values.graph?.split(',') ?? []) {
  const [m, efConstruction] = spec.split(':').map(Number);
  const index = VectorIndex.create(dim, { m, efConstruction, initialCapacity: distinctRows.length });
  const t = performance.now();
  distinctRows.forEach((i, node) => index.add(node, matrix.subarray(i * dim, (i + 1) * dim)));
  const s = (performance.now() - t) / 1000;
  const expand = (hits: Array<{ label: number; score: number }>, kk: number) =>
    hits.flatMap((h) => Array.from({ length: copiesOfRow[h.label] }, () => ({ score: h.score }))).slice(0, kk);
  results.push({ title: `rebuilt, M ${m}, efConstruction ${efConstruction}: ${distinctRows.length} nodes, inserts ${s.toFixed(1)} s (${Math.round(distinctRows.length / s)}/s)`, perEf: measure((v, kk, ef) => expand(index.search(v, kk, ef), kk)) });
  console.error(results.at(-1)!.title);
}
await store.close();
await models.encoder.dispose?.();

const pct = (xs: number[], p: number) => { const a = [...xs].sort((x, y) => x - y); return a[Math.min(a.length - 1, Math.floor((p / 100) * a.length))]; };
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`Real store: ${labels.length} mentions (d = ${dim}; ${distinctLine}), ${queries.length} type queries, k = ${k}; query embedding p50 ${pct(embedMs, 50).toFixed(1)} ms.\n`);
for (const { title, perEf } of results) {
  console.log(`${title}:\n`);
  console.log(`| ef | recall@${k} (mean) | queries with recall < 0.9 | search p50 / p95 ms |\n|---|---|---|---|`);
  for (const [ef, r] of perEf) {
    console.log(`| ${ef === 'default' ? `default (${defaultEf(labels.length)})` : ef} | ${mean(r.recall).toFixed(3)} | ${r.recall.filter((x) => x < 0.9).length} | ${pct(r.ms, 50).toFixed(2)} / ${pct(r.ms, 95).toFixed(2)} |`);
  }
  console.log('');
}
