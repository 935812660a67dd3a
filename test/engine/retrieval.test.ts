import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConll } from '../../server/src/engine/eval/conll.ts';
import { bm25Scorer, descriptionFor, drawHeldOutTypes, evaluateBaselines, evaluateRetrieval, evaluateScorer, rPrecision, MULTICONER_DESCRIPTIONS } from '../../server/src/engine/eval/retrieval.ts';
import { loadWordVectors } from '../../server/src/engine/encode/wordVectors.ts';
import type { MentionEncoder, MentionInput, SpanDetector } from '../../server/src/engine/types.ts';

test('rPrecision on a handmade ranking', () => {
  // Ranking by score: d2 (rel), d0 (no), d3 (rel), d1 (rel), d4 (no). R = 3 → top-3 has 2 relevant.
  assert.equal(rPrecision([0.8, 0.1, 0.9, 0.5, 0.0], [false, true, true, true, false]), 2 / 3);
  assert.equal(rPrecision([1, 2, 3], [false, false, true]), 1);
  assert.ok(Number.isNaN(rPrecision([1, 2], [false, false])));
  // Ties break by document order.
  assert.equal(rPrecision([1, 1], [false, true]), 0);
});

const conll = `# id a\nthe _ _ O\ndanube _ _ B-River\nflows _ _ O\n\n# id b\nsiemens _ _ B-Company\nsells _ _ O\n\n# id c\nthe _ _ O\nrhine _ _ B-River\nand _ _ O\nbasf _ _ B-Company\n`;

test('evaluateRetrieval ranks sentences by their best gold mention', async () => {
  const sentences = parseConll(conll);
  // Toy encoder: 2-d, rivers → [1,0], companies → [0,1], queries by keyword.
  const enc: MentionEncoder = {
    id: 'toy', dimension: 2,
    async encodeMentions(ms: MentionInput[]) {
      return ms.map((m) => { const w = m.sentence.slice(m.start, m.end); return new Float32Array(/danube|rhine|river/.test(w) ? [1, 0] : [0, 1]); });
    },
    async encodeQuery(d: string) { return new Float32Array(d.includes('river') ? [1, 0] : [0, 1]); },
  };
  const r = await evaluateRetrieval(sentences, enc, { River: 'river', Company: 'company' });
  assert.deepEqual(r.perType, { Company: 1, River: 1 });
  assert.equal(r.macro, 1);
  const b = await evaluateScorer(sentences, bm25Scorer(sentences), { River: 'river', Company: 'company' });
  assert.equal(typeof b.macro, 'number');
});

test('evaluateRetrieval end to end: sentences rank by the detector\'s spans, relevance stays gold', async () => {
  const sentences = parseConll(conll);
  const enc: MentionEncoder = {
    id: 'toy', dimension: 2,
    async encodeMentions(ms: MentionInput[]) {
      return ms.map((m) => new Float32Array(/danube|rhine/.test(m.sentence.slice(m.start, m.end)) ? [1, 0] : [0, 1]));
    },
    async encodeQuery(d: string) { return new Float32Array(d.includes('river') ? [1, 0] : [0, 1]); },
  };
  // A detector that finds the companies and misses every river.
  const companiesOnly: SpanDetector = {
    id: 'companies-only',
    detect: (text: string) => [...text.matchAll(/siemens|basf/g)].map((m) => ({ start: m.index!, end: m.index! + m[0].length })),
  };
  const gold = await evaluateRetrieval(sentences, enc, { River: 'river', Company: 'company' });
  const detected = await evaluateRetrieval(sentences, enc, { River: 'river', Company: 'company' }, undefined, companiesOnly);
  assert.equal(gold.perType.River, 1);
  // River: "a" has no detected mention and ranks last; "b" (a company) ties "c" and comes first.
  assert.deepEqual(detected.perType, { Company: 1, River: 0.5 });
});

test('the baselines and the encoders read a label or a "names of" description as search does', async () => {
  const sentences = parseConll(conll.replace('sells', 'flows past the river port'));
  const words = await evaluateBaselines(sentences, { River: 'river water', Company: 'company firm' }, undefined, loadWordVectors());
  const labels = await evaluateBaselines(sentences, { River: 'names of RiverWater', Company: 'CompanyFirm' }, undefined, loadWordVectors());
  const glued = await evaluateBaselines(sentences, { River: 'riverwater', Company: 'companyfirm' }, undefined, loadWordVectors());
  for (const method of Object.keys(words)) {
    assert.deepEqual(labels[method], words[method], method);
    assert.deepEqual(glued[method], words[method], `${method}, glued lower-case labels`);
  }
  assert.ok(words['BM25'].perType.River > 0, 'BM25 finds the river sentences by the word');
});

test('parseConll reads CoNLL-2003 files: four columns, -DOCSTART- skipped, IOB1 spans', () => {
  const s = parseConll([
    '-DOCSTART- -X- -X- O', '',
    'EU NNP B-NP I-ORG', 'rejects VBZ B-VP O', 'German JJ B-NP I-MISC', 'call NN I-NP O', '.', '',
    'Peter NNP B-NP I-PER', 'Blackburn NNP I-NP I-PER', 'met VBD B-VP O', 'Mary NNP B-NP I-PER', 'Jane NNP I-NP B-PER', '.', '',
  ].map((l) => (l === '.' ? '. . O O' : l)).join('\n'));
  assert.deepEqual(s.map((x) => x.text), ['EU rejects German call .', 'Peter Blackburn met Mary Jane .']);
  assert.deepEqual(s.map((x) => x.spans.map((p) => [x.text.slice(p.start, p.end), p.type])), [
    [['EU', 'ORG'], ['German', 'MISC']],
    [['Peter Blackburn', 'PER'], ['Mary', 'PER'], ['Jane', 'PER']],
  ]);
});

test('descriptionFor: fixed tables, scheme abbreviations spelled out, other labels humanised', () => {
  assert.deepEqual(['PrivateCorp', 'corporation', 'PER', 'LOC', 'ORG', 'MISC', 'GPE', 'NORP', 'WORK_OF_ART', 'CarManufacturer', 'creative-work', 'European_river', 'constructor', 'toString'].map(descriptionFor),
    ['private company', 'company', 'person', 'location', 'organization', 'miscellaneous name', 'country, city or state', 'nationality, religious or political group', 'work of art', 'car manufacturer', 'creative work', 'european river', 'constructor', 'tostring']);
});

test('held-out draws are seeded and cover the fixed description table', () => {
  const types = Object.keys(MULTICONER_DESCRIPTIONS);
  assert.equal(types.length, 24);
  assert.deepEqual(drawHeldOutTypes(types, 6, 1), drawHeldOutTypes(types, 6, 1));
  assert.notDeepEqual(drawHeldOutTypes(types, 6, 1), drawHeldOutTypes(types, 6, 2));
});

test('parseConll reads CR, CRLF and mixed line ends as LF', () => {
  const lf = parseConll(conll);
  assert.equal(lf.length, 3);
  for (const ends of ['\r\n', '\r']) assert.deepEqual(parseConll(conll.replace(/\n/g, ends)), lf, JSON.stringify(ends));
  assert.deepEqual(parseConll(conll.replace(/\n/g, (_, at: number) => (at % 3 === 0 ? '\r' : at % 3 === 1 ? '\r\n' : '\n'))), lf, 'mixed');
});
