// Where a name starts and ends beyond the tagger's spans: names built on "of"/"for" (joined when the
// first span ends in a capitalised common noun, and only then), a capitalised "The" mid-sentence,
// a clause break inside a span ("Europe: the Danube"), a range ("from Westminster to Tower Bridge")
// and a lower-case phrase after a preposition ("Makefile to ninja").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinAdjacentWords, joinNameBridges, splitAtNameFor } from '../../server/src/engine/detect/nameBridges.ts';
import { extendOverLeadingThe } from '../../server/src/engine/detect/leadingThe.ts';
import { attachHonorifics } from '../../server/src/engine/detect/honorifics.ts';
import { loadDefaultDetector } from '../../server/src/engine/detect/index.ts';
import { TaggerDetector, cutAtPrepositionTail, splitAtJoiningArticle, trimSpan } from '../../server/src/engine/detect/tagger.ts';
import { tokenize } from '../../server/src/engine/detect/tokenize.ts';

/** Spans over the given words of s (each word's first occurrence from the last end). */
function spansOver(s: string, words: string[]) {
  let from = 0;
  return words.map((w) => { const start = s.indexOf(w, from); assert.ok(start >= 0, w); from = start + w.length; return { start, end: from }; });
}
const texts = (s: string, spans: Array<{ start: number; end: number }>) => spans.map((x) => s.slice(x.start, x.end));

test('joinAdjacentWords: two capitalised one-word spans one space apart mid-sentence are one name; longer spans and a sentence start keep two', () => {
  const join = (s: string, words: string[]) => texts(s, joinAdjacentWords(s, spansOver(s, words)));
  assert.deepEqual(join('It works from XP onwards with Internet Explorer and more.', ['XP', 'Internet', 'Explorer']), ['XP', 'Internet Explorer']);
  assert.deepEqual(join('Tested on a Dell Inspiron laptop.', ['Dell', 'Inspiron']), ['Dell Inspiron']);
  assert.deepEqual(join('Then the U.S. Navy spoke.', ['U.S.', 'Navy']), ['U.S.', 'Navy'], 'title-case words only (wider joins lowered span F1 on the dev sets)');
  assert.deepEqual(join('He met Bill Clinton Monday.', ['Bill Clinton', 'Monday']), ['Bill Clinton', 'Monday'], 'a span of two words stays apart');
  assert.deepEqual(join('Internet Explorer crashed.', ['Internet', 'Explorer']), ['Internet', 'Explorer'], 'the first word of the sentence is capitalised by position');
  assert.deepEqual(join('They met Anna, Berlin and Oslo.', ['Anna', 'Berlin', 'Oslo']), ['Anna', 'Berlin', 'Oslo'], 'punctuation between');
  assert.deepEqual(join('They met Anna  Berlin.', ['Anna', 'Berlin']), ['Anna', 'Berlin'], 'blanked markup between');
  assert.deepEqual(join('It runs on iOS Safari.', ['iOS', 'Safari']), ['iOS', 'Safari']);
  // A capitalised word and its model code are one span of the tagger's: the maker's name before it joins.
  assert.deepEqual(join('We bought a Hewlett Packard C2502 scanner.', ['Hewlett', 'Packard C2502']), ['Hewlett Packard C2502']);
  assert.deepEqual(join('Cards: Titanmedia Supervision TV-2400 and more.', ['Titanmedia', 'Supervision TV-2400']), ['Titanmedia Supervision TV-2400']);
  assert.deepEqual(join('He met Bill Clinton Monday.', ['Bill', 'Clinton Monday']), ['Bill', 'Clinton Monday'], 'no model code: two names');
  assert.deepEqual(join('We bought a Hewlett Packard C2502 Pro scanner.', ['Hewlett', 'Packard C2502 Pro']), ['Hewlett', 'Packard C2502 Pro'], 'a word after the code');
  for (const s of ['We bought a Hewlett Packard C2502 scanner.', '4   Hewlett Packard C2502']) {
    assert.ok(texts(s, loadDefaultDetector().detect(s)).includes('Hewlett Packard C2502'), texts(s, loadDefaultDetector().detect(s)).join(' | '));
  }
  const det = loadDefaultDetector();
  const s = "If you're into Windows, from XP onwards Internet Explorer supports WebDAV.";
  assert.ok(texts(s, det.detect(s)).includes('Internet Explorer'), texts(s, det.detect(s)).join(' | '));
});

test('joinNameBridges: a capitalised common noun and its "of"/"for" complement are one name; a name, a sentence-initial word or "and" keep two', () => {
  const join = (s: string, words: string[]) => texts(s, joinNameBridges(s, spansOver(s, words)));
  assert.deepEqual(join('It was recognized by the World Organization of the Scout Movement in 1957.', ['World Organization', 'Scout Movement']), ['World Organization of the Scout Movement']);
  assert.deepEqual(join('He moved to the Bank of England.', ['Bank', 'England']), ['Bank of England']);
  assert.deepEqual(join('A patch from Anna Henningsen of Berlin.', ['Anna Henningsen', 'Berlin']), ['Anna Henningsen', 'Berlin'], 'a person of a city');
  assert.deepEqual(join('It runs on the Windows Subsystem for Linux.', ['Windows Subsystem', 'Linux']), ['Windows Subsystem for Linux']);
  assert.deepEqual(join('A talk by Smith of Microsoft.', ['Smith', 'Microsoft']), ['Smith', 'Microsoft'], 'a person of a company');
  assert.deepEqual(join('Users of Windows see this.', ['Users', 'Windows']), ['Users', 'Windows'], 'capitalised by position');
  assert.deepEqual(join('The Bank and England.', ['Bank', 'England']), ['Bank', 'England'], '"and" joins two names');
  assert.deepEqual(join('The Bank of the england team.', ['Bank', 'england']), ['Bank', 'england'], 'the complement must be capitalised');
  assert.deepEqual(join('The Bank  of England.', ['Bank', 'England']), ['Bank', 'England'], 'blanked markup between them');
  assert.deepEqual(join('In Prague the Vltava is crossed by the Charles Bridge.', ['Prague', 'Vltava', 'Charles Bridge']), ['Prague', 'Vltava', 'Charles Bridge'], 'a bare "the" is no bridge');
  assert.deepEqual(join('It uses the Code and the Buffer class.', ['Code', 'Buffer']), ['Code', 'Buffer'], '"and the" is no bridge');
});

test('joinNameBridges: only the head of an institution, office, award or system (or Title Case) takes a "for" complement', () => {
  const join = (s: string, words: string[]) => texts(s, joinNameBridges(s, spansOver(s, words)));
  // Right joins stay.
  assert.deepEqual(join('A report by the Bank for International Settlements came out.', ['Bank', 'International Settlements']), ['Bank for International Settlements']);
  assert.deepEqual(join('Data from the Centers for Disease Control show it.', ['Centers', 'Disease Control']), ['Centers for Disease Control']);
  assert.deepEqual(join('He sat on the Commission for Racial Equality.', ['Commission', 'Racial Equality']), ['Commission for Racial Equality']);
  assert.deepEqual(join('She joined the Society for the Prevention of Cruelty to Animals.', ['Society', 'Prevention of Cruelty to Animals']), ['Society for the Prevention of Cruelty to Animals']);
  assert.deepEqual(join('He was Minister for Foreign Affairs then.', ['Minister', 'Foreign Affairs']), ['Minister for Foreign Affairs']);
  assert.deepEqual(join('Funded by the International Centre for Hydrogen Energy Technologies.', ['International Centre', 'Hydrogen Energy Technologies']), ['International Centre for Hydrogen Energy Technologies']);
  assert.deepEqual(join('Bonus: Don\'t Save It All for Christmas Day.', ['Save It All', 'Christmas Day']), ['Save It All for Christmas Day'], 'a title in Title Case');
  // A name that serves another is no name with a complement.
  assert.deepEqual(join('keep Azure for the Toyota tenant', ['Azure', 'Toyota']), ['Azure', 'Toyota']);
  assert.deepEqual(join('We keep Slack for the Acme account.', ['Slack', 'Acme']), ['Slack', 'Acme']);
  assert.deepEqual(join('- Keep the Guardian for English.', ['Guardian', 'English']), ['Guardian', 'English']);
  assert.deepEqual(join('non-alc: Lucky Saint for Ben (driving)', ['Lucky Saint', 'Ben']), ['Lucky Saint', 'Ben']);
  // "of" is left as it was.
  assert.deepEqual(join('He moved to the Guardian of Lagos.', ['Guardian', 'Lagos']), ['Guardian of Lagos']);
});

test('splitAtNameFor: a span that runs from a place\'s or person\'s name over "for (the)" is two names', () => {
  const split = (s: string, words: string[]) => texts(s, splitAtNameFor(s, spansOver(s, words)));
  assert.deepEqual(split('Then to California for Yosemite: Half Dome.', ['California for Yosemite', 'Half Dome']), ['California', 'Yosemite', 'Half Dome']);
  assert.deepEqual(split('A visit to Paris for the Louvre.', ['Paris for the Louvre']), ['Paris', 'Louvre']);
  assert.deepEqual(split('He runs the Centers for Disease Control.', ['Centers for Disease Control']), ['Centers for Disease Control'], 'a head that takes "for"');
  assert.deepEqual(split('Songs: Music for the Royal Fireworks.', ['Music for the Royal Fireworks']), ['Music for the Royal Fireworks'], 'a common noun before "for" is left to the tagger');
  const det = loadDefaultDetector();
  const s = 'Then to California for Yosemite: Half Dome with the cables, Mist Trail down past the waterfalls.';
  assert.deepEqual(texts(s, det.detect(s)), ['California', 'Yosemite', 'Half Dome', 'Mist Trail']);
  const t = 'CTO proposes moving analytics from AWS to Google Cloud for committed-use discounts; keep Azure for the Toyota tenant (their requirement).';
  assert.deepEqual(texts(t, det.detect(t)), ['AWS', 'Google Cloud', 'Azure', 'Toyota']);
  for (const right of ['The Bank for International Settlements said so.', 'He works at the Centers for Disease Control now.', 'The Commission for Racial Equality said so.', 'He joined the Society for the Prevention of Cruelty to Animals.']) {
    const name = /(\S+ for .*?)(?: said| now|\.)/.exec(right.replace(/^(?:The|He works at the|He joined the) /, ''))![1];
    assert.ok(texts(right, det.detect(right)).includes(name), `${right}: ${JSON.stringify(texts(right, det.detect(right)))}`);
  }
});

test('built-in detector: "of"/"for" names are whole mentions; `nameBridges` off restores the tagger\'s pieces', () => {
  const det = loadDefaultDetector();
  const s = 'The association was recognized by the World Organization of the Scout Movement from 1957 to 1975 .';
  assert.ok(texts(s, det.detect(s)).includes('World Organization of the Scout Movement'), JSON.stringify(texts(s, det.detect(s))));
  const off = new TaggerDetector(det.model, (det as unknown as { vectors: never }).vectors, { terms: det.terms, nameAdjectives: det.nameAdjectives, firstNames: det.firstNames, nameBridges: false });
  assert.deepEqual(texts(s, off.detect(s)), ['World Organization', 'Scout Movement'], 'the tagger alone splits it');
  assert.ok(det.id.includes('Lo') && !off.id.includes('Lo'), 'the rule is in the detector id');
});

test('extendOverLeadingThe: a capitalised "The" mid-sentence opens the name; at a sentence, clause or line start it does not', () => {
  const extend = (s: string, words: string[]) => texts(s, extendOverLeadingThe(s, spansOver(s, words)));
  assert.deepEqual(extend('Jon Stewart of The Daily Show praised it.', ['Jon Stewart', 'Daily Show']), ['Jon Stewart', 'The Daily Show']);
  assert.deepEqual(extend('She read it in The New Yorker and Time.', ['New Yorker', 'Time']), ['The New Yorker', 'Time']);
  assert.deepEqual(extend('The Beatles played Hamburg.', ['Beatles', 'Hamburg']), ['Beatles', 'Hamburg'], 'sentence start');
  assert.deepEqual(extend('{string} The IP address to check', ['IP']), ['IP'], 'after a type annotation');
  assert.deepEqual(extend('Returns: The URL string.', ['URL']), ['URL'], 'after a colon');
  assert.deepEqual(extend('Our songs\nThe Beatles wrote', ['Beatles']), ['Beatles'], 'at a line start');
  assert.deepEqual(extend('a review in the New Yorker', ['New Yorker']), ['New Yorker'], 'a lower-case "the" stays out');
});

test('built-in detector: "The" joins a mid-sentence name in cased prose only', () => {
  const det = loadDefaultDetector();
  const s = 'Jon Stewart of The Daily Show praised the campaign.';
  assert.ok(texts(s, det.detect(s)).includes('The Daily Show'), JSON.stringify(texts(s, det.detect(s))));
  assert.ok(det.id.includes('LoT'), 'the rule is in the detector id');
});

test('trimSpan: chat interjections at the edge of a longer span go ("james lol", "Jimmy XD"); a lone one stays for the tagger to judge', () => {
  const trimmed = (s: string) => { const toks = tokenize(s); const [a, b] = trimSpan(toks, 0, toks.length); return toks.slice(a, b).map((t) => t.text).join(' '); };
  assert.equal(trimmed('james lol'), 'james');
  assert.equal(trimmed('Jimmy XD'), 'Jimmy');
  assert.equal(trimmed('mariah hahahahahaha'), 'mariah');
  assert.equal(trimmed('lol Jimmy Kimmel'), 'Jimmy Kimmel');
  assert.equal(trimmed('LoL'), 'LoL', '"LoL" is also League of Legends');
  assert.equal(trimmed('Hmm Records'), 'Records', 'an interjection opening a span goes too');
  const det = loadDefaultDetector();
  const s = 'you sound like james lol';
  assert.deepEqual(texts(s, det.detect(s)), ['james']);
});

test('splitAtJoiningArticle: a spaced clause break before a lower-case word ends a name; a hyphen in a word or a title\'s capital does not', () => {
  const split = (s: string) => {
    const tokens = tokenize(s);
    return splitAtJoiningArticle(tokens, 0, tokens.length).map(([a, b]) => s.slice(tokens[a].start, tokens[b - 1].end));
  };
  assert.deepEqual(split('Europe: the Danube'), ['Europe', 'the Danube']);
  assert.deepEqual(split('Vienna - the capital'), ['Vienna', 'the capital']);
  assert.deepEqual(split('Vienna – the capital'), ['Vienna', 'the capital']);
  assert.deepEqual(split('Gdańsk the Vistula'), ['Gdańsk', 'Vistula'], 'the joining article itself is dropped');
  assert.deepEqual(split('Star Wars: The Force Awakens'), ['Star Wars: The Force Awakens'], 'a capital after the colon');
  assert.deepEqual(split('Mercedes-benz'), ['Mercedes-benz'], 'a hyphen inside a word');
  assert.deepEqual(split('europe: the danube'), ['europe: the danube'], 'no capital before the break: lower-cased text is left to the tagger');
  const splitAfter = (before: string, s: string) => {
    const tokens = tokenize(`${before} ${s}`);
    const a = tokenize(before).length;
    return splitAtJoiningArticle(tokens, a, tokens.length).map(([x, y]) => `${before} ${s}`.slice(tokens[x].start, tokens[y - 1].end));
  };
  assert.deepEqual(splitAfter('along the Thames from', 'Westminster to Tower Bridge'), ['Westminster', 'Tower Bridge'], 'a range opened by "from"');
  assert.deepEqual(splitAfter('she read', 'Journey to Mars'), ['Journey to Mars'], 'no "from" before it: a title');
  const det = loadDefaultDetector();
  const heading = 'Rivers of Europe: the Danube';
  assert.ok(!texts(heading, det.detect(heading)).some((t) => t.includes(':')), JSON.stringify(texts(heading, det.detect(heading))));
  assert.ok(texts(heading, det.detect(heading)).includes('Danube'));
});

test('cutAtPrepositionTail: a capitalised name ends before a preposition followed by lower-case words only', () => {
  const cut = (s: string) => {
    const tokens = tokenize(s);
    const [a, b] = cutAtPrepositionTail(tokens, 0, tokens.length);
    return s.slice(tokens[a].start, tokens[b - 1].end);
  };
  assert.equal(cut('Makefile to ninja'), 'Makefile');
  assert.equal(cut('Unicode Property Escapes to intl'), 'Unicode Property Escapes');
  assert.equal(cut('Windows on Arm'), 'Windows on Arm', 'a capitalised word after the preposition');
  assert.equal(cut('Bank of america'), 'Bank of america', '"of" is left alone');
  assert.equal(cut('Ruby on'), 'Ruby on', 'too short to have a tail (trimSpan drops a trailing preposition)');
  assert.equal(cut('makefile to ninja'), 'makefile to ninja', 'lower-cased text is left to the tagger');
  const det = loadDefaultDetector();
  const line = 'build: delegate building from Makefile to ninja (Refael Ackermann)';
  assert.deepEqual(texts(line, det.detect(line)), ['Makefile', 'Refael Ackermann']);
  const walk = 'In London we walked along the Thames from Westminster to Tower Bridge.';
  assert.deepEqual(texts(walk, det.detect(walk)), ['London', 'Thames', 'Westminster', 'Tower Bridge']);
});

/** The committed tagger with one rule switched (the others as shipped). */
function withRule(rule: 'ordinaryLowerCase' | 'coordinatedFirstWord' | 'identifiers', on: boolean): TaggerDetector {
  const det = loadDefaultDetector();
  return new TaggerDetector(det.model, (det as unknown as { vectors: never }).vectors, { terms: det.terms, nameAdjectives: det.nameAdjectives, firstNames: det.firstNames, [rule]: on });
}

test('built-in detector: in cased prose a span of lower-case dictionary words is dropped; lower-cased text and lexicon terms keep theirs', () => {
  const det = withRule('ordinaryLowerCase', true), off = withRule('ordinaryLowerCase', false);
  const s = 'Cheerio works in both browser and server environments.';
  assert.deepEqual(texts(s, off.detect(s)), ['browser'], 'the tagger alone marks "browser"');
  assert.deepEqual(texts(s, det.detect(s)), []);
  // Lower-cased text writes every name that way: the rule stays out of it.
  const lower = 'we flew from paris to rome with ryanair';
  assert.deepEqual(texts(lower, det.detect(lower)), texts(lower, off.detect(lower)));
  // Drugs from the term lexicon stay.
  const t = 'Dr. Patel prescribed ibuprofen after the surgery in Boston.';
  assert.deepEqual(texts(t, det.detect(t)), ['Dr. Patel', 'ibuprofen', 'Boston']);
  assert.ok(det.id.includes('TO') && !off.id.includes('TO'), 'the rule is in the detector id');
});

test('built-in detector: a capitalised first word joined to a name by "and"/"or" or a going-on list is a name when the tagger leans that way mid-sentence', () => {
  const det = withRule('coordinatedFirstWord', true), off = withRule('coordinatedFirstWord', false);
  const found = (d: TaggerDetector, s: string) => texts(s, d.detect(s));
  assert.deepEqual(found(off, 'Shell and BP reported profits.'), ['BP'], 'before: a first word that is also a common word is left out');
  assert.deepEqual(found(det, 'Shell and BP reported profits.'), ['Shell', 'BP']);
  assert.deepEqual(found(det, 'Orange and Vodafone merged.'), ['Orange', 'Vodafone']);
  assert.deepEqual(found(det, 'Shell, BP and Total cut prices.')[0], 'Shell');
  // Common nouns the tagger does not take for names there, and a comma that opens no list.
  assert.deepEqual(found(det, 'Students and NHS staff protested.'), found(off, 'Students and NHS staff protested.'));
  assert.ok(!found(det, 'Police and FBI agents arrived.').includes('Police'));
  assert.ok(!found(det, 'So, Hela wants a queen.').includes('So'));
  assert.ok(det.id.includes('OC') && !off.id.includes('OC'), 'the rule is in the detector id');
});

test('built-in detector: a span with a snake_case word is a code identifier and dropped; @handles stay theirs', () => {
  const det = withRule('identifiers', true), off = withRule('identifiers', false);
  const found = (d: TaggerDetector, s: string) => texts(s, d.detect(s));
  const s = 'Allocate it with GFP_KERNEL in Linux.';
  assert.deepEqual(found(off, s), ['GFP_KERNEL', 'Linux'], 'the tagger alone marks the identifier');
  assert.deepEqual(found(det, s), ['Linux']);
  assert.deepEqual(found(det, 'The GIT_DIR variable points at the repository.'), []);
  // Whatever the tagger makes of a handle, this rule leaves it alone.
  const h = 'Congrats to @Jessica_Chobot and Jessica Chobot on the new show.';
  assert.deepEqual(found(det, h), found(off, h));
  assert.ok(det.id.includes('CI') && !off.id.includes('CI'), 'the rule is in the detector id');
});

test('a comma between two names of a list ends a name; one before a state, a region or a title does not (listCommas.ts)', () => {
  const det = loadDefaultDetector();
  const detected = (s: string) => texts(s, det.detect(s));
  assert.deepEqual(detected('Longest rivers: Nile, Amazon, Yangtze, Mississippi, Yenisei.'), ['Nile', 'Amazon', 'Yangtze', 'Mississippi', 'Yenisei']);
  assert.deepEqual(detected('Cities: Paris, London, Berlin.'), ['Paris', 'London', 'Berlin']);
  // A region after a region that is no city is the next item of a list, not its qualifier.
  assert.deepEqual(detected('We visited France, Germany, Italy and Spain.'), ['France', 'Germany', 'Italy', 'Spain']);
  assert.deepEqual(detected('They fought in Georgia, Armenia and Azerbaijan.'), ['Georgia', 'Armenia', 'Azerbaijan']);
  assert.deepEqual(detected('We saw works by Béla Bartók, Arvo Pärt and others.'), ['Béla Bartók', 'Arvo Pärt']);
  // MultiCoNER's convention, kept: a place and its state or country, a peer and his title.
  assert.deepEqual(detected('She lives in Buffalo, New York now.'), ['Buffalo, New York']);
  assert.deepEqual(detected('he moved to tavares, florida in 1990.'), ['tavares, florida']);
  assert.deepEqual(detected('Prince William, Duke of Cumberland led the army.'), ['Prince William, Duke of Cumberland']);
  assert.deepEqual(detected('William de Valence, 1st Earl of Pembroke died.'), ['William de Valence, 1st Earl of Pembroke']);
  // The rule off: the tagger's own joins come back (what the rule is for).
  const off = new TaggerDetector(det.model, (det as unknown as { vectors: ConstructorParameters<typeof TaggerDetector>[1] }).vectors, { listCommas: false });
  const s = 'Cities: Paris, London, Berlin.';
  assert.ok(texts(s, off.detect(s)).includes('London, Berlin'));
});

test('a title and the name after it are one span; a lone title is none (honorifics.ts)', () => {
  const det = loadDefaultDetector();
  const detected = (s: string) => texts(s, det.detect(s));
  assert.deepEqual(detected("Next week ask Mr. O'Sullivan about the lease."), ["Mr. O'Sullivan"]);
  assert.deepEqual(detected('I met Dr. Katarzyna Nowak and Prof. Alan Turing.'), ['Dr. Katarzyna Nowak', 'Prof. Alan Turing']);
  assert.deepEqual(detected('we asked dr. watson about it.'), ['dr. watson']);
  assert.deepEqual(detected('Thanks, Sir.'), []);
  assert.ok(detected('The patient has MS and sees Dr. House.').includes('MS'), 'a title is never written in capitals: "MS" stays');
  assert.deepEqual(attachHonorifics('Ask Prof about it.', [{ start: 4, end: 8 }]), [], 'no name after the title');
  assert.deepEqual(attachHonorifics('Ask Prof. Ada Lovelace.', [{ start: 4, end: 8 }, { start: 10, end: 22 }]), [{ start: 4, end: 22 }]);
});
