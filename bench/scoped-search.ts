// Latency of a search kept to a few documents (the CLI's `search --in`, `ner/search` with a
// scope): the scope's mentions scored exactly (searchByVector), against the graph search widened
// fourfold until the scope holds the limit — how scoped searches ran before the exact scan.
// Scopes: single files of the store, drawn with a fixed seed among files with ≥ 5 mentions.
//   npx tsx bench/scoped-search.ts --store DIR [--files 20] [--query city]
import { performance } from 'node:perf_hooks';
import { scriptArgs } from './args.ts';
import { loadModelsForStore, openStore } from '../server/src/engine/engine.ts';
import { searchByVector } from '../server/src/engine/query/search.ts';
import { mulberry32, shuffleInPlace } from '../server/src/engine/random.ts';

const { values } = scriptArgs({ options: { store: { type: 'string' }, files: { type: 'string', default: '20' }, query: { type: 'string', default: 'city' } } }, import.meta.url);
if (!values.store) throw new Error('--store DIR is required (e.g. a store kept by `npx tsx bench/indexing.ts --corpus DIR --keep`)');
const models = await loadModelsForStore(values.store);
const store = await openStore(values.store, models, { readOnly: true });
const LIMIT = 20;
try {
  const query = await models.encoder.encodeQuery(values.query);
  const membership = models.encoder.typeMembership?.(values.query);
  const files = [...store.documents()].filter((d) => d.paragraphs.reduce((n, p) => n + p.mentions.length, 0) >= 5).map((d) => d.path);
  shuffleInPlace(files, mulberry32(7));
  const exact: number[] = [];
  const widened: number[] = [];
  for (const file of files.slice(0, Number(values.files))) {
    const scope = (p: string) => p === file;
    let t = performance.now();
    searchByVector(values.query, query, store, { limit: LIMIT, scope, membership });
    exact.push(performance.now() - t);
    t = performance.now();
    for (let k = 1024; ; k = Math.min(store.mentionCount, k * 4)) {
      const inScope = store.search(query, k).filter((r) => scope(store.mention(r.label)?.document.path ?? '')).length;
      if (inScope >= LIMIT || k >= store.mentionCount) break;
    }
    widened.push(performance.now() - t);
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(1);
  console.log(`${store.mentionCount} mentions, ${exact.length} single-file scopes, query "${values.query}", limit ${LIMIT}`);
  console.log(`exact scan of the scope:  p50 ${pct(exact, 0.5)} ms, p95 ${pct(exact, 0.95)} ms`);
  console.log(`graph search, widened:    p50 ${pct(widened, 0.5)} ms, p95 ${pct(widened, 0.95)} ms`);
} finally {
  await store.close();
}
