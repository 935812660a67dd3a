// How long writing a store's HNSW snapshot holds the event loop: VectorIndex.write (hnswlib-node
// writeIndex on a libuv thread, what checkpoint() uses) against writeIndexSync (what it used
// before). A 5 ms timer measures the longest gap between its ticks while each write runs.
//   npx tsx bench/indexing.ts --mb 50 --keep          (prints "kept DIR"; the store is DIR/store)
//   npx tsx bench/snapshot-write.ts --store DIR/store [--dim 228]
import { closeSync, fsyncSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptArgs } from './args.ts';
import hnswlib from 'hnswlib-node';
import { VectorIndex } from '../server/src/engine/index/vectorIndex.ts';

const { values } = scriptArgs({ options: { store: { type: 'string' }, dim: { type: 'string', default: '228' } } }, import.meta.url);
if (!values.store) { console.error('usage: npx tsx bench/snapshot-write.ts --store DIR [--dim 228]'); process.exit(2); }
const dim = Number(values.dim);
const file = readdirSync(values.store).filter((n) => /^index-\d+\.hnsw$/.test(n)).sort().at(-1);
if (!file) { console.error(`no index-<gen>.hnsw in ${values.store}`); process.exit(2); }
const path = join(values.store, file);
const out = join(tmpdir(), `snapshot-bench-${process.pid}.hnsw`);

/** Runs `work` while a 5 ms timer ticks; returns its wall time and the longest gap between ticks. */
async function measure(work: () => Promise<void> | void): Promise<{ ms: number; maxGapMs: number }> {
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => { const now = performance.now(); maxGap = Math.max(maxGap, now - last); last = now; }, 5);
  const t = performance.now();
  await work();
  const ms = performance.now() - t;
  await new Promise((r) => setTimeout(r, 10)); // one more tick closes the last gap
  clearInterval(timer);
  return { ms, maxGapMs: Math.max(maxGap, performance.now() - last) };
}

const index = VectorIndex.read(path, dim);
const native = new (hnswlib as unknown as { HierarchicalNSW: new (s: string, d: number) => { readIndexSync(p: string): void; writeIndexSync(p: string): void } }).HierarchicalNSW('cosine', dim);
native.readIndexSync(path);
const rows: string[] = [];
const runAsync = async () => {
  rmSync(out, { force: true });
  const r = await measure(() => index.write(out));
  rows.push(`| VectorIndex.write: writeIndex + fsync on libuv threads, rename (now) | ${r.ms.toFixed(0)} ms | ${r.maxGapMs.toFixed(0)} ms |`);
};
const runSync = async () => {
  rmSync(out, { force: true });
  const r = await measure(() => {
    native.writeIndexSync(out);
    const fd = openSync(out, 'r+');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  });
  rows.push(`| writeIndexSync + fsyncSync (before) | ${r.ms.toFixed(0)} ms | ${r.maxGapMs.toFixed(0)} ms |`);
};
// Alternating order, a fresh file each time (the page cache and write-back favour whichever runs second).
for (const run of [runAsync, runSync, runSync, runAsync, runAsync, runSync]) await run();
console.log(`Snapshot of ${index.size} vectors (d = ${dim}, ${(statSync(out).size / 1e6).toFixed(0)} MB):\n`);
console.log('| write | wall time | longest event-loop gap |\n|---|---|---|');
console.log(rows.join('\n'));
rmSync(out, { force: true });
