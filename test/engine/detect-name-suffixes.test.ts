// What follows a name and belongs to it, or does not: a company's legal form ("Ashcombe Partners
// LLP"), a product's model number ("Raspberry Pi 4", not "Kofi 84" or "Arsenal 1 Leicester 1"), a
// short weekday dating a note ("Borough Market Sat").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDefaultDetector } from '../../server/src/engine/detect/index.ts';
import { attachLegalForms } from '../../server/src/engine/detect/legalForms.ts';
import { attachModelNumbers } from '../../server/src/engine/detect/modelNumbers.ts';
import { joinPossessiveNames } from '../../server/src/engine/detect/possessiveNames.ts';
import { detectPlainText } from '../../server/src/engine/indexer.ts';

const spansOf = (s: string, ...words: string[]) => words.map((w) => { const start = s.indexOf(w); assert.ok(start >= 0, w); return { start, end: start + w.length }; });
const texts = (s: string, spans: ReadonlyArray<{ start: number; end: number }>) => spans.map((x) => s.slice(x.start, x.end));

test('attachLegalForms: a legal form after a name joins it, the tagger\'s span of the form alone is absorbed; "Co." alone is no form', () => {
  let s = 'Ashcombe Partners LLP, 14 Gresham Street';
  assert.deepEqual(texts(s, attachLegalForms(s, spansOf(s, 'Ashcombe Partners', 'LLP', 'Gresham Street'))), ['Ashcombe Partners LLP', 'Gresham Street']);
  s = 'a guarantee from Bluefinch Holdings BV, Amsterdam';
  assert.deepEqual(texts(s, attachLegalForms(s, spansOf(s, 'Bluefinch Holdings', 'Amsterdam'))), ['Bluefinch Holdings BV', 'Amsterdam']);
  s = 'florist - Wildflower & Co, Kinsale';
  assert.deepEqual(texts(s, attachLegalForms(s, spansOf(s, 'Wildflower', 'Kinsale'))), ['Wildflower & Co', 'Kinsale']);
  s = 'venue: Ballymaloe House, Co. Cork';
  assert.deepEqual(texts(s, attachLegalForms(s, spansOf(s, 'Ballymaloe House', 'Co. Cork'))), ['Ballymaloe House', 'Co. Cork'], 'after a comma: no form of that name');
  s = 'Shares of Nokia Oyjx fell';
  assert.deepEqual(texts(s, attachLegalForms(s, spansOf(s, 'Nokia'))), ['Nokia'], 'a form is a whole word');
});

test('attachModelNumbers: a number after a product joins it; not after a person, a series word, a year, a quantity or a version, nor in a list of scores', () => {
  const firstNames = new Set(['kofi', 'nick', 'mary']);
  const run = (s: string, ...words: string[]) => texts(s, attachModelNumbers(s, spansOf(s, ...words), (w) => firstNames.has(w)));
  assert.deepEqual(run('slow on a Raspberry Pi 4.', 'Raspberry Pi'), ['Raspberry Pi 4']);
  assert.deepEqual(run('Focusrite Scarlett 2i2, record in Riverside', 'Focusrite Scarlett', 'Riverside'), ['Focusrite Scarlett 2i2', 'Riverside']);
  assert.deepEqual(run('| Dell XPS 15 | Framework Laptop 13 |', 'Dell XPS', 'Framework Laptop'), ['Dell XPS 15', 'Framework Laptop 13'], 'cells of a table');
  assert.deepEqual(run('Lena won, Kofi 84 after', 'Kofi'), ['Kofi'], 'a person\'s number is a score or an age');
  assert.deepEqual(run('defeating Nick Kyrgios 4 – 6 6 – 3', 'Nick Kyrgios'), ['Nick Kyrgios']);
  assert.deepEqual(run('Arsenal 1 Leicester 1', 'Arsenal', 'Leicester'), ['Arsenal', 'Leicester'], 'names each followed by a number are scores');
  assert.deepEqual(run('see Chapter 12 for details', 'Chapter'), ['Chapter']);
  assert.deepEqual(run('the Korean War 1950 started', 'Korean War'), ['Korean War'], 'a year');
  assert.deepEqual(run('Premium Bonds 2k and Octopus Energy 95%', 'Premium Bonds', 'Octopus Energy'), ['Premium Bonds', 'Octopus Energy'], 'quantities');
  assert.deepEqual(run('a Rails 7 app on macOS 14', 'Rails', 'macOS'), ['Rails', 'macOS'], 'versions');
});

test('built-in detector: legal forms and model numbers join their names; a short weekday after a name or opening a plan line is no name', () => {
  const d = loadDefaultDetector();
  const run = (t: string) => detectPlainText(d, t).flatMap(({ sentence, spans }) => spans.map((x) => t.slice(sentence.start + x.start, sentence.start + x.end)));
  assert.deepEqual(run('Ashcombe Partners LLP, 14 Gresham Street, London.'), ['Ashcombe Partners LLP', 'Gresham Street', 'London']);
  assert.deepEqual(run('I bought an iPhone 15 and a Raspberry Pi 4.'), ['iPhone 15', 'Raspberry Pi 4']);
  assert.deepEqual(run('buy from the fishmonger at Borough Market Sat before'), ['Borough Market']);
  assert.deepEqual(run('Sat - pizza at Franco Manca'), ['Franco Manca']);
});

test('joinPossessiveNames: "A\'s B" is one name where B opens with a capitalised kind of place or institution; an owner and a thing stay two', () => {
  const firstNames = new Set(['harrison']);
  const run = (s: string, ...words: string[]) => texts(s, joinPossessiveNames(s, spansOf(s, ...words), (w) => firstNames.has(w)));
  assert.deepEqual(run("PI: Dr. Obi (King's College London)", 'Dr. Obi', 'King', 'College London'), ['Dr. Obi', "King's College London"]);
  assert.deepEqual(run("stayed at the Eel's Foot Inn", 'Eel', 'Foot Inn'), ["Eel's Foot Inn"]);
  assert.deepEqual(run("Leiths, Shepherd's Bush", 'Leiths', 'Shepherd'), ['Leiths', "Shepherd's Bush"], 'the tagger\'s owner alone takes the capitalised place noun after it');
  assert.deepEqual(run("03 Oct Harrison's Rocks", 'Harrison', 'Rocks'), ["Harrison's Rocks"], 'after a first name every word is a place noun');
  assert.deepEqual(run("from Ottolenghi's Plenty, tweaked", 'Ottolenghi', 'Plenty'), ['Ottolenghi', 'Plenty']);
  assert.deepEqual(run("Maya's Paris trip", 'Maya', 'Paris'), ['Maya', 'Paris']);
  assert.deepEqual(run("Harrison's New York trip", 'Harrison', 'New York'), ['Harrison', 'New York'], 'no place noun');
});

test('built-in detector: a ticket key is no name, a label word and its colon leave a span, a variant and an act\'s year join', () => {
  const d = loadDefaultDetector();
  const run = (t: string) => detectPlainText(d, t).flatMap(({ sentence, spans }) => spans.map((x) => t.slice(sentence.start + x.start, sentence.start + x.end)));
  assert.deepEqual(run('Ravi: PAY-1421 Adyen webhook retries merged'), ['Ravi', 'Adyen']);
  assert.deepEqual(run('COVID-19 booster at Boots'), ['COVID-19', 'Boots'], 'two digits: no ticket');
  assert.deepEqual(run('Respondent: Brightline Housing Ltd (housing association)'), ['Brightline Housing Ltd']);
  // A line's label, or a first name, and its colon: the name and what follows are two names;
  // a subtitle opening with a function word stays whole.
  assert.deepEqual(run('Priya: Le Labo Santal 33 travel spray (she mentioned it twice)'), ['Priya', 'Le Labo Santal 33']);
  assert.deepEqual(run('- Taurus: Pleiades naked eye, Hyades too'), ['Taurus', 'Pleiades', 'Hyades']);
  assert.deepEqual(run('vinyl for Dev: Joy Division, Closer (Factory)'), ['Dev', 'Joy Division', 'Closer', 'Factory']);
  assert.ok(!run('Sylvia Plath, Ariel: The Restored Edition x2').includes('Ariel'));
  assert.deepEqual(run("Meg repro'd it on an iPhone 13 mini yesterday."), ['Meg', 'iPhone 13 mini']);
  assert.deepEqual(run('1. disability under s.6 Equality Act 2010 — conceded at the prelim hearing'), ['Equality Act 2010']);
});

test('attachModelNumbers: no number joins a one-word name WordNet knows as a person, place or group ("Rachmaninoff 3"), nor a plural ("737s")', () => {
  const run = (s: string, ...words: string[]) => texts(s, attachModelNumbers(s, spansOf(s, ...words), () => false));
  assert.deepEqual(run('Yuja Wang playing Rachmaninoff 3 on YouTube', 'Yuja Wang', 'Rachmaninoff', 'YouTube'), ['Yuja Wang', 'Rachmaninoff', 'YouTube']);
  assert.deepEqual(run('Transavia 737s at Schiphol', 'Transavia', 'Schiphol'), ['Transavia', 'Schiphol']);
  assert.deepEqual(run('the Dash 8 to Bergen', 'Dash', 'Bergen'), ['Dash 8', 'Bergen']);
});
