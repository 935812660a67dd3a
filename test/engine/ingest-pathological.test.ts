// Inputs that once crashed ingest or took time quadratic in their size (a helper's fuzzing,
// thirty-fourth session). Each runs at a size where the old code took tens of seconds or
// overflowed the stack; the bounds are loose, for a shared machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskPod } from '../../server/src/engine/ingest/podMarkup.ts';
import { splitSentences } from '../../server/src/engine/ingest/sentences.ts';
import { documentCaseEvidence } from '../../server/src/engine/ingest/positionalCapitals.ts';
import { parseProse } from '../../server/src/engine/ingest/markdown.ts';

test('POD formatting codes nested thousands deep are read without overflowing the stack, their text kept', () => {
  const depth = 20_000;
  const text = `=pod\n\nSee ${'B<'.repeat(depth)}Vienna${'>'.repeat(depth)} and C<code>.\n\n=cut\n`;
  const masked = maskPod(text);
  assert.equal(masked.length, text.length);
  assert.ok(masked.includes('Vienna'), 'the innermost text is prose');
  assert.ok(!masked.includes('code') && !masked.includes('B<'), 'code and markup are blanked');
});

test('a run of tens of thousands of sentence terminators with no space after it is split in linear time', () => {
  for (const run of ['.', '!', '?!', '…']) {
    const text = `Vienna is lovely${run.repeat(200_000 / run.length)}Then more. Budapest too.`;
    const t = performance.now();
    const sentences = splitSentences(text, { start: 0, end: text.length });
    const ms = performance.now() - t;
    assert.ok(ms < 5000, `${JSON.stringify(run)}: ${ms.toFixed(0)} ms (minutes before)`);
    assert.equal(sentences.at(-1)?.text, 'Budapest too.', 'the sentence after the run still starts at its capital');
  }
});

test('a paragraph of 150,000 distinct sentence-opening words used in lower case elsewhere: its positional capitals in linear time', () => {
  const word = (i: number) => { let w = ''; for (let k = i + 26 * 27; k > 0; k = Math.floor(k / 26)) w += String.fromCharCode(97 + (k % 26)); return `${w}ly`; };
  const n = 150_000;
  const words = Array.from({ length: n }, (_, i) => word(i));
  const capital = (w: string) => w[0].toUpperCase() + w.slice(1);
  const first = words.map((w) => `${capital(w)} rose.`).join(' ');
  const text = `${first}\n\nThen ${words.join(' and ')} went.\n`;
  const blocks = [{ start: 0, end: first.length }, { start: first.length + 2, end: text.length - 1 }];
  const t = performance.now();
  const evidence = documentCaseEvidence(text, blocks);
  const ms = performance.now() - t;
  assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
  assert.equal(evidence.positional[0]?.length, n, 'every word is capitalised by position only');
});

test('Markdown nested past markdown-it\'s limit (50 lists, 100 blockquotes) loses only the too-deep lines, not the rest of the document', () => {
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
  const many = Array.from({ length: 300 }, (_, i) => `${'>'.repeat(120)} deep ${i}\n\nPara ${i} about Lisbon.\n\n`).join('');
  const t = performance.now();
  const texts = blockText(many);
  assert.ok(performance.now() - t < 20_000);
  for (const i of [0, 15, 16, 299]) assert.ok(texts.includes(`Para ${i} about Lisbon.`), `paragraph ${i}`);
});
