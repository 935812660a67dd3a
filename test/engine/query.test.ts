import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError, checkQuery } from '../../server/src/engine/query/search.ts';
import { FeatureExtractor } from '../../server/src/engine/encode/features.ts';
import { loadWordVectors } from '../../server/src/engine/encode/wordVectors.ts';
import type { MentionEncoder } from '../../server/src/engine/types.ts';

const encoderWith = (queryWords?: MentionEncoder['queryWords']): MentionEncoder => ({
  id: 'test', dimension: 1, queryWords,
  encodeMentions: async () => [], encodeQuery: async () => Float32Array.of(1),
});

test('checkQuery: refuses empty, wordless and all-unknown descriptions; names the unknown words of the others', () => {
  const features = new FeatureExtractor(loadWordVectors());
  const encoder = encoderWith((d) => features.words(d));
  assert.deepEqual(checkQuery('  European river ', encoder), { description: 'European river', unknown: [] });
  assert.deepEqual(checkQuery('xqzvw river', encoder), { description: 'xqzvw river', unknown: ['xqzvw'] });
  for (const [query, reason] of [['   ', /empty/], ['!!! ???', /has no words/], ['xqzvw blorf', /No word of "xqzvw blorf"/], ['the', /only function words/], ['Of the xqzvw', /only function words/]] as const) {
    assert.throws(() => checkQuery(query, encoder), (e: unknown) => e instanceof QueryError && reason.test(e.message), query);
  }
  // An encoder that can represent any text (the LLM encoder) is not second-guessed.
  assert.deepEqual(checkQuery('xqzvw blorf', encoderWith()), { description: 'xqzvw blorf', unknown: [] });
});
