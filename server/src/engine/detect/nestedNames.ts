// A maker's or a series' name inside a product's: "Canon" in "Canon R7", "Glenfiddich" in
// "Glenfiddich 12", "Embraer" in "Embraer E195-E2". The product's name is one mention (WNUT-17 and
// MultiCoNER write "iPhone 7", "boeing 767" whole; modelNumbers.ts), and a query for a camera
// brand, a distillery or an aircraft maker asks for the maker's, so the index holds both. A name
// before a model number names its maker or series. Each name is read on its own: what a
// paragraph's mentions are never depends on another paragraph, which re-indexing may keep.
import type { OffsetSpan } from '../types.ts';
import { CALENDAR_WORDS, DAY_ABBREVIATIONS } from '../calendarWords.ts';
import { FUNCTION_WORDS } from '../functionWords.ts';
import { isCommonWord, isOrdinaryWord, nounSenses } from './wordClasses.ts';

/** Recorded in a store's identity (engine.ts identityOf): a change re-detects stores built before it. */
export const NESTED_NAMES_VERSION = 'nested-v1';

/** The words of a name with their offsets in it. */
function wordsOf(text: string): Array<{ text: string; start: number; end: number }> {
  return [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

/** A model number or code: a word with a digit ("12", "R7", "X100V", "F-35", "24.04", "s4"). */
const MODEL_WORD = /\p{N}/u;

/** Words before a number that count a part of a series or a date, not a maker's name ("Chapter 12", "AD 43", "Wk 1"). */
const NOT_A_MAKER = new Set(['ad', 'bc', 'ce', 'bce', 'wk', 'no', 'no.', 'nr', 'vol', 'vol.', 'pt', 'ch', 'ep', 'chapter', 'section', 'part', 'volume', 'number',
  'page', 'room', 'route', 'episode', 'season', 'series', 'level', 'phase', 'stage', 'type', 'model', 'mark', 'version', 'release', 'day', 'week',
  'year', 'act', 'book', 'track', 'item', 'step', 'figure', 'table']);

/**
 * How many words of a mention text name its maker: those before its first model number ("Canon" of
 * "Canon R7", "Lockheed Martin" of "Lockheed Martin F-35"), or 0. A bare number after an ordinary
 * English word counts a series ("Plot 3", "Connect 4"), a code after it names a model ("Canon
 * R7"); a function word, a date's word or a series word names no maker ("The RP2040", "Dec 8",
 * "Chapter 12").
 */
export function makerWords(text: string): number {
  const written = wordsOf(text).map((w) => w.text);
  const words = written.map((w) => w.toLowerCase());
  const number = words.findIndex((w, i) => i > 0 && MODEL_WORD.test(w));
  if (number < 1) return 0;
  const first = words[0], last = words[number - 1];
  if (!/^\p{L}/u.test(first) || !/\p{L}$/u.test(last)) return 0;
  if (FUNCTION_WORDS.has(first) || FUNCTION_WORDS.has(last) || NOT_A_MAKER.has(last)) return 0;
  if (CALENDAR_WORDS.has(last) || DAY_ABBREVIATIONS.has(last)) return 0;
  const code = /\p{L}/u.test(words[number]);
  if (!code && (isOrdinaryWord(last) || isCommonWord(last))) return 0;
  // An abbreviation WordNet knows for no place, person or group is a part or a unit, not a maker ("CPU 4", "GHz I2C").
  if (/\p{Lu}.*\p{Lu}/u.test(written[number - 1]) && number === 1) {
    const senses = nounSenses.senses(last);
    if (senses && senses.placePersonGroup === 0 && senses.acronymPlaceGroup === 0) return 0;
  }
  return number;
}

/**
 * `spans` (offsets into `sentence`, in order) with the maker's name inside each product's name
 * right after it ("Canon R7", then "Canon"): an enclosing mention comes first, as the editor's
 * features expect (hover and inline labels take the whole name).
 */
export function withNestedNames(sentence: string, spans: readonly OffsetSpan[]): readonly OffsetSpan[] {
  let out: OffsetSpan[] | undefined;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    const text = sentence.slice(span.start, span.end);
    const n = makerWords(text);
    if (!n) { out?.push(span); continue; }
    out ??= spans.slice(0, i);
    out.push(span, { start: span.start, end: span.start + wordsOf(text)[n - 1].end });
  }
  return out ?? spans;
}
