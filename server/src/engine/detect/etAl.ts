// "Karpukhin et al. 2020", "as shown by Vaswani et al. (2017)": in a citation the word before
// "et al." is an author's surname, also where it opens a line or sentence and the tagger, reading
// its capital as the sentence's, leaves it out; and "et al." itself is no part of the name.
import type { Token } from './tokenize.ts';
import type { OffsetSpan } from '../types.ts';

const SURNAME = /^\p{Lu}[\p{L}\p{M}'’-]+$/u;

/** `spans` (sorted) with each surname before "et al." a span, and no span running into "et al.". */
export function citedAuthors(tokens: readonly Token[], spans: readonly OffsetSpan[]): OffsetSpan[] {
  let out: OffsetSpan[] | undefined;
  for (let i = 1; i + 1 < tokens.length; i++) {
    if (tokens[i].text !== 'et' || !/^al$/.test(tokens[i + 1].text) || !SURNAME.test(tokens[i - 1].text)) continue;
    const author = tokens[i - 1], et = tokens[i];
    out ??= spans.slice();
    // A span reaching into "et al." ends at the author; one covering the author already stays.
    out = out.flatMap((s) => (s.start < et.end && et.start < s.end) || (s.start < tokens[i + 1].end && tokens[i + 1].start < s.end)
      ? (s.start < author.end ? [{ start: s.start, end: author.end }] : [])
      : [s]);
    if (!out.some((s) => s.start < author.end && author.start < s.end)) out.push({ start: author.start, end: author.end });
  }
  return out ? out.sort((a, b) => a.start - b.start) : spans.slice();
}
