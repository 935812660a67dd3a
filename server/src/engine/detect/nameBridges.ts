// Names that run over a lower-case word: "World Organization of the Scout Movement", "Git for
// Windows", "John the Baptist", "God Save the Queen". The tagger, reading five words at a time,
// often ends a span at the lower-case word and starts another after it. Two spans are one name
// - across " of ", " for ", " of the " or " for the " when the first ends in a capitalised common
//   noun (Organization, Centre, Code, Standard), which wants its complement; a first span ending
//   in a name word ("Primož Roglič of Slovenia", "Smith of Microsoft") is a name of its own;
// - across " the " when the first ends in a capitalised word: edited prose joins two names with
//   punctuation or "and", not with a bare "the" ("Dora the Explorer", "Before the Storm").
// Either way the second must start with a capital, and a lone first word opening the sentence (for
// "the" also a clause or line) is capitalised by position, not a name ("Users of Windows", "Retrieve
// the Time-To-Live").
import type { OffsetSpan } from '../types.ts';
import { isOrdinaryWord } from './wordClasses.ts';

const OF_BRIDGE = /^ (?:of|for)(?: the)? $/;
const WORD_OR_NUMBER = /[\p{L}\p{N}]/u;
const OPENS_CLAUSE = /(?:[:;(\[{"“'‘\-–—|•})]\s*|\n\s*)$/u;

/** Merges spans joined by an "of"/"for" or "the" bridge as described above; `spans` sorted by start. */
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
  const ofBridge = OF_BRIDGE.test(gap);
  if (!ofBridge && gap !== ' the ') return false;
  const words = sentence.slice(first.start, first.end).split(/\s+/);
  const head = words[words.length - 1];
  if (words.length === 1) {
    // Opening the sentence, or (for "the") a clause, line or quote: capitalised by position.
    const before = sentence.slice(0, first.start);
    if (!WORD_OR_NUMBER.test(before) || (!ofBridge && OPENS_CLAUSE.test(before))) return false;
  }
  return ofBridge ? /^\p{Lu}\p{Ll}+$/u.test(head) && isOrdinaryWord(head) : /^\p{Lu}/u.test(head);
}
