import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitParagraphs, splitSentences, MAX_SENTENCE_LENGTH } from '../../server/src/engine/ingest/sentences.ts';
import { createHash } from 'node:crypto';
import { ingestText, documentKind, paragraphHash, INGEST_FORMAT_VERSION } from '../../server/src/engine/ingest/document.ts';

const texts = (t: string) => splitSentences(t, { start: 0, end: t.length }).map((s) => s.text);

test('splitParagraphs: blank and whitespace-only lines separate, spans trimmed', () => {
  const t = '  First para\nline two  \n\n   \n\tSecond\r\n\r\nThird';
  const ps = splitParagraphs(t);
  assert.deepEqual(ps.map((p) => t.slice(p.start, p.end)), ['First para\nline two', 'Second', 'Third']);
  assert.deepEqual(ps[0], { start: 2, end: 21 });
  assert.deepEqual(splitParagraphs('   \n\n  '), []);
});

test('sentence boundaries at . ! ? … followed by capital, digit or quote', () => {
  assert.deepEqual(texts('The Rhine is long. The Danube is longer! Is the Elbe? 3 rivers… "Yes" she said.'),
    ['The Rhine is long.', 'The Danube is longer!', 'Is the Elbe?', '3 rivers…', '"Yes" she said.']);
  assert.deepEqual(texts('He said "Stop." Then left.'), ['He said "Stop."', 'Then left.']);
  assert.deepEqual(texts('lower case. continues here'), ['lower case. continues here']);
  // A script without case opens a sentence with any letter: no name runs across the full stop.
  assert.deepEqual(texts('The Jordan flows near Amman. شركة أرامكو كبيرة. 日本の川。 Then back.'),
    ['The Jordan flows near Amman.', 'شركة أرامكو كبيرة.', '日本の川。 Then back.']);
});

test('no break after abbreviations, initials, acronyms, decimals', () => {
  assert.deepEqual(texts('Dr. Curie met Mr. Smith in the U.S. Army camp. It grew 3.5 percent, e.g. Siemens and J. R. R. Tolkien agreed. Done.'),
    ['Dr. Curie met Mr. Smith in the U.S. Army camp.', 'It grew 3.5 percent, e.g. Siemens and J. R. R. Tolkien agreed.', 'Done.']);
});

test('sentence offsets are document offsets into the masked text', () => {
  const masked = 'xx\n\n  The   Rhine  flows. Zürich 🚢 Rhine is here.  ';
  const start = masked.indexOf('The');
  const s = splitSentences(masked, { start, end: masked.length });
  assert.deepEqual(s.map((x) => [x.start, x.end, x.text]), [
    [6, 25, 'The   Rhine  flows.'],
    [26, 50, 'Zürich 🚢 Rhine is here.'],
  ]);
  for (const x of s) assert.equal(masked.slice(x.start, x.end), x.text);
});

test('plain-text bullets on new lines are their own sentences', () => {
  assert.deepEqual(texts('Rivers:\n- Rhine in Basel\n- Danube in Vienna\n1. Elbe'), ['Rivers:', '- Rhine in Basel', '- Danube in Vienna', '1. Elbe']);
});

test('very long sentences split at the last whitespace before the limit', () => {
  const word = 'river ';
  const t = word.repeat(150).trim(); // 899 chars, no terminator
  const s = splitSentences(t, { start: 0, end: t.length });
  assert.ok(s.length >= 3);
  for (const x of s) {
    assert.ok(x.end - x.start <= MAX_SENTENCE_LENGTH);
    assert.equal(t.slice(x.start, x.end), x.text);
    assert.ok(!x.text.startsWith(' ') && !x.text.endsWith(' ') && x.text.endsWith('river'));
  }
  assert.equal(s.map((x) => x.text).join(' '), t);
});

test('documentKind by extension', () => {
  assert.equal(documentKind('/a/b.md'), 'markdown');
  assert.equal(documentKind('/a/b.MARKDOWN'), 'markdown');
  assert.equal(documentKind('b.mdx'), 'markdown');
  assert.equal(documentKind('b.txt'), 'plaintext');
  assert.equal(documentKind('b.rst'), 'plaintext');
  assert.equal(documentKind('/a/README'), 'plaintext');
  assert.equal(documentKind('/a/.gitignore'), undefined);
  assert.equal(documentKind('x.png'), undefined);
  assert.equal(documentKind('x.ts'), undefined);
});

test('ingestText markdown: headings and list items are their own paragraphs and sentences', () => {
  const text = '---\ntitle: X\n---\n# Rivers of Europe\nThe **Rhine** flows. Dr. Curie agreed.\n\n- Angela Merkel\n- Siemens AG\n\n```\nToyota\n```\n';
  const doc = ingestText('/w/a.md', text, 'markdown');
  assert.equal(doc.text, text);
  assert.equal(doc.path, '/w/a.md');
  const sents = doc.paragraphs.map((p) => p.sentences.map((s) => s.text));
  assert.deepEqual(sents, [['Rivers of Europe'], ['The   Rhine   flows.', 'Dr. Curie agreed.'], ['Angela Merkel'], ['Siemens AG']]);
  const rhine = text.indexOf('Rhine');
  const s = doc.paragraphs[1].sentences[0];
  assert.equal(s.start, text.indexOf('The **'));
  assert.equal(s.text.slice(rhine - s.start, rhine - s.start + 5), 'Rhine');
  for (const p of doc.paragraphs) for (const x of p.sentences) assert.ok(x.start >= p.start && x.end <= p.end);
});

test('ingestText plaintext: no masking, blank-line paragraphs', () => {
  const text = 'See `code` and **bold**.\n\nSecond para.';
  const doc = ingestText('a.txt', text, 'plaintext');
  assert.deepEqual(doc.paragraphs.map((p) => p.sentences.map((s) => s.text)), [['See `code` and **bold**.'], ['Second para.']]);
  assert.deepEqual(doc.paragraphs.map((p) => [p.start, p.end]), [[0, 24], [26, 38]]);
});

test('paragraph hashes: equal for moved identical prose, different when edited', () => {
  const a = ingestText('a.md', 'Alpha Rhine.\n\nBeta Danube.\n', 'markdown');
  const b = ingestText('a.md', 'New intro paragraph.\n\nBeta Danube.\n\nAlpha Rhine.\n', 'markdown');
  const c = ingestText('a.md', 'Alpha Rhine!\n\nBeta Danube.\n', 'markdown');
  assert.equal(a.paragraphs[0].hash, b.paragraphs[2].hash);
  assert.equal(a.paragraphs[1].hash, b.paragraphs[1].hash);
  assert.notEqual(a.paragraphs[0].hash, c.paragraphs[0].hash);
  assert.equal(a.paragraphs[1].hash, c.paragraphs[1].hash);
  assert.notEqual(a.paragraphs[0].hash, a.paragraphs[1].hash);
  assert.match(a.paragraphs[0].hash, /^[0-9a-f]{40}$/);
  // Only the prose counts: a changed link target keeps the hash.
  const l1 = ingestText('l.md', 'See [Basel](https://a.example).', 'markdown');
  const l2 = ingestText('l.md', 'See [Basel](https://b.example).', 'markdown');
  assert.equal(l1.paragraphs[0].hash, l2.paragraphs[0].hash);
  assert.equal(paragraphHash('x'), paragraphHash('x'));
  // A heading hashes apart from a paragraph of the same words (its spans differ); paragraphs keep
  // the hash they always had (sha1 of format version, NUL, prose), so stores do not re-embed them
  // until the ingest format changes (which also changes the stores' recorded identity).
  const h = ingestText('h.md', '## Browser support\n\nBrowser support\n', 'markdown');
  assert.equal(h.paragraphs[0].heading, true);
  assert.equal(h.paragraphs[1].heading, undefined);
  assert.notEqual(h.paragraphs[0].hash, h.paragraphs[1].hash);
  assert.equal(h.paragraphs[1].hash, createHash('sha1').update(`${INGEST_FORMAT_VERSION}\0Browser support`).digest('hex'));
});

test('fixture people.md (CRLF): sentence offsets point at the original mentions', async () => {
  const { readFileSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  const text = readFileSync(resolve(process.cwd(), 'test/fixtures/workspace/people.md'), 'utf8');
  assert.ok(text.includes('\r\n'));
  const doc = ingestText('people.md', text, 'markdown');
  const all = doc.paragraphs.flatMap((p) => p.sentences);
  assert.deepEqual(all.map((s) => s.text), [
    'People in science and politics', 'Marie Curie won two Nobel prizes.', 'Dr. Curie worked in Paris.',
    'Angela Merkel led Germany for sixteen years.', 'Albert Einstein was born in Ulm.',
    'Marie Curie said: nothing in life is to be feared.', 'Person', 'City', 'Angela Merkel', 'Berlin',
  ]);
  for (const s of all) {
    const i = s.text.indexOf('Merkel');
    if (i >= 0) assert.equal(text.slice(s.start + i, s.start + i + 6), 'Merkel');
    assert.ok(!s.text.includes('\r'));
  }
});

test('a line that ends with an initial and its full stop ends the sentence when the next line opens with a word; councillors and "incl." do not', () => {
  assert.deepEqual(texts('Ask about the Harvard Mark I.\nCall Dr. Okafor tomorrow.'), ['Ask about the Harvard Mark I.', 'Call Dr. Okafor tomorrow.']);
  assert.deepEqual(texts('Written by J. R. R.\nTolkien in Oxford.'), ['Written by J. R. R.', 'Tolkien in Oxford.'], 'a name wrapped after its initials is split too (rare in notes)');
  assert.deepEqual(texts('Met J. R. R. Tolkien.'), ['Met J. R. R. Tolkien.'], 'initials within a line stay');
  assert.deepEqual(texts('Potholes: Cllr. Hughes will ask. Suica works incl. Lawson and FamilyMart.'), ['Potholes: Cllr. Hughes will ask.', 'Suica works incl. Lawson and FamilyMart.']);
});

test('a line ended on purpose ends its sentence when a capitalised word opens the next; a wrapped line does not', () => {
  assert.deepEqual(texts('Guests to email: Ed Yong, Prof. Brian Cox\nRecording setup: Shure SM7B, Focusrite Scarlett 2i2 and a pop filter'),
    ['Guests to email: Ed Yong, Prof. Brian Cox', 'Recording setup: Shure SM7B, Focusrite Scarlett 2i2 and a pop filter']);
  // Wrapped at 60 columns: each line breaks where the next word no longer fits.
  const wrapped = 'The driver was written during a long collaboration with Grace\nHopper and the rest of the team at the laboratory in Boston,\nwhere it ran for years.';
  assert.deepEqual(texts(wrapped), [wrapped]);
  assert.deepEqual(texts('Dear Bob\nThanks for the long and detailed notes on the Danube trip.'), ['Dear Bob', 'Thanks for the long and detailed notes on the Danube trip.']);
  assert.deepEqual(texts('notes on the trip to\nvienna and the rest of the summer holidays'), ['notes on the trip to\nvienna and the rest of the summer holidays'], 'a lower-case line goes on');
});

test('in a paragraph of three or more short lines (all under 40 characters) each line is a sentence: a list, an address', () => {
  assert.deepEqual(texts('washing up liquid - Fairy\nPersil non-bio\nbirthday card for Gran\nAA batteries - Duracell\ntinned toms'),
    ['washing up liquid - Fairy', 'Persil non-bio', 'birthday card for Gran', 'AA batteries - Duracell', 'tinned toms']);
  const long = 'washing up liquid - Fairy or whatever is cheapest\nPersil non-bio';
  assert.deepEqual(texts(long), [long], 'one line of 40 or more: the other rules decide ("Persil" would not have fitted)');
  assert.deepEqual(texts('we flew from Paris to New\nYork with friends.'), ['we flew from Paris to New\nYork with friends.'], 'two short lines may be wrapped prose');
});

test('lines that each open with a short label and a spaced dash or colon, or with a date, are items, one sentence each, however long; wrapped prose is not cut', () => {
  assert.deepEqual(texts('Mia - Tues: Stagecoach drama, Thurs: swimming at Crystal Palace NSC\nLeo - Sat am football with Little Kickers'),
    ['Mia - Tues: Stagecoach drama, Thurs: swimming at Crystal Palace NSC', 'Leo - Sat am football with Little Kickers']);
  assert.deepEqual(texts('Author: Shane Huang (Winbond)\nUpdated: Roger Lucas'), ['Author: Shane Huang (Winbond)', 'Updated: Roger Lucas']);
  const prose = 'Distributed under the terms of Version 2 of the GNU General Public\nLicense, as defined in linux/COPYING.';
  assert.deepEqual(texts(prose), [prose], 'the next line opens with no label');
  assert.deepEqual(texts('31 Oct   indoor    easy volume only, V0-V2\n07 Nov   The Foundry, Sheffield w/ Kofi'), ['31 Oct   indoor    easy volume only, V0-V2', '07 Nov   The Foundry, Sheffield w/ Kofi'], 'a log\'s dated lines');
  assert.deepEqual(texts('graphviz 1.4\n2.2 adds clusters'), ['graphviz 1.4\n2.2 adds clusters'], 'a version number is no date');
  const one = 'The plan for the week is simple and we keep to it as best we can - Mia\nLeo - Sat am football with Little Kickers';
  assert.deepEqual(texts(one), [one], 'only one of the two lines opens with a label: it may be wrapped');
});
