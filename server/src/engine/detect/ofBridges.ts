// Names built on "of" and "for" ("World Organization of the Scout Movement", "Git for Windows",
// "International Centre for Hydrogen Energy Technologies"). The tagger, reading five words at a
// time, often ends a span at the lower-case "of" and starts another after it. Two spans joined by
// "of", "for", "of the" or "for the" are one name when the first ends in a capitalised common noun
// (Organization, Centre, Code, Standard): that noun needs its complement. A first span ending in a
// name word ("Primož Roglič of Slovenia", "Smith of Microsoft") is a name of its own, and so is a
// lone word opening the sentence, capitalised by position ("Users of Windows").
import type { OffsetSpan } from '../types.ts';
import { isOrdinaryWord } from './wordClasses.ts';

const BRIDGE = /^ (?:of|for)(?: the)? $/;
const WORD_OR_NUMBER = /[\p{L}\p{N}]/u;

/** Merges spans joined by an "of"/"for" bridge where the first ends in a capitalised common noun; `spans` sorted by start. */
export function joinOfBridges(sentence: string, spans: readonly OffsetSpan[]): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && BRIDGE.test(sentence.slice(last.end, span.start)) && /^\p{Lu}/u.test(sentence[span.start])) {
      const words = sentence.slice(last.start, last.end).split(/\s+/);
      const head = words[words.length - 1];
      const opensSentence = !WORD_OR_NUMBER.test(sentence.slice(0, last.start));
      if (/^\p{Lu}\p{Ll}+$/u.test(head) && isOrdinaryWord(head) && (words.length > 1 || !opensSentence)) {
        out[out.length - 1] = { start: last.start, end: span.end };
        continue;
      }
    }
    out.push(span);
  }
  return out;
}
