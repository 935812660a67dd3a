// The tagger's fused hidden-layer loop and its WebAssembly SIMD kernel (taggerKernel.wat) give
// bit-identical log-probabilities to the general loop (the window of 5 and the 4 global features
// of the shipped model), so spans and stored documents do not change with them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wordVectorsFromEntries, loadWordVectors } from '../../server/src/engine/encode/wordVectors.ts';
import { seededRandom } from '../../server/src/engine/train/tagger-training.ts';
import { TaggerDetector, defaultConfig, viewParams, type TaggerModel } from '../../server/src/engine/detect/tagger.ts';
import { loadDefaultDetector, tokenize } from '../../server/src/engine/detect/index.ts';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SENTENCES = [
  'Angela Merkel visited Siemens in Munich on Tuesday .',
  'the danube flows through vienna and budapest',
  'THE RIVER THAMES FLOODED LONDON',
  'Yesterday',
  'A B',
  'He said: "Paris is lovely." Then he left for Lisbon!',
  'Ärzte ohne Grenzen – Médecins Sans Frontières – works in Kyiv, Україна.',
];

function sameLogProbs(fused: TaggerDetector, general: TaggerDetector, sentences: string[]): void {
  for (const s of sentences) {
    const tokens = tokenize(s);
    if (tokens.length === 0) continue;
    for (const [firstNotInitial, rows] of [[false, tokens.length], [true, 1], [true, tokens.length]] as const) {
      const a = fused.tokenLogProbs(tokens, firstNotInitial, rows);
      const b = general.tokenLogProbs(tokens, firstNotInitial, rows);
      assert.equal(a.length, b.length);
      for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${JSON.stringify(s)} value ${i}: ${a[i]} vs ${b[i]}`);
    }
  }
}

test('fused hidden-layer loop: bit-identical to the general loop on random weights with large activations', () => {
  const r = seededRandom(7);
  const words = ['angela', 'merkel', 'visited', 'siemens', 'in', 'munich', 'the', 'danube', 'flows', 'paris', 'is', 'lovely', 'a', 'b'];
  const vectors = wordVectorsFromEntries(words.map((w) => [w, Array.from({ length: 8 }, () => r() * 2 - 1)]));
  const config = defaultConfig(8, 16);
  const params = viewParams(config);
  // Weights of mixed magnitudes, so float32 rounding of the running sums matters.
  for (let i = 0; i < params.all.length; i++) params.all[i] = (r() * 2 - 1) * (i % 3 === 0 ? 1e3 : i % 3 === 1 ? 1 : 1e-3);
  const model: TaggerModel = { header: { ...config, format: 'ner-retriever-tagger', version: 1 } as TaggerModel['header'], params };
  sameLogProbs(new TaggerDetector(model, vectors), new TaggerDetector(model, vectors, { generalKernel: true }), SENTENCES);
  sameLogProbs(new TaggerDetector(model, vectors), new TaggerDetector(model, vectors, { simdKernel: false }), SENTENCES);
});

test('SIMD kernel: in use by default, and bit-identical to the JS loops with the committed tagger on long sentences', () => {
  const vectors = loadWordVectors();
  const shipped = loadDefaultDetector(vectors) as TaggerDetector;
  assert.ok((shipped as unknown as { simdKernel?: unknown }).simdKernel, 'the SIMD kernel should load on this runtime');
  const js = new TaggerDetector(shipped.model, vectors, { simdKernel: false });
  assert.equal((js as unknown as { simdKernel?: unknown }).simdKernel, undefined);
  // Long sentences make the kernel grow its memory between calls.
  const long = Array.from({ length: 3 }, (_, k) => Array.from({ length: 400 * (k + 1) }, (_, i) => SENTENCES[(i + k) % SENTENCES.length].split(' ')[i % 5] ?? 'x').join(' '));
  sameLogProbs(shipped, js, [...SENTENCES, ...long, ...SENTENCES]);
});

test('SIMD kernel: the committed module is the compiled taggerKernel.wat', () => {
  const script = fileURLToPath(new URL('../../scripts/build-tagger-kernel.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

test('fused hidden-layer loop: bit-identical to the general loop with the committed tagger', () => {
  const vectors = loadWordVectors();
  const shipped = loadDefaultDetector(vectors) as TaggerDetector;
  const general = new TaggerDetector(shipped.model, vectors, { generalKernel: true });
  sameLogProbs(shipped, general, SENTENCES);
});

test('tagger row caches: clearing them (a tiny cache) changes no value, in the SIMD kernel\'s memory or in JavaScript', () => {
  const vectors = loadWordVectors();
  const shipped = loadDefaultDetector(vectors) as TaggerDetector;
  // 6 entries: every sentence above overflows the caches, which are cleared between its rows
  // (the projected rows) or before its next call (the contribution rows).
  const tiny = new TaggerDetector(shipped.model, vectors, { maxCacheEntries: 6 });
  const tinyJs = new TaggerDetector(shipped.model, vectors, { maxCacheEntries: 6, simdKernel: false });
  const js = new TaggerDetector(shipped.model, vectors, { simdKernel: false });
  // 500 distinct vocabulary words grow the rows' buffers (the JavaScript one starts at 64 rows).
  const distinct = Array.from({ length: 500 }, (_, i) => vectors.word(i * 7)).join(' ');
  for (let round = 0; round < 2; round++) {
    sameLogProbs(tiny, shipped, [...SENTENCES, distinct]);
    sameLogProbs(tinyJs, js, [...SENTENCES, distinct]);
    sameLogProbs(js, shipped, [distinct, ...SENTENCES]);
  }
});
