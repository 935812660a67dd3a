// The README's main job on the example notes shipped in the repo: index, then ask for a type.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexedCopy, repoRoot, runCli, searchJson } from './helpers.ts';

describe('README example: examples/notes', () => {
  let root: string;
  let store: string;
  // A copy, so a store left in the repository's examples folder is neither used nor touched.
  before(() => ({ root, store } = indexedCopy(join(repoRoot, 'examples/notes'), (p) => !p.includes('.ner-retriever'))));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('"pharmaceutical drug" finds the lower-case drug names, ahead of the drug companies', () => {
    const hits = searchJson(store, 'pharmaceutical drug', 20);
    const drugs = ['amoxicillin', 'ibuprofen', 'metformin', 'aspirin', 'penicillin'];
    for (const d of drugs) assert.ok(hits.some((h) => h.text === d), `${d} is a mention: ${hits.map((h) => h.text).join(', ')}`);
    const top = hits.slice(0, 5).map((h) => h.text);
    assert.ok(top.filter((t) => drugs.includes(t)).length >= 3, `top 5: ${top.join(', ')}`);
  });

  test('a query of unknown words gets a warning and no hits (exit 0); in a --queries file the other lines are answered', () => {
    const one = runCli(['search', 'xqzvw blorf', '--store', store, '--json']);
    assert.equal(one.status, 0, one.stderr);
    assert.equal(one.stdout, '');
    assert.match(one.stderr, /No word of "xqzvw blorf" is in the built-in encoder's English vocabulary/);
    const queries = join(root, 'queries.txt');
    writeFileSync(queries, 'European river\n!!!\nxqzvw\npharmaceutical drug\n');
    const many = runCli(['search', '--queries', queries, '--store', store, '--json', '--limit', '3']);
    assert.equal(many.status, 0, many.stderr);
    const answered = many.stdout.trim().split('\n').map((l) => JSON.parse(l).query);
    assert.deepEqual([...new Set(answered)], ['European river', 'pharmaceutical drug']);
    assert.match(many.stderr, /"!!!" has no words/);
    // A known word next to an unknown one is enough; the unknown one is named.
    const partial = runCli(['search', 'xqzvw river', '--store', store, '--json', '--limit', '3']);
    assert.equal(partial.status, 0);
    assert.equal(partial.stdout.trim().split('\n').length, 3);
    assert.match(partial.stderr, /"xqzvw" is not in the built-in encoder's vocabulary/);
  });

  test('a dataset label as the query ("PharmaceuticalDrug") is searched as its words, and says so', () => {
    const label = runCli(['search', 'PharmaceuticalDrug', '--store', store, '--json', '--limit', '5']);
    assert.equal(label.status, 0, label.stderr);
    assert.match(label.stderr, /"PharmaceuticalDrug" is searched as "pharmaceutical drug"/);
    const hits = label.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(hits.every((h) => h.query === 'PharmaceuticalDrug'), 'hits name the query as written');
    assert.deepEqual(hits.map((h) => [h.text, h.score]), searchJson(store, 'pharmaceutical drug', 5).map((h) => [h.text, h.score]));
  });

  test('a place or a century in the query is named on stderr; numerals are read as ordinal words', () => {
    const place = runCli(['search', 'European river', '--store', store, '--json', '--limit', '3']);
    assert.equal(place.status, 0, place.stderr);
    assert.match(place.stderr, /"European river": the names WordNet knows are kept to those in Europe/);
    const century = runCli(['search', '19th-century composer', '--store', store, '--json', '--limit', '3']);
    assert.match(century.stderr, /"19th-century composer" is searched as "nineteenth-century composer"/);
    assert.match(century.stderr, /kept to those active 1801–1900/);
    assert.doesNotMatch(century.stderr, /not in the built-in encoder's vocabulary/);
    assert.doesNotMatch(runCli(['search', 'river', '--store', store, '--json', '--limit', '3']).stderr, /kept to/);
  });

  test('"rivers in Europe" is about rivers, as "European river" is: the first eight hits are rivers', () => {
    const rivers = ['Danube', 'Vltava', 'Sava', 'Tagus', 'Vistula', 'Rhine', 'Loire', 'Thames', 'Douro', 'Inn', 'Ilz'];
    const top = searchJson(store, 'rivers in Europe', 8).map((h) => h.text);
    assert.ok(top.every((t) => rivers.includes(t)), `top 8: ${top.join(', ')}`);
  });

  test('"European river" puts a river first and finds every river of the notes', () => {
    const hits = searchJson(store, 'European river', 64);
    assert.ok(['Danube', 'Vltava', 'Sava', 'Tagus', 'Vistula', 'Rhine', 'Loire', 'Thames', 'Douro', 'Inn', 'Ilz'].includes(hits[0].text), `first: ${hits[0].text}`);
    for (const river of ['Danube', 'Vltava', 'Vistula', 'Tagus', 'Douro', 'Sava', 'Rhine', 'Loire', 'Thames']) {
      assert.ok(hits.some((h) => h.text === river), `${river} is a mention`);
    }
  });
});
