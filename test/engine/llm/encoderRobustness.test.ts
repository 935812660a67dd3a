// The LLM encoder on hostile files, end to end on small random checkpoints (no shared data needed):
// NaN weights or a NaN head fail with a clear error instead of storing NaN vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LlmEncoder } from '../../../server/src/engine/llm/llmEncoder.ts';
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
