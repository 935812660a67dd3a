// Latency of the type queries a fresh process answers first (what `search --queries` and a newly
// started language server see), each query once: unlike repeated queries, a first call reads
// WordNet for candidate names not seen before and looks their mentions up for the first time.
// Each run is a new process, which loads the models, opens the store read-only (timed too) and
// answers 30 queries, 15 plain and 15 with a place or a century.
//   npx tsx bench/first-queries.ts --store DIR [--runs 3]
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { scriptArgs } from './args.ts';
import { loadModelsForStore, openStore } from '../server/src/engine/engine.ts';
import { searchMentions } from '../server/src/engine/query/search.ts';

const QUERIES = [
  'river', 'city', 'composer', 'country', 'person', 'company', 'painter', 'band', 'politician', 'athlete', 'film', 'song', 'university', 'disease', 'drug',
  'European river', 'Asian city', 'Italian city', 'German composer', 'French painter', 'rivers in Europe', 'cities in Japan', '19th-century composer',
  'American politician', 'British band', 'companies based in Japan', 'composers who lived in Vienna', 'North American river', 'Spanish city', '20th-century painter',
];

const { values } = scriptArgs({ options: { store: { type: 'string' }, runs: { type: 'string', default: '3' }, child: { type: 'boolean', default: false } } }, import.meta.url);
if (!values.store) throw new Error('--store DIR is required (a store kept by `npx tsx bench/indexing.ts --mb 120 --keep`)');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

if (values.child) {
  let t = performance.now();
  const models = await loadModelsForStore(values.store);
  const load = performance.now() - t;
  t = performance.now();
  const store = await openStore(values.store, models, { readOnly: true });
  const open = performance.now() - t;
  const times: number[] = [];
  for (const q of QUERIES) {
    t = performance.now();
    await searchMentions(q, models.encoder, store, { limit: 20 });
    times.push(performance.now() - t);
  }
  console.log(JSON.stringify({ mentions: store.mentionCount, load, open, times }));
  await store.close();
} else {
  const rows: string[] = [];
  let mentions = 0;
  for (let r = 0; r < Number(values.runs); r++) {
    const out = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--store', values.store, '--child'], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`run ${r + 1} failed: ${out.stderr}`);
    const res = JSON.parse(out.stdout.trim().split('\n').pop()!) as { mentions: number; load: number; open: number; times: number[] };
    mentions = res.mentions;
    rows.push(`| ${r + 1} | ${(res.load / 1000).toFixed(1)} s | ${(res.open / 1000).toFixed(1)} s | ${pct(res.times, 0.5).toFixed(1)} ms | ${pct(res.times, 0.95).toFixed(1)} ms | ${res.times[0].toFixed(0)} ms |`);
  }
  console.log(`Store: ${values.store}, ${mentions} mentions; ${QUERIES.length} queries once each per process.\n`);
  console.log('| run | model load | read-only open | first calls p50 | p95 | the first query |\n|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}
