// Training the span tagger is deterministic for a seed, and learns something on toy data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wordVectorsFromEntries } from '../../server/src/engine/encode/wordVectors.ts';
import { recaseSentence, seededRandom, trainTagger, truecaseSentence, type TrainingSentence } from '../../server/src/engine/train/tagger-training.ts';
import { parseConll } from '../../server/src/engine/eval/conll.ts';
import { TaggerDetector, modelHash, serializeTagger } from '../../server/src/engine/detect/tagger.ts';

const FIRST = ['anna', 'boris', 'carla', 'dmitri', 'elena', 'farid', 'greta', 'hugo'];
const LAST = ['keller', 'novak', 'rossi', 'silva', 'tanaka', 'weber', 'olsen', 'meyer'];
const PLACES = ['lisbon', 'oslo', 'kyoto', 'lima', 'accra', 'perth'];
const VERBS = ['visited', 'left', 'praised', 'described', 'mapped'];
const FILLER = ['the', 'old', 'market', 'in', 'yesterday', 'with', 'a', 'friend', 'and', 'then', 'quietly'];

function toyData(n: number, seed: number): TrainingSentence[] {
  const r = seededRandom(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const out: TrainingSentence[] = [];
  for (let i = 0; i < n; i++) {
    const cased = r() < 0.5;
    const cap = (w: string) => (cased ? w[0].toUpperCase() + w.slice(1) : w);
    const person = `${cap(pick(FIRST))} ${cap(pick(LAST))}`;
    const place = cap(pick(PLACES));
    const pre = `${cased ? 'Yesterday' : 'yesterday'} `;
    const mid = ` ${pick(VERBS)} ${pick(FILLER)} ${pick(FILLER)} `;
    const text = `${pre}${person}${mid}${place} .`;
    out.push({ text, spans: [{ start: pre.length, end: pre.length + person.length }, { start: pre.length + person.length + mid.length, end: pre.length + person.length + mid.length + place.length }] });
  }
  return out;
}

function toyVectors() {
  const r = seededRandom(99);
  const words = ['the', '.', 'yesterday', ...FILLER, ...VERBS, ...FIRST, ...LAST, ...PLACES];
  return wordVectorsFromEntries([...new Set(words)].map((w) => [w, Array.from({ length: 8 }, () => r() * 2 - 1)]));
}

test('trainTagger: same seed → bit-identical weights; different seed → different; it learns the toy task', () => {
  const vectors = toyVectors();
  const data = toyData(300, 5);
  const opts = { seed: 7, epochs: 2, hidden: 16 };
  const a = trainTagger(data, vectors, opts);
  const b = trainTagger(data, vectors, opts);
  assert.deepEqual(serializeTagger(a), serializeTagger(b));
  assert.equal(modelHash(a), modelHash(b));
  const c = trainTagger(data, vectors, { ...opts, seed: 8 });
  assert.notEqual(modelHash(a), modelHash(c));

  const det = new TaggerDetector(a, vectors);
  const s = 'Yesterday Greta Olsen mapped the old market in Kyoto .';
  const found = det.detect(s).map((x) => s.slice(x.start, x.end));
  assert.ok(found.includes('Greta Olsen') && found.includes('Kyoto'), `found ${JSON.stringify(found)}`);
});

test('truecaseSentence: WordNet keeps common-noun entities lower-case, names title-cased', () => {
  const s = parseConll([
    'patients _ _ O', 'took _ _ O', 'aspirin _ _ B-Medication/Vaccine', 'for _ _ O', 'type _ _ B-Disease', '2 _ _ I-Disease', 'diabetes _ _ I-Disease',
    'near _ _ O', 'the _ _ O', 'danube _ _ B-OtherLOC', 'with _ _ O', 'angela _ _ B-Politician', 'merkel _ _ I-Politician',
    'and _ _ O', 'a _ _ O', 'cns _ _ B-AnatomicalStructure', 'scan _ _ O', 'of _ _ O', 'the _ _ O', 'danube _ _ B-OtherPROD', '.', '',
  ].map((l) => (l === '.' ? '. _ _ O' : l)).join('\n'))[0];
  const t = truecaseSentence(s);
  assert.equal(t.text, 'Patients took aspirin for type 2 diabetes near the Danube with Angela Merkel and a CNS scan of the Danube .');
  assert.equal(t.text.length, s.text.length);
  assert.equal(recaseSentence(s).text, 'Patients took Aspirin for Type 2 Diabetes near the Danube with Angela Merkel and a Cns scan of the Danube .');
  // A seeded fraction of the capitalised common-noun-type entities stays lower-case; names never do.
  const all = truecaseSentence(s, { lowerFraction: 1 });
  assert.match(all.text, /of the danube \.$/);
  assert.match(all.text, /Angela Merkel/);
  assert.deepEqual(truecaseSentence(s, { lowerFraction: 0.5, seed: 3 }), truecaseSentence(s, { lowerFraction: 0.5, seed: 3 }));
});
