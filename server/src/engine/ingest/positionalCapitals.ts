// Capitals that only mark a position. Documentation opens sentences, headings and list items with
// ordinary words ("Servers SHOULD …", "Filesystems must …", "Pathspec elements are …"), and a
// capital there says little; the span detector, reading five words at a time, takes many of them
// for names. The rest of the document says how a word is written where nothing forces a capital:
// a word used in lower case in it and never capitalised mid-sentence is an ordinary word there.
// The same reading tells whether the document writes names with capitals at all (`cased`), so
// that its sentences without any are not taken for lower-cased text. A term the document defines
// as licences do, (the "Software"), is listed wherever it is capitalised, mid-sentence too.
// The evidence is the document's, so it travels with each paragraph (and into its content hash):
// a paragraph is detected again whenever the evidence for one of its words changes, and a full
// and an incremental index give the same spans.
import type { OffsetSpan } from '../types.ts';
import { FUNCTION_WORDS } from '../functionWords.ts';
import { CALENDAR_WORDS, DAY_ABBREVIATIONS } from '../calendarWords.ts';
import { lineStartAt } from './sentences.ts';

/** Characters that glue a word to the one before or after it: a path, a file name, a handle, a contraction ("node.js", "user-space", "@jane", "std::map", "don't"). */
const GLUE_BEFORE = /[.\-/\\@#'’:$%&+=~]/;
const GLUE_AFTER = /[\-/\\@'’&+=~]/;
/** The character before a word (spaces and one line break skipped) that puts it mid-sentence; caseless letters included (CJK prose: "使用 Linux"). */
const MID_SENTENCE_BEFORE = /[\p{Ll}\p{Lo}\p{N},;)]/u;

function glued(text: string, start: number, end: number): boolean {
  if (start > 0 && GLUE_BEFORE.test(text[start - 1])) return true;
  const next = text[end];
  if (next === undefined) return false;
  // A full stop or colon ends a sentence or clause; before a letter or digit it glues ("node.js", "c:foo").
  if (next === '.' || next === ':') return /[\p{L}\p{N}]/u.test(text[end + 1] ?? '');
  return GLUE_AFTER.test(next);
}

/**
 * Whether the word at `start` follows a lower-case word, a digit, a comma or a closing
 * parenthesis in the same sentence (spaces and one line break between; not a tab).
 */
function midSentence(text: string, start: number): boolean {
  let i = start - 1;
  let lineBreaks = 0;
  while (i >= 0) {
    const c = text[i];
    if (c === ' ') { i--; continue; }
    // A tab separates a table's or a definition list's cells: the word opens one.
    if (c === '\t') return false;
    if (c === '\n' || c === '\r') {
      if (c === '\n' && text[i - 1] === '\r') i--;
      if (++lineBreaks > 1) return false;
      i--;
      continue;
    }
    break;
  }
  return i >= 0 && i < start - 1 && MID_SENTENCE_BEFORE.test(text[i]);
}

/**
 * For each block (offsets into `text`, in order, not overlapping), the capitalised words in it
 * (lower-cased, sorted, distinct) whose capital marks only their position in this document: the
 * word is used in lower case somewhere in `text` and never capitalised mid-sentence outside a
 * heading (whose words are capitalised by convention). Undefined for a block with none. `text` is the document's prose view (code blanked), as the blocks index it.
 */
export function positionalCapitals(text: string, blocks: ReadonlyArray<OffsetSpan & { heading?: boolean }>): Array<string[] | undefined> {
  return documentCaseEvidence(text, blocks).positional;
}

/** What a document's capitals say beyond each sentence (see {@link documentCaseEvidence}). */
export interface CaseEvidence {
  /**
   * The document writes names with capitals: at least {@link CASED_DOCUMENT_MIN_WORDS} distinct
   * words are capitalised mid-sentence outside headings. A sentence of it without capitals ("- to
   * enable jack injection:") is then no lower-cased text whose names lost their capitals.
   */
  cased: boolean;
  /** Per block, as {@link positionalCapitals} returns them. */
  positional: Array<string[] | undefined>;
  /**
   * Per block, the words it writes in lower case (sorted, distinct) that the document capitalises
   * alone mid-sentence or as a line's label ("review from Tobias pls", "Meg: …"; not "Worktop" of
   * "Worktop Express", nor a weekday or a word of two letters): in quick notes a name
   * the note also writes lower case ("tobias: staging cache up", "ping marta re: side letter").
   * Whether such a word is a name there (no common English word) is the detector's to say.
   */
  lowerCaseNames: Array<string[] | undefined>;
}
export const CASED_DOCUMENT_MIN_WORDS = 3;

/** {@link positionalCapitals} and whether the document is cased, from one reading. */
export function documentCaseEvidence(text: string, blocks: ReadonlyArray<OffsetSpan & { heading?: boolean }>): CaseEvidence {
  // Capitalised words first: those mid-sentence, and the others with their offsets.
  const capitalisedMidSentence = new Set<string>();
  const positional: Array<{ at: number; word: string }> = [];
  const defined = definedTerms(text);
  const definedAt: Array<{ at: number; word: string }> = [];
  let h = 0;
  // How often a word is capitalised as a name of its own (alone mid-sentence, or a line's label).
  const asName = new Map<string, number>();
  const countAsName = (word: string) => asName.set(word, (asName.get(word) ?? 0) + 1);
  forEachWord(text, UPPER, (start, end) => {
    if (end - start < 2 || glued(text, start, end)) return;
    const word = text.slice(start, end).toLowerCase();
    if (text[end] === ':' && lineStartBefore(text, start)) countAsName(word);
    if (defined?.has(word)) definedAt.push({ at: start, word });
    if (!midSentence(text, start)) { positional.push({ at: start, word }); return; }
    // A heading capitalises its words by convention ("Pod Formatting Codes"): no evidence there.
    while (h < blocks.length && blocks[h].end <= start) h++;
    if (!(h < blocks.length && blocks[h].start <= start && blocks[h].heading)) {
      capitalisedMidSentence.add(word);
      // A name of its own, not a word of a longer one ("Worktop Express", "Pecorino Siciliano").
      if (!CAPITALISED_AFTER.test(text.slice(end, end + 8)) && !CAPITALISED_BEFORE.test(text.slice(Math.max(0, start - 40), start))) countAsName(word);
    }
  });
  const candidates = new Set<string>();
  // Function words open most sentences and are never a name alone: left out, so that a
  // paragraph's list (and hash) holds only words a detector could take for names.
  for (const { word } of positional) if (!capitalisedMidSentence.has(word) && !FUNCTION_WORDS.has(word)) candidates.add(word);
  const cased = capitalisedMidSentence.size >= CASED_DOCUMENT_MIN_WORDS;
  const names = new Set<string>();
  for (const word of asName.keys()) if (word.length > 2 && !FUNCTION_WORDS.has(word) && !CALENDAR_WORDS.has(word) && !DAY_ABBREVIATIONS.has(word)) names.add(word);
  if (candidates.size === 0 && definedAt.length === 0 && names.size === 0) return { cased, positional: blocks.map(() => undefined), lowerCaseNames: blocks.map(() => undefined) };
  // Then the candidates' lower-case uses, in a second pass (cheaper than keeping the offsets of
  // every lower-case word); a string is made only of a word with a candidate's length, first and
  // last letter (a small-integer key, so that no number is allocated per word).
  const shapeOf = (length: number, first: number, last: number) => ((length & 0x3f) << 20) | ((first & 0x3ff) << 10) | (last & 0x3ff);
  const shapes = new Set([...candidates, ...names].map((w) => shapeOf(w.length, w.charCodeAt(0), w.charCodeAt(w.length - 1))));
  const usedInLowerCase = new Set<string>();
  const lowerNameAt: Array<{ at: number; word: string }> = [];
  forEachWord(text, LOWER, (start, end) => {
    if (!shapes.has(shapeOf(end - start, text.charCodeAt(start), text.charCodeAt(end - 1)))) return;
    const word = text.slice(start, end);
    if (candidates.has(word) && !glued(text, start, end)) usedInLowerCase.add(word);
    // A possessive glues no name away ("ben's advisor agreement").
    if (names.has(word) && (!glued(text, start, end) || /^['’]s\b/.test(text.slice(end, end + 3)))) lowerNameAt.push({ at: start, word });
  });
  // A defined term is capitalised as a term wherever it stands, mid-sentence too.
  const used = positional.filter(({ word }) => usedInLowerCase.has(word));
  const listed = definedAt.length ? [...used, ...definedAt].sort((x, y) => x.at - y.at) : used;
  // A word the document writes in lower case more often than as a name is its word, not a name
  // written carelessly ("perf", "regex" beside a "Regex" or two).
  const lowerCount = new Map<string, number>();
  for (const { word } of lowerNameAt) lowerCount.set(word, (lowerCount.get(word) ?? 0) + 1);
  const lowerNames = lowerNameAt.filter(({ word }) => lowerCount.get(word)! <= asName.get(word)!);
  return { cased, positional: wordsPerBlock(blocks, listed), lowerCaseNames: wordsPerBlock(blocks, lowerNames) };
}

/**
 * The words at their offsets (in order), per block: sorted and distinct (a set per block: a
 * paragraph of thousands of such words made an array's `includes` quadratic), undefined for a
 * block with none.
 */
function wordsPerBlock(blocks: ReadonlyArray<OffsetSpan>, occurrences: ReadonlyArray<{ at: number; word: string }>): Array<string[] | undefined> {
  const out: Array<Set<string> | undefined> = blocks.map(() => undefined);
  let b = 0;
  for (const { at, word } of occurrences) {
    while (b < blocks.length && blocks[b].end <= at) b++;
    if (b === blocks.length) break;
    if (at >= blocks[b].start) (out[b] ??= new Set()).add(word);
  }
  return out.map((words) => (words ? [...words].sort() : undefined));
}

/** A capitalised word after this one, perhaps past a particle of a name ("Pastéis de Belém", "Bank of England"). */
const CAPITALISED_AFTER = /^[ \t]+(?:(?:de|da|do|dos|das|del|della|di|du|des|la|le|van|von|der|den|of|the|and|y|e|&)[ \t]+)?\p{Lu}/u;
const CAPITALISED_BEFORE = /\p{Lu}[\p{L}\p{M}'’.-]*[ \t]+$/u;

/** Whether only spaces, tabs or a list marker stand between the line's start and `start`. */
function lineStartBefore(text: string, start: number): boolean {
  return /^[ \t]*(?:[-*+•][ \t]+)?$/.test(text.slice(lineStartAt(text, start), start));
}

/**
 * The terms a document defines the way licences and contracts do: ... (the "Software"), (the
 * “License”). Lower case; undefined when there are none. Such a word is capitalised in that
 * document as a term, not as a name ("to deal in the Software without restriction").
 */
function definedTerms(text: string): Set<string> | undefined {
  let found: Set<string> | undefined;
  for (const m of text.matchAll(DEFINED_TERM)) (found ??= new Set()).add(m[1].toLowerCase());
  return found;
}
const DEFINED_TERM = /\(the ["“](\p{Lu}\p{Ll}+)["”]\)/gu;

/**
 * Calls `visit` with the offsets of each word of `text` that is lower case after its first
 * letter, and whose first letter is of class `firstClass` (LOWER: a lower-case word; UPPER: a
 * capitalised one).
 */
function forEachWord(text: string, firstClass: number, visit: (start: number, end: number) => void): void {
  const n = text.length;
  for (let i = 0; i < n;) {
    let flags = classOf(text.charCodeAt(i));
    if (!(flags & WORD)) { i++; continue; }
    const start = i;
    const first = flags;
    let restLower = true;
    for (i++; i < n; i++) {
      flags = classOf(text.charCodeAt(i));
      if (!(flags & WORD)) break;
      if (!(flags & LOWER)) restLower = false;
    }
    if (restLower && first & firstClass) visit(start, i);
  }
}

// Character classes of UTF-16 code units, looked up by code (regular expressions with Unicode
// classes are ≈ 3× slower over a whole document). A surrogate counts as a word character of
// neither case, so a word with an astral letter is neither lower case nor capitalised.
const WORD = 1, LOWER = 2, UPPER = 4, KNOWN = 8;
const classes = new Uint8Array(0x10000);
function classOf(code: number): number {
  let flags = classes[code];
  if (flags) return flags;
  const c = String.fromCharCode(code);
  flags = KNOWN;
  if (code >= 0xd800 && code <= 0xdfff) flags |= WORD;
  else if (/[\p{L}\p{M}\p{N}_]/u.test(c)) flags |= WORD | (/[\p{Ll}\p{M}]/u.test(c) ? LOWER : 0) | (/\p{Lu}/u.test(c) ? UPPER : 0);
  classes[code] = flags;
  return flags;
}
