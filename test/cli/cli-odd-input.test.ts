// Odd input a fuzzing session found mishandled (thirty-eighth session), through the real CLI: each
// case lost data, indexed what it should not, or failed with a raw error.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, searchJson } from './helpers.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const PROSE = 'Angela Merkel met Barack Obama in Paris.';

describe('CLI odd input', () => {
  test('a .jsonl corpus with a UTF-8 BOM indexes its first line; blank, malformed and repeated spans', () => {
    const root = scratchDir('ner-odd-');
    const corpus = join(root, 'c.jsonl');
    writeFileSync(corpus, '\uFEFF' + [
      JSON.stringify({ id: 'first', text: PROSE, spans: [[0, 13], [0, 13]] }),
      JSON.stringify({ id: 'blank', text: `   \n\t  ${PROSE}`, spans: [[0, 3]] }),
      JSON.stringify({ id: 'four', text: PROSE, spans: [[0, 6, 99]] }),
      JSON.stringify({ id: 'typed', text: PROSE, spans: [[18, 30, 'person']] }),
    ].join('\n') + '\n');
    const store = join(root, 'store');
    const r = runCli(['index', corpus, '--store', store]);
    assert.equal(r.status, 2, 'malformed lines make the exit code non-zero');
    assert.doesNotMatch(r.stderr, /c\.jsonl:1:/, 'the BOM is no part of the first line');
    assert.match(r.stderr, /c\.jsonl:2: "spans"\[0\] = \[0, 3\] covers only white space/);
    assert.match(r.stderr, /c\.jsonl:3: "spans"\[0\] must be \[start, end\]/);
    const hits = searchJson(store, 'person', 20);
    assert.deepEqual(hits.map((h) => `${h.docId}:${h.text}`).sort(), ['first:Angela Merkel', 'typed:Barack Obama'], 'a repeated span is one mention; a typed span is read for its offsets');
  });

  test('a folder link that holds the root is not followed (one to a folder beside it is); .gitignore applies to names starting with ".."', () => {
    const root = scratchDir('ner-odd-');
    const ws = join(root, 'notes');
    const beside = join(root, 'beside');
    const other = join(root, 'other');
    mkdirSync(ws); mkdirSync(beside); mkdirSync(other);
    writeFileSync(join(ws, 'a.md'), `${PROSE}\n`);
    writeFileSync(join(beside, 'b.md'), 'Olaf Scholz visited Lisbon.\n');
    writeFileSync(join(other, 'c.md'), 'Emmanuel Macron spoke in Lyon.\n');
    symlinkSync('..', join(ws, 'up'));
    symlinkSync(beside, join(ws, 'linked'));
    writeFileSync(join(ws, '..draft.md'), 'Justin Trudeau flew to Ottawa.\n');
    mkdirSync(join(ws, '..old'));
    writeFileSync(join(ws, '..old', 'd.md'), 'Jacinda Ardern lives in Wellington.\n');
    writeFileSync(join(ws, '.gitignore'), '..draft.md\n..old/\n');
    const store = join(root, 'store');
    const r = runCli(['index', ws, '--store', store]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Skipping .*up: a link to .*which holds the indexed folder/);
    const texts = searchJson(store, 'politician', 50).map((h) => h.text);
    assert.ok(texts.includes('Angela Merkel') && texts.includes('Olaf Scholz'), texts.join(', '));
    for (const absent of ['Emmanuel Macron', 'Justin Trudeau', 'Jacinda Ardern']) assert.ok(!texts.includes(absent), `${absent} (${texts.join(', ')})`);
  });

  test('a --store inside a folder whose path has glob characters is still left out of the index', () => {
    const root = scratchDir('ner-odd-');
    const ws = join(root, 'notes (x) [1]');
    mkdirSync(ws);
    writeFileSync(join(ws, 'a.md'), `${PROSE}\n`);
    const store = join(ws, 'st');
    for (let i = 0; i < 2; i++) assert.equal(runCli(['index', ws, '--store', store, '--include', '**/*']).status, 0);
    const hits = searchJson(store, 'person', 50);
    assert.deepEqual(hits.map((h) => h.path).filter((p) => p.startsWith(store)), [], 'no hit in the store\'s own files');
    assert.equal(hits.filter((h) => h.text === 'Angela Merkel').length, 1);
    assert.ok(readdirSync(store).length > 0);
  });

  test('previews decode as the index does (a BOM), query files split at any line end, eval names a malformed CoNLL line and reads BIOES', () => {
    const root = scratchDir('ner-odd-');
    const ws = join(root, 'ws');
    mkdirSync(ws);
    writeFileSync(join(ws, 'bom.md'), `\uFEFF${PROSE}\n`);
    const store = join(root, 'store');
    assert.equal(runCli(['index', ws, '--store', store]).status, 0);
    const text = runCli(['search', 'person', '--store', store, '--color', 'never', '--limit', '1']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /bom\.md:1:1 .*met Barack Obama/, 'the line around the hit is shown');
    const queries = join(root, 'q.txt');
    writeFileSync(queries, 'river\rperson\rcity');
    const many = runCli(['search', '--queries', queries, '--store', store, '--json', '--limit', '1']);
    assert.deepEqual([...new Set(many.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l).query))], ['river', 'person', 'city']);
    writeFileSync(queries, '# only a comment\n\n');
    assert.match(runCli(['search', '--queries', queries, '--store', store]).stderr, /q\.txt holds no query/);
    const conll = join(root, 'bad.conll');
    writeFileSync(conll, 'angela\tB-PER\nmerkel\n\nparis\tB-LOC\n');
    const bad = runCli(['eval', conll]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /bad\.conll:2: "merkel" has no tag/);
    const typed = join(root, 'types.conll');
    writeFileSync(typed, 'angela\tB-constructor\nmerkel\tE-constructor\nin\tO\nparis\tS-LOC\n\nberlin\tS-LOC\n');
    const ok = runCli(['eval', typed]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /\| constructor \| constructor \|/, 'a type named like an Object.prototype member');
    assert.match(ok.stdout, /\| LOC +\| location/);
  });
});

test('a full or read-only disk gets a hint on what is kept and what to do (the error itself is the system\'s)', async () => {
  const { systemErrorHint } = await import('../../server/src/cli/main.ts');
  const errno = (code: string, path?: string) => Object.assign(new Error(`${code}: failed`), { code, path });
  assert.match(systemErrorHint(errno('ENOSPC'))!, /disk is full\. Every document indexed before the failure is kept; free some space and re-run/);
  assert.match(systemErrorHint(errno('EROFS', '/mnt/ro/store/lock.tmp-1'))!, /^\/mnt\/ro\/store\/lock\.tmp-1 cannot be written there; choose a writable --store/);
  assert.equal(systemErrorHint(errno('ENOENT')), undefined);
  assert.equal(systemErrorHint(new Error('plain')), undefined);
});
