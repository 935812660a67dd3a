// Adjectives of proper names beside the tagger (detect/nameAdjectives.ts, models/detector/name-adjectives.txt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertScriptRebuilds } from '../helpers/committedOutput.ts';
import {
  NameAdjectives, TermLexicon, defaultDetectorModelPath, defaultNameAdjectivesPath, defaultTermsPath, loadDefaultDetector, loadTaggerModel, tokenize,
} from '../../server/src/engine/detect/index.ts';
import { TaggerDetector } from '../../server/src/engine/detect/tagger.ts';
import { loadWordVectors } from '../../server/src/engine/encode/wordVectors.ts';

const spansOf = (detector: { detect(s: string, c?: { heading?: boolean }): Array<{ start: number; end: number }> }, s: string, heading = false) =>
  detector.detect(s, { heading }).map((x) => s.slice(x.start, x.end));

test('NameAdjectives: a name anywhere; a word that is also ordinary only mid-sentence where capitals mean names', () => {
  const list = NameAdjectives.fromEntries(['Russian', 'Polish *', 'Kurdish']);
  const find = (s: string, capitalsMeanNames: boolean) => {
    const tokens = tokenize(s);
    return list.find(tokens, capitalsMeanNames).map((i) => tokens[i].text);
  };
  assert.deepEqual(find('Russian and Kurdish troops met a Polish envoy', true), ['Russian', 'Kurdish', 'Polish']);
  assert.deepEqual(find('Polish the brass before the Polish envoy arrives', true), ['Polish'], 'only the mid-sentence one');
  assert.deepEqual(find('A Polish Envoy In Russian Hands', false), ['Russian'], 'a Title Case line says nothing about "Polish"');
  assert.deepEqual(find('russian troops and polish', true), [], 'the capital is part of the entry');
  assert.equal(NameAdjectives.fromEntries(['Polish *', 'Russian']).hash, NameAdjectives.fromEntries([' Russian', 'Polish *', 'Russian']).hash);
  assert.notEqual(NameAdjectives.fromEntries(['Polish', 'Russian']).hash, NameAdjectives.fromEntries(['Polish *', 'Russian']).hash);
  assert.throws(() => NameAdjectives.load('/nonexistent/name-adjectives.txt'), /name-adjective list .* cannot be read.*NER_DETECTOR_NAME_ADJECTIVES/);
});

test('built-in detector: nationality, language and creed adjectives are spans; names that contain one stay whole', () => {
  const detector = loadDefaultDetector();
  const plain = new TaggerDetector(loadTaggerModel(defaultDetectorModelPath()), loadWordVectors(), { terms: TermLexicon.load(defaultTermsPath()), spanCuts: false });
  const cases: Array<[string, string[]]> = [
    ['Russian troops pulled out of Grozny after a ceasefire.', ['Russian']],
    ['Chechen rebels said they controlled most of the city.', ['Chechen']],
    ['Inter Milan signed French midfielder Youri Djorkaeff from Paris St Germain.', ['French']],
    ['Kurdish leader Massoud Barzani welcomed the move.', ['Kurdish']],
  ];
  let missedWithout = 0;
  for (const [s, words] of cases) {
    const spans = spansOf(detector, s);
    for (const w of words) assert.ok(spans.includes(w), `${w} in ${JSON.stringify(spans)} (${s})`);
    if (words.some((w) => !spansOf(plain, s).includes(w))) missedWithout++;
  }
  assert.ok(missedWithout >= 3, `the tagger alone already finds these (${missedWithout} missed): the test would prove nothing`);

  // A span of the adjective and lower-case words is cut to the adjective.
  const leaders = 'The Muslim leaders of Bosnia rejected the plan drawn up by Carl Bildt.';
  assert.ok(spansOf(plain, leaders).includes('Muslim leaders'), 'the tagger alone takes the noun in');
  assert.deepEqual(spansOf(detector, leaders), ['Muslim', 'Bosnia', 'Carl Bildt']);

  const airline = 'We flew American Airlines to Boston.';
  assert.ok(spansOf(detector, airline).includes('American Airlines'));
  assert.ok(!spansOf(detector, airline).includes('American'));
  // Nothing added for an ordinary word at a sentence start, nor for adjectives of one person's
  // name (the tagger may still judge "Boolean" a name on its own).
  assert.ok(!spansOf(detector, 'Polish the brass until it shines.').includes('Polish'));
  const technical = 'Set a Boolean flag and a Gaussian blur.';
  assert.deepEqual(spansOf(detector, technical), spansOf(plain, technical));
  assert.ok(spansOf(detector, 'Our guests from Warsaw prefer Polish food.').includes('Polish'));
  assert.ok(!spansOf(detector, 'russian troops pulled out of grozny').includes('russian'), 'lower-case text: the capital is the evidence');
  assert.ok(!spansOf(detector, 'RUSSIAN TROOPS PULL OUT OF GROZNY').includes('RUSSIAN'));
  assert.ok(spansOf(detector, 'Notes on Kurdish music', true).includes('Kurdish'), 'a heading keeps a name adjective');
  assert.match(detector.id, new RegExp(`a${NameAdjectives.load(defaultNameAdjectivesPath()).hash}(f[0-9a-f]{8})?Q?(v[0-9a-f]{8})?X?R?U?N?Z?V?J?E?(-lf)?(-mn)?(-ps)?(-dn)?(-co)?(-tl)?(-pn)?(-gs)?(-oa)?(-uq)?(-rp)?(-ll)?(-il)?(-sn)?(-fw)?(-df)?-iv[0-9a-f]{8}$`));
});

test('committed name-adjective list is exactly what scripts/name-adjectives.ts builds from the installed WordNet', () => {
  assertScriptRebuilds('scripts/name-adjectives.ts', defaultNameAdjectivesPath());
});
