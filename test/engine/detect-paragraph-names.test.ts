// Names are consistent within a paragraph: a name the detector finds in one sentence is one
// wherever it recurs in the same paragraph, on a full and on an incremental index alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_PARAGRAPH_SENTENCES, detectByParagraph, spreadParagraphNames } from '../../server/src/engine/detect/paragraphNames.ts';
import { TaggerDetector, loadDefaultDetector } from '../../server/src/engine/detect/index.ts';
import { components, loadDefaultModels, openStore } from '../../server/src/engine/engine.ts';
import { loadWordVectors } from '../../server/src/engine/encode/wordVectors.ts';
import { indexWorkspace } from '../../server/src/engine/indexer.ts';
import { NodeFileSystemWorkspace } from '../../server/src/engine/ingest/workspace.ts';
import type { OffsetSpan, SpanDetector } from '../../server/src/engine/types.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const texts = (s: string, spans: OffsetSpan[]) => spans.map((x) => s.slice(x.start, x.end));
const at = (s: string, name: string, from = 0): OffsetSpan => ({ start: s.indexOf(name, from), end: s.indexOf(name, from) + name.length });

test('spreadParagraphNames: whole words only, longer names first, never over a span, capitalised names only', () => {
  const sentences = [
    'Many packages depend on Chalk and the New York Times.',
    'Chalk has no dependencies; Chalkboard and chalk are other words.',
    'The New York Times wrote about New York.',
    'npm is lower case.',
  ];
  const spans = [[at(sentences[0], 'Chalk'), at(sentences[0], 'New York Times')], [], [], [at(sentences[3], 'npm')]];
  const out = spreadParagraphNames(sentences, spans);
  assert.deepEqual(texts(sentences[1], out[1]), ['Chalk'], 'not inside "Chalkboard", not the lower-case word');
  assert.deepEqual(texts(sentences[2], out[2]), ['New York Times'], '"New York" alone was never a name here');
  assert.deepEqual(out[3], spans[3]);
  assert.notEqual(out[0], spans[0], 'new arrays');
  assert.equal(spans[1].length, 0, 'the input is left as it was');
  // Not the part of a word glued by a dot or a hyphen; not a one-word name seen only opening a sentence.
  const glued = ['We run it on Node every day.', 'Node-API calls and Node.js both work.', 'If it fails, retry.', 'If not, stop.'];
  const spread = spreadParagraphNames(glued, [[at(glued[0], 'Node')], [], [at(glued[2], 'If')], []]);
  assert.deepEqual(spread[1], []);
  assert.deepEqual(spread[3], [], '"If" was a span only where it opens a sentence');
  // A sentence alone, or a paragraph without capitalised names, is unchanged.
  assert.deepEqual(spreadParagraphNames([sentences[1]], [[]]), [[]]);
});

test('detectByParagraph: consecutive sentences of one paragraph together, long paragraphs and detectors without detectParagraph sentence by sentence', () => {
  const calls: number[] = [];
  const detector: SpanDetector = {
    id: 'fake',
    detect: (s) => (s.startsWith('Chalk') ? [] : [at(s, 'Chalk')].filter((x) => x.start >= 0)),
    detectParagraph: (ss) => { calls.push(ss.length); return spreadParagraphNames(ss.map((x) => x.text), ss.map((x) => detector.detect(x.text))); },
  };
  const para = (n: number, p: number) => Array.from({ length: n }, (_, i) => ({ text: i % 2 ? 'Chalk is small.' : 'We use Chalk.', paragraph: p }));
  const got = detectByParagraph(detector, [...para(3, 0), ...para(1, 1), ...para(MAX_PARAGRAPH_SENTENCES + 1, 2)]);
  assert.deepEqual(calls, [3], 'one paragraph call; a one-sentence paragraph and an over-long one go sentence by sentence');
  assert.equal(got.length, 3 + 1 + MAX_PARAGRAPH_SENTENCES + 1);
  assert.equal(got[1].length, 1, 'spread within the first paragraph');
  assert.equal(got[5].length, 0, 'not within the over-long one');
  const plain: SpanDetector = { id: 'plain', detect: detector.detect };
  assert.deepEqual(detectByParagraph(plain, para(3, 0))[1], []);
});

test('the built-in detector: a sentence-initial name found through its paragraph; off, and out of the id, with paragraphNames false', () => {
  const vectors = loadWordVectors();
  const det = loadDefaultDetector(vectors);
  const sentences = ['Chalk is also likely already in your dependency tree, since many packages depend on Chalk.', 'Chalk has no dependencies.'];
  assert.deepEqual(det.detect(sentences[1]), [], 'alone, the tagger misses it');
  assert.deepEqual(det.detectParagraph(sentences.map((text) => ({ text })))[1].map((x) => sentences[1].slice(x.start, x.end)), ['Chalk']);
  const off = new TaggerDetector(det.model, vectors, { terms: det.terms, nameAdjectives: det.nameAdjectives, paragraphNames: false });
  assert.deepEqual(off.detectParagraph(sentences.map((text) => ({ text })))[1], []);
  assert.ok(det.id.includes('P') && !off.id.includes('wsdP'));
});

test('indexWorkspace: the paragraph decides, so editing another paragraph leaves the spread names as a full index finds them', async () => {
  const models = await loadDefaultModels();
  const root = scratchDir('ner-paragraph-names-');
  try {
    const file = join(root, 'notes.md');
    const body = 'Chalk is also likely already in your dependency tree, since many packages depend on Chalk. Chalk has no dependencies.';
    writeFileSync(file, `# Notes\n\n${body}\n\nThe weather in Lisbon was fine.\n`);
    const mentionsOf = async (dir: string, rebuild: boolean) => {
      const store = await openStore(dir, models, { rebuild });
      await indexWorkspace(new NodeFileSystemWorkspace([root]), components(models, store));
      const out = [...store.documents()].flatMap((d) => d.paragraphs.flatMap((p) => p.mentions.map((m) => `${m.text}@${m.start}`)));
      await store.close();
      return out;
    };
    const first = await mentionsOf(join(root, '.store'), true);
    assert.equal(first.filter((m) => m.startsWith('Chalk@')).length, 3, JSON.stringify(first));
    writeFileSync(file, `# Notes\n\n${body}\n\nThe weather in Lisbon was fine, and in Porto too.\n`);
    const incremental = await mentionsOf(join(root, '.store'), false);
    const full = await mentionsOf(join(root, '.store-full'), true);
    assert.deepEqual(incremental, full);
    assert.equal(incremental.filter((m) => m.startsWith('Chalk@')).length, 3);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
