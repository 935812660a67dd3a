// Hugging Face causal-LM checkpoint: normalised config + lazy tensor source, and the memory
// check that refuses a truncated model that could not be loaded (before anything is read).
import { existsSync, readFileSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { openSafetensors, type TensorSource } from './safetensors.ts';

export type LlmArchitecture = 'llama' | 'mistral' | 'qwen2';
export const SUPPORTED_MODEL_TYPES: readonly LlmArchitecture[] = ['llama', 'mistral', 'qwen2'];

export interface RopeScaling {
  type: string;
  factor: number;
  lowFreqFactor?: number;
  highFreqFactor?: number;
  originalMaxPositionEmbeddings?: number;
}

export interface LlmConfig {
  architecture: LlmArchitecture;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  vocabSize: number;
  rmsNormEps: number;
  ropeTheta: number;
  ropeScaling: RopeScaling | null;
  /** q/k/v projections carry biases (qwen2 always; llama when `attention_bias`). */
  attentionBias: boolean;
  tieWordEmbeddings: boolean;
  bosTokenId: number | null;
  eosTokenId: number | number[] | null;
  maxPositionEmbeddings: number;
  torchDtype: string;
  slidingWindow: number | null;
}

export interface LlmCheckpoint {
  dir: string;
  config: LlmConfig;
  tokenizerPath: string | null;
  tensors: TensorSource;
  kvDim: number;
}

export interface MemoryInfo { totalBytes: number; freeBytes: number }

type Json = Record<string, unknown>;

function num(c: Json, key: string, where: string, fallback?: number): number {
  const v = c[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v == null && fallback !== undefined) return fallback;
  throw new Error(`${where}: missing or invalid "${key}"`);
}

// Sizes become typed-array lengths and tensor shapes: a zero, negative or fractional one would index
// garbage (or fail deep inside with "Invalid typed array length").
function positiveInt(c: Json, key: string, where: string, fallback?: number): number {
  const v = num(c, key, where, fallback);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${where}: "${key}" must be a positive integer, got ${v}`);
  return v;
}

function positive(c: Json, key: string, where: string, fallback?: number): number {
  const v = num(c, key, where, fallback);
  if (!(v > 0)) throw new Error(`${where}: "${key}" must be positive, got ${v}`);
  return v;
}

function parseRopeScaling(v: unknown, where: string): RopeScaling | null {
  if (v == null) return null;
  const r = v as Json;
  const type = String(r.rope_type ?? r.type ?? 'default');
  if (type === 'default') return null;
  // Others (dynamic, yarn, longrope…) would silently give wrong vectors: refuse them.
  if (type !== 'llama3' && type !== 'linear') throw new Error(`${where}: rope_scaling type "${type}" is not supported (supported: llama3, linear)`);
  // The frequencies are divided by these: zero, negative or equal low/high factors give NaN or
  // negative frequencies, and vectors of garbage without a word.
  const at = `${where} rope_scaling`;
  const factor = positive(r, 'factor', at);
  if (type === 'linear') return { type, factor };
  const lowFreqFactor = positive(r, 'low_freq_factor', at);
  const highFreqFactor = num(r, 'high_freq_factor', at);
  if (!(highFreqFactor > lowFreqFactor)) throw new Error(`${at}: "high_freq_factor" (${highFreqFactor}) must be greater than "low_freq_factor" (${lowFreqFactor})`);
  return {
    type,
    factor,
    lowFreqFactor,
    highFreqFactor,
    originalMaxPositionEmbeddings: positiveInt(r, 'original_max_position_embeddings', at),
  };
}

/** bos_token_id is the first model input when tokenizer_config.json names no BOS: a row of the embedding table. */
function bosTokenId(c: Json, vocabSize: number, where: string): number | null {
  const v = c.bos_token_id;
  if (typeof v !== 'number') return null;
  if (!Number.isSafeInteger(v) || v < 0 || v >= vocabSize) {
    throw new Error(`${where}: "bos_token_id" ${v} is not a token id of the model (0..${vocabSize - 1}, vocab_size ${vocabSize})`);
  }
  return v;
}

/** Normalises a Hugging Face `config.json` object; refuses unsupported model types. */
export function parseLlmConfig(json: unknown, where = 'config.json'): LlmConfig {
  if (!json || typeof json !== 'object') throw new Error(`${where}: not a JSON object`);
  const c = json as Json;
  const modelType = String(c.model_type ?? '');
  if (!(SUPPORTED_MODEL_TYPES as readonly string[]).includes(modelType)) {
    throw new Error(`${where}: model_type "${modelType}" is not supported (supported: ${SUPPORTED_MODEL_TYPES.join(', ')})`);
  }
  const architecture = modelType as LlmArchitecture;
  const act = String(c.hidden_act ?? 'silu');
  if (act !== 'silu') throw new Error(`${where}: hidden_act "${act}" is not supported (only silu)`);
  // The graph has no MLP biases; refusing beats silently dropping them.
  if (c.mlp_bias === true) throw new Error(`${where}: mlp_bias is not supported`);
  const hiddenSize = positiveInt(c, 'hidden_size', where);
  const numHeads = positiveInt(c, 'num_attention_heads', where);
  const numKvHeads = positiveInt(c, 'num_key_value_heads', where, numHeads);
  if (numHeads % numKvHeads !== 0) throw new Error(`${where}: num_attention_heads ${numHeads} not a multiple of num_key_value_heads ${numKvHeads}`);
  const headDim = num(c, 'head_dim', where, hiddenSize / numHeads);
  if (!Number.isInteger(headDim) || headDim <= 0 || headDim % 2) throw new Error(`${where}: head_dim ${headDim} must be an even integer`);
  const vocabSize = positiveInt(c, 'vocab_size', where);
  return {
    architecture,
    hiddenSize,
    intermediateSize: positiveInt(c, 'intermediate_size', where),
    numLayers: positiveInt(c, 'num_hidden_layers', where),
    numHeads,
    numKvHeads,
    headDim,
    vocabSize,
    rmsNormEps: positive(c, 'rms_norm_eps', where, 1e-6),
    ropeTheta: positive(c, 'rope_theta', where, 10000),
    ropeScaling: parseRopeScaling(c.rope_scaling, where),
    attentionBias: architecture === 'qwen2' ? true : c.attention_bias === true,
    tieWordEmbeddings: c.tie_word_embeddings === true,
    bosTokenId: bosTokenId(c, vocabSize, where),
    eosTokenId: (typeof c.eos_token_id === 'number' || Array.isArray(c.eos_token_id)) ? c.eos_token_id as number | number[] : null,
    maxPositionEmbeddings: positiveInt(c, 'max_position_embeddings', where, 2048),
    torchDtype: String(c.torch_dtype ?? c.dtype ?? 'float32'),
    slidingWindow: typeof c.sliding_window === 'number' ? c.sliding_window : null,
  };
}

export interface ExpectedTensor {
  name: string;
  shape: number[];
  /** The config.json keys the shape follows from (for the error message). */
  keys: string;
}

/** The tensors the value graph up to `layer` reads, each with the shape config.json implies. */
export function valueGraphTensors(config: LlmConfig, layer: number): ExpectedTensor[] {
  const { hiddenSize: h, intermediateSize: im } = config;
  const q = config.numHeads * config.headDim, kv = config.numKvHeads * config.headDim;
  const qKeys = 'num_attention_heads × head_dim', kvKeys = 'num_key_value_heads × head_dim';
  const out: ExpectedTensor[] = [{ name: 'model.embed_tokens.weight', shape: [config.vocabSize, h], keys: 'vocab_size, hidden_size' }];
  const projection = (p: string, name: string, rows: number, rowKeys: string) => {
    out.push({ name: `${p}.self_attn.${name}.weight`, shape: [rows, h], keys: `${rowKeys}, hidden_size` });
    if (config.attentionBias) out.push({ name: `${p}.self_attn.${name}.bias`, shape: [rows], keys: rowKeys });
  };
  for (let l = 0; l <= layer; l++) {
    const p = `model.layers.${l}`;
    out.push({ name: `${p}.input_layernorm.weight`, shape: [h], keys: 'hidden_size' });
    if (l === layer) { projection(p, 'v_proj', kv, kvKeys); break; }
    projection(p, 'q_proj', q, qKeys);
    projection(p, 'k_proj', kv, kvKeys);
    projection(p, 'v_proj', kv, kvKeys);
    out.push(
      { name: `${p}.self_attn.o_proj.weight`, shape: [h, q], keys: `hidden_size, ${qKeys}` },
      { name: `${p}.post_attention_layernorm.weight`, shape: [h], keys: 'hidden_size' },
      { name: `${p}.mlp.gate_proj.weight`, shape: [im, h], keys: 'intermediate_size, hidden_size' },
      { name: `${p}.mlp.up_proj.weight`, shape: [im, h], keys: 'intermediate_size, hidden_size' },
      { name: `${p}.mlp.down_proj.weight`, shape: [h, im], keys: 'hidden_size, intermediate_size' },
    );
  }
  return out;
}

/**
 * Refuses weights whose shapes differ from what config.json implies: the graph would otherwise read
 * past short tensors (NaN) or use a prefix of long ones, and index garbage vectors without a word.
 * Reads headers only.
 */
export function checkTensorShapes(ck: LlmCheckpoint, layer: number): void {
  const cfgPath = join(ck.dir, 'config.json');
  for (const t of valueGraphTensors(ck.config, layer)) {
    if (!ck.tensors.has(t.name)) {
      throw new Error(`tensor ${t.name} not found in ${ck.tensors.files.map((f) => basename(f)).join(', ')}: the weights do not belong to the model ${cfgPath} describes`);
    }
    const info = ck.tensors.info(t.name);
    if (info.shape.length !== t.shape.length || info.shape.some((d, i) => d !== t.shape[i])) {
      throw new Error(`${info.file}: tensor ${t.name} has shape [${info.shape}], but ${cfgPath} implies [${t.shape}] (${t.keys}): `
        + 'the config does not match the weights; fix config.json or use the one the weights came with');
    }
  }
}

export function checkLayer(config: LlmConfig, layer: number): void {
  if (!Number.isInteger(layer) || layer < 0 || layer >= config.numLayers) {
    throw new Error(`layer ${layer} is out of range: this model has ${config.numLayers} layers (0..${config.numLayers - 1})`);
  }
}

/** Parameter count of the truncated graph: embeddings, layers 0..L-1, layer L's norm + v_proj. */
export function truncatedParamCount(config: LlmConfig, layer: number): number {
  const { hiddenSize: h, intermediateSize: i, numHeads: nh, numKvHeads: nkv, headDim: d, vocabSize: v } = config;
  const bias = config.attentionBias ? 1 : 0;
  const attn = h * nh * d + 2 * h * nkv * d + nh * d * h + bias * (nh * d + 2 * nkv * d);
  const layerParams = attn + 3 * h * i + 2 * h;
  return v * h + layer * layerParams + h + h * nkv * d + bias * nkv * d;
}

// Activations, ORT arenas and Node itself on top of the float32 weights. Measured peak RSS of the
// running graph was 1.0–1.25× the graph bytes (docs/benchmarks.md, LLM value-vector encoder); the
// fixed reserve covers the difference on small models.
const RUNTIME_OVERHEAD = 1.1;
const RUNTIME_RESERVE = 512 * 2 ** 20;

/** Bytes of the graph's weights: float32, except a 16-bit embedding matrix that stays 16-bit. */
export function graphWeightBytes(config: LlmConfig, layer: number): number {
  const embedding = config.vocabSize * config.hiddenSize;
  const embeddingBytes = /^(bfloat16|float16|bf16|fp16)$/.test(config.torchDtype) ? 2 : 4;
  return (truncatedParamCount(config, layer) - embedding) * 4 + embedding * embeddingBytes;
}

/** Bytes needed to build and run the truncated graph (weights + runtime headroom). */
export function estimateLoadBytes(config: LlmConfig, layer: number): number {
  checkLayer(config, layer);
  return Math.round(graphWeightBytes(config, layer) * RUNTIME_OVERHEAD + RUNTIME_RESERVE);
}

const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;

export function checkFitsInMemory(config: LlmConfig, layer: number, memory?: MemoryInfo): void {
  const need = estimateLoadBytes(config, layer);
  const mem = memory ?? { totalBytes: totalmem(), freeBytes: freemem() };
  const limit = Math.min(mem.totalBytes * 0.9, mem.freeBytes);
  if (need > limit) {
    throw new Error(`the model cut at layer ${layer} needs about ${gib(need)} of memory (weights of `
      + `${(truncatedParamCount(config, layer) / 1e6).toFixed(0)}M parameters + runtime), but only ${gib(mem.freeBytes)} `
      + `of ${gib(mem.totalBytes)} is available; choose an earlier layer or a smaller model`);
  }
}

/** Reads `config.json`, records `tokenizer.json`, opens the weights lazily. */
export function loadCheckpoint(dir: string): LlmCheckpoint {
  const cfgPath = join(dir, 'config.json');
  if (!existsSync(cfgPath)) throw new Error(`not a Hugging Face checkpoint: ${cfgPath} not found`);
  let json: unknown;
  try { json = JSON.parse(readFileSync(cfgPath, 'utf8')); } catch (e) {
    throw new Error(`${cfgPath}: invalid JSON (${(e as Error).message})`);
  }
  const config = parseLlmConfig(json, cfgPath);
  const tok = join(dir, 'tokenizer.json');
  return {
    dir,
    config,
    tokenizerPath: existsSync(tok) ? tok : null,
    tensors: openSafetensors(dir),
    kvDim: config.numKvHeads * config.headDim,
  };
}
