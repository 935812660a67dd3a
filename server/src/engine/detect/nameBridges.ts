// Names that run over a lower-case "of" or "for": "World Organization of the Scout Movement", "Git
// for Windows", "International Centre for Hydrogen Energy Technologies". The tagger, reading five
// words at a time, often ends a span at the lower-case word and starts another after it. Two spans
// joined by " of ", " for ", " of the " or " for the " are one name when the first ends in a
// capitalised common noun (Organization, Centre, Code, Standard), which wants its complement, and
// the second starts with a capital. A first span ending in a name word ("Primož Roglič of
// Slovenia", "Smith of Microsoft") is a name of its own, and so is a lone word opening the sentence,
// capitalised by position ("Users of Windows"). A bare "the" is no bridge: "John the Baptist", but
// "In Prague the Vltava is crossed by …".
import type { OffsetSpan } from '../types.ts';
import { isOrdinaryWord } from './wordClasses.ts';

/** The words that bridge two spans into one name (pattern source; the table-cell rule in tagger.ts leaves them too). */
export const BRIDGE_WORDS = '(?:of|for)(?: the)?';
const OF_BRIDGE = new RegExp(`^ ${BRIDGE_WORDS} $`);
const WORD_OR_NUMBER = /[\p{L}\p{N}]/u;

/** Merges spans joined by an "of"/"for" bridge as described above; `spans` sorted by start. */
export function joinNameBridges(sentence: string, spans: readonly OffsetSpan[]): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && /^\p{Lu}/u.test(sentence[span.start]) && bridges(sentence, last, sentence.slice(last.end, span.start))) {
      out[out.length - 1] = { start: last.start, end: span.end };
      continue;
    }
    out.push(span);
  }
  return out;
}

function bridges(sentence: string, first: OffsetSpan, gap: string): boolean {
  if (!OF_BRIDGE.test(gap)) return false;
  const words = sentence.slice(first.start, first.end).split(/\s+/);
  const head = words[words.length - 1];
  if (words.length === 1 && !WORD_OR_NUMBER.test(sentence.slice(0, first.start))) return false;
  return /^\p{Lu}\p{Ll}+$/u.test(head) && isOrdinaryWord(head);
}

const TITLE_WORD = /^\p{Lu}\p{Ll}+$/u;

/**
 * Merges two spans that are each one capitalised word ("Internet", "Explorer") and stand one
 * space apart mid-sentence: the tagger split a two-word name. Longer spans are left apart ("U.S.
 * President Bill Clinton" has two names, and so has a title followed by its artist), and so is a
 * first word at the start of the sentence, capitalised by position. `spans` sorted by start.
 */
export function joinAdjacentWords(sentence: string, spans: readonly OffsetSpan[]): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && last.start > 0 && span.start === last.end + 1 && sentence[last.end] === ' '
      && TITLE_WORD.test(sentence.slice(last.start, last.end)) && TITLE_WORD.test(sentence.slice(span.start, span.end))) {
      out[out.length - 1] = { start: last.start, end: span.end };
      continue;
    }
    out.push(span);
  }
  return out;
}
