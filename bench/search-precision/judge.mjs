// Judged precision of type queries on a corpus of real documentation (docs/search-quality.md).
//   node bench/search-precision/judge.mjs items RUN.jsonl… > items.tsv
//       the hits of one or more `search --queries … --json` runs that judgments.tsv lacks, shuffled
//       within each query so a judge cannot tell which run found them: id, query, key, context.
//   node bench/search-precision/judge.mjs add items.tsv labels.tsv
//       appends a judge's labels (lines "id<TAB>R|N[<TAB>reason]") for those items to judgments.tsv.
//   node bench/search-precision/judge.mjs score RUN.jsonl…
//       precision@k per query and its mean for each run (k: the run's hits per query); hits not
//       yet judged are counted and named.
// A hit is keyed by query, file name (not its folder) and range, so runs over copies of one corpus agree.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const here = dirname(new URL(import.meta.url).pathname);
const judgmentsPath = join(here, 'judgments.tsv');
const [command, ...args] = process.argv.slice(2);
const readRun = (f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const keyOf = (h) => [h.query, basename(h.path), `${h.range.start.line}:${h.range.start.character}-${h.range.end.line}:${h.range.end.character}`].join('\t');
const judgments = new Map(existsSync(judgmentsPath)
  ? readFileSync(judgmentsPath, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => { const f = l.split('\t'); return [f.slice(0, 3).join('\t'), f[3]]; })
  : []);

function context(h, files) {
  let lines = files.get(h.path);
  if (!lines) { lines = readFileSync(h.path, 'utf8').split(/\r?\n/); files.set(h.path, lines); }
  const line = lines[h.range.start.line] ?? '';
  const s = h.range.start.character;
  const e = h.range.end.line === h.range.start.line ? h.range.end.character : line.length;
  const previous = (lines[h.range.start.line - 1] ?? '').trim().slice(-80);
  return `${previous ? `${previous} ⏎ ` : ''}${line.slice(Math.max(0, s - 100), s)}[[${h.text}]]${line.slice(e, e + 80)}`.replace(/\s+/g, ' ');
}

if (command === 'items') {
  const files = new Map();
  const items = new Map();
  for (const h of args.flatMap(readRun)) {
    const key = keyOf(h);
    if (!judgments.has(key) && !items.has(key)) items.set(key, { query: h.query, key, context: context(h, files) });
  }
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const list = [...items.values()].map((x) => ({ ...x, r: random() })).sort((a, b) => a.query.localeCompare(b.query) || a.r - b.r);
  for (const [i, x] of list.entries()) process.stdout.write(`${i + 1}\t${x.query}\t${x.key.split('\t').slice(1).join('\t')}\t${x.context}\n`);
} else if (command === 'add') {
  const [itemsFile, labelsFile] = args;
  const items = new Map(readFileSync(itemsFile, 'utf8').split('\n').filter(Boolean).map((l) => { const f = l.split('\t'); return [f[0], f]; }));
  let added = 0;
  for (const l of readFileSync(labelsFile, 'utf8').split('\n').filter(Boolean)) {
    const [id, label, reason = ''] = l.split('\t');
    const item = items.get(id);
    if (!item || !/^[RN]$/.test(label)) throw new Error(`bad label line: ${l}`);
    appendFileSync(judgmentsPath, `${item.slice(1, 4).join('\t')}\t${label}\t${reason}\t${item[4]}\n`);
    added++;
  }
  console.log(`${added} judgments added to ${judgmentsPath}`);
} else if (command === 'score') {
  const runs = args.map(readRun);
  const queries = [...new Set(runs.flat().map((h) => h.query))];
  console.log(`| query | ${args.map((a) => basename(a)).join(' | ')} |`);
  console.log(`|---|${args.map(() => '---').join('|')}|`);
  const totals = runs.map(() => ({ relevant: 0, hits: 0, unjudged: 0 }));
  for (const q of queries) {
    const cells = runs.map((run, i) => {
      const hits = run.filter((h) => h.query === q);
      const relevant = hits.filter((h) => judgments.get(keyOf(h)) === 'R').length;
      const unjudged = hits.filter((h) => !judgments.has(keyOf(h))).length;
      Object.assign(totals[i], { relevant: totals[i].relevant + relevant, hits: totals[i].hits + hits.length, unjudged: totals[i].unjudged + unjudged });
      return `${relevant}/${hits.length}${unjudged ? ` (${unjudged} unjudged)` : ''}`;
    });
    console.log(`| ${q} | ${cells.join(' | ')} |`);
  }
  console.log(`| **mean precision** | ${totals.map((t) => `**${(t.relevant / t.hits).toFixed(3)}**${t.unjudged ? ` (${t.unjudged} unjudged)` : ''}`).join(' | ')} |`);
} else {
  console.error('usage: judge.mjs items RUN… | add ITEMS LABELS | score RUN…');
  process.exit(2);
}
