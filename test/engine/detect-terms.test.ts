// The lower-case drug and disease lexicon beside the tagger (detect/terms.ts, models/detector/terms.txt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertScriptRebuilds } from '../helpers/committedOutput.ts';
import { TermLexicon, defaultTermsPath, loadDefaultDetector, loadTaggerModel, defaultDetectorModelPath, tokenize } from '../../server/src/engine/detect/index.ts';
import { TaggerDetector } from '../../server/src/engine/detect/tagger.ts';
import { loadWordVectors } from '../../server/src/engine/encode/wordVectors.ts';

const found = (lexicon: TermLexicon, s: string, anyCase = false) => {
  const tokens = tokenize(s);
  return lexicon.find(tokens, anyCase).map(([a, b]) => s.slice(tokens[a].start, tokens[b - 1].end));
};

test('TermLexicon: longest match, lower-case words only mid-sentence, any case at the start or when casing says nothing', () => {
  const lexicon = TermLexicon.fromTerms(['sclerosis', 'multiple sclerosis', 'aspirin', 'hay fever', 'angle-closure glaucoma']);
  assert.deepEqual(found(lexicon, 'She has multiple sclerosis and takes aspirin.'), ['multiple sclerosis', 'aspirin']);
  assert.deepEqual(found(lexicon, 'Aspirin helps; Multiple Sclerosis Society members agree.'), ['Aspirin'], 'mid-sentence capitals are the tagger\'s');
  assert.deepEqual(found(lexicon, 'LIVING WITH HAY FEVER', true), ['HAY FEVER']);
  assert.deepEqual(found(lexicon, 'an angle-closure glaucoma case'), ['angle-closure glaucoma'], 'terms tokenized like the text');
  assert.deepEqual(found(lexicon, 'aspirins hay'), [], 'no partial or inflected matches beyond the lexicon');
  assert.notEqual(TermLexicon.fromTerms(['aspirin']).hash, lexicon.hash);
  assert.equal(TermLexicon.fromTerms(['B', 'a']).hash, TermLexicon.fromTerms(['a', 'b', 'a']).hash, 'hash of the normalised set');
  assert.throws(() => TermLexicon.load('/nonexistent/terms.txt'), /term lexicon \/nonexistent\/terms\.txt cannot be read.*NER_DETECTOR_TERMS/);
});

test('default detector: lower-case drugs and diseases found next to the tagger\'s names; a longer name wins over a term inside it', () => {
  const det = loadDefaultDetector(loadWordVectors());
  assert.match(det.id, new RegExp(`t${TermLexicon.load(defaultTermsPath()).hash}(a[0-9a-f]{8})?(f[0-9a-f]{8})?Q?(v[0-9a-f]{8})?X?R?U?N?Z?V?J?E?(-lf)?(-mn)?(-ps)?(-dn)?(-co)?(-tl)?(-pn)?(-gs)?(-oa)?(-uq)?(-rp)?(-ll)?(-il)?(-sn)?(-fw)?(-df)?-iv[0-9a-f]{8}$`), 'the lexicon is part of the detector id, so stores re-detect when it changes');
  const s = 'Alexander Fleming found penicillin; today doctors prescribe ibuprofen and metformin, and aspirin is made by Bayer.';
  const spans = det.detect(s).map((x) => s.slice(x.start, x.end));
  for (const e of ['Alexander Fleming', 'penicillin', 'ibuprofen', 'metformin', 'aspirin', 'Bayer']) assert.ok(spans.includes(e), `${e} in ${JSON.stringify(spans)}`);
  const org = 'Cancer Research UK funds trials on multiple sclerosis.';
  assert.deepEqual(det.detect(org).map((x) => org.slice(x.start, x.end)), ['Cancer Research UK', 'multiple sclerosis']);
  const plain = 'It was a cold day, and the shock of the news spread through the office.';
  assert.deepEqual(det.detect(plain), [], 'ordinary words with a rare medical sense are not terms');
  // Without the lexicon (and the drug stems) the same tagger finds none of the lower-case drugs (what it replaces).
  const tagger = new TaggerDetector(loadTaggerModel(defaultDetectorModelPath()), loadWordVectors(), { drugStems: false });
  assert.ok(!tagger.detect(s).some((x) => s.slice(x.start, x.end) === 'ibuprofen'));
});

test('committed term lexicon is exactly what scripts/term-lexicon.ts builds from the installed WordNet', () => {
  assertScriptRebuilds('scripts/term-lexicon.ts', defaultTermsPath());
});
