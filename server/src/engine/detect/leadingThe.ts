// "Jon Stewart of The Daily Show", "a review in The New Yorker": a capitalised "The" inside a
// sentence is part of the name it opens (the CoNLL and MultiCoNER convention, and how titles and
// some organisations are written), while the tagger, which mostly saw a lower-case "the" outside
// names, leaves it out. At the start of a sentence, a clause or a line ("The Beatles played",
// "{string} The IP address", "(Optional) The NIST name") a capital says nothing, so "The" stays out.
import type { OffsetSpan } from '../types.ts';

const WORD_OR_NUMBER = /[\p{L}\p{N}]/u;
/** What ends a stretch of text after which the next word is capitalised by position. */
const OPENS_CLAUSE = /(?:[.!?:;(\[{"“'‘\-–—|•})]\s*|\n\s*)$/u;

/** Each span preceded by " The " mid-sentence starts at that "The"; `spans` sorted by start. */
export function extendOverLeadingThe(sentence: string, spans: readonly OffsetSpan[]): OffsetSpan[] {
  let out: OffsetSpan[] | undefined;
  spans.forEach((span, i) => {
    const at = span.start - 4;
    if (at < 1 || sentence.slice(at, span.start) !== 'The ' || !/\s/.test(sentence[at - 1])) return;
    const before = sentence.slice(0, at);
    if (!WORD_OR_NUMBER.test(before) || OPENS_CLAUSE.test(before)) return;
    if (i > 0 && spans[i - 1].end > at) return;
    out ??= spans.slice();
    out[i] = { start: at, end: span.end };
  });
  return out ?? spans.slice();
}
