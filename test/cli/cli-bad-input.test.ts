// Bad input through the real CLI: each gets a clear message and loses nothing else.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, runCli, searchJson } from './helpers.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const PROSE = 'The Danube flows through Vienna and Budapest. Angela Merkel met executives from Siemens in Munich.';

/** Size of the store's write-ahead journal: grows as each document is committed. */
function journalBytes(store: string): number {
  try {
    return readdirSync(store).filter((f) => /^journal-\d+\.ndjson$/.test(f)).reduce((n, f) => n + statSync(join(store, f)).size, 0);
  } catch { return 0; }
}

function tempDir(): string {
  return scratchDir('ner-bad-');
}

/** A scratch workspace `root/ws` holding these files, its store's path `root/store`, and with `indexed` that store built. */
function workspaceWith(files: Record<string, string>, options: { indexed?: boolean } = {}): { root: string; ws: string; store: string } {
  const root = tempDir();
  const ws = join(root, 'ws');
  mkdirSync(ws);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(ws, name), text);
  const store = join(root, 'store');
  if (options.indexed) assert.equal(runCli(['index', ws, '--store', store]).status, 0);
  return { root, ws, store };
}

describe('CLI bad input', () => {
  test('binary, invalid UTF-8, empty, oversized and unreadable files are skipped with a reason; good files are indexed', () => {
    const root = tempDir();
    const ws = join(root, 'ws');
    mkdirSync(ws);
    writeFileSync(join(ws, 'good.md'), `# Notes\n\n${PROSE}\n`);
    writeFileSync(join(ws, 'binary.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]));
    writeFileSync(join(ws, 'latin1.txt'), Buffer.from('Caf\xe9 in Z\xfcrich near the Rhine.', 'latin1'));
    writeFileSync(join(ws, 'empty.md'), '');
    writeFileSync(join(ws, 'huge.md'), `${PROSE}\n`.repeat(20_000)); // ~2 MB
    symlinkSync(join(ws, 'does-not-exist.md'), join(ws, 'dangling.md'));
    const locked = join(ws, 'locked.md');
    writeFileSync(locked, PROSE);
    chmodSync(locked, 0o000);
    const store = join(root, 'store');
    const r = runCli(['index', ws, '--store', store, '--max-file-size', '1']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Skipping .*binary\.md: binary file/);
    assert.match(r.stderr, /Skipping .*latin1\.txt: not valid UTF-8 text/);
    assert.match(r.stderr, /Skipping .*huge\.md: .*larger than 1(\.0)? MB/i);
    assert.equal(r.stderr.match(/latin1\.txt/g)?.length, 1, 'each skipped file is reported once');
    const quiet = runCli(['index', ws, '--store', join(root, 'quiet-store'), '--max-file-size', '1', '--quiet']);
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.match(quiet.stderr, /skipped .*latin1\.txt: not valid UTF-8 text/, '--quiet still names skipped files');
    assert.doesNotMatch(quiet.stderr, /Indexed \d+ of/);
    assert.match(r.stderr, /dangling\.md/);
    if (process.getuid?.() !== 0) assert.match(r.stderr, /locked\.md/);
    const hits = searchJson(store, 'river', 50);
    assert.ok(hits.some((h) => h.text === 'Danube' && h.path.endsWith('good.md')));
    assert.ok(!hits.some((h) => /binary|latin1|huge|empty/.test(h.path)));
  });

  test('a malformed .jsonl line is reported with its line number and the other lines are indexed', () => {
    const root = tempDir();
    const corpus = join(root, 'corpus.jsonl');
    writeFileSync(corpus, [
      JSON.stringify({ id: 'a', text: 'We sailed down the Danube to Vienna.', spans: [[19, 25], [29, 35]] }),
      '{"id": "b", "text": oops}',
      JSON.stringify({ id: 'c', text: 'Angela Merkel visited Siemens.', spans: [[0, 13], [22, 29]] }),
      JSON.stringify({ id: 'd', text: 'Bad span.', spans: [[5, 50]] }),
      JSON.stringify({ id: 'e', text: 'The Rhine rises in the Alps.' }),
    ].join('\n'));
    const store = join(root, 'store');
    const r = runCli(['index', corpus, '--store', store]);
    assert.equal(r.status, 2, 'exit code says some lines failed');
    assert.match(r.stderr, /corpus\.jsonl:2: invalid JSON/);
    assert.match(r.stderr, /corpus\.jsonl:4: "spans"\[0\] = \[5, 50\] is outside the text/);
    assert.equal(r.stderr.match(/corpus\.jsonl:\d+:/g)?.length, 2, `each malformed line is reported once: ${r.stderr}`);
    const hits = searchJson(store, 'river', 20);
    const byText = new Map(hits.map((h) => [`${h.docId}:${h.text}`, h]));
    // Given spans are exactly the mentions, ranges are 0-based positions inside the document's text.
    assert.deepEqual(byText.get('a:Danube')?.range, { start: { line: 0, character: 19 }, end: { line: 0, character: 25 } });
    assert.ok(byText.has('a:Vienna') && byText.has('c:Angela Merkel') && byText.has('c:Siemens'));
    assert.equal(byText.get('a:Danube')?.path, corpus);
    // Without spans, detection runs.
    assert.ok(byText.has('e:Rhine'), 'detected mention in a document without spans');
    assert.ok(![...byText.keys()].some((k) => k.startsWith('b:') || k.startsWith('d:')));
    // --in the corpus file keeps its documents' mentions (they lie "in" it, as corpus#id).
    const inCorpus = runCli(['search', 'river', '--store', store, '--json', '--in', corpus]);
    assert.equal(inCorpus.status, 0, inCorpus.stderr);
    assert.equal(inCorpus.stdout.trim().split('\n').length, hits.length);
    assert.doesNotMatch(inCorpus.stderr, /no indexed document/);
  });

  test('a corrupt store gives a clear error and --rebuild recovers; a foreign folder is never deleted', () => {
    const { root, ws, store } = workspaceWith({ 'a.md': PROSE }, { indexed: true });
    for (const f of readdirSync(store)) if (!f.endsWith('.lock')) writeFileSync(join(store, f), 'garbage \u0000 not a store');
    const s = runCli(['search', 'river', '--store', store]);
    assert.equal(s.status, 1);
    assert.match(s.stderr, /error: .*(corrupt|unreadable|damaged)/i);
    assert.match(s.stderr, /--rebuild/);
    const rebuilt = runCli(['index', ws, '--store', store, '--rebuild']);
    assert.equal(rebuilt.status, 0, rebuilt.stderr);
    assert.ok(searchJson(store, 'river').some((h) => h.text === 'Danube'));

    const foreign = join(root, 'my-documents');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'thesis.docx'), 'precious');
    const f = runCli(['index', ws, '--store', foreign, '--rebuild']);
    assert.equal(f.status, 1);
    assert.match(f.stderr, /not .*store|foreign/i);
    assert.match(f.stderr, /hint: .*choose another --store/);
    // search in that folder: the hint is not --rebuild, which would refuse it.
    const s2 = runCli(['search', 'river', '--store', foreign]);
    assert.equal(s2.status, 1);
    assert.match(s2.stderr, /is not a mention store .*thesis\.docx/);
    assert.match(s2.stderr, /hint: that folder is not a ner-retriever store; choose another --store/);
    assert.doesNotMatch(s2.stderr, /--rebuild/);
    assert.deepEqual(readdirSync(foreign), ['thesis.docx'], 'foreign files untouched');
  });

  test('a graph or vectors file damaged in place (same size) reads as corrupt, not as a crash on the first search', () => {
    const { ws, store } = workspaceWith({ 'a.md': PROSE }, { indexed: true });
    const graph = join(store, readdirSync(store).find((f) => /^index-\d+\.hnsw$/.test(f))!);
    const bytes = readFileSync(graph);
    bytes.fill(0x58, 100, 116); // what hnswlib would follow as links, uncheckedly
    writeFileSync(graph, bytes);
    for (const args of [['search', 'river', '--store', store], ['index', ws, '--store', store]]) {
      const r = runCli(args);
      assert.equal(r.signal, null, `${args[0]}: killed by ${r.signal}`);
      assert.equal(r.status, 1, r.stderr);
      // Named by the link check (a link out of range) or, past it, by the checksum.
      assert.match(r.stderr, /corrupt: .*index-\d+\.hnsw (is corrupt or not an HNSW index \(node \d+ links to node|does not match its checksum)/);
      assert.match(r.stderr, /--rebuild/);
    }
    assert.equal(runCli(['index', ws, '--store', store, '--rebuild']).status, 0);
    assert.ok(searchJson(store, 'river').some((h) => h.text === 'Danube'));
  });

  test('search without an index, empty query and unknown options fail clearly', () => {
    const root = tempDir();
    const r = runCli(['search', 'river', '--store', join(root, 'nothing')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no index at .*run `ner-retriever index/);
    const nowhere = runCli(['search', 'river'], { cwd: root });
    assert.equal(nowhere.status, 1);
    assert.match(nowhere.stderr, /no index at \.\/\.ner-retriever nor in a folder above: run `ner-retriever index/, 'the folders above were looked in too');
    const bad = runCli(['search', '--bogus']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /unknown option/);
    const missing = runCli(['index', join(root, 'missing-folder')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no such file or folder/);
  });

  test('control characters in a query or a file name are shown escaped in messages, never sent to the terminal', () => {
    const { ws, store } = workspaceWith({ 'a.md': PROSE, 'b\u001b[32mgreen\u0007.md': '\u0000\u0001binary' });
    const indexed = runCli(['index', ws, '--store', store]);
    assert.equal(indexed.status, 0, indexed.stderr);
    assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(indexed.stderr), JSON.stringify(indexed.stderr));
    assert.match(indexed.stderr, /Skipping .*b\\u001b\[32mgreen\\u0007\.md: binary file/);
    const r = runCli(['search', 'xq\u001b[31mzvw River\u0007s', '--store', store]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(r.stderr), JSON.stringify(r.stderr));
    assert.match(r.stderr, /"xq\\u001b\[31mzvw River\\u0007s": "31mzvw", "s" are not in the built-in encoder's vocabulary/);
    const refused = runCli(['search', '\u0001\u0007!', '--store', store]);
    assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(refused.stderr), JSON.stringify(refused.stderr));
    assert.match(refused.stderr, /"\\u0001\\u0007!" has no words/);
  });

  test('--store or --cache-dir naming a file is refused with a clear message; the file is untouched', () => {
    const { root, ws } = workspaceWith({ 'a.md': PROSE });
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'precious');
    const runs: Array<[string[], string]> = [
      [['search', 'river', '--store', file], '--store'],
      [['index', ws, '--store', file], '--store'],
      [['index', ws, '--store', join(root, 'store'), '--cache-dir', file], '--cache-dir'],
    ];
    for (const [args, option] of runs) {
      const r = runCli(args);
      assert.equal(r.status, 1, args.join(' '));
      assert.equal(r.stderr.trim(), `error: ${option} ${file} is a file, not a folder`);
    }
    // The environment's cache folder too, before a minute of converting word vectors into it.
    const env = runCli(['index', ws, '--store', join(root, 'store')], { env: { NER_RETRIEVER_CACHE: file } });
    assert.equal(env.status, 1);
    assert.equal(env.stderr.trim(), `error: NER_RETRIEVER_CACHE ${file} is a file, not a folder`);
    assert.equal(readFileSync(file, 'utf8'), 'precious');
  });

  test('--store or --cache-dir under /proc or /sys fails at once, naming the folder (Node\'s recursive mkdir hung on /proc)', { skip: process.platform !== 'linux' && 'needs /proc and /sys' }, () => {
    const { ws, store } = workspaceWith({ 'a.md': PROSE });
    const runs: Array<[string[], string]> = [
      [['index', ws, '--store', '/proc/ner-retriever-test/store'], '/proc/ner-retriever-test/store'],
      [['index', ws, '--store', store, '--cache-dir', '/proc/ner-retriever-test'], '/proc/ner-retriever-test'],
      [['index', ws, '--store', '/sys/ner-retriever-test'], '/sys/ner-retriever-test'],
      [['index', ws, '--store', store, '--cache-dir', '/sys/ner-retriever-test'], '/sys/ner-retriever-test'],
    ];
    for (const [args, dir] of runs) {
      const r = runCli(args, { timeout: 60_000 });
      assert.equal(r.signal, null, `${args.join(' ')} hung`);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^error: cannot create folder ${dir}: (/proc does not take new folders \\(ENOENT\\)|no permission to write in /sys \\((EPERM|EACCES)\\))$`, 'm'));
    }
    assert.ok(!existsSync(store), 'a cache folder that cannot be made fails before the store is made');
  });

  test('a new store on a read-only file system says it cannot be written there and why (was a bare ENOENT)', (t) => {
    const { root, ws } = workspaceWith({ 'a.md': PROSE });
    const readOnly = join(root, 'read-only');
    mkdirSync(readOnly);
    let prefix: string[] = [];
    if (process.getuid?.() === 0) {
      // Root writes through any mode bits: only a read-only mount, in a private mount namespace, blocks it.
      prefix = ['unshare', '--mount', 'sh', '-c', 'mount -t tmpfs -o ro tmpfs "$0" && exec "$@"', readOnly];
      if (spawnSync(prefix[0], [...prefix.slice(1), 'true']).status !== 0) return t.skip('running as root without unshare and mount: no read-only folder to try');
    } else {
      chmodSync(readOnly, 0o555);
    }
    const store = join(readOnly, 'store');
    const r = runCli(['index', ws, '--store', store], { prefix, timeout: 60_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^error: cannot create folder ${store}: (${readOnly} is on a read-only file system \\(EROFS\\)|no permission to write in ${readOnly} \\(EACCES\\))$`, 'm'));
    assert.match(r.stderr, /^hint: .*choose a writable --store/m);
  });

  test('a store locked by a live process says which, and how to tell whether that lock is stale', () => {
    const { ws, store } = workspaceWith({ 'a.md': PROSE });
    mkdirSync(store);
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(store, 'lock'), String(sleeper.pid)); // a bare pid: judged by the pid alone
      const r = runCli(['index', ws, '--store', store]);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`Mention store .* is in use by process ${sleeper.pid}; .*\`ps -p ${sleeper.pid} -o args\`.* delete .*store[/\\\\]lock`));
    } finally { sleeper.kill('SIGKILL'); }
  });

  test('a store held by another ner-retriever process (its lock records its start) names it, and offers search instead of deleting the lock', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
    const { ws, store } = workspaceWith({ 'a.md': PROSE });
    mkdirSync(store);
    // A stand-in for `ner-retriever watch`: a script named cli.mjs that writes its own lock record and waits.
    const script = join(tempDir(), 'cli.mjs');
    writeFileSync(script, `import { writeFileSync } from 'node:fs';\nimport { ownLockRecord } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, '..', '..', 'server', 'src', 'engine', 'processLock.ts')).href)};\nwriteFileSync(process.argv[3], ownLockRecord());\nsetTimeout(() => {}, 60000);\n`);
    const holder = spawn(process.execPath, ['--import', 'tsx', script, 'watch', join(store, 'lock')], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && !existsSync(join(store, 'lock')); i++) await new Promise((res) => setTimeout(res, 50));
      const r = runCli(['index', ws, '--store', store]);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`in use by \`ner-retriever watch\` \\(pid ${holder.pid}\\): wait for it or close it.*search\` works meanwhile`));
      assert.doesNotMatch(r.stderr, /delete/);
    } finally { holder.kill('SIGKILL'); }
  });

  test('--min-score that is not a number from -1 to 1 is refused before the store is opened', () => {
    const store = join(tempDir(), 'nothing');
    for (const value of ['0,9', 'abc', 'NaN', '', '0.8x', '2', '-2']) {
      const r = runCli(['search', 'river', '--store', store, '--min-score', value]);
      assert.equal(r.status, 1, `--min-score ${JSON.stringify(value)}`);
      assert.match(r.stderr, /--min-score <x>' argument .* is invalid\. expected a score from -1 to 1/, r.stderr);
    }
    const ok = runCli(['search', 'river', '--store', store, '--min-score', '-0.5']);
    assert.match(ok.stderr, /no index at/, 'a valid score gets as far as the store');
  });

  test('--layer and --head on a static store are refused, not ignored: index names the LLM encoder they need, search the store\'s encoder', () => {
    const { ws, store } = workspaceWith({ 'a.md': `${PROSE}\n` }, { indexed: true });
    const before = runCli(['search', 'river', '--store', store, '--json']).stdout;
    for (const option of [['--layer', '3'], ['--head', 'whitening']]) {
      const index = runCli(['index', ws, '--store', store, ...option]);
      assert.equal(index.status, 1, option.join(' '));
      assert.match(index.stderr, new RegExp(`${option[0]} applies to an LLM encoder.*--encoder llm:`));
      const search = runCli(['search', 'river', '--store', store, ...option]);
      assert.equal(search.status, 1, option.join(' '));
      assert.match(search.stderr, new RegExp(`was built with encoder static \\(.*not static ${option.join(' ')}`));
    }
    assert.equal(runCli(['search', 'river', '--store', store, '--json']).stdout, before, 'the store is untouched');
  });

  test('readable search output keeps one hit per line: a wrapped mention or a tab shows as a space, a newline in a path is escaped', () => {
    // Emoji around a name: 60 UTF-16 units from it each way lands inside a surrogate pair.
    const emoji = '🙂'.repeat(40);
    const { store } = workspaceWith({ 'a.txt': 'On the way home from our long summer trip we flew from New\r\nYork to visit friends, then took the slow train down to Los\nAngeles.\n', 'odd\nname.txt': 'We visited Paris\tand Rome.\n', 'e.txt': `${emoji} Lisbon and ${emoji}\n` }, { indexed: true });
    for (const extra of [[], ['--names']]) {
      const r = runCli(['search', 'city', '--store', store, '--color', 'never', ...extra]);
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      for (const l of lines) assert.match(l, /^\S.*:\d+:\d+  -?\d\.\d{3}  [^\t\r]*$/, `one hit per line: ${JSON.stringify(l)}`);
      assert.ok(lines.some((l) => l.includes('[New York]')) && lines.some((l) => l.includes('[Los Angeles]')), r.stdout);
      assert.ok(lines.some((l) => /odd\\nname\.txt:1:\d+ .*Paris and/.test(l)), r.stdout);
      assert.ok(lines.some((l) => l.includes('from [New York] to')) && lines.some((l) => l.includes('to [Los Angeles].')), `a wrapped mention keeps its context: ${r.stdout}`);
      const lisbon = lines.find((l) => l.includes('[Lisbon]'));
      assert.ok(lisbon && !lisbon.includes('\uFFFD') && lisbon.includes(`…${'🙂'.repeat(29)} [Lisbon] and ${'🙂'.repeat(27)}…`), `whole emoji: ${lisbon}`);
    }
    const json = searchJson(store, 'city');
    assert.ok(json.some((h) => h.text === 'New\r\nYork'), 'JSON keeps the text as it is in the file');
  });

  test('train-head and train-detector refuse bad numbers (and train-head unknown --hold-out types) before reading any data, writing nothing', () => {
    const root = tempDir();
    const out = join(root, 'head.onnx');
    // A shared folder without data: arguments that pass the checks stop there instead of training.
    const base = ['train-head', '--shared', root, '--out', out];
    const bad: Array<[string[], RegExp]> = [
      [['--epochs', 'abc'], /'--epochs <n>' argument 'abc' is invalid\. expected a positive integer/],
      [['--epochs', '-1'], /'--epochs <n>' argument '-1' is invalid/],
      [['--epochs', '0'], /'--epochs <n>' argument '0' is invalid/],
      [['--seed', 'x'], /'--seed <n>' argument 'x' is invalid\. expected an integer seed/],
      [['--max-sentences', '-3'], /'--max-sentences <n>' argument '-3' is invalid\. expected a positive integer/],
      [['--project', 'abc'], /'--project <n>' argument 'abc' is invalid/],
      [['--hold-out', 'Artist,NotAType'], /not a MultiCoNER type: NotAType \(the types are .*HumanSettlement.*\)/],
    ];
    for (const [args, message] of bad) {
      const r = runCli([...base, ...args]);
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /shared data not found/, 'refused before the data is looked for');
    }
    // train-detector's numbers, and an LLM head's widths, the same way.
    for (const [args, message] of [
      [['train-detector', '--shared', root, '--out', out, '--hidden', 'abc'], /'--hidden <n>' argument 'abc' is invalid/],
      [['train-detector', '--shared', root, '--out', out, '--wnut-repeat', '-1'], /'--wnut-repeat <n>' argument '-1' is invalid/],
      [[...base, '--encoder', 'llm:nowhere', '--dim', '0'], /'--dim <n>' argument '0' is invalid/],
    ] as Array<[string[], RegExp]>) {
      const r = runCli(args);
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, message);
    }
    const ok = runCli([...base, '--seed', '7', '--epochs', '2', '--max-sentences', '10', '--hold-out', 'Artist, HumanSettlement', '--project', '0']);
    assert.match(ok.stderr, /shared data not found/, 'valid arguments get as far as the data');
    assert.ok(!existsSync(out), 'no head written');
  });

  test('eval: bad --descriptions name the file and key; a file or type with nothing to evaluate is an error, not NaN', () => {
    const root = tempDir();
    const file = (name: string, content: string) => { writeFileSync(join(root, name), content); return join(root, name); };
    const conll = file('gold.conll', 'Peter\tB-PER\nBlackburn\tI-PER\nin\tO\nLondon\tB-LOC\n');
    const cases: Array<[string[], RegExp]> = [
      [['--descriptions', file('number.json', '{"LOC": 5}')], /--descriptions .*number\.json: the query for "LOC" must be non-empty text, not 5/],
      [['--descriptions', file('blank.json', '{"LOC": ""}')], /--descriptions .*blank\.json: the query for "LOC" must be non-empty text/],
      [['--descriptions', file('broken.json', '{"LOC": ')], /--descriptions .*broken\.json is not valid JSON/],
      [['--types', 'NOPE,LOC'], /gold\.conll: no sentence is labelled NOPE: nothing to evaluate .*LOC, PER/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['eval', conll, ...args]);
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '', 'no table of NaN');
    }
    const inputs: Array<[string, RegExp]> = [
      [file('empty.conll', ''), /no labelled sentences .*nothing to evaluate/],
      [file('notes.md', '# Trip\n\nWe flew to Paris with Anna.\n'), /notes\.md:1: "# Trip" is no CoNLL token line: its tag "Trip" is neither O nor B-/],
    ];
    for (const [input, message] of inputs) {
      const r = runCli(['eval', input]);
      assert.equal(r.status, 1, input);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });

  test('a missing or corrupt static-encoder file (head, hubness settings) fails with an error naming it; the store is kept', () => {
    const { root, ws, store } = workspaceWith({ 'notes.md': `${PROSE}\n` }, { indexed: true });
    const before = searchJson(store, 'river');
    assert.ok(before.some((h) => h.text === 'Danube'));
    const models = join(root, 'models');
    mkdirSync(join(models, 'static-head'), { recursive: true });
    const env = { NER_RETRIEVER_MODELS_DIR: models };
    let r = runCli(['search', 'river', '--store', store], { env });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /static encoder head not found at .*static-head[/\\]head\.onnx/);
    copyFileSync(join(repoRoot, 'models', 'static-head', 'head.onnx'), join(models, 'static-head', 'head.onnx'));
    r = runCli(['index', ws, '--store', store], { env });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /hubness settings not found at .*hubness\.json/);
    writeFileSync(join(models, 'static-head', 'hubness.json'), '{"bank": ["river"], "k": 4');
    r = runCli(['search', 'river', '--store', store], { env });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /hubness settings .*hubness\.json are not valid JSON/);
    assert.deepEqual(searchJson(store, 'river'), before, 'the store is untouched by the failed runs');
  });

  test('kill -9 mid-index leaves a store that opens; re-running index completes it without redoing finished files', async () => {
    const root = tempDir();
    const ws = join(root, 'ws');
    mkdirSync(ws);
    const names = ['Danube', 'Rhine', 'Elbe', 'Loire', 'Seine', 'Vistula', 'Oder', 'Tagus'];
    for (let i = 0; i < 400; i++) {
      const body = Array.from({ length: 30 }, (_, j) => `Day ${i}.${j}: we followed the ${names[(i + j) % names.length]} past Vienna with Marie Curie and engineers from Siemens.`).join('\n\n');
      writeFileSync(join(ws, `note-${String(i).padStart(3, '0')}.md`), `# Trip ${i}\n\n${body}\n`);
    }
    const store = join(root, 'store');
    const entry = new URL('../../server/src/cli/index.ts', import.meta.url).pathname;
    let killedAfterProgress = false;
    for (const extraMs of [0, 150, 400]) {
      const child = spawn(process.execPath, ['--import', 'tsx', entry, 'index', ws, '--store', store], { stdio: 'ignore' });
      const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
      // Kill once documents are being written (the journal has grown), at varying moments after.
      const startSize = journalBytes(store);
      const deadline = Date.now() + 60_000;
      while (child.exitCode === null && journalBytes(store) <= startSize && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
      await new Promise((res) => setTimeout(res, extraMs));
      if (child.exitCode === null) { child.kill('SIGKILL'); killedAfterProgress = true; }
      await exited;
      // The store opens (search works) after every kill.
      const s = runCli(['search', 'river', '--store', store, '--json', '--limit', '5']);
      assert.equal(s.status, 0, `store opens after kill -9: ${s.stderr}`);
    }
    assert.ok(killedAfterProgress, 'at least one run was killed mid-way');
    const resumed = runCli(['index', ws, '--store', store]);
    assert.equal(resumed.status, 0, resumed.stderr);
    const m = /Indexed (\d+) of (\d+) documents/.exec(resumed.stderr);
    assert.ok(m, resumed.stderr);
    assert.equal(Number(m[2]), 400);
    assert.ok(Number(m[1]) < 400, `files finished before the kills were kept (re-indexed ${m[1]} of 400)`);
    const again = runCli(['index', ws, '--store', store]);
    assert.match(again.stderr, /Indexed 0 of 400 documents/);
    // Every file's mentions are in the store: same count as a clean, uninterrupted index.
    const clean = join(root, 'clean-store');
    const full = runCli(['index', ws, '--store', clean]);
    const count = (s: string) => Number((/\((\d+) mentions in (\d+) documents\)/.exec(s) ?? [])[1]);
    assert.equal(count(again.stderr), count(full.stderr), `${again.stderr}\n${full.stderr}`);
    assert.ok(count(full.stderr) > 400 * 30);
  });
});
