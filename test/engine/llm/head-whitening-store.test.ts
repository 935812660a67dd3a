// The whitening head's corpus flow: the sampling pre-pass counts mentions without the LLM, the fit
// is kept while the corpus is about the same size and redone (new encoder id ⇒ store rebuild)
// once the mention count doubles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModels, readStoreIdentity } from '../../../server/src/engine/engine.ts';
import { indexCorpus } from '../../../server/src/engine/indexer.ts';
import { WorkspaceIndex } from '../../../server/src/engine/workspaceIndex.ts';
import type { OffsetSpan, SpanDetector } from '../../../server/src/engine/types.ts';
import { LlmEncoder } from '../../../server/src/engine/llm/llmEncoder.ts';
import { prepareWhitening, sampleCorpusMentions, saveStoreWhitening, whiteningPath, withCorpusWhitening } from '../../../server/src/engine/llm/whitening.ts';
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

test('withCorpusWhitening: fits a raw LLM encoder on the corpus and saves the fit only after the store opens; other choices pass through', { skip: storiesSkip }, async () => {
  const raw = await LlmEncoder.create({ model: storiesFolder(), layer: 2, head: 'whitening', cacheDir: graphCache, device: 'cpu' });
  try {
    const storeDir = scratchDir('ner-whiten-corpus-');
    const indexWith = (c: Parameters<typeof indexCorpus>[2]) => indexCorpus('/c.jsonl', corpus(10), c);
    const fitted = await withCorpusWhitening({ encoder: raw, detector: capitals }, storeDir, indexWith);
    assert.match(fitted.models.encoder.id, /\|whiten\d+:[0-9a-f]{12}$/);
    assert.equal(fitted.models.detector, capitals);
    assert.ok(!existsSync(whiteningPath(storeDir)), 'nothing written before the store is open');
    fitted.afterOpen();
    assert.ok(existsSync(whiteningPath(storeDir)));
    // The saved fit is kept by the next run over the same corpus: same id, nothing to save.
    const again = await withCorpusWhitening({ encoder: raw, detector: capitals }, storeDir, indexWith);
    assert.equal(again.models.encoder.id, fitted.models.encoder.id);
    // A raw head chosen on purpose, or an encoder that already has its head, is left alone.
    const chosenRaw = await withCorpusWhitening({ encoder: raw, detector: capitals }, storeDir, indexWith, { head: 'raw' });
    assert.equal(chosenRaw.models.encoder, raw);
    const headed = fitted.models;
    assert.equal((await withCorpusWhitening(headed, storeDir, () => { throw new Error('no pre-pass expected'); })).models, headed);
  } finally {
    await raw.dispose();
  }
});

test('WorkspaceIndex with fitWhitening (the language server): the first open fits on the workspace, the store is built in the whitened space, a reopen keeps the fit', { skip: storiesSkip, timeout: 120_000 }, async () => {
  const root = scratchDir('ner-whiten-ws-');
  LINES.forEach((line, i) => writeFileSync(join(root, `note-${i}.md`), `# Note ${i}\n\n${line} ${line}\n`));
  const storeDir = join(scratchDir('ner-whiten-ws-store-'), 'store');
  const model = storiesFolder();
  const load = async () => {
    const loaded = await loadModels({ encoder: `llm:${model}`, layer: 2, device: 'cpu', cacheDir: graphCache, storeDir });
    return { ...loaded, detector: capitals };
  };
  const first = await load();
  let second: Awaited<ReturnType<typeof load>> | undefined;
  assert.match(first.encoder.id, /\|raw$/, 'no fit beside a new store: loaded raw');
  let index = await WorkspaceIndex.open({ roots: [root], storeDir, models: first, fitWhitening: true });
  try {
    await index.indexAll();
    const id = readStoreIdentity(storeDir)!.encoderId;
    assert.match(id, /\|whiten\d+:[0-9a-f]{12}$/, 'the store records the whitened encoder');
    const fit = JSON.parse(readFileSync(whiteningPath(storeDir), 'utf8')) as { mentionCount: number };
    assert.equal(fit.mentionCount, index.mentionCount, 'fitted on the workspace\'s mentions');
    assert.ok((await index.search('London')).length > 0);
    await index.close();
    // The next start loads the saved fit with the models: no pre-pass, no rebuild.
    second = await load();
    assert.equal(second.encoder.id, id);
    index = await WorkspaceIndex.open({ roots: [root], storeDir, models: second, fitWhitening: true });
    assert.equal(index.mentionCount, fit.mentionCount, 'the store was kept');
  } finally {
    await index.close();
    await first.encoder.dispose?.();
    await second?.encoder.dispose?.();
  }
});
