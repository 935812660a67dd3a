// The language server driven by Emacs's Eglot (batch mode, test/emacs/eglot-type-search.el): what
// `M-x xref-find-apropos RET type: European river` lists — Eglot sends it as workspace/symbol —
// and the hover over a mention. Skipped without `emacs` and Eglot (Debian: apt-get install
// emacs-nox elpa-eglot; .ci/run installs them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runEditor, runs } from './editorRun.ts';

const script = new URL('../emacs/eglot-type-search.el', import.meta.url).pathname;
const skip = runs('emacs', ['--batch', '-Q', '--eval',
  '(progn (add-to-list \'package-directory-list "/usr/share/emacs/site-lisp/elpa") (package-initialize) (require \'eglot))'])
  ? false : 'emacs with Eglot is not installed (apt-get install emacs-nox elpa-eglot)';

interface EmacsRun {
  error: string | null;
  statuses: number;
  symbols: Array<{ summary: string; file: string; line: number; column: number }>;
  hover: string | null;
}

test('Emacs Eglot: xref-find-apropos "type: European river" lists river mentions at their places; hover names the type', { skip, timeout: 120_000 }, () => {
  const { result, notes: ws } = runEditor<EmacsRun>('emacs', ['--batch', '-Q', '-l', script]);
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
