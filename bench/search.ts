// Search + store benchmark: build time, latency p50/p95, recall@10 vs brute force, store size and RSS.
//   npx tsx bench/search.ts [--sizes 10000,1000000] [--dim 228] [--queries 200] [--m 16] [--efc 200]
//                           [--ef 64,128] [--uniform 10000] [--no-store]
// Vectors: mixture of Gaussians (clustered, like mention vectors); --uniform N adds a uniform-random run.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import hnswlib from 'hnswlib-node';
import { MentionStore } from '../server/src/engine/index/store.ts';
import type { StoredDocument, StoredMention } from '../server/src/engine/index/store.ts';
import { DEFAULT_EF, DEFAULT_EF_CONSTRUCTION, DEFAULT_M, VectorIndex } from '../server/src/engine/index/vectorIndex.ts';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}
const sizes = arg('sizes', '10000,1000000').split(',').map(Number);
const dim = Number(arg('dim', '228'));
const nQueries = Number(arg('queries', '200'));
const m = Number(arg('m', String(DEFAULT_M)));
const efc = Number(arg('efc', String(DEFAULT_EF_CONSTRUCTION)));
const efs = arg('ef', `64,${DEFAULT_EF}`).split(',').map(Number);
const uniformN = Number(arg('uniform', '10000'));
const useStore = !process.argv.includes('--no-store');

let seed = 42;
function rand(): number { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 2 ** 32; }
function gauss(): number { return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand()); }

/** n vectors (rows of one Float32Array), clustered: ~n/500 centres, per-cluster spread 0.3–1.0. */
function mixture(n: number, clusters: number): Float32Array {
  const centres = new Float32Array(clusters * dim).map(() => gauss());
  const spread = Float32Array.from({ length: clusters }, () => 0.3 + 0.7 * rand());
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rand() * clusters);
    for (let d = 0; d < dim; d++) out[i * dim + d] = centres[c * dim + d] + spread[c] * gauss();
  }
  return out;
}
function uniform(n: number): Float32Array { return new Float32Array(n * dim).map(() => rand() * 2 - 1); }
function normalizeRows(a: Float32Array): void {
  for (let i = 0; i < a.length; i += dim) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += a[i + d] * a[i + d];
    s = 1 / Math.sqrt(s);
    for (let d = 0; d < dim; d++) a[i + d] *= s;
  }
}
const row = (a: Float32Array, i: number) => a.subarray(i * dim, (i + 1) * dim);

/** Exact top-k by cosine with hnswlib's native linear scan (BruteforceSearch). */
function exactIndex(data: Float32Array, n: number): { search(q: Float32Array, k: number): number[] } {
  const bf = new (hnswlib as unknown as { BruteforceSearch: new (s: 'cosine', d: number) => { initIndex(n: number): void; addPoint(p: number[], l: number): void; searchKnn(q: number[], k: number): { neighbors: number[] } } }).BruteforceSearch('cosine', dim);
  bf.initIndex(n);
  for (let i = 0; i < n; i++) bf.addPoint(Array.from(row(data, i)), i);
  return { search: (q, k) => bf.searchKnn(Array.from(q), k).neighbors };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}
const fmt = (x: number, d = 2) => x.toFixed(d);
const mb = (b: number) => `${fmt(b / 2 ** 20, 0)} MB`;
function dirSize(dir: string): number { return readdirSync(dir).reduce((s, n) => s + statSync(join(dir, n)).size, 0); }
function rssPeak(): number { return process.resourceUsage().maxRSS * 1024; }

const WORDS = ['acme', 'berlin', 'marie', 'curie', 'project', 'apollo', 'river', 'thames', 'north', 'atlantic', 'treaty', 'paris', 'general', 'electric', 'john', 'smith', 'university', 'oxford', 'mount', 'everest'];
function mentionText(): string {
  const n = 1 + Math.floor(rand() * 3);
  return Array.from({ length: n }, () => { const w = WORDS[Math.floor(rand() * WORDS.length)]; return w[0].toUpperCase() + w.slice(1); }).join(' ');
}

interface Searchable { search(v: Float32Array, k: number, ef?: number): Array<{ label: number; score: number }> }

function measure(name: string, target: Searchable, data: Float32Array, n: number, queries: Float32Array, lines: string[]): void {
  const exact = exactIndex(data, n);
  const truth: number[][] = [];
  const t0 = performance.now();
  for (let q = 0; q < nQueries; q++) truth.push(exact.search(row(queries, q), 10));
  const bfMs = (performance.now() - t0) / nQueries;
  for (const ef of efs) {
    let hits = 0;
    const lat10: number[] = [];
    for (let q = 0; q < nQueries; q++) {
      const t = performance.now();
      const res = target.search(row(queries, q), 10, ef);
      lat10.push(performance.now() - t);
      const want = new Set(truth[q]);
      hits += res.filter((r) => want.has(r.label)).length;
    }
    const lat100: number[] = [];
    for (let q = 0; q < nQueries; q++) {
      const t = performance.now();
      target.search(row(queries, q), 100, ef);
      lat100.push(performance.now() - t);
    }
    const line = `| ${name} | ${n.toLocaleString('en')} | ${ef} | ${fmt(hits / (nQueries * 10), 3)} | ${fmt(pct(lat10, 0.5))} / ${fmt(pct(lat10, 0.95))} | ${fmt(pct(lat100, 0.5))} / ${fmt(pct(lat100, 0.95))} | ${fmt(bfMs, 1)} |`;
    console.log(line);
    lines.push(line);
  }
}

async function main(): Promise<void> {
  console.log(`dim=${dim} M=${m} efConstruction=${efc} ef=${efs.join(',')} queries=${nQueries} store=${useStore}`);
  const results: string[] = ['| data | mentions | ef | recall@10 | k=10 p50 / p95 ms | k=100 p50 / p95 ms (ef=max(ef,100)) | exact scan ms/query (native) |', '|---|---|---|---|---|---|---|'];
  const builds: string[] = [];

  if (uniformN > 0) {
    const data = uniform(uniformN); normalizeRows(data);
    const queries = uniform(nQueries); normalizeRows(queries);
    const ix = VectorIndex.create(dim, { m, efConstruction: efc, initialCapacity: uniformN });
    const t = performance.now();
    for (let i = 0; i < uniformN; i++) ix.add(i, row(data, i));
    builds.push(`| uniform | ${uniformN.toLocaleString('en')} | ${fmt((performance.now() - t) / 1000, 1)} s | – | – | – |`);
    measure('uniform', ix, data, uniformN, queries, results);
  }

  for (const n of sizes) {
    const clusters = Math.max(20, Math.round(n / 500));
    const data = mixture(n + nQueries, clusters);
    normalizeRows(data);
    const queries = data.subarray(n * dim); // held-out points from the same mixture
    const rssBefore = rssPeak();
    const t = performance.now();
    let target: Searchable;
    let storeLine = '';
    if (useStore) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
      const store = await MentionStore.open(dir, { encoderId: 'bench', detectorId: 'bench', dimension: dim });
      const perDoc = 20;
      let label0 = 0;
      for (let d = 0; label0 < n; d++) {
        const vectors = new Map<number, Float32Array>();
        const mentions: StoredMention[] = [];
        const count = Math.min(perDoc, n - label0);
        for (let j = 0; j < count; j++) {
          const label = store.allocateLabel();
          const start = 40 * j + Math.floor(rand() * 20);
          const text = mentionText();
          mentions.push({ label, start, end: start + text.length, range: { start: { line: 3 + j, character: start % 80 }, end: { line: 3 + j, character: (start % 80) + text.length } }, text });
          vectors.set(label, row(data, label0 + j));
        }
        label0 += count;
        const doc: StoredDocument = {
          path: `/home/user/notes/topic-${d % 97}/note-${d}.md`, contentHash: (d * 2654435761 >>> 0).toString(16).padStart(16, '0'),
          size: 4000 + d % 3000, mtimeMs: 1.7e12 + d,
          paragraphs: [0, 1, 2, 3].map((p) => ({ hash: `${d}-${p}-0123456789abcdef`, start: p * 200, end: p * 200 + 180, mentions: mentions.filter((_, j) => j % 4 === p) })),
        };
        store.putDocument(doc, vectors);
        if (d > 0 && d % 5000 === 0) process.stdout.write(`  ${label0.toLocaleString('en')} mentions, ${fmt((performance.now() - t) / 1000, 0)} s\r`);
      }
      const buildS = (performance.now() - t) / 1000;
      const journal = dirSize(dir);
      const tc = performance.now();
      await store.checkpoint();
      const ckS = (performance.now() - tc) / 1000;
      const size = dirSize(dir);
      const rss = rssPeak();
      await store.close();
      const to = performance.now();
      const reopened = await MentionStore.open(dir, { encoderId: 'bench', detectorId: 'bench', dimension: dim });
      const openS = (performance.now() - to) / 1000;
      target = reopened;
      const perM = 1e6 / n;
      storeLine = `| clustered | ${n.toLocaleString('en')} | ${fmt(buildS, 1)} s (${fmt(n / buildS, 0)}/s) | ${fmt(ckS, 1)} s / open ${fmt(openS, 1)} s | ${mb(size)} (${mb(size * perM)} per 1M; journal before checkpoint ${mb(journal)}) | ${mb(rss)} (before build ${mb(rssBefore)}) |`;
      builds.push(storeLine);
      console.log(`\n${storeLine}`);
      measure('clustered', target, data, n, queries, results);
      await reopened.close();
      rmSync(dir, { recursive: true, force: true });
    } else {
      const ix = VectorIndex.create(dim, { m, efConstruction: efc, initialCapacity: n });
      for (let i = 0; i < n; i++) ix.add(i, row(data, i));
      builds.push(`| clustered (index only) | ${n.toLocaleString('en')} | ${fmt((performance.now() - t) / 1000, 1)} s | – | – | ${mb(rssPeak())} |`);
      measure('clustered', ix, data, n, queries, results);
    }
  }
  console.log('\n| data | mentions | build (putDocument) | checkpoint / reopen | store on disk | peak RSS |\n|---|---|---|---|---|---|');
  for (const b of builds) console.log(b);
  console.log('');
  for (const r of results) console.log(r);
}

main().catch((e) => { console.error(e); process.exit(1); });
