// Retrieval evaluation (paper arXiv 2509.04011, R-Precision): every sentence is a document;
// for a type query the relevant documents are the sentences with ≥1 gold mention of that type
// (R = their count); documents rank by their best-scoring gold mention; R-Precision is the
// fraction of the top R that are relevant; the figure reported is the macro mean over types.
import { withNestedNames } from '../detect/nestedNames.ts';
import type { MentionEncoder, MentionInput, SpanDetector } from '../types.ts';
import type { LabelledSentence } from './conll.ts';
import { STOPWORDS, foldDiacritics, tokenize } from '../encode/features.ts';
import type { WordVectors } from '../encode/wordVectors.ts';
import { mulberry32, shuffleInPlace } from '../random.ts';
import { detectPlainText } from '../indexer.ts';
import { boostedScore } from '../query/typeMembership.ts';
import { readQuery } from '../query/search.ts';
import { normalizeDescription, spelledOutTag } from '../query/description.ts';

export { mulberry32 };

/**
 * One fixed natural-language description per MultiCoNER II label, written up front and never
 * tuned to the metric.
 */
export const MULTICONER_DESCRIPTIONS: Readonly<Record<string, string>> = {
  Artist: 'artist',
  HumanSettlement: 'city or town',
  OtherPER: 'person',
  ORG: 'organization',
  Athlete: 'athlete',
  VisualWork: 'film or television show',
  WrittenWork: 'book',
  Facility: 'building or facility',
  Politician: 'politician',
  MusicalWork: 'song or album',
  MusicalGRP: 'band',
  SportsGRP: 'sports team',
  OtherPROD: 'product',
  Software: 'software',
  PublicCorp: 'public company',
  Vehicle: 'vehicle',
  AnatomicalStructure: 'body part',
  SportsManager: 'sports coach or manager',
  OtherLOC: 'location',
  MedicalProcedure: 'medical procedure',
  CarManufacturer: 'car manufacturer',
  ArtWork: 'painting or sculpture',
  Clothing: 'clothing',
  PrivateCorp: 'private company',
};

/** WNUT-17 labels (never trained on). */
export const WNUT17_DESCRIPTIONS: Readonly<Record<string, string>> = {
  person: 'person',
  location: 'location',
  corporation: 'company',
  product: 'product',
  'creative-work': 'creative work',
  group: 'group',
};

/**
 * Default query text for a type label: the fixed tables above, else the label read as a query is
 * (query/description.ts: "CarManufacturer" → "car manufacturer", "PER" → "person"), lower-cased
 * and with hyphens as spaces ("creative-work" → "creative work").
 */
export function descriptionFor(type: string): string {
  const own = (table: Readonly<Record<string, string>>, key: string) => (Object.hasOwn(table, key) ? table[key] : undefined);
  const known = own(MULTICONER_DESCRIPTIONS, type) ?? own(WNUT17_DESCRIPTIONS, type) ?? spelledOutTag(type.toUpperCase());
  if (known !== undefined) return known;
  return normalizeDescription(type.replace(/-+/g, ' ')).toLowerCase();
}

export interface RetrievalResult { perType: Record<string, number>; macro: number }

/**
 * R-Precision of one ranking: `scores[i]` is document i's score (higher = better),
 * `relevant[i]` its relevance. Ties are broken by document order (deterministic).
 * Returns NaN when no document is relevant.
 */
export function rPrecision(scores: ArrayLike<number>, relevant: ArrayLike<boolean>): number {
  const n = scores.length;
  let R = 0;
  for (let i = 0; i < n; i++) if (relevant[i]) R++;
  if (R === 0) return NaN;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    const sa = scores[a], sb = scores[b];
    if (sa === sb) return a - b;
    if (Number.isNaN(sa)) return 1;
    if (Number.isNaN(sb)) return -1;
    return sb - sa;
  });
  let hit = 0;
  for (let k = 0; k < R; k++) if (relevant[order[k]]) hit++;
  return hit / R;
}

/** Types with ≥1 gold mention in the sentences and a description. */
export function typesPresent(sentences: LabelledSentence[], descriptions: Record<string, string>): string[] {
  const seen = new Set<string>();
  for (const s of sentences) for (const sp of s.spans) if (Object.hasOwn(descriptions, sp.type)) seen.add(sp.type);
  return [...seen].sort();
}

/** A sentence-level scorer for a type: one score per sentence. */
export type SentenceScorer = (type: string, description: string) => Promise<ArrayLike<number>> | ArrayLike<number>;

/** Macro R-Precision of any sentence scorer. */
export async function evaluateScorer(
  sentences: LabelledSentence[], scorer: SentenceScorer, descriptions: Record<string, string>, types?: string[],
): Promise<RetrievalResult> {
  const list = types ?? typesPresent(sentences, descriptions);
  const perType: Array<[string, number]> = [];
  let sum = 0, n = 0;
  for (const t of list) {
    // Own keys only: a type named "constructor" has no description of Object's.
    const desc = Object.hasOwn(descriptions, t) ? descriptions[t] : undefined;
    if (desc === undefined) throw new Error(`no description for type ${t}`);
    const relevant = sentences.map((s) => s.spans.some((sp) => sp.type === t));
    const rp = rPrecision(await scorer(t, desc), relevant);
    if (Number.isNaN(rp)) continue;
    perType.push([t, rp]);
    sum += rp; n++;
  }
  // fromEntries defines "__proto__" as a key like any other.
  return { perType: Object.fromEntries(perType), macro: n ? sum / n : NaN };
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Scorer: a sentence's score is the max cosine of the query to its gold mentions (the paper's
 * protocol), or, given `mentionsOf`, to the mentions that returns (a detector's: end to end),
 * with the encoder's type-membership boost where it has one, as search applies it. A sentence
 * without mentions ranks last.
 */
export async function mentionScorer(
  sentences: LabelledSentence[], encoder: MentionEncoder,
  mentionsOf: (s: LabelledSentence) => readonly MentionInput[] = (s) => s.spans.map((sp) => ({ sentence: s.text, start: sp.start, end: sp.end })),
): Promise<SentenceScorer> {
  const inputs: MentionInput[] = [];
  const owner: number[] = [];
  sentences.forEach((s, i) => { for (const m of mentionsOf(s)) { inputs.push(m); owner.push(i); } });
  const vecs = await encoder.encodeMentions(inputs);
  return async (_type, written) => {
    // As search reads a query (query/description.ts): "CarManufacturer" is "car manufacturer".
    const description = readQuery(written, encoder);
    const q = await encoder.encodeQuery(description);
    const membership = encoder.typeMembership?.(description);
    const scores = new Float64Array(sentences.length).fill(-Infinity);
    for (let j = 0; j < vecs.length; j++) {
      const m = inputs[j];
      const c = boostedScore(dot(q, vecs[j]), membership, m.sentence.slice(m.start, m.end));
      if (c > scores[owner[j]]) scores[owner[j]] = c;
    }
    return scores;
  };
}

/**
 * The mentions `index` would store for a labelled sentence's text, as encoder inputs: the text is
 * split into sentences and detected paragraph by paragraph, a maker's name inside a product's added
 * (nestedNames.ts), and each mention is encoded in its own sentence, as the indexer does.
 */
export function detectedMentions(detector: SpanDetector, text: string): MentionInput[] {
  return detectPlainText(detector, text).flatMap(({ sentence, spans }) => withNestedNames(sentence.text, spans).map((sp) => ({ sentence: sentence.text, start: sp.start, end: sp.end })));
}

/**
 * Macro R-Precision of a mention encoder over gold spans, or end to end over the mentions a
 * detector finds as `index` would (relevance stays the gold one: a sentence with a gold mention
 * of the type).
 */
export async function evaluateRetrieval(
  sentences: LabelledSentence[], encoder: MentionEncoder, descriptions: Record<string, string>, types?: string[], detector?: SpanDetector,
): Promise<RetrievalResult> {
  const scorer = await mentionScorer(sentences, encoder, detector ? (s) => detectedMentions(detector, s.text) : undefined);
  return evaluateScorer(sentences, scorer, descriptions, types);
}

// ---- Baselines -------------------------------------------------------------------------

const words = (text: string) => tokenize(text).map((t) => t.text.toLowerCase());

/** BM25 (k1 = 1.2, b = 0.75) of the description's words against each sentence's text. */
export function bm25Scorer(sentences: LabelledSentence[], k1 = 1.2, b = 0.75): SentenceScorer {
  const docs = sentences.map((s) => {
    const tf = new Map<string, number>();
    const ws = words(s.text);
    for (const w of ws) tf.set(w, (tf.get(w) ?? 0) + 1);
    return { tf, len: ws.length };
  });
  const df = new Map<string, number>();
  for (const d of docs) for (const w of d.tf.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const N = docs.length;
  const avg = docs.reduce((a, d) => a + d.len, 0) / Math.max(1, N);
  return (_type, description) => {
    const q = [...new Set(words(description).filter((w) => !STOPWORDS.has(w)))];
    return docs.map((d) => {
      let s = 0;
      for (const w of q) {
        const f = d.tf.get(w);
        if (!f) continue;
        const n = df.get(w) ?? 0;
        const idf = Math.log(1 + (N - n + 0.5) / (n + 0.5));
        s += idf * (f * (k1 + 1)) / (f + k1 * (1 - b + (b * d.len) / avg));
      }
      return s;
    });
  };
}

function meanVector(vectors: WordVectors, text: string): Float32Array {
  const v = new Float32Array(vectors.dimension);
  for (const w of words(text)) {
    if (STOPWORDS.has(w)) continue;
    // Same lookup as the encoder's features: diacritics folded when the word has no vector.
    const r = vectors.get(w) ?? vectors.get(foldDiacritics(w));
    if (r) for (let k = 0; k < v.length; k++) v[k] += r[k];
  }
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  if (s > 0) { const inv = 1 / Math.sqrt(s); for (let k = 0; k < v.length; k++) v[k] *= inv; }
  return v;
}

/** Cosine of the description's mean word vector to the sentence's mean word vector. */
export function sentenceMeanScorer(sentences: LabelledSentence[], vectors: WordVectors): SentenceScorer {
  const means = sentences.map((s) => meanVector(vectors, s.text));
  return (_type, description) => {
    const q = meanVector(vectors, description);
    return means.map((m) => dot(q, m));
  };
}

/**
 * The baselines, by the same protocol: BM25 of the description against the sentence text,
 * sentence-mean word vectors, untrained mention+context features (no head), random.
 */
export async function evaluateBaselines(
  sentences: LabelledSentence[], descriptions: Record<string, string>, types: string[] | undefined, vectors: WordVectors,
): Promise<Record<string, RetrievalResult>> {
  const { FeatureExtractor } = await import('../encode/features.ts');
  const { RawFeatureEncoder } = await import('../encode/staticEncoder.ts');
  const raw = new RawFeatureEncoder(new FeatureExtractor(vectors));
  // The baselines read a description as search does, with the same word vectors' vocabulary
  // ("CarManufacturer" and "carmanufacturer" are "car manufacturer"), as mentionScorer does for the encoders.
  const read = (scorer: SentenceScorer): SentenceScorer => (type, description) => scorer(type, readQuery(description, raw));
  return {
    'BM25': await evaluateScorer(sentences, read(bm25Scorer(sentences)), descriptions, types),
    'sentence-mean vectors': await evaluateScorer(sentences, read(sentenceMeanScorer(sentences, vectors)), descriptions, types),
    'raw mention+context': await evaluateRetrieval(sentences, raw, descriptions, types),
    'random': await evaluateScorer(sentences, randomScorer(sentences, 7), descriptions, types),
  };
}

/** Seeded random scores (mulberry32). */
export function randomScorer(sentences: LabelledSentence[], seed = 1): SentenceScorer {
  return (type) => {
    let h = seed >>> 0;
    for (let i = 0; i < type.length; i++) h = Math.imul(h ^ type.charCodeAt(i), 2654435761) >>> 0;
    const rnd = mulberry32(h);
    return sentences.map(() => rnd());
  };
}


/** Seeded draw of `count` held-out types (Fisher–Yates on the sorted list). */
export function drawHeldOutTypes(types: string[], count: number, seed: number): string[] {
  const list = [...types].sort();
  const rnd = mulberry32(seed);
  shuffleInPlace(list, rnd);
  return list.slice(0, count).sort();
}
