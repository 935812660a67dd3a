// The LLM encoder on hostile files, end to end on small random checkpoints (no shared data needed):
// NaN weights or a NaN head fail with a clear error instead of storing NaN vectors; a damaged
// cached value graph is rebuilt instead of failing (or giving NaN) on every run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { ensureValueGraph } from '../../../server/src/engine/llm/graphCache.ts';
import { LlmEncoder } from '../../../server/src/engine/llm/llmEncoder.ts';
import type { Logger } from '../../../server/src/engine/types.ts';
import { PaperHead, type ProjectionHead } from '../../../server/src/engine/llm/heads.ts';
import { prepareWhitening, saveStoreWhitening, whiteningPath } from '../../../server/src/engine/llm/whitening.ts';
import { writeRandomCheckpoint } from '../../../server/src/engine/llm/randomCheckpoint.ts';
import { openSafetensors, writeSafetensors } from '../../../server/src/engine/llm/safetensors.ts';
import { scratchDir } from '../../helpers/scratchDir.ts';

const FIXTURE_TOKENIZER = join(import.meta.dirname, '..', '..', 'fixtures', 'tokenizers', 'sentencepiece');
const work = scratchDir('llm-robust-');
const cacheDir = join(work, 'cache');
// 512 ids: the sentencepiece fixture tokenizer's vocabulary.
const config = {
  model_type: 'llama', hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 2,
  num_key_value_heads: 1, vocab_size: 512, max_position_embeddings: 64, rms_norm_eps: 1e-5, bos_token_id: 1, hidden_act: 'silu',
};
const SENTENCE = 'Lily went to the park.';
const lily = { sentence: SENTENCE, start: 0, end: 4 };

function checkpoint(name: string): string {
  const dir = join(work, name);
  writeRandomCheckpoint({ dir, config, seed: 1 });
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(FIXTURE_TOKENIZER, f), join(dir, f));
  return dir;
}

/** Overwrites every value of one F32 tensor in place. */
function fillTensor(dir: string, tensor: string, value: number): void {
  const file = join(dir, 'model.safetensors');
  const info = openSafetensors(dir).info(tensor);
  const bytes = readFileSync(file);
  for (let at = info.offset; at < info.offset + info.byteLength; at += 4) bytes.writeFloatLE(value, at);
  writeFileSync(file, bytes);
}

function writeHead(file: string, inputDim: number, value: (name: string) => number): void {
  const specs = [{ name: 'net.0.weight', shape: [4, inputDim] }, { name: 'net.0.bias', shape: [4] }, { name: 'net.3.weight', shape: [3, 4] }, { name: 'net.3.bias', shape: [3] }];
  writeSafetensors(file, specs, 'F32', (name) => new Float32Array(specs.find((s) => s.name === name)!.shape.reduce((a, b) => a * b, 1)).fill(value(name)));
}

test('NaN weights in the checkpoint: encoding fails naming the folder, nothing is returned', async () => {
  const dir = checkpoint('nan-weights');
  fillTensor(dir, 'model.layers.0.input_layernorm.weight', NaN);
  const enc = await LlmEncoder.create({ model: dir, layer: 1, head: 'raw', cacheDir, device: 'cpu' });
  try {
    const message = new RegExp(`the model in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} gave a non-finite value vector .* layer 1 for the sentence "Lily went to the park\\."`);
    await assert.rejects(enc.encodeMentions([lily]), message);
    await assert.rejects(enc.encodeRaw([lily]), message);
    await assert.rejects(enc.encodeQuery('a girl'), /non-finite value vector/);
  } finally { await enc.dispose(); }
});

test('a head file holding NaN is refused when loaded; a head that overflows to NaN fails when projecting', async () => {
  const dir = checkpoint('nan-head');
  const head = join(work, 'nan-head.safetensors');
  writeHead(head, 8, (name) => (name === 'net.3.weight' ? NaN : 0.1));
  assert.throws(() => PaperHead.load(head, 8), /nan-head\.safetensors: tensor net\.3\.weight holds a non-finite value \(NaN at index 0\): the head file is corrupt/);
  await assert.rejects(LlmEncoder.create({ model: dir, layer: 1, head, cacheDir, device: 'cpu' }), /net\.3\.weight holds a non-finite value/);

  const enc = await LlmEncoder.create({ model: dir, layer: 1, head: 'raw', cacheDir, device: 'cpu' });
  try {
    assert.equal((await enc.encodeMentions([lily]))[0].length, 8, 'finite weights: fine');
    const overflowing: ProjectionHead = { id: 'overflow', inputDim: 8, outputDim: 2, project: () => new Float32Array([Infinity, NaN]) };
    await assert.rejects(enc.withHead(overflowing).encodeMentions([lily]), /the projection head overflow gave a non-finite vector/);
    await assert.rejects(enc.withHead(overflowing).explain(lily), /the projection head overflow gave a non-finite vector/);
  } finally { await enc.dispose(); }
});

test('a corrupt llm-whitening.json stops indexing with the fix; a forced refit (index --rebuild) replaces it', async () => {
  const enc = await LlmEncoder.create({ model: checkpoint('whitening'), layer: 1, head: 'whitening', cacheDir, device: 'cpu' });
  try {
    const storeDir = join(work, 'store');
    mkdirSync(storeDir);
    const words = SENTENCE.replace('.', '').split(' ');
    const sample = words.map((w) => ({ sentence: SENTENCE, start: SENTENCE.indexOf(w), end: SENTENCE.indexOf(w) + w.length }));
    const corpus = { mentionCount: sample.length, sample };
    const first = await prepareWhitening(enc, storeDir, corpus, { dimension: 3 });
    saveStoreWhitening(storeDir, first.fit!);
    const file = whiteningPath(storeDir);
    const fit = JSON.parse(readFileSync(file, 'utf8'));
    fit.projection[0] += 1;
    writeFileSync(file, JSON.stringify(fit));
    await assert.rejects(prepareWhitening(enc, storeDir, corpus, { dimension: 3 }), /llm-whitening\.json: corrupt .*delete it \(or run index --rebuild\) to refit/);
    const forced = await prepareWhitening(enc, storeDir, corpus, { dimension: 3, force: true });
    assert.deepEqual([forced.refitted, forced.fit!.hash], [true, first.fit!.hash]);
  } finally { await enc.dispose(); }
});

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, error() {}, warn: (m) => { warnings.push(m); }, info() {}, debug() {} };
}

test('a damaged cached value graph (truncated, bytes changed, no record) is rebuilt, naming the folder', async () => {
  const dir = checkpoint('graph-damage');
  const graphs = join(work, 'graphs-damage');
  const first = await ensureValueGraph({ checkpointDir: dir, layer: 1, cacheDir: graphs });
  const data = `${first.path}.data`;
  const original = readFileSync(data);
  const damages: Array<[string, () => void, RegExp]> = [
    ['truncated .data', () => truncateSync(data, original.length - 100), /values\.onnx\.data is \d+ bytes, \d+ when written/],
    ['truncated .onnx', () => truncateSync(first.path, statSync(first.path).size - 10), /values\.onnx is \d+ bytes/],
    ['NaN written into .data', () => { const b = Buffer.from(original); b.writeFloatLE(NaN, 64); writeFileSync(data, b); }, /values\.onnx\.data has changed since it was written/],
    ['a source.json of an older version', () => writeFileSync(join(dirname(first.path), 'source.json'), JSON.stringify({ checkpointDir: dir, revision: first.revision, layer: 1 })), /no record of the files/],
  ];
  for (const [what, damage, reason] of damages) {
    damage();
    const logger = recordingLogger();
    const again = await ensureValueGraph({ checkpointDir: dir, layer: 1, cacheDir: graphs, logger });
    assert.equal(again.built, true, `${what}: rebuilt`);
    assert.equal(again.path, first.path);
    assert.equal(logger.warnings.length, 1, what);
    assert.ok(logger.warnings[0].includes(dirname(first.path)), `${what}: names the folder`);
    assert.match(logger.warnings[0], reason, what);
    assert.deepEqual(readFileSync(data), original, `${what}: the same graph again`);
    assert.equal((await ensureValueGraph({ checkpointDir: dir, layer: 1, cacheDir: graphs })).built, false, `${what}: then reused`);
  }
});

test('a cached value graph that fails to load is rebuilt once, then used', async () => {
  const dir = checkpoint('graph-unloadable');
  const enc0 = await LlmEncoder.create({ model: dir, layer: 1, head: 'raw', cacheDir, device: 'cpu' });
  const [expected] = await enc0.encodeRaw([lily]);
  await enc0.dispose();
  const graph = await ensureValueGraph({ checkpointDir: dir, layer: 1, cacheDir: join(cacheDir, 'llm-graphs') });
  // Damage its record cannot see (as between the samples of a large file): record the broken bytes as the good ones.
  const source = join(dirname(graph.path), 'source.json');
  const record = JSON.parse(readFileSync(source, 'utf8'));
  const broken = readFileSync(graph.path).subarray(0, 40);
  writeFileSync(graph.path, broken);
  record.files['values.onnx'] = { size: broken.length, sha256: createHash('sha256').update(broken).digest('hex') };
  writeFileSync(source, JSON.stringify(record));
  const logger = recordingLogger();
  const enc = await LlmEncoder.create({ model: dir, layer: 1, head: 'raw', cacheDir, device: 'cpu', logger });
  try {
    assert.equal(logger.warnings.length, 1);
    assert.match(logger.warnings[0], new RegExp(`the cached value graph in ${dirname(graph.path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} could not be loaded \\(.*\\): rebuilding it`));
    assert.deepEqual([...(await enc.encodeRaw([lily]))[0]], [...expected]);
  } finally { await enc.dispose(); }
});
