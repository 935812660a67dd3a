// A .jsonl corpus line: {"id", "text", "spans"?}; a bad one is an Error naming what is wrong. Given
// spans are the document's mentions, as they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexCorpus, parseCorpusLine, type IndexComponents } from '../../server/src/engine/indexer.ts';
import type { MentionStore, StoredDocument } from '../../server/src/engine/index/store.ts';
import type { MentionInput, SpanDetector } from '../../server/src/engine/types.ts';
import { assertCostLikeBenign } from '../helpers/costGuard.ts';

test('spans are UTF-16 offsets inside the text, and never cut a character in two', () => {
  const text = 'We met 😀 Angela Merkel.';
  const at = text.indexOf('Angela');
  assert.deepEqual(parseCorpusLine(JSON.stringify({ id: 1, text, spans: [[at, at + 13]] })).spans, [[at, at + 13]]);
  assert.deepEqual(parseCorpusLine(JSON.stringify({ id: 1, text, spans: [[7, 9]] })).spans, [[7, 9]], 'the emoji whole: both halves');
  for (const span of [[7, 8], [8, 9], [8, 12]]) {
    assert.throws(() => parseCorpusLine(JSON.stringify({ id: 1, text, spans: [span] })), /"spans"\[0\] = \[\d+, \d+\] cuts a character in two/, JSON.stringify(span));
  }
  assert.throws(() => parseCorpusLine(JSON.stringify({ id: 1, text, spans: [[0, 99]] })), /outside the text/);
});

/** A store and an encoder in memory, keeping what indexing puts and encodes; no detector. */
function memoryComponents(): { c: IndexComponents; docs: Map<string, StoredDocument>; encoded: MentionInput[] } {
  const docs = new Map<string, StoredDocument>();
  const encoded: MentionInput[] = [];
  let label = 0;
  const store = {
    pendingJournalBytes: 0,
    getDocument: (path: string) => docs.get(path),
    documents: () => docs.values(),
    removeDocument: (path: string) => docs.delete(path),
    putDocument: (doc: StoredDocument) => docs.set(doc.path, doc),
    allocateLabel: () => label++,
    checkpoint: async () => {},
  } as unknown as MentionStore;
  const encoder = {
    id: 'memory', dimension: 1,
    encodeMentions: async (mentions: MentionInput[]) => { encoded.push(...mentions); return mentions.map(() => new Float32Array(1)); },
    encodeQuery: async () => new Float32Array(1),
  };
  const detector: SpanDetector = { id: 'none', detect: () => { throw new Error('given spans need no detection'); } };
  return { c: { store, encoder, detector }, docs, encoded };
}

test('given spans become the mentions, each in its sentence and in the order given, in time linear in the document', async () => {
  const first = 'Anna Berger met Tom Hardy in Vienna.';
  const last = 'Then we saw the Danube.';
  const long = `${first} ${'We walked for hours along the quiet river bank and talked about nothing in particular. '.repeat(5)}${last}`;
  const spanOf = (text: string, word: string): [number, number] => { const at = text.indexOf(word); return [at, at + word.length]; };
  const lines = [
    { id: 'long', text: long, spans: [spanOf(long, 'Danube'), spanOf(long, 'Vienna'), spanOf(long, 'Anna Berger')] },
    // A span across two sentences: the document is one sentence.
    { id: 'across', text: long, spans: [spanOf(long, 'Vienna. We'), spanOf(long, 'Tom Hardy')] },
  ];
  const small = memoryComponents();
  await indexCorpus('c.jsonl', lines.map((d) => JSON.stringify(d)).join('\n'), small.c);
  const mentions = (id: string) => [...small.docs.values()].find((d) => d.docId === id)!.paragraphs.flatMap((p) => p.mentions.map((m) => [m.label, m.start, m.end, m.text]));
  const [danube, vienna, anna] = lines[0].spans;
  assert.deepEqual(mentions('long'), [[0, ...vienna, 'Vienna'], [1, ...anna, 'Anna Berger'], [2, ...danube, 'Danube']]);
  assert.deepEqual(mentions('across'), [[3, ...lines[1].spans[0], 'Vienna. We'], [4, ...lines[1].spans[1], 'Tom Hardy']]);
  assert.deepEqual(small.encoded, [
    { sentence: first, start: first.indexOf('Vienna'), end: first.indexOf('Vienna') + 6 },
    { sentence: first, start: 0, end: 11 },
    { sentence: last, start: last.indexOf('Danube'), end: last.indexOf('Danube') + 6 },
    { sentence: long, start: lines[1].spans[0][0], end: lines[1].spans[0][1] },
    { sentence: long, start: lines[1].spans[1][0], end: lines[1].spans[1][1] },
  ]);

  // 70,000 sentences of a span each (980 KB): 34 s when every sentence went over all the spans.
  const n = 70_000;
  const sentence = 'Anna met Tom. ';
  const text = sentence.repeat(n);
  const spans = Array.from({ length: n }, (_, i) => [i * sentence.length, i * sentence.length + 4]);
  const big = memoryComponents();
  const line = JSON.stringify({ id: 'big', text, spans });
  await indexCorpus('c.jsonl', line, big.c);
  const stored = [...big.docs.values()][0].paragraphs.flatMap((p) => p.mentions);
  assert.deepEqual(stored.map((m) => [m.start, m.end]), spans);
  assert.equal(big.encoded.length, n);
  assert.ok(big.encoded.every((m) => m.sentence === 'Anna met Tom.' && m.start === 0 && m.end === 4));
  // Against the same sentences and spans in documents of 100 sentences, where a sentence meets only
  // its document's spans.
  const hundred = sentence.repeat(100);
  const hundredSpans = spans.slice(0, 100);
  const documentsOfHundred = Array.from({ length: n / 100 }, (_, i) => JSON.stringify({ id: `d${i}`, text: hundred, spans: hundredSpans })).join('\n');
  await assertCostLikeBenign('a document of many sentences', () => indexCorpus('c.jsonl', line, memoryComponents().c), () => indexCorpus('c.jsonl', documentsOfHundred, memoryComponents().c));
});

test('a corpus with CR, CRLF or mixed line ends reads as the same lines, and an error names the line it is on', async () => {
  const docs = [{ id: 'a', text: 'Anna met Tom.', spans: [[0, 4]] }, { id: 'b', text: 'The Danube.', spans: [[4, 10]] }, { id: 'c', text: 'Oslo.', spans: [[0, 4]] }];
  const lines = [JSON.stringify(docs[0]), JSON.stringify(docs[1]), '{"id": "broken"', JSON.stringify(docs[2])];
  for (const joined of [lines.join('\n'), lines.join('\r\n'), lines.join('\r'), `${lines[0]}\r${lines[1]}\r\n${lines[2]}\n${lines[3]}\r`]) {
    const m = memoryComponents();
    const report = await indexCorpus('c.jsonl', joined, m.c);
    assert.deepEqual([...m.docs.values()].map((d) => [d.docId, d.paragraphs.flatMap((p) => p.mentions.map((x) => x.text))]), [['a', ['Anna']], ['b', ['Danube']], ['c', ['Oslo']]], JSON.stringify(joined));
    assert.deepEqual(report.errors.map((e) => e.line), [3], JSON.stringify(joined));
  }
});
