import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_QUERY_CHARS, MAX_QUERY_WORDS, QueryError, checkQuery } from '../../server/src/engine/query/search.ts';
import { normalizeDescription, splitGluedWord } from '../../server/src/engine/query/description.ts';
import { WordnetExpander } from '../../server/src/engine/encode/queryExpansion.ts';
import { FeatureExtractor } from '../../server/src/engine/encode/features.ts';
import { loadWordVectors } from '../../server/src/engine/encode/wordVectors.ts';
import type { MentionEncoder } from '../../server/src/engine/types.ts';

const encoderWith = (queryWords?: MentionEncoder['queryWords']): MentionEncoder => ({
  id: 'test', dimension: 1, queryWords,
  encodeMentions: async () => [], encodeQuery: async () => Float32Array.of(1),
});
/** The static encoder's word vectors, and an encoder that reads queries with their vocabulary. */
const withStaticVocabulary = () => {
  const features = new FeatureExtractor(loadWordVectors());
  return { features, encoder: encoderWith((d) => features.words(d)) };
};

test('numerals of ordinals are read as words the word vectors know ("19th-century" → "nineteenth-century")', () => {
  assert.equal(normalizeDescription('19th-century composer'), 'nineteenth-century composer');
  assert.equal(normalizeDescription('21st century company'), 'twenty-first century company');
  assert.equal(normalizeDescription('U.S. state'), 'US state');
  assert.equal(normalizeDescription('band from the U.K.'), 'band from the UK');
  assert.equal(normalizeDescription('Ph.D. programme'), 'Ph.D. programme', 'not capitals only');
  assert.equal(normalizeDescription('1st division'), 'first division');
  assert.equal(normalizeDescription('25th anniversary'), '25th anniversary', 'beyond twenty-first: kept');
  assert.equal(normalizeDescription('A19th'), 'A19th', 'inside a word: kept');
});

test('checkQuery: refuses empty, wordless and all-unknown descriptions; names the unknown words of the others', () => {
  const { encoder } = withStaticVocabulary();
  assert.deepEqual(checkQuery('  European river ', encoder), { description: 'European river', unknown: [] });
  assert.deepEqual(checkQuery('xqzvw river', encoder), { description: 'xqzvw river', unknown: ['xqzvw'] });
  for (const [query, reason] of [['   ', /empty/], ['!!! ???', /has no words/], ['\u0001\u0007!', /^"\\u0001\\u0007!" has no words/], ['xqzvw blorf', /No word of "xqzvw blorf"/], ['the', /only function words/], ['Of the xqzvw', /only function words/]] as const) {
    assert.throws(() => checkQuery(query, encoder), (e: unknown) => e instanceof QueryError && reason.test(e.message), query);
  }
  // An encoder that can represent any text (the LLM encoder) is not second-guessed.
  assert.deepEqual(checkQuery('xqzvw blorf', encoderWith()), { description: 'xqzvw blorf', unknown: [] });
});

test('checkQuery: a type query is a short phrase; a pasted paragraph is refused by its length, before any reading', () => {
  const { encoder } = withStaticVocabulary();
  const longest = Array.from({ length: MAX_QUERY_WORDS }, (_, i) => (i % 2 ? 'river' : 'European')).join(' ');
  assert.equal(checkQuery(longest, encoder).description, longest);
  for (const query of [`${longest} river`, `river ${'x'.repeat(MAX_QUERY_CHARS)}`, 'European river '.repeat(2000)]) {
    assert.throws(() => checkQuery(query, encoder), (e: unknown) => e instanceof QueryError && /too long .*at most 30 words and 240 characters/.test(e.message) && e.message.length < 300);
  }
  // Either encoder: the LLM's reading of a description is bounded the same way.
  assert.throws(() => checkQuery(`${longest} river`, encoderWith()), QueryError);
});

test('normalizeDescription: identifier-style labels read as words, tag abbreviations spelled out, descriptions unchanged', () => {
  const cases: Array<[string, string]> = [
    ['CarManufacturer', 'car manufacturer'], ['OtherPER', 'other person'], ['MusicalGRP', 'musical group'],
    ['HTMLParser', 'html parser'], ['TVShow', 'tv show'], ['BodyOfWater', 'body of water'], ['sports_team', 'sports team'], ['WORK_OF_ART', 'work of art'],
    ['ORG', 'organization'], [' GPE ', 'country, city or state'], ['European ORG', 'European organization'],
    // plain descriptions, lower-case words that are abbreviations elsewhere, and names' spellings stay
    ['European river', 'European river'], ['city or town', 'city or town'], ['org', 'org'], ['creative-work', 'creative-work'],
    ['COVID-19 vaccine', 'COVID-19 vaccine'], ['iPhone', 'iPhone'], ["McDonald's", "McDonald's"], ['eBay', 'eBay'],
    // a leading kind phrase says nothing about the type
    ['names of rivers', 'rivers'], ['The types of cheese', 'cheese'], ['a list of companies in Europe', 'companies in Europe'],
    ['form of government', 'form of government'], ['names of', 'names of'],
    // words that are also Object.prototype's keys are words
    ['constructor', 'constructor'], ['toString method', 'toString method'], ['valueOf', 'value of'], ['__proto__', 'proto'],
  ];
  for (const [query, expected] of cases) assert.equal(normalizeDescription(query), expected, query);
  // A word the encoder knows is kept whole; without a vocabulary it would be split.
  assert.equal(normalizeDescription('YouTube channel'), 'you tube channel');
  assert.equal(normalizeDescription('YouTube channel', { isKnown: (w) => w === 'YouTube' }), 'YouTube channel');
  // A dataset's catch-all label reads as "other …" (its last word is the type, not "other").
  assert.equal(normalizeDescription('product-other'), 'other product');
  assert.equal(normalizeDescription('location/other'), 'other location');
  assert.equal(normalizeDescription('other-product'), 'other-product');
  // A type path names a type and its ancestors, not alternatives: read as the joined label.
  assert.equal(normalizeDescription('/person/athlete'), 'person-athlete');
  assert.equal(normalizeDescription('/location/body_of_water/'), 'location-body of water');
  assert.equal(normalizeDescription('/organization/company/news_agency'), 'organization-company-news agency');
  assert.equal(normalizeDescription('/location/other'), 'other location');
  // "/" between words elsewhere still joins alternatives.
  assert.equal(normalizeDescription('city/town'), 'city/town');
  assert.equal(normalizeDescription('/ river'), '/ river');
});

test('a type path has the WordNet sense of its last segment, not of each segment', () => {
  const wordnet = WordnetExpander.load();
  assert.deepEqual(wordnet.typeSenses(normalizeDescription('/person/athlete')), wordnet.typeSenses('athlete'));
  assert.deepEqual(wordnet.typeSenses(normalizeDescription('/location/body_of_water')), wordnet.typeSenses('body of water'));
  assert.equal(wordnet.typeSenses('/person/athlete').length, 2, 'written as alternatives, it would be person or athlete');
});

test('splitGluedWord: the split into the most frequent common words, or none', () => {
  const vocabulary = ['the', 'of', 'water', 'team', 'sports', 'sport', 'steam', 'bodies', 'body', 'car', 'manufacturer', 'ku', 'ber', 'net', 'es'];
  const rank = (w: string) => vocabulary.indexOf(w);
  assert.deepEqual(splitGluedWord('bodiesofwater', rank), ['bodies', 'of', 'water']);
  assert.deepEqual(splitGluedWord('sportsteam', rank), ['sports', 'team'], 'sports+team beats sport+steam: both parts more frequent');
  assert.deepEqual(splitGluedWord('carmanufacturer', rank), ['car', 'manufacturer']);
  // Letter pairs that are not function words, and anything with a part outside the vocabulary, are no split.
  assert.deepEqual(splitGluedWord('sportsgrp', rank), ['sports', 'grp'], 'a tag abbreviation may end a glued label');
  assert.equal(splitGluedWord('grpteam', rank), undefined, 'only at its end');
  assert.equal(splitGluedWord('kubernetes', rank), undefined);
  assert.equal(splitGluedWord('teamx', rank), undefined);
  assert.equal(splitGluedWord('team', rank), undefined, 'too short to be glued');
  assert.equal(splitGluedWord('SportsTeam', rank), undefined, 'mixed case is read as an identifier instead');
});

test('checkQuery reads a glued label with the encoder\'s vocabulary and keeps words it does not know as written', () => {
  const { features, encoder } = withStaticVocabulary();
  assert.deepEqual(features.words('sportsteam').unknown, ['sportsteam'], 'the glued label has no word vector');
  assert.deepEqual(checkQuery('sportsteam', encoder), { description: 'sports team', unknown: [] });
  assert.deepEqual(checkQuery('location-bodiesofwater', encoder), { description: 'location-bodies of water', unknown: [] });
  assert.deepEqual(checkQuery('person-other', encoder), { description: 'other person', unknown: [] });
  assert.deepEqual(checkQuery('otherper', encoder), { description: 'other person', unknown: [] });
  assert.deepEqual(checkQuery('musicalgrp', encoder), { description: 'musical group', unknown: [] });
  // A word the vocabulary has is never split ("typescript"); an unknown name with no common-word split stays and is reported.
  assert.equal(checkQuery('typescript library', encoder).description, 'typescript library');
  assert.deepEqual(checkQuery('kubernetes operator', encoder), { description: 'kubernetes operator', unknown: ['kubernetes'] });
  // Without a vocabulary (an encoder that reads any text) nothing is split.
  assert.equal(checkQuery('sportsteam', encoderWith()).description, 'sportsteam');
});

test('checkQuery searches a label such as "CarManufacturer" as its words instead of refusing it', () => {
  const { features, encoder } = withStaticVocabulary();
  assert.deepEqual(features.words('CarManufacturer').unknown, ['CarManufacturer'], 'the joined label has no word vector');
  assert.deepEqual(checkQuery('CarManufacturer', encoder), { description: 'car manufacturer', unknown: [] });
  assert.deepEqual(checkQuery(' OtherPER', encoder), { description: 'other person', unknown: [] });
  assert.equal(checkQuery('YouTube channel', encoder).description, 'YouTube channel', 'a known mixed-case word stays whole');
  assert.equal(checkQuery('CarManufacturer', encoderWith()).description, 'car manufacturer');
});

test('WordNet reads a hyphenated description as its words unless it lists the compound', () => {
  const wordnet = WordnetExpander.load();
  assert.ok(wordnet.typeSenses('creative work').length > 0);
  assert.deepEqual(wordnet.typeSenses('creative-work'), wordnet.typeSenses('creative work'));
  // "t-shirt" is a WordNet noun as written: its own sense, not "shirt"'s
  assert.deepEqual(wordnet.typeSenses('t-shirt'), [wordnet.senses('t-shirt')![0]]);
  assert.notDeepEqual(wordnet.typeSenses('t-shirt'), wordnet.typeSenses('shirt'));
});

test('WordNet finds the head noun of a description with a post-modifier, unless it lists the whole phrase', () => {
  const wordnet = WordnetExpander.load();
  const sense = (d: string) => wordnet.typeSenses(d);
  const river = sense('river');
  assert.equal(river.length, 1);
  for (const d of ['rivers in Europe', 'rivers of Europe', 'types of rivers', 'types of rivers in Europe', 'rivers such as the Danube', 'European river']) assert.deepEqual(sense(d), river, d);
  assert.deepEqual(sense('companies that make aircraft'), sense('company'));
  assert.deepEqual(sense('drugs for diabetes'), sense('drug'));
  assert.deepEqual(sense('cities in Germany'), sense('city'));
  assert.deepEqual(sense('people born in Vienna'), sense('people'));
  assert.deepEqual(sense('mountain ranges in Asia'), sense('mountain range'));
  // phrases WordNet lists as nouns keep their own sense, a plural head included
  assert.deepEqual(sense('works of art'), [wordnet.senses('work_of_art')![0]]);
  assert.deepEqual(sense('member of parliament'), [wordnet.senses('member_of_parliament')![0]]);
  assert.deepEqual(sense('bird of prey'), [wordnet.senses('bird_of_prey')![0]]);
  // alternatives are joined before a modifier, not inside it
  assert.deepEqual(sense('cities in Germany or France'), sense('city'));
  assert.deepEqual(sense('companies that make aircraft and spacecraft'), sense('company'));
  assert.deepEqual(sense('songs or albums by the Beatles'), [...sense('song'), ...sense('album')]);
  assert.deepEqual(sense('member of parliament or head of state'), [...sense('member of parliament'), ...sense('head of state')]);
  // punctuation, a possessive and parentheses around the words do not hide them
  for (const d of ['"river"', 'rivers.', 'River?', "river's", '(river)', 'river (European)', '(European) river']) assert.deepEqual(sense(d), river, d);
});
