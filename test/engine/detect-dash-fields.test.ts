// A catalogue line's fields, parted by spaced dashes, written in capitals are names: a record's
// label, a film's service, a title the tagger leaves ("John Coltrane – Blue Train – Blue Note – 1957").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDefaultDetector } from '../../server/src/engine/detect/index.ts';
import { addDashFieldNames } from '../../server/src/engine/detect/dashFields.ts';
import { isOrdinaryWord } from '../../server/src/engine/detect/wordClasses.ts';
import { detectDocumentText } from '../../server/src/engine/indexer.ts';

const texts = (s: string, spans: ReadonlyArray<{ start: number; end: number }>) => spans.map((x) => s.slice(x.start, x.end));

test('addDashFieldNames: each capitalised field of a line of three or more is a name unless a span touches it', () => {
  let s = 'Marvin Gaye – What\'s Going On – Motown – 1971';
  assert.deepEqual(texts(s, addDashFieldNames(s, [{ start: 0, end: 11 }], isOrdinaryWord)), ['Marvin Gaye', 'What\'s Going On', 'Motown']);
  s = 'Keith Jarrett – The Köln Concert – ECM – 1975 – NM';
  assert.deepEqual(texts(s, addDashFieldNames(s, [{ start: 0, end: 13 }, { start: 20, end: 24 }], isOrdinaryWord)), ['Keith Jarrett', 'Köln', 'ECM'],
    'a field a span lies in stays as the tagger read it; two capitals alone are a grade');
  s = 'Otis Redding – Otis Blue – Stax (Volt imprint) – 1965';
  assert.deepEqual(texts(s, addDashFieldNames(s, [], isOrdinaryWord)), ['Otis Redding', 'Otis Blue', 'Stax'], 'the name ends before its aside');
  s = '- 01-20 — *The Remains of the Day* (1993, Ivory) — Criterion Channel — 4.';
  assert.deepEqual(texts(s, addDashFieldNames(s, [], isOrdinaryWord)), ['The Remains of the Day', 'Criterion Channel']);
  // Not names: an ordinary word in any case, a date, a lower-case phrase; a line of two fields.
  for (const line of ['Book club - March - at Claire\'s', 'WEDDING - 14 Sept 2024 - to do', '02-02 — Dune (2024) — Max — 4', 'Nirvana – Bleach – 1989',
    'Board meeting — Fleetsense Ltd', 'Tue 9 Feb — Dress — Wed 10 Feb']) {
    assert.deepEqual(texts(line, addDashFieldNames(line, [], isOrdinaryWord)), [], line);
  }
  // A dash among a table's column gaps is an empty cell, no field break.
  s = 'Chen          -       D       D       LD      -       -       N';
  assert.deepEqual(addDashFieldNames(s, [], isOrdinaryWord), []);
});

test('the detector reads a record list\'s labels and titles as index does', () => {
  const text = 'format: artist – title – label – year\nJohn Coltrane – Blue Train – Blue Note – 1957 – reissue\nMarvin Gaye – What\'s Going On – Motown – 1971\n';
  const found = detectDocumentText(loadDefaultDetector(), text, 'plaintext').flatMap(({ sentence, spans }) => texts(sentence.text, spans));
  for (const name of ['Blue Note', 'What\'s Going On', 'Motown']) assert.ok(found.includes(name), `${name} in ${found.join(', ')}`);
  assert.ok(!found.some((t) => /^(?:format|artist|title|label|year)$/i.test(t)), found.join(', '));
});
