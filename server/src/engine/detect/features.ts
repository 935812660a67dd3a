// Per-token features of the BIO span tagger, shared by training and inference so both see
// exactly the same inputs.
import type { WordVectors } from '../encode/wordVectors.ts';
import type { Token } from './tokenize.ts';

/** Number of surface features (depend only on the token's text and the vocabulary). */
export const SURFACE_FEATURES = 17;
/** Index of the out-of-vocabulary flag and of the frequency-rank feature (word dropout sets them). */
export const F_OOV = 7;
export const F_RANK = 8;
/** Number of sentence-context features (depend on the token's place in its sentence). */
export const GLOBAL_FEATURES = 4;

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{N}/u;
const QUOTE_BRACKET = new Set(['"', "'", '“', '”', '‘', '’', '(', ')', '[', ']', '«', '»', '`']);
const SENTENCE_END = new Set(['.', '!', '?', ':', ';', '…', '"', '“', '”', '(', '-', '–', '—', '|', '#', '@']);

export interface SurfaceInfo {
  /** Word-vector row of the lower-cased token, or -1. */
  row: number;
  /** SURFACE_FEATURES values. */
  feats: Float32Array;
}

/** Surface features of one token (see SURFACE_FEATURES). */
export function surfaceFeatures(text: string, vectors: WordVectors): SurfaceInfo {
  const f = new Float32Array(SURFACE_FEATURES);
  const lower = text.toLowerCase();
  const row = vectors.indexOf(lower);
  const hasUpper = UPPER.test(text);
  const hasLower = LOWER.test(text);
  const hasLetter = LETTER.test(text);
  const hasDigit = DIGIT.test(text);
  const first = String.fromCodePoint(text.codePointAt(0) ?? 32);
  const firstUpper = UPPER.test(first);
  let letters = 0;
  for (const ch of text) if (LETTER.test(ch)) letters++;
  const allCaps = hasUpper && !hasLower && letters >= 2;
  f[0] = firstUpper && !allCaps ? 1 : 0;
  f[1] = allCaps ? 1 : 0;
  f[2] = hasLetter && !hasUpper ? 1 : 0;
  f[3] = hasLower && UPPER.test(text.slice(first.length)) ? 1 : 0;
  f[4] = hasDigit ? 1 : 0;
  f[5] = hasDigit && !hasLetter ? 1 : 0;
  f[6] = !hasLetter && !hasDigit ? 1 : 0;
  f[F_OOV] = row < 0 ? 1 : 0;
  f[F_RANK] = row < 0 ? 1 : Math.log1p(row) / Math.log1p(vectors.size);
  f[9] = text.length === 1 ? 1 : 0;
  f[10] = text.length <= 3 ? 1 : 0;
  f[11] = text.length >= 8 ? 1 : 0;
  f[12] = letters === 1 && firstUpper ? 1 : 0;
  f[13] = hasLetter && text.includes('.') ? 1 : 0;
  f[14] = /['’]/.test(text) ? 1 : 0;
  f[15] = QUOTE_BRACKET.has(text) ? 1 : 0;
  f[16] = text === '#' || text === '@' ? 1 : 0;
  return { row, feats: f };
}

const HAS_UPPER = 1, HAS_LETTER = 2, FIRST_UPPER = 4;

/** Case flags of a token, with a fast path for ASCII. */
function caseFlags(text: string): number {
  let flags = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) {
      // Non-ASCII: fall back to Unicode regexes for the whole token.
      const first = String.fromCodePoint(text.codePointAt(0) ?? 32);
      return (UPPER.test(text) ? HAS_UPPER : 0) | (LETTER.test(text) ? HAS_LETTER : 0) | (UPPER.test(first) ? FIRST_UPPER : 0);
    }
    if (c >= 65 && c <= 90) { flags |= HAS_UPPER | HAS_LETTER; if (i === 0) flags |= FIRST_UPPER; }
    else if (c >= 97 && c <= 122) flags |= HAS_LETTER;
  }
  return flags;
}

/** Sentence-context features for every token: GLOBAL_FEATURES values per token, flattened (into `g`, which it fills, where given). */
export function globalFeatures(tokens: Token[], g = new Float32Array(tokens.length * GLOBAL_FEATURES)): Float32Array {
  const n = tokens.length;
  let anyUpper = false;
  let alpha = 0;
  let capital = 0;
  for (let i = 0; i < n; i++) {
    const f = caseFlags(tokens[i].text);
    if (f & HAS_UPPER) anyUpper = true;
    if (f & HAS_LETTER) { alpha++; if (f & FIRST_UPPER) capital++; }
  }
  const titleLike = alpha >= 4 && capital / alpha >= 0.6 ? 1 : 0;
  for (let i = 0; i < n; i++) {
    g[i * GLOBAL_FEATURES] = i === 0 ? 1 : 0;
    g[i * GLOBAL_FEATURES + 1] = i === 0 || SENTENCE_END.has(tokens[i - 1].text) ? 1 : 0;
    g[i * GLOBAL_FEATURES + 2] = anyUpper ? 0 : 1;
    g[i * GLOBAL_FEATURES + 3] = titleLike;
  }
  return g;
}
