// Names the detector joined to words that are no part of them: coordinators between two names
// ("Rhine vs Danube vs Po", "Go or Rust", "Netflix AND Disney+").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDefaultDetector } from '../../server/src/engine/detect/index.ts';

const detector = loadDefaultDetector();
const texts = (s: string) => detector.detect(s).map((x) => s.slice(x.start, x.end));

test('coordinators: no name runs across a lower-case "vs"/"versus", an "or" between names in prose, or an emphatic "AND"', () => {
  assert.deepEqual(texts('figure: annual suspended load, Rhine vs Danube vs Po (log scale)'), ['Rhine', 'Danube', 'Po']);
  assert.deepEqual(texts('- Decision deferred; Marcus to write a one-page comparison (Rust vs Go vs staying on Python with PyPy).'), ['Marcus', 'Rust', 'Go', 'Python', 'PyPy']);
  assert.deepEqual(texts('- Priya: draft hiring req (backend, Go or Rust)'), ['Priya', 'Go', 'Rust']);
  assert.deepEqual(texts('5) We finally got Netflix AND Disney+ because Grandad wanted the nature documentaries.'), ['Netflix', 'Disney']);
  assert.deepEqual(texts('Real aceto balsamico from Modena vs the supermarket stuff.'), ['Modena'], 'a span never ends in "vs"');
  assert.deepEqual(texts('device tree blobs as used in Arm or Open Firmware platforms.'), ['Arm', 'Open Firmware']);
});

test('coordinators: two places WordNet knows joined by "and" are two names, unless WordNet knows the pair; other pairs stay', () => {
  assert.deepEqual(texts('Washington and California both had wildfire smoke warnings while we were there.'), ['Washington', 'California']);
  assert.deepEqual(texts('Ordered the atlas from Thames & Hudson last week.'), ['Thames & Hudson']);
  assert.deepEqual(texts('Wordsworth & Coleridge, Lyrical Ballads (1798).'), ['Wordsworth & Coleridge', 'Lyrical Ballads']);
});

test('title runs: a lower-case verb or pronoun makes a sentence of the run, and a name placed by "at"/"in"/"on"/"for" opens none', () => {
  assert.deepEqual(texts('next class: Giulia does a Puglia one in Feb — orecchiette! sign up w/ Hana'), ['Giulia', 'Puglia', 'Hana']);
  assert.deepEqual(texts('Byron at the Villa Diodati, 1816.'), ['Byron', 'Villa Diodati']);
  assert.deepEqual(texts('Carmen at the Coliseum in February — Justina Gotadze in the title role (new to me)'), ['Carmen', 'Coliseum', 'Justina Gotadze']);
  assert.deepEqual(texts('Kotlin on the JVM — strong typing, but a second JVM service means more on-call surface.'), ['Kotlin', 'JVM', 'JVM']);
  assert.deepEqual(texts('We send the results to river basin authorities (ICPDR for the Danube, ICPR for the Rhine).'), ['ICPDR', 'Danube', 'ICPR', 'Rhine']);
  // Titles whose first word is an ordinary one, or that are quoted, stay whole.
  assert.deepEqual(texts('- Anatomy of a Fall - won at Cannes'), ['Anatomy of a Fall', 'Cannes']);
  assert.deepEqual(texts('- Girl with a Pearl Earring — not a portrait, a tronie'), ['Girl with a Pearl Earring']);
  assert.deepEqual(texts('Temporary show: "Van Gogh and Monet" — Monet\'s Zaandam paintings next to the Arles ones.'), ['Van Gogh and Monet', 'Monet', 'Zaandam', 'Arles']);
});

test('glued suffixes: a name\'s "-based" before another name ends it, and "-ish" is no part of a name; a combining prefix is no name', () => {
  assert.deepEqual(texts('Backups → europa (the NAS, Debian-based TrueNAS).'), ['NAS', 'Debian', 'TrueNAS']);
  assert.deepEqual(texts('* Guerlain L\'Heure Bleue — "the blue hour" — Baudelaire-ish. the shop says it\'s named after a Rimbaud line'), ['Guerlain L\'Heure Bleue', 'Baudelaire', 'Rimbaud']);
  assert.deepEqual(texts('The PXM1310 is a Multi-rail Controller and it is compliant to both Intel VR13 and VR13HC rev 1.2.'), ['PXM1310', 'Multi-rail Controller', 'Intel VR13'], 'not after a prefix');
});

test('possessives: an owner\'s possessive before a name ends the owner; before a common noun or a name\'s adjective it belongs to the name', () => {
  assert.deepEqual(texts('Racing Bulls\' Lawson had a scrappy one.'), ['Racing Bulls', 'Lawson']);
  assert.deepEqual(texts('- worked at Lehman Brothers\' Chicago office 1958–1960 as a clerk, then Morgan Stanley in NY.'), ['Lehman Brothers', 'Chicago', 'Morgan Stanley', 'NY']);
  assert.deepEqual(texts('Walked the last stretch of Hadrian\'s Wall Path in the rain.'), ['Hadrian\'s Wall Path']);
  assert.deepEqual(texts('On board 1 Mark wants to play the King\'s Indian Defence more.'), ['Mark', 'King\'s Indian Defence']);
});

test('quotation marks: a span that does not close its quotation is cut at the mark', () => {
  assert.deepEqual(texts('Aurora (the Norwegian singer) on the Tidal "Artist Spotlight" series.'), ['Aurora', 'Norwegian', 'Tidal', 'Artist Spotlight']);
  assert.deepEqual(texts('Not Plath? check — or is that "Orion" the Hopkins one.'), ['Plath', 'Orion', 'Hopkins']);
  assert.deepEqual(texts('"Blackbird" the Beatles song is not a bird.'), ['Blackbird', 'Beatles']);
});

test('regular past tenses: "-ed" on a verb opening a diary\'s sentence is cut from the name after it; participles WordNet lists as adjectives open names', () => {
  assert.deepEqual(texts('- Started Satie, Gymnopédie No. 1 as a "rest" piece.'), ['Satie', 'Gymnopédie No']);
  assert.deepEqual(texts('Visited Kew with Anna on Sunday.'), ['Kew', 'Anna']);
  assert.deepEqual(texts('United Airlines lost my bag again.'), ['United Airlines']);
  assert.deepEqual(texts('Advanced Micro Devices cut prices again.'), ['Advanced Micro Devices']);
});

test('a lower-case ordinary word opens no name in carefully capitalised text; name particles do', () => {
  assert.deepEqual(texts('Gibbon\'s Decline and Fall: overrates Marcus Aurelius, underrates Severus.'), ['Decline', 'Fall', 'Marcus Aurelius', 'Severus']);
  assert.deepEqual(texts('Day 5–7 on the islands: hydrofoil Milazzo → Lipari → Vulcano → Stromboli.'), ['Milazzo', 'Lipari', 'Vulcano', 'Stromboli']);
  assert.deepEqual(texts('Rode to Arles, then Saint-Rémy, where van Gogh painted the irises.'), ['Arles', 'Saint-Rémy', 'van Gogh']);
});

test('an ordinary lower-case word between two capitalised ones sets two names apart; a name particle does not', () => {
  assert.deepEqual(texts('Nobody had been to Appalachia; Joyce recommended Dopesick (the series).'), ['Appalachia', 'Joyce', 'Dopesick']);
  assert.deepEqual(texts('- TVPhone (848) mit Philips tuner FR12X6 (w/ FM radio)'), ['Philips', 'FR12X6']);
  assert.deepEqual(texts('Many thanks to Joshua ben Jore and Nicholas Clark for the patches.'), ['Joshua ben Jore', 'Nicholas Clark']);
});

test('a glued slash after a one-word name sets two names side by side; capitals and longer product names stay whole', () => {
  assert.deepEqual(texts('- The Rest Is History — the Nixon/Watergate run, then the Roman emperors series (Nero ep was great)'), ['The Rest Is History', 'Nixon', 'Watergate', 'Roman', 'Nero']);
  assert.deepEqual(texts('Tosca: Callas/de Sabata (1953) — still the one'), ['Tosca', 'Callas', 'de Sabata']);
  assert.deepEqual(texts('- Spirit TV Tuner/Video Capture Card (bt848)'), ['Spirit TV Tuner/Video Capture Card']);
});

test('a function word opening the sentence is no part of the one-word name after it; titles that go on with ordinary words keep it', () => {
  assert.deepEqual(texts('Why Zermatt over Verbier this year:'), ['Zermatt', 'Verbier']);
  assert.deepEqual(texts('Why Concorde failed, and what it cost the taxpayer.'), ['Concorde']);
  assert.deepEqual(texts('Does KUnit support running on architectures other than UML?'), ['KUnit', 'UML']);
  assert.deepEqual(texts('Will Dyson wrote the original befs driver.'), ['Will Dyson']);
  assert.deepEqual(texts('Round Buttermere — flat, good for Jo\'s knee.'), ['Buttermere', 'Jo']);
});
