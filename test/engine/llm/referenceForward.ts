// Independent float64 forward pass of a Hugging Face Llama/Qwen2 decoder, written only for the
// tests from the transformers definitions (LlamaModel, Qwen2Model, _compute_llama3_parameters).
// Naive loops on purpose: it shares nothing with the graph builder except the tensor reader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSafetensors } from '../../../server/src/engine/llm/safetensors.ts';

export interface ReferenceActivations {
  /** hiddenIn[l][t][i]: residual stream entering layer l. */
  hiddenIn: number[][][];
  /** vProj[l][t][j]: output of layers[l].self_attn.v_proj. */
  vProj: number[][][];
}

type Cfg = Record<string, any>;

function inverseFrequencies(cfg: Cfg, headDim: number, ignoreScaling: boolean): number[] {
  const base = cfg.rope_theta ?? 10000;
  const inv: number[] = [];
  for (let i = 0; i < headDim; i += 2) inv.push(1 / Math.pow(base, i / headDim));
  const rs = cfg.rope_scaling;
  if (ignoreScaling || !rs || (rs.rope_type ?? rs.type) !== 'llama3') return inv;
  const oldCtx = rs.original_max_position_embeddings;
  const lowWavelen = oldCtx / rs.low_freq_factor;
  const highWavelen = oldCtx / rs.high_freq_factor;
  return inv.map((f) => {
    const wavelen = 2 * Math.PI / f;
    if (wavelen < highWavelen) return f; // high frequency: kept
    if (wavelen > lowWavelen) return f / rs.factor; // low frequency: scaled
    const smooth = (oldCtx / wavelen - rs.low_freq_factor) / (rs.high_freq_factor - rs.low_freq_factor);
    return (1 - smooth) * f / rs.factor + smooth * f;
  });
}

/** y[o] = Σ_i W[o][i]·x[i] (+ b[o]); W row-major [out, in] as stored by HF. */
function matvec(w: Float32Array, b: Float32Array | null, x: number[], out: number): number[] {
  const inDim = x.length;
  const y = new Array<number>(out).fill(0);
  for (let o = 0; o < out; o++) {
    let s = b ? b[o] : 0;
    for (let i = 0; i < inDim; i++) s += w[o * inDim + i] * x[i];
    y[o] = s;
  }
  return y;
}

function rmsNorm(x: number[], w: Float32Array, eps: number): number[] {
  let ss = 0;
  for (const v of x) ss += v * v;
  const r = 1 / Math.sqrt(ss / x.length + eps);
  return x.map((v, i) => w[i] * v * r);
}

function rope(x: number[], pos: number, inv: number[]): number[] {
  const d = x.length, half = d / 2;
  const out = new Array<number>(d);
  for (let i = 0; i < d; i++) {
    const angle = pos * inv[i % half];
    const rotated = i < half ? -x[i + half] : x[i - half];
    out[i] = x[i] * Math.cos(angle) + rotated * Math.sin(angle);
  }
  return out;
}

/** Runs layers 0..upToLayer-1 fully and layer upToLayer up to v_proj, positions 0..T-1. */
export function referenceForward(dir: string, ids: number[], upToLayer: number, opts: { ignoreRopeScaling?: boolean } = {}): ReferenceActivations {
  const cfg: Cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  const w = openSafetensors(dir);
  const cache = new Map<string, Float32Array>();
  const get = (n: string) => { if (!cache.has(n)) cache.set(n, w.read(n)); return cache.get(n)!; };
  const opt = (n: string) => (w.has(n) ? get(n) : null);
  const H = cfg.hidden_size, nH = cfg.num_attention_heads, nKv = cfg.num_key_value_heads ?? nH;
  const d = cfg.head_dim ?? H / nH, I = cfg.intermediate_size, eps = cfg.rms_norm_eps;
  const inv = inverseFrequencies(cfg, d, opts.ignoreRopeScaling ?? false);
  const emb = get('model.embed_tokens.weight');
  let x: number[][] = ids.map((id) => Array.from(emb.subarray(id * H, (id + 1) * H)));
  const T = ids.length;
  const acts: ReferenceActivations = { hiddenIn: [], vProj: [] };
  for (let l = 0; l <= upToLayer; l++) {
    const p = `model.layers.${l}`;
    acts.hiddenIn.push(x.map((r) => [...r]));
    const h = x.map((r) => rmsNorm(r, get(`${p}.input_layernorm.weight`), eps));
    const wv = get(`${p}.self_attn.v_proj.weight`), bv = opt(`${p}.self_attn.v_proj.bias`);
    const v = h.map((r) => matvec(wv, bv, r, nKv * d));
    acts.vProj.push(v);
    if (l === upToLayer) break;
    const wq = get(`${p}.self_attn.q_proj.weight`), bq = opt(`${p}.self_attn.q_proj.bias`);
    const wk = get(`${p}.self_attn.k_proj.weight`), bk = opt(`${p}.self_attn.k_proj.bias`);
    const q = h.map((r) => matvec(wq, bq, r, nH * d));
    const k = h.map((r) => matvec(wk, bk, r, nKv * d));
    const ctx: number[][] = Array.from({ length: T }, () => new Array<number>(nH * d).fill(0));
    for (let head = 0; head < nH; head++) {
      const kvHead = Math.floor(head / (nH / nKv)); // repeat_kv
      for (let t = 0; t < T; t++) {
        const qt = rope(q[t].slice(head * d, (head + 1) * d), t, inv);
        const scores: number[] = [];
        for (let s = 0; s <= t; s++) { // causal
          const ks = rope(k[s].slice(kvHead * d, (kvHead + 1) * d), s, inv);
          let dot = 0;
          for (let i = 0; i < d; i++) dot += qt[i] * ks[i];
          scores.push(dot / Math.sqrt(d));
        }
        const m = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - m));
        const z = e.reduce((a, b) => a + b, 0);
        for (let s = 0; s <= t; s++) for (let i = 0; i < d; i++) ctx[t][head * d + i] += (e[s] / z) * v[s][kvHead * d + i];
      }
    }
    const wo = get(`${p}.self_attn.o_proj.weight`);
    x = x.map((r, t) => { const o = matvec(wo, null, ctx[t], H); return r.map((v0, i) => v0 + o[i]); });
    const wg = get(`${p}.mlp.gate_proj.weight`), wu = get(`${p}.mlp.up_proj.weight`), wd = get(`${p}.mlp.down_proj.weight`);
    x = x.map((r) => {
      const h2 = rmsNorm(r, get(`${p}.post_attention_layernorm.weight`), eps);
      const g = matvec(wg, null, h2, I), u = matvec(wu, null, h2, I);
      const a = g.map((gi, i) => (gi / (1 + Math.exp(-gi))) * u[i]);
      const down = matvec(wd, null, a, H);
      return r.map((v0, i) => v0 + down[i]);
    });
  }
  return acts;
}
