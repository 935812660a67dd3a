// Markdown headings and list items: capitalised by convention, so capitals there say nothing.
// Lines written by hand before looking at the detector's output on them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDefaultDetector, TaggerDetector } from '../../server/src/engine/detect/index.ts';
import { isOrdinaryWord } from '../../server/src/engine/detect/wordClasses.ts';
import { loadWordVectors } from '../../server/src/engine/encode/wordVectors.ts';

const texts = (s: string, spans: Array<{ start: number; end: number }>) => spans.map((x) => s.slice(x.start, x.end));

const HEADING_WORDING = ['Notable Changes', 'Table of Contents', 'Build Status', 'Web Browser', 'Empty Sets', 'Debugging', 'Acknowledgements', 'Eggs', 'Methods & Events', 'Getting Started'];

test('isOrdinaryWord: plain common words (and their inflections) are ordinary; names, mixed case and capitals are not', () => {
  for (const w of ['Status', 'Sets', 'eggs', 'Debugging', 'Browser', 'Empty', 'Contents', 'Getting']) assert.ok(isOrdinaryWord(w), w);
  // A wrong stem that is a name ("changes" → "chang", the river) does not hide the right one.
  for (const w of ['Changes', 'Uncovered', 'Lines']) assert.ok(isOrdinaryWord(w), w);
  // Mostly names in WordNet (Linux, Windows, China, Lisbon), or not written plainly.
  for (const w of ['Linux', 'Windows', 'China', 'Lisbon', 'JavaScript', 'API', 'IE11', 'Chokidar']) assert.ok(!isOrdinaryWord(w), w);
});

test('a heading or list item of ordinary words names nothing; one with a name keeps it', () => {
  const vectors = loadWordVectors();
  const det = loadDefaultDetector(vectors);
  const without = new TaggerDetector(det.model, vectors, { terms: det.terms, headingWords: false, wordnetNames: false });
  assert.match(det.id, /uh/, 'the rule is part of the detector id, so stores re-detect');
  assert.ok(!without.id.includes('uh'));

  for (const line of HEADING_WORDING) assert.deepEqual(texts(line, det.detect(line)), [], line);
  // The tagger alone takes several of these for names: the rule is what removes them.
  const taggerSpans = HEADING_WORDING.filter((line) => without.detect(line).length > 0);
  assert.ok(taggerSpans.length >= 3, `without the rule only ${taggerSpans.join(', ')} had spans`);

  // Any word that is not ordinary, or a lower-case word (capitals then mean something), keeps the line's spans.
  assert.deepEqual(texts('Microsoft Authentication Library', det.detect('Microsoft Authentication Library')), ['Microsoft Authentication Library']);
  assert.deepEqual(texts('Arsenal 1 Leicester 1', det.detect('Arsenal 1 Leicester 1')), ['Arsenal', 'Leicester']);
  assert.deepEqual(texts('Notes from Lisbon', det.detect('Notes from Lisbon')), ['Lisbon']);
  const prose = 'Brad Shepherd — guitar, backing vocals';
  assert.deepEqual(texts(prose, det.detect(prose)), texts(prose, without.detect(prose)));
  assert.ok(texts(prose, det.detect(prose)).includes('Brad Shepherd'));
  // Drug and disease terms still match there, in any case.
  for (const line of ['Treating Malaria', 'Malaria Treatment', 'Asthma']) assert.deepEqual(texts(line, det.detect(line)), [line.replace(/ ?Treat(ing|ment) ?/, '')], line);
});

test('a lone name on its own line (a heading or list item "Lisbon") is a span', () => {
  const vectors = loadWordVectors();
  const det = loadDefaultDetector(vectors);
  const without = new TaggerDetector(det.model, vectors, { terms: det.terms, headingWords: false, wordnetNames: false });
  for (const line of ['Lisbon', 'Madrid']) {
    assert.deepEqual(texts(line, det.detect(line)), [line], line);
    assert.deepEqual(without.detect(line), [], `${line}: the tagger alone has no context to go on`);
  }
  for (const line of ['Overview', 'Changelog', 'Paris is lovely']) assert.ok(!texts(line, det.detect(line)).includes(line), line);
});

test('a sentence the Markdown parser marks as a heading drops spans of ordinary words even in sentence case', () => {
  const det = loadDefaultDetector(loadWordVectors());
  const heading = { heading: true };
  assert.deepEqual(texts('Browser support', det.detect('Browser support')), ['Browser'], 'as prose, the sentence-start re-check finds it');
  assert.deepEqual(det.detect('Browser support', heading), []);
  assert.deepEqual(det.detect('Debugging stand-alone executable subcommands', heading), []);
  assert.deepEqual(texts('Trip to Lisbon', det.detect('Trip to Lisbon', heading)), ['Lisbon']);
  assert.deepEqual(texts('Meeting with Angela Merkel', det.detect('Meeting with Angela Merkel', heading)), ['Angela Merkel']);
  assert.deepEqual(texts('Treating malaria', det.detect('Treating malaria', heading)), ['malaria']);
  // Written in lower case on purpose (a package name), not capitalised by convention: kept.
  assert.deepEqual(texts('brace-expansion', det.detect('brace-expansion', heading)), texts('brace-expansion', det.detect('brace-expansion')));
  const without = new TaggerDetector(det.model, loadWordVectors(), { terms: det.terms, headingWords: false });
  assert.deepEqual(texts('Browser support', without.detect('Browser support', heading)), ['Browser'], 'the rule is what drops it');
});
