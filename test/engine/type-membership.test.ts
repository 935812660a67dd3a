// WordNet type membership: which mention texts are known members of a type query, and how search,
// highlights and eval raise their scores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { WordnetTypeMembership, boostedScore } from '../../server/src/engine/query/typeMembership.ts';
import { WordnetExpander, centuryOf, lifetime } from '../../server/src/engine/encode/queryExpansion.ts';
import { loadWordVectors } from '../../server/src/engine/encode/wordVectors.ts';
import { StaticEncoder } from '../../server/src/engine/encode/staticEncoder.ts';
import { MEMBERSHIP_POOL, searchByVector, searchMentions } from '../../server/src/engine/query/search.ts';
import { MentionStore } from '../../server/src/engine/index/store.ts';
import { mentionScorer } from '../../server/src/engine/eval/retrieval.ts';
import { components, loadDefaultModels, openStore } from '../../server/src/engine/engine.ts';
import { indexCorpus } from '../../server/src/engine/indexer.ts';
import type { TypeMembership } from '../../server/src/engine/types.ts';
import { IDENTITY, makeDoc, mentionVector, unit } from './storeFixtures.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

test('WordNet membership: names and kinds below the sense a description names, shared among a name\'s senses', () => {
  const wn = WordnetTypeMembership.load();
  const river = wn.forDescription('European river')!;
  assert.equal(river.weight, 0.4);
  assert.equal(river.fraction('Danube'), 1); // an instance of river
  assert.equal(river.fraction("Danube's"), 1); // possessive
  assert.equal(wn.forDescription('European rivers')!.fraction('Danube'), 1); // plural description
  const jordan = wn.forDescription('river')!.fraction('Jordan'); // a river, a country, a person, …
  assert.ok(jordan > 0 && jordan < 1, String(jordan));
  assert.equal(river.fraction('Jordan'), 0, 'the river Jordan is in Asia, not Europe (next test)');
  for (const other of ['Mozart', 'Vienna', 'Xqzvw Blorf', '', 'the']) assert.equal(river.fraction(other), 0, other);
  const city = wn.forDescription('city or town')!;
  assert.ok(city.fraction('Zürich') > 0, 'diacritics folded as WordNet spells it');
  assert.ok(city.fraction('Vienna') > 0);
  assert.equal(city.fraction('Danube'), 0);
  assert.ok(wn.forDescription('body part')!.fraction('cerebral cortex') > 0, 'a kind, not only named instances');
  assert.equal(wn.forDescription('xqzvw'), undefined);
  assert.equal(wn.forDescription('river', 0), undefined);
});

test('a name WordNet does not know is read by its head noun when that is a common noun ("Vltava River", "Museum of Lost Things", "Mount Xqzvw")', () => {
  const wn = WordnetTypeMembership.load();
  const river = wn.forDescription('European river')!;
  assert.equal(river.fraction('Vltava River'), 1, 'the last word names the kind; no place is known, so it may be in Europe');
  assert.equal(river.fraction('Xqzvw rivers'), 1, 'a plural head');
  assert.equal(river.fraction('river'), 1, 'one word: the word itself, as before');
  assert.equal(river.fraction('the Danube'), 1, 'a leading article WordNet does not list with the name');
  assert.ok(wn.forDescription('rock group')!.fraction('The Beatles') > 0);
  assert.equal(river.fraction('River Phoenix Fan Club'), 0, 'the head is "club"');
  assert.equal(river.fraction('Mississippi River'), 0, 'WordNet knows the name itself: in the United States');
  assert.ok(wn.forDescription('museum')!.fraction('Museum of Lost Things') > 0, 'the head before "of"');
  assert.equal(wn.forDescription('museum')!.fraction('Lost Things of the Museum'), 0, 'the head is "things"');
  const bodyPart = wn.forDescription('body part')!;
  assert.ok(bodyPart.fraction('gluteus maximus muscle') > 0, 'a muscle (two of the five senses of "muscle")');
  assert.equal(bodyPart.fraction('Xqzvw Museum'), 0);
  // A last word that is mostly a name says nothing: "Davis" is a dozen people in WordNet, not a kind.
  assert.equal(wn.forDescription('person')!.fraction('Xqzvw Davis'), 0);
  assert.ok(wn.forDescription('person')!.fraction('Davis') > 0, 'the one-word name itself is still read');
  assert.equal(wn.forDescription('software')!.fraction('Xqzvw Windows'), 0, '"Windows" is written as a name in WordNet');
  // A kind before a name WordNet does not know: "Mount Xqzvw", "President Xqzvw".
  assert.ok(wn.forDescription('mountain')!.fraction('Mount Xqzvw') > 0);
  assert.ok(wn.forDescription('person')!.fraction('President Xqzvw') > 0);
  assert.equal(wn.forDescription('person')!.fraction('President Davis'), 0, 'the last word is a name WordNet knows: no guess from the first');
  assert.equal(wn.forDescription('fruit')!.fraction('Apple Inc.'), 0, 'an abbreviation is no name: "Apple" is not read as the kind');
});

test('a named place among the modifiers ("European river", "rivers in Europe") leaves out members WordNet places elsewhere', () => {
  const wn = WordnetTypeMembership.load();
  const anyRiver = wn.forDescription('river')!;
  for (const description of ['European river', 'European rivers', 'rivers in Europe', 'a river in Europe', 'rivers of Europe']) {
    const river = wn.forDescription(description)!;
    assert.equal(river.fraction('Danube'), 1, description);
    assert.equal(river.fraction('Thames'), 1, `${description}: part of England, of the United Kingdom, of Europe`);
    assert.equal(river.fraction('Nile'), 0, `${description}: WordNet places the Nile in Africa`);
    assert.equal(river.fraction('Mississippi'), 0, `${description}: the river and the state are in the United States`);
  }
  assert.ok(anyRiver.fraction('Nile') > 0 && anyRiver.fraction('Mississippi') > 0, 'without the place both count');
  const city = (d: string, name: string) => wn.forDescription(d)!.fraction(name);
  assert.equal(city('European city', 'Milan'), 1);
  assert.equal(city('European city', 'Tokyo'), 0);
  assert.equal(city('Asian city', 'Tokyo'), 1);
  assert.equal(city('Asian city', 'Milan'), 0);
  for (const d of ['Italian city', 'cities in Italy']) {
    assert.equal(city(d, 'Milan'), 1, d);
    assert.equal(city(d, 'Amsterdam'), 0, d);
  }
  // WordNet gives some places no part holonym; their glosses say where they are ("city on the
  // Rhine in eastern France", "a port city in eastern Argentina").
  assert.equal(city('French city', 'Strasbourg'), 1);
  assert.equal(city('German city', 'Strasbourg'), 0, 'on the Rhine, but in France');
  assert.equal(city('South American city', 'Bahia Blanca'), 1);
  assert.equal(city('European city', 'Bahia Blanca'), 0);
  // Part holonyms can leave out what a gloss says: the Volga and Moscow are parts of Russia, a part of
  // Eurasia, and Russia is "a federation in northeastern Europe and northern Asia".
  assert.equal(city('European river', 'Volga'), 1);
  assert.equal(city('European city', 'Moscow'), 1);
  assert.equal(city('Asian river', 'Danube'), 0, 'Austria\'s Holy Roman Empire, in its gloss after the semicolon, says nothing');
  assert.equal(city('European river', 'Amazon'), 0, 'Brazil is "the largest Portuguese speaking country": an adjective, no place');
  assert.equal(city('European river', 'Yangtze'), 0);
  // A place of two words, before the head or after "in".
  assert.ok(city('North American river', 'Mississippi') > 0);
  assert.equal(city('North American river', 'Danube'), 0);
  assert.ok(city('United States city', 'Chicago') > 0);
  assert.equal(city('United States city', 'Tokyo'), 0);
  assert.equal(city('rivers in the United Kingdom', 'Thames'), 1);
  assert.equal(city('rivers in the United Kingdom', 'Danube'), 0);
  assert.equal(city('cities of the world', 'Tokyo'), city('city', 'Tokyo'), '"the world" is no named place');
  // A locative further into the post-modifier ("that flow through …", "who lived in …").
  assert.equal(city('rivers that flow through Germany', 'Danube'), 1);
  assert.equal(city('rivers that flow through Germany', 'Thames'), 0);
  assert.deepEqual(WordnetExpander.load().typeRestrictions('companies based in Japan').map((r) => r.places.length), [1]);
  // A person placed only more coarsely than asked (Austrian, asked Vienna) may lie there; a German is elsewhere.
  assert.equal(city('composers who lived in Vienna', 'Mozart'), city('composer', 'Mozart'));
  assert.ok(city('composers who lived in Vienna', 'Mozart') > 0);
  assert.equal(city('composers who lived in Vienna', 'Bach'), 0);
  // Not named places: "northern" pertains to the north; "public" to no place.
  assert.equal(city('northern city', 'Tokyo'), city('city', 'Tokyo'));
  assert.ok(city('northern city', 'Tokyo') > 0);
  // WordNet gives people no part holonym; a named person's gloss opens with the nationality
  // ("prolific Austrian composer …", "German baroque organist …", "United States composer …").
  assert.equal(city('German composer', 'Mozart'), 0);
  assert.equal(city('Austrian composer', 'Mozart'), city('composer', 'Mozart'));
  assert.equal(city('European composer', 'Mozart'), city('composer', 'Mozart'));
  assert.equal(city('German composer', 'Bach'), city('composer', 'Bach'));
  assert.ok(city('German composer', 'Bach') > 0);
  assert.ok(city('French painter', 'Monet') > 0 && city('German painter', 'Monet') === 0);
  assert.ok(city('American composer', 'Gershwin') > 0 && city('European composer', 'Gershwin') === 0, 'a "United States composer"');
  // A person whose gloss names no place still counts ("physicist born in …" is placed by its "Germany").
  assert.ok(city('physicist from Germany', 'Einstein') > 0);
  // A modifier that is also a common noun names a place only when written with a capital:
  // "tyre brand" asks for brands of tyres (WordNet's first "tyre" is the port of Lebanon).
  const restrictedTo = (d: string) => WordnetTypeMembership.load().forDescription(d)?.restriction;
  assert.equal(restrictedTo('tyre brand'), undefined);
  assert.equal(restrictedTo('Tyre restaurant'), 'in Sur');
  assert.equal(restrictedTo('china shop'), undefined);
  assert.equal(restrictedTo('China shop'), 'in China');
  assert.equal(restrictedTo('paris restaurant'), 'in Paris', 'no common noun "paris": a place in any case');
  // An adjective's pointer may name a word's later sense ("chinese" → the synset of Taiwan, one
  // of whose words is China): the word's first sense, the People's Republic, counts too.
  assert.equal(restrictedTo('Chinese city'), 'in Taiwan or China');
  assert.equal(restrictedTo('Japanese camera brand'), 'in Japan', 'two senses named Japan (the islands, the state): said once');
  assert.ok(city('Chinese city', 'Shanghai') > 0);
  assert.equal(city('Chinese city', 'Tokyo'), 0);
  // A phrase WordNet lists is the type itself: "European country" is a sense of its own.
  assert.equal(city('European country', 'Germany'), 1);
  assert.equal(city('European country', 'Japan'), 0);
});

test('"people" and "children" in a query mean persons, as WordNet\'s senses of the words themselves (a group, offspring) do not', () => {
  const wn = WordnetTypeMembership.load();
  const expander = WordnetExpander.load();
  assert.deepEqual(expander.typeSenses('people'), expander.typeSenses('person'));
  assert.deepEqual(expander.typeSenses('famous scientists and other people'), [...expander.typeSenses('famous scientist'), ...expander.typeSenses('person')]);
  assert.ok(wn.forDescription('people')!.fraction('Mozart') > 0);
  assert.equal(wn.forDescription('people')!.fraction('Mozart'), wn.forDescription('person')!.fraction('Mozart'));
  assert.deepEqual(expander.typeSenses('children'), expander.typeSenses('child'));
  // A mention's own text keeps WordNet's senses: "people" is still the group noun there.
  assert.notDeepEqual(wn.senses('people'), expander.typeSenses('person'));
});

test('"country": the state and its territory are one concept in two WordNet senses, and the named countries are below the second', () => {
  const wn = WordnetTypeMembership.load();
  const expander = WordnetExpander.load();
  const country = wn.forDescription('country')!;
  for (const name of ['Germany', 'Japan', 'Fiji']) assert.ok(country.fraction(name) > 0, name);
  assert.equal(country.fraction('Bermuda Triangle'), 0, 'an "area", the fifth sense, shares no other word with the first');
  assert.equal(country.fraction('Danube'), 0);
  assert.ok(wn.forDescription('countries')!.fraction('Germany') > 0);
  assert.deepEqual(expander.typeSenses('country'), [expander.senses('country')![0]], 'typeSenses still names the first sense');
  const examples = expander.expand('country');
  assert.ok(examples.includes('Reich') && examples.includes('European country'), examples.join());
  // Other descriptions keep their one sense: the facet needs a shared word and named instances.
  // (politician, band, book and product have later senses with named instances, but as other
  // concepts: "politico", "dance band", the Bible, "production")
  for (const d of ['river', 'band', 'politician', 'book', 'product', 'city or town']) {
    assert.deepEqual(expander.typeRestrictions(d).map((r) => r.type), expander.typeSenses(d), d);
  }
  assert.equal(expander.typeRestrictions('country').length, 2);
});

test('a century in a query ("19th-century composer", "4th century BC philosopher") keeps to people active then, as WordNet\'s glosses date them', () => {
  const wn = WordnetTypeMembership.load();
  const expander = WordnetExpander.load();
  const f = (d: string, name: string) => wn.forDescription(d)!.fraction(name);
  assert.deepEqual(centuryOf('19th-century composer'), [1801, 1900]);
  assert.deepEqual(centuryOf('nineteenth century composers'), [1801, 1900]);
  assert.deepEqual(centuryOf('5th century BC philosopher'), [-500, -401]);
  assert.equal(centuryOf('the century'), undefined);
  assert.equal(centuryOf('composer'), undefined);
  assert.deepEqual(lifetime('Austrian composer (1756-1791)'), [1756, 1791]);
  assert.deepEqual(lifetime('Greek philosopher (circa 428-347 BC)'), [-428, -347]);
  assert.equal(lifetime('a person who composes music'), undefined);
  assert.equal(f('18th-century composer', 'Mozart'), f('composer', 'Mozart'));
  assert.ok(f('18th-century composer', 'Mozart') > 0);
  assert.equal(f('19th-century composer', 'Mozart'), 0, 'died 1791');
  assert.ok(f('19th-century composer', 'Verdi') > 0);
  assert.equal(f('20th-century composer', 'Verdi'), 0, '1813–1901: one year of the 20th century is not ten');
  assert.ok(f('20th-century composer', 'Gershwin') > 0);
  assert.ok(f('4th century BC philosopher', 'Plato') > 0);
  assert.equal(f('4th century BC philosopher', 'Socrates'), 0, '470–399 BC');
  assert.equal(f('German 19th-century composer', 'Verdi'), 0, 'places and years together');
  assert.ok(f('German 19th-century composer', 'Wagner') > 0);
  assert.equal(f('19th-century river', 'Danube'), f('river', 'Danube'), 'no lifetime: a river is not restricted by years');
  // WordNet dates people only: a century before another kind restricts nothing and says so.
  assert.equal(wn.forDescription('21st century company')!.restriction, undefined);
  assert.equal(wn.forDescription('19th-century river')!.restriction, undefined);
  assert.equal(wn.forDescription('19th-century composer')!.restriction, 'active 1801–1900');
  assert.equal(wn.forDescription('19th-century composer'), wn.forDescription('19th-century composer'), 'one test per description, remembered');
  const examples = expander.expand('18th-century composer');
  assert.ok(examples.includes('Bach') && examples.includes('Vivaldi') && !examples.includes('Brahms'), examples.join());
});

test('a description\'s modifiers choose the sense of its head; without word vectors, or without a clear reading, the first sense stays', () => {
  const expander = WordnetExpander.load();
  const vectors = loadWordVectors();
  const gloss = (d: string, v?: typeof vectors) => expander.glossOf(expander.typeSenses(d, v)[0]);
  assert.match(gloss('investment bank', vectors), /financial institution/);
  assert.match(gloss('investment bank'), /sloping land/, 'no vectors: WordNet\'s first sense');
  assert.match(gloss('river bank', vectors), /sloping land/);
  assert.match(gloss('UK supermarket chain', vectors), /establishments/);
  assert.match(gloss('budget airline', vectors), /scheduled flights/);
  assert.match(gloss('TV series', vectors), /serialized set of programs/);
  assert.match(gloss('camera brand', vectors), /name given to a product/, 'a rare sense (a sword) needs more than a closer word');
  assert.equal(expander.typeSenses('river', vectors)[0], expander.typeSenses('river')[0], 'no modifier: the first sense');
  // What follows: the examples and the members are the bank's, not the river's.
  assert.ok(expander.expand('investment bank').includes('riverbank'));
  assert.ok(!expander.expand('investment bank', 40, { vectors }).includes('riverbank'));
});

test('the static encoder reads a query\'s head by its modifiers: another query vector for "investment bank", the same for "river"', async () => {
  const chosen = await StaticEncoder.create();
  const first = await StaticEncoder.create({ senseChoice: false });
  try {
    const same = async (d: string) => {
      const [a, b] = [await chosen.encodeQuery(d), await first.encodeQuery(d)];
      return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    };
    assert.ok(await same('investment bank') < 0.999, 'the examples of the financial institution, not of the riverbank');
    assert.ok(await same('river') > 0.9999);
  } finally {
    await chosen.dispose();
    await first.dispose();
  }
});

test('query expansion keeps to the places a description names', () => {
  const expander = WordnetExpander.load();
  const european = expander.expand('European river');
  const any = expander.expand('river');
  assert.ok(['Danube', 'Rhine', 'Thames'].every((r) => european.includes(r)), european.join());
  assert.ok(any.includes('Amazon') && !european.includes('Amazon'), 'the Amazon is in South America');
  const italian = expander.expand('Italian river');
  assert.ok(italian.includes('Po') && italian.includes('Arno'), italian.join());
  assert.ok(!italian.includes('Danube') && !italian.includes('Rhine'), italian.join());
  assert.ok(!expander.expand('European city').includes('Tokyo'));
  assert.ok(expander.expand('Italian city').includes('Milan'));
  assert.deepEqual(expander.expand('northern river'), any, '"northern" is no named place');
});

test('boostedScore closes a share of the gap to 1 for members only', () => {
  const m: TypeMembership = { weight: 0.4, fraction: (t) => (t === 'a' ? 1 : t === 'b' ? 0.5 : 0) };
  assert.equal(boostedScore(0.5, m, 'x'), 0.5);
  assert.equal(boostedScore(0.5, undefined, 'a'), 0.5);
  assert.ok(Math.abs(boostedScore(0.5, m, 'a') - 0.7) < 1e-12);
  assert.ok(Math.abs(boostedScore(0.5, m, 'b') - 0.6) < 1e-12);
  assert.ok(boostedScore(0.99, m, 'a') <= 1 && boostedScore(1.02, m, 'a') === 1.02); // never pushed past 1, never lowered
  assert.ok(boostedScore(0.3, m, 'a') > boostedScore(0.5, m, 'x'));
});

test('a word in capitals is an acronym unless WordNet writes it so; a role word is no person, nor a name ending in one', () => {
  const wn = WordnetTypeMembership.load();
  const person = wn.forDescription('person')!;
  assert.equal(person.fraction('Arp'), 1, 'the artist');
  for (const text of ['ARP', 'BLAKE', 'DAMON']) assert.equal(person.fraction(text), 0, `${text}: a protocol, a hash, a tool`);
  assert.equal(wn.forDescription('organization')!.fraction('NATO'), 1, 'WordNet writes NATO in capitals');
  assert.equal(wn.forDescription('operating system')!.fraction('UNIX'), 1);
  assert.ok(wn.forDescription('country')!.fraction('USA') > 0);
  for (const text of ['Author', 'Commander', 'editors']) assert.equal(person.fraction(text), 0, `${text}: a kind of person, not one`);
  for (const text of ['Dallas Cowboys', 'Beastie Boys', 'Will Deacon']) assert.equal(person.fraction(text), 0, `${text}: ends in a kind of person`);
  assert.ok(person.fraction('President Xqzvw') > 0, 'a role before a name WordNet does not know');
  assert.ok(person.fraction('Mozart') > 0);
  assert.ok(wn.forDescription('body part')!.fraction('cerebral cortex') > 0, 'kinds of other things still count');
});

test('a mention that names the type itself or a broader kind is no member: its score is lowered below the others', () => {
  const wn = WordnetTypeMembership.load();
  const license = wn.forDescription('open source license')!;
  for (const text of ['License', 'LICENSE', 'licenses', 'Source License']) assert.equal(license.namesType?.(text), true, text);
  assert.equal(wn.forDescription('band')!.namesType?.('The Band'), false, 'an article inside the mention makes it a title');
  assert.equal(wn.forDescription('band')!.namesType?.('Band'), true);
  for (const text of ['Apache License', 'MIT License', 'GNU General Public License', 'Artistic License', 'GPL']) assert.equal(license.namesType?.(text), false, text);
  const browser = wn.forDescription('web browser')!;
  for (const text of ['browser', 'Browsers', 'BROWSER', 'Web']) assert.equal(browser.namesType?.(text), true, text);
  for (const text of ['Firefox', 'Internet Explorer', 'Konqueror']) assert.equal(browser.namesType?.(text), false, text);
  const language = wn.forDescription('programming language')!;
  assert.equal(language.namesType?.('Language'), true, 'a sense above the type (WordNet: a programming language is a language)');
  for (const text of ['Fortran', 'Java', 'Perl', 'C']) assert.equal(language.namesType?.(text), false, text);
  const river = wn.forDescription('European river')!;
  assert.equal(river.namesType?.('River'), true);
  assert.equal(river.namesType?.('Stream'), true, 'WordNet: a river is a stream');
  assert.equal(river.namesType?.('Danube'), false);
  assert.equal(river.fraction('Danube'), 1, 'members are still raised');
  assert.equal(wn.forDescription('text editor')!.namesType?.('Text'), true, 'a word of the description, whatever WordNet says');
  assert.equal(wn.forDescription('text editor')!.namesType?.('Emacs'), false);
  // A query that names one thing, not a kind, finds that thing's mentions.
  assert.equal(wn.forDescription('Unix')?.namesType?.('Unix') ?? false, false);
  assert.equal(wn.forDescription('Kubernetes')?.namesType?.('Kubernetes') ?? false, false);
  assert.equal(wn.forDescription('Danube')?.namesType?.('Danube') ?? false, false);

  const m: TypeMembership = { weight: 0.4, fraction: () => 0, namesType: (t) => t === 'License' };
  assert.ok(Math.abs(boostedScore(0.8, m, 'License') - (0.8 - 0.4 * 1.8)) < 1e-12);
  assert.ok(boostedScore(0.95, m, 'License') < boostedScore(0.5, m, 'GPL'), 'below candidates it outscored');
  assert.ok(boostedScore(0.9, m, 'License') > boostedScore(0.8, m, 'License'), 'in their own order');
  assert.ok(boostedScore(-1, m, 'License') >= -1);
});

test('search re-ranks its candidate pool by the boosted score: equal to scoring every mention when the pool covers the store', async () => {
  const dir = scratchDir('membership-');
  const store = await MentionStore.open(dir, IDENTITY);
  try {
    for (let i = 0; i < 50; i++) {
      const vectors = new Map<number, Float32Array>();
      store.putDocument(makeDoc(i, 1, (j) => { const l = store.allocateLabel(); vectors.set(l, mentionVector(i, j)); return l; }), vectors);
    }
    assert.ok(store.mentionCount < MEMBERSHIP_POOL, 'the re-ranked pool covers every mention');
    const query = unit(mentionVector(1000, 1));
    // Fixture texts are "entity i/j"; the mentions of documents 0, 7, 14, … are members.
    const isMember = (text: string) => Number(text.split(' ')[1].split('/')[0]) % 7 === 0;
    const membership: TypeMembership = { weight: 0.4, fraction: (t) => (isMember(t) ? 1 : 0) };
    const all = [...store.documents()].flatMap((d) => d.paragraphs[0].mentions).map((m) => {
      const cosine = dot(query, store.vector(m.label)!);
      return { text: m.text, cosine, boosted: isMember(m.text) ? cosine + 0.4 * (1 - cosine) : cosine };
    });
    const byCosine = [...all].sort((a, b) => b.cosine - a.cosine).slice(0, 10).map((h) => h.text);
    const byBoosted = [...all].sort((a, b) => b.boosted - a.boosted).slice(0, 10);

    const plain = searchByVector('q', query, store, { limit: 10 });
    assert.deepEqual(plain.map((h) => h.text), byCosine);
    const hits = searchByVector('q', query, store, { limit: 10, membership });
    assert.deepEqual(hits.map((h) => h.text), byBoosted.map((h) => h.text));
    hits.forEach((h, k) => assert.ok(Math.abs(h.score - byBoosted[k].boosted) < 1e-5, h.text));
    assert.ok(hits.some((h) => !byCosine.includes(h.text)), 'a member from below the cosine top 10 is lifted into it');
    // --min-score applies to the boosted score
    const floor = byBoosted[4].boosted - 1e-6;
    assert.deepEqual(searchByVector('q', query, store, { limit: 10, membership, minScore: floor }).map((h) => h.text), byBoosted.slice(0, 5).map((h) => h.text));
  } finally {
    await store.close();
  }
});

test('the static encoder: a river WordNet knows scores above its cosine in search and in eval; the others keep their cosine', async () => {
  const models = await loadDefaultModels();
  const membership = models.encoder.typeMembership?.('river');
  assert.ok(membership, 'the built-in encoder has the WordNet test');
  assert.equal(models.encoder.typeMembership?.('European river')?.fraction('Mississippi'), 0, 'and reads the place in a description');
  assert.ok(membership.fraction('Mississippi') > 0);
  const dir = scratchDir('membership-e2e-');
  const store = await openStore(join(dir, 'store'), models, { rebuild: true });
  try {
    const texts = ['We sailed down the Danube past Vienna with Anna Berger.', 'The Thames floods every spring, said Tom Hardy of Siemens.'];
    const corpus = texts.map((text, i) => JSON.stringify({ id: `d${i}`, text, spans: [...text.matchAll(/Danube|Vienna|Anna Berger|Thames|Tom Hardy|Siemens/g)].map((m) => [m.index, m.index + m[0].length]) })).join('\n');
    await indexCorpus(join(dir, 'c.jsonl'), corpus, components(models, store));
    const q = await models.encoder.encodeQuery('river');
    const hits = await searchMentions('river', models.encoder, store, { limit: 10 });
    assert.equal(hits.length, 6);
    for (const h of hits) {
      const cosine = dot(q, store.vector(h.label)!);
      if (h.text === 'Danube' || h.text === 'Thames') assert.ok(h.score > cosine + 0.05, `${h.text} ${h.score} vs ${cosine}`);
      else assert.ok(Math.abs(h.score - cosine) < 1e-5, `${h.text} ${h.score} vs ${cosine}`);
    }
    assert.deepEqual(hits.slice(0, 2).map((h) => h.text).sort(), ['Danube', 'Thames']);
    // eval's scorer applies the same boost: each sentence scores as its best boosted mention
    const sentences = texts.map((text, i) => ({ id: `s${i}`, tokens: [], tokenStarts: [], tokenSpans: [], text, spans: [...text.matchAll(/Danube|Thames|Siemens/g)].map((m) => ({ start: m.index, end: m.index + m[0].length, type: 'x' })) }));
    const scores = await (await mentionScorer(sentences, models.encoder))('x', 'river');
    const best = (t: string) => Math.max(...hits.filter((h) => texts[Number(h.docId!.slice(1))] === t && ['Danube', 'Thames', 'Siemens'].includes(h.text)).map((h) => h.score));
    texts.forEach((t, i) => assert.ok(Math.abs(scores[i] - best(t)) < 1e-5, `${scores[i]} vs ${best(t)}`));
    // A dataset label typed as the query is read as its words (query/description.ts): "BodyOfWater"
    // was refused before (no word of it in the vocabulary); now it ranks as "body of water" does,
    // rivers first, boost included.
    const asWords = await searchMentions('body of water', models.encoder, store, { limit: 10 });
    const asLabel = await searchMentions('BodyOfWater', models.encoder, store, { limit: 10 });
    assert.deepEqual(asLabel.map((h) => [h.text, h.score.toFixed(6)]), asWords.map((h) => [h.text, h.score.toFixed(6)]));
    assert.deepEqual(asLabel.slice(0, 2).map((h) => h.text).sort(), ['Danube', 'Thames']);
    assert.equal(asLabel[0].query, 'BodyOfWater', 'hits keep the query as written');
  } finally {
    await store.close();
  }
});

test('search for "European river": the Danube is raised, the Mississippi and the Amazon keep their cosine; for "river" all three are raised', async () => {
  const models = await loadDefaultModels();
  const dir = scratchDir('membership-places-');
  const store = await openStore(join(dir, 'store'), models, { rebuild: true });
  try {
    const texts = ['We sailed down the Danube past Vienna.', 'The Mississippi floods every spring.', 'The Amazon runs through Brazil.'];
    const names = /Danube|Vienna|Mississippi|Amazon|Brazil/g;
    const corpus = texts.map((text, i) => JSON.stringify({ id: `d${i}`, text, spans: [...text.matchAll(names)].map((m) => [m.index, m.index + m[0].length]) })).join('\n');
    await indexCorpus(join(dir, 'c.jsonl'), corpus, components(models, store));
    const raised = async (query: string) => {
      const q = await models.encoder.encodeQuery(query);
      const hits = await searchMentions(query, models.encoder, store, { limit: 10 });
      assert.equal(hits.length, 5);
      return { hits, raised: hits.filter((h) => h.score > dot(q, store.vector(h.label)!) + 1e-5).map((h) => h.text).sort() };
    };
    const european = await raised('European river');
    assert.deepEqual(european.raised, ['Danube']);
    assert.equal(european.hits[0].text, 'Danube');
    assert.deepEqual((await raised('river')).raised, ['Amazon', 'Danube', 'Mississippi']);
  } finally {
    await store.close();
  }
});
