// Inputs that once crashed ingest or took time quadratic in their size (a helper's fuzzing,
// thirty-fourth session). Each runs at a size where the old code took tens of seconds or
// overflowed the stack; its time is bounded against a benign input of the same size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskPod } from '../../server/src/engine/ingest/podMarkup.ts';
import { splitSentences } from '../../server/src/engine/ingest/sentences.ts';
import { documentCaseEvidence } from '../../server/src/engine/ingest/positionalCapitals.ts';
import { parseProse } from '../../server/src/engine/ingest/markdown.ts';
import { assertCostLikeBenign } from '../helpers/costGuard.ts';

test('POD formatting codes nested thousands deep are read without overflowing the stack, their text kept', () => {
  const depth = 20_000;
  const text = `=pod\n\nSee ${'B<'.repeat(depth)}Vienna${'>'.repeat(depth)} and C<code>.\n\n=cut\n`;
  const masked = maskPod(text);
  assert.equal(masked.length, text.length);
  assert.ok(masked.includes('Vienna'), 'the innermost text is prose');
  assert.ok(!masked.includes('code') && !masked.includes('B<'), 'code and markup are blanked');
});

test('a run of tens of thousands of sentence terminators with no space after it is split in linear time', async () => {
  const split = (text: string) => splitSentences(text, { start: 0, end: text.length });
  const textWith = (run: string) => `Vienna is lovely${run}Then more. Budapest too.`;
  const benign = textWith('x'.repeat(200_000)); // one long word instead (minutes before)
  for (const run of ['.', '!', '?!', '…']) {
    const text = textWith(run.repeat(200_000 / run.length));
    assert.equal(split(text).at(-1)?.text, 'Budapest too.', 'the sentence after the run still starts at its capital');
    await assertCostLikeBenign(JSON.stringify(run), () => split(text), () => split(benign));
  }
});

test('a paragraph of 150,000 distinct sentence-opening words used in lower case elsewhere: its positional capitals in linear time', async () => {
  const word = (i: number) => { let w = ''; for (let k = i + 26 * 27; k > 0; k = Math.floor(k / 26)) w += String.fromCharCode(97 + (k % 26)); return `${w}ly`; };
  const n = 150_000;
  const words = Array.from({ length: n }, (_, i) => word(i));
  const capital = (w: string) => w[0].toUpperCase() + w.slice(1);
  const first = words.map((w) => `${capital(w)} rose.`).join(' ');
  const textUsing = (later: string[]) => `${first}\n\nThen ${later.join(' and ')} went.\n`;
  const blocksOf = (text: string) => [{ start: 0, end: first.length }, { start: first.length + 2, end: text.length - 1 }];
  const text = textUsing(words);
  assert.equal(documentCaseEvidence(text, blocksOf(text)).positional[0]?.length, n, 'every word is capitalised by position only');
  const benign = textUsing(words.map((w) => `${w.slice(0, -2)}zz`)); // the same length, never the openers in lower case
  await assertCostLikeBenign('positional capitals', () => documentCaseEvidence(text, blocksOf(text)), () => documentCaseEvidence(benign, blocksOf(benign)));
});

test('Markdown nested past markdown-it\'s limit (50 lists, 100 blockquotes) loses only the too-deep lines, not the rest of the document', async () => {
  const blockText = (text: string) => parseProse(text).blocks.map((b) => text.slice(b.start, b.end));
  const lists = Array.from({ length: 60 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n') + '\n\nAngela Merkel met Barack Obama in Paris.\n\nThen Lisbon.\n';
  const parsed = parseProse(lists);
  assert.equal(parsed.masked.length, lists.length);
  assert.deepEqual(blockText(lists).slice(-2), ['Angela Merkel met Barack Obama in Paris.', 'Then Lisbon.'], 'the prose after the deep list (it was dropped)');
  assert.ok(blockText(lists).includes('item 0'), 'the list up to the limit');
  assert.deepEqual(parsed.topLevel, [], 'no block structure to re-parse incrementally: such a document is parsed whole');
  // Any line ending, and a rule ("---") after the drop is no front matter of the rest.
  for (const nl of ['\r\n', '\r']) {
    const text = `${lists.replaceAll('\n', nl)}${nl}---${nl}${nl}And Porto.${nl}${nl}---${nl}`;
    assert.deepEqual(blockText(text).slice(-3), ['Angela Merkel met Barack Obama in Paris.', 'Then Lisbon.', 'And Porto.'], JSON.stringify(nl));
  }
  const quotes = `${'>'.repeat(150)} deep\n\nAfter the quote, Vienna.\n`;
  assert.deepEqual(blockText(quotes), ['After the quote, Vienna.'], 'a blockquote 150 deep on the first line');
  // Many such blocks: a bounded number of re-parses, then the rest read as plain lines, nothing lost.
  const manyQuotes = (marker: string) => Array.from({ length: 300 }, (_, i) => `${marker} deep ${i}\n\nPara ${i} about Lisbon.\n\n`).join('');
  const many = manyQuotes('>'.repeat(120));
  const texts = blockText(many);
  for (const i of [0, 15, 16, 299]) assert.ok(texts.includes(`Para ${i} about Lisbon.`), `paragraph ${i}`);
  const benign = manyQuotes('> '.repeat(60)); // as long, 60 deep: inside the limit, parsed once
  await assertCostLikeBenign('many too-deep blockquotes', () => parseProse(many), () => parseProse(benign), 40); // each of its 16 re-reads goes as deep
});
