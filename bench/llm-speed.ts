// CPU speed of the LLM value-vector graph in the real shapes of small Llama-family models
// (random weights): graph build time, tokens/s and mentions/s by batch size, peak RSS, and
// achieved GFLOP/s against a MatMul-only peak measured with the same onnxruntime and threads.
//   npx tsx bench/llm-speed.ts [--shapes smollm2-360m,qwen2.5-0.5b,llama-3.2-1b] [--batches 1,4,16]
//                              [--seconds 8] [--threads 2] [--spin] [--dir /tmp/ner-llm-bench] [--write-docs]
// --spin keeps onnxruntime's default busy-waiting worker threads (off here: see pairedLoop).
// Random checkpoints (bf16) and graphs (float32) are written under --dir, never in the repository.
// Each measurement runs in its own child process so peak RSS is that step's own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { encodeOnnxModel } from '../server/src/engine/encode/onnxWriter.ts';
import { loadCheckpoint, parseLlmConfig, truncatedParamCount, type LlmConfig } from '../server/src/engine/llm/checkpoint.ts';
import { ensureValueGraph } from '../server/src/engine/llm/graphCache.ts';
import { writeRandomCheckpoint } from '../server/src/engine/llm/randomCheckpoint.ts';
import { ValueVectorRunner } from '../server/src/engine/llm/valueRunner.ts';
import { mulberry32 } from '../server/src/engine/random.ts';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}

/** Real configurations (Hugging Face config.json values) and the layer each is cut at. */
const SHAPES: Record<string, { layer: number; config: Record<string, unknown> }> = {
  'smollm2-360m': {
    layer: 16,
    config: {
      model_type: 'llama', hidden_size: 960, intermediate_size: 2560, num_hidden_layers: 32, num_attention_heads: 15,
      num_key_value_heads: 5, head_dim: 64, vocab_size: 49152, max_position_embeddings: 8192, rms_norm_eps: 1e-5,
      rope_theta: 100000, tie_word_embeddings: true, hidden_act: 'silu', bos_token_id: 1, eos_token_id: 2,
    },
  },
  'qwen2.5-0.5b': {
    layer: 12,
    config: {
      model_type: 'qwen2', hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24, num_attention_heads: 14,
      num_key_value_heads: 2, vocab_size: 151936, max_position_embeddings: 32768, rms_norm_eps: 1e-6, rope_theta: 1000000,
      tie_word_embeddings: true, hidden_act: 'silu', bos_token_id: 151643, eos_token_id: 151643, sliding_window: 32768,
    },
  },
  'llama-3.2-1b': {
    layer: 8,
    config: {
      model_type: 'llama', hidden_size: 2048, intermediate_size: 8192, num_hidden_layers: 16, num_attention_heads: 32,
      num_key_value_heads: 8, head_dim: 64, vocab_size: 128256, max_position_embeddings: 131072, rms_norm_eps: 1e-5,
      rope_theta: 500000, tie_word_embeddings: true, hidden_act: 'silu', bos_token_id: 128000, eos_token_id: 128001,
      rope_scaling: { rope_type: 'llama3', factor: 32, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 },
    },
  },
};

const SENTENCE_TOKENS = 20;
const MENTIONS_PER_SENTENCE = 2;
const root = arg('dir', '/tmp/ner-llm-bench');
const threads = Number(arg('threads', '2'));
const seconds = Number(arg('seconds', '8'));
// Without spinning, the model's and the probe's thread pools do not steal each other's cores.
const spinWait = process.argv.includes('--spin');
const threadOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, ...(spinWait ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }) };

/**
 * Multiply-add FLOPs per token of the truncated graph: 2 per weight of every linear layer
 * (embedding lookups and norms excluded) + attention scores and mixing (2·T·heads·headDim each,
 * the full T×T block being computed, as the graph does).
 */
function flopsPerToken(c: LlmConfig, layer: number, tokens: number): number {
  const linear = truncatedParamCount(c, layer) - c.vocabSize * c.hiddenSize - (2 * layer + 1) * c.hiddenSize;
  return 2 * linear + layer * 2 * (2 * tokens * c.numHeads * c.headDim);
}

/** Mean and best seconds per call. The best run is the least disturbed by other processes. */
async function timeLoop(fn: () => Promise<unknown>, budgetS: number): Promise<{ mean: number; best: number }> {
  await fn(); // warm-up (first run allocates arenas)
  let n = 0, best = Infinity;
  const t0 = performance.now();
  while (n < 3 || performance.now() - t0 < budgetS * 1000) {
    const t = performance.now();
    await fn();
    best = Math.min(best, (performance.now() - t) / 1000);
    n++;
  }
  return { mean: (performance.now() - t0) / 1000 / n, best };
}

/**
 * Alternates the model with a MatMul probe so both see the same load from other processes;
 * returns the model's mean and best seconds per call and the probe's best.
 */
async function pairedLoop(model: () => Promise<unknown>, probe: () => Promise<unknown>, budgetS: number) {
  await model();
  await probe();
  let n = 0, total = 0, best = Infinity, probeBest = Infinity;
  const t0 = performance.now();
  while (n < 3 || performance.now() - t0 < budgetS * 1000) {
    let t = performance.now();
    await model();
    const d = (performance.now() - t) / 1000;
    total += d;
    best = Math.min(best, d);
    t = performance.now();
    await probe();
    probeBest = Math.min(probeBest, (performance.now() - t) / 1000);
    n++;
  }
  return { mean: total / n, best, probeBest };
}

const rssMiB = () => Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20);

// ---- child steps ----

async function buildStep(name: string) {
  const { layer, config } = SHAPES[name];
  const ckDir = join(root, `ckpt-${name}`);
  let checkpointS = 0;
  if (!existsSync(join(ckDir, 'config.json'))) {
    const t = performance.now();
    writeRandomCheckpoint({ dir: ckDir, config, upToLayer: layer, seed: 11, dtype: 'BF16', maxShardBytes: 2 ** 31 });
    checkpointS = (performance.now() - t) / 1000;
  }
  const cacheDir = join(root, `graphs-${name}`);
  rmSync(cacheDir, { recursive: true, force: true });
  const g = await ensureValueGraph({ checkpointDir: ckDir, layer, cacheDir });
  const dataBytes = statSync(`${g.path}.data`).size;
  return { path: g.path, buildS: g.buildMs / 1000, checkpointS, graphGiB: dataBytes / 2 ** 30, buildRssMiB: rssMiB() };
}

async function runStep(name: string, graphPath: string, batches: number[]) {
  const { layer, config } = SHAPES[name];
  const c = parseLlmConfig(config);
  const t = performance.now();
  const runner = await ValueVectorRunner.create(graphPath, { device: 'cpu', threads, spinWait });
  const loadS = (performance.now() - t) / 1000;
  const rand = mulberry32(5);
  const probe = await matmulProbe(320, 2048, 2048);
  const rows = [];
  for (const batch of batches) {
    const seqs = Array.from({ length: batch }, () => Array.from({ length: SENTENCE_TOKENS }, () => 3 + Math.floor(rand() * (c.vocabSize - 3))));
    const time = await pairedLoop(() => runner.run(seqs), probe.run, seconds);
    const tokensPerS = (batch * SENTENCE_TOKENS) / time.mean;
    const flops = flopsPerToken(c, layer, SENTENCE_TOKENS) * batch * SENTENCE_TOKENS;
    rows.push({
      batch, msPerBatch: time.mean * 1000, tokensPerS, mentionsPerS: (tokensPerS / SENTENCE_TOKENS) * MENTIONS_PER_SENTENCE,
      gflops: flops / time.mean / 1e9, bestGflops: flops / time.best / 1e9, pairedPeakGflops: probe.flops / time.probeBest / 1e9,
    });
  }
  await runner.dispose();
  await probe.release();
  return { loadS, rows, runRssMiB: rssMiB(), gflopPerToken: flopsPerToken(c, layer, SENTENCE_TOKENS) / 1e9, params: truncatedParamCount(c, layer) };
}

/** A MatMul-only graph ([M,K]×[K,N] float32 weights) on the same threads, and its FLOPs per run. */
async function matmulProbe(m: number, k: number, n: number) {
  const path = join(root, `matmul-${m}x${k}x${n}.onnx`);
  const w = new Float32Array(k * n).map((_, i) => ((i * 2654435761) % 1000) / 1000 - 0.5);
  writeFileSync(path, encodeOnnxModel({
    inputs: [{ name: 'x', dims: [m, k] }], outputs: [{ name: 'y', dims: [m, n] }],
    initializers: [{ name: 'w', dims: [k, n], data: w }], nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
  }));
  const session = await ort.InferenceSession.create(path, { ...threadOptions, graphOptimizationLevel: 'all' });
  const x = new ort.Tensor('float32', new Float32Array(m * k).fill(0.01), [m, k]);
  return { shape: `${m}×${k}×${n}`, flops: 2 * m * k * n, run: () => session.run({ x }), release: () => session.release() };
}

/** Best GFLOP/s of MatMul-only graphs of a few shapes. */
async function peakStep() {
  const results = [];
  for (const [m, k, n] of [[320, 2048, 2048], [320, 2048, 8192], [1024, 2048, 2048]]) {
    const probe = await matmulProbe(m, k, n);
    const time = await timeLoop(probe.run, Math.min(seconds, 5));
    results.push({ shape: probe.shape, gflops: probe.flops / time.best / 1e9 });
    await probe.release();
  }
  return results;
}

function child(args: string[]): any {
  const r = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} failed (${r.status})`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

async function main() {
  mkdirSync(root, { recursive: true });
  const mode = arg('child', '');
  if (mode === 'build') { console.log(JSON.stringify(await buildStep(arg('shape', '')))); return; }
  if (mode === 'run') { console.log(JSON.stringify(await runStep(arg('shape', ''), arg('graph', ''), arg('batches', '1').split(',').map(Number)))); return; }
  if (mode === 'peak') { console.log(JSON.stringify(await peakStep())); return; }

  const shapes = arg('shapes', Object.keys(SHAPES).join(',')).split(',');
  const batchesArg = arg('batches', '1,4,16');
  const loadStart = loadavg().map((x) => x.toFixed(2)).join(', ');
  const peakArgs = ['--child', 'peak', '--threads', String(threads), '--seconds', String(seconds), '--dir', root, ...(spinWait ? ['--spin'] : [])];
  const peakBefore = child(peakArgs);
  console.error(`matmul peak before (${threads} threads): ${peakBefore.map((p: any) => `${p.shape} ${p.gflops.toFixed(1)}`).join(', ')} GFLOP/s`);
  const lines: string[] = [];
  const table = ['| model shape (cut at layer) | params in graph | graph build | graph on disk | batch | tokens/s | mentions/s | GFLOP/s (mean) | GFLOP/s (best run) | MatMul peak (paired) | best run, % of paired peak | peak RSS |', '|---|---|---|---|---|---|---|---|---|---|---|---|'];
  for (const name of shapes) {
    const b = child(['--child', 'build', '--shape', name, '--dir', root]);
    console.error(`${name}: graph built in ${b.buildS.toFixed(1)} s (${b.graphGiB.toFixed(2)} GiB), build RSS ${b.buildRssMiB} MiB`);
    const r = child(['--child', 'run', '--shape', name, '--graph', b.path, '--batches', arg(`batches-${name}`, batchesArg), '--threads', String(threads), '--seconds', String(seconds), '--dir', root, ...(spinWait ? ['--spin'] : [])]);
    for (const row of r.rows) {
      const line = `| ${name} (L${SHAPES[name].layer}) | ${(r.params / 1e6).toFixed(0)}M | ${b.buildS.toFixed(1)} s | ${b.graphGiB.toFixed(2)} GiB | ${row.batch} | ${row.tokensPerS.toFixed(0)} | ${row.mentionsPerS.toFixed(1)} | ${row.gflops.toFixed(1)} | ${row.bestGflops.toFixed(1)} | ${row.pairedPeakGflops.toFixed(1)} | ${((100 * row.bestGflops) / row.pairedPeakGflops).toFixed(0)}% | ${r.runRssMiB} MiB |`;
      table.push(line);
      console.error(line);
    }
    lines.push(`- ${name}: ${(r.gflopPerToken).toFixed(2)} GFLOP per token (20-token sentences); session load ${r.loadS.toFixed(1)} s; graph build peak RSS ${b.buildRssMiB} MiB.`);
    rmSync(join(root, `graphs-${name}`), { recursive: true, force: true });
  }
  // Measured before and after the models; the best of both is the peak (other processes load the machine).
  const peakAfter = child(peakArgs);
  const peak = peakBefore.map((p: any, i: number) => ({ shape: p.shape, gflops: Math.max(p.gflops, peakAfter[i].gflops) }));
  const peakGflops = Math.max(...peak.map((p: { gflops: number }) => p.gflops));
  const load = loadavg().map((x) => x.toFixed(2)).join(', ');
  const section = [
    '## LLM value-vector encoder (CPU)', '',
    `### Random weights in real shapes — ${new Date().toISOString().slice(0, 10)}`, '',
    `\`npx tsx bench/llm-speed.ts${process.argv.slice(2).filter((a) => a !== '--write-docs').map((a) => ` ${a}`).join('')}\` on ${cpus().length} × ${cpus()[0]?.model.trim()}, `
      + `${(totalmem() / 2 ** 30).toFixed(0)} GiB, onnxruntime-node CPU, ${threads} intra-op threads${spinWait ? '' : ' (no busy-waiting)'}. Machine shared with other `
      + `processes while measuring (load averages 1/5/15 min at the start: ${loadStart}; at the end: ${load}), so figures are noisy lower bounds.`,
    `Sentences of ${SENTENCE_TOKENS} tokens, ${MENTIONS_PER_SENTENCE} mentions each (a mention costs nothing extra: all value vectors of a sentence come from one pass). `
      + `GFLOP/s (mean) is what throughput shows. Efficiency: each model run alternates with a 320×2048×2048 MatMul probe run (same threads, same moment, so the same load from other processes); the model's best run is compared with the probe's best run. `
      + `Graph build = reading the bf16 checkpoint, converting to float32 (the embedding matrix stays bf16), writing the ONNX graph + external data. Peak RSS = the inference process. `
      + `MatMul peak (same threads, MatMul-only ONNX graphs, best run): ${peak.map((p: any) => `${p.shape} ${p.gflops.toFixed(1)}`).join(', ')} GFLOP/s → peak ${peakGflops.toFixed(1)} GFLOP/s.`,
    '', ...table, '', ...lines, '',
  ].join('\n');
  console.log(section);
  if (process.argv.includes('--write-docs')) insertSection(join(new URL('..', import.meta.url).pathname, 'docs', 'benchmarks.md'), section);
}

/** Replaces only this benchmark's own section (or appends it), leaving the rest of the file as it is. */
function insertSection(file: string, section: string) {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('## LLM value-vector encoder (CPU)');
  if (start < 0) { writeFileSync(file, `${text.trimEnd()}\n\n${section}`); return; }
  const next = text.indexOf('\n## ', start + 3);
  writeFileSync(file, text.slice(0, start) + section + (next < 0 ? '' : `\n${text.slice(next + 1)}`));
}

await main();
