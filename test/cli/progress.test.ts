// Progress without a terminal: silent but for the one-time word-vector conversion, which takes
// seconds and would look like a hang in a pipe or a CI log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../server/src/cli/progress.ts';
import { CONVERTING_WORD_VECTORS } from '../../server/src/engine/encode/wordVectors.ts';

function stderrOf(run: () => void): string {
  const write = process.stderr.write;
  let out = '';
  process.stderr.write = ((chunk: string | Uint8Array) => { out += String(chunk); return true; }) as typeof process.stderr.write;
  try { run(); } finally { process.stderr.write = write; }
  return out;
}

test('without a terminal only the start of the word-vector conversion is said, once; --quiet says nothing', { skip: process.stderr.isTTY && 'stderr is a terminal here' }, () => {
  const said = stderrOf(() => {
    const { sink, stop } = createProgress(true);
    sink({ what: 'Indexing', done: 1, total: 10 });
    sink({ what: CONVERTING_WORD_VECTORS, done: 0, total: 341_000 });
    sink({ what: CONVERTING_WORD_VECTORS, done: 20_000, total: 341_000 });
    stop();
  });
  assert.equal(said.split('\n').filter(Boolean).length, 1, said);
  assert.match(said, /word vectors once into the cache/);
  assert.equal(stderrOf(() => createProgress(false).sink({ what: CONVERTING_WORD_VECTORS, done: 0, total: 1 })), '');
});
