// The language server driven by another client than VS Code's: Neovim's built-in LSP client,
// headless (test/neovim/type-search.lua), as the README's Neovim lines use it — a type search
// into the quickfix list through workspace/symbol, and a hover. Skipped without `nvim` on PATH
// (Debian: apt-get install neovim; .ci/run installs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEditor, runs } from './editorRun.ts';

const script = new URL('../neovim/type-search.lua', import.meta.url).pathname;
const skip = runs('nvim', ['--version']) ? false : 'nvim is not installed (apt-get install neovim)';

interface NeovimRun {
  error: string | null;
  statuses: number;
  quickfix: Array<{ file: string; lnum: number; col: number; text: string }>;
  hover: { contents: { kind: string; value: string } } | null;
}

test('Neovim\'s LSP client: workspace_symbol("type: European river") fills the quickfix list with river mentions; hover names the type', { skip, timeout: 120_000 }, () => {
  const { result, notes: ws } = runEditor<NeovimRun>('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-c', `luafile ${script}`]);
  assert.ok(result.statuses > 0, 'ner/status notifications reached the client');
  // Quickfix items: the file, its 1-based line and column, "[Constant] Danube" as the text.
  const rivers = result.quickfix.filter((q) => q.file.endsWith('rivers.md'));
  const names = result.quickfix.map((q) => q.text.replace(/^\[\w+\]\s*/, ''));
  assert.ok(names.slice(0, 6).some((n) => n === 'Danube' || n === 'Rhine'), names.join(', '));
  assert.ok(!names.slice(0, 3).includes('Angela Merkel'), names.join(', '));
  const lines = readFileSync(join(ws, 'rivers.md'), 'utf8').split('\n');
  assert.ok(rivers.length >= 3, JSON.stringify(result.quickfix));
  for (const q of rivers) {
    const name = q.text.replace(/^\[\w+\]\s*/, '');
    const line = lines[q.lnum - 1];
    assert.ok(line.includes(name), JSON.stringify(q));
    // The column is Neovim's: on an ASCII line the name starts there. (Neovim 0.7 puts a symbol's
    // UTF-16 character in the quickfix list as a byte column, so after "Gdańsk" it is one short.)
    if (/^[\x00-\x7f]*$/.test(line)) assert.equal(line.slice(q.col - 1, q.col - 1 + name.length), name, JSON.stringify(q));
  }
  assert.ok(result.hover, 'a hover over the Danube');
  assert.match(result.hover.contents.value, /^Danube — \*\*(river|location)\*\* \d\.\d\d/);
});
