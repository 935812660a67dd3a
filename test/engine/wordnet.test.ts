import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NounSenseCase, WordnetAdjectives, WordnetNouns, readIndex } from '../../server/src/engine/wordnet.ts';

test('NounSenseCase: counts common and proper senses by binary search, finds every lemma of index.noun and nothing else', () => {
  const lookup = new NounSenseCase();
  assert.deepEqual(lookup.senses('set'), { common: 12, proper: 1, placePersonGroup: 1, acronymPlaceGroup: 0 }); // and Set, the Egyptian god
  assert.deepEqual(lookup.senses('Lisbon'), { common: 0, proper: 1, placePersonGroup: 1, acronymPlaceGroup: 0 });
  assert.deepEqual(lookup.senses('browser'), { common: 2, proper: 0, placePersonGroup: 0, acronymPlaceGroup: 0 });
  assert.deepEqual(lookup.senses('windows'), { common: 0, proper: 1, placePersonGroup: 0, acronymPlaceGroup: 0 }); // the operating system; "window" is another lemma
  // Names that are not of places, people or groups: a weekday, a language, an acronym.
  for (const w of ['friday', 'yay', 'ceo']) assert.equal(lookup.senses(w)?.placePersonGroup, 0, w);
  // Acronyms of groups and places are counted apart ("NATO"); those of roles not at all ("CEO").
  assert.deepEqual(lookup.senses('nato'), { common: 0, proper: 1, placePersonGroup: 0, acronymPlaceGroup: 1 });
  assert.equal(lookup.senses('ceo')?.acronymPlaceGroup, 0);
  assert.equal(lookup.senses('nosuchword'), undefined);

  // Every 500th one-word lemma, the last one, and a key just after each (absent): the search
  // must land on lines wherever they fall in the file's 4 KB reads.
  const lemmas = [...readIndex('noun').keys()].filter((l) => /^[a-z][a-z0-9'.-]*$/.test(l));
  const sample = [...lemmas.filter((_, i) => i % 500 === 0), lemmas[lemmas.length - 1]];
  const all = new Set(lemmas);
  for (const lemma of sample) {
    const senses = lookup.senses(lemma);
    assert.ok(senses && senses.common + senses.proper > 0, lemma);
    if (!all.has(`${lemma}zz`)) assert.equal(lookup.senses(`${lemma}zz`), undefined, `${lemma}zz`);
  }
});

test('WordnetNouns.lemmas: every lemma of index.noun, multi-word ones with underscores, no licence lines', () => {
  const lemmas = WordnetNouns.load().lemmas();
  assert.equal(lemmas.length, readIndex('noun').size);
  assert.ok(lemmas.includes('cape_town') && lemmas.includes('river'));
  assert.ok(lemmas.every((l) => l.length > 0 && !/\s/.test(l)));
});

test('WordnetNouns / WordnetAdjectives.senses: every lemma of the index gives the senses a full parse of it does; near misses give none', () => {
  for (const [files, pos] of [[WordnetNouns.load(), 'noun'], [WordnetAdjectives.load(), 'adj']] as const) {
    const full = readIndex(pos);
    for (const [lemma, senses] of full) assert.deepEqual(files.senses(lemma), senses, `${pos} ${lemma}`);
    const keys = [...full.keys()];
    // A lemma's prefix and extension (a key that sorts between two lines), the first and last
    // lines' neighbours, and keys no line has: absent unless the index lists them too.
    const probes = ['', 'a', '_', 'zzzzzzzz', '\u00e9t\u00e9', 'zürich', keys[0] + 'q', keys[keys.length - 1] + 'q', '!'];
    for (let i = 0; i < keys.length; i += 97) probes.push(keys[i] + 'q', keys[i].slice(0, -1), keys[i] + '_');
    for (const probe of probes) assert.deepEqual(files.senses(probe), full.get(probe), `${pos} "${probe}"`);
  }
});
