// hnswlib-node insert rate alone (no store, no journal): clustered vectors, optionally each
// repeated (--repeat R: only n/R distinct vectors, like a corpus that repeats sentences), and
// optionally another build of the addon (--module DIR, e.g. one rebuilt with -march=native).
// Then recall@10 against an exact scan (ties counted as hits) for 100 queries near the data.
//   npx tsx bench/hnsw-insert.ts [--n 40000] [--dim 228] [--m 16] [--efc 100] [--repeat 1] [--module DIR] [--ef 64,256]
import { createRequire } from 'node:module';
import { scriptArgs } from './args.ts';
import { performance } from 'node:perf_hooks';

const { values } = scriptArgs({ options: {
  n: { type: 'string', default: '40000' }, dim: { type: 'string', default: '228' }, m: { type: 'string', default: '16' },
  efc: { type: 'string', default: '100' }, ef: { type: 'string', default: '64,256' }, repeat: { type: 'string', default: '1' }, module: { type: 'string', default: 'hnswlib-node' },
} }, import.meta.url);
const n = Number(values.n), d = Number(values.dim), repeat = Number(values.repeat);
const { HierarchicalNSW } = createRequire(import.meta.url)(values.module!) as typeof import('hnswlib-node');

let seed = 7;
const rand = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 2 ** 32; };
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
const centres = Array.from({ length: Math.max(1, Math.round(n / 500)) }, () => Array.from({ length: d }, gauss));
const distinct = Array.from({ length: Math.ceil(n / repeat) }, (_, i) => centres[i % centres.length].map((x) => x + 0.6 * gauss()));
const vectors = Array.from({ length: n }, () => distinct[Math.floor(rand() * distinct.length)]);

const index = new HierarchicalNSW('cosine', d);
index.initIndex(n, Number(values.m), Number(values.efc), 7);
const t0 = performance.now();
for (let i = 0; i < n; i++) index.addPoint(vectors[i], i);
const s = (performance.now() - t0) / 1000;
console.log(`n ${n}, d ${d}, M ${values.m}, efConstruction ${values.efc}, repeat ${repeat}, module ${values.module}: ${s.toFixed(1)} s, ${Math.round(n / s)} inserts/s`);

// Recall@10 (tie-aware: a hit is correct when its exact similarity reaches the 10th best).
const unit = (v: number[]) => { const n = Math.hypot(...v); return v.map((x) => x / n); };
const data = vectors.map(unit);
const queries = Array.from({ length: 100 }, () => unit(distinct[Math.floor(rand() * distinct.length)].map((x) => x + 0.3 * gauss())));
for (const ef of values.ef!.split(',').map(Number)) {
  index.setEf(ef);
  let recall = 0;
  for (const q of queries) {
    const exact = data.map((v) => v.reduce((a, x, j) => a + x * q[j], 0));
    const threshold = [...exact].sort((a, b) => b - a)[9];
    const { neighbors } = index.searchKnn(q, 10);
    recall += neighbors.filter((l) => exact[l] >= threshold - 1e-5).length / 10;
  }
  console.log(`ef ${ef}: recall@10 ${(recall / queries.length).toFixed(3)}`);
}
