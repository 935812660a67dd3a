// Query stage: embed the type description the same way as a mention and ask the index for its
// nearest mentions. Results are mentions sorted by descending score: the cosine, raised for
// mentions WordNet knows as members of the type where the encoder has that test (typeMembership.ts).
import type { MentionStore } from '../index/store.ts';
import type { MentionEncoder, Range, TypeMembership } from '../types.ts';
import { boostedScore } from './typeMembership.ts';
import { STOPWORDS } from '../encode/features.ts';
import { normalizeDescription } from './description.ts';
import { dot } from '../vectorMath.ts';

export interface SearchHit {
  query: string;
  score: number;
  text: string;
  path: string;
  docId?: string;
  range: Range;
  /** UTF-16 offsets of the mention in its document's text. */
  start: number;
  end: number;
  label: number;
}

export interface SearchOptions {
  limit?: number;
  /** HNSW search breadth (at least `limit`); default: grows with the index (VectorIndex.defaultEf). */
  ef?: number;
  /** Drop hits below this cosine score. */
  minScore?: number;
  /** Only hits in these documents (paths); the index is over-fetched to fill the limit. */
  scope?: (path: string) => boolean;
  /** The query's type-membership test (encoder.typeMembership): members' scores are raised. */
  membership?: TypeMembership;
  /** With `membership`: how many nearest mentions by cosine are re-scored (default: see searchByVector). */
  membershipPool?: number;
}

export const DEFAULT_SEARCH_LIMIT = 20;

/**
 * How many nearest mentions by cosine the type-membership boost re-ranks. Larger pools agree
 * more with boosting every mention but cost per candidate (a mention lookup and a WordNet test):
 * at 1M mentions, 512 / 1024 / 4096 gave recall@10 0.92 / 0.94 / 0.97 and search p95 11 / 14 / 38 ms.
 */
export const MEMBERSHIP_POOL = 1024;

/** The longest type query searched (longer ones are a QueryError). */
export const MAX_QUERY_WORDS = 30;
export const MAX_QUERY_CHARS = 240;

/** A type query that cannot be searched (empty, no words, or no word the encoder knows). */
export class QueryError extends Error {
  constructor(message: string) { super(message); this.name = 'QueryError'; }
}

/** The description a query is read as (query/description.ts), with the encoder's vocabulary where it has one. */
export function readQuery(query: string, encoder: MentionEncoder): string {
  const words = encoder.queryWords?.bind(encoder);
  if (!words) return normalizeDescription(query);
  return normalizeDescription(query, {
    isKnown: (word) => words(word).unknown.length === 0,
    rank: (word) => { const { ranks } = words(word); return ranks?.length === 1 ? ranks[0] : -1; },
  });
}

/** The description a query was read as, where reading changed more than its spacing ("CarManufacturer" → "car manufacturer"); else undefined. */
export function readDifferently(query: string, description: string): string | undefined {
  return description !== query.trim().replace(/\s+/g, ' ') ? description : undefined;
}

/**
 * Checks that a type query can be searched and returns the description it is embedded as (trimmed;
 * identifier-style labels and NER tag abbreviations read as words: query/description.ts) and the
 * words the encoder ignores. A description of unknown words alone would embed as an arbitrary
 * vector and rank mentions by nothing the user wrote, so it is refused instead.
 */
export function checkQuery(query: string, encoder: MentionEncoder): { description: string; unknown: string[] } {
  // A type is a short phrase; the WordNet reading of a description tries its word runs against
  // each other, so a pasted paragraph would stall a server that answers as the user types.
  const trimmed = query.trim();
  const words = trimmed ? trimmed.split(/\s+/).length : 0;
  if (trimmed.length > MAX_QUERY_CHARS || words > MAX_QUERY_WORDS) {
    throw new QueryError(`The type query is too long (${words} words, ${trimmed.length} characters): describe an entity type in at most ${MAX_QUERY_WORDS} words and ${MAX_QUERY_CHARS} characters, e.g. "European river".`);
  }
  const description = readQuery(query, encoder);
  if (!description) throw new QueryError('The type query is empty: describe an entity type, e.g. "European river".');
  const check = encoder.queryWords?.(description);
  if (!check) return { description, unknown: [] };
  // Quoted as JSON: a control character pasted into a query is shown escaped, not sent to the terminal.
  const quoted = JSON.stringify(description);
  if (!check.words.length) throw new QueryError(`${quoted} has no words: describe an entity type in words, e.g. "European river".`);
  if (check.unknown.length === check.words.length) {
    throw new QueryError(`No word of ${quoted} is in the built-in encoder's English vocabulary, so there is nothing to search for: try other words, e.g. "European river".`);
  }
  // "the", "of the", "it": the embedding of function words alone says nothing about a type, and
  // would still rank every mention.
  if (check.words.every((w) => check.unknown.includes(w) || STOPWORDS.has(w.toLowerCase()))) {
    throw new QueryError(`${quoted} has only function words, so there is nothing to search for: name an entity type, e.g. "European river".`);
  }
  return { description, unknown: check.unknown };
}

export async function searchMentions(
  query: string,
  encoder: MentionEncoder,
  store: MentionStore,
  options: SearchOptions = {},
): Promise<SearchHit[]> {
  const { description } = checkQuery(query, encoder);
  const vector = await encoder.encodeQuery(description);
  return searchByVector(query, vector, store, { membership: encoder.typeMembership?.(description), ...options });
}

export function searchByVector(query: string, vector: Float32Array, store: MentionStore, options: SearchOptions = {}): SearchHit[] {
  const limit = Math.max(1, options.limit ?? DEFAULT_SEARCH_LIMIT);
  const total = store.mentionCount;
  if (total === 0) return [];
  // The membership boost re-ranks the MEMBERSHIP_POOL (or twice `limit`) nearest mentions by
  // cosine: a member from below the top `limit` can rise into it, members further down are not
  // looked at. Exact for stores up to the pool's size; at 1M mentions the top 10 agree with an
  // exhaustive boosted ranking at recall 0.94 (docs/benchmarks.md, "Seventeenth session").
  const pool = options.membership ? Math.max(2 * limit, options.membershipPool ?? MEMBERSHIP_POOL) : limit;
  const rank = (candidates: Iterable<{ label: number; score: number }>): SearchHit[] => {
    const hits: SearchHit[] = [];
    for (const { label, score: cosine } of candidates) {
      const found = store.mention(label);
      if (!found) continue;
      const { document, mention } = found;
      const score = boostedScore(cosine, options.membership, mention.text);
      if (options.minScore !== undefined && score < options.minScore) continue;
      if (options.scope && !options.scope(document.path)) continue;
      hits.push({
        query, score, text: mention.text,
        path: document.docId !== undefined ? document.path.slice(0, document.path.length - document.docId.length - 1) : document.path,
        docId: document.docId, range: mention.range, start: mention.start, end: mention.end, label,
      });
    }
    hits.sort((a, b) => b.score - a.score);
    return withoutOverlaps(hits, (h) => `${h.path}\0${h.docId ?? ''}`);
  };
  if (options.scope) {
    // A scope of few mentions (a file, a folder of notes) is scored exactly, every mention of it:
    // through the graph, a scope that holds a small share of the store would take ever wider
    // searches (up to all of it) to fill the limit.
    const scoped = scopedMentions(store, options.scope, SCOPE_SCAN_MAX);
    if (scoped) return exactly(scoped);
  }
  // A scope filter can reject many neighbours: widen the candidate pool until the limit is met.
  let k = Math.min(total, options.scope ? Math.max(pool, limit * 4) : pool);
  for (;;) {
    // No ef given: the index picks one for its size (VectorIndex.defaultEf).
    const hits = rank(store.search(vector, k, options.ef === undefined ? undefined : Math.max(options.ef, k)));
    if (hits.length >= limit) return hits.slice(0, limit);
    // Every mention was asked for and the limit is still not met: the filters, or a few nodes the
    // graph cannot reach (an HNSW graph of M 8 leaves about one in a thousand so). A search for
    // them all costs what scoring them all does, so score them exactly and miss none.
    if (k >= total) return exactly(scopedMentions(store, options.scope ?? (() => true), Infinity)!);
    k = Math.min(total, k * 4);
  }

  /** Every one of these mentions scored; as through the graph, the boost re-ranks the `pool` best by cosine (pool ≥ limit). */
  function exactly(labels: number[]): SearchHit[] {
    const scored: Array<{ label: number; score: number }> = [];
    for (const label of labels) {
      const v = store.vector(label);
      if (v) scored.push({ label, score: dot(vector, v) });
    }
    scored.sort((a, b) => b.score - a.score);
    return rank(scored.slice(0, pool)).slice(0, limit);
  }
}

/**
 * Items (best first) without those that a better item of the same document (`documentOf`)
 * overlaps: a product's name and the maker's name inside it ("Canon R7", "Canon";
 * nestedNames.ts) are one place in the text, listed once, by the reading that fits the query better.
 */
export function withoutOverlaps<T extends { start: number; end: number }>(items: readonly T[], documentOf: (item: T) => string = () => ''): T[] {
  const kept: T[] = [];
  const byDocument = new Map<string, T[]>();
  for (const item of items) {
    const key = documentOf(item);
    const same = byDocument.get(key);
    if (same?.some((k) => k.start < item.end && item.start < k.end)) continue;
    if (same) same.push(item); else byDocument.set(key, [item]);
    kept.push(item);
  }
  return kept;
}

/**
 * The mentions (of one document, in text order, an enclosing one before those inside it) that no
 * other encloses: what the editor labels and lists by name ("Canon R7", not the "Canon" inside it).
 */
export function outermost<T extends { start: number; end: number }>(mentions: readonly T[]): T[] {
  const out: T[] = [];
  let reach = -1; // the furthest end of the mentions before: one that ends by then lies inside one of them
  for (const m of mentions) {
    if (m.end <= reach) continue;
    out.push(m);
    reach = m.end;
  }
  return out;
}

/** A scope with at most this many mentions is searched exactly (≈ 5 ms at 66 dimensions). */
export const SCOPE_SCAN_MAX = 50_000;

/** The labels of the mentions in a scope's documents, or undefined when there are more than `max`. */
function scopedMentions(store: MentionStore, scope: (path: string) => boolean, max: number): number[] | undefined {
  const labels: number[] = [];
  for (const document of store.documents()) {
    if (!scope(document.path)) continue;
    for (const p of document.paragraphs) for (const m of p.mentions) labels.push(m.label);
    if (labels.length > max) return undefined;
  }
  return labels;
}

/** The mentions of one name among a query's hits (`groupByName`). */
export interface NameHit {
  /** The name as its best mention writes it. */
  text: string;
  /** Its best mention's score. */
  score: number;
  /** Its mentions among the hits grouped, and the documents they are in. */
  mentions: number;
  documents: number;
  best: SearchHit;
}

/** How many of a query's best mentions `searchNames` groups at first, and at most. */
export const NAMES_POOL = 1000;
export const MAX_NAMES_POOL = 64_000;

/**
 * The `limit` best names among a query's best mentions (`groupByName`), `search(k)` giving the k
 * best: the pool of mentions grows fourfold until it holds `limit` names, or holds every mention,
 * or reaches MAX_NAMES_POOL (a name mentioned on every page can fill the first thousand alone).
 */
export async function namesAmong(search: (k: number) => Promise<SearchHit[]> | SearchHit[], limit: number): Promise<{ names: NameHit[]; pool: number }> {
  let pool = Math.max(NAMES_POOL, limit);
  for (;;) {
    const hits = await search(pool);
    const names = groupByName(hits);
    if (names.length >= limit || hits.length < pool || pool >= MAX_NAMES_POOL) return { names: names.slice(0, limit), pool: hits.length };
    pool = Math.min(MAX_NAMES_POOL, pool * 4);
  }
}

/** `namesAmong` a store's mentions for a type query (the CLI's `search --names`). */
export function searchNames(query: string, encoder: MentionEncoder, store: MentionStore, options: SearchOptions = {}): Promise<{ names: NameHit[]; pool: number }> {
  return namesAmong((k) => searchMentions(query, encoder, store, { ...options, limit: k }), Math.max(1, options.limit ?? DEFAULT_SEARCH_LIMIT));
}

/**
 * A mention's text as one line: a name that wraps onto the next line of a Markdown quote or list
 * ("Oliver⏎> Brandt") is "Oliver Brandt". The stored text stays as written (JSON output).
 */
export function mentionName(text: string): string {
  return text.replace(/\s*(?:\r\n|\r|\n)[\s>]*/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * A query's hits grouped by name (case and spacing aside: "UNIX", "Unix" and "unix" are one),
 * best first. Answers "which rivers do my notes mention" where the hits answer "where": a name
 * mentioned on every page would otherwise fill the first screen of hits.
 */
export function groupByName(hits: readonly SearchHit[]): NameHit[] {
  const byName = new Map<string, { hit: NameHit; paths: Set<string> }>();
  for (const h of hits) {
    const key = mentionName(h.text).toLowerCase();
    const document = h.docId !== undefined ? `${h.path}#${h.docId}` : h.path;
    const group = byName.get(key);
    if (!group) { byName.set(key, { hit: { text: h.text, score: h.score, mentions: 1, documents: 1, best: h }, paths: new Set([document]) }); continue; }
    group.hit.mentions++;
    group.paths.add(document);
    group.hit.documents = group.paths.size;
    if (h.score > group.hit.score) Object.assign(group.hit, { text: h.text, score: h.score, best: h });
  }
  return [...byName.values()].map((g) => g.hit).sort((a, b) => b.score - a.score);
}
