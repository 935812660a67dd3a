// Fixed (untrained) features of a mention in its sentence, from static word vectors.
// Four L2-normalised blocks of the word-vector dimension d:
//   [0]   mean of the mention's content words
//   [1]   the mention's last word (head word of most English noun phrases)
//   [2]   context: SIF- and distance-weighted mean of the sentence words outside the mention
//   [3]   sentence: SIF-weighted mean of all content words of the sentence (mention included)
// A type query is the bare description as a one-span sentence through the same function
// (its context block is therefore zero).
import type { MentionInput } from '../types.ts';
import type { WordVectors } from './wordVectors.ts';

export const FEATURE_BLOCKS = 4;

/** Small English stopword list (function words that carry no type information). */
export const STOPWORDS = new Set((
  'a an the and or but nor of to in on at by for from with without into onto over under about as is are was were be been being ' +
  'am do does did has have had having this that these those it its it\'s he she they them his her their our we you your i me my ' +
  'mine not no so than then there here which who whom whose what when where why how all any each both either neither some such ' +
  'also very can could will would shall should may might must just only own same too s t de la le du des von van der den da di ' +
  'after before during while since until up down out off again further once other another more most one two'
).split(/\s+/));

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

export interface Token { text: string; start: number; end: number }

/** Simple regex tokeniser: runs of letters/digits (with inner apostrophes). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** Letters that do not decompose into a base letter and a mark. */
const FOLDED_LETTERS: Record<string, string> = {
  ß: 'ss', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ð: 'd', Ð: 'D', þ: 'th', Þ: 'Th', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ı: 'i',
};

/** "kraków" → "krakow", "münster" → "munster", "straße" → "strasse": the spelling most English text uses. */
export function foldDiacritics(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\x00-\x7f]/g, (c) => FOLDED_LETTERS[c] ?? c);
}

/**
 * Spellings to look a lower-case word up by, in order. The vectors' vocabulary was tokenised with
 * "'s" split off and mostly spells names without diacritics, so "merkel's", "mcdonald's",
 * "o'brien", "kraków" and "łódź" have no vector as written: without these fallbacks such words
 * would contribute nothing.
 */
export function spellingsOf(lower: string): string[] {
  const out = [lower];
  const straight = lower.replace(/’/g, "'");
  if (straight.includes("'")) {
    // Possessive "merkel's" → merkel; otherwise "o'brien" → obrien, then the part after it.
    if (/'s$/.test(straight)) out.push(straight.slice(0, -2));
    else out.push(straight.replace(/'/g, ''), straight.slice(straight.lastIndexOf("'") + 1));
  }
  for (const s of [...out]) { const folded = foldDiacritics(s); if (folded !== s) out.push(folded); }
  return out;
}

function normalizeInPlace(v: Float32Array, off: number, n: number): void {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[off + i] * v[off + i];
  if (s <= 1e-20) { for (let i = 0; i < n; i++) v[off + i] = 0; return; }
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < n; i++) v[off + i] *= inv;
}

export class FeatureExtractor {
  readonly wordDim: number;
  readonly dimension: number;
  private readonly rowCache = new Map<string, number>();

  constructor(readonly vectors: WordVectors) {
    this.wordDim = vectors.dimension;
    this.dimension = vectors.dimension * FEATURE_BLOCKS;
  }

  private rowOf(word: string): number {
    let r = this.rowCache.get(word);
    if (r === undefined) {
      r = -1;
      for (const spelling of spellingsOf(word.toLowerCase())) if ((r = this.vectors.indexOf(spelling)) >= 0) break;
      if (this.rowCache.size > 200_000) this.rowCache.clear();
      this.rowCache.set(word, r);
    }
    return r;
  }

  /** Whether every word of `text` has a word vector (so its features are meaningful). */
  knows(text: string): boolean {
    const { words, unknown } = this.words(text);
    return words.length > 0 && unknown.length === 0;
  }

  /** The words of `text`, those of them without a word vector, and each word's frequency rank (its row; −1 if unknown). */
  words(text: string): { words: string[]; unknown: string[]; ranks: number[] } {
    const words = tokenize(text).map((t) => t.text);
    const ranks = words.map((w) => this.rowOf(w));
    return { words, unknown: words.filter((_, i) => ranks[i] < 0), ranks };
  }

  /** SIF-style weight from the frequency rank (rows are in frequency order): rank/(rank+100). */
  private static sif(row: number): number { return (row + 1) / (row + 101); }

  /**
   * The last sentence's tokens, their rows, and its sentence block before normalisation: a
   * sentence's mentions arrive together (encoder batches keep them in order), and each used to
   * tokenise and sum the whole sentence again.
   */
  private sentence: { text: string; toks: Token[]; rows: Int32Array; content: Uint8Array; block: Float32Array } | undefined;

  private sentenceInfo(text: string): NonNullable<FeatureExtractor['sentence']> {
    if (this.sentence?.text === text) return this.sentence;
    const d = this.wordDim;
    const toks = tokenize(text);
    const rows = new Int32Array(toks.length);
    const content = new Uint8Array(toks.length);
    // Summed in token order with float32 rounding, as into the output row: the same values.
    const block = new Float32Array(d);
    for (let i = 0; i < toks.length; i++) {
      const w = toks[i].text.toLowerCase();
      const r = this.rowOf(w);
      rows[i] = r;
      if (r < 0 || STOPWORDS.has(w)) continue;
      content[i] = 1;
      const vec = this.vectors.row(r);
      const ws = FeatureExtractor.sif(r);
      for (let k = 0; k < d; k++) block[k] += ws * vec[k];
    }
    return (this.sentence = { text, toks, rows, content, block });
  }

  /** Writes the feature vector of `m` into `out` at `offset` (dimension floats). */
  extractInto(m: MentionInput, out: Float32Array, offset = 0): void {
    const d = this.wordDim;
    out.fill(0, offset, offset + this.dimension);
    const { toks, rows, content, block } = this.sentenceInfo(m.sentence);
    const mOff = offset, hOff = offset + d, cOff = offset + 2 * d, sOff = offset + 3 * d;
    // Mention token index range.
    let first = -1, last = -1;
    for (let i = 0; i < toks.length; i++) {
      if (toks[i].end > m.start && toks[i].start < m.end) { if (first < 0) first = i; last = i; }
    }
    let mentionContent = 0;
    let lastRow = -1;
    if (first >= 0) {
      for (let i = first; i <= last; i++) {
        const r = rows[i];
        if (r < 0) continue;
        lastRow = r;
        if (!content[i]) continue;
        const vec = this.vectors.row(r);
        for (let k = 0; k < d; k++) out[mOff + k] += vec[k];
        mentionContent++;
      }
      if (mentionContent === 0) {
        // All stopwords (or OOV): fall back to every in-vocabulary word.
        for (let i = first; i <= last; i++) {
          const r = rows[i];
          if (r < 0) continue;
          const vec = this.vectors.row(r);
          for (let k = 0; k < d; k++) out[mOff + k] += vec[k];
        }
      }
      if (lastRow >= 0) {
        const vec = this.vectors.row(lastRow);
        for (let k = 0; k < d; k++) out[hOff + k] = vec[k];
      }
    }
    out.set(block, sOff);
    for (let i = 0; i < toks.length; i++) {
      if (!content[i] || (first >= 0 && i >= first && i <= last)) continue;
      const r = rows[i];
      const vec = this.vectors.row(r);
      const dist = first < 0 ? 1 : i < first ? first - i : i - last;
      const wc = FeatureExtractor.sif(r) / Math.sqrt(dist);
      for (let k = 0; k < d; k++) out[cOff + k] += wc * vec[k];
    }
    for (let b = 0; b < FEATURE_BLOCKS; b++) normalizeInPlace(out, offset + b * d, d);
  }

  extract(m: MentionInput): Float32Array {
    const out = new Float32Array(this.dimension);
    this.extractInto(m, out, 0);
    return out;
  }

  /** Features of many mentions, row-major (count × dimension). */
  extractBatch(mentions: MentionInput[]): Float32Array {
    const out = new Float32Array(mentions.length * this.dimension);
    for (let i = 0; i < mentions.length; i++) this.extractInto(mentions[i], out, i * this.dimension);
    return out;
  }

  /** The query input for a description: the whole text as one span. */
  static queryInput(description: string): MentionInput {
    return { sentence: description, start: 0, end: description.length };
  }
}

