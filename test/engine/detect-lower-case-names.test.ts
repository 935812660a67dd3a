// Lower-cased text: words WordNet knows only as names of places, people or groups are mentions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FirstNames, defaultFirstNamesPath, loadDefaultDetector } from '../../server/src/engine/detect/index.ts';
import { assertScriptRebuilds } from '../helpers/committedOutput.ts';
import { TaggerDetector } from '../../server/src/engine/detect/tagger.ts';
import { loadWordVectors } from '../../server/src/engine/encode/wordVectors.ts';

const vectors = loadWordVectors();
const det = loadDefaultDetector(vectors);
const without = new TaggerDetector(det.model, vectors, { terms: det.terms, nameAdjectives: det.nameAdjectives, lowerCaseNames: false });
const texts = (d: TaggerDetector, s: string) => d.detect(s).map((x) => s.slice(x.start, x.end));

test('lower-cased text: a word WordNet knows only as a place, person or group name is a mention', () => {
  const cases: Array<[string, string[]]> = [
    ['i flew to paris with obama last week', ['paris', 'obama']],
    ['we drove from lisbon to madrid and then on to toulouse', ['lisbon', 'madrid', 'toulouse']],
    ['the nato summit in brussels was about iraq and the u.s. plan', ['nato', 'brussels', 'iraq', 'u.s.']],
    ['we hiked in the alps above grenoble with nietzsche in my bag', ['grenoble', 'nietzsche']],
  ];
  let missedWithout = 0;
  for (const [s, names] of cases) {
    for (const name of names) {
      assert.ok(texts(det, s).includes(name), `${name} in ${JSON.stringify(texts(det, s))}`);
      if (!texts(without, s).includes(name)) missedWithout++;
    }
  }
  assert.ok(missedWithout >= 3, `the rule finds names the tagger misses (${missedWithout})`);
  assert.match(det.id, /jL/);
  assert.doesNotMatch(without.id, /jL/);
});

test('lower-cased text: common words, verbs and irregular verb forms that are also names are not added', () => {
  for (const [s, word] of [
    ['we bought a china cabinet and a turkey for dinner', 'china'],
    ['we bought a china cabinet and a turkey for dinner', 'turkey'],
    ['she drew a map of the river and sung a song about it', 'drew'],
    ['she drew a map of the river and sung a song about it', 'sung'],
    ['he will frank the letters and mark the boxes', 'mark'],
  ] as const) {
    // (The tagger may find some of them itself; the rule adds none.)
    assert.equal(texts(det, s).includes(word), texts(without, s).includes(word), `${word} in ${JSON.stringify(texts(det, s))}`);
  }
});

test('lower-cased text: a multi-word name WordNet writes in Title Case is one mention, replacing the parts the tagger found', () => {
  const s = 'we sailed across the north sea to cape town and on to the far east';
  assert.deepEqual(texts(det, s).filter((x) => x !== 'far east'), ['north sea', 'cape town']);
  assert.ok(!texts(without, s).includes('north sea'), JSON.stringify(texts(without, s)));
  // Holidays are dates; a lemma written with a lower-case word ("Bunsen burner") is a common noun.
  assert.ok(!texts(det, 'happy new year to all of you').includes('new year'));
  const burner = 'she held the tube over a bunsen burner';
  assert.equal(texts(det, burner).includes('bunsen burner'), texts(without, burner).includes('bunsen burner'), 'the rule adds no common noun');
});

test('cased text is left to the capitals: the rule adds nothing where a capital letter appears', () => {
  for (const s of ['I flew to paris with Obama last week', 'We met in lisbon and Madrid .']) {
    assert.deepEqual(texts(det, s), texts(without, s), s);
  }
});

test('lower-cased text: a first name that is no ordinary word is a mention; the list leaves out words English uses otherwise', () => {
  const names = FirstNames.load(defaultFirstNamesPath());
  assert.ok(names.size > 5000, `${names.size} names`);
  for (const name of ['emma', 'casey', 'ryan', 'tyler']) assert.ok(names.has(name), name);
  for (const word of ['mark', 'grace', 'will', 'june', 'drew', 'jimmy', 'had', 'the']) assert.ok(!names.has(word), word);
  const s = 'emma and casey went to the park with ryan after school';
  const noList = new TaggerDetector(det.model, vectors, { terms: det.terms, nameAdjectives: det.nameAdjectives, unknownFirstWords: false });
  for (const name of ['emma', 'casey', 'ryan']) assert.ok(texts(det, s).includes(name), `${name} in ${JSON.stringify(texts(det, s))}`);
  assert.ok(['emma', 'casey', 'ryan'].some((name) => !texts(noList, s).includes(name)), 'the list finds names the rest misses');
  assert.match(det.id, /f[0-9a-f]{8}Q?(v[0-9a-f]{8})?X?R?U?N?Z?V?J?E?(-lf)?(-mn)?(-ps)?(-dn)?(-co)?(-tl)?(-pn)?(-gs)?(-oa)?(-uq)?(-rp)?(-ll)?(-il)?(-sn)?(-fw)?(-df)?-iv[0-9a-f]{8}$/);
  // Cased text is left to the capitals, as for the WordNet names.
  assert.deepEqual(texts(det, 'Emma met casey in Paris .'), texts(noList, 'Emma met casey in Paris .'));
});

test('committed first-name list is exactly what scripts/first-names.ts builds from the installed packages and WordNet', () => {
  assertScriptRebuilds('scripts/first-names.ts', defaultFirstNamesPath());
});

test('cased prose: a capitalised first name is a name at a sentence start too, but not as a piece of a path', () => {
  const noList = new TaggerDetector(det.model, vectors, { terms: det.terms, nameAdjectives: det.nameAdjectives, unknownFirstWords: false });
  for (const [s, name] of [['Casey has officially reached the top .', 'Casey'], ['Miranda is the best .', 'Miranda']] as const) {
    assert.ok(texts(det, s).includes(name), `${name} in ${JSON.stringify(texts(det, s))}`);
    assert.ok(!texts(noList, s).includes(name), `the tagger alone misses ${name}`);
  }
  for (const path of ['(Created the .../Lib/idlelib directory in the Python CVS, which is a', 'See the notes in .../Juan/idlelib for details']) {
    assert.ok(!texts(det, path).some((x) => x === 'Lib' || x === 'Juan'), JSON.stringify(texts(det, path)));
  }
});
