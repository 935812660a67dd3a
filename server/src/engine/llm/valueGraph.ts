// Builds the truncated ONNX graph of a Llama-family model: embeddings → decoder layers 0..L-1 →
// layer L's input RMSNorm → layer L's v_proj, nothing after (the value vectors NER Retriever
// embeds). Semantics follow Hugging Face's LlamaModel / Qwen2Model / MistralModel.
//
// Weights are float32 in an external data file beside the model (the protobuf itself is capped at
// 2 GB): simple and exact, at twice the disk/memory of a bf16 checkpoint (CPU MatMul has no bf16
// kernel). The embedding matrix, only gathered from, keeps the checkpoint's 16-bit type.
// Mistral's sliding-window attention is ignored: it only differs from full causal attention for
// sequences longer than the window (4096+), far beyond a sentence.
import { renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ExternalDataFile, encodeOnnxModel, type OnnxExternalInitializer, type OnnxInitializer, type OnnxNode, type OnnxValueInfo } from '../encode/onnxWriter.ts';
import type { Logger } from '../types.ts';
import { checkLayer, checkTensorShapes, type LlmCheckpoint, type LlmConfig } from './checkpoint.ts';

/** Bumped whenever the graph's layout or semantics change (invalidates cached graphs). */
export const VALUE_GRAPH_FORMAT = 2;

export interface BuildValueGraphOptions {
  /** Also output `hidden_in_<l>` (residual stream entering layer l) and `v_proj_<l>` for l ≤ L. */
  debugOutputs?: boolean;
  logger?: Logger;
}

export interface BuiltValueGraph { modelBytes: number; dataBytes: number; kvDim: number }

/** Accumulates nodes and initializers with unique value names. */
class GraphBuilder {
  nodes: OnnxNode[] = [];
  consts: OnnxInitializer[] = [];
  weights: OnnxExternalInitializer[] = [];
  private n = 0;
  constructor(private data: ExternalDataFile) {}

  op(op: string, inputs: string[], attributes?: OnnxNode['attributes'], outputs = 1): string[] {
    const outs = Array.from({ length: outputs }, () => `${op.toLowerCase()}_${this.n++}`);
    this.nodes.push({ op, inputs, outputs: outs, attributes });
    return outs;
  }
  op1(op: string, inputs: string[], attributes?: OnnxNode['attributes']): string { return this.op(op, inputs, attributes)[0]; }

  int64(values: number[], dims = [values.length]): string {
    const name = `c_${this.n++}`;
    this.consts.push({ name, dims, data: values, type: 'int64' });
    return name;
  }
  float(values: number[] | Float32Array, dims: number[]): string {
    const name = `c_${this.n++}`;
    this.consts.push({ name, dims, data: Float32Array.from(values) });
    return name;
  }
  weight(name: string, dims: number[], data: Float32Array): string {
    this.weights.push(this.data.add(name, dims, data));
    return name;
  }
  rawWeight(name: string, dims: number[], type: 'float16' | 'bfloat16', bytes: Uint8Array): string {
    this.weights.push(this.data.addRaw(name, dims, type, bytes));
    return name;
  }
  named(value: string, name: string): string { this.nodes.push({ op: 'Identity', inputs: [value], outputs: [name] }); return name; }
}

/** HF stores Linear weights [out, in]; MatMul wants [in, out]. Several outputs are fused side by side. */
function transposeConcat(mats: Float32Array[], outs: number[], inDim: number): Float32Array {
  const total = outs.reduce((a, b) => a + b, 0);
  const t = new Float32Array(inDim * total);
  let col = 0;
  mats.forEach((m, k) => {
    const out = outs[k];
    // checkTensorShapes refuses mismatched weights first; this guards against a caller that did not.
    if (m.length !== out * inDim) throw new Error(`value graph: a weight of ${m.length} values where [${out}, ${inDim}] was expected`);
    for (let o = 0; o < out; o++) for (let i = 0; i < inDim; i++) t[i * total + col + o] = m[o * inDim + i];
    col += out;
  });
  return t;
}

/** Inverse RoPE frequencies, with Llama 3.1 scaling exactly as HF `_compute_llama3_parameters`. */
export function ropeInverseFrequencies(config: LlmConfig): Float64Array {
  const half = config.headDim / 2;
  const inv = new Float64Array(half);
  for (let i = 0; i < half; i++) inv[i] = 1 / config.ropeTheta ** ((2 * i) / config.headDim);
  const s = config.ropeScaling;
  if (s?.type === 'linear') return inv.map((f) => f / s.factor); // HF linear: positions divided by factor
  if (!s || s.type !== 'llama3') return inv;
  const lowWavelen = s.originalMaxPositionEmbeddings! / s.lowFreqFactor!;
  const highWavelen = s.originalMaxPositionEmbeddings! / s.highFreqFactor!;
  for (let i = 0; i < half; i++) {
    const wavelen = (2 * Math.PI) / inv[i];
    const scaled = wavelen > lowWavelen ? inv[i] / s.factor : inv[i];
    const smooth = (s.originalMaxPositionEmbeddings! / wavelen - s.lowFreqFactor!) / (s.highFreqFactor! - s.lowFreqFactor!);
    const smoothed = (1 - smooth) * scaled / s.factor + smooth * scaled;
    const isMedium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
    inv[i] = isMedium ? smoothed : scaled;
  }
  return inv;
}

/**
 * Gather of the token rows. A bf16/f16 embedding matrix is kept in its own 16-bit type (lossless,
 * half the bytes of the largest tensor) and only the gathered rows are cast to float32.
 */
function embedTokens(g: GraphBuilder, ck: LlmCheckpoint): string {
  const { vocabSize, hiddenSize } = ck.config;
  const dims = [vocabSize, hiddenSize];
  const raw = ck.tensors.readRaw('model.embed_tokens.weight');
  if (raw.dtype === 'F32') {
    return g.op1('Gather', [g.weight('embed_tokens', dims, new Float32Array(raw.bytes.buffer, 0, vocabSize * hiddenSize)), 'input_ids'], { axis: 0 });
  }
  const w = g.rawWeight('embed_tokens', dims, raw.dtype === 'BF16' ? 'bfloat16' : 'float16', raw.bytes);
  return g.op1('Cast', [g.op1('Gather', [w, 'input_ids'], { axis: 0 })], { to: 1 });
}

function rmsNorm(g: GraphBuilder, x: string, weight: string, eps: number): string {
  const meanSquare = g.op1('ReduceMean', [g.op1('Mul', [x, x])], { axes: [-1], keepdims: 1 });
  const rms = g.op1('Sqrt', [g.op1('Add', [meanSquare, g.float([eps], [])])]);
  return g.op1('Mul', [g.op1('Div', [x, rms]), weight]);
}

/** cos/sin tables [B, 1, T, headDim] for the positions of each token (cumsum of the mask − 1). */
function rotaryEmbedding(g: GraphBuilder, config: LlmConfig): { cos: string; sin: string } {
  const cum = g.op1('CumSum', ['attention_mask', g.int64([1], [])]);
  const pos = g.op1('Max', [g.op1('Sub', [cum, g.int64([1], [])]), g.int64([0], [])]);
  const posF = g.op1('Reshape', [g.op1('Cast', [pos], { to: 1 }), g.int64([0, 0, 1])]);
  const inv = ropeInverseFrequencies(config);
  const freqs = g.op1('Mul', [posF, g.float(Float32Array.from(inv), [inv.length])]);
  const emb = g.op1('Concat', [freqs, freqs], { axis: -1 });
  const shape = g.int64([0, 1, -1, config.headDim]);
  return { cos: g.op1('Reshape', [g.op1('Cos', [emb]), shape]), sin: g.op1('Reshape', [g.op1('Sin', [emb]), shape]) };
}

/** HF rotate_half convention: x·cos + [−x₂, x₁]·sin on [B, heads, T, headDim]. */
function applyRotary(g: GraphBuilder, x: string, rope: { cos: string; sin: string }, headDim: number): string {
  const half = headDim / 2;
  const axes = g.int64([-1]);
  const x1 = g.op1('Slice', [x, g.int64([0]), g.int64([half]), axes]);
  const x2 = g.op1('Slice', [x, g.int64([half]), g.int64([headDim]), axes]);
  const rotated = g.op1('Concat', [g.op1('Neg', [x2]), x1], { axis: -1 });
  return g.op1('Add', [g.op1('Mul', [x, rope.cos]), g.op1('Mul', [rotated, rope.sin])]);
}

/** Additive mask [B, 1, 1, T, T]: 0 where a query may attend (causal and key not padding), −1e9 elsewhere. */
function attentionBias(g: GraphBuilder): string {
  const t = g.op1('Slice', [g.op1('Shape', ['input_ids']), g.int64([1]), g.int64([2]), g.int64([0])]);
  const ones = g.op1('Expand', [g.float([1], [1, 1]), g.op1('Concat', [t, t], { axis: 0 })]);
  const causal = g.op1('Trilu', [ones], { upper: 0 });
  const keys = g.op1('Reshape', [g.op1('Cast', ['attention_mask'], { to: 1 }), g.int64([0, 1, 1, 1, -1])]);
  const allowed = g.op1('Mul', [causal, keys]);
  return g.op1('Mul', [g.op1('Sub', [allowed, g.float([1], [])]), g.float([1e9], [])]);
}

function linearWeights(ck: LlmCheckpoint, prefix: string, parts: string[], outs: number[], inDim: number, bias: boolean) {
  const w = transposeConcat(parts.map((p) => ck.tensors.read(`${prefix}.${p}.weight`)), outs, inDim);
  let b: Float32Array | null = null;
  if (bias) {
    b = new Float32Array(outs.reduce((a, c) => a + c, 0));
    let off = 0;
    parts.forEach((p, k) => { b!.set(ck.tensors.read(`${prefix}.${p}.bias`), off); off += outs[k]; });
  }
  return { w, b };
}

function linear(g: GraphBuilder, x: string, name: string, inDim: number, outDim: number, w: Float32Array, b: Float32Array | null): string {
  const y = g.op1('MatMul', [x, g.weight(`${name}.weight`, [inDim, outDim], w)]);
  return b ? g.op1('Add', [y, g.weight(`${name}.bias`, [outDim], b)]) : y;
}

/** Grouped-query causal self-attention; returns the o_proj output and the v_proj output. */
function attention(g: GraphBuilder, ck: LlmCheckpoint, l: number, h: string, rope: { cos: string; sin: string }, bias: string) {
  const c = ck.config;
  const qDim = c.numHeads * c.headDim, kvDim = c.numKvHeads * c.headDim, group = c.numHeads / c.numKvHeads;
  const prefix = `model.layers.${l}.self_attn`;
  // q, k and v share one MatMul (fused weights), then split.
  const { w, b } = linearWeights(ck, prefix, ['q_proj', 'k_proj', 'v_proj'], [qDim, kvDim, kvDim], c.hiddenSize, c.attentionBias);
  const qkv = linear(g, h, `layers.${l}.qkv_proj`, c.hiddenSize, qDim + 2 * kvDim, w, b);
  const [q, k, v] = g.op('Split', [qkv, g.int64([qDim, kvDim, kvDim])], { axis: -1 }, 3);
  const heads = (x: string, n: number) => g.op1('Transpose', [g.op1('Reshape', [x, g.int64([0, 0, n, c.headDim])])], { perm: [0, 2, 1, 3] });
  const qScaled = g.op1('Mul', [applyRotary(g, heads(q, c.numHeads), rope, c.headDim), g.float([1 / Math.sqrt(c.headDim)], [])]);
  const kRot = applyRotary(g, heads(k, c.numKvHeads), rope, c.headDim);
  // GQA without copying k/v: query heads [B, kv, group, T, d] broadcast against [B, kv, 1, T, d].
  const q5 = g.op1('Reshape', [qScaled, g.int64([0, c.numKvHeads, group, -1, c.headDim])]);
  const k5 = g.op1('Reshape', [kRot, g.int64([0, c.numKvHeads, 1, -1, c.headDim])]);
  const v5 = g.op1('Reshape', [heads(v, c.numKvHeads), g.int64([0, c.numKvHeads, 1, -1, c.headDim])]);
  const scores = g.op1('Add', [g.op1('MatMul', [q5, g.op1('Transpose', [k5], { perm: [0, 1, 2, 4, 3] })]), bias]);
  const ctx = g.op1('MatMul', [g.op1('Softmax', [scores], { axis: -1 }), v5]);
  const merged = g.op1('Reshape', [
    g.op1('Transpose', [g.op1('Reshape', [ctx, g.int64([0, c.numHeads, -1, c.headDim])])], { perm: [0, 2, 1, 3] }),
    g.int64([0, 0, qDim]),
  ]);
  const o = linear(g, merged, `layers.${l}.o_proj`, qDim, c.hiddenSize, transposeConcat([ck.tensors.read(`${prefix}.o_proj.weight`)], [c.hiddenSize], qDim), null);
  return { out: o, v };
}

/** down(silu(gate(x)) · up(x)), gate and up fused into one MatMul. */
function swigluMlp(g: GraphBuilder, ck: LlmCheckpoint, l: number, x: string): string {
  const { hiddenSize: hd, intermediateSize: im } = ck.config;
  const prefix = `model.layers.${l}.mlp`;
  const { w } = linearWeights(ck, prefix, ['gate_proj', 'up_proj'], [im, im], hd, false);
  const [gate, up] = g.op('Split', [linear(g, x, `layers.${l}.gate_up_proj`, hd, 2 * im, w, null), g.int64([im, im])], { axis: -1 }, 2);
  const act = g.op1('Mul', [g.op1('Mul', [gate, g.op1('Sigmoid', [gate])]), up]);
  return linear(g, act, `layers.${l}.down_proj`, im, hd, transposeConcat([ck.tensors.read(`${prefix}.down_proj.weight`)], [hd], im), null);
}

function normWeight(g: GraphBuilder, ck: LlmCheckpoint, tensor: string, name: string): string {
  return g.weight(name, [ck.config.hiddenSize], ck.tensors.read(tensor));
}

function decoderLayer(g: GraphBuilder, ck: LlmCheckpoint, l: number, x: string, rope: { cos: string; sin: string }, bias: string) {
  const eps = ck.config.rmsNormEps;
  const h = rmsNorm(g, x, normWeight(g, ck, `model.layers.${l}.input_layernorm.weight`, `layers.${l}.input_layernorm`), eps);
  const attn = attention(g, ck, l, h, rope, bias);
  const mid = g.op1('Add', [x, attn.out]);
  const h2 = rmsNorm(g, mid, normWeight(g, ck, `model.layers.${l}.post_attention_layernorm.weight`, `layers.${l}.post_attention_layernorm`), eps);
  return { out: g.op1('Add', [mid, swigluMlp(g, ck, l, h2)]), v: attn.v };
}

/** Layer L: input RMSNorm then v_proj only. */
function valueProjection(g: GraphBuilder, ck: LlmCheckpoint, l: number, x: string): string {
  const c = ck.config;
  const kvDim = c.numKvHeads * c.headDim;
  const h = rmsNorm(g, x, normWeight(g, ck, `model.layers.${l}.input_layernorm.weight`, `layers.${l}.input_layernorm`), c.rmsNormEps);
  const { w, b } = linearWeights(ck, `model.layers.${l}.self_attn`, ['v_proj'], [kvDim], c.hiddenSize, c.attentionBias);
  return linear(g, h, `layers.${l}.v_proj`, c.hiddenSize, kvDim, w, b);
}

/**
 * Writes the graph to `modelPath` and its weights to `modelPath + '.data'`. Reads one layer's
 * tensors at a time, so peak memory is about the largest tensor (the embeddings), not the model.
 */
export function buildValueGraph(ck: LlmCheckpoint, layer: number, modelPath: string, opts: BuildValueGraphOptions = {}): BuiltValueGraph {
  const c = ck.config;
  checkLayer(c, layer);
  checkTensorShapes(ck, layer);
  if (c.slidingWindow != null && c.slidingWindow < c.maxPositionEmbeddings) {
    opts.logger?.debug(`sliding window ${c.slidingWindow} ignored: full causal attention is identical below that length`);
  }
  const kvDim = c.numKvHeads * c.headDim;
  const dataPath = `${modelPath}.data`;
  const data = new ExternalDataFile(`${dataPath}.tmp`, basename(dataPath));
  const g = new GraphBuilder(data);
  const outputs: OnnxValueInfo[] = [];
  try {
    let x = embedTokens(g, ck);
    const rope = rotaryEmbedding(g, c);
    const bias = attentionBias(g);
    for (let l = 0; l < layer; l++) {
      if (opts.debugOutputs) outputs.push({ name: g.named(x, `hidden_in_${l}`), dims: ['batch', 'tokens', c.hiddenSize] });
      const out = decoderLayer(g, ck, l, x, rope, bias);
      if (opts.debugOutputs) outputs.push({ name: g.named(out.v, `v_proj_${l}`), dims: ['batch', 'tokens', kvDim] });
      x = out.out;
      opts.logger?.debug(`value graph: layer ${l + 1}/${layer + 1}`);
    }
    if (opts.debugOutputs) outputs.push({ name: g.named(x, `hidden_in_${layer}`), dims: ['batch', 'tokens', c.hiddenSize] });
    const values = valueProjection(g, ck, layer, x);
    if (opts.debugOutputs) outputs.push({ name: g.named(values, `v_proj_${layer}`), dims: ['batch', 'tokens', kvDim] });
    g.named(values, 'values');
  } finally { data.close(); }
  const bytes = encodeOnnxModel({
    name: `value_vectors_layer_${layer}`,
    inputs: [{ name: 'input_ids', dims: ['batch', 'tokens'], type: 'int64' }, { name: 'attention_mask', dims: ['batch', 'tokens'], type: 'int64' }],
    outputs: [{ name: 'values', dims: ['batch', 'tokens', kvDim] }, ...outputs],
    initializers: g.consts,
    externalInitializers: g.weights,
    nodes: g.nodes,
    opset: 17,
    metadata: {
      architecture: c.architecture, layer: String(layer), kv_dim: String(kvDim),
      hidden_size: String(c.hiddenSize), format: String(VALUE_GRAPH_FORMAT), weights_dtype: 'float32',
      embedding_dtype: ck.tensors.info('model.embed_tokens.weight').dtype,
    },
  });
  renameSync(`${dataPath}.tmp`, dataPath);
  writeFileSync(modelPath, bytes);
  return { modelBytes: bytes.length, dataBytes: data.size, kvDim };
}
