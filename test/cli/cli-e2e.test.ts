// End-to-end: the real CLI process on a fixture folder with Markdown (code blocks, front matter,
// HTML, links, non-ASCII text, a CRLF file), on the built-in static encoder.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { scratchDir } from '../helpers/scratchDir.ts';
import { join, relative } from 'node:path';
import { indexedCopy, repoRoot, runCli, searchJson, type JsonHit } from './helpers.ts';

const fixture = new URL('../fixtures/workspace', import.meta.url).pathname;

/** The text a 0-based LSP range covers in a file (lines split on CRLF, LF or CR). */
function textAt(path: string, hit: JsonHit): string {
  const lines = readFileSync(path, 'utf8').split(/\r\n|\n|\r/);
  const { start, end } = hit.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join('\n');
}

describe('CLI end to end on a fixture workspace', () => {
  let root: string;
  let store: string;
  before(() => ({ root, store } = indexedCopy(fixture)));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('every hit range covers exactly the mention text in its file; hits sorted by score', () => {
    const hits = searchJson(store, 'river', 200);
    assert.ok(hits.length > 10, `expected many mentions, got ${hits.length}`);
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score, 'sorted by descending score');
    for (const h of hits) {
      assert.equal(h.query, 'river');
      assert.equal(textAt(h.path, h), h.text, `range of "${h.text}" in ${h.path}`);
    }
  });

  test('exact LSP ranges: UTF-16 after an emoji, non-ASCII names, CRLF lines', () => {
    const hits = searchJson(store, 'river', 200);
    const at = (file: string, text: string) => hits.filter((h) => h.path.endsWith(file) && h.text === text);
    // rivers.md line 8 is "🚢 Rhine cruises leave from Zürich and Cologne. …": the emoji is 2 UTF-16 units.
    const rhine = at('rivers.md', 'Rhine').find((h) => h.range.start.line === 8);
    assert.deepEqual(rhine?.range, { start: { line: 8, character: 3 }, end: { line: 8, character: 8 } });
    const zurich = at('rivers.md', 'Zürich')[0];
    assert.deepEqual(zurich?.range, { start: { line: 8, character: 28 }, end: { line: 8, character: 34 } });
    // "In Gdańsk the Vistula meets the Baltic." (line 21, after the non-ASCII "ń").
    const vistula = at('rivers.md', 'Vistula')[0];
    assert.deepEqual(vistula?.range, { start: { line: 21, character: 14 }, end: { line: 21, character: 21 } });
    // people.md has CRLF line endings: "- Angela Merkel led Germany…" is line 4, after "- ".
    const merkel = at('people.md', 'Angela Merkel').find((h) => h.range.start.line === 4);
    assert.deepEqual(merkel?.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 15 } });
  });

  test('code blocks, front matter, HTML, link targets, .gitignore and excluded folders are not indexed', () => {
    const hits = searchJson(store, 'river', 500);
    const files = new Set(hits.map((h) => h.path.slice(join(root, 'ws').length + 1)));
    assert.ok(!files.has('ignored.md'), 'file ignored by .gitignore');
    assert.ok(![...files].some((f) => f.startsWith('node_modules/') || f.startsWith('build/')), 'default excludes');
    const rivers = hits.filter((h) => h.path.endsWith('rivers.md'));
    for (const h of rivers) {
      assert.ok(h.range.start.line > 3, `front matter (lines 0-3) not indexed: ${h.text}@${h.range.start.line}`);
      assert.ok(!['Thames', 'Volga', 'Siemens', 'Mississippi', 'Microsoft', 'Toyota'].some((w) => h.text.includes(w)), `code/HTML not indexed: ${h.text}`);
    }
    // Link text is prose (line 8 "[the Danube in Vienna](https://example.com/Danube …)"), its target is not.
    const line8 = readFileSync(join(root, 'ws', 'rivers.md'), 'utf8').split('\n')[8];
    const targetStart = line8.indexOf('(https://');
    assert.ok(rivers.some((h) => h.range.start.line === 8 && h.text === 'Danube' && h.range.start.character < targetStart), 'Danube in link text');
    assert.ok(!rivers.some((h) => h.range.start.line === 8 && h.range.start.character > targetStart && h.range.start.character < line8.indexOf(')', targetStart)), 'nothing inside the link target');
  });

  test('query "river" ranks river mentions above people and companies', () => {
    const hits = searchJson(store, 'river', 500);
    const rivers = ['Rhine', 'Danube', 'Vistula', 'Thames'];
    const others = ['Marie Curie', 'Angela Merkel', 'Albert Einstein', 'Siemens', 'Microsoft', 'Samsung', 'Sony', 'Bill Gates'];
    const riverHits = hits.filter((h) => rivers.includes(h.text));
    const otherHits = hits.filter((h) => others.includes(h.text));
    assert.ok(riverHits.length >= 4, `river mentions found: ${riverHits.length}`);
    assert.ok(otherHits.length >= 4, `person/company mentions found: ${otherHits.length}`);
    // Pairwise: a river outscores a person or company in (nearly) every pair. A sentence such as
    // "Turner painted the river often" may lift a person a little, so allow a few inversions.
    let correct = 0;
    for (const r of riverHits) for (const o of otherHits) if (r.score > o.score) correct++;
    const accuracy = correct / (riverHits.length * otherHits.length);
    assert.ok(accuracy >= 0.9, `pairwise ranking accuracy ${accuracy.toFixed(3)}`);
    const best = hits.find((h) => rivers.includes(h.text) || others.includes(h.text));
    assert.ok(best && rivers.includes(best.text), `best of these is a river: ${best?.text}`);
    const mean = riverHits.reduce((s, h) => s + h.score, 0) / riverHits.length;
    assert.ok(otherHits.every((o) => o.score < mean), 'no person or company above the mean river score');
  });

  test('--queries answers several queries in one process, skipping # comments; readable output without --json', () => {
    const qfile = join(root, 'queries.txt');
    writeFileSync(qfile, '# types to try\nriver\ncompany\n\n  # later: drug\n');
    const r = runCli(['search', '--queries', qfile, '--store', store, '--json', '--limit', '3']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as JsonHit);
    assert.deepEqual([...new Set(lines.map((l) => l.query))], ['river', 'company'], 'blank and # comment lines are no queries');
    assert.equal(lines.length, 6);
    const plain = runCli(['search', 'river', '--store', store, '--limit', '2']);
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /rivers\.md:\d+:\d+\s+0\.\d{3}\s+.*\[(Rhine|Danube|Vistula)\]/);
    assert.doesNotMatch(plain.stdout, /\x1b\[/, 'no colour when stdout is not a TTY');
  });

  test('--in: only hits in that file or under that folder, all of them; a path with nothing indexed is named', () => {
    const all = searchJson(store, 'river', 5000);
    const inFile = (file: string) => all.filter((h) => h.path === file);
    const rivers = join(root, 'ws', 'rivers.md');
    const r = runCli(['search', 'river', '--store', store, '--json', '--limit', '500', '--in', rivers]);
    assert.equal(r.status, 0, r.stderr);
    const hits = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as JsonHit);
    assert.ok(hits.length > 3);
    assert.deepEqual(hits.map((h) => `${h.range.start.line}:${h.range.start.character}`).sort(), inFile(rivers).map((h) => `${h.range.start.line}:${h.range.start.character}`).sort(), 'every mention of the file');
    // A folder (relative to the working directory, as a user types it), and two paths at once.
    const travel = join(root, 'ws', 'travel');
    const folder = runCli(['search', 'river', '--store', store, '--json', '--limit', '500', '--in', relative(repoRoot, travel), '--in', rivers]);
    const paths = new Set(folder.stdout.trim().split('\n').map((l) => (JSON.parse(l) as JsonHit).path));
    assert.deepEqual([...paths].sort(), [rivers, join(travel, 'london.md')].sort());
    const nowhere = runCli(['search', 'river', '--store', store, '--json', '--in', join(root, 'no-such-folder')]);
    assert.equal(nowhere.status, 0, nowhere.stderr);
    assert.equal(nowhere.stdout.trim(), '');
    assert.match(nowhere.stderr, /--in .*no-such-folder: no indexed document there/);
  });

  test('--names: one line per name, best first, with its mentions and files; the same best mentions as the hits', () => {
    const all = searchJson(store, 'river', 5000);
    const r = runCli(['search', 'river', '--store', store, '--json', '--names', '--limit', '5']);
    assert.equal(r.status, 0, r.stderr);
    const names = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as JsonHit & { mentions: number; documents: number });
    assert.equal(names.length, 5);
    const keys = names.map((n) => n.text.toLowerCase());
    assert.equal(new Set(keys).size, 5, 'each name once');
    for (const n of names) {
      const same = all.filter((h) => h.text.toLowerCase() === n.text.toLowerCase());
      assert.equal(n.mentions, same.length, `${n.text}: every mention counted`);
      assert.equal(n.documents, new Set(same.map((h) => h.path)).size, `${n.text}: files`);
      assert.equal(n.score, Math.max(...same.map((h) => h.score)), `${n.text}: its best mention`);
      assert.ok(same.some((h) => h.path === n.path && h.range.start.line === n.range.start.line && h.range.start.character === n.range.start.character));
    }
    // Best first, and the first names are those of the best hits.
    assert.deepEqual(names.map((n) => n.score), [...names.map((n) => n.score)].sort((a, b) => b - a));
    const firstNames = [...new Set(all.map((h) => h.text.toLowerCase()))].slice(0, 5);
    assert.deepEqual(keys, firstNames);
    assert.ok(names.filter((n) => ['rhine', 'danube', 'vistula', 'thames'].includes(n.text.toLowerCase())).length >= 3, keys.join());
    const plain = runCli(['search', 'river', '--store', store, '--names', '--limit', '3']);
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /\[(Rhine|Danube|Vistula|Thames)\].*\(\d+ mentions? in \d+ files?\)/);
  });

  test('re-running index after editing one file re-embeds only what changed', () => {
    const before = runCli(['index', join(root, 'ws'), '--store', store]);
    assert.match(before.stderr, /Indexed 0 of \d+ documents/);
    const london = join(root, 'ws', 'travel', 'london.md');
    writeFileSync(london, readFileSync(london, 'utf8').replace('Thames', 'Seine') + '\nThe Loire is the longest river in France.\n');
    const r = runCli(['index', join(root, 'ws'), '--store', store]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Indexed 1 of \d+ documents/);
    const hits = searchJson(store, 'river', 500).filter((h) => h.path === london);
    assert.ok(hits.some((h) => h.text === 'Loire'), 'new mention found');
    assert.ok(hits.some((h) => h.text === 'Seine'), 'edited mention found');
    assert.ok(!hits.some((h) => h.text === 'Thames'), 'removed mention gone');
    for (const h of hits) assert.equal(textAt(london, h), h.text);
  });
});

test('a notes folder moved or copied with its default store: hits name the new place only, and nothing is embedded again', () => {
  const root = scratchDir('ner-cli-moved-');
  const notes = join(root, 'notes');
  mkdirSync(notes);
  writeFileSync(join(notes, 'a.md'), 'The Danube flows through Vienna.\n');
  writeFileSync(join(notes, 'b.md'), 'The Rhine flows through Basel.\n');
  assert.equal(runCli(['index', notes]).status, 0);
  const places = (store: string) => searchJson(store, 'river').map((h) => `${relative(root, h.path)}:${h.text}`).sort();
  const before = places(join(notes, '.ner-retriever'));
  assert.ok(before.includes('notes/a.md:Danube'), before.join());

  const moved = join(root, 'notes2');
  renameSync(notes, moved);
  const renamed = before.map((p) => p.replace(/^notes\//, 'notes2/'));
  assert.deepEqual(places(join(moved, '.ner-retriever')), renamed, 'searched before any index: no hit under the folder that is gone');
  const again = runCli(['index', moved]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /Indexed 0 of 2 documents/);
  assert.deepEqual(places(join(moved, '.ner-retriever')), renamed);

  // A copy: each folder's store names its own files.
  const copy = join(root, 'notes3');
  cpSync(moved, copy, { recursive: true, preserveTimestamps: true });
  assert.match(runCli(['index', copy]).stderr, /Indexed 0 of 2 documents/);
  assert.deepEqual(places(join(copy, '.ner-retriever')), before.map((p) => p.replace(/^notes\//, 'notes3/')));
  assert.deepEqual(places(join(moved, '.ner-retriever')), renamed);

  // A store moved on its own keeps the paths of the files it indexed.
  renameSync(join(copy, '.ner-retriever'), join(root, 'store-alone'));
  assert.deepEqual(places(join(root, 'store-alone')), before.map((p) => p.replace(/^notes\//, 'notes3/')));
});
