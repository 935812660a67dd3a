// Writes a Hugging Face-layout checkpoint with seeded random weights in real shapes, for tests
// and speed benchmarks. Only what the value graph up to `upToLayer` reads is written (embeddings,
// full layers 0..L-1, layer L's input norm and v_proj), so big shapes stay cheap on disk.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../random.ts';
import { parseLlmConfig, valueGraphTensors } from './checkpoint.ts';
import { writeSafetensors } from './safetensors.ts';
import { makeFolder } from '../makeFolder.ts';

export interface RandomCheckpointOptions {
  dir: string;
  /** The checkpoint's `config.json` content (Hugging Face keys). */
  config: Record<string, unknown>;
  /** Last layer whose v_proj is written; default: the model's last layer. */
  upToLayer?: number;
  seed?: number;
  dtype?: 'F32' | 'BF16';
  /** Shard into model-0000i-of-0000N.safetensors + index when the weights exceed this. */
  maxShardBytes?: number;
}

interface Spec { name: string; shape: number[]; kind: 'linear' | 'norm' | 'bias' | 'embedding' }

// The same tensors and shapes the value graph checks for (checkTensorShapes).
function tensorSpecs(config: Record<string, unknown>, upToLayer: number): Spec[] {
  return valueGraphTensors(parseLlmConfig(config, 'random checkpoint config'), upToLayer).map(({ name, shape }) => ({
    name, shape,
    kind: name === 'model.embed_tokens.weight' ? 'embedding' : name.endsWith('layernorm.weight') ? 'norm' : shape.length === 1 ? 'bias' : 'linear',
  }));
}

function nameSeed(seed: number, name: string): number {
  let s = seed >>> 0;
  for (let i = 0; i < name.length; i++) s = Math.imul(s ^ name.charCodeAt(i), 0x9e3779b1) >>> 0;
  return s;
}

/** Values scaled like a trained model's: linear outputs stay O(1) (uniform ±1/√fan_in). */
function randomTensor(spec: Spec, seed: number): Float32Array {
  const rand = mulberry32(nameSeed(seed, spec.name));
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const scale = spec.kind === 'linear' ? Math.sqrt(3 / spec.shape[1]) : spec.kind === 'embedding' ? 1 : 0.1;
  const offset = spec.kind === 'norm' ? 1 : 0;
  for (let i = 0; i < n; i++) out[i] = offset + (2 * rand() - 1) * scale;
  return out;
}

/** Writes config.json + weights; returns the weight files written and their total size. */
export function writeRandomCheckpoint(opts: RandomCheckpointOptions): { files: string[]; bytes: number } {
  const cfg = parseLlmConfig(opts.config, 'random checkpoint config');
  const upTo = opts.upToLayer ?? cfg.numLayers - 1;
  const seed = opts.seed ?? 1;
  const dtype = opts.dtype ?? 'F32';
  const bytesPer = dtype === 'F32' ? 4 : 2;
  makeFolder(opts.dir);
  writeFileSync(join(opts.dir, 'config.json'), JSON.stringify({ ...opts.config, torch_dtype: dtype === 'F32' ? 'float32' : 'bfloat16' }, null, 2));
  const specs = tensorSpecs(opts.config, upTo);
  const size = (s: Spec) => s.shape.reduce((a, b) => a * b, 1) * bytesPer;
  const shards: Spec[][] = [[]];
  let shardBytes = 0;
  for (const s of specs) {
    if (opts.maxShardBytes && shardBytes > 0 && shardBytes + size(s) > opts.maxShardBytes) { shards.push([]); shardBytes = 0; }
    shards[shards.length - 1].push(s);
    shardBytes += size(s);
  }
  const produce = (name: string) => randomTensor(specs.find((s) => s.name === name)!, seed);
  const total = specs.reduce((a, s) => a + size(s), 0);
  if (shards.length === 1) {
    const file = join(opts.dir, 'model.safetensors');
    writeSafetensors(file, specs, dtype, produce);
    return { files: [file], bytes: total };
  }
  const files: string[] = [];
  const weightMap: Record<string, string> = {};
  const pad = (i: number) => String(i).padStart(5, '0');
  shards.forEach((shard, i) => {
    const name = `model-${pad(i + 1)}-of-${pad(shards.length)}.safetensors`;
    for (const s of shard) weightMap[s.name] = name;
    writeSafetensors(join(opts.dir, name), shard, dtype, produce);
    files.push(join(opts.dir, name));
  });
  writeFileSync(join(opts.dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }, null, 2));
  return { files, bytes: total };
}
