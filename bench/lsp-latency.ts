// Language-server latency, through the real server process over stdio (like test/lsp):
//  (a) edit → searchable: one 1 MB Markdown file plus a few smaller ones; after the initial pass,
//      N times: rewrite one more paragraph on disk with a made-up river name (successive saves), send
//      workspace/didChangeWatchedFiles, and time until `ner/search` returns the new mention
//      (with --open: the file is open in the "editor" and each edit is a textDocument/didChange,
//      which the server debounces by 150 ms before re-indexing);
//  (b) search during indexing: a large workspace; while the initial pass runs, `ner/search` every
//      50 ms, timing each answer, plus the mention count reached and the indexing time.
//   npx tsx bench/lsp-latency.ts [--mb 25] [--files 250] [--edits 20] [--open] [--append]
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptArgs } from './args.ts';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from '../test/lsp/lspClient.ts';
import type { SearchResult } from '../server/src/protocol.ts';
import { buildCorpus } from './corpus.ts';

const { values } = scriptArgs({
  options: {
    mb: { type: 'string', default: '25' },
    edits: { type: 'string', default: '20' },
    files: { type: 'string', default: '250' },
    'index-limit-s': { type: 'string', default: '240' },
    append: { type: 'boolean', default: false },
    open: { type: 'boolean', default: false },
  },
}, import.meta.url);
const bigMb = Number(values.mb);
const edits = Number(values.edits);
const indexLimitMs = Number(values['index-limit-s']) * 1000;
const uri = (p: string) => pathToFileURL(p).href;
const log = (m: string): void => { process.stderr.write(`${m}\n`); };

function pct(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
const ms = (x: number) => `${x.toFixed(0)} ms`;

const root = mkdtempSync(join(tmpdir(), 'ner-lsp-bench-'));
const searchOf = (client: LspTestClient) => (query: string, limit = 50, scope?: string[]) =>
  client.connection.sendRequest<SearchResult>('ner/search', { query, limit, ...(scope ? { scope } : {}) });

// ------------------------------------------------------------------ (a) edit → searchable
const wsA = join(root, 'a');
const [bigFile] = buildCorpus(join(wsA, 'big'), 1e6, 1e6, 7);
buildCorpus(join(wsA, 'small'), 3e5, 1e5, 11);
log(`(a) workspace: 1 MB file ${(statSync(bigFile).size / 1e6).toFixed(2)} MB + 3 × 100 kB`);

const made = ['Zorvakia', 'Quelmora', 'Vantrelle', 'Oskarund', 'Brelvonia', 'Tazmeret', 'Wyndoral', 'Kelvashi', 'Mirrowen', 'Draxtolia',
  'Pelunara', 'Jostvenia', 'Carnevel', 'Ulbrathia', 'Sorvenna', 'Ylmarith', 'Gextovia', 'Fennoruk', 'Hallovine', 'Ruzmekka'];
const aLatencies: number[] = [];
const aPolls: number[] = [];
let aIndexMs = 0;
{
  const client = new LspTestClient();
  const search = searchOf(client);
  const t0 = performance.now();
  await client.start([wsA], { storagePath: join(root, 'storage-a') });
  await client.initialIndexing();
  aIndexMs = performance.now() - t0;
  log(`(a) initial pass ${ms(aIndexMs)}, ${client.statuses.at(-1)!.mentions} mentions`);
  const original = readFileSync(bigFile, 'utf8').split('\n\n');
  let version = 1;
  if (values.open) {
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(bigFile), languageId: 'markdown', version, text: original.join('\n\n') },
    });
    await new Promise((r) => setTimeout(r, 1000)); // the open is queued as a job: let it start
    await client.waitUntil('quiescence after opening', () => client.statuses.at(-1)!.quiescent, 30_000);
  }
  // Prose paragraphs only (not headings, lists or code), spread over the file.
  const prose = original.map((p, i) => [p, i] as const).filter(([p]) => /^[A-Z]/.test(p) && p.length > 200).map(([, i]) => i);
  for (let k = 0; k < edits; k++) {
    const name = `${made[k % made.length]}${k >= made.length ? k : ''}`;
    // Cumulative, like a person saving successive edits: each save differs from the previous one
    // in exactly one paragraph.
    const paras = original;
    const at = prose[Math.floor(((k + 0.5) / edits) * prose.length)];
    paras[at] = `Barges carry grain down the ${name} River to the sea. ${paras[at]}`;
    const tEdit = performance.now();
    if (values.open) {
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: uri(bigFile), version: ++version }, contentChanges: [{ text: paras.join('\n\n') }],
      });
    } else {
      writeFileSync(bigFile, paras.join('\n\n'));
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(bigFile), type: 2 }] });
    }
    let polls = 0;
    for (;;) {
      polls++;
      const res = await search(`${name} River`, 20, [uri(bigFile)]);
      if (res.hits.some((h) => h.text.includes(name))) break;
      if (performance.now() - tEdit > 30_000) throw new Error(`(a) ${name} River never became searchable`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const dt = performance.now() - tEdit;
    aLatencies.push(dt);
    aPolls.push(polls);
    log(`(a) edit ${k + 1}/${edits}: ${name} River searchable after ${ms(dt)} (${polls} searches)`);
    // Let the re-index finish before the next edit (so each edit is measured on its own).
    await client.waitUntil('quiescence', () => client.statuses.at(-1)!.quiescent, 30_000);
  }
  await client.dispose();
}

// ------------------------------------------------------------------ (b) search during indexing
const wsB = join(root, 'b');
const tBuild = performance.now();
const filesB = buildCorpus(wsB, bigMb * 1e6, Math.round((bigMb * 1e6) / Number(values.files)), 23);
const bytesB = filesB.reduce((s, f) => s + statSync(f).size, 0);
log(`(b) workspace: ${filesB.length} files, ${(bytesB / 1e6).toFixed(1)} MB (built in ${ms(performance.now() - tBuild)})`);
const bLatencies: number[] = [];
// Where in the pass the slowest searches happened (offset from server start), to tell a start-up
// wait from a stall in the middle of indexing.
const bSlowest: { ms: number; atMs: number; query: string }[] = [];
let bIndexMs = 0;
let bMentions = 0;
let bFiles = 0;
let bDone = false;
let bPartial = 0;
{
  const client = new LspTestClient();
  const search = searchOf(client);
  const t0 = performance.now();
  await client.start([wsB], { storagePath: join(root, 'storage-b') });
  const queries = ['river', 'person', 'city in Europe', 'football club', 'pharmaceutical drug', 'musical work'];
  let q = 0;
  const inflight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const t = performance.now();
    const query = queries[q++ % queries.length];
    const p = search(query).then((res) => {
      if (!bDone) {
        const dt = performance.now() - t;
        bLatencies.push(dt);
        bSlowest.push({ ms: dt, atMs: t - t0, query });
        if (res.partial) bPartial++;
      }
    }, (e) => log(`(b) search failed: ${(e as Error).message}`)).finally(() => { inflight.delete(p); });
    inflight.add(p);
  }, 50);
  let lastLog = 0;
  await Promise.race([
    client.waitUntil('initial indexing', () => {
      const s = client.statuses.at(-1);
      if (s && performance.now() - lastLog > 10_000) { lastLog = performance.now(); log(`(b) ${s.message}: ${s.mentions} mentions`); }
      return client.statuses.some((x) => x.quiescent);
    }, indexLimitMs + 60_000).catch(() => undefined),
    new Promise((r) => setTimeout(r, indexLimitMs).unref()),
  ]);
  clearInterval(timer);
  bIndexMs = performance.now() - t0;
  const last = client.statuses.at(-1)!;
  bDone = true;
  bMentions = last.mentions;
  bFiles = last.indexedFiles;
  const finished = client.statuses.some((x) => x.quiescent);
  await Promise.all(inflight);
  await client.dispose();
  for (const s of bSlowest.sort((x, y) => y.ms - x.ms).slice(0, 5)) {
    log(`(b) slow search: ${ms(s.ms)} for "${s.query}", sent ${ms(s.atMs)} after start`);
  }
  if (!finished) log(`(b) stopped after ${ms(bIndexMs)} (limit), ${bFiles}/${last.totalFiles} files`);
  bDone = finished;
}
rmSync(root, { recursive: true, force: true });

const table = [
  '| measurement | result |',
  '|---|---|',
  `| (a) 1 MB file + 3 × 100 kB: initial pass | ${(aIndexMs / 1000).toFixed(1)} s |`,
  `| (a) one-paragraph edit in the 1 MB file → \`ner/search\` finds it (${aLatencies.length} edits) | p50 **${ms(pct(aLatencies, 50))}**, p95 **${ms(pct(aLatencies, 95))}**, max ${ms(Math.max(...aLatencies))} (target p95 ≤ 300 ms) |`,
  `| (b) workspace | ${filesB.length} files, ${(bytesB / 1e6).toFixed(1)} MB |`,
  `| (b) initial indexing | ${bDone ? '' : 'stopped at the limit after '}${(bIndexMs / 1000).toFixed(1)} s, ${bFiles} files, **${bMentions} mentions** (${(bytesB / 1e6 / (bIndexMs / 1000)).toFixed(2)} MB/s) |`,
  `| (b) \`ner/search\` every 50 ms during indexing (${bLatencies.length} searches, ${bPartial} marked partial) | p50 **${ms(pct(bLatencies, 50))}**, p95 **${ms(pct(bLatencies, 95))}**, max ${ms(Math.max(...bLatencies))} (target p95 ≤ 50 ms) |`,
].join('\n');
console.log(table);
if (values.append) {
  const doc = new URL('../docs/benchmarks.md', import.meta.url).pathname;
  const date = new Date().toISOString().slice(0, 10);
  const heading = readFileSync(doc, 'utf8').includes('\n## Language server') ? '' : '\n## Language server\n';
  appendFileSync(doc, `${heading}\n### Latency over stdio — ${date}\n\n\`npx tsx bench/lsp-latency.ts --mb ${bigMb} --edits ${edits}\` (real server process over stdio, static encoder, 2 shared CPU cores)\n\n${table}\n`);
}
