// Ranges of text for the plain-text readers: lines, and blanking with spaces, the way non-prose
// is hidden from detection (the length and every line break stay, so offsets, line numbers and
// UTF-16 characters are those of the source).
import type { OffsetSpan } from '../types.ts';

/**
 * `text` with each [from, to) of `ranges` (flat pairs, in increasing order, each within one line;
 * overlaps are tolerated) replaced by as many spaces.
 */
export function blankRanges(text: string, ranges: readonly number[]): string {
  if (ranges.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    const from = Math.max(ranges[r], at);
    if (ranges[r + 1] <= from) continue;
    parts.push(text.slice(at, from), ' '.repeat(ranges[r + 1] - from));
    at = ranges[r + 1];
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** [start, end) of each line of text[from, to) ("\r\n", "\n" and "\r" end a line). */
export function lineSpans(text: string, from = 0, to = text.length): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  let start = from;
  for (let i = from; i <= to; i++) {
    if (i === to || text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13) {
      out.push({ start, end: i });
      if (i < to && text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  return out;
}
