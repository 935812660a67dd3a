// The inlay-label vocabulary: one default, the same in the engine and in the extension's settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_TYPE_LABELS, TypeVocabulary } from '../../server/src/engine/typeLabels.ts';
import type { MentionEncoder } from '../../server/src/engine/types.ts';
import { readSettings } from '../../server/src/lsp/settings.ts';

test('the typeLabels default of package.json is the engine\'s DEFAULT_TYPE_LABELS, and what readSettings gives without settings', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  assert.deepEqual(pkg.contributes.configuration.properties['nerRetriever.typeLabels'].default, [...DEFAULT_TYPE_LABELS]);
  assert.deepEqual(readSettings(undefined).typeLabels, [...DEFAULT_TYPE_LABELS]);
  // Every category the span detector's lexicon adds (docs/detection.md) has a label.
  for (const l of ['drug', 'disease', 'medical procedure']) assert.ok(DEFAULT_TYPE_LABELS.includes(l), l);
});

test('a label with no word the encoder knows is left out of the vocabulary (reported), not given an arbitrary vector', async () => {
  const known = new Set(['river', 'city']);
  const encoded: string[] = [];
  const encoder: MentionEncoder = {
    id: 'test', dimension: 2,
    queryWords: (d) => { const words = d.split(/\s+/); return { words, unknown: words.filter((w) => !known.has(w)) }; },
    encodeMentions: async () => [],
    encodeQuery: async (d) => { encoded.push(d); return d === 'river' ? Float32Array.of(1, 0) : Float32Array.of(0, 1); },
  };
  const skipped: string[] = [];
  const vocabulary = await TypeVocabulary.create(encoder, ['river', ' xqzvw ', '', 'city', 'river'], (label) => skipped.push(label));
  assert.deepEqual(vocabulary.labels, ['river', 'city']);
  assert.deepEqual(encoded, ['river', 'city']);
  assert.deepEqual(skipped, ['xqzvw']);
  assert.equal(vocabulary.best(Float32Array.of(0.1, 0.9))?.label, 'city');
});

test('with the mention text, a label the text is a known member of gets the membership boost search applies', async () => {
  const encoder: MentionEncoder = {
    id: 'test', dimension: 2,
    encodeMentions: async () => [],
    encodeQuery: async (d) => (d === 'river' ? Float32Array.of(1, 0) : Float32Array.of(0, 1)),
    typeMembership: (d) => (d === 'river' ? { weight: 0.4, fraction: (t) => (t === 'Danube' ? 1 : 0) } : undefined),
  };
  const vocabulary = await TypeVocabulary.create(encoder, ['river', 'city']);
  const vector = Float32Array.of(0.5, 0.625); // exact in float32
  assert.equal(vocabulary.best(vector)?.label, 'city'); // cosine alone
  assert.equal(vocabulary.best(vector, 'Rhône')?.label, 'city'); // not a known member
  const boosted = vocabulary.best(vector, 'Danube')!;
  assert.equal(boosted.label, 'river');
  assert.ok(Math.abs(boosted.score - (0.5 + 0.4 * 0.5)) < 1e-6, String(boosted.score));
  // Every label's score, in the vocabulary's order (what scripts/eval-type-labels.ts ranks by).
  const all = vocabulary.scores(vector, 'Danube');
  assert.deepEqual(vocabulary.labels, ['river', 'city']);
  assert.ok(Math.abs(all[0] - 0.7) < 1e-6 && Math.abs(all[1] - 0.625) < 1e-6, String(all));
});
