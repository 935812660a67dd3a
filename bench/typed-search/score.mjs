// Scores `search --json` hits on the typed notes set (bench/typed-search/README.md) against its gold
// mentions: per query, mention-level R-Precision, precision@10 and recall@100, exact (the hit's range
// is a gold mention's) and lenient (the hit overlaps one on its line). A doubtful gold mention is
// neutral: a hit on it is left out of the ranking, and it is not counted in R.
//   node bench/typed-search/score.mjs RUN.jsonl [--per-query] [--set DIR]
// (--set: another set laid out the same way, e.g. bench/typed-search/set2; default: this folder's)
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [runPath, ...flags] = process.argv.slice(2);
if (!runPath || runPath.startsWith('--')) { console.error('usage: node bench/typed-search/score.mjs RUN.jsonl [--per-query]'); process.exit(2); }
const perQuery = flags.includes('--per-query');
const setAt = flags.indexOf('--set');
const setDir = setAt >= 0 ? flags[setAt + 1] : here;
if (setAt >= 0 && !setDir) { console.error('--set needs a folder'); process.exit(2); }

const queries = readFileSync(join(setDir, 'queries.tsv'), 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t'));
const idOf = new Map(queries.map(([id, q]) => [q, id]));
const gold = new Map(queries.map(([id]) => [id, { sure: [], doubtful: [] }]));
for (const line of readFileSync(join(setDir, 'gold.jsonl'), 'utf8').split('\n').filter(Boolean)) {
  const g = JSON.parse(line);
  gold.get(g.query)[g.doubtful ? 'doubtful' : 'sure'].push(g);
}
const hitsOf = new Map(queries.map(([id]) => [id, []]));
for (const line of readFileSync(runPath, 'utf8').split('\n').filter(Boolean)) {
  const h = JSON.parse(line);
  const id = idOf.get(h.query);
  if (!id) throw new Error(`a hit for a query the set does not have: ${h.query}`);
  hitsOf.get(id).push(h);
}

const same = (h, g) => basename(h.path) === g.file && h.range.start.line === g.line && h.range.start.character === g.start && h.range.end.line === g.line && h.range.end.character === g.end;
const overlaps = (h, g) => basename(h.path) === g.file && h.range.start.line === g.line && h.range.start.character < g.end && g.start < h.range.end.character;

function score(id, match) {
  const { sure, doubtful } = gold.get(id);
  const hits = hitsOf.get(id).slice().sort((a, b) => b.score - a.score).filter((h) => !doubtful.some((g) => match(h, g)) || sure.some((g) => match(h, g)));
  const R = sure.length;
  // A gold mention is found once: a second hit on it (overlapping, lenient) counts as wrong.
  const found = new Set();
  const relevant = hits.map((h) => {
    const g = sure.find((x) => match(h, x) && !found.has(x));
    if (g) found.add(g);
    return g !== undefined;
  });
  const within = (k) => relevant.slice(0, k).filter(Boolean).length;
  return { R, rPrecision: within(R) / R, p10: within(10) / 10, recall100: within(100) / R, hits: hits.length };
}

const rows = [];
const sum = { exact: { rPrecision: 0, p10: 0, recall100: 0 }, lenient: { rPrecision: 0, p10: 0, recall100: 0 } };
for (const [id, q] of queries) {
  const e = score(id, same), l = score(id, overlaps);
  for (const k of Object.keys(sum.exact)) { sum.exact[k] += e[k]; sum.lenient[k] += l[k]; }
  rows.push(`| ${id} | ${q} | ${e.R} | ${e.rPrecision.toFixed(2)} | ${l.rPrecision.toFixed(2)} | ${e.p10.toFixed(1)} | ${l.p10.toFixed(1)} | ${e.recall100.toFixed(2)} | ${l.recall100.toFixed(2)} |`);
}
const n = queries.length, f = (x) => (x / n).toFixed(3);
if (perQuery) {
  console.log('| id | query | R | R-Prec exact | R-Prec lenient | P@10 exact | P@10 lenient | recall@100 exact | recall@100 lenient |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  console.log(rows.join('\n'));
}
console.log(`| **macro (${n} queries)** | R-Precision | P@10 | recall@100 |`);
console.log('|---|---:|---:|---:|');
console.log(`| exact | ${f(sum.exact.rPrecision)} | ${f(sum.exact.p10)} | ${f(sum.exact.recall100)} |`);
console.log(`| lenient (overlap) | ${f(sum.lenient.rPrecision)} | ${f(sum.lenient.p10)} | ${f(sum.lenient.recall100)} |`);
