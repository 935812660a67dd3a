// The built-in span detectors: tokenizer, capitalisation baseline, span scoring, committed tagger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tokenize, CapitalizationDetector, loadDefaultDetector, serializeTagger, deserializeTagger, modelHash } from '../../server/src/engine/detect/index.ts';
import { TaggerDetector, cutAtPossessive, extendOverDottedPrefix, isLoneDate, sentenceCasing, splitAtLineItems, splitAtMarkupGaps, viterbiSpans } from '../../server/src/engine/detect/tagger.ts';
import { spanPRF, evaluateDetector } from '../../server/src/engine/eval/spans.ts';
import { loadWordVectors } from '../../server/src/engine/encode/wordVectors.ts';
import { sharedDir, type OffsetSpan } from '../../server/src/engine/types.ts';
import { loadDevSets } from '../../server/src/engine/train/trainDetector.ts';

const texts = (s: string, spans: OffsetSpan[]) => spans.map((x) => s.slice(x.start, x.end));
/** The texts of the spans a detector finds in s. */
const spansOf = (det: { detect(s: string): OffsetSpan[] }, s: string) => texts(s, det.detect(s));

/** Each [sentence, word]: the detector finds no span that is exactly the word. */
function assertNoSpan(det: { detect(s: string): OffsetSpan[] }, cases: Array<[string, string]>): void {
  for (const [s, word] of cases) {
    const spans = spansOf(det, s);
    assert.ok(!spans.includes(word), `${word} in ${JSON.stringify(spans)}`);
  }
}

function assertWellFormed(s: string, spans: OffsetSpan[]): void {
  let last = 0;
  for (const x of spans) {
    assert.ok(x.start >= last && x.start < x.end && x.end <= s.length, `bad span ${JSON.stringify(x)} in ${JSON.stringify(s)}`);
    assert.equal(s.slice(x.start, x.end).trim(), s.slice(x.start, x.end), 'spans do not start or end with whitespace');
    last = x.end;
  }
}

test('tokenize: offsets slice back to the token text, incl. non-ASCII and emoji', () => {
  const s = "Zoë Šimić’s café in Köln 😀👍🏽 costs $3.50 — U.S. O'Brien's e-mail (naïve)!";
  const toks = tokenize(s);
  for (const t of toks) assert.equal(s.slice(t.start, t.end), t.text);
  assert.deepEqual(toks.map((t) => t.text), ['Zoë', 'Šimić', '’s', 'café', 'in', 'Köln', '😀', '👍', '🏽', 'costs', '$', '3.50', '—', 'U.S.', "O'Brien", "'s", 'e', '-', 'mail', '(', 'naïve', ')', '!']);
  const emoji = toks.find((t) => t.text === '😀')!;
  assert.equal(emoji.end - emoji.start, 2, 'UTF-16 offsets: an astral emoji is two code units');
  assert.deepEqual(tokenize('  \n\t '), []);
  assert.deepEqual(tokenize('a  b').map((t) => [t.start, t.end]), [[0, 1], [3, 4]]);
});

test('CapitalizationDetector: maximal capitalised runs, bridges, sentence-initial common word skipped', () => {
  const d = new CapitalizationDetector();
  const s1 = 'Yesterday Angela Merkel met officials of the Bank of England in Paris.';
  assert.deepEqual(texts(s1, d.detect(s1)), ['Angela Merkel', 'Bank of England', 'Paris']);
  const s2 = 'The river flows north.';
  assert.deepEqual(d.detect(s2), []);
  const s3 = 'Siemens builds trains.';
  assert.deepEqual(texts(s3, d.detect(s3)), ['Siemens']);
  const s4 = 'all lower case text about berlin';
  assert.deepEqual(d.detect(s4), []);
});

test('spanPRF: exact start/end match, micro over sentences', () => {
  const gold = [[{ start: 0, end: 5 }, { start: 10, end: 15 }], [{ start: 3, end: 7 }], []];
  const pred = [[{ start: 0, end: 5 }, { start: 10, end: 14 }], [{ start: 3, end: 7 }], [{ start: 1, end: 2 }]];
  const r = spanPRF(pred, gold);
  assert.deepEqual([r.tp, r.fp, r.fn], [2, 2, 1]);
  assert.equal(r.precision, 0.5);
  assert.ok(Math.abs(r.recall - 2 / 3) < 1e-12);
  assert.ok(Math.abs(r.f1 - (2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3)) < 1e-12);
  assert.deepEqual(spanPRF([[]], [[]]), { precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 0 });
  assert.throws(() => spanPRF([[]], []));
});

test('viterbiSpans: BIO constraint (no I without B), spans close correctly', () => {
  const L = (o: number, b: number, i: number) => [Math.log(o), Math.log(b), Math.log(i)];
  // Token 1 prefers I but follows an O-preferring token: best legal path turns it into B… or O.
  const logp = new Float32Array([...L(0.9, 0.05, 0.05), ...L(0.1, 0.3, 0.6), ...L(0.1, 0.1, 0.8), ...L(0.8, 0.1, 0.1), ...L(0.1, 0.8, 0.1)]);
  const spans = viterbiSpans(logp, 5);
  assert.deepEqual(spans, [[1, 3], [4, 5]]);
  assert.deepEqual(viterbiSpans(new Float32Array(0), 0), []);
});

test('committed tagger model: loads, round-trips, finds names in cased prose and lower-cased text', () => {
  const vectors = loadWordVectors();
  const det = loadDefaultDetector(vectors);
  assert.match(det.id, /^tagger-v1:[0-9a-f]{10}\+pp14r?(c[\d.]+)?(i[\d.]+)?u?h?(g[pcnelmk]*)?(wsd)?P?j?L?o?T?O?C?I?D?K?F?W?Y?A?G?B?M?H?S?(t[0-9a-f]{8})?(a[0-9a-f]{8})?(f[0-9a-f]{8})?Q?(v[0-9a-f]{8})?X?R?U?N?Z?V?J?E?(-lf)?(-mn)?(-ps)?(-dn)?(-co)?(-tl)?(-pn)?(-gs)?(-oa)?(-uq)?(-rp)?(-ll)?(-il)?(-sn)?(-fw)?(-df)?-iv[0-9a-f]{8}$/);
  const again = deserializeTagger(serializeTagger(det.model));
  assert.equal(modelHash(again), modelHash(det.model));

  const s1 = 'Angela Merkel met the chief executive of Siemens in Berlin on Tuesday.';
  const f1 = texts(s1, det.detect(s1));
  assert.ok(f1.includes('Angela Merkel'), `found ${JSON.stringify(f1)}`);
  assert.ok(f1.includes('Siemens'), `found ${JSON.stringify(f1)}`);
  assert.ok(!f1.includes('Tuesday') || f1.length >= 3);
  const s2 = 'The barge carried coal down the Rhine towards Rotterdam.';
  const f2 = texts(s2, det.detect(s2));
  assert.ok(f2.includes('Rhine'), `found ${JSON.stringify(f2)}`);
  assert.ok(f2.includes('Rotterdam'), `found ${JSON.stringify(f2)}`);
  const s3 = 'My notes say that Siemens opened a new plant near the river.';
  assert.deepEqual(texts(s3, det.detect(s3)), ['Siemens']);
  // A heading whose first word is capitalised only by position: the river, not "Down".
  const h = 'Down the Danube';
  assert.deepEqual(texts(h, det.detect(h)), ['Danube']);

  const low = 'yesterday angela merkel visited the siemens factory in munich';
  const fl = texts(low, det.detect(low));
  assert.ok(fl.length >= 2, `found ${JSON.stringify(fl)}`);
  assert.ok(fl.some((x) => x.includes('merkel')), `found ${JSON.stringify(fl)}`);
  assert.ok(!fl.includes('yesterday') && !fl.includes('factory'), `found ${JSON.stringify(fl)}`);

  for (const s of [s1, s2, s3, low, '', '   ', '!!!', '😀 Zoë from Köln 👍🏽', 'A', 'x'.repeat(500), 'THE UNITED NATIONS MET IN GENEVA', '[[Link]] to `code` and #tag @user']) {
    assertWellFormed(s, det.detect(s));
  }
  // Deterministic and cache-independent (tiny caches: string, vocabulary-row and feature-pattern caches cleared often).
  assert.deepEqual(det.detect(s1), det.detect(s1));
  const tiny = new TaggerDetector(det.model, vectors, { maxCacheEntries: 2, terms: det.terms });
  for (const s of [s1, s2, s3, low, 'PARIS, Paris and paris']) assert.deepEqual(tiny.detect(s), det.detect(s));
});

test('committed tagger on cased text: capitals mid-sentence count, all-capitals lines read in lower case, Title Case headings untouched', () => {
  const vectors = loadWordVectors();
  const det = loadDefaultDetector(vectors) as TaggerDetector;
  const plain = new TaggerDetector(det.model, vectors, { capitalBias: 0, initialCapitalBias: 0, allCapsAsLower: false });
  assert.deepEqual(['SWISS BANK UBS CUTS JOBS IN ZURICH', 'Notes From The Trip To Vienna', 'The minister told Reuters that the Kremlin agreed.', 'ROME', 'a b c']
    .map((s) => sentenceCasing(tokenize(s))), ['upper', 'title', 'normal', 'normal', 'normal']);
  // Letters beyond ASCII count by their Unicode case (Greek, Cyrillic, accented, astral letters).
  assert.deepEqual(['ΑΘΗΝΑ ΚΑΙ ΣΠΑΡΤΗ ΣΗΜΕΡΑ', 'МОСКВА И КИЕВ СЕГОДНЯ', 'ÉCOLE ÇA GRÜẞE ŁÓDŹ', '𝐀𝐁𝐂𝐃𝐄𝐅 𝐆𝐇', 'Αθήνα και Σπάρτη σήμερα', 'École ça va à Łódź aujourd\'hui']
    .map((s) => sentenceCasing(tokenize(s))), ['upper', 'upper', 'upper', 'upper', 'normal', 'normal']);

  // A name after a verb, which the tagger alone scores as more likely O.
  const s = 'The minister told Reuters that the Kremlin had agreed.';
  assert.ok(!texts(s, plain.detect(s)).includes('Reuters'), 'the bias is what finds it');
  assert.deepEqual(texts(s, det.detect(s)), ['Reuters', 'Kremlin']);

  // A headline in capitals gets the spans of its lower-cased text, at the original offsets.
  for (const h of ['SWISS BANK UBS CUTS JOBS IN ZURICH', 'ZOË ŠIMIĆ OPENS A CAFÉ IN KÖLN']) {
    const found = det.detect(h);
    assert.deepEqual(found, det.detect(h.toLowerCase()), h);
    assertWellFormed(h, found);
  }
  assert.ok(texts('SWISS BANK UBS CUTS JOBS IN ZURICH', det.detect('SWISS BANK UBS CUTS JOBS IN ZURICH')).includes('ZURICH'));

  // Every word of a Title Case heading is capitalised: no bias there.
  for (const h of ['Notes From The Trip To Vienna', 'Meeting Minutes With Angela Merkel And Olaf Scholz']) assert.deepEqual(det.detect(h), plain.detect(h), h);
});

test('shared dev sets: tagger beats the capitalisation baseline (WNUT-17) and scores on lower-cased MultiCoNER', (t) => {
  const dir = sharedDir();
  if (!existsSync(join(dir, 'data/wnut17/dev.conll')) || !existsSync(join(dir, 'data/multiconer2-en/dev.conll'))) {
    t.skip(`shared data not found under ${dir} (set NER_SHARED_DIR)`);
    return;
  }
  const vectors = loadWordVectors();
  const det = loadDefaultDetector(vectors);
  const base = new CapitalizationDetector(vectors);
  const dev = loadDevSets(dir);
  const wnut = evaluateDetector(det, dev['WNUT-17 dev']);
  const wnutBase = evaluateDetector(base, dev['WNUT-17 dev']);
  const mc = evaluateDetector(det, dev['MultiCoNER-2 EN dev']);
  const mcCased = evaluateDetector(det, dev['MultiCoNER-2 EN dev (re-cased)']);
  const mcCasedBase = evaluateDetector(base, dev['MultiCoNER-2 EN dev (re-cased)']);
  t.diagnostic(`WNUT dev F1 ${wnut.f1.toFixed(3)} (baseline ${wnutBase.f1.toFixed(3)}); MultiCoNER dev F1 ${mc.f1.toFixed(3)}; re-cased ${mcCased.f1.toFixed(3)} (baseline ${mcCasedBase.f1.toFixed(3)})`);
  assert.ok(wnut.f1 > wnutBase.f1 + 0.06, `WNUT dev F1 ${wnut.f1} vs baseline ${wnutBase.f1}`);
  assert.ok(wnut.f1 >= WNUT_MIN, `WNUT dev F1 ${wnut.f1} < ${WNUT_MIN}`);
  assert.ok(mc.f1 >= MC_MIN, `MultiCoNER dev F1 ${mc.f1} < ${MC_MIN}`);
  assert.ok(mcCased.f1 > mcCasedBase.f1 + 0.05, `re-cased MultiCoNER dev F1 ${mcCased.f1} vs baseline ${mcCasedBase.f1}`);
});

// A little below the figures measured for the committed model (docs/detection.md).
const WNUT_MIN = 0.5; // measured 0.529
const MC_MIN = 0.6; // measured 0.664

test('cutAtPossessive: a name ends before a possessive followed by lower-case words only', () => {
  const cut = (s: string) => {
    const tokens = tokenize(s);
    const [a, b] = cutAtPossessive(tokens, 0, tokens.length);
    return s.slice(tokens[a].start, tokens[b - 1].end);
  };
  assert.equal(cut("European Union 's farm committee"), 'European Union');
  assert.equal(cut("Merkel's new cabinet"), 'Merkel');
  assert.equal(cut("Victoria's Secret"), "Victoria's Secret");
  assert.equal(cut("St. Luke's Church"), "St. Luke's Church");
  assert.equal(cut("victoria 's secret"), "victoria 's secret", 'lower-case text: the capitals say nothing');
  const det = loadDefaultDetector();
  const s = "Germany 's representative to the European Union 's farm committee , Klaus Hoffmeister , told Reuters the ban was justified .";
  const spans = det.detect(s).map((x) => s.slice(x.start, x.end));
  assert.ok(spans.includes('European Union') && !spans.some((x) => x.includes('farm')), JSON.stringify(spans));
});

test('a lone common word opening a clause after ":", "-" or "|" is no name; a name there stays, and ";" keeps its meaning', () => {
  const det = loadDefaultDetector();
  // API docs and package lists, as the Markdown parser leaves them (code and links blanked).
  assertNoSpan(det, [
    ['                 : Returns an object representing all the paths on the file system.', 'Returns'],
    ['  humanize-string                                                - Convert a camelized string into a humanized one.', 'Convert'],
    ['  " Nice beaver ! "', 'Nice'],
  ]);
  assert.ok(spansOf(det, 'Winner: Arsenal, after extra time.').includes('Arsenal'));
  assert.ok(spansOf(det, 'Democrats still lead in registrants with 28,181 ; Republicans follow with 16,218 .').includes('Republicans'));
});

test('a lone common word opening a table cell (after a tab or two spaces) is no name; a name there stays', () => {
  const det = loadDefaultDetector();
  for (const [s, word] of [
    ['tempX_input\t\tMeasured temperature.', 'Measured'],
    ['fan[1-2]_fault   Fan fault status', 'Fan'],
    ['cancel_futures    Added in version 3.9.', 'Added'],
    ['flags\tSpecifies the mode of the file.', 'Specifies'],
  ] as const) {
    assert.ok(!spansOf(det, s).includes(word), `${word}: ${spansOf(det, s).join(' | ')}`);
  }
  assert.ok(spansOf(det, 'vendor\t\tSiemens builds the controller.').includes('Siemens'));
  assert.ok(spansOf(det, 'See the  Code of Conduct FAQ for details.').includes('Code of Conduct FAQ'), 'a name built on "of" keeps its first word');
  assert.ok(spansOf(det, 'The sensor reports Measured Values to Siemens.').length > 0, 'mid-sentence, one space: the rule does not apply');
});

test('a lone pronoun or interjection is no name wherever it stands; "US", "IT" and names around it stay', () => {
  const det = loadDefaultDetector();
  // Comment-style capitals, all found as spans before the rule (tagger-v1, pp3).
  assertNoSpan(det, [
    ['Skhumba my brother we will miss your jokes , You are the best comedian in Mzansi', 'You'],
    ['" Hey guys , this is unbox advertisement therapy , today we look at an acer', 'Hey'],
    ['Mathias Buus and I ( Feross Aboukhadijeh ) found this issue in one of our own packages.', 'I'],
    ['Save on Close failed despite selecting "Yes" in dialog.', 'Yes'],
    ['All take effect as soon as one clicks Apply or Ok.', 'Ok'],
  ]);
  const names = spansOf(det, 'Mathias Buus and I ( Feross Aboukhadijeh ) found this issue in one of our own packages.');
  assert.deepEqual(names, ['Mathias Buus', 'Feross Aboukhadijeh']);
  assert.ok(spansOf(det, 'Exports from the US rose while IT spending in Germany fell.').includes('US'));
  assert.ok(spansOf(det, 'Exports from the US rose while IT spending in Germany fell.').includes('Germany'));
});

test('a lone function word is no name either ("Whereas", "MUST", "MAY")', () => {
  const det = loadDefaultDetector();
  const sentences = [
    ['Whereas for a conflicted merge, the output is based on the previous index.', 'Whereas'],
    ['Multiple object names MUST be sent by sending multiple commands.', 'MUST'],
    ['Clients MAY revalidate cached entities by including the header.', 'MAY'],
  ];
  // Found as spans without the rule (what it is for).
  const off = new TaggerDetector(det.model, (det as unknown as { vectors: never }).vectors, { functionWords: false, terms: det.terms, nameAdjectives: det.nameAdjectives, firstNames: det.firstNames });
  for (const [s, w] of sentences) assert.ok(spansOf(off, s).includes(w), `${w} without the rule`);
  assertNoSpan(det, sentences as Array<[string, string]>);
  assert.ok(det.id.includes('WY') && !off.id.includes('WY'), det.id);
  // Nor are function words together: a heading's "How It".
  assert.deepEqual(spansOf(off, 'How It Works'), ['How It']);
  assert.deepEqual(spansOf(det, 'How It Works'), []);
});

test('an all-capitals line: a word WordNet knows mainly as a name is one, an acronym of a common thing or a pronoun is not', () => {
  const vectors = loadWordVectors();
  const det = loadDefaultDetector(vectors);
  const without = new TaggerDetector(det.model, vectors, { terms: det.terms, nameAdjectives: det.nameAdjectives, allCapsAsLower: false });
  const dateline = 'LONDON 1996-09-14';
  assert.deepEqual(spansOf(det, dateline), ['LONDON']);
  assert.ok(spansOf(det, 'TENNIS - SELES BEATS HINGIS TO REACH CANADIAN OPEN FINAL .').includes('SELES'));
  for (const s of ['THE CEO OF THE NGO SAID IT WAS ME', 'YAY IT IS FRIDAY']) {
    for (const w of ['CEO', 'NGO', 'IT', 'ME', 'YAY']) assert.ok(!spansOf(det, s).includes(w), `${w} in ${JSON.stringify(spansOf(det, s))}`);
  }
  assert.ok(!det.id.includes('+pp5rc3i0.5h') && det.id.includes('u'), 'all-capitals handling is in the id');
  assert.notDeepEqual(spansOf(without, dateline), ['LONDON'], 'without the all-capitals handling the line reads differently');
});

test('normal prose: a lone capitalised word WordNet knows mainly as a place, person or group name is one; at a sentence start not a common word', () => {
  const vectors = loadWordVectors();
  const det = loadDefaultDetector(vectors);
  const without = new TaggerDetector(det.model, vectors, { terms: det.terms, nameAdjectives: det.nameAdjectives, wordnetNames: false });
  // Names the tagger alone leaves out, mid-sentence and sentence-initial.
  const found: Array<[string, string]> = [
    ['Saddam Hussein said Baghdad would not bow to American pressure .', 'Baghdad'],
    ['Greenpeace activists boarded a Shell platform in the North Sea .', 'Greenpeace'],
    ['Lusaka has been considered a poorly planned city which grew slowly .', 'Lusaka'],
    ['Williams was elected mayor in 1902 .', 'Williams'],
    ['Ford will build a new plant in Brazil , the Detroit company said .', 'Ford'],
    ['U.S. envoy Dennis Ross attended the meeting , a State Department spokesman said .', 'U.S.'],
  ];
  let missedWithout = 0;
  for (const [s, name] of found) {
    assert.ok(spansOf(det, s).includes(name), `${name} in ${JSON.stringify(spansOf(det, s))}`);
    if (!spansOf(without, s).includes(name)) missedWithout++;
  }
  assert.equal(missedWithout, found.length, 'the tagger alone misses every one of them');
  // Sentence-initial words that are also common English ("Teach" is Edward Teach, "More" Thomas
  // More), a day that is also a person, a plural of a common noun, headings and lower case.
  for (const [s, word] of [
    ['Teach the command to forbid removal of HEAD .', 'Teach'],
    ['More details will be available after publication .', 'More'],
    ['Okay . Tell me why this man loses his glasses .', 'Tell'],
    ['The final is on Sunday , after the semi-finals .', 'Sunday'],
    ['Scopes must be closed in the reverse order .', 'Scopes'],
    ['the trip went from baghdad to basra', 'baghdad'],
  ] as const) assert.deepEqual(spansOf(det, s), spansOf(without, s), `the rule adds nothing for ${word}`);
  assert.deepEqual(spansOf(det, 'Baghdad Travel Notes'), spansOf(without, 'Baghdad Travel Notes'), 'Title Case lines are left to the heading rules');
  // Next to a span the word extends it instead of standing alone.
  const pair = 'The patch came from HUANG Wei last week .';
  assert.ok(spansOf(det, pair).includes('HUANG Wei') || !spansOf(without, pair).includes('HUANG'), JSON.stringify(spansOf(det, pair)));
  assert.ok(det.id.includes('gpcnelmkwsd') && !without.id.includes('gpcnelmkwsd'), 'the rule is in the detector id');
});

test('a name glued to a dotted suffix is one mention ("Node.js", "ASP.NET", "Amazon.com"), not its first part', () => {
  const det = loadDefaultDetector();
  assert.deepEqual(spansOf(det, 'search for it in the Node.js issue tracker or file a new issue .'), ['Node.js']);
  assert.deepEqual(spansOf(det, 'We use Vue.js and Three.js for the front end and ASP.NET on the server .'), ['Vue.js', 'Three.js', 'ASP.NET']);
  assert.ok(spansOf(det, 'She ordered it from Amazon.com last week .').includes('Amazon.com'));
  // A span that is only the suffix starts at the word it is glued to.
  assert.deepEqual(extendOverDottedPrefix(tokenize('fix typo in process.md today'), 5), 3);
  assert.deepEqual(extendOverDottedPrefix(tokenize('fix typo in Paris.London today'), 5), 5, 'a capitalised word is no suffix');
  // Not across a space, a sentence end, a function word after a missing space, or mixed case.
  assert.ok(spansOf(det, 'I moved to Paris. It was cold .').includes('Paris'));
  assert.ok(spansOf(det, 'We flew to Paris.it was cold .').includes('Paris'));
  assert.ok(!spansOf(det, 'We met in Paris.The next day was cold .').some((x) => x.includes('.')));
});

test('a span over several whole lines is a list written one item per line and is split; a name wrapped inside prose stays whole', () => {
  const vectors = loadWordVectors();
  const det = loadDefaultDetector(vectors);
  assert.deepEqual(spansOf(det, 'SAMSUNG\nSANDVIK\nSANDVIKCOROMANT'), ['SAMSUNG', 'SANDVIK', 'SANDVIKCOROMANT']);
  assert.deepEqual(spansOf(det, 'AMSTERDAM\r\nANALYTICS'), ['AMSTERDAM', 'ANALYTICS']);
  assert.deepEqual(spansOf(det, 'Thanks to a patch by Dirk\nHeise, who fixed it.'), ['Dirk\nHeise']);
  assert.deepEqual(spansOf(det, 'The Rolling\nStones played in Hyde Park .'), ['Rolling\nStones', 'Hyde Park']);
  // The split itself, on token indices: both sides must fill their lines.
  const s = 'Ann Lee\nBo Wu and others';
  const toks = tokenize(s);
  assert.deepEqual(splitAtLineItems(s, toks, 0, 4), [[0, 4]], 'the second line goes on after the span');
  assert.deepEqual(splitAtLineItems('Ann Lee\nBo Wu', tokenize('Ann Lee\nBo Wu'), 0, 4), [[0, 2], [2, 4]]);
});

test('a month or weekday standing alone is a date, not a name; "May" only where the words around it make it one', () => {
  const det = loadDefaultDetector();
  assertNoSpan(det, [
    ['BA and American Airlines announced a transatlantic alliance in June .', 'June'],
    ['Microsoft Corp said its Windows NT software would ship in Japanese by December .', 'December'],
    ['IDLEfork 0.7.1 - 29 May 2000', 'May'],
  ]);
  assert.ok(spansOf(det, 'BA and American Airlines announced a transatlantic alliance in June .').includes('American Airlines'));
  assert.ok(spansOf(det, 'Theresa May said on Tuesday that talks would go on .').includes('Theresa May'));
  const toks = tokenize('May said talks would go on');
  assert.equal(isLoneDate(toks, 0), false, '"May" alone at a sentence start may be a name');
  assert.equal(isLoneDate(tokenize('in May 2019'), 1), true);
  // Weekdays written short are dates only in a date's company: a schedule, a number, "on".
  const at = (s: string, word: string) => isLoneDate(tokenize(s), tokenize(s).findIndex((t) => t.text === word));
  for (const [s, w] of [['Ocado order Sat am', 'Sat'], ['flight to Berlin, Tue evening', 'Tue'], ['Mia - Thurs: swimming', 'Thurs'], ['tutor on Weds', 'Weds'], ['Weds 5-8pm', 'Weds'], ['tutor (Tue/Fri)', 'Fri'], ['open Mon–Fri', 'Mon']]) assert.equal(at(s, w), true, s);
  for (const [s, w] of [['The Sun reported it', 'Sun'], ['Kate and Wed went home', 'Wed'], ['Sat Nam is a greeting', 'Sat']]) assert.equal(at(s, w), false, s);
  // A timetable's row: a weekday opening a line before a column's gap, also where the rows read as
  // one sentence (no full stop ends them), and a later line of a sentence opens a line.
  const inSentence = (s: string, word: string) => isLoneDate(tokenize(s), tokenize(s).findIndex((t) => t.text === word), s);
  for (const [s, w] of [['Sat  supermarket    Sainsbury and Asda', 'Sat'], ['Fri  bread run    Greggs gives rolls\nSat  supermarket    Asda', 'Sat'], ['Fri  bread run\nSat - market', 'Sat'], ['Mon\tgym with Alex', 'Mon']]) assert.equal(inSentence(s, w), true, s);
  for (const [s, w] of [['The Sun  is a tabloid', 'Sun'], ['we met Sat  Nam there', 'Sat'], ['Sat Nam is a greeting', 'Sat'], ['Fri  bread run\nSat Nam came', 'Sat']]) assert.equal(inSentence(s, w), false, s);
  assert.deepEqual(spansOf(det, 'Fri  bread run      Greggs gives rolls\nSat  supermarket    Sainsbury and Asda collect'), ['Greggs', 'Sainsbury', 'Asda']);
});

test('a span is split where blanked inline markup (two or more spaces within a line) separates its words', () => {
  const det = loadDefaultDetector();
  // As the Markdown parser leaves "Signed in to **Azure**: Use …" and "**Fast** - Loads in …".
  assert.ok(spansOf(det, 'Signed in to  Azure  : Use the command in VS Code').includes('Azure'), JSON.stringify(spansOf(det, 'Signed in to  Azure  : Use the command in VS Code')));
  assert.ok(!spansOf(det, '  Fast   - Loads in about 2ms on a HD movie').some((x) => x.includes('Loads')));
  const s = 'Lightweight   - No dependencies';
  assert.deepEqual(splitAtMarkupGaps(s, tokenize(s), 0, 3), [[0, 1], [1, 3]]);
  assert.deepEqual(splitAtMarkupGaps('New York Times', tokenize('New York Times'), 0, 3), [[0, 3]], 'one space is no markup');
});
