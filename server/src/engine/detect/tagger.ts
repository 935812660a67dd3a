// The built-in untyped entity-span detector: a window MLP BIO tagger over word vectors and
// surface features, in plain Float32Array math.
//
//   h = relu(b1 + Σ_k C_k(token[i+k-W]) + G·g_i)     C_k(t) = Wv_k·vec(t) + Uf_k·feats(t), or Pad_k
//   p(O|B|I) = softmax(W2·h + b2),  decoded with a BIO-constrained Viterbi.
//
// C_k depends only on the token's surface string, so inference caches it per string: a token
// then costs (2W+1) vector adds, a ReLU and a 3×H product. A new string costs the Wv·vec product
// (cached per vocabulary row, so case variants share it) plus a cached Uf·feats for its feature
// pattern and one column for the frequency rank.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { OffsetSpan, SentenceContext, SentenceToDetect, SpanDetector } from '../types.ts';
import { contextOf, spreadParagraphNames } from './paragraphNames.ts';
import { BRIDGE_WORDS, joinAdjacentWords, joinNameBridges, splitAtNameFor } from './nameBridges.ts';
import { extendOverLeadingThe } from './leadingThe.ts';
import { adjustGluedSpans, touchesGlue } from './gluedWords.ts';
import { multiwordNameAt } from './multiwordNames.ts';
import { CJK, splitAtCjk } from './cjkText.ts';
import { splitAtCells } from './tableCells.ts';
import { addDashFieldNames } from './dashFields.ts';
import { splitAtListCommas } from './listCommas.ts';
import { splitAtCoordinators } from './coordinators.ts';
import { attachHonorifics, attachSaintsPossessive } from './honorifics.ts';
import { cutKinshipWords } from './kinship.ts';
import { isDrugByStem } from './drugStems.ts';
import { citedAuthors } from './etAl.ts';
import { attachLegalForms } from './legalForms.ts';
import { CALENDAR_WORDS, DAY_ABBREVIATIONS } from '../calendarWords.ts';
import { attachModelNumbers } from './modelNumbers.ts';
import { joinPossessiveNames, splitAtPossessiveName } from './possessiveNames.ts';
import { joinTitleSegments } from './titleSegments.ts';
import type { ImperativeOpeners } from './imperativeOpeners.ts';
import { firstWordIndex } from './listMarkers.ts';
import { cutSpans } from './spanCuts.ts';
import { FUNCTION_WORDS } from '../functionWords.ts';
import type { WordVectors } from '../encode/wordVectors.ts';
import type { TermLexicon } from './terms.ts';
import type { NameAdjectives } from './nameAdjectives.ts';
import type { FirstNames } from './firstNames.ts';
import { irregularVerbFormsHash, isCommonWord, isLowerCaseWordNetName, isMainlyName, isOrdinaryWord, isUnknownWord, nounSenses, wordNetNameKind } from './wordClasses.ts';
import { lowerCaseTexts, tokenize, type Token } from './tokenize.ts';
import { F_RANK, GLOBAL_FEATURES, SURFACE_FEATURES, globalFeatures, surfaceFeatures } from './features.ts';
import { SimdTaggerKernel, type RowArena } from './taggerKernel.ts';

export const TAGGER_MAGIC = 'NERTAG01';
const WORDLIKE = /[\p{L}\p{N}]/u;
export const LABELS = ['O', 'B', 'I'] as const;

export interface TaggerConfig {
  /** Context window on each side (2 → positions −2…+2). */
  window: number;
  hidden: number;
  /** Word-vector dimension. */
  dim: number;
  surfaceFeatures: number;
  globalFeatures: number;
}

export interface TaggerHeader extends TaggerConfig {
  format: 'ner-retriever-tagger';
  version: 1;
  labels: string[];
  vectors: { name: string; size: number };
  /** Free-form training metadata (seed, epochs, data, …). */
  training?: Record<string, unknown>;
}

/** Named views into one flat parameter buffer. */
export interface TaggerParams {
  all: Float32Array;
  Wv: Float32Array; // [K][H][D]
  Uf: Float32Array; // [K][H][F]
  Pad: Float32Array; // [K][H]
  Gm: Float32Array; // [H][G]
  b1: Float32Array; // [H]
  W2: Float32Array; // [3][H]
  b2: Float32Array; // [3]
}

export function paramCount(c: TaggerConfig): number {
  const K = 2 * c.window + 1;
  return K * c.hidden * c.dim + K * c.hidden * c.surfaceFeatures + K * c.hidden
    + c.hidden * c.globalFeatures + c.hidden + 3 * c.hidden + 3;
}

export function viewParams(c: TaggerConfig, all: Float32Array = new Float32Array(paramCount(c))): TaggerParams {
  if (all.length !== paramCount(c)) throw new Error(`tagger: expected ${paramCount(c)} parameters, got ${all.length}`);
  const K = 2 * c.window + 1;
  const H = c.hidden;
  let o = 0;
  const take = (n: number) => { const v = all.subarray(o, o + n); o += n; return v; };
  return {
    all,
    Wv: take(K * H * c.dim),
    Uf: take(K * H * c.surfaceFeatures),
    Pad: take(K * H),
    Gm: take(H * c.globalFeatures),
    b1: take(H),
    W2: take(3 * H),
    b2: take(3),
  };
}

export interface TaggerModel { header: TaggerHeader; params: TaggerParams }

export function defaultConfig(dim: number, hidden = 128): TaggerConfig {
  return { window: 2, hidden, dim, surfaceFeatures: SURFACE_FEATURES, globalFeatures: GLOBAL_FEATURES };
}

/** Binary format: "NERTAG01", uint32 LE header length, UTF-8 JSON header, zero padding to 4, float32 LE parameters. */
export function serializeTagger(model: TaggerModel): Buffer {
  const header = Buffer.from(JSON.stringify(model.header), 'utf8');
  const pre = 8 + 4 + header.length;
  const pad = (4 - (pre % 4)) % 4;
  const out = Buffer.alloc(pre + pad + model.params.all.length * 4);
  out.write(TAGGER_MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, 8);
  header.copy(out, 12);
  const p = model.params.all;
  for (let i = 0; i < p.length; i++) out.writeFloatLE(p[i], pre + pad + i * 4);
  return out;
}

export function deserializeTagger(buf: Buffer): TaggerModel {
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== TAGGER_MAGIC) throw new Error('tagger model: bad magic (not a NERTAG01 file)');
  const hlen = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + hlen)) as TaggerHeader;
  if (header.format !== 'ner-retriever-tagger' || header.version !== 1) throw new Error(`tagger model: unsupported format/version ${header.format}/${header.version}`);
  const pre = 12 + hlen;
  const start = pre + ((4 - (pre % 4)) % 4);
  const n = paramCount(header);
  if (buf.length !== start + n * 4) throw new Error(`tagger model: size mismatch (expected ${start + n * 4} bytes, got ${buf.length})`);
  const all = new Float32Array(n);
  for (let i = 0; i < n; i++) all[i] = buf.readFloatLE(start + i * 4);
  return { header, params: viewParams(header, all) };
}

/** Short content hash of a model's parameters and configuration. */
export function modelHash(model: TaggerModel): string {
  const h = createHash('sha256');
  const { training: _ignored, ...config } = model.header;
  h.update(JSON.stringify(config));
  const p = model.params.all;
  h.update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  return h.digest('hex').slice(0, 10);
}

export function loadTaggerModel(path: string): TaggerModel {
  return deserializeTagger(readFileSync(path));
}

/** viterbiSpans' scratch, grown as needed: a sentence's arrays above 64 bytes each cost a malloc and GC bookkeeping. */
let viterbiScore = new Float64Array(0);
let viterbiBack = new Int8Array(0);
let viterbiStates = new Int8Array(0);

/**
 * BIO-constrained Viterbi over per-token log-probabilities (n×3, order O,B,I): I may only
 * follow B or I. Returns token-index spans [start, end).
 */
export function viterbiSpans(logp: Float32Array | Float64Array, n: number): Array<[number, number]> {
  if (n === 0) return [];
  const NEG = -1e30;
  if (viterbiScore.length < n * 3) { viterbiScore = new Float64Array(n * 6); viterbiBack = new Int8Array(n * 6); viterbiStates = new Int8Array(n * 2); }
  // Every entry read below is written first (back[0..2] is read only to leave the loop).
  const score = viterbiScore, back = viterbiBack, states = viterbiStates;
  score[0] = logp[0]; score[1] = logp[1]; score[2] = NEG;
  for (let i = 1; i < n; i++) {
    const pO = score[(i - 1) * 3], pB = score[(i - 1) * 3 + 1], pI = score[(i - 1) * 3 + 2];
    let best = pO, arg = 0;
    if (pB > best) { best = pB; arg = 1; }
    if (pI > best) { best = pI; arg = 2; }
    // O and B may follow anything.
    score[i * 3] = best + logp[i * 3]; back[i * 3] = arg;
    score[i * 3 + 1] = best + logp[i * 3 + 1]; back[i * 3 + 1] = arg;
    // I only after B or I.
    const iPrev = pB >= pI ? 1 : 2;
    score[i * 3 + 2] = Math.max(pB, pI) + logp[i * 3 + 2]; back[i * 3 + 2] = iPrev;
  }
  let state = 0;
  let best = score[(n - 1) * 3];
  for (let s = 1; s < 3; s++) if (score[(n - 1) * 3 + s] > best) { best = score[(n - 1) * 3 + s]; state = s; }
  for (let i = n - 1; i >= 0; i--) { states[i] = state; state = back[i * 3 + state]; }
  const spans: Array<[number, number]> = [];
  let open = -1;
  for (let i = 0; i < n; i++) {
    const s = states[i];
    if (s === 1 || s === 0) { if (open >= 0) spans.push([open, i]); open = s === 1 ? i : -1; }
  }
  if (open >= 0) spans.push([open, n]);
  return spans;
}

const APOSTROPHE = new Set(["'", '’']);
const LEADING_DETERMINERS = new Set(['the', 'a', 'an', 'this', 'that', 'these', 'those', 'my', 'our', 'your', 'his', 'her', 'their', 'its']);
/** Lower-case only: "Of Mice and Men" may end a title in capitals, "… to" never ends a name. */
const TRAILING_FUNCTION_WORDS = new Set(['the', 'a', 'an', 'to', 'of', 'and', 'or', 'in', 'on', 'at', 'for', 'from', 'by', 'with', 'as', 'is', 'was']);
const POSSESSIVE = new Set(["'s", '’s', "'S", '’S']);
const CHAT_INTERJECTION = /^(?:lo+l+|lmf?ao+|rofl|xd+|hm+|(?:ha){2,}h?|(?:he){2,}|omg|wtf|smh|tbh|imh?o|btw|afaik|iirc|idk|fwiw|ngl|ikr|pl[sz]|ugh+)$/i;

/**
 * Trims a token span [a, b): no leading or trailing punctuation/symbol/emoji tokens, and no
 * trailing possessive ("Merkel's", "Merkel ' s" → "Merkel"). Returns [a, a] when nothing is left.
 */
export function trimSpan(tokens: Token[], a: number, b: number): [number, number] {
  for (;;) {
    const before = b - a;
    while (a < b && !WORDLIKE.test(tokens[a].text)) a++;
    while (b > a && !WORDLIKE.test(tokens[b - 1].text)) b--;
    // Names do not start with a determiner ("The Danube" → "Danube") nor end with a function word
    // ("Westminster to"); a lone determiner or function word is no mention at all.
    while (a < b && LEADING_DETERMINERS.has(tokens[a].text.toLowerCase())) a++;
    while (b > a && TRAILING_FUNCTION_WORDS.has(tokens[b - 1].text)) b--;
    if (b > a && POSSESSIVE.has(tokens[b - 1].text)) b--;
    // Chat interjections stand next to names, not in them ("james lol", "Jimmy XD"); a lone one
    // ("LoL", "OMG") may be a name and is left to the tagger.
    while (b - a >= 2 && CHAT_INTERJECTION.test(tokens[b - 1].text)) b--;
    while (b - a >= 2 && CHAT_INTERJECTION.test(tokens[a].text)) a++;
    if (b - a >= 2 && (tokens[b - 1].text === 's' || tokens[b - 1].text === 'S') && APOSTROPHE.has(tokens[b - 2].text)) b -= 2;
    if (b - a === before) return [a, b];
  }
}

const CAPITALISED = /^\p{Lu}/u;
/** A capitalised word, as ingest/positionalCapitals.ts reads one. */
const CAPITALISED_WORD = /^\p{Lu}[\p{Ll}\p{M}]+$/u;

/** Separators after which a clause may start with a capital ("Usage: Returns …", "pkg - Convert …"); not ";", after which English keeps lower case. */
const CLAUSE_BREAKS = new Set([':', '-', '–', '—', '|', '•']);

/** Words WordNet lacks that open sentences without being names ("Per 100 ms", "Via SSH", "Ltd"). */
const LATIN_AND_ABBREVIATIONS = new Set(['per', 'via', 'vs', 'versus', 'ltd', 'inc', 'etc', 'approx', 'misc', 'todo']);
/** A known word behind an English prefix: "Unsubscribing", "Deregister", "Undefining". */
function isPrefixedWord(word: string): boolean {
  const m = /^(?:un|de|re|pre|dis|non|sub|co|mis|over|under|inter|multi|auto)(\p{Ll}{4,})$/u.exec(word.toLowerCase());
  return m !== null && !isUnknownWord(m[1]);
}

/** At least half of the lower-case words (two letters or more) are WordNet words or function words; true where there are none. */
function mostlyEnglish(tokens: readonly Token[]): boolean {
  let words = 0, known = 0;
  for (const t of tokens) {
    if (!/^\p{Ll}{2,}$/u.test(t.text)) continue;
    words++;
    if (FUNCTION_WORDS.has(t.text) || !isUnknownWord(t.text)) known++;
  }
  return 2 * known >= words;
}

/** How sure the tagger, reading a sentence's unknown first word as if mid-sentence, must be that it begins a name. */
const UNKNOWN_FIRST_WORD_MIN_P = 0.1;

/** Pronouns and interjections that are never a name on their own. */
const PRONOUNS_AND_INTERJECTIONS = new Set([
  'i', 'me', 'you', 'we', 'us', 'he', 'him', 'she', 'her', 'it', 'they', 'them', 'my', 'your', 'our', 'his', 'its', 'their',
  'mine', 'yours', 'ours', 'theirs', 'myself', 'yourself', 'ourselves', 'themselves', 'this', 'that', 'these', 'those',
  'hey', 'hi', 'hello', 'yes', 'yeah', 'yep', 'nope', 'oh', 'ah', 'um', 'uh', 'ok', 'okay', 'bro', 'wow', 'haha', 'hahaha', 'lmao', 'lmfao', 'please', 'thanks',
  'someone', 'somebody', 'something', 'anyone', 'anybody', 'anything', 'everyone', 'everybody', 'everything', 'nobody', 'nothing', 'fwd',
]);

/**
 * A word of a closed class, never a name alone: "You", "Hey", "yeah" (a pronoun or interjection)
 * and, with `functionWords`, the other function words ("If", "From", "Whereas", "MUST";
 * functionWords.ts); in any case but a capitalised abbreviation of one or two letters ("US",
 * "IT", "ME", "OK", "HI", "OR" are countries, fields and states).
 */
export function isClosedClassWord(word: string, functionWords = false): boolean {
  if (word.length <= 2 && /^\p{Lu}+$/u.test(word) && word !== 'I') return false;
  const lower = word.toLowerCase();
  return PRONOUNS_AND_INTERJECTIONS.has(lower) || (functionWords && FUNCTION_WORDS.has(lower));
}

/** Token a opens the sentence (only punctuation or symbols before it) or a clause after a separator. */
/** One space and a lower-case word, not an "of"/"for" bridge to a capitalised word. */
const CELL_TEXT_AFTER = new RegExp(`^ (?!${BRIDGE_WORDS} \\p{Lu})\\p{Ll}`, 'u');

/**
 * Whether token a opens a table cell's text: a tab or two or more spaces before it, and one space
 * and a lower-case word after it ("tempX_input<TAB>Measured temperature", "flags    Specifies the
 * mode"). Blanked Markdown emphasis leaves gaps on both sides of its words ("to  Azure  :"),
 * which this is not; nor is the first word of a name built on "of"/"for" ("Code of Conduct FAQ",
 * nameBridges.ts).
 */
function opensCell(sentence: string, tokens: Token[], a: number): boolean {
  return a > 0 && /\t| {2}/.test(sentence.slice(tokens[a - 1].end, tokens[a].start)) && CELL_TEXT_AFTER.test(sentence.slice(tokens[a].end));
}

function startsClause(tokens: Token[], a: number): boolean {
  if (a > 0 && CLAUSE_BREAKS.has(tokens[a - 1].text)) return true;
  // The first word after a plain-text list marker ("5. Highest mountain …", "- [ ] Book …").
  if (a > 0 && a === firstWordIndex(tokens)) return true;
  for (let i = 0; i < a; i++) if (WORDLIKE.test(tokens[i].text)) return false;
  return true;
}

/**
 * A capitalised name followed by a cue (token k) and then only lower-case words ends before the
 * cue. `tailAfter(k)` is where the words after a cue at k start, or undefined when k is no cue.
 */
function cutBeforeLowerCaseTail(tokens: Token[], a: number, b: number, tailAfter: (k: number) => number | undefined): [number, number] {
  if (b - a < 3 || !CAPITALISED.test(tokens[a].text)) return [a, b];
  for (let k = a + 1; k < b - 1; k++) {
    const tail = tailAfter(k);
    if (tail === undefined) continue;
    const after = tokens.slice(tail, b);
    if (after.length && after.every((t) => /^\p{Ll}/u.test(t.text))) return [a, k];
  }
  return [a, b];
}

const TAIL_PREPOSITIONS = new Set(['to', 'in', 'at', 'from', 'with', 'by', 'on', 'for']);

/**
 * "delegate building from Makefile to ninja", "add Unicode Property Escapes to intl": a
 * capitalised name, a lower-case preposition, then only lower-case words — the name ends before
 * the preposition ("of" is left alone: "Bank of america" is a miscased name, not a phrase).
 */
export function cutAtPrepositionTail(tokens: Token[], a: number, b: number): [number, number] {
  return cutBeforeLowerCaseTail(tokens, a, b, (k) => (TAIL_PREPOSITIONS.has(tokens[k].text) ? k + 1 : undefined));
}

/**
 * "European Union 's farm committee": a capitalised name, a possessive, then only lower-case
 * words — the name ends before the possessive ("Victoria's Secret" keeps its capitalised tail).
 */
export function cutAtPossessive(tokens: Token[], a: number, b: number): [number, number] {
  return cutBeforeLowerCaseTail(tokens, a, b, (k) => {
    if (POSSESSIVE.has(tokens[k].text)) return k + 1;
    return APOSTROPHE.has(tokens[k].text) && k + 1 < b && /^[sS]$/.test(tokens[k + 1].text) ? k + 2 : undefined;
  });
}

/**
 * A span over several whole lines ("SAMSUNG⏎SANDVIK⏎SANDVIKCOROMANT", "Alice Smith⏎Bob Jones")
 * is a list written one item per line, so it is split at each line break where both sides fill
 * their lines. A name wrapped inside prose ("… patch by Dirk⏎Heise, who …") does not fill its
 * lines and stays whole.
 */
export function splitAtLineItems(sentence: string, tokens: Token[], a: number, b: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = a;
  for (let k = a; k + 1 < b; k++) {
    if (!LINE_BREAK.test(sentence.slice(tokens[k].end, tokens[k + 1].start))) continue;
    // The piece before the break fills its line: nothing before its first token on that line…
    const beforeFills = !/\S/.test(sentence.slice(lineStartAt(sentence, tokens[start].start), tokens[start].start));
    // …and the span goes on to the end of the next line.
    let j = k + 1;
    const lineEnd = lineEndAt(sentence, tokens[k + 1].start);
    while (j + 1 < b && tokens[j + 1].start < lineEnd) j++;
    const afterFills = j + 1 < b || b === tokens.length || tokens[b].start >= lineEnd;
    if (beforeFills && afterFills) {
      out.push([start, k + 1]);
      start = k + 1;
    }
  }
  out.push([start, b]);
  return out;
}
const LINE_BREAK = /[\n\r]/;
function lineStartAt(text: string, i: number): number {
  let p = i;
  while (p > 0 && text[p - 1] !== '\n' && text[p - 1] !== '\r') p--;
  return p;
}
function lineEndAt(text: string, i: number): number {
  let p = i;
  while (p < text.length && text[p] !== '\n' && text[p] !== '\r') p++;
  return p;
}

const BEFORE_A_DATE = new Set(['in', 'on', 'by', 'since', 'until', 'till', 'of', 'from', 'to', 'during', 'early', 'late', 'mid', 'last', 'next', 'this', 'every']);
const TIME_OF_DAY = new Set(['am', 'pm', 'morning', 'afternoon', 'evening', 'night', 'eve', 'lunch', 'lunchtime', 'noon']);
const RANGE_MARKS = new Set(['/', '-', '–', '—', '&', 'and', 'or', 'to']);

/**
 * A month or weekday standing alone ("in June", "by December", "29 May 2000") is a date, which
 * none of the conventions the detector follows counts as a name (CoNLL-2003, WNUT-17,
 * MultiCoNER). "May" only where the words around it make it a date ("Theresa May said").
 */
export function isLoneDate(tokens: Token[], i: number, sentence?: string): boolean {
  const word = tokens[i].text.toLowerCase();
  if (CALENDAR_WORDS.has(word) || (word.endsWith('days') && CALENDAR_WORDS.has(word.slice(0, -1)))) return true; // "Thursdays"
  // A business quarter or half-year, a fiscal year ("Q3", "H1", "FY24", "FY2025").
  if (/^(?:q[1-4]|h[12]|fy\d{2}(?:\d{2})?)$/.test(word)) return true;
  const abbreviation = DAY_ABBREVIATIONS.has(word);
  if (word !== 'may' && !abbreviation) return false;
  const before = i > 0 ? tokens[i - 1].text.toLowerCase() : '';
  const after = i + 1 < tokens.length ? tokens[i + 1].text.toLowerCase() : '';
  if (/^\d/.test(before) || /^\d/.test(after) || BEFORE_A_DATE.has(before)) return true;
  if (!abbreviation) return false;
  // "Sat am", "Tue evening", "Thurs: swimming", "Tue/Fri", "Mon–Fri", "Sat - pizza": a weekday in a schedule
  // ("The Sun", "Sat on the fence" and "Wed in June" are no such thing).
  const farBefore = i > 1 ? tokens[i - 2].text.toLowerCase() : '';
  const farAfter = i + 2 < tokens.length ? tokens[i + 2].text.toLowerCase() : '';
  const calendar = (w: string) => CALENDAR_WORDS.has(w) || DAY_ABBREVIATIONS.has(w);
  // A line of the sentence is a line too: a timetable's rows read as one sentence when no full stop ends them.
  const opensLine = i === 0 || (i === 1 && /^[-*•]$/.test(before)) || (sentence !== undefined && /[\n\r]/.test(sentence.slice(tokens[i - 1].end, tokens[i].start)));
  // "Sat  supermarket    Sainsbury's …": a weekday before a column's gap heads a timetable's row.
  const columnGap = sentence !== undefined && i + 1 < tokens.length && /^(?: {2,}|\t)/.test(sentence.slice(tokens[i].end, tokens[i + 1].start));
  return TIME_OF_DAY.has(after) || (after === ':' && /^\p{Lu}/u.test(tokens[i].text)) || (opensLine && (/^[-–—]$/.test(after) || columnGap))
    || (RANGE_MARKS.has(after) && calendar(farAfter)) || (RANGE_MARKS.has(before) && calendar(farBefore));
}

/** A short lower-case or capitals word after a glued dot ("js", "io", "com", "NET"), not a function word of a missing space ("Paris.it was"). */
const DOTTED_SUFFIX = /^(?:\p{Ll}{1,6}|\p{Lu}{2,4})$/u;
const NOT_SUFFIXES = new Set(['a', 'an', 'the', 'it', 'is', 'in', 'on', 'at', 'to', 'of', 'and', 'or', 'but', 'so', 'he', 'she', 'we', 'i', 'you', 'they', 'this', 'that', 'as', 'if', 'by', 'for', 'was', 'be']);

/**
 * "Node.js", "ASP.NET", "Amazon.com", "socket.io": the tokenizer splits a name at a glued dot (as
 * in the tagger's training data), so a span ending before ".js" would name "Node". Returns the
 * span's end token index taken past every such glued dot and suffix.
 */
export function extendAcrossDottedSuffix(tokens: Token[], b: number): number {
  while (b > 0 && b + 1 < tokens.length && tokens[b].text === '.' && tokens[b].start === tokens[b - 1].end
    && tokens[b + 1].start === tokens[b].end && DOTTED_SUFFIX.test(tokens[b + 1].text) && !NOT_SUFFIXES.has(tokens[b + 1].text.toLowerCase())
    && (b + 2 >= tokens.length || tokens[b + 2].start > tokens[b + 1].end || !/^[\p{L}\p{N}]/u.test(tokens[b + 2].text))) b += 2;
  return b;
}

/**
 * The other way round: a span that is only a dotted suffix ("md" of "process.md", "js" of
 * "Node.js") starts at the word it is glued to. Returns the span's new start token index.
 */
export function extendOverDottedPrefix(tokens: Token[], a: number): number {
  if (!DOTTED_SUFFIX.test(tokens[a].text)) return a;
  while (a >= 2 && tokens[a - 1].text === '.' && tokens[a - 1].end === tokens[a].start && tokens[a - 2].end === tokens[a - 1].start
    && /^[\p{L}\p{N}_-]+$/u.test(tokens[a - 2].text)) a -= 2;
  return a;
}

/**
 * A paragraph's positional-capital words as a set, made once per list: every sentence of the
 * paragraph shares the list, and `includes` on thousands of words per span was quadratic.
 */
const wordSets = new WeakMap<readonly string[], Set<string>>();
function wordSetOf(words: readonly string[]): Set<string> {
  let set = wordSets.get(words);
  if (!set) wordSets.set(words, (set = new Set(words)));
  return set;
}

/** Four spaces or tabs on one line: masked Markdown markup ("](https://…)", "[![") or aligned columns. */
const WIDE_GAP = /^[^\n\r]*?[ \t]{4}/;

/**
 * Splits a token span [a, b) at each gap of two or more spaces (or tabs) within one line: blanked
 * inline markup ("See [Advanced serialization](…)", "Return **PathScurry** objects", "**Fast** -
 * Loads", a link target) separates what the writer formatted apart, so a name does not run across
 * it. It runs before cutAtWideGap, which is then left with wide gaps that run into a line break.
 */
export function splitAtMarkupGaps(sentence: string, tokens: Token[], a: number, b: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = a;
  for (let k = a; k + 1 < b; k++) {
    if (!MARKUP_GAP.test(sentence.slice(tokens[k].end, tokens[k + 1].start))) continue;
    out.push([start, k + 1]);
    start = k + 1;
  }
  out.push([start, b]);
  return out;
}
const MARKUP_GAP = /^[ \t]{2,}$/;

/**
 * Cuts a token span [a, b) at the first wide gap between its tokens, keeping the part before it.
 * In a Markdown document link targets and image syntax are blanked out of the prose, so a span
 * running across such a gap joins a link's text to the words after the link; the name is the
 * part before it. Gaps within one line are split first (splitAtMarkupGaps, which keeps both
 * sides), so this cut is left with a wide gap that runs on into a line break.
 */
export function cutAtWideGap(sentence: string, tokens: Token[], a: number, b: number): [number, number] {
  for (let k = a; k + 1 < b; k++) if (WIDE_GAP.test(sentence.slice(tokens[k].end, tokens[k + 1].start))) return [a, k + 1];
  return [a, b];
}

/** Function words inside a heading's wording ("Table of Contents", "Methods & Events"). */
const HEADING_JOINERS = new Set(['of', 'the', 'a', 'an', 'and', 'or', 'for', 'to', 'in', 'on', 'with', 'by', 'at', 'from', 'vs']);

/**
 * A line of ordinary words, each capitalised ("Table of Contents", "Web Browser", "Eggs"), is a
 * Markdown heading or list item capitalised by convention: it names nothing. A line with any
 * other word keeps its spans ("Arsenal 1 Leicester 1", "Lisbon"), and so does one with a
 * lower-case word, where capitals do carry information ("Brad Shepherd — guitar").
 */
function isHeadingWording(tokens: Token[]): boolean {
  // Cheap test first: almost every line of prose has a lower-case word early on.
  for (const t of tokens) {
    const first = t.text[0];
    if (first !== first.toUpperCase() && !HEADING_JOINERS.has(t.text)) return false;
  }
  return isOrdinaryWording(tokens);
}

/** Whether these tokens are ordinary words and function words only ("Browser", "Getting Started"). */
function isOrdinaryWording(tokens: Token[]): boolean {
  return tokens.every((t) => !/^\p{L}/u.test(t.text) || HEADING_JOINERS.has(t.text.toLowerCase()) || isOrdinaryWord(t.text));
}

/**
 * A capitalised word ("Williams", "Lusaka", "Baghdad") that WordNet knows mainly as the name of
 * a place, person or group: such senses outnumber its common ones and its other proper ones
 * ("Sunday" is a day before it is Billy Sunday), and no inflectional stem is mainly a common noun
 * ("Scopes" is John Scopes, and the plural of "scope"). At the start of a sentence or clause
 * (also one after a full stop inside the text: "Okay . Tell me"),
 * where every word is capitalised, not a word English uses as a verb, adjective or adverb either
 * ("Teach", "More", "Tell", "Nice" are also people and places) unless a verb of saying or an
 * auxiliary follows ("Ford will build", "Brown said").
 */
function isWordNetName(tokens: Token[], i: number): boolean {
  const word = tokens[i].text;
  // A capitalised word, or capitals with dots ("U.S.", "D.C."), which are abbreviated names.
  if (word.length < 3 || !/^(?:\p{Lu}\p{Ll}+|(?:\p{Lu}\.){2,})$/u.test(word)) return false;
  const kind = wordNetNameKind(word);
  if (kind === 'no') return false;
  if (kind === 'name') return true;
  const initial = startsClause(tokens, i) || /^[.!?…]+$/.test(tokens[i - 1].text);
  // …unless the next word makes it the subject of a report ("Ford will build", "Brown said").
  return !initial || (i + 1 < tokens.length && SUBJECT_VERBS.has(tokens[i + 1].text));
}

/**
 * A word with a capital inside it, as brands and products are written: "DeepMind", "FastAPI",
 * "iPhone", "macOS". Not code's lower camel case ("getElementById", which has more than one lower-
 * case letter before its first capital) and not words in capitals ("NASA").
 */
export function isCamelCaseName(word: string): boolean {
  // Every token of the text comes here: most have no capital after their first letter.
  let inner = false;
  for (let i = 1; i < word.length && !inner; i++) {
    const c = word.charCodeAt(i);
    inner = (c >= 65 && c <= 90) || (c > 127 && word[i] !== word[i].toLowerCase());
  }
  if (!inner) return false;
  return /^\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}*)+$/u.test(word) || /^\p{Lu}\p{Ll}+\p{Lu}{2,}$/u.test(word) || /^\p{Ll}\p{Lu}\p{Ll}{2,}$/u.test(word) || /^\p{Ll}{1,5}OS$/u.test(word);
}

/**
 * A span for the word `t`: a span one space before or after it grows over it ("Daniel" +
 * "Bevenius"), otherwise it is a span of its own. Changes and returns `spans` (unsorted).
 */
function addWordSpan(sentence: string, spans: OffsetSpan[], t: Token): OffsetSpan[] {
  const k = spans.findIndex((x) => (x.start === t.end + 1 && sentence[t.end] === ' ') || (x.end === t.start - 1 && sentence[x.end] === ' '));
  if (k >= 0) spans[k] = { start: Math.min(spans[k].start, t.start), end: Math.max(spans[k].end, t.end) };
  else spans.push({ start: t.start, end: t.end });
  return spans;
}

/** Characters that glue a word into a path or an identifier ("Lib/idlelib", "Juan.txt"). */
const GLUED_TO_PATH = /^[/\\._]$/;

/** Words after which a sentence's first word is its subject: a verb of saying or an auxiliary. */
const SUBJECT_VERBS = new Set(['said', 'says', 'will', 'would', 'has', 'had', 'is', 'was', 'announced', 'reported', 'told', 'added', 'won', 'beat', 'led', 'plans']);

/** Whether every token of the line is a capitalised word that WordNet lists mainly as a name. */
function isLoneName(tokens: Token[]): boolean {
  if (tokens.length === 0 || tokens.length > 4) return false;
  return tokens.every((t) => /^\p{Lu}\p{Ll}+$/u.test(t.text) && isMainlyName(t.text));
}

/**
 * "In Gdańsk the Vistula …": a lower-case article between two capitalised words inside one
 * predicted span joins two names, so the span is split there. So does a clause break after a
 * capitalised word when a lower-case word follows it ("Rivers of Europe: the Danube", "Vienna -
 * the capital"; not a hyphen within a word); a title keeps its capital after the colon
 * ("Mission: Impossible"). And "to" in a range opened by "from" ("from Westminster to Tower
 * Bridge") separates its two ends.
 */
export function splitAtJoiningArticle(tokens: Token[], a: number, b: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = a;
  for (let i = a + 1; i < b - 1; i++) {
    const t = tokens[i].text;
    const article = (t === 'the' || t === 'a' || t === 'an') && CAPITALISED.test(tokens[i + 1].text);
    // (Spaced: a hyphen inside a word joins it, "Mercedes-benz".)
    const clauseBreak = CLAUSE_BREAKS.has(t) && /^\p{Ll}/u.test(tokens[i + 1].text)
      && (tokens[i].start > tokens[i - 1].end || tokens[i + 1].start > tokens[i].end);
    const range = t === 'to' && a > 0 && tokens[a - 1].text.toLowerCase() === 'from' && CAPITALISED.test(tokens[i + 1].text);
    if ((article || clauseBreak || range) && CAPITALISED.test(tokens[i - 1].text)) {
      out.push([start, i]);
      start = i + 1;
    }
  }
  out.push([start, b]);
  return out;
}

const UPPER_LETTER = /^\p{Lu}$/u;
const LOWER_LETTER = /^\p{Ll}$/u;

/** A word of the span has an underscore beside a letter or digit, and the span is no @handle or #hashtag. */
function isIdentifierSpan(sentence: string, span: OffsetSpan): boolean {
  const text = sentence.slice(span.start, span.end);
  if (!/[\p{L}\p{N}]_|_[\p{L}\p{N}]/u.test(text)) return false;
  return !/[@#]/.test(text[0] ?? '') && !/[@#]/.test(sentence[span.start - 1] ?? '');
}

/**
 * A tracker's key ("PAY-1421", "PLAT-331", "INC-2231", "CR-772"): capitals, a hyphen and three or
 * more digits name a ticket, no entity ("COVID-19", "F-35" and "B-52" have fewer digits).
 */
const TICKET_KEY = /^[A-Z][A-Z0-9]{1,9}-\d{3,}$/;

const COORDINATORS = new Set(['and', 'or', '&', ',']);
/** P(B) the first word needs, read as if mid-sentence ("Shell" 0.65, "Orange" 0.44; "Students" 0.18, "Police" 0.10). */
const COORDINATED_FIRST_WORD_MIN_P = 0.3;

/** Tokens [a, b) are lower-case words WordNet reads mainly as common ones (no first names), joined by at most "of"/"and"/"the". */
function isOrdinaryLowerCase(tokens: Token[], a: number, b: number, firstNames: FirstNames | undefined): boolean {
  let words = 0;
  for (let i = a; i < b; i++) {
    const w = tokens[i].text;
    if (i > a && i < b - 1 && (w === 'of' || w === 'and' || w === 'the')) continue;
    // (A first name is a name in lower case too: "tell brad that …".)
    if (!/^\p{Ll}+$/u.test(w) || !isOrdinaryWord(w) || firstNames?.has(w)) return false;
    words++;
  }
  return words > 0;
}

/**
 * 'upper': an all-capitals line (fewer than 10 % of its cased letters lower-case, at least 6
 * capitals); 'title': more than half of the words after the first are capitalised (a Title Case
 * heading; with `proseCasing`, only where most of those capitals are on ordinary words and no
 * full stop ends the line); otherwise 'normal'.
 */
export function sentenceCasing(tokens: Token[], proseCasing = false): 'upper' | 'title' | 'normal' {
  let upper = 0, lower = 0, words = 0, capitalised = 0;
  for (let i = 0; i < tokens.length; i++) {
    const text = tokens[i].text;
    // Letters counted without a match array per token (this runs on every sentence): ASCII by
    // code, other code points by the Unicode classes.
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c < 128) {
        if (c >= 65 && c <= 90) upper++;
        else if (c >= 97 && c <= 122) lower++;
        continue;
      }
      const cp = text.codePointAt(k)!;
      if (cp > 0xffff) k++;
      const ch = String.fromCodePoint(cp);
      if (UPPER_LETTER.test(ch)) upper++;
      else if (LOWER_LETTER.test(ch)) lower++;
    }
    if (i === 0) continue;
    const c0 = text.charCodeAt(0);
    if (c0 < 128) {
      if (c0 >= 65 && c0 <= 90) { words++; capitalised++; } else if (c0 >= 97 && c0 <= 122) words++;
    } else if (/^\p{L}/u.test(text)) { words++; if (CAPITALISED.test(text)) capitalised++; }
  }
  if (upper >= 6 && lower < 0.1 * (upper + lower)) return 'upper';
  if (!(words >= 2 && capitalised > words / 2)) return 'normal';
  return proseCasing && (endsWithFullStop(tokens) || !capitalsMostlyOrdinary(tokens)) ? 'normal' : 'title';
}

/**
 * Title Case capitalises function words ("Meeting Minutes With Angela Merkel And Olaf Scholz") and
 * mostly ordinary words ("Check Out My New Video On YouTube"); a short line dense with names has its
 * capitals on the names ("Email Sarah Chen the Q3 deck", "Past Lives (Celine Song) - A24").
 */
function capitalsMostlyOrdinary(tokens: Token[]): boolean {
  let capitals = 0, ordinary = 0;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i].text;
    if (!/^\p{Lu}/u.test(t)) continue;
    if (t !== 'I' && FUNCTION_WORDS.has(t.toLowerCase())) return true;
    capitals++;
    if (isOrdinaryWord(t)) ordinary++;
  }
  return 2 * ordinary > capitals;
}

/** The last token is a full stop (not an ellipsis), before any closing quotes or brackets. */
function endsWithFullStop(tokens: Token[]): boolean {
  let i = tokens.length - 1;
  while (i > 0 && /^[)\]"'”’»]$/u.test(tokens[i].text)) i--;
  return tokens[i].text === '.' && tokens[i - 1]?.text !== '.';
}

/**
 * In normally cased prose a capital letter after the first word is strong evidence of a name,
 * which the tagger (trained partly on lower-cased text and on tweets) under-weights: add `bias`
 * to the B and I log-probabilities of such words ("I" excepted; rows from..to) and renormalise.
 */
function addCapitalBias(logp: Float32Array, tokens: Token[], bias: number, from = 1, to = tokens.length): void {
  for (let i = from; i < to; i++) {
    if (!CAPITALISED.test(tokens[i].text) || tokens[i].text === 'I') continue;
    const o = logp[i * 3], b = logp[i * 3 + 1] + bias, c = logp[i * 3 + 2] + bias;
    const m = Math.max(o, b, c);
    const lse = m + Math.log(Math.exp(o - m) + Math.exp(b - m) + Math.exp(c - m));
    logp[i * 3] = o - lse; logp[i * 3 + 1] = b - lse; logp[i * 3 + 2] = c - lse;
  }
}

/**
 * Chosen on WNUT-17 dev, the one cased dev set of real text (span F1 0.545 → 0.562 over biases
 * 0–10; re-cased MultiCoNER 0.812 → 0.814): see docs/detection.md.
 */
export const DEFAULT_CAPITAL_BIAS = 3;
/** For a re-checked sentence-initial word: WNUT-17 0.562 → 0.566, the MultiCoNER views unchanged (docs/detection.md). */
export const DEFAULT_INITIAL_CAPITAL_BIAS = 0.5;

/** Float32Array rows (zeros) carved out of blocks of `blockLength` floats (or one row's length, if more); `reset` starts a new block. */
class RowBlocks {
  private block = new Float32Array(0);
  private used = 0;

  constructor(private readonly blockLength: number) {}

  next(length: number): Float32Array {
    if (this.used + length > this.block.length) { this.block = new Float32Array(Math.max(length, this.blockLength)); this.used = 0; }
    const row = this.block.subarray(this.used, this.used + length);
    this.used += length;
    return row;
  }

  /** Rows handed out stay valid; later ones come from a new block, so a cleared cache's blocks can be collected. */
  reset(): void { this.block = new Float32Array(0); this.used = 0; }
}

/** The contribution rows where there is no SIMD kernel to hold them: a growable Float32Array, the padding rows first. */
class JsRowArena implements RowArena {
  view: Float32Array;
  readonly padAt = 0;
  private end: number;

  constructor(private readonly length: number, pad: Float32Array) {
    this.view = new Float32Array(length * 64);
    this.view.set(pad);
    this.end = length;
  }

  alloc(): number {
    if (this.end + this.length > this.view.length) {
      const grown = new Float32Array(Math.ceil(this.view.length * 1.25) + this.length);
      grown.set(this.view);
      this.view = grown;
    }
    const at = this.end;
    this.end += this.length;
    return at;
  }

  reset(): void { this.end = this.length; }
}

/** Row `i` of `out`: the log-softmax of the three logits (O, B, I). */
function writeLogProbs(out: Float32Array, i: number, l0: number, l1: number, l2: number): void {
  const m = l0 > l1 ? (l0 > l2 ? l0 : l2) : (l1 > l2 ? l1 : l2);
  const lse = m + Math.log(Math.exp(l0 - m) + Math.exp(l1 - m) + Math.exp(l2 - m));
  out[i * 3] = l0 - lse; out[i * 3 + 1] = l1 - lse; out[i * 3 + 2] = l2 - lse;
}

/** Whether every global feature is 0 or 1, as the SIMD kernel assumes (it multiplies their weights in float32). */
function binary(g: Float32Array): boolean {
  for (let i = 0; i < g.length; i++) if (g[i] !== 0 && g[i] !== 1) return false;
  return true;
}

/** Trained BIO tagger as a SpanDetector. Not thread-safe (shared scratch buffers), which is fine in JS. */
export class TaggerDetector implements SpanDetector {
  readonly id: string;
  /** C_k rows per token string, as their index in `rows`. */
  private readonly cache = new Map<string, number>();
  private readonly K: number;
  private readonly H: number;
  private readonly maxCache: number;
  private h: Float32Array;
  /** tokenLogProbs' global features, grown as needed (a new array per sentence costs a malloc and GC bookkeeping). */
  private gScratch = new Float32Array(0);
  /** tokenLogProbs' row index per token, grown as needed. */
  private rowsOf = new Int32Array(0);
  /** The rows of one-character ASCII tokens (most tokens: punctuation) by character code, or -1: no string hashing for them. */
  private readonly charRows = new Int32Array(128).fill(-1);
  /** tokenLogProbs' results, carved out of shared blocks: an ArrayBuffer per sentence costs a malloc and GC bookkeeping. */
  private readonly logProbRows = new RowBlocks(1 << 14);
  /** Gm transposed to [G][H] for contiguous access. */
  private readonly GmT: Float32Array;

  /** Re-check a capitalised sentence-initial word as if mid-sentence (see detect). */
  sentenceStartRetry: boolean;
  /** Log-odds added to B and I of a capitalised word inside a normally cased sentence (see detect). */
  capitalBias: number;
  /** The same for a capitalised first word when it is re-checked as if mid-sentence. */
  initialCapitalBias: number;
  /** Read an all-capitals sentence (a headline, a dateline) in lower case (see detect). */
  allCapsAsLower: boolean;
  /** Lines that are a heading's wording give no spans, lines of names alone one (see detect). */
  headingWords: boolean;
  /** Lower-case drug, disease and medical-procedure names added to the tagger's spans (terms.ts). */
  readonly terms: TermLexicon | undefined;
  /** Adjectives of proper names ("Russian", "Kurdish") added as spans in cased text (nameAdjectives.ts). */
  readonly nameAdjectives: NameAdjectives | undefined;
  /** Capitalised words of normal prose that WordNet knows mainly as names join the spans (see detect). */
  wordnetNames: boolean;
  /** A lone function word is no name, as a lone pronoun is not ("If", "From", "MUST"; functionWords.ts). */
  functionWords: boolean;
  /** A sentence without capitals in a document that writes names with them is read as cased prose (SentenceContext.casedDocument). */
  casedDocuments: boolean;
  /** Spans are cut at Chinese, Japanese and Korean text, keeping the capitalised Latin pieces (cjkText.ts). */
  cjkText: boolean;
  /** A lone word that its document writes in lower case elsewhere, and never capitalises mid-sentence, is no name (SentenceContext.positionalCapitals). */
  positionalCapitals: boolean;
  /** Two capitalised one-word spans one space apart mid-sentence are one name (nameBridges.ts). */
  adjacentWords: boolean;
  /** A word after a tab or two spaces opens a table cell, as one after ":" or "|" opens a clause (opensCell). */
  cellStarts: boolean;
  /** Cut a span at a comma between two names of a list ("Mississippi, Yenisei"; not "Tavares, Florida"): listCommas.ts. */
  listCommas: boolean;
  /** A title and the name after it are one span ("Prof. Alan Turing"); a lone title is none: honorifics.ts. */
  honorifics: boolean;
  /** A list item's or cell's title run ("Anatomy of a Fall") is one span, and "The" alone before a name in a segment joins it: titleSegments.ts. */
  titleSegments: boolean;
  /** No name runs across a lower-case "vs"/"versus", an "or" between capitalised words in prose, or an emphatic "AND": coordinators.ts. */
  coordinators: boolean;
  /** In a title run only articles, conjunctions and prepositions are lower case ("Giulia does a Puglia one" is none): titleSegments.ts. */
  titleLowerCase: boolean;
  /** A name before "at"/"in"/"on"/"for" opens no title run ("Byron at the Villa Diodati"): titleSegments.ts. */
  placedNames: boolean;
  /** A name's glued suffix inside a span ends it ("Debian-based TrueNAS"), and "-ish" is one ("Baudelaire-ish"): gluedWords.ts. */
  gluedSuffixes: boolean;
  /** A possessive before a name ends a span ("Racing Bulls' Lawson"): possessiveNames.ts. */
  ownersApart: boolean;
  /** A quotation mark a span does not close cuts it ('Tidal "Artist Spotlight'): spanCuts.ts. */
  unclosedQuotes: boolean;
  /** A regular past tense opening a sentence is cut from the name after it ("Played Monopoly"): imperativeOpeners.ts. */
  regularPastTenses: boolean;
  /** In carefully capitalised text an ordinary lower-case word opens no name ("underrates Severus"): spanCuts.ts. */
  leadingLowerCase: boolean;
  /** In carefully capitalised text an ordinary lower-case word between two capitalised ones cuts a span ("Joyce recommended Dopesick"): spanCuts.ts. */
  innerLowerCase: boolean;
  /** A glued slash between two title-case names cuts a span ("Nixon/Watergate"): spanCuts.ts. */
  slashedNames: boolean;
  /** A function word opening a sentence is no part of the one-word name after it ("Why Zermatt"): spanCuts.ts. */
  openingFunctionWords: boolean;
  /** A capitalised first word English does not know at all is a name ("Monzo", "Kofi 97!!"). */
  unknownFirstWords: boolean;
  /** The surname before "et al." is a span, and "et al." no part of one: etAl.ts. */
  citedAuthors: boolean;
  legalForms: boolean;
  modelNumbers: boolean;
  possessiveNames: boolean;
  documentNames: boolean;
  /** Fields of a line parted by spaced dashes, written in capitals, are names (dashFields.ts). */
  dashFields: boolean;
  /** A lower-case word ending in a drug class's INN stem is a span ("losartan"): drugStems.ts. */
  drugStems: boolean;
  /** A word with a capital inside it ("DeepMind", "iPhone") is a name wherever it stands. */
  camelCaseNames: boolean;
  /** A kinship word is cut from the name after it ("Aunt Rosa"), and alone is no name ("Mum"): kinship.ts. */
  kinship: boolean;
  /**
   * A line is Title Case only when it capitalises a function word or mostly ordinary words, and no
   * full stop ends it; otherwise it is prose dense with names ("Ask Grace Hopper.", "Email Sarah
   * Chen the Q3 deck"), read with the rules of normal casing: sentenceCasing.
   */
  proseCasing: boolean;
  /** A verb opening the sentence is cut from the name after it ("Ask Grace Hopper"): imperativeOpeners.ts. */
  readonly imperativeOpeners?: ImperativeOpeners;
  /** No name runs across " + ", a full stop before a lower-case word or a line break, "ex-", a greeting, or (in careful capitals) into lower-case ordinary words: spanCuts.ts. */
  spanCuts: boolean;
  /** A name found in one sentence of a paragraph is one wherever it recurs in that paragraph (detectParagraph). */
  readonly paragraphNames: boolean;
  /** In lower-cased text, words WordNet knows only as names join the spans (see detect). */
  lowerCaseNames: boolean;
  /** First names that are no ordinary word, added as spans in lower-cased text with `lowerCaseNames` and in cased prose with `wordnetNames` (firstNames.ts). */
  readonly firstNames: FirstNames | undefined;
  /** Span edges inside hyphen- or slash-glued words move to the word's edge, or the span goes (gluedWords.ts). */
  gluedWords: boolean;
  /** Spans joined by "of"/"for" after a capitalised common noun are one name (nameBridges.ts). */
  nameBridges: boolean;
  /** A capitalised "The" mid-sentence belongs to the name it opens (leadingThe.ts). */
  leadingThe: boolean;
  /** A span of lower-case ordinary words only, in cased prose, is no name ("works in both browser and server"). */
  ordinaryLowerCase: boolean;
  /** A capitalised first word joined by "and"/"or"/"," to a name is judged as if mid-sentence ("Shell and BP"). */
  coordinatedFirstWord: boolean;
  /** A span with a snake_case word in it is a code identifier, not a name ("Py_Initialize", "MAX_PATH"). */
  identifiers: boolean;
  /** Use the general hidden-layer loop even where the fused one applies (tests compare the two). */
  private readonly generalKernel: boolean;
  /** The hidden layer in WebAssembly SIMD (taggerKernel.ts), where the runtime and the model's shape allow. */
  private readonly simdKernel: SimdTaggerKernel | undefined;

  constructor(readonly model: TaggerModel, private readonly vectors: WordVectors, options: { maxCacheEntries?: number; sentenceStartRetry?: boolean; capitalBias?: number; initialCapitalBias?: number; allCapsAsLower?: boolean; headingWords?: boolean; terms?: TermLexicon; nameAdjectives?: NameAdjectives; wordnetNames?: boolean; paragraphNames?: boolean; gluedWords?: boolean; lowerCaseNames?: boolean; firstNames?: FirstNames; imperativeOpeners?: ImperativeOpeners; nameBridges?: boolean; leadingThe?: boolean; ordinaryLowerCase?: boolean; coordinatedFirstWord?: boolean; identifiers?: boolean; positionalCapitals?: boolean; adjacentWords?: boolean; cellStarts?: boolean; cjkText?: boolean; casedDocuments?: boolean; functionWords?: boolean; listCommas?: boolean; honorifics?: boolean; kinship?: boolean; camelCaseNames?: boolean; drugStems?: boolean; citedAuthors?: boolean; legalForms?: boolean; modelNumbers?: boolean; possessiveNames?: boolean; documentNames?: boolean; dashFields?: boolean; titleSegments?: boolean; coordinators?: boolean; titleLowerCase?: boolean; placedNames?: boolean; gluedSuffixes?: boolean; ownersApart?: boolean; unclosedQuotes?: boolean; regularPastTenses?: boolean; leadingLowerCase?: boolean; innerLowerCase?: boolean; slashedNames?: boolean; openingFunctionWords?: boolean; unknownFirstWords?: boolean; proseCasing?: boolean; spanCuts?: boolean; generalKernel?: boolean; simdKernel?: boolean } = {}) {
    this.generalKernel = options.generalKernel ?? false;
    this.firstNames = options.firstNames;
    this.lowerCaseNames = options.lowerCaseNames ?? true;
    this.gluedWords = options.gluedWords ?? true;
    this.nameBridges = options.nameBridges ?? true;
    this.leadingThe = options.leadingThe ?? true;
    this.ordinaryLowerCase = options.ordinaryLowerCase ?? true;
    this.coordinatedFirstWord = options.coordinatedFirstWord ?? true;
    this.identifiers = options.identifiers ?? true;
    this.wordnetNames = options.wordnetNames ?? true;
    this.paragraphNames = options.paragraphNames ?? true;
    this.sentenceStartRetry = options.sentenceStartRetry ?? true;
    this.capitalBias = options.capitalBias ?? DEFAULT_CAPITAL_BIAS;
    this.initialCapitalBias = options.initialCapitalBias ?? DEFAULT_INITIAL_CAPITAL_BIAS;
    this.allCapsAsLower = options.allCapsAsLower ?? true;
    this.headingWords = options.headingWords ?? true;
    this.positionalCapitals = options.positionalCapitals ?? true;
    this.cjkText = options.cjkText ?? true;
    this.adjacentWords = options.adjacentWords ?? true;
    this.cellStarts = options.cellStarts ?? true;
    this.listCommas = options.listCommas ?? true;
    this.honorifics = options.honorifics ?? true;
    this.kinship = options.kinship ?? true;
    this.camelCaseNames = options.camelCaseNames ?? true;
    this.drugStems = options.drugStems ?? true;
    this.citedAuthors = options.citedAuthors ?? true;
    this.legalForms = options.legalForms ?? true;
    this.modelNumbers = options.modelNumbers ?? true;
    this.possessiveNames = options.possessiveNames ?? true;
    this.documentNames = options.documentNames ?? true;
    this.dashFields = options.dashFields ?? true;
    this.titleSegments = options.titleSegments ?? true;
    this.coordinators = options.coordinators ?? true;
    this.titleLowerCase = options.titleLowerCase ?? true;
    this.placedNames = options.placedNames ?? true;
    this.gluedSuffixes = options.gluedSuffixes ?? true;
    this.ownersApart = options.ownersApart ?? true;
    this.unclosedQuotes = options.unclosedQuotes ?? true;
    this.regularPastTenses = options.regularPastTenses ?? true;
    this.leadingLowerCase = options.leadingLowerCase ?? true;
    this.innerLowerCase = options.innerLowerCase ?? true;
    this.slashedNames = options.slashedNames ?? true;
    this.openingFunctionWords = options.openingFunctionWords ?? true;
    this.unknownFirstWords = options.unknownFirstWords ?? true;
    this.proseCasing = options.proseCasing ?? true;
    this.imperativeOpeners = options.imperativeOpeners;
    this.spanCuts = options.spanCuts ?? true;
    this.casedDocuments = options.casedDocuments ?? true;
    this.functionWords = options.functionWords ?? true;
    this.terms = options.terms;
    this.nameAdjectives = options.nameAdjectives;
    const c = model.header;
    if (vectors.dimension !== c.dim) throw new Error(`tagger expects ${c.dim}-d word vectors, got ${vectors.dimension}-d`);
    if (c.surfaceFeatures !== SURFACE_FEATURES || c.globalFeatures !== GLOBAL_FEATURES) throw new Error('tagger model was trained with a different feature set');
    this.K = 2 * c.window + 1;
    this.H = c.hidden;
    this.maxCache = options.maxCacheEntries ?? 120000;
    this.h = new Float32Array(this.H);
    const G = c.globalFeatures;
    this.GmT = new Float32Array(G * this.H);
    for (let j = 0; j < this.H; j++) for (let q = 0; q < G; q++) this.GmT[q * this.H + j] = model.params.Gm[j * G + q];
    this.simdKernel = options.simdKernel === false || this.generalKernel ? undefined : SimdTaggerKernel.create(model.params, this.H, c.window, G, this.GmT);
    this.rows = this.simdKernel ?? new JsRowArena(this.K * this.H, model.params.Pad);
    this.projectedRows = new RowBlocks(2048 * this.K * this.H);
    // The id names the weights and the span post-processing (trimming, splitting, the
    // sentence-start retry, the casing rules, the cuts at markup gaps and possessives, the
    // clause-start rule and WordNet names in all-capitals lines ('gpcn'), glued dotted suffixes
    // ("Node.js", "process.md", 'e'), lists one item per line ('l'), lone months and weekdays ('m'), splits at blanked inline markup ('k'), WordNet names in normal
    // prose ('wsd': with the subject rule and dotted abbreviations), names spread within a paragraph ('P'), edges out of glued words ('j'), WordNet names in lower-cased text ('L'), "of"/"for" bridges ('o'), a leading capitalised "The" ('T'), lower-case dictionary words in cased prose ('O'), a first word coordinated with a name ('C'), code identifiers ('I'), a lone word whose capital only marks its position in its document ('D'), spans cut at CJK text ('K'), no span in a file path ('F'), a cased document's sentences without capitals read as cased ('W'), no lone function word ('Y'), adjacent one-word spans joined ('A'), a word after a cell gap opening a clause ('G'), two single letters glued by a slash kept whole ('S', with 'j'), the list commas ('M'), titles ('H'), the term lexicon, the name adjectives, the first names, the prose casing ('Q'), the imperative openers ('v'), the span cuts ('X'), kinship words ('R'), camel-case names ('U'), drug stems ('N'), surnames before "et al." ('Z'), title runs of list items and cells ('V'), unknown first words ('J'), the imperative verb after a plain-text list marker ('E'), coordinators between names ('-co'), a title run's lower-case words ('-tl'), names placed by a preposition ('-pn'), glued suffixes inside a span ('-gs'), an owner's possessive before a name ('-oa'), unclosed quotation marks ('-uq'), regular past tenses opening a sentence ('-rp'), lower-case words opening a span ('-ll') or inside one ('-il'), slashes between names ('-sn'), a function word opening the sentence before a name ('-fw')): a change to any re-detects stored documents.
    this.id = `tagger-v1:${modelHash(model)}+pp14${this.sentenceStartRetry ? 'r' : ''}${this.capitalBias ? `c${this.capitalBias}` : ''}${this.initialCapitalBias ? `i${this.initialCapitalBias}` : ''}${this.allCapsAsLower ? 'u' : ''}${this.headingWords ? 'h' : ''}gpcnelmk${this.wordnetNames ? 'wsd' : ''}${this.paragraphNames ? 'P' : ''}${this.gluedWords ? 'j' : ''}${this.lowerCaseNames ? 'L' : ''}${this.nameBridges ? 'o' : ''}${this.leadingThe ? 'T' : ''}${this.ordinaryLowerCase ? 'O' : ''}${this.coordinatedFirstWord ? 'C' : ''}${this.identifiers ? 'I' : ''}${this.positionalCapitals ? 'D' : ''}${this.cjkText ? 'K' : ''}${this.gluedWords ? 'F' : ''}${this.casedDocuments ? 'W' : ''}${this.functionWords ? 'Y' : ''}${this.adjacentWords ? 'A' : ''}${this.cellStarts ? 'G' : ''}B${this.listCommas ? 'M' : ''}${this.honorifics ? 'H' : ''}${this.gluedWords ? 'S' : ''}${this.terms ? `t${this.terms.hash}` : ''}${this.nameAdjectives ? `a${this.nameAdjectives.hash}` : ''}${this.firstNames ? `f${this.firstNames.hash}` : ''}${this.proseCasing ? 'Q' : ''}${this.imperativeOpeners ? `v${this.imperativeOpeners.hash}` : ''}${this.spanCuts ? 'X' : ''}${this.kinship ? 'R' : ''}${this.camelCaseNames ? 'U' : ''}${this.drugStems ? 'N' : ''}${this.citedAuthors ? 'Z' : ''}${this.titleSegments ? 'V' : ''}${this.unknownFirstWords ? 'J' : ''}${this.imperativeOpeners ? 'E' : ''}${this.legalForms ? '-lf' : ''}${this.modelNumbers ? '-mn' : ''}${this.possessiveNames ? '-ps' : ''}${this.documentNames ? '-dn' : ''}${this.coordinators ? '-co' : ''}${this.titleSegments && this.titleLowerCase ? '-tl' : ''}${this.titleSegments && this.placedNames ? '-pn' : ''}${this.gluedWords && this.gluedSuffixes ? '-gs' : ''}${this.ownersApart ? '-oa' : ''}${this.spanCuts && this.unclosedQuotes ? '-uq' : ''}${this.imperativeOpeners && this.regularPastTenses ? '-rp' : ''}${this.spanCuts && this.leadingLowerCase ? '-ll' : ''}${this.spanCuts && this.innerLowerCase ? '-il' : ''}${this.spanCuts && this.slashedNames ? '-sn' : ''}${this.spanCuts && this.openingFunctionWords ? '-fw' : ''}${this.dashFields ? '-df' : ''}-iv${irregularVerbFormsHash()}`;
    const R = this.K * this.H;
    this.rankCol = new Float32Array(R);
    for (let r = 0; r < R; r++) this.rankCol[r] = model.params.Uf[r * SURFACE_FEATURES + F_RANK];
  }

  /** Wv·vec(row) for all K×H first-layer units, per vocabulary row (shared by "The"/"the"/"THE"). */
  private readonly rowCache = new Map<number, Float32Array>();
  /** Uf·feats without the frequency-rank column, per pattern of the other (binary) surface features. */
  private readonly featCache = new Map<string, Float32Array>();
  /** C_k of an out-of-vocabulary token (its index in `rows`), per pattern of its other surface features (as featCache). */
  private readonly oovRows = new Map<string, number>();
  /** Uf column of the frequency-rank feature (K×H). */
  private readonly rankCol: Float32Array;
  /**
   * The cached K×H rows are views into shared blocks rather than arrays of their own (tens of
   * thousands of separate buffers cost the garbage collector more than the arithmetic they save);
   * each cache has its own blocks, so clearing one frees its memory.
   */
  private readonly projectedRows: RowBlocks;
  /**
   * The C_k rows of `cache` and `oovRows`: in the SIMD kernel's memory where there is one, which
   * then reads them in place. A full cache is cleared between sentences only, so that the rows of
   * the sentence at hand stay put.
   */
  private readonly rows: RowArena;

  /** Wv·v (K×H): in the SIMD kernel where there is one (the same sums), else four output units at a time so each vector element is loaded once per four products. */
  private project(v: Float32Array): Float32Array {
    const R = this.K * this.H;
    const D = this.model.header.dim;
    const Wv = this.model.params.Wv;
    const c = this.projectedRows.next(R);
    if (this.simdKernel) { this.simdKernel.project(v, c); return c; }
    let r = 0;
    for (; r + 3 < R; r += 4) {
      const b0 = r * D, b1 = b0 + D, b2 = b1 + D, b3 = b2 + D;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let d = 0; d < D; d++) { const x = v[d]; s0 += Wv[b0 + d] * x; s1 += Wv[b1 + d] * x; s2 += Wv[b2 + d] * x; s3 += Wv[b3 + d] * x; }
      c[r] = s0; c[r + 1] = s1; c[r + 2] = s2; c[r + 3] = s3;
    }
    for (; r < R; r++) { const b = r * D; let s = 0; for (let d = 0; d < D; d++) s += Wv[b + d] * v[d]; c[r] = s; }
    return c;
  }

  /** C_k(token) for all K window positions, concatenated (K×H): its index in `rows`. */
  private contributions(text: string): number {
    let c = this.cache.get(text);
    if (c !== undefined) return c;
    const R = this.K * this.H;
    const F = SURFACE_FEATURES;
    const Uf = this.model.params.Uf;
    const { row, feats } = surfaceFeatures(text, this.vectors);
    let key = '';
    for (let f = 0; f < F; f++) if (f !== F_RANK) key += feats[f] === 0 ? '0' : feats[f] === 1 ? '1' : `(${feats[f]})`;
    let fc = this.featCache.get(key);
    if (!fc) {
      fc = new Float32Array(R);
      for (let r = 0; r < R; r++) { const fb = r * F; let s = 0; for (let f = 0; f < F; f++) if (f !== F_RANK) s += Uf[fb + f] * feats[f]; fc[r] = s; }
      this.featCache.set(key, fc);
    }
    const rank = feats[F_RANK];
    const rc = this.rankCol;
    if (row >= 0) {
      let p = this.rowCache.get(row);
      if (!p) {
        p = this.project(this.vectors.row(row));
        if (this.rowCache.size >= this.maxCache / 2) { this.rowCache.clear(); this.projectedRows.reset(); }
        this.rowCache.set(row, p);
      }
      c = this.rows.alloc();
      const A = this.rows.view;
      for (let r = 0; r < R; r++) A[c + r] = p[r] + fc[r] + rc[r] * rank;
    } else {
      // Without a vector (rank 1) the row depends on the other features alone: one row per
      // pattern, shared by all such tokens (numbers, identifiers: half the cache's entries).
      c = this.oovRows.get(key);
      if (c === undefined) {
        c = this.rows.alloc();
        const A = this.rows.view;
        for (let r = 0; r < R; r++) A[c + r] = fc[r] + rc[r] * rank;
        this.oovRows.set(key, c);
      }
    }
    this.cache.set(text, c);
    return c;
  }

  /** Per-token log-probabilities (n×3, O/B/I) for tokens of one sentence. */
  /** Log P(O/B/I) per token; `rows` limits the work to the first rows (the rest stay 0). */
  tokenLogProbs(tokens: Token[], firstNotInitial = false, rows = tokens.length): Float32Array {
    const n = tokens.length;
    const K = this.K, H = this.H;
    const W = this.model.header.window;
    const G = GLOBAL_FEATURES;
    const { b1, W2, b2 } = this.model.params;
    const GmT = this.GmT;
    // Only the rows asked for and their window are read (the sentence-start retry asks for one).
    const needed = Math.min(n, rows + W);
    if (this.cache.size >= this.maxCache) { this.cache.clear(); this.oovRows.clear(); this.charRows.fill(-1); this.rows.reset(); }
    if (this.rowsOf.length < needed) this.rowsOf = new Int32Array(needed * 2);
    const rowsOf = this.rowsOf, charRows = this.charRows;
    for (let i = 0; i < needed; i++) {
      const text = tokens[i].text;
      const code = text.length === 1 ? text.charCodeAt(0) : 128;
      if (code < 128) rowsOf[i] = charRows[code] >= 0 ? charRows[code] : (charRows[code] = this.contributions(text));
      else rowsOf[i] = this.contributions(text);
    }
    // (Read after the rows are in: adding one may grow the buffer.)
    const A = this.rows.view, padAt = this.rows.padAt;
    if (this.gScratch.length < n * G) this.gScratch = new Float32Array(n * G * 2);
    const g = globalFeatures(tokens, this.gScratch.subarray(0, n * G));
    if (firstNotInitial) { g[0] = 0; g[1] = 0; }
    const out = this.logProbRows.next(n * 3);
    if (this.simdKernel && binary(g)) {
      const logits = this.simdKernel.logits(rowsOf, needed, n, rows, g);
      for (let i = 0; i < rows; i++) {
        writeLogProbs(out, i, logits[i * 3], logits[i * 3 + 1], logits[i * 3 + 2]);
      }
      return out;
    }
    const o0 = b2[0], o1 = b2[1], o2 = b2[2];
    const fround = Math.fround;
    for (let i = 0; i < rows; i++) {
      let l0 = o0, l1 = o1, l2 = o2;
      const gi = i * G;
      if (K === 5 && G === 4 && !this.generalKernel) {
        // One pass over the hidden units instead of one per window position and global feature:
        // each unit is summed in the same order and rounded to float32 after every addition, as
        // the general loop below does when it stores into h, so the results are bit-identical.
        const a = i - 2 < 0 ? padAt : rowsOf[i - 2], b = (i - 1 < 0 ? padAt : rowsOf[i - 1]) + H, c = rowsOf[i] + 2 * H;
        const d = (i + 1 >= n ? padAt : rowsOf[i + 1]) + 3 * H, e = (i + 2 >= n ? padAt : rowsOf[i + 2]) + 4 * H; // rowsOf reaches rows + W
        const q0 = g[gi], q1 = g[gi + 1], q2 = g[gi + 2], q3 = g[gi + 3];
        const H2 = 2 * H, H3 = 3 * H;
        for (let j = 0; j < H; j++) {
          let x = fround(b1[j] + A[a + j]);
          x = fround(x + A[b + j]);
          x = fround(x + A[c + j]);
          x = fround(x + A[d + j]);
          x = fround(x + A[e + j]);
          if (q0 !== 0) x = fround(x + GmT[j] * q0);
          if (q1 !== 0) x = fround(x + GmT[H + j] * q1);
          if (q2 !== 0) x = fround(x + GmT[H2 + j] * q2);
          if (q3 !== 0) x = fround(x + GmT[H3 + j] * q3);
          if (x > 0) { l0 += W2[j] * x; l1 += W2[H + j] * x; l2 += W2[H2 + j] * x; }
        }
      } else {
        const h = this.h;
        h.set(b1);
        for (let k = 0; k < K; k++) {
          const t = i + k - W;
          const src = (t < 0 || t >= n ? padAt : rowsOf[t]) + k * H;
          for (let j = 0; j < H; j++) h[j] += A[src + j];
        }
        for (let q = 0; q < G; q++) {
          const gv = g[gi + q];
          if (gv !== 0) { const b = q * H; for (let j = 0; j < H; j++) h[j] += GmT[b + j] * gv; }
        }
        for (let j = 0; j < H; j++) { const x = h[j]; if (x > 0) { l0 += W2[j] * x; l1 += W2[H + j] * x; l2 += W2[2 * H + j] * x; } }
      }
      writeLogProbs(out, i, l0, l1, l2);
    }
    return out;
  }

  /** Spans over pre-tokenized input (token-index spans, end exclusive). */
  detectTokens(tokens: Token[]): Array<[number, number]> {
    return viterbiSpans(this.tokenLogProbs(tokens), tokens.length);
  }

  /** Each sentence's spans, then (with `paragraphNames`) the paragraph's names wherever they recur in it. */
  detectParagraph(sentences: SentenceToDetect[]): OffsetSpan[][] {
    const spans = sentences.map((s) => this.detect(s.text, contextOf(s)));
    return this.paragraphNames ? spreadParagraphNames(sentences.map((s) => s.text), spans) : spans;
  }

  /**
   * A capitalised first name that is no ordinary word ("Casey", "Miranda"), standing as a word of
   * its own (not "Lib" of the path "Lib/idlelib"): a name wherever it stands, the sentence start
   * included, where the tagger, reading a capital there as weak evidence, misses many.
   */
  private isFirstNameAt(sentence: string, t: Token): boolean {
    // (The length first: every token of cased prose comes here, most of them punctuation.)
    return this.firstNames !== undefined && t.text.length >= 3 && /^\p{Lu}\p{Ll}{2,}$/u.test(t.text) && this.firstNames.has(t.text.toLowerCase())
      && !GLUED_TO_PATH.test(sentence[t.start - 1] ?? '') && !GLUED_TO_PATH.test(sentence[t.end] ?? '');
  }

  /**
   * "Monzo wants a demo", "Kofi 97!! new house record", "Sidekiq workers, Cloudflare in front": the
   * sentence's first word (after a list marker) when it is a name the tagger's weak reading of a
   * sentence-initial capital left out. English does not know it at all (no WordNet word, stem or
   * word behind an English prefix, no function, chat or closed-class word, not "Per" or "Ltd"), the
   * document never writes it in lower case, and the tagger, reading it as if mid-sentence, leans to
   * a name (not "Luv", "Altho", "Brah"). Not a word alone, whose lean says nothing ("Changelog"),
   * nor a label before a colon ("Datasheet: …"), nor a word of a sentence in another language
   * ("Tuttavia, …" in a translated page).
   */
  private unknownFirstWord(original: Token[], tokens: Token[], spans: readonly OffsetSpan[], context: SentenceContext | undefined, firstMidSentence: () => Float32Array): Token | undefined {
    const w = firstWordIndex(original);
    const t = original[w];
    if (!t || original.length <= w + 1 || original[w + 1].text === ':' || !/^\p{Lu}\p{Ll}{2,}$/u.test(t.text)) return undefined;
    const lower = t.text.toLowerCase();
    if (isClosedClassWord(t.text, true) || CHAT_INTERJECTION.test(t.text) || LATIN_AND_ABBREVIATIONS.has(lower)) return undefined;
    if (context?.positionalCapitals?.includes(lower) || spans.some((x) => x.start < t.end && t.start < x.end)) return undefined;
    if (!isUnknownWord(t.text) || isPrefixedWord(t.text) || !mostlyEnglish(original.slice(w + 1))) return undefined;
    const row = w === 0 ? firstMidSentence() : this.tokenLogProbs(tokens.slice(w), true, 1);
    return Math.exp(row[1]) >= UNKNOWN_FIRST_WORD_MIN_P ? t : undefined;
  }

  detect(sentence: string, context?: SentenceContext): OffsetSpan[] {
    const original = tokenize(sentence);
    if (original.length === 0) return [];
    const casing = sentenceCasing(original, this.proseCasing);
    const lower = lowerCaseTexts(original);
    // Capitals carry no signal in an all-capitals line: read it as the lower-cased text the
    // tagger was also trained on (offsets are the original ones).
    const tokens = casing === 'upper' && this.allCapsAsLower ? original.map((t, i) => ({ ...t, text: lower[i] })) : original;
    const spans: OffsetSpan[] = [];
    const logp = this.tokenLogProbs(tokens);
    if (casing === 'normal' && this.capitalBias) addCapitalBias(logp, tokens, this.capitalBias);
    const found = viterbiSpans(logp, tokens.length);
    // The first word's log-probabilities read as if it stood mid-sentence (only its own row
    // changes): asked for by the sentence-start retry and the coordinated-first-word rule.
    let firstRow: Float32Array | undefined;
    const firstMidSentence = () => (firstRow ??= this.tokenLogProbs(tokens, true, 1));
    // A lone name on its own line (a heading or list item "Lisbon") has no context for the
    // tagger to go on; where WordNet knows every word of the line mainly as a name, it is one.
    if (found.length === 0 && this.headingWords && isLoneName(tokens)) found.push([0, tokens.length]);
    // A capital letter says little at a sentence start, so names there ("Siemens is …") are
    // often missed. When the first word is capitalised and not already in a span, ask again as
    // if it stood mid-sentence (only its own row changes), and keep a span that starts at it.
    if (this.sentenceStartRetry && (found.length === 0 || found[0][0] > 0) && /^\p{Lu}/u.test(tokens[0].text) && !isCommonWord(tokens[0].text)) {
      const alt = logp.slice();
      alt.set(firstMidSentence().subarray(0, 3), 0);
      // A capital there is weaker evidence than mid-sentence, so a smaller bias.
      if (casing === 'normal' && this.initialCapitalBias) addCapitalBias(alt, tokens, this.initialCapitalBias, 0, 1);
      const retry = viterbiSpans(alt, tokens.length).find(([a]) => a === 0);
      if (retry && (found.length === 0 || retry[1] <= found[0][0])) found.unshift(retry);
    }
    // A heading's ordinary words are capitalised by convention, not because they are names.
    // (Not a sentence in the imperative, which a full stop ends: "Ask Grace Hopper.", not "Buy Eggs.")
    const imperative = this.proseCasing && original.length > 3 && this.imperativeOpeners?.opens(original) === true && endsWithFullStop(original);
    const headingWording = this.headingWords && !imperative && isHeadingWording(original);
    if (headingWording) found.length = 0;
    // In a Markdown heading even sentence case proves nothing ("Browser support"): a capitalised
    // span of ordinary words alone is dropped there (below), while "Trip to Lisbon" keeps "Lisbon".
    const heading = this.headingWords && context?.heading === true;
    // "Shell and BP", "Orange, Vodafone and …": the retry above leaves out a first word that is
    // also a common word, and the lone-word rule below drops it. Joined to a name the tagger
    // found, it is a name when the tagger, reading it as if mid-sentence, leans that way.
    let coordinatedFirst = false;
    const firstAlone = found.length > 0 && found[0][0] === 0 && found[0][1] === 1;
    const next = found[firstAlone ? 1 : 0];
    if (this.coordinatedFirstWord && casing === 'normal' && !headingWording && !heading && tokens.length > 2 && next?.[0] === 2
      && COORDINATORS.has(tokens[1].text) && /^\p{Lu}\p{Ll}+$/u.test(tokens[0].text)
      // A comma joins a list only when the list goes on ("Shell, BP and Total"; not "So, Hela wants").
      && (tokens[1].text !== ',' || COORDINATORS.has(tokens[next[1]]?.text ?? ''))
      && Math.exp(firstMidSentence()[1]) >= COORDINATED_FIRST_WORD_MIN_P) {
      if (!firstAlone) found.unshift([0, 1]);
      coordinatedFirst = true;
    }
    const hasLineBreak = LINE_BREAK.test(sentence);
    // Lower-cased text, where every name is written in lower case, has no capital at all.
    const anyCapital = /\p{Lu}/u.test(sentence);
    // Capitals mark names in the sentence, or in its document (a list item "- to enable jack injection").
    const capitalsMarkNames = anyCapital || (this.casedDocuments && context?.casedDocument === true);
    for (const [a0, b0] of found) {
      const lines: Array<[number, number]> = hasLineBreak ? splitAtLineItems(sentence, tokens, a0, b0) : [[a0, b0]];
      const gapless = lines.flatMap(([x, y]) => splitAtMarkupGaps(sentence, tokens, x, y));
      const pieces = this.listCommas ? gapless.flatMap(([x, y]) => splitAtListCommas(tokens, x, y)) : gapless;
      const coordinated = this.coordinators ? pieces.flatMap(([x, y]) => splitAtCoordinators(sentence, tokens, x, y, casing === 'normal')) : pieces;
      const separated = this.ownersApart && casing === 'normal' ? coordinated.flatMap(([x, y]) => splitAtPossessiveName(sentence, original, x, y, (i) => this.nameAdjectives?.isNameAt(original, i, true) === true)) : coordinated;
      for (const [p, q] of separated.flatMap(([x, y]) => splitAtJoiningArticle(tokens, ...cutAtPrepositionTail(original, ...cutAtPossessive(original, ...cutAtWideGap(sentence, tokens, x, y)))))) {
        const [trimmedStart, trimmedEnd] = trimSpan(tokens, p, q);
        const a = trimmedStart < trimmedEnd ? extendOverDottedPrefix(tokens, trimmedStart) : trimmedStart;
        const b = a < trimmedEnd ? extendAcrossDottedSuffix(tokens, trimmedEnd) : trimmedEnd;
        // (A lower-case span there is written that way on purpose: "## brace-expansion".)
        if (heading && a < b && CAPITALISED.test(original[a].text) && isOrdinaryWording(original.slice(a, b))) continue;
        // A lone word that English uses as a verb, adjective or adverb at the start of a sentence,
        // clause or table cell ("Down the Danube", "Located …", "`.close()`: Returns …", "- Convert
        // …", "tempX_input<TAB>Measured temperature") is capitalised by position, not because it is a name.
        if (b === a + 1 && (startsClause(tokens, a) || (this.cellStarts && opensCell(sentence, tokens, a))) && isCommonWord(tokens[a].text) && tokens[a].text !== tokens[a].text.toUpperCase() && !(coordinatedFirst && a === 0)) continue;
        // A lone pronoun, interjection or other function word is no name wherever it stands ("…
        // You are the best", "Hey guys", "Yeah", "Servers MUST …"): chat, comments and RFCs
        // capitalise them mid-sentence.
        if (b === a + 1 && isClosedClassWord(tokens[a].text, this.functionWords)) continue;
        // Nor is chat shorthand written in lower case ("best album imo", "lol"); in capitals it
        // may be an acronym ("IMO", the maritime organisation).
        if (b === a + 1 && this.functionWords && CHAT_INTERJECTION.test(original[a].text) && !/\p{Lu}/u.test(original[a].text)) continue;
        // Nor are function words together ("How It" of a heading "How It Works").
        if (this.functionWords && b > a + 1 && tokens.slice(a, b).every((t) => FUNCTION_WORDS.has(t.text.toLowerCase()))) continue;
        // A name adjective and lower-case words only are the adjective and what it describes
        // ("Muslim leaders", "Russian kitchens"): the name is the adjective.
        const end = a < b && casing === 'normal' && this.nameAdjectives?.isNameAt(original, a, !heading)
          && original.slice(a + 1, b).every((t) => /^\p{Ll}/u.test(t.text)) ? a + 1 : b;
        if (b === a + 1 && isLoneDate(tokens, a, sentence)) continue;
        // Where capitals mark names, a span of lower-case dictionary words is a slip of the
        // tagger's five-word window ("works in both browser and server"), not a name written in
        // lower case on purpose ("iPhone", "npm" are no ordinary words and stay).
        if (this.ordinaryLowerCase && casing === 'normal' && capitalsMarkNames && a < b && isOrdinaryLowerCase(original, a, b, this.firstNames)) continue;
        if (a >= b) continue;
        const span = { start: tokens[a].start, end: tokens[end - 1].end };
        // The dotted extensions can reach into the previous span ("Node" "js" → "Node.js" twice).
        const last = spans[spans.length - 1];
        if (last && last.end > span.start) last.end = Math.max(last.end, span.end);
        else spans.push(span);
      }
    }
    let merged = spans;
    if (casing === 'upper' && this.allCapsAsLower) {
      // In an all-capitals line ("TENNIS - SELES BEATS HINGIS", "LONDON 1996-08-30") capitals say
      // nothing and the tagger reads lower-case text, where a lone name has little to go on: a
      // word the tagger left out that WordNet knows mainly as the name of a place, person or
      // group is one (not a word of one or two letters: "IT", "US", "ME" are as often pronouns).
      for (const t of original) {
        if (t.text.length < 3 || !/^\p{Lu}+$/u.test(t.text)) continue;
        const word = t.text[0] + t.text.slice(1).toLowerCase();
        // Only places, people and groups (so mainly a name): WordNet writes weekdays, languages
        // ("Yay") and acronyms of common things ("CEO") with capitals too.
        const n = nounSenses.senses(word);
        if (!n || n.placePersonGroup <= n.common || isCommonWord(word) || merged.some((x) => x.start < t.end && t.start < x.end)) continue;
        merged = [...merged, { start: t.start, end: t.end }];
      }
    }
    if (this.wordnetNames && casing === 'normal' && !headingWording && !heading) {
      // The tagger, reading a window of five words, misses some lone names it has no context for
      // ("Williams was elected", "said Baghdad would"); WordNet knows many. Next to a span the
      // word extends it ("Daniel" + "Bevenius"), otherwise it is a span of its own.
      for (let i = 0; i < original.length; i++) {
        const t = original[i];
        if (!(isWordNetName(original, i) || this.isFirstNameAt(sentence, t)) || merged.some((x) => x.start < t.end && t.start < x.end)) continue;
        merged = addWordSpan(sentence, merged === spans ? [...spans] : merged, t);
      }
    }
    if (this.lowerCaseNames && !capitalsMarkNames) {
      // Lower-cased text gives the tagger no capitals to go on; a word WordNet knows only as the
      // name of a place, person or group ("paris", "obama", "nato"), never as a common word, is one;
      // so is a first name that is no ordinary word ("emma", "casey"), and a multi-word name WordNet
      // writes in Title Case ("cape town", "north sea"), which replaces the tagger's spans inside it ("cape").
      for (let i = 0; i < original.length; i++) {
        const n = multiwordNameAt(original, i);
        if (n === 0) continue;
        const start = original[i].start, end = original[i + n - 1].end;
        const overlapping = merged.filter((x) => x.start < end && start < x.end);
        if (overlapping.some((x) => x.start < start || x.end > end)) continue;
        merged = [...merged.filter((x) => !overlapping.includes(x)), { start, end }].sort((x, y) => x.start - y.start);
        i += n - 1;
      }
      for (let i = 0; i < original.length; i++) {
        const t = original[i];
        if (!(isLowerCaseWordNetName(t.text) || this.firstNames?.has(t.text)) || merged.some((x) => x.start < t.end && t.start < x.end)) continue;
        merged = addWordSpan(sentence, merged === spans ? [...spans] : merged, t);
      }
    }
    const lowerNames = this.documentNames && casing !== 'upper' ? context?.namesInLowerCase : undefined;
    if (lowerNames) {
      // "tobias: staging cache up", "ping marta re: side letter": quick notes write in lower case
      // a name their document capitalises elsewhere ("review from Tobias", "Marta Kowalski"); a
      // word English uses otherwise stays a word ("Note:" and "note", "Python" and "python").
      for (const t of original) {
        if (!lowerNames.includes(t.text) || isCommonWord(t.text) || isOrdinaryWord(t.text) || merged.some((x) => x.start < t.end && t.start < x.end)) continue;
        merged = addWordSpan(sentence, merged === spans ? [...spans] : merged, t);
      }
    }
    if (this.terms) {
      // A term joins the tagger's spans where it overlaps none, and replaces those it wholly covers
      // ("hay" → "hay fever"); a span that reaches beyond the term wins ("Cancer Research UK").
      // (`lower` is the lower case of `tokens` too: lower-casing twice changes nothing.)
      for (const [a, b] of this.terms.find(tokens, casing !== 'normal' || headingWording || heading, lower)) {
        const start = tokens[a].start, end = tokens[b - 1].end;
        const overlapping = merged.filter((s) => s.start < end && start < s.end);
        if (overlapping.some((s) => s.start < start || s.end > end)) continue;
        merged = [...merged.filter((s) => !overlapping.includes(s)), { start, end }];
      }
    }
    if (this.drugStems) {
      // Drugs the lexicon lacks, by their INN stem ("losartan", "apixaban"): drugStems.ts. As with
      // terms, a capital counts only where capitals say nothing (a sentence's first word, a Title
      // Case or all-capitals line).
      const anyCase = casing !== 'normal' || headingWording || heading;
      const first = firstWordIndex(original);
      original.forEach((t, i) => {
        const word = lower[i];
        if (!(t.text === word || ((anyCase || i === first) && t.text === word[0].toUpperCase() + word.slice(1)))) return;
        if (!isDrugByStem(word) || merged.some((s) => s.start < t.end && t.start < s.end)) return;
        merged = [...merged, { start: t.start, end: t.end }];
      });
    }
    if (this.camelCaseNames && casing !== 'upper') {
      // "DeepMind rejected me", "| LeetCode | …", "iPhone 15 arrived": a capital inside a word is no
      // sentence's or heading's doing, so such a word is a name wherever it stands; the tagger,
      // which has no vector for most of them, found them mid-sentence only.
      for (const t of original) {
        if (!isCamelCaseName(t.text) || merged.some((s) => s.start < t.end && t.start < s.end)) continue;
        merged = addWordSpan(sentence, merged === spans ? [...spans] : merged, t);
      }
    }
    if (this.nameAdjectives && casing !== 'upper') {
      const capitalsMeanNames = casing === 'normal' && !headingWording && !heading;
      // A name adjective the tagger left out is a span of its own; inside a span it stays part
      // of that name ("American Airlines").
      for (const i of this.nameAdjectives.find(original, capitalsMeanNames)) {
        const { start, end } = original[i];
        if (merged.some((s) => s.start < end && start < s.end)) continue;
        merged = [...merged, { start, end }];
      }
    }
    if (merged !== spans) merged.sort((x, y) => x.start - y.start);
    if (this.gluedWords && touchesGlue(sentence, merged)) {
      // Capitals carry information where some word after the first has them ("I" aside).
      const cased = casing !== 'upper' && original.some((t, i) => i > 0 && t.text.length > 1 && CAPITALISED.test(t.text));
      merged = adjustGluedSpans(sentence, merged, { cased, isOrdinary: isOrdinaryWord, innerSuffixes: this.gluedSuffixes });
    }
    if (this.nameBridges && merged.length && sentence.includes(' for ')) merged = splitAtNameFor(sentence, merged);
    if (this.nameBridges && merged.length > 1) merged = joinNameBridges(sentence, merged);
    // "Internet Explorer", "Dell Inspiron", "Hong Kong": the tagger, reading five words at a time,
    // sometimes starts a second span inside a two-word name.
    if (this.adjacentWords && merged.length > 1) merged = joinAdjacentWords(sentence, merged);
    if (this.legalForms && casing !== 'upper' && merged.length) merged = attachLegalForms(sentence, merged);
    if (this.modelNumbers && casing !== 'upper' && merged.length) merged = attachModelNumbers(sentence, merged, (w) => this.firstNames?.has(w) === true);
    if (this.leadingThe && casing === 'normal' && merged.length) merged = extendOverLeadingThe(sentence, merged);
    if (this.honorifics && merged.length) merged = attachSaintsPossessive(sentence, attachHonorifics(sentence, merged));
    if (this.imperativeOpeners && merged.length && casing !== 'upper') merged = [...this.imperativeOpeners.cut(original, merged, this.regularPastTenses)];
    if (this.spanCuts && merged.length) merged = cutSpans(sentence, original, merged, context?.casedDocument === true, this.firstNames,
      { unclosedQuotes: this.unclosedQuotes, leadingLowerCase: this.leadingLowerCase, innerLowerCase: this.innerLowerCase, slashedNames: this.slashedNames, openingFunctionWords: this.openingFunctionWords });
    // (After the cuts: "Mum - Le Creuset" is one span until the spaced dash splits it.)
    if (this.kinship && merged.length) merged = cutKinshipWords(sentence, merged);
    if (this.possessiveNames && casing === 'normal' && merged.length) merged = joinPossessiveNames(sentence, merged, (w) => this.firstNames?.has(w) === true);
    if (this.unknownFirstWords && casing === 'normal' && !headingWording && !heading) {
      const t = this.unknownFirstWord(original, tokens, merged, context, firstMidSentence);
      if (t) merged = addWordSpan(sentence, [...merged], t).sort((x, y) => x.start - y.start);
    }
    if (this.citedAuthors && casing !== 'upper' && sentence.includes('et al')) merged = citedAuthors(original, merged);
    if (this.titleSegments && casing !== 'upper' && !heading && merged.length) merged = joinTitleSegments(sentence, original, merged, firstWordIndex(original), (w) => this.imperativeOpeners?.has(w) === true, { titleLowerCase: this.titleLowerCase, placedNames: this.placedNames, isOrdinary: isOrdinaryWord });
    // A catalogue line's fields in capitals ("John Coltrane – Blue Train – Blue Note – 1957"): dashFields.ts.
    if (this.dashFields && casing !== 'upper' && !heading && /\S {1,2}[–—-] {1,2}\S/.test(sentence)) merged = addDashFieldNames(sentence, merged, isOrdinaryWord);
    // Plain-text notes and docs quote code without markup ("call Py_Initialize first", "MAX_PATH
    // is 260"); no name is written with an underscore inside a word, except a handle ("@jane_doe");
    // nor is a ticket's key a name.
    if (this.identifiers && sentence.includes('_')) merged = merged.filter((x) => !isIdentifierSpan(sentence, x));
    if (this.identifiers && sentence.includes('-')) merged = merged.filter((x) => !TICKET_KEY.test(sentence.slice(x.start, x.end)));
    // Chinese, Japanese and Korean text is no English the tagger can read: only the Latin names inside its spans stay.
    if (this.cjkText && CJK.test(sentence)) merged = splitAtCjk(sentence, merged);
    // Tab-separated cells and rows: no name holds a tab or runs from one row into the next.
    if (sentence.includes('\t')) merged = splitAtCells(sentence, merged);
    // "Servers SHOULD …", "Filesystems must …", a table's "Chip temperature alarm": a lone word
    // that the rest of the document writes in lower case, and never capitalises mid-sentence, is
    // capitalised by its position alone (ingest/positionalCapitals.ts), if it is an ordinary
    // English word (a tool's name written both ways, "Setuptools" and "setuptools", stays a name).
    const positional = this.positionalCapitals ? context?.positionalCapitals : undefined;
    if (positional && merged.length) {
      const words = wordSetOf(positional);
      merged = merged.filter((x, i) => {
        if (i === 0 && coordinatedFirst) return true;
        const text = sentence.slice(x.start, x.end);
        return !(CAPITALISED_WORD.test(text) && words.has(text.toLowerCase()) && isOrdinaryWord(text));
      });
    }
    return merged;
  }
}
