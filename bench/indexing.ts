// Indexing throughput of the static path, end to end, with a per-stage breakdown, plus the
// re-index time after a one-paragraph edit in a 1 MB file.
//   npx tsx bench/indexing.ts [--mb 50] [--keep] [--no-worker] [--verbatim] [--corpus DIR]
//   node bench/bundled.mjs indexing.ts [the same options]   (the shipped bundle's code: after npm run build)
// (--corpus DIR: index an existing folder instead of the built corpus, e.g. your own notes;
//  the one-paragraph edit is still measured on a built 1 MB file)
// (--no-worker: detection on the indexing thread, as before the span-detector worker;
//  --verbatim: the corpus of runs before 2026-11-22, which repeats the source sentences verbatim)
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptArgs } from './args.ts';
import { components, loadDefaultModels, openStore } from '../server/src/engine/engine.ts';
import { indexWorkspace } from '../server/src/engine/indexer.ts';
import { NodeFileSystemWorkspace } from '../server/src/engine/ingest/workspace.ts';
import { buildCorpus } from './corpus.ts';

const { values } = scriptArgs({ options: { mb: { type: 'string', default: '50' }, keep: { type: 'boolean', default: false }, 'no-worker': { type: 'boolean', default: false }, verbatim: { type: 'boolean', default: false }, corpus: { type: 'string' } } }, import.meta.url);
const totalMb = Number(values.mb);
const root = mkdtempSync(join(tmpdir(), 'ner-bench-'));
const corpusDir = values.corpus ?? join(root, 'corpus');
const storeDir = join(root, 'store');

let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);

const tBuild = performance.now();
const files = values.corpus ? await listedFiles(values.corpus) : buildCorpus(corpusDir, totalMb * 1e6, 100_000, 7, values.verbatim);
const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
console.error(`corpus: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - tBuild) / 1000).toFixed(1)} s`);

const tModels = performance.now();
const models = await loadDefaultModels();
const modelMs = performance.now() - tModels;
const worker = !values['no-worker'];
const store = await openStore(storeDir, models, { rebuild: true });
const c = components(models, store, { detectorWorker: worker });

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const report = await indexWorkspace(new NodeFileSystemWorkspace([corpusDir]), c, {
  progress: ({ done, total }) => { if (done % 50 === 0) process.stderr.write(`\r${done}/${total}`); },
});
const totalMs = performance.now() - t0;
// Every thread of the process (the worker's too): steadier than wall time when the machine is shared.
const cpu = process.cpuUsage(cpu0);
process.stderr.write('\n');
const mentions = store.mentionCount;
await store.close();
const storeBytes = dirBytes(storeDir);

// One-paragraph edit in a 1 MB file: rewrite one sentence in the middle, re-run index.
const editDir = join(root, 'edit');
const [big] = buildCorpus(editDir, 1e6, 1e6, 11);
const editStoreDir = join(root, 'edit-store');
let editStore = await openStore(editStoreDir, models, { rebuild: true });
await indexWorkspace(new NodeFileSystemWorkspace([editDir]), components(models, editStore));
await editStore.close();
const edits: number[] = [];
const reembedded: number[] = [];
for (let i = 0; i < 5; i++) {
  const text = readFileSync(big, 'utf8');
  const mid = text.indexOf('\n\n', Math.floor(text.length / 2)) + 2;
  writeFileSync(big, `${text.slice(0, mid)}Edit ${i}: the Rhine flows past Basel and Angela Merkel visited Siemens.\n\n${text.slice(mid)}`);
  const t = performance.now();
  editStore = await openStore(editStoreDir, models);
  const r = await indexWorkspace(new NodeFileSystemWorkspace([editDir]), components(models, editStore));
  await editStore.close();
  edits.push(performance.now() - t);
  // The new paragraph, and (the first time) those whose opening word the edit's lower-case words
  // show to be an ordinary one (ingest/positionalCapitals.ts).
  reembedded.push(r.paragraphsEmbedded);
}
clearInterval(sampler);

const s = totalMs / 1000;
const tm = report.timings;
const other = totalMs - tm.ingestMs - tm.detectMs - tm.encodeMs - tm.storeMs - (tm.recordsMs ?? 0);
const lines = [
  `### Indexing throughput (static encoder) — ${new Date().toISOString().slice(0, 10)}`,
  '',
  `Command: \`${process.env.NER_BENCH_COMMAND ?? 'npx tsx bench/indexing.ts'} ${values.corpus ? `--corpus ${values.corpus}` : `--mb ${totalMb}`}${worker ? '' : ' --no-worker'}\` on ${process.platform}/${process.arch}, ${(await import('node:os')).cpus().length} cores, Node ${process.version}.`,
  values.corpus ? `Corpus: ${files.length} files of ${values.corpus} (those \`index\` reads: Markdown and text), ${(bytes / 1e6).toFixed(1)} MB.` : `Corpus: ${files.length} Markdown files, ${(bytes / 1e6).toFixed(1)} MB, built by bench/corpus.ts from seeded random draws of shared MultiCoNER + WNUT-17 train sentences (3–7 per paragraph, with headings, lists and code blocks)${values.verbatim ? ', verbatim (sentences repeat)' : ', mentions swapped for random same-type mentions'}.`,
  '',
  '| measure | value |',
  '|---|---|',
  `| end-to-end time | ${s.toFixed(1)} s |`,
  `| throughput | **${(bytes / 1e6 / s).toFixed(2)} MB/s**, ${(mentions / s).toFixed(0)} mentions/s |`,
  `| mentions indexed | ${mentions} |`,
  `| CPU while indexing, all threads (user + system) | ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (${((cpu.user + cpu.system) / 1e3 / totalMs).toFixed(2)} cores busy on average) |`,
  tm.ingestOffThreadMs !== undefined
    ? `| stage: read + decode (indexing thread); Markdown + sentences (worker thread) | ${(tm.ingestMs / 1000).toFixed(1)} s; ${(tm.ingestOffThreadMs / 1000).toFixed(1)} s |`
    : `| stage: read + decode + Markdown + sentences | ${(tm.ingestMs / 1000).toFixed(1)} s |`,
  tm.detectOffThreadMs !== undefined
    ? `| stage: span detection (worker thread; waiting for it on the indexing thread) | ${((tm.detectOffThreadMs ?? 0) / 1000).toFixed(1)} s (${(tm.detectMs / 1000).toFixed(1)} s) |`
    : `| stage: span detection | ${(tm.detectMs / 1000).toFixed(1)} s |`,
  tm.encodeOffThreadMs !== undefined
    ? `| stage: encoding, features + ONNX head (worker thread; on the indexing thread, of the ${tm.batchesEncodedHere ?? 0} batches it encoded while the worker was behind, and waiting for the worker's) | ${(tm.encodeOffThreadMs / 1000).toFixed(1)} s (${(tm.encodeMs / 1000).toFixed(1)} s) |`
    : `| stage: encoding (features + ONNX head) | ${(tm.encodeMs / 1000).toFixed(1)} s |`,
  ...(tm.recordsMs !== undefined ? [`| stage: mention records (labels, ranges) for spans from the worker | ${(tm.recordsMs / 1000).toFixed(1)} s |`] : []),
  `| stage: store + HNSW insert + checkpoints | ${(tm.storeMs / 1000).toFixed(1)} s |`,
  `| other (listing, hashing, bookkeeping) | ${(other / 1000).toFixed(1)} s |`,
  `| model load (word vectors + head + tagger) | ${(modelMs / 1000).toFixed(1)} s |`,
  `| store size on disk | ${(storeBytes / 1e6).toFixed(1)} MB (${(storeBytes / Math.max(1, mentions) * 1e6 / 1e9).toFixed(2)} GB per million mentions) |`,
  `| peak RSS (whole process) | ${(peakRss / 1e6).toFixed(0)} MB |`,
  `| re-index after a one-paragraph edit in a 1 MB file (incl. store open/close), 5 runs | median ${median(edits).toFixed(0)} ms, max ${Math.max(...edits).toFixed(0)} ms; paragraphs re-embedded ${reembedded.join(', ')} |`,
  '',
];
console.log(lines.join('\n'));
if (process.env.BENCH_APPEND) appendFileSync(process.env.BENCH_APPEND, `${lines.join('\n')}\n`);
if (!values.keep) rmSync(root, { recursive: true, force: true });
else console.error(`kept ${root}`);

/** The files `index` reads in a folder: the workspace's own listing (globs, .gitignore, size limit). */
async function listedFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const f of new NodeFileSystemWorkspace([dir]).listFiles()) out.push(f.path);
  return out;
}
function median(xs: number[]): number { const a = [...xs].sort((x, y) => x - y); return a[Math.floor(a.length / 2)]; }
function dirBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) total += statSync(join(dir, name)).size;
  return total;
}
