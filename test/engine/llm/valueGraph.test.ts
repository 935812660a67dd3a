// Numerical truth of the value-vector graph: a real trained checkpoint against its float64
// reference activations, random qwen2 (biases) and Llama 3.1 (llama3 rope scaling) checkpoints
// against an independent float64 forward pass, truncation, and padding invariance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { sharedDir } from '../../../server/src/engine/types.ts';
import { readOnnxMetadata } from '../../../server/src/engine/encode/onnxWriter.ts';
import { loadCheckpoint } from '../../../server/src/engine/llm/checkpoint.ts';
import { buildValueGraph } from '../../../server/src/engine/llm/valueGraph.ts';
import { writeRandomCheckpoint } from '../../../server/src/engine/llm/randomCheckpoint.ts';
import { ValueVectorRunner, batchByTokenCount } from '../../../server/src/engine/llm/valueRunner.ts';
import { referenceForward } from './referenceForward.ts';
import { scratchDir } from '../../helpers/scratchDir.ts';

const TOL = 1e-4;
const stories = join(sharedDir(), 'models', 'stories260K-hf');
const work = scratchDir('llm-graph-');
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const tinyQwen2 = {
  model_type: 'qwen2', architectures: ['Qwen2ForCausalLM'], hidden_size: 48, intermediate_size: 80, num_hidden_layers: 3,
  num_attention_heads: 6, num_key_value_heads: 2, vocab_size: 300, max_position_embeddings: 512, rms_norm_eps: 1e-6,
  rope_theta: 1000000.0, tie_word_embeddings: true, hidden_act: 'silu', bos_token_id: null, eos_token_id: 299, sliding_window: 4096,
};
// head_dim 16, theta 10000: wavelengths 6..~19000 straddle 32/4=8 and 32/1=32, so all three
// branches of the llama3 scaling (kept, smoothed, divided) are exercised by 40-token inputs.
const tinyLlama31 = {
  model_type: 'llama', architectures: ['LlamaForCausalLM'], hidden_size: 64, intermediate_size: 96, num_hidden_layers: 3,
  num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16, vocab_size: 256, max_position_embeddings: 1024,
  rms_norm_eps: 1e-5, rope_theta: 10000.0, tie_word_embeddings: false, hidden_act: 'silu', bos_token_id: 1, eos_token_id: 2,
  rope_scaling: { rope_type: 'llama3', factor: 8.0, low_freq_factor: 1.0, high_freq_factor: 4.0, original_max_position_embeddings: 32 },
};

function ids(n: number, vocab: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => (i * 37 + seed * 11 + ((i * i) % 7)) % vocab);
}

async function runDebugGraph(path: string, input: number[]): Promise<ort.InferenceSession.OnnxValueMapType> {
  const s = await ort.InferenceSession.create(path);
  try {
    const T = input.length;
    return await s.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from(input, BigInt), [1, T]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(T).fill(1n), [1, T]),
    });
  } finally { await s.release(); }
}

function maxAbsDiff(actual: ArrayLike<number>, expected: number[][]): number {
  const flat = expected.flat();
  assert.equal(actual.length, flat.length, 'shape mismatch');
  let m = 0;
  for (let i = 0; i < flat.length; i++) m = Math.max(m, Math.abs(actual[i] - flat[i]));
  return m;
}

function checkAllLayers(out: ort.InferenceSession.OnnxValueMapType, ref: { hiddenIn: number[][][]; vProj: number[][][] }, layers: number) {
  for (let l = 0; l <= layers; l++) {
    const dv = maxAbsDiff(out[`v_proj_${l}`].data as Float32Array, ref.vProj[l]);
    const dh = maxAbsDiff(out[`hidden_in_${l}`].data as Float32Array, ref.hiddenIn[l]);
    assert.ok(dv < TOL, `v_proj layer ${l}: max |diff| ${dv}`);
    assert.ok(dh < TOL, `hidden_in layer ${l}: max |diff| ${dh}`);
  }
}

test('stories260K: v_proj and hidden_in of every layer match the float64 reference activations', { skip: existsSync(stories) ? false : `shared checkpoint absent: ${stories}` }, async () => {
  const ref = JSON.parse(readFileSync(join(stories, 'reference-activations.json'), 'utf8'));
  const ck = loadCheckpoint(stories);
  const last = ck.config.numLayers - 1;
  const path = join(work, 'stories.onnx');
  buildValueGraph(ck, last, path, { debugOutputs: true });
  const out = await runDebugGraph(path, ref.input_ids);
  const toLayers = (o: Record<string, number[][]>) => Array.from({ length: last + 1 }, (_, l) => o[String(l)]);
  checkAllLayers(out, { vProj: toLayers(ref.v_proj), hiddenIn: toLayers(ref.hidden_in) }, last);
  assert.equal(maxAbsDiff(out.values.data as Float32Array, ref.v_proj[String(last)]) < TOL, true);
});

const qwenDir = join(work, 'qwen2');
writeRandomCheckpoint({ dir: qwenDir, config: tinyQwen2, seed: 7, dtype: 'BF16' });
const llamaDir = join(work, 'llama31');
// Sharded (small shards) to exercise the index reader.
writeRandomCheckpoint({ dir: llamaDir, config: tinyLlama31, seed: 3, dtype: 'F32', maxShardBytes: 64 * 1024 });

test('random qwen2 with q/k/v biases (bf16 weights) matches the independent float64 forward pass', async () => {
  const ck = loadCheckpoint(qwenDir);
  assert.equal(ck.config.attentionBias, true);
  const path = join(work, 'qwen2.onnx');
  buildValueGraph(ck, 2, path, { debugOutputs: true });
  assert.equal(readOnnxMetadata(readFileSync(path)).embedding_dtype, 'BF16', 'bf16 embeddings stay bf16 (gathered, then cast)');
  const input = ids(23, 300, 1);
  checkAllLayers(await runDebugGraph(path, input), referenceForward(qwenDir, input, 2), 2);
});

test('random Llama 3.1 with llama3 rope scaling (sharded) matches the independent float64 forward pass', async () => {
  const ck = loadCheckpoint(llamaDir);
  assert.ok(ck.tensors.files.length > 1, 'expected a sharded checkpoint');
  const path = join(work, 'llama31.onnx');
  buildValueGraph(ck, 2, path, { debugOutputs: true });
  const input = ids(40, 256, 2);
  const ref = referenceForward(llamaDir, input, 2);
  checkAllLayers(await runDebugGraph(path, input), ref, 2);
  // The test can tell scaled from unscaled RoPE: without scaling, layer 2's values move well beyond TOL.
  const unscaled = referenceForward(llamaDir, input, 2, { ignoreRopeScaling: true });
  let m = 0;
  ref.vProj[2].flat().forEach((v, i) => { m = Math.max(m, Math.abs(v - unscaled.vProj[2].flat()[i])); });
  assert.ok(m > 100 * TOL, `rope scaling made no difference (${m})`);
});

test('a graph cut at layer L gives the values of layer L in the full computation', async () => {
  const ck = loadCheckpoint(llamaDir);
  const full = join(work, 'llama31-full.onnx');
  buildValueGraph(ck, 2, full, { debugOutputs: true });
  const input = ids(19, 256, 5);
  const fullOut = await runDebugGraph(full, input);
  for (const layer of [0, 1]) {
    const cut = join(work, `llama31-L${layer}.onnx`);
    buildValueGraph(ck, layer, cut);
    const runner = await ValueVectorRunner.create(cut, { device: 'cpu' });
    const [values] = await runner.run([input]);
    await runner.dispose();
    const expected = fullOut[`v_proj_${layer}`].data as Float32Array;
    assert.equal(values.length, expected.length);
    let m = 0;
    values.forEach((v, i) => { m = Math.max(m, Math.abs(v - expected[i])); });
    assert.ok(m < 1e-5, `layer ${layer}: max |diff| ${m}`);
  }
});

test('batched with right padding equals unbatched, padding stripped', async () => {
  const path = join(work, 'qwen2-L2.onnx');
  buildValueGraph(loadCheckpoint(qwenDir), 2, path);
  const runner = await ValueVectorRunner.create(path, { device: 'cpu', threads: 1, spinWait: false });
  assert.equal(runner.kvDim, 16); // 2 kv heads × head_dim 8
  const seqs = [ids(5, 300, 1), ids(17, 300, 2), ids(11, 300, 3), []];
  const batched = await runner.run(seqs);
  for (let i = 0; i < seqs.length; i++) {
    const [alone] = await runner.run([seqs[i]]);
    assert.equal(batched[i].length, seqs[i].length * runner.kvDim);
    let m = 0;
    alone.forEach((v, j) => { m = Math.max(m, Math.abs(v - batched[i][j])); });
    assert.ok(m < 1e-5, `sequence ${i}: max |diff| ${m}`);
  }
  // and the runner's output is the reference's layer-2 v_proj
  const ref = referenceForward(qwenDir, seqs[1], 2);
  assert.ok(maxAbsDiff(batched[1], ref.vProj[2]) < TOL);
  await runner.dispose();
});

test('batchByTokenCount keeps padded batches within the budget and covers every index once', () => {
  const lengths = [5, 30, 12, 12, 3, 100, 7, 0];
  const batches = batchByTokenCount(lengths, 40);
  assert.deepEqual(batches.flat().sort((a, b) => a - b), lengths.map((_, i) => i));
  for (const b of batches) {
    const longest = Math.max(1, ...b.map((i) => lengths[i]));
    assert.ok(b.length === 1 || longest * b.length <= 40, `batch ${b} over budget`);
  }
  assert.deepEqual(batches[0], [5], 'a sequence over the budget runs alone');
});

test('unavailable execution provider falls back to CPU with one warning naming the fix', async () => {
  const path = join(work, 'qwen2-L0.onnx');
  buildValueGraph(loadCheckpoint(qwenDir), 0, path);
  const warnings: string[] = [];
  const logger = { error() {}, info() {}, debug() {}, warn: (m: string) => warnings.push(m) };
  const runners = [await ValueVectorRunner.create(path, { device: 'dml', logger }), await ValueVectorRunner.create(path, { device: 'dml', logger })];
  for (const r of runners) { assert.equal(r.device, 'cpu'); await r.dispose(); }
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /dml.*not available.*CPU/i);
  // CUDA binaries are not installed here (.npmrc skips them): the warning says how to get them.
  const cuda = await ValueVectorRunner.create(path, { device: 'cuda', logger });
  assert.equal(cuda.device, 'cpu');
  await cuda.dispose();
  assert.match(warnings[1], /cuda.*ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node/);
  // 'auto' quietly takes the CPU when no accelerator is installed
  const auto = await ValueVectorRunner.create(path, { device: 'auto', logger });
  assert.equal(auto.device, 'cpu');
  await auto.dispose();
  assert.equal(warnings.length, 2);
});
