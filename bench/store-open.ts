// How long opening a large mention store takes, writable (what `index`, `watch` and the language
// server do; keeps the vector hashes that let later copies share a node, parsed on the first
// insert) vs read-only (what `search` does; skips them). Builds a synthetic store first: N mentions with random vectors of a
// small dimension (fast to insert; the open cost of documents, aliases and hashes does not depend
// on it), one in `--copies` of them an exact copy of an earlier vector. `--store DIR` of an existing
// store (e.g. one kept by `bench/indexing.ts --keep`) opens that one instead, with its own identity.
// With `node --expose-gc` it also reports the heap a read-only open holds.
//   npx tsx bench/store-open.ts [--mentions 1000000] [--dim 8] [--copies 10] [--runs 3] [--store DIR]
//   node --expose-gc --import tsx bench/store-open.ts --store DIR
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptArgs } from './args.ts';
import { MentionStore, type StoredDocument } from '../server/src/engine/index/store.ts';
import { mulberry32 } from '../server/src/engine/random.ts';

const { values } = scriptArgs({
  options: {
    mentions: { type: 'string', default: '1000000' }, dim: { type: 'string', default: '8' },
    copies: { type: 'string', default: '10' }, runs: { type: 'string', default: '3' }, store: { type: 'string' },
  },
}, import.meta.url);
const n = Number(values.mentions);
const dim = Number(values.dim);
const copyEvery = Number(values.copies);
const dir = values.store ?? join(mkdtempSync(join(tmpdir(), 'ner-store-open-')), 'store');
// A kept store (`bench/indexing.ts --keep`) is opened with its own models' identity.
const kept = values.store && existsSync(join(dir, 'store.json'))
  ? (JSON.parse(readFileSync(join(dir, 'store.json'), 'utf8')) as { identity?: { encoderId: string; detectorId: string; dimension: number } }).identity
  : undefined;
const identity = kept ?? { encoderId: 'bench', detectorId: 'bench', dimension: dim };
const log = (m: string) => process.stderr.write(`${m}\n`);

if (!values.store || !readdirSync(dir).length) {
  const rand = mulberry32(5);
  const store = await MentionStore.open(dir, identity, { rebuild: true });
  const perDoc = 800; // ≈ a 100 kB note of the benchmark corpus
  const kept: Float32Array[] = [];
  const t = performance.now();
  for (let label = 0, d = 0; label < n; d++) {
    const doc: StoredDocument = { path: `/notes/note-${d}.md`, contentHash: `h${d}`, size: 1e5, mtimeMs: 0, paragraphs: [] };
    const vectors = new Map<number, Float32Array>();
    for (let p = 0; p < perDoc / 8 && label < n; p++) {
      const para = { hash: `p${d}-${p}`, start: p * 800, end: p * 800 + 700, mentions: [] as StoredDocument['paragraphs'][number]['mentions'] };
      for (let k = 0; k < 8 && label < n; k++, label++) {
        let v: Float32Array;
        if (copyEvery > 0 && label % copyEvery === copyEvery - 1 && kept.length) v = kept[Math.floor(rand() * kept.length)];
        else { v = Float32Array.from({ length: dim }, () => rand() - 0.5); if (kept.length < 10_000) kept.push(v); }
        vectors.set(label, v);
        para.mentions.push({ label, start: p * 800 + k * 80, end: p * 800 + k * 80 + 8, range: { start: { line: p, character: k * 80 }, end: { line: p, character: k * 80 + 8 } }, text: `Name ${label}` });
      }
      doc.paragraphs.push(para);
    }
    store.putDocument(doc, vectors);
    if (d % 100 === 0) log(`built ${label} mentions (${((performance.now() - t) / 1000).toFixed(0)} s)`);
  }
  await store.close();
  log(`built the store in ${((performance.now() - t) / 1000).toFixed(0)} s: ${dir}`);
}

const sizes = readdirSync(dir).map((f) => `${f} ${(statSync(join(dir, f)).size / 1e6).toFixed(1)} MB`).join(', ');
const times = { writable: [] as number[], readOnly: [] as number[] };
let counts = '';
for (let r = 0; r < Number(values.runs); r++) {
  for (const readOnly of [false, true]) {
    const t = performance.now();
    const store = await MentionStore.open(dir, identity, { readOnly });
    const ms = performance.now() - t;
    counts = `${store.mentionCount} mentions, ${store.vectorNodes} HNSW nodes`;
    await store.close();
    (readOnly ? times.readOnly : times.writable).push(ms);
  }
}
// Heap after a read-only open, everything else collected (`node --expose-gc` for a figure).
const gc = (globalThis as { gc?: () => void }).gc;
let heap = '';
if (gc) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const store = await MentionStore.open(dir, identity, { readOnly: true });
  gc();
  heap = `; heap held by a read-only open: ${((process.memoryUsage().heapUsed - before) / 1e6).toFixed(0)} MB`;
  await store.close();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`Store: ${counts}; files: ${sizes}${heap}\n`);
console.log('| open | median of ' + values.runs + ' | all runs |\n|---|---|---|');
console.log(`| writable (vector hashes kept unparsed until a first insert) | ${median(times.writable).toFixed(0)} ms | ${times.writable.map((x) => x.toFixed(0)).join(', ')} |`);
console.log(`| read-only (skips them) | ${median(times.readOnly).toFixed(0)} ms | ${times.readOnly.map((x) => x.toFixed(0)).join(', ')} |`);
if (!values.store) rmSync(dir, { recursive: true, force: true });
