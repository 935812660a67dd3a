import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodeOnnxModel } from '../../server/src/engine/encode/onnxWriter.ts';
import { OnnxHead, headEmbeddingDim, headToOnnx, headWeightsFromOnnx, type HeadWeights } from '../../server/src/engine/encode/head.ts';
import { fitOutputProjection, projectHead } from '../../server/src/engine/encode/outputProjection.ts';
import { FeatureExtractor, foldDiacritics, spellingsOf, tokenize } from '../../server/src/engine/encode/features.ts';
import { wordVectorsFromEntries } from '../../server/src/engine/encode/wordVectors.ts';
import { StaticEncoder, defaultHeadPath } from '../../server/src/engine/encode/staticEncoder.ts';
import { defaultHubnessPath, loadHubnessSettings, type HubnessSettings } from '../../server/src/engine/encode/hubness.ts';
import { anchorLoss, headForward, reservedSentences, trainHead, weightsSha } from '../../server/src/engine/train/trainHead.ts';
import { sharedDir } from '../../server/src/engine/types.ts';
import { mulberry32 } from '../../server/src/engine/eval/retrieval.ts';
import { WordnetExpander } from '../../server/src/engine/encode/queryExpansion.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);
const norm = (a: Float32Array) => Math.sqrt(dot(a, a));

test('ONNX writer round trip: tiny MatMul+Add+Relu graph equals hand computation', async () => {
  const bytes = encodeOnnxModel({
    inputs: [{ name: 'x', dims: ['N', 2] }],
    outputs: [{ name: 'y', dims: ['N', 3] }],
    initializers: [
      { name: 'W', dims: [2, 3], data: new Float32Array([1, -2, 0.5, 3, 1, -1]) },
      { name: 'b', dims: [3], data: new Float32Array([0.1, 0.2, -5]) },
    ],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'W'], outputs: ['m'] },
      { op: 'Add', inputs: ['m', 'b'], outputs: ['a'] },
      { op: 'Relu', inputs: ['a'], outputs: ['y'] },
    ],
  });
  const s = await ort.InferenceSession.create(bytes);
  const x = new Float32Array([1, 2, -1, 0.5]);
  const y = (await s.run({ x: new ort.Tensor('float32', x, [2, 2]) })).y.data as Float32Array;
  const expect = [Math.max(0, 1 + 6 + 0.1), Math.max(0, -2 + 2 + 0.2), Math.max(0, 0.5 - 2 - 5),
    Math.max(0, -1 + 1.5 + 0.1), Math.max(0, 2 + 0.5 + 0.2), Math.max(0, -0.5 - 0.5 - 5)];
  assert.equal(y.length, 6);
  y.forEach((v, i) => assert.ok(Math.abs(v - expect[i]) < 1e-5, `${i}: ${v} vs ${expect[i]}`));
});

function randomWeights(F: number, H: number, D: number, seed: number): HeadWeights {
  const r = mulberry32(seed);
  const f = (n: number) => Float32Array.from({ length: n }, () => r() - 0.5);
  return { inputDim: F, hiddenDim: H, outputDim: D, w1: f(F * H), b1: f(H), w2: f(H * D), b2: f(D), alpha: 0.7, rawMask: Float32Array.from({ length: F }, (_, i) => (i % 3 === 0 ? 0 : 1)) };
}

test('head ONNX: L2-normalised, deterministic, equal to the JS forward (zero raw columns dropped)', async () => {
  const w = randomWeights(8, 6, 4, 3);
  const head = await OnnxHead.fromBytes(headToOnnx(w));
  assert.equal(head.inputDim, 8);
  // rawMask zeroes features 0, 3, 6: the output keeps the 5 other raw columns + 4 learned ones.
  const kept = [1, 2, 4, 5, 7, 8, 9, 10, 11];
  assert.equal(head.outputDim, kept.length);
  const r = mulberry32(9);
  const x = Float32Array.from({ length: 5 * 8 }, () => r() * 2 - 1);
  const a = await head.run(x, 5);
  const b = await head.run(x, 5);
  assert.deepEqual(a, b);
  const js = headForward(w, x, 5);
  for (let i = 0; i < 5; i++) {
    const row = a.subarray(i * kept.length, (i + 1) * kept.length);
    assert.ok(Math.abs(norm(row) - 1) < 1e-5);
    kept.forEach((col, j) => assert.ok(Math.abs(row[j] - js[i * 12 + col]) < 1e-4, `row ${i} col ${col}`));
    for (const dropped of [0, 3, 6]) assert.equal(Math.abs(js[i * 12 + dropped]), 0);
  }
  // Weights read back from the ONNX file re-export to the same model.
  const back = headWeightsFromOnnx(headToOnnx(w)).weights;
  assert.deepEqual(back.w1, w.w1);
  assert.deepEqual(back.rawMask, w.rawMask);
  assert.equal(back.alpha, Math.fround(w.alpha));
});

test('output projection: k principal directions of rows in a k-dimensional subspace keep all energy and every cosine; bad sizes are errors', () => {
  const d = 8, n = 60, k = 3;
  const r = mulberry32(11);
  const basis = Array.from({ length: k }, () => Float32Array.from({ length: d }, () => r() - 0.5));
  const rows = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = Array.from({ length: k }, () => r() * 2 - 1);
    for (let j = 0; j < d; j++) rows[i * d + j] = c.reduce((s, cc, a) => s + cc * basis[a][j], 0);
  }
  const { matrix, energy } = fitOutputProjection(rows, n, d, k);
  assert.ok(Math.abs(energy - 1) < 1e-6, `energy ${energy}`);
  const project = (i: number) => Float32Array.from({ length: k }, (_, a) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += rows[i * d + j] * matrix[j * k + a];
    return s;
  });
  const row = (i: number) => rows.subarray(i * d, (i + 1) * d);
  const cos = (a: Float32Array, b: Float32Array) => dot(a, b) / (norm(a) * norm(b));
  for (const [i, j] of [[0, 1], [2, 7], [5, 40]]) assert.ok(Math.abs(cos(project(i), project(j)) - cos(row(i), row(j))) < 1e-4);
  // One direction keeps less than everything, and the leading direction comes first.
  const one = fitOutputProjection(rows, n, d, 1);
  assert.ok(one.energy < 1 && one.energy > 1 / k, `energy of one direction ${one.energy}`);
  assert.deepEqual(one.matrix, Float32Array.from({ length: d }, (_, j) => matrix[j * k]));
  assert.deepEqual(fitOutputProjection(rows, n, d, k).matrix, matrix, 'deterministic (signs fixed)');
  assert.throws(() => fitOutputProjection(rows, n, d, d + 1), /dimension must be 1\.\.8/);
  assert.throws(() => fitOutputProjection(rows, 2, d, k), /2 rows cannot fit 3 directions/);
});

test('projected head ONNX: embedding = normalise(z · P), the unprojected z as the "full" output, projection read back', async () => {
  const w = randomWeights(8, 6, 4, 3);
  const zDim = headEmbeddingDim(w);
  const r = mulberry32(21);
  const features = Float32Array.from({ length: 30 * 8 }, () => r() * 2 - 1);
  const { bytes, energy } = await projectHead(headToOnnx(w), features, 30, 4);
  assert.ok(energy > 0 && energy < 1);
  const plain = await OnnxHead.fromBytes(headToOnnx(w));
  const projected = await OnnxHead.fromBytes(bytes);
  assert.equal(plain.fullDim, undefined);
  assert.equal(projected.outputDim, 4);
  assert.equal(projected.fullDim, zDim);
  const { weights } = headWeightsFromOnnx(bytes);
  assert.equal(weights.projection?.dim, 4);
  assert.equal(weights.projection?.matrix.length, zDim * 4);
  const x = features.subarray(0, 5 * 8);
  const z = await plain.run(x, 5);
  const { embedding, full } = await projected.runWithFull(x, 5);
  assert.deepEqual(await projected.run(x, 5), embedding);
  for (let i = 0; i < 5; i++) {
    const zi = z.subarray(i * zDim, (i + 1) * zDim);
    for (let j = 0; j < zDim; j++) assert.ok(Math.abs(full![i * zDim + j] - zi[j]) < 1e-5);
    const p = Float32Array.from({ length: 4 }, (_, a) => zi.reduce((s, v, j) => s + v * weights.projection!.matrix[j * 4 + a], 0));
    const pn = norm(p);
    for (let a = 0; a < 4; a++) assert.ok(Math.abs(embedding[i * 4 + a] - p[a] / pn) < 1e-4, `row ${i} dim ${a}`);
  }
  await assert.rejects(projectHead(bytes, features, 30, 4), /already has an output projection/);
  // A head re-exported with another raw part cannot keep a projection fitted on the old z.
  assert.throws(() => headToOnnx({ ...weights, rawMask: new Float32Array(8).fill(1) }), /head projection: expected 12×4 weights, got 36/);
  for (const h of [plain, projected]) await h.dispose();
});

test('features: tokeniser, OOV-safe, query = one-span sentence', () => {
  assert.deepEqual(tokenize("The Danube's banks, 2024!").map((t) => t.text), ["The", "Danube's", 'banks', '2024']);
  const wv = wordVectorsFromEntries([['the', [1, 0, 0]], ['river', [0, 1, 0]], ['danube', [0, 0.6, 0.8]], ['vienna', [1, 1, 0]]]);
  const fx = new FeatureExtractor(wv);
  const f = fx.extract({ sentence: 'the danube flows through vienna', start: 4, end: 10 });
  assert.equal(f.length, 12);
  assert.ok(f.every(Number.isFinite));
  const oov = fx.extract({ sentence: 'zzqx qqzz', start: 0, end: 4 });
  assert.ok(oov.every((v) => v === 0));
  assert.deepEqual(fx.extract(FeatureExtractor.queryInput('river')), fx.extract({ sentence: 'river', start: 0, end: 5 }));
});

test('features: a word without a vector is looked up again with its diacritics folded ("Kraków" → krakow), not the other way round', () => {
  for (const [word, folded] of [['Kraków', 'Krakow'], ['Łódź', 'Lodz'], ['Straße', 'Strasse'], ['Søren', 'Soren'], ['Ærø', 'AEro'], ['São', 'Sao'], ['plain', 'plain']]) {
    assert.equal(foldDiacritics(word), folded);
  }
  const wv = wordVectorsFromEntries([['krakow', [0, 1, 0]], ['lodz', [0, 0.6, 0.8]], ['café', [1, 0, 0]], ['cafe', [0, 0, 1]], ['in', [1, 1, 1]]]);
  const fx = new FeatureExtractor(wv);
  const at = (sentence: string, word: string) => fx.extract({ sentence, start: sentence.indexOf(word), end: sentence.indexOf(word) + word.length });
  assert.deepEqual(at('in Kraków', 'Kraków'), at('in Krakow', 'Krakow'));
  assert.deepEqual(at('in ŁÓDŹ', 'ŁÓDŹ'), at('in lodz', 'lodz'));
  // A word that has a vector of its own keeps it.
  assert.notDeepEqual(at('in café', 'café'), at('in cafe', 'cafe'));
  assert.deepEqual(fx.words('Kraków and zzqx'), { words: ['Kraków', 'and', 'zzqx'], unknown: ['and', 'zzqx'], ranks: [0, -1, -1] });
});

test('features: possessives and inner apostrophes, which the vectors\' vocabulary splits off or drops, fall back to the bare word', () => {
  assert.deepEqual(spellingsOf("merkel's"), ["merkel's", 'merkel']);
  assert.deepEqual(spellingsOf('merkel’s'), ['merkel’s', 'merkel']);
  assert.deepEqual(spellingsOf("o'brien"), ["o'brien", 'obrien', 'brien']);
  assert.deepEqual(spellingsOf("zürich's"), ["zürich's", 'zürich', "zurich's", 'zurich']);
  assert.deepEqual(spellingsOf('vienna'), ['vienna']);
  const wv = wordVectorsFromEntries([['merkel', [0, 1, 0]], ['mcdonald', [0, 0.6, 0.8]], ['in', [1, 1, 1]]]);
  const fx = new FeatureExtractor(wv);
  const at = (sentence: string, word: string) => fx.extract({ sentence, start: sentence.indexOf(word), end: sentence.indexOf(word) + word.length });
  assert.deepEqual(at("in McDonald's", "McDonald's"), at('in McDonald', 'McDonald'));
  assert.deepEqual(fx.words("Merkel's speech").unknown, ['speech']);
});

test('WordNet query expansion: trailing noun, alternatives, first and last lemmas of the index, unknown words', () => {
  const wn = WordnetExpander.load();
  const rivers = wn.expand('large river', 40);
  assert.equal(rivers.length, 40);
  for (const r of ['Danube', 'Amazon', 'Congo']) assert.ok(rivers.includes(r), `${r} in ${rivers.join(', ')}`);
  assert.ok(!rivers.some((r) => /^large/i.test(r)), 'the description itself is not an example');
  // (a place keeps the examples to it: "European river" in type-membership.test.ts)
  // Each alternative is expanded, up to `max` examples each.
  const both = wn.expand('river or mountain', 5);
  assert.equal(both.length, 10);
  assert.deepEqual(both.slice(0, 5), wn.expand('river', 5));
  // The binary search reaches both ends of index.noun (after its licence header) …
  assert.deepEqual(wn.senses("'hood"), ['08659519'], "'hood (first lemma)");
  assert.deepEqual(wn.senses('zyrian'), ['06969782'], 'zyrian (last lemma)');
  assert.deepEqual(wn.senses('river'), ['09434308'], 'river');
  for (const missing of ['', 'zzzz', 'aaaa_not_a_word', ' licence']) assert.equal(wn.senses(missing), undefined, missing);
  assert.deepEqual(wn.expand('zzzz', 10), []);
  // … and multi-word lemmas ("body part" is one noun).
  const parts = wn.expand('human body part', 40);
  assert.ok(parts.length > 10 && !parts.includes('human'), parts.join(', '));
  // Plurals as people type them expand like the singular (WordNet lists base forms only).
  for (const [plural, singular] of [['European rivers', 'European river'], ['pharmaceutical drugs', 'pharmaceutical drug'],
    ['companies', 'company'], ['churches', 'church'], ['policemen', 'policeman'], ['body parts', 'body part'], ['boxes', 'box']]) {
    assert.ok(wn.expand(singular, 10).length > 0, singular);
    assert.deepEqual(wn.expand(plural, 10), wn.expand(singular, 10), plural);
  }
  // Instances first: named examples from anywhere below the sense, then common hyponyms.
  const athletes = wn.expand('athlete', 10, { instancesFirst: true });
  assert.ok(athletes.includes('Owens') && athletes.every((a) => /^[A-Z]/.test(a)), athletes.join(', '));
  assert.ok(!wn.expand('athlete', 10).includes('Owens'), 'breadth-first reaches common hyponyms first');
  const procedures = wn.expand('medical procedure', 10, { instancesFirst: true });
  assert.deepEqual(new Set(procedures), new Set(wn.expand('medical procedure', 10)), 'no instances: the common hyponyms, the same ten');
  // A lemma that looks plural is taken as it is first ("glasses" are spectacles, not glass).
  assert.deepEqual(wn.nounSenses(['glasses']), wn.senses('glasses'));
  assert.notDeepEqual(wn.nounSenses(['glasses']), wn.senses('glass'));
});

const haveHead = existsSync(defaultHeadPath());
const haveShared = existsSync(join(sharedDir(), 'data', 'multiconer2-en', 'train.conll'));

test('shipped static encoder: query == one-span mention; "river" ranks danube first', { skip: haveHead ? false : 'models/static-head/head.onnx missing' }, async () => {
  const plain = await StaticEncoder.create({ queryExpansion: false, hubness: false });
  assert.match(plain.id, /^static-v3:[0-9a-f]{8}$/);
  const q0 = await plain.encodeQuery('river');
  const [m] = await plain.encodeMentions([{ sentence: 'river', start: 0, end: 5 }]);
  assert.equal(q0.length, plain.dimension);
  for (let i = 0; i < q0.length; i++) assert.ok(Math.abs(q0[i] - m[i]) < 1e-6);
  await plain.dispose();
  const unexpanded = await StaticEncoder.create({ queryExpansion: false });
  const enc = await StaticEncoder.create();
  assert.match(enc.id, /^static-v3:[0-9a-f]{8}:[0-9a-f]{8}$/);
  assert.equal(enc.id, unexpanded.id, 'query expansion does not change the index identity');
  assert.equal(enc.dimension, plain.dimension + 2);
  await unexpanded.dispose();
  const q = await enc.encodeQuery('river');
  assert.ok(norm(q) > 1.4, 'a hubness-corrected query carries the score scale √(2(1+w²)) in its norm');
  const s1 = 'the danube flows through vienna';
  const s2 = 'angela merkel met the board of siemens in munich';
  const [danube, merkel, siemens] = await enc.encodeMentions([
    { sentence: s1, start: 4, end: 10 }, { sentence: s2, start: 0, end: 13 }, { sentence: s2, start: 31, end: 38 },
  ]);
  assert.ok(dot(q, danube) > dot(q, merkel), `danube ${dot(q, danube)} vs merkel ${dot(q, merkel)}`);
  assert.ok(dot(q, danube) > dot(q, siemens), `danube ${dot(q, danube)} vs siemens ${dot(q, siemens)}`);
  const company = await enc.encodeQuery('company');
  assert.ok(dot(company, siemens) > dot(company, danube));
  await enc.dispose();
});

test('shipped static encoder on accented names: Polish cities first for "Polish city", the people first for "person"', { skip: haveHead ? false : 'models/static-head/head.onnx missing' }, async () => {
  const enc = await StaticEncoder.create();
  const sentences = [
    'We started in Warsaw and took the train to Kraków, where Agnieszka Wójcik showed us the old town.',
    'Then we went north to Gdańsk and spent two days in Łódź before flying home from Wrocław.',
    'My colleague Søren Kierkegaard-Müller joined us in Poznań; he works for Volkswagen in Zürich.',
    'In São Paulo last year, José Gonçalves took us to a café near the park.',
  ];
  const names = ['Warsaw', 'Kraków', 'Agnieszka Wójcik', 'Gdańsk', 'Łódź', 'Wrocław', 'Søren Kierkegaard-Müller', 'Poznań', 'Volkswagen', 'Zürich', 'São Paulo', 'José Gonçalves'];
  const inputs = names.map((name) => {
    const sentence = sentences.find((s) => s.includes(name))!;
    return { sentence, start: sentence.indexOf(name), end: sentence.indexOf(name) + name.length };
  });
  const vectors = await enc.encodeMentions(inputs);
  const ranked = async (query: string) => {
    const q = await enc.encodeQuery(query);
    return names.map((n, i) => ({ n, s: dot(q, vectors[i]) })).sort((a, b) => b.s - a.s).map((x) => x.n);
  };
  const polish = ['Warsaw', 'Kraków', 'Gdańsk', 'Łódź', 'Wrocław', 'Poznań'];
  const cities = await ranked('Polish city');
  assert.ok(cities.slice(0, 5).filter((n) => polish.includes(n)).length >= 4, cities.join(', '));
  const people = await ranked('person');
  assert.deepEqual(people.slice(0, 3).sort(), ['Agnieszka Wójcik', 'José Gonçalves', 'Søren Kierkegaard-Müller'], people.join(', '));
  await enc.dispose();
});

test('hubness correction: stored vectors are unit, query · mention = cosine − w·(r − center), and the settings are part of the encoder id', { skip: haveHead ? false : 'models/static-head/head.onnx missing' }, async () => {
  const shipped = loadHubnessSettings(defaultHubnessPath());
  const settings: HubnessSettings = { bank: shipped.bank.slice(0, 40), k: 5, weight: 0.7, center: 0.3 };
  const plain = await StaticEncoder.create({ queryExpansion: false, hubness: false });
  const corrected = await StaticEncoder.create({ queryExpansion: false, hubness: settings });
  const mentions = [
    { sentence: 'the danube flows through vienna', start: 4, end: 10 },
    { sentence: 'angela merkel met the board of siemens in munich', start: 0, end: 13 },
    { sentence: 'he bought a new bicycle', start: 16, end: 23 },
  ];
  // r is measured on the head's unprojected embedding (the shipped head has an output projection):
  // an encoder on the same weights without the projection gives it.
  const { weights, metadata } = headWeightsFromOnnx(new Uint8Array(readFileSync(defaultHeadPath())));
  assert.ok(weights.projection, 'the shipped head carries an output projection');
  const unprojectedPath = join(scratchDir('ner-hub-'), 'unprojected.onnx');
  writeFileSync(unprojectedPath, headToOnnx({ ...weights, projection: undefined }, metadata));
  const unprojected = await StaticEncoder.create({ headPath: unprojectedPath, queryExpansion: false, hubness: false });
  assert.equal(plain.dimension, weights.projection.dim);
  assert.equal(unprojected.dimension, headEmbeddingDim(weights));
  const bank = await Promise.all(settings.bank.map((b) => unprojected.encodeQuery(b)));
  const fullVectors = await unprojected.encodeMentions(mentions);
  const plainVectors = await plain.encodeMentions(mentions);
  const correctedVectors = await corrected.encodeMentions(mentions);
  for (const description of ['river', 'politician', 'vehicle']) {
    const q = await plain.encodeQuery(description);
    const qc = await corrected.encodeQuery(description);
    plainVectors.forEach((v, i) => {
      const top = bank.map((b) => dot(fullVectors[i], b)).sort((a, b) => b - a).slice(0, settings.k);
      const r = top.reduce((a, b) => a + b, 0) / settings.k;
      const expected = dot(q, v) - settings.weight * (r - settings.center);
      assert.ok(Math.abs(norm(correctedVectors[i]) - 1) < 1e-5, 'stored mention vectors stay unit (cosine index)');
      assert.ok(Math.abs(dot(qc, correctedVectors[i]) - expected) < 1e-4, `${description} × mention ${i}: ${dot(qc, correctedVectors[i])} vs ${expected}`);
    });
  }
  const other = await StaticEncoder.create({ queryExpansion: false, hubness: { ...settings, weight: 0.5 } });
  assert.notEqual(other.id, corrected.id, 'different settings give different stored vectors, so a different id');
  for (const e of [plain, corrected, other, unprojected]) await e.dispose();
});

test('hubness settings: a missing, malformed or inconsistent file is a clear error', () => {
  const dir = scratchDir('ner-hub-');
  const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  assert.throws(() => loadHubnessSettings(join(dir, 'absent.json')), /hubness settings not found at .*absent\.json/);
  assert.throws(() => loadHubnessSettings(file('bad.json', '{"bank": [')), /bad\.json are not valid JSON/);
  assert.throws(() => loadHubnessSettings(file('k.json', JSON.stringify({ bank: ['a', 'b'], k: 3, weight: 0.5, center: 0.4 }))), /"k" must be an integer from 1 to 2/);
  assert.throws(() => loadHubnessSettings(file('w.json', JSON.stringify({ bank: ['a'], k: 1, weight: -1, center: 0.4 }))), /"weight"/);
  assert.throws(() => loadHubnessSettings(file('b.json', JSON.stringify({ bank: [], k: 1, weight: 1, center: 0 }))), /"bank"/);
  assert.deepEqual(loadHubnessSettings(file('ok.json', JSON.stringify({ about: 'x', bank: ['a', 'b'], k: 2, weight: 0.5, center: 0.4 }))), { bank: ['a', 'b'], k: 2, weight: 0.5, center: 0.4 });
});

test('training is deterministic on a tiny subset', { skip: haveShared ? false : `shared data missing under ${sharedDir()} (set NER_SHARED_DIR)`, timeout: 60_000 }, async () => {
  const dir = scratchDir('ner-head-');
  const opts = { sharedDir: sharedDir(), epochs: 1, maxSentences: 150, maxWordnetPairs: 400, hiddenDim: 32, outputDim: 16, seed: 5 };
  const a = await trainHead({ ...opts, outPath: join(dir, 'a.onnx') });
  const b = await trainHead({ ...opts, outPath: join(dir, 'b.onnx') });
  assert.equal(weightsSha(a.weights), weightsSha(b.weights));
  assert.deepEqual(readFileSync(join(dir, 'a.onnx')), readFileSync(join(dir, 'b.onnx')));
  const c = await trainHead({ ...opts, seed: 6, outPath: join(dir, 'c.onnx') });
  assert.notEqual(weightsSha(a.weights), weightsSha(c.weights));
  // The exported head is projected onto 64 principal directions of its training mentions by default.
  assert.equal(a.projection.dim, 64);
  assert.ok(a.projection.energy > 0.5 && a.projection.energy < 1, `energy ${a.projection.energy}`);
  const head = await OnnxHead.load(join(dir, 'a.onnx'));
  assert.deepEqual([head.outputDim, head.fullDim], [64, 100 + 16]);
  await head.dispose();
  const unprojected = await trainHead({ ...opts, projectTo: 0, outPath: join(dir, 'd.onnx') });
  assert.equal(weightsSha(unprojected.weights), weightsSha(a.weights), 'the projection does not change training');
  const plainHead = await OnnxHead.load(join(dir, 'd.onnx'));
  assert.deepEqual([plainHead.outputDim, plainHead.fullDim], [116, undefined]);
  await plainHead.dispose();
});

test('raw-geometry anchor: zero when the learned cosines equal the raw ones; gradient matches finite differences', () => {
  const rnd = mulberry32(3);
  const unitRows = (n: number, d: number) => {
    const v = Float32Array.from({ length: n * d }, () => rnd() - 0.5);
    for (let i = 0; i < n; i++) { const s = Math.hypot(...v.subarray(i * d, (i + 1) * d)); for (let k = 0; k < d; k++) v[i * d + k] /= s; }
    return v;
  };
  const n = 5, D = 4, A = 6;
  const same = unitRows(n, D);
  assert.equal(anchorLoss(same, same, n, D, D, 2, new Float32Array(n * D)), 0);
  const yn = unitRows(n, D), a = unitRows(n, A);
  const g = new Float32Array(n * D);
  const loss = anchorLoss(yn, a, n, D, A, 2, g);
  assert.ok(loss > 0);
  const h = 1e-3;
  for (const idx of [0, 7, 13, 19]) {
    const plus = Float32Array.from(yn); plus[idx] += h;
    const minus = Float32Array.from(yn); minus[idx] -= h;
    const numeric = (anchorLoss(plus, a, n, D, A, 2, new Float32Array(n * D)) - anchorLoss(minus, a, n, D, A, 2, new Float32Array(n * D))) / (2 * h);
    assert.ok(Math.abs(numeric - g[idx]) < 1e-3, `d/dyn[${idx}]: numeric ${numeric} vs analytic ${g[idx]}`);
  }
});

test('reservedSentences: the last N, or a seeded random sample of N that every caller draws alike', () => {
  assert.deepEqual([...reservedSentences(10, 3)], [7, 8, 9]);
  assert.equal(reservedSentences(10, 30).size, 10);
  const a = reservedSentences(1000, 200, 1);
  assert.equal(a.size, 200);
  assert.ok([...a].every((i) => Number.isInteger(i) && i >= 0 && i < 1000));
  assert.deepEqual([...a], [...reservedSentences(1000, 200, 1)]);
  assert.notDeepEqual([...a].sort((x, y) => x - y), [...reservedSentences(1000, 200, 2)].sort((x, y) => x - y));
  // Spread over the file, not a block: both halves get a share.
  const low = [...a].filter((i) => i < 500).length;
  assert.ok(low > 60 && low < 140, String(low));
});

test('features: a sentence read once for its mentions gives each the vector it gets alone, in any order', () => {
  const words = ['the', 'danube', 'flows', 'through', 'vienna', 'and', 'budapest', 'river', 'city', 'rhine', 'basel', 'of'];
  const r = mulberry32(3);
  const vectors = wordVectorsFromEntries(words.map((w) => [w, Array.from({ length: 6 }, () => r() * 2 - 1)]));
  const a = 'The Danube flows through Vienna and Budapest';
  const b = 'The Rhine flows through Basel';
  const mentions = [
    { sentence: a, start: 4, end: 10 }, { sentence: a, start: 25, end: 31 }, { sentence: b, start: 4, end: 9 },
    { sentence: a, start: 36, end: 44 }, { sentence: b, start: 24, end: 29 }, { sentence: a, start: 0, end: a.length }, { sentence: a, start: 0, end: 0 },
  ];
  const together = new FeatureExtractor(vectors).extractBatch(mentions);
  const dim = new FeatureExtractor(vectors).dimension;
  mentions.forEach((m, i) => {
    const alone = new FeatureExtractor(vectors).extract(m);
    assert.deepEqual(Array.from(together.subarray(i * dim, (i + 1) * dim)), Array.from(alone), `mention ${i}`);
  });
  // The context block differs between two mentions of one sentence (it is per mention, not per sentence).
  const d = vectors.dimension;
  assert.notDeepEqual(Array.from(together.subarray(2 * d, 3 * d)), Array.from(together.subarray(dim + 2 * d, dim + 3 * d)));
});
