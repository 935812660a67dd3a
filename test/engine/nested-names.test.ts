// A maker's name inside a product's ("Canon" in "Canon R7") is a mention of its own, beside the
// product's; search lists one place in the text once; the editor labels the whole name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makerWords, withNestedNames } from '../../server/src/engine/detect/nestedNames.ts';
import { outermost, searchMentions, withoutOverlaps } from '../../server/src/engine/query/search.ts';
import { components, loadDefaultModels, openStore } from '../../server/src/engine/engine.ts';
import { indexWorkspace } from '../../server/src/engine/indexer.ts';
import { InMemoryWorkspace } from '../../server/src/engine/ingest/workspace.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

test('the words before a model number name a maker; a series word, a date, a function word or a bare count do not', () => {
  const cases: Array<[string, number]> = [
    ['Canon R7', 1], ['Glenfiddich 12', 1], ['Lockheed Martin F-35', 2], ['Embraer E195-E2', 1], ['Ubuntu 24.04', 1],
    ['Windows 11', 1], ['Slow Horses s4', 2], ['Miele G 7110', 2],
    ['Canon', 0], ['Canon EOS', 0], ['R7', 0], ['7 Wonders', 0],
    ['Plot 3', 0], ['Connect 4', 0], // an ordinary word before a bare number counts a series
    ['Chapter 12', 0], ['Season 2', 0], ['AD 43', 0], ['Dec 8', 0], ['Wk 1', 0], ['The RP2040', 0], ['Chanel No. 5', 0],
    ['CPU 4', 0], ['GHz I2C', 0], ['IEEE 754', 1], ['IBM 3270', 1], // an abbreviation of a part or a unit names no maker
  ];
  for (const [text, words] of cases) assert.equal(makerWords(text), words, text);
});

test('withNestedNames adds each maker name right after its product, in text order, and leaves other spans as they are', () => {
  const sentence = 'Shot on the Canon R7 and a Nikon D750 near Lake Como.';
  const span = (text: string) => ({ start: sentence.indexOf(text), end: sentence.indexOf(text) + text.length });
  const spans = [span('Canon R7'), span('Nikon D750'), span('Lake Como')];
  const out = withNestedNames(sentence, spans);
  assert.deepEqual(out.map((s) => sentence.slice(s.start, s.end)), ['Canon R7', 'Canon', 'Nikon D750', 'Nikon', 'Lake Como']);
  const plain = [span('Lake Como')];
  assert.equal(withNestedNames(sentence, plain), plain, 'nothing to add: the same list');
});

test('withoutOverlaps keeps the better of two overlapping items of one document; outermost drops the names inside others', () => {
  const hits = [
    { doc: 'a', start: 10, end: 15, score: 0.9 }, // "Canon"
    { doc: 'a', start: 10, end: 18, score: 0.8 }, // "Canon R7": the same place, worse
    { doc: 'b', start: 10, end: 18, score: 0.7 }, // another document
    { doc: 'a', start: 18, end: 25, score: 0.6 }, // next to it, not overlapping
  ];
  assert.deepEqual(withoutOverlaps(hits, (h) => h.doc).map((h) => h.score), [0.9, 0.7, 0.6]);
  const mentions = [{ start: 0, end: 8 }, { start: 0, end: 5 }, { start: 10, end: 14 }, { start: 20, end: 30 }, { start: 20, end: 24 }];
  assert.deepEqual(outermost(mentions), [{ start: 0, end: 8 }, { start: 10, end: 14 }, { start: 20, end: 30 }]);
});

test('index stores a maker name inside a product name with its exact range; search never lists one place twice', async () => {
  const text = '# Whisky\n\nTasted the Glenfiddich 12 and the Lagavulin 16 with Anna in Edinburgh.\n';
  const workspace = new InMemoryWorkspace({ '/w/whisky.md': text });
  const models = await loadDefaultModels();
  const store = await openStore(join(scratchDir('ner-nested-'), 'store'), models, { rebuild: true });
  try {
    await indexWorkspace(workspace, components(models, store));
    const mentions = store.getDocument('/w/whisky.md')!.paragraphs.flatMap((p) => p.mentions);
    const texts = mentions.map((m) => m.text);
    for (const name of ['Glenfiddich 12', 'Glenfiddich', 'Lagavulin 16', 'Lagavulin']) assert.ok(texts.includes(name), `${name} in ${texts.join(', ')}`);
    const maker = mentions.find((m) => m.text === 'Glenfiddich')!;
    const product = mentions.find((m) => m.text === 'Glenfiddich 12')!;
    assert.equal(maker.start, text.indexOf('Glenfiddich'));
    assert.equal(maker.start, product.start);
    assert.deepEqual(maker.range, { start: { line: 2, character: 11 }, end: { line: 2, character: 22 } });
    assert.ok(texts.indexOf('Glenfiddich 12') < texts.indexOf('Glenfiddich'), 'the product before the maker inside it');
    for (const query of ['whisky distillery', 'drink', 'city', 'person']) {
      const hits = await searchMentions(query, models.encoder, store, { limit: 50 });
      assert.ok(hits.length >= mentions.length - 2, `${query}: every place listed (${hits.length})`);
      for (const [i, a] of hits.entries()) {
        for (const b of hits.slice(i + 1)) assert.ok(a.end <= b.start || b.end <= a.start, `${query}: "${a.text}" and "${b.text}" overlap`);
      }
    }
  } finally {
    await store.close();
  }
});
