// The whitening head's corpus flow: the sampling pre-pass counts mentions without the LLM, the fit
// is kept while the corpus is about the same size and redone (new encoder id ⇒ store rebuild)
// once the mention count doubles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { indexCorpus } from '../../../server/src/engine/indexer.ts';
import type { OffsetSpan, SpanDetector } from '../../../server/src/engine/types.ts';
import { LlmEncoder } from '../../../server/src/engine/llm/llmEncoder.ts';
import { prepareWhitening, sampleCorpusMentions, saveStoreWhitening } from '../../../server/src/engine/llm/whitening.ts';
import { graphCache, storiesFolder, storiesSkip } from './storiesModel.ts';
import { scratchDir } from '../../helpers/scratchDir.ts';

/** Capitalised words as mentions: enough for the flow, no word vectors needed. */
const capitals: SpanDetector = {
  id: 'capitals-test',
  detect(sentence: string): OffsetSpan[] {
    return [...sentence.matchAll(/\b[A-Z][a-z]+\b/g)].map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
  },
};

const LINES = [
  'Lily and Tim went to the park in London.', 'The Danube flows through Vienna and Budapest.',
  'Sue saw a big dog near Paris.', 'Marie Curie was born in Warsaw.', 'The Thames flows through London.',
];
const corpus = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: `d${i}`, text: LINES[i % LINES.length] })).join('\n');

test('whitening flow: sample without the LLM, keep the fit for a similar corpus, refit when it doubled', { skip: storiesSkip }, async () => {
  const raw = await LlmEncoder.create({ model: storiesFolder(), layer: 2, head: 'whitening', cacheDir: graphCache, device: 'cpu' });
  try {
    assert.match(raw.id, /\|raw$/, 'no fit yet: raw');
    const storeDir = scratchDir('ner-whiten-store-');
    const pass = (n: number) => sampleCorpusMentions(capitals, (c) => indexCorpus('/c.jsonl', corpus(n), c), { sampleSize: 20 });
    const small = await pass(10);
    assert.ok(small.mentionCount > 20 && small.sample.length === 20);
    const first = await prepareWhitening(raw, storeDir, small, { dimension: 6 });
    assert.equal(first.refitted, true);
    assert.match(first.encoder.id, /\|whiten6:[0-9a-f]{12}$/);
    saveStoreWhitening(storeDir, first.fit!);
    const same = await prepareWhitening(raw, storeDir, await pass(12), { dimension: 6 });
    assert.equal(same.refitted, false);
    assert.equal(same.encoder.id, first.encoder.id, 'same id: no re-embedding');
    const doubled = await prepareWhitening(raw, storeDir, await pass(20), { dimension: 6 });
    assert.equal(doubled.refitted, true);
    assert.notEqual(doubled.encoder.id, first.encoder.id, 'new id: the store is rebuilt');
    const forced = await prepareWhitening(raw, storeDir, small, { dimension: 6, force: true });
    assert.equal(forced.refitted, true);
  } finally {
    await raw.dispose();
  }
});
