// The language server driven by Emacs's Eglot (batch mode, test/emacs/eglot-type-search.el): what
// `M-x xref-find-apropos RET type: European river` lists — Eglot sends it as workspace/symbol —
// and the hover over a mention. Skipped without `emacs` and Eglot (Debian: apt-get install
// emacs-nox elpa-eglot; .ci/run installs them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheDir } from '../../server/src/engine/encode/wordVectors.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const fixture = new URL('../fixtures/workspace', import.meta.url).pathname;
const script = new URL('../emacs/eglot-type-search.el', import.meta.url).pathname;
const serverEntry = new URL('../../server/src/lsp/server.ts', import.meta.url).pathname;
const tsxLoader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).pathname;
const eglot = spawnSync('emacs', ['--batch', '-Q', '--eval',
  '(progn (add-to-list \'package-directory-list "/usr/share/emacs/site-lisp/elpa") (package-initialize) (require \'eglot))'], { encoding: 'utf8' });
const skip = eglot.status === 0 ? false : 'emacs with Eglot is not installed (apt-get install emacs-nox elpa-eglot)';

interface EmacsRun {
  error: string | null;
  statuses: number;
  symbols: Array<{ summary: string; file: string; line: number; column: number }>;
  hover: string | null;
}

test('Emacs Eglot: xref-find-apropos "type: European river" lists river mentions at their places; hover names the type', { skip, timeout: 120_000 }, () => {
  const tmp = scratchDir('ner-emacs-');
  const ws = join(tmp, 'notes');
  cpSync(fixture, ws, { recursive: true });
  const out = join(tmp, 'out.json');
  const run = spawnSync('emacs', ['--batch', '-Q', '-l', script], {
    encoding: 'utf8', timeout: 110_000,
    env: {
      ...process.env, NER_ROOT: ws, NER_OUT: out, NER_STORAGE: join(tmp, 'storage'), NER_CACHE: defaultCacheDir(),
      NER_SERVER_CMD: [process.execPath, '--import', tsxLoader, serverEntry, '--stdio'].join('\t'),
    },
  });
  let result: EmacsRun;
  try {
    result = JSON.parse(readFileSync(out, 'utf8')) as EmacsRun;
  } catch {
    assert.fail(`emacs wrote no result (exit ${run.status}, signal ${run.signal}): ${run.stderr}${run.stdout}`);
  }
  assert.equal(result.error, null, String(result.error));
  assert.ok(result.statuses > 0, 'ner/status notifications reached Eglot');
  // Each xref is a 1-based line and a column in characters (Eglot converts the UTF-16 range; after
  // "🚢 " and "Gdańsk" too): read the word there.
  const lineOf = (s: EmacsRun['symbols'][number]) => readFileSync(s.file, 'utf8').split('\n')[s.line - 1];
  const wordAt = (s: EmacsRun['symbols'][number]) => /^[\p{L}-]+/u.exec([...lineOf(s)].slice(s.column).join(''))?.[0];
  assert.ok(result.symbols.length >= 3, JSON.stringify(result.symbols));
  const words = result.symbols.map(wordAt);
  assert.ok(words.every((w) => w), JSON.stringify(result.symbols.filter((s) => !wordAt(s))));
  assert.ok(words.slice(0, 4).every((w) => ['Danube', 'Rhine', 'Vistula'].includes(w!)), words.join(', '));
  assert.ok(result.symbols.every((s) => s.file.startsWith(ws)), 'files of the notes folder');
  const vistula = result.symbols.find((s) => wordAt(s) === 'Vistula');
  assert.deepEqual(vistula && [vistula.line, vistula.column], [22, 14], 'after "Gdańsk": a column in characters');
  assert.match(result.hover ?? '', /^Danube — \*\*(river|location)\*\* \d\.\d\d/);
});
