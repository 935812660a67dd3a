// A .jsonl corpus line: {"id", "text", "spans"?}; a bad one is an Error naming what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCorpusLine } from '../../server/src/engine/indexer.ts';

test('spans are UTF-16 offsets inside the text, and never cut a character in two', () => {
  const text = 'We met 😀 Angela Merkel.';
  const at = text.indexOf('Angela');
  assert.deepEqual(parseCorpusLine(JSON.stringify({ id: 1, text, spans: [[at, at + 13]] })).spans, [[at, at + 13]]);
  assert.deepEqual(parseCorpusLine(JSON.stringify({ id: 1, text, spans: [[7, 9]] })).spans, [[7, 9]], 'the emoji whole: both halves');
  for (const span of [[7, 8], [8, 9], [8, 12]]) {
    assert.throws(() => parseCorpusLine(JSON.stringify({ id: 1, text, spans: [span] })), /"spans"\[0\] = \[\d+, \d+\] cuts a character in two/, JSON.stringify(span));
  }
  assert.throws(() => parseCorpusLine(JSON.stringify({ id: 1, text, spans: [[0, 99]] })), /outside the text/);
});
