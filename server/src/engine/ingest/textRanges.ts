// Ranges of text for the plain-text readers: lines, and blanking with spaces, the way non-prose
// is hidden from detection (the length and every line break stay, so offsets, line numbers and
// UTF-16 characters are those of the source).
import type { OffsetSpan } from '../types.ts';
import { trimSpan } from './sentences.ts';

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

/**
 * A bare URL ("https://…", "ftp://…", "www.…"), without the punctuation that usually follows one
 * in prose. Never prose: its path segments ("/pub/Linux/", "/wiki/Software/") would read as names.
 */
export const BARE_URL = /\b(?:[a-zA-Z][a-zA-Z0-9+.-]{1,20}:\/\/|www\.)[^\s<>"]*[^\s<>"'.,;:!?)\]}*_]/g;

/** `masked` with its bare URLs blanked, and `blocks` trimmed to what is left (blocks left empty go). */
export function blankBareUrls<B extends OffsetSpan>(masked: string, blocks: readonly B[]): { masked: string; blocks: B[] } {
  const out = masked.replace(BARE_URL, (m) => ' '.repeat(m.length));
  if (out === masked) return { masked, blocks: [...blocks] };
  const trimmed: B[] = [];
  for (const b of blocks) {
    const { start, end } = trimSpan(out, b.start, b.end); // as splitParagraphs trimmed them
    if (end > start) trimmed.push(start === b.start && end === b.end ? b : { ...b, start, end });
  }
  return { masked: out, blocks: trimmed };
}
