// What a first-time user of the command line ran into (forty-first session's helper), through the
// real CLI: each case printed a stack trace, lost a line of the message, or did what --help did not say.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexedCopy, repoRoot, runCli } from './helpers.ts';

describe('CLI first use', () => {
  const notes = indexedCopy(join(repoRoot, 'examples/notes'));
  after(() => rmSync(notes.root, { recursive: true, force: true }));

  test('search piped into a reader that stops early (| head) ends quietly: no EPIPE stack trace', () => {
    const queries = join(notes.root, 'queries.txt');
    writeFileSync(queries, 'river\ncity\nperson\n'.repeat(200)); // far more output than a pipe holds
    const r = runCli(['search', '--queries', queries, '--store', notes.store, '--limit', '50'],
      { prefix: ['bash', '-c', 'set -o pipefail; "$@" | head -c 1 >/dev/null', 'pipeline'] });
    assert.doesNotMatch(r.stderr, /EPIPE|at .*\(node:/, r.stderr);
    assert.equal(r.status, 0, r.stderr);
  });

  test('every command\'s --help lists the options every command takes (-q, -v, --cache-dir), as the README says it does', () => {
    for (const command of [['index'], ['search'], ['watch'], ['eval'], ['embed'], ['train-head'], ['train-detector'], ['model', 'pull'], ['model', 'list'], ['model', 'rm']]) {
      const r = runCli([...command, '--help']);
      assert.equal(r.status, 0, r.stderr);
      for (const option of [/-q, --quiet/, /-v, --verbose/, /--cache-dir <dir>/]) assert.match(r.stdout, option, `${command.join(' ')} --help`);
    }
  });

  test('--queries - reads the queries from standard input, as a file of them is read', () => {
    const fromStdin = runCli(['search', '--queries', '-', '--store', notes.store, '--limit', '3', '--json'], { input: '# rivers first\nriver\r\n\ncity\n' });
    assert.equal(fromStdin.status, 0, fromStdin.stderr);
    const file = join(notes.root, 'two-queries.txt');
    writeFileSync(file, 'river\ncity\n');
    const fromFile = runCli(['search', '--queries', file, '--store', notes.store, '--limit', '3', '--json']);
    assert.equal(fromStdin.stdout, fromFile.stdout);
    assert.deepEqual([...new Set(fromStdin.stdout.trim().split('\n').map((l) => JSON.parse(l).query))], ['river', 'city']);
  });

  test('output that cannot be written (a full disk) is one error line, not a stack trace', { skip: !existsSync('/dev/full') && 'needs /dev/full' }, () => {
    const r = runCli(['search', 'river', '--store', notes.store], { prefix: ['bash', '-c', '"$@" > /dev/full', 'full'] });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'error: cannot write the output: ENOSPC: no space left on device, write\n');
  });

  test('--color always colours a pipe too: the path and the score, not only the mention', () => {
    const r = runCli(['search', 'river', '--store', notes.store, '--limit', '1', '--color', 'always']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\x1b\[36m.*travel-danube\.md:\d+:\d+\x1b\[39m  \x1b\[32m0\.\d{3}\x1b\[39m  .*\x1b\[33mDanube/, JSON.stringify(r.stdout));
    const plain = runCli(['search', 'river', '--store', notes.store, '--limit', '1']);
    assert.doesNotMatch(plain.stdout, /\x1b/, 'not a terminal, NO_COLOR: no colour');
  });

  test('a mistyped option or a missing argument: the error, then one line naming the command\'s help (not the whole help)', () => {
    for (const [args, error, help] of [
      [['search', 'river', '--limit', 'abc'], /^error: option '--limit <N>' argument 'abc' is invalid\. expected a positive integer$/, 'ner-retriever search --help'],
      [['index'], /^error: missing required argument 'path'$/, 'ner-retriever index --help'],
      [['model', 'rm'], /^error: missing required argument 'repo'$/, 'ner-retriever model rm --help'],
      [['--bogus'], /^error: unknown option '--bogus'$/, 'ner-retriever --help'],
    ] as const) {
      const r = runCli([...args]);
      assert.equal(r.status, 1, args.join(' '));
      const lines = r.stderr.trimEnd().split('\n');
      assert.match(lines[0], error);
      assert.deepEqual(lines.slice(1), [`hint: see \`${help}\``], r.stderr);
    }
  });

  test('--version prints the package\'s version', () => {
    const r = runCli(['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version}\n`);
  });

  test('search --store naming the indexed folder instead of its store says which store to name', () => {
    const ws = join(notes.root, 'indexed-here');
    mkdirSync(ws);
    writeFileSync(join(ws, 'a.md'), 'The Danube flows through Vienna.\n');
    assert.equal(runCli(['index', ws]).status, 0);
    const r = runCli(['search', 'river', '--store', ws]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `error: ${ws} is an indexed folder, not its store: search with --store ${join(ws, '.ner-retriever')} (or, inside the folder, without --store)\n`);
  });

  test('a --queries, --descriptions or eval file that is missing or a folder is named in one line; a --descriptions BOM is read past', () => {
    const missing = join(notes.root, 'missing.txt');
    const cases: Array<[string[], string]> = [
      [['search', '--queries', notes.root, '--store', notes.store], `error: --queries ${notes.root}: a folder, not a file\n`],
      [['search', '--queries', missing, '--store', notes.store], `error: --queries ${missing}: no such file\n`],
      [['eval', notes.root], `error: ${notes.root}: a folder, not a file\n`],
      [['eval', missing], `error: ${missing}: no such file\n`],
    ];
    for (const [args, stderr] of cases) {
      const r = runCli(args);
      assert.equal(r.status, 1, args.join(' '));
      assert.equal(r.stderr, stderr);
    }
    const conll = join(notes.root, 'a.conll');
    writeFileSync(conll, 'danube\tB-LOC\n\nvienna\tB-LOC\n');
    const descriptions = join(notes.root, 'types.json');
    writeFileSync(descriptions, '\uFEFF{"LOC": "river"}');
    const r = runCli(['eval', conll, '--descriptions', descriptions, '--no-spans']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\| LOC +\| river +\|/);
  });

  test('a --queries line that is not valid UTF-8 (Latin-1) is answered with a warning naming the line', () => {
    const queries = join(notes.root, 'latin1.txt');
    writeFileSync(queries, Buffer.concat([Buffer.from('river\n# caf'), Buffer.from([0xe9]), Buffer.from('\ncaf'), Buffer.from([0xe9, 0x0a]), Buffer.from('city\n')]));
    const r = runCli(['search', '--queries', queries, '--store', notes.store, '--json', '--limit', '1']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l).query).filter((q) => q !== 'caf\uFFFD'), ['river', 'city']);
    assert.deepEqual(r.stderr.match(/^warning: --queries .*/gm), [`warning: --queries ${queries}:3: not valid UTF-8, so its undecodable bytes are read as "\uFFFD" (save the file as UTF-8)`]);
  });

  test('an empty path (an unset shell variable) is refused, not read as the current folder', () => {
    const cwd = join(notes.root, 'cwd');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'a.md'), 'The Danube flows through Vienna.\n');
    for (const args of [['index', ''], ['watch', ''], ['index', cwd, '--store', ''], ['search', 'river', '--store', notes.store, '--in', '']]) {
      const r = runCli(args, { cwd });
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, /^error: .* '' is invalid.* an empty path \(an unset shell variable\?\); for the current folder give "\."\n/, r.stderr);
    }
    assert.deepEqual(readdirSync(cwd), ['a.md'], 'no store written in the current folder');
  });

  test('eval --types: a trailing comma names no type; an empty list is refused, not read as every type', () => {
    const conll = join(notes.root, 'types.conll');
    writeFileSync(conll, 'danube\tB-LOC\n\nmerkel\tB-PER\n');
    const trailing = runCli(['eval', conll, '--types', 'LOC,', '--no-spans', '--json']);
    assert.equal(trailing.status, 0, trailing.stderr);
    assert.deepEqual(Object.keys(JSON.parse(trailing.stdout).retrieval['static encoder'].perType), ['LOC']);
    const empty = runCli(['eval', conll, '--types', '', '--no-spans']);
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /^error: option '--types <list>' argument '' is invalid\. expected comma-separated type labels, e\.g\. LOC,PER\n/);
  });

  test('search with an unquoted query of several words says to quote it', () => {
    const r = runCli(['search', 'European', 'river', '--store', notes.store]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'error: a query of several words goes in quotes, e.g. ner-retriever search "European river" (got 2 arguments: "European" "river"); several queries: --queries <file>\n');
    assert.equal(r.stdout, '');
  });

  test('index of a folder with no file it takes (.docx, .html) says why nothing was indexed', () => {
    const ws = join(notes.root, 'office');
    mkdirSync(ws);
    writeFileSync(join(ws, 'report.docx'), 'The Danube flows through Vienna.');
    writeFileSync(join(ws, 'page.html'), '<p>The Danube flows through Vienna.</p>');
    const r = runCli(['index', ws, '--store', join(notes.root, 'office-store')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^warning: no file to index under .*office: the default --include takes \*\*\/\*\.\{md,markdown,mdx,txt,text,rst,org\}, and \.gitignore or --exclude may leave files out$/m);
    const chosen = runCli(['index', ws, '--store', join(notes.root, 'office-store'), '--include', '**/*.pdf']);
    assert.match(chosen.stderr, /^warning: no file to index under .*office: none matches --include \*\*\/\*\.pdf,/m);
    const html = runCli(['index', ws, '--store', join(notes.root, 'office-store'), '--include', '**/*.html']);
    assert.doesNotMatch(html.stderr, /no file to index/);
  });
});
