// Bad inputs give clear errors: missing/corrupt/truncated weights, unsupported architectures,
// layers out of range, models too big for memory (refused before loading); and the graph cache
// rebuilds exactly when the layer or the checkpoint changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFitsInMemory, estimateLoadBytes, loadCheckpoint, parseLlmConfig } from '../../../server/src/engine/llm/checkpoint.ts';
import { checkpointRevision, ensureValueGraph } from '../../../server/src/engine/llm/graphCache.ts';
import { snapshotStatus } from '../../../server/src/engine/llm/hubCache.ts';
import { writeRandomCheckpoint } from '../../../server/src/engine/llm/randomCheckpoint.ts';
import { openSafetensors, writeSafetensors } from '../../../server/src/engine/llm/safetensors.ts';
import { ropeInverseFrequencies } from '../../../server/src/engine/llm/valueGraph.ts';
import { scratchDir } from '../../helpers/scratchDir.ts';

const work = scratchDir('llm-errors-');
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const tiny = {
  model_type: 'llama', hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 2,
  num_key_value_heads: 1, vocab_size: 32, max_position_embeddings: 64, rms_norm_eps: 1e-5, rope_theta: 10000,
  tie_word_embeddings: true, hidden_act: 'silu',
};
const good = join(work, 'good');
writeRandomCheckpoint({ dir: good, config: tiny, seed: 1 });

function variant(name: string, mutate: (dir: string) => void): string {
  const dir = join(work, name);
  cpSync(good, dir, { recursive: true });
  mutate(dir);
  return dir;
}

// Real shapes of Llama-3.2-1B (for the memory estimate only; nothing is written).
const llama32_1b = parseLlmConfig({
  model_type: 'llama', hidden_size: 2048, intermediate_size: 8192, num_hidden_layers: 16, num_attention_heads: 32,
  num_key_value_heads: 8, head_dim: 64, vocab_size: 128256, rms_norm_eps: 1e-5, rope_theta: 500000, tie_word_embeddings: true,
  max_position_embeddings: 131072,
  rope_scaling: { rope_type: 'llama3', factor: 32, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 },
});

test('missing weights: a folder with config.json only', () => {
  const dir = variant('missing', (d) => rmSync(join(d, 'model.safetensors')));
  assert.throws(() => loadCheckpoint(dir), /no model\.safetensors or model\.safetensors\.index\.json/);
  assert.throws(() => loadCheckpoint(join(work, 'nowhere')), /config\.json not found/);
});

test('corrupt safetensors: header length beyond the file, and invalid JSON header', () => {
  const big = variant('corrupt-len', (d) => {
    const f = join(d, 'model.safetensors');
    const b = readFileSync(f);
    b.writeBigUInt64LE(10n ** 12n, 0);
    writeFileSync(f, b);
  });
  assert.throws(() => loadCheckpoint(big), /header length 1000000000000 exceeds file size/);
  const json = variant('corrupt-json', (d) => {
    const f = join(d, 'model.safetensors');
    const b = readFileSync(f);
    b[8] = '!'.charCodeAt(0);
    writeFileSync(f, b);
  });
  assert.throws(() => loadCheckpoint(json), /corrupt safetensors header \(invalid JSON/);
});

test('truncated safetensors: a tensor byte range beyond the end of the file', () => {
  const dir = variant('truncated', (d) => {
    const f = join(d, 'model.safetensors');
    truncateSync(f, readFileSync(f).length - 100);
  });
  assert.throws(() => loadCheckpoint(dir), /truncated safetensors file \(tensor .* beyond file size/);
});

test('unsupported tensor dtype is named when the tensor is read', () => {
  const dir = variant('dtype', (d) => {
    const f = join(d, 'model.safetensors');
    const b = readFileSync(f);
    const n = Number(b.readBigUInt64LE(0));
    const header = b.subarray(8, 8 + n).toString('utf8').replace('"dtype":"F32"', '"dtype":"I32"'); // same length: the header length stays right
    writeFileSync(f, Buffer.concat([b.subarray(0, 8), Buffer.from(header), b.subarray(8 + n)]));
  });
  const src = openSafetensors(dir);
  const bad = src.names().find((n) => src.info(n).dtype !== 'F32')!;
  assert.throws(() => src.read(bad), /unsupported dtype I32 \(supported: F32, F16, BF16\)/);
});

/** A safetensors file whose header is exactly `header` (no tensor data). */
function rawSafetensors(file: string, header: string): void {
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(header)));
  writeFileSync(file, Buffer.concat([len, Buffer.from(header)]));
}

test('hostile safetensors headers are refused naming the file', () => {
  const dir = join(work, 'hostile-headers');
  mkdirSync(dir);
  const file = join(dir, 'model.safetensors');
  const cases: Array<[string, RegExp]> = [
    ['null', /model\.safetensors: corrupt safetensors header \(not a JSON object\)/],
    ['[1,2]', /model\.safetensors: corrupt safetensors header \(not a JSON object\)/],
    ['{"w":{"dtype":"F32","shape":[2],"data_offsets":["0","8"]}}', /model\.safetensors: corrupt safetensors header entry for w \(data_offsets 0\.\.8\)/],
    ['{"w":{"dtype":"F32","shape":[2],"data_offsets":[0.5,8]}}', /corrupt safetensors header entry for w \(data_offsets 0\.5\.\.8\)/],
    ['{"w":{"dtype":"F32","shape":["2"],"data_offsets":[0,0]}}', /corrupt safetensors header entry for w \(shape \["2"\]\)/],
    ['{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,0]}}', /corrupt safetensors header entry for w \(shape \[-2\]\)/],
  ];
  for (const [header, message] of cases) {
    rawSafetensors(file, header);
    assert.throws(() => openSafetensors(dir), message, header);
  }
});

test('a weight_map that is not a map of tensor names to shard files is refused naming the index', () => {
  const dir = join(work, 'bad-weight-map');
  writeRandomCheckpoint({ dir, config: tiny, seed: 1, maxShardBytes: 2048 });
  const indexFile = join(dir, 'model.safetensors.index.json');
  const index = JSON.parse(readFileSync(indexFile, 'utf8'));
  const cases: Array<[unknown, RegExp]> = [
    [{ ...index.weight_map, 'model.embed_tokens.weight': 5 }, /model\.safetensors\.index\.json: weight_map entry for model\.embed_tokens\.weight is 5, not a shard file name/],
    [{ ...index.weight_map, 'model.norm.weight': null }, /weight_map entry for model\.norm\.weight is null, not a shard file name/],
    [Object.values(index.weight_map), /model\.safetensors\.index\.json: no weight_map object/],
  ];
  for (const [weightMap, message] of cases) {
    writeFileSync(indexFile, JSON.stringify({ ...index, weight_map: weightMap }));
    assert.throws(() => openSafetensors(dir), message);
  }
  writeFileSync(indexFile, 'null');
  assert.throws(() => openSafetensors(dir), /model\.safetensors\.index\.json: no weight_map object/);
});

test('a weight_map entry outside the model folder (../x, an absolute path) is refused naming the entry, not read', () => {
  const dir = join(work, 'escaping-weight-map', 'model');
  writeRandomCheckpoint({ dir, config: tiny, seed: 1, maxShardBytes: 2048 });
  const indexFile = join(dir, 'model.safetensors.index.json');
  const index = JSON.parse(readFileSync(indexFile, 'utf8'));
  const [first] = Object.values(index.weight_map) as string[];
  copyFileSync(join(dir, first), join(dir, '..', 'outside.safetensors')); // a valid file there: following it would succeed
  for (const shard of ['../outside.safetensors', join(dir, '..', 'outside.safetensors'), 'sub/../../outside.safetensors']) {
    writeFileSync(indexFile, JSON.stringify({ ...index, weight_map: { ...index.weight_map, 'model.norm.weight': shard } }));
    assert.throws(() => openSafetensors(dir), new RegExp(`model\\.safetensors\\.index\\.json: weight_map entry for model\\.norm\\.weight is "${shard.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}", outside the model folder`));
    assert.throws(() => loadCheckpoint(dir), /outside the model folder/);
    assert.ok(snapshotStatus(dir).missing.includes(shard), '`model list` does not count it as present either');
  }
  writeFileSync(indexFile, JSON.stringify({ ...index, weight_map: { ...index.weight_map, 'model.norm.weight': 'sub/../' + first } }));
  assert.doesNotThrow(() => openSafetensors(dir), 'a path that stays inside is fine');
});

test('a tensor stored in two shards is read from the shard the weight_map names', () => {
  const dir = join(work, 'duplicate-tensor');
  mkdirSync(dir);
  writeSafetensors(join(dir, 'a.safetensors'), [{ name: 'x', shape: [2] }], 'F32', () => new Float32Array([1, 1]));
  writeSafetensors(join(dir, 'b.safetensors'), [{ name: 'x', shape: [2] }, { name: 'y', shape: [1] }], 'F32', (n) => new Float32Array(n === 'x' ? [2, 2] : [3]));
  const indexFile = join(dir, 'model.safetensors.index.json');
  writeFileSync(indexFile, JSON.stringify({ weight_map: { x: 'a.safetensors', y: 'b.safetensors' } }));
  assert.deepEqual([...openSafetensors(dir).read('x')], [1, 1], 'a.safetensors, read first');
  writeFileSync(indexFile, JSON.stringify({ weight_map: { y: 'a.safetensors', x: 'b.safetensors' } }));
  assert.deepEqual([...openSafetensors(dir).read('x')], [2, 2], 'b.safetensors, read last');
});

test('sharded checkpoint with a shard missing', () => {
  const dir = join(work, 'sharded');
  writeRandomCheckpoint({ dir, config: tiny, seed: 1, maxShardBytes: 2048 });
  const shards = readdirSync(dir).filter((f) => f.endsWith('.safetensors'));
  assert.ok(shards.length > 1);
  assert.equal(openSafetensors(dir).read('model.embed_tokens.weight').length, 32 * 16);
  rmSync(join(dir, shards[1]));
  assert.throws(() => loadCheckpoint(dir), new RegExp(`shard missing: ${shards[1]}`));
});

test('config with an unsupported architecture names the supported ones', () => {
  assert.throws(() => parseLlmConfig({ ...tiny, model_type: 'gpt2' }), /model_type "gpt2" is not supported \(supported: llama, mistral, qwen2\)/);
  const dir = variant('gpt2', (d) => writeFileSync(join(d, 'config.json'), JSON.stringify({ ...tiny, model_type: 'gpt2' })));
  assert.throws(() => loadCheckpoint(dir), /not supported/);
  assert.throws(() => parseLlmConfig({ ...tiny, rope_scaling: { type: 'yarn', factor: 4 } }), /rope_scaling type "yarn" is not supported/);
});

test('mistral and qwen2 configs normalise with Llama semantics', () => {
  const m = parseLlmConfig({ ...tiny, model_type: 'mistral', head_dim: null, sliding_window: 4096 });
  assert.deepEqual([m.architecture, m.headDim, m.slidingWindow, m.attentionBias], ['mistral', 8, 4096, false]);
  const q = parseLlmConfig({ ...tiny, model_type: 'qwen2', num_key_value_heads: 2 });
  assert.deepEqual([q.architecture, q.attentionBias, q.numKvHeads, q.tieWordEmbeddings], ['qwen2', true, 2, true]);
  assert.throws(() => parseLlmConfig({ ...tiny, num_key_value_heads: 3 }), /not a multiple/);
  assert.throws(() => parseLlmConfig({ ...tiny, mlp_bias: true }), /mlp_bias is not supported/);
  // linear rope scaling divides every inverse frequency by the factor
  const plain = ropeInverseFrequencies(parseLlmConfig(tiny));
  const linear = ropeInverseFrequencies(parseLlmConfig({ ...tiny, rope_scaling: { type: 'linear', factor: 4 } }));
  plain.forEach((f, i) => assert.ok(Math.abs(linear[i] - f / 4) < 1e-15));
});

test('config sizes must be positive integers, rms_norm_eps and rope_theta positive', () => {
  for (const [key, value] of [['hidden_size', -64], ['intermediate_size', 0], ['num_hidden_layers', 1.5], ['vocab_size', 0],
    ['num_attention_heads', -2], ['num_key_value_heads', 0], ['max_position_embeddings', -1]] as const) {
    assert.throws(() => parseLlmConfig({ ...tiny, [key]: value }), new RegExp(`"${key}" must be a positive integer, got ${value}`));
  }
  assert.throws(() => parseLlmConfig({ ...tiny, head_dim: -8 }), /head_dim -8 must be an even integer/);
  assert.throws(() => parseLlmConfig({ ...tiny, rms_norm_eps: -1 }), /"rms_norm_eps" must be positive, got -1/);
  assert.throws(() => parseLlmConfig({ ...tiny, rms_norm_eps: 0 }), /"rms_norm_eps" must be positive/);
  assert.throws(() => parseLlmConfig({ ...tiny, rope_theta: 0 }), /"rope_theta" must be positive/);
  // through a checkpoint folder: the file is named
  const dir = variant('negative-hidden', (d) => writeFileSync(join(d, 'config.json'), JSON.stringify({ ...tiny, hidden_size: -64 })));
  assert.throws(() => loadCheckpoint(dir), /config\.json: "hidden_size" must be a positive integer, got -64/);
});

test('bos_token_id outside the vocabulary and inconsistent rope_scaling factors are refused naming the field', () => {
  for (const id of [32, 1000, -1, 1.5]) {
    assert.throws(() => parseLlmConfig({ ...tiny, bos_token_id: id }), new RegExp(`"bos_token_id" ${id} is not a token id of the model \\(0\\.\\.31, vocab_size 32\\)`));
  }
  assert.equal(parseLlmConfig({ ...tiny, bos_token_id: 31 }).bosTokenId, 31);
  assert.equal(parseLlmConfig({ ...tiny, bos_token_id: null }).bosTokenId, null);
  const llama3 = { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 32 };
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ type: 'linear', factor: 0 }, /rope_scaling: "factor" must be positive, got 0/],
    [{ type: 'linear', factor: -2 }, /rope_scaling: "factor" must be positive, got -2/],
    [{ ...llama3, factor: 0 }, /rope_scaling: "factor" must be positive, got 0/],
    [{ ...llama3, factor: Number.NaN }, /rope_scaling: missing or invalid "factor"/],
    [{ ...llama3, low_freq_factor: 0 }, /rope_scaling: "low_freq_factor" must be positive, got 0/],
    [{ ...llama3, high_freq_factor: 1 }, /rope_scaling: "high_freq_factor" \(1\) must be greater than "low_freq_factor" \(1\)/],
    [{ ...llama3, low_freq_factor: 4, high_freq_factor: 1 }, /"high_freq_factor" \(1\) must be greater than "low_freq_factor" \(4\)/],
    [{ ...llama3, original_max_position_embeddings: 0 }, /rope_scaling: "original_max_position_embeddings" must be a positive integer, got 0/],
    [{ ...llama3, original_max_position_embeddings: -8192 }, /"original_max_position_embeddings" must be a positive integer, got -8192/],
  ];
  for (const [rope_scaling, message] of cases) assert.throws(() => parseLlmConfig({ ...tiny, rope_scaling }), message, JSON.stringify(rope_scaling));
  assert.ok(ropeInverseFrequencies(parseLlmConfig({ ...tiny, rope_scaling: llama3 })).every(Number.isFinite));
  // through a checkpoint folder: the file is named
  const dir = variant('bos-past-vocab', (d) => writeFileSync(join(d, 'config.json'), JSON.stringify({ ...tiny, bos_token_id: 32 })));
  assert.throws(() => loadCheckpoint(dir), /config\.json: "bos_token_id" 32 is not a token id/);
});

test('a config.json that does not match the weights is refused, naming the tensor, both shapes and the config keys', async () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ num_key_value_heads: 2 }, /tensor model\.layers\.0\.self_attn\.k_proj\.weight has shape \[8,16\], but .*config\.json implies \[16,16\] \(num_key_value_heads × head_dim, hidden_size\)/],
    [{ head_dim: 16 }, /tensor model\.layers\.0\.self_attn\.q_proj\.weight has shape \[16,16\], but .*implies \[32,16\] \(num_attention_heads × head_dim, hidden_size\)/],
    [{ intermediate_size: 100000 }, /tensor model\.layers\.0\.mlp\.gate_proj\.weight has shape \[24,16\], but .*implies \[100000,16\] \(intermediate_size, hidden_size\)/],
    [{ vocab_size: 64 }, /model\.safetensors: tensor model\.embed_tokens\.weight has shape \[32,16\], but .*implies \[64,16\] \(vocab_size, hidden_size\)/],
    [{ hidden_size: 8, num_attention_heads: 1 }, /tensor model\.embed_tokens\.weight has shape \[32,16\], but .*implies \[32,8\]/],
    [{ attention_bias: true }, /tensor model\.layers\.0\.self_attn\.q_proj\.bias not found in model\.safetensors: the weights do not belong to the model .*config\.json describes/],
  ];
  for (const [i, [change, message]] of cases.entries()) {
    const dir = variant(`mismatch-${i}`, (d) => writeFileSync(join(d, 'config.json'), JSON.stringify({ ...tiny, ...change })));
    const cacheDir = join(work, `cache-mismatch-${i}`);
    await assert.rejects(ensureValueGraph({ checkpointDir: dir, layer: 1, cacheDir }), message);
    assert.deepEqual(existsSync(cacheDir) ? readdirSync(cacheDir) : [], [], 'no graph built');
  }
  // A hub snapshot's revision is its folder name, so an edited config.json would reuse the cached graph: refused too.
  const snap = join(work, 'hub-edit', 'models--org--tiny', 'snapshots', 'abc123');
  cpSync(good, snap, { recursive: true });
  const cacheDir = join(work, 'cache-hub-edit');
  assert.equal((await ensureValueGraph({ checkpointDir: snap, layer: 1, cacheDir })).built, true);
  writeFileSync(join(snap, 'config.json'), JSON.stringify({ ...tiny, num_key_value_heads: 2 }));
  await assert.rejects(ensureValueGraph({ checkpointDir: snap, layer: 1, cacheDir }), /k_proj\.weight has shape \[8,16\]/);
});

test('layer out of range', async () => {
  await assert.rejects(ensureValueGraph({ checkpointDir: good, layer: 2, cacheDir: join(work, 'cache-range') }), /layer 2 is out of range: this model has 2 layers \(0\.\.1\)/);
  await assert.rejects(ensureValueGraph({ checkpointDir: good, layer: -1, cacheDir: join(work, 'cache-range') }), /out of range/);
});

test('a model too large for memory is refused with the numbers, before anything is loaded', async () => {
  const need = estimateLoadBytes(llama32_1b, 8);
  // float32 embeddings (128256×2048) + 8 full layers + layer 8's v_proj ≈ 756M parameters ≈ 3 GB
  assert.ok(need > 3e9 && need < 5e9, `estimate ${need}`);
  // a bf16 checkpoint keeps its embedding matrix (128256×2048) in 16 bits: 0.5 GB less
  const bf16 = estimateLoadBytes({ ...llama32_1b, torchDtype: 'bfloat16' }, 8);
  assert.ok(Math.abs(need - bf16 - 1.1 * 128256 * 2048 * 2) < 1e3, `bf16 estimate ${bf16}`);
  assert.throws(() => checkFitsInMemory(llama32_1b, 8, { totalBytes: 4 * 2 ** 30, freeBytes: 2 * 2 ** 30 }),
    /needs about \d+\.\d\d GiB .* but only 2\.00 GiB of 4\.00 GiB is available/);
  checkFitsInMemory(llama32_1b, 8, { totalBytes: 64 * 2 ** 30, freeBytes: 32 * 2 ** 30 });
  // through the cache: refused, and nothing was built or written
  const cacheDir = join(work, 'cache-mem');
  await assert.rejects(ensureValueGraph({ checkpointDir: good, layer: 1, cacheDir, memory: { totalBytes: 2 ** 20, freeBytes: 2 ** 20 } }), /needs about/);
  assert.throws(() => readdirSync(cacheDir), /ENOENT/);
});

test('graph cache: reused when unchanged, rebuilt when the layer or the checkpoint changes, older revisions removed', async () => {
  const dir = join(work, 'cached');
  cpSync(good, dir, { recursive: true });
  const cacheDir = join(work, 'cache');
  const a = await ensureValueGraph({ checkpointDir: dir, layer: 1, cacheDir });
  assert.equal(a.built, true);
  assert.equal(a.kvDim, 8);
  const b = await ensureValueGraph({ checkpointDir: dir, layer: 1, cacheDir });
  assert.deepEqual([b.built, b.path], [false, a.path]);
  const c = await ensureValueGraph({ checkpointDir: dir, layer: 0, cacheDir });
  assert.equal(c.built, true);
  assert.notEqual(c.path, a.path);
  // new weights (same shapes) → new revision → rebuilt
  writeRandomCheckpoint({ dir, config: tiny, seed: 2 });
  const d = await ensureValueGraph({ checkpointDir: dir, layer: 1, cacheDir });
  assert.equal(d.built, true);
  assert.notEqual(d.revision, a.revision);
  // the older revision's graphs (both layers) are deleted; the new one is kept
  assert.equal(existsSync(a.path) || existsSync(c.path), false);
  assert.equal(existsSync(d.path), true);
  // no temp folders left behind
  assert.deepEqual(readdirSync(cacheDir).filter((n) => n.startsWith('.')), []);
});

test('revision of a hub snapshot is its folder name; elsewhere a content hash', () => {
  const snap = join(work, 'hub', 'models--org--tiny', 'snapshots', 'abc123');
  mkdirSync(snap, { recursive: true });
  for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(good, f), join(snap, f));
  assert.equal(checkpointRevision(snap), 'models--org--tiny@abc123');
  assert.match(checkpointRevision(good), /^sha256-[0-9a-f]{16}$/);
});

test('a local checkpoint\'s revision follows its bytes, not its files\' times; large weights are sampled', () => {
  const large = join(work, 'large');
  writeRandomCheckpoint({ dir: large, config: { ...tiny, hidden_size: 256, intermediate_size: 512, vocab_size: 1024 }, seed: 3 });
  for (const dir of [variant('retimed', () => {}), large]) {
    const weights = join(dir, 'model.safetensors');
    const before = checkpointRevision(dir);
    utimesSync(weights, new Date(2001, 0, 1), new Date(2001, 0, 1)); // a copy without -p, a restore, a touch
    assert.equal(checkpointRevision(dir), before, `${dir}: same bytes, same revision`);
    const bytes = readFileSync(weights);
    // A weight in the middle (for the large file, inside the 33rd of its 64 samples of 64 KB).
    const at = bytes.length > 4 << 20 ? Math.floor((32 * (bytes.length - 65536)) / 63) + 100 : bytes.length - 8;
    bytes[at] ^= 0x40;
    writeFileSync(weights, bytes);
    assert.notEqual(checkpointRevision(dir), before, `${dir}: other weights, another revision`);
  }
});
