// Paragraph and sentence splitting over (masked) text. Offsets are document offsets.
import type { OffsetSpan, Sentence } from '../types.ts';

/** Sentences longer than this are split at the last whitespace before the limit. */
export const MAX_SENTENCE_LENGTH = 400;

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0';

/** Trims whitespace off both ends of [start, end) in `text`. */
export function trimSpan(text: string, start: number, end: number): OffsetSpan {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/** Blocks of prose separated by blank (or fully masked) lines, trimmed to non-space content. */
export function splitParagraphs(masked: string): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  const re = /\r\n|\n|\r/g;
  let lineStart = 0;
  let paraStart = -1;
  let paraEnd = -1;
  const flush = () => {
    if (paraStart >= 0) {
      const s = trimSpan(masked, paraStart, paraEnd);
      if (s.end > s.start) out.push(s);
    }
    paraStart = -1;
  };
  for (;;) {
    const m = re.exec(masked);
    const lineEnd = m ? m.index : masked.length;
    const blank = masked.slice(lineStart, lineEnd).trim() === '';
    if (blank) flush();
    else { if (paraStart < 0) paraStart = lineStart; paraEnd = lineEnd; }
    if (!m) break;
    lineStart = m.index + m[0].length;
  }
  flush();
  return out;
}

/** Lower-cased words (without the final period) after which a period does not end a sentence. */
export const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'ft', 'vs', 'cf', 'al', 'fig', 'figs',
  'no', 'nos', 'vol', 'vols', 'pp', 'p', 'ch', 'sec', 'eq', 'approx', 'ca', 'gen', 'gov', 'sen', 'rep',
  'lt', 'col', 'capt', 'sgt', 'cpt', 'rev', 'hon', 'pres', 'dept', 'univ', 'est', 'jan', 'feb', 'mar',
  'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'e.g', 'i.e', 'viz', 'resp', 'op',
  'cllr', 'incl', 'excl',
]);

const TERMINATORS = '.!?…';
const DOT = 46, EXCLAMATION = 33, QUESTION = 63, ELLIPSIS = 0x2026;
const CLOSERS = '"\'”’»)]}';
const OPENERS = '"\'“‘«([{';
const BULLET_RE = /^[ \t]*(?:[-*+•‣◦–][ \t]|\d{1,3}[.)][ \t])/;

function isAbbreviation(text: string, dot: number, lower: number): boolean {
  let s = dot;
  while (s > lower && !isSpace(text[s - 1]) && !OPENERS.includes(text[s - 1])) s--;
  const word = text.slice(s, dot);
  if (word === '') return false;
  if (ABBREVIATIONS.has(word.toLowerCase())) return true;
  // Single initials ("J. R. R. Tolkien") and dotted acronyms ("U.S.", "e.g.", "Ph.D.").
  if (/^\p{Lu}$/u.test(word)) return true;
  // An enumeration marker at the start of a line ("1. Elbe").
  if (/^\d{1,3}$/.test(word)) {
    let k = s;
    while (k > lower && (text[k - 1] === ' ' || text[k - 1] === '\t')) k--;
    if (k === lower || text[k - 1] === '\n' || text[k - 1] === '\r') return true;
  }
  if (/^(?:\p{L}{1,2}\.)+\p{L}{1,2}$/u.test(word)) return true;
  return false;
}

/**
 * The full stop at `dot` follows a lone capital ("the Harvard Mark I.") at the end of a line and
 * the next line opens with a word ("Call Dr. Okafor …"): in notes one line is one sentence, and a
 * name is rarely wrapped right after its initial.
 */
function initialEndsLine(text: string, dot: number, cut: number, next: number): boolean {
  if (!/^\p{Lu}$/u.test(text[dot - 1] ?? '') || /[\p{L}\p{N}]/u.test(text[dot - 2] ?? '')) return false;
  return /[\n\r]/.test(text.slice(cut, next)) && /^\p{Lu}\p{Ll}/u.test(text.slice(next, next + 2));
}

/**
 * A line break where the line was ended on purpose, not wrapped: the next line opens with a
 * capitalised word ("Prof. Brian Cox⏎Recording setup: …") that would have fitted on this line
 * within the paragraph's widest line (a wrapped line breaks where the next word no longer fits),
 * or the paragraph is three or more short lines.
 */
function breakEndsLine(text: string, blockStart: number, br: number, nextLine: string, widestLine: () => number, lineCount: () => number): boolean {
  // Three or more lines this short are items (a shopping list, an address), not prose wrapped at some column.
  if (widestLine() < SHORT_LINES && lineCount() >= 3 && /\S/.test(nextLine)) return true;
  const word = /^[ \t]*(\p{Lu}[\p{Ll}\p{M}]+)/u.exec(nextLine);
  if (!word) return false;
  const length = br - lineStartOf(text, blockStart, br) - (text[br - 1] === '\r' ? 1 : 0);
  return length + 1 + word[1].length < widestLine() - WRAP_SLACK;
}

/** Start of the line that the line break at `br` ends, within the block. */
function lineStartOf(text: string, blockStart: number, br: number): number {
  return lineStartAt(text, br, blockStart);
}

/**
 * Offset of the start of the line holding `at` (after the last "\n" or "\r" before it), not
 * before `floor`. A lone "\r" ends a line as "\n" and "\r\n" do (LSP's lines, LineIndex's).
 */
export function lineStartAt(text: string, at: number, floor = 0): number {
  let i = at;
  while (i > floor) { const c = text.charCodeAt(i - 1); if (c === 10 || c === 13) break; i--; }
  return i;
}

/** Offset of the first "\n" or "\r" at or after `from`, or `limit` (default: the text's end). */
export function lineEndAt(text: string, from: number, limit = text.length): number {
  let i = from;
  while (i < limit) { const c = text.charCodeAt(i); if (c === 10 || c === 13) break; i++; }
  return i;
}

/**
 * Lines that each open with a short label and a spaced dash or a colon ("Mia - Tues: drama …",
 * "Leo - Sat am football …"; "Kindle - yes, Argos, arriving Tue", "Lego - Amazon, wrapped") are
 * items written one per line, however long: wrapped prose does not open two lines running that way;
 * nor two lines running with a date, as a log's lines do.
 */
const LABELLED_LINE = /^[ \t]*\p{Lu}[\p{L}\p{M}\p{N}'’.&]*(?: [\p{L}\p{M}\p{N}'’.&]+){0,2}(?: [-–—] |: )/u;
function labelledLines(text: string, blockStart: number, br: number, nextLine: string): boolean {
  const pattern = LABELLED_LINE.test(nextLine) ? LABELLED_LINE : DATED_LINE.test(nextLine) ? DATED_LINE : undefined;
  if (!pattern) return false;
  return pattern.test(text.slice(lineStartOf(text, blockStart, br), br));
}
/** A log's line that opens with its date ("31 Oct   indoor …", "03/09 discovery: …", "2026-10-03 call"). */
const DATED_LINE = /^[ \t]*(?:\d{1,2}(?: (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\b|\/\d{1,2}(?:\/\d{2,4})?(?=\s))|\d{4}-\d{2}-\d{2}\b)/;
/** A paragraph of three or more lines all shorter than this is not wrapped prose: each line is one item ("washing up liquid - Fairy⏎Persil non-bio"). */
const SHORT_LINES = 40;
/** Room a wrapped line may leave at its end (words are not split, and lines are not all filled to the same column). */
const WRAP_SLACK = 8;

/** Start of the next sentence after a candidate boundary at `i` (after terminators), or -1. */
function boundaryAt(text: string, i: number, end: number): { cut: number; next: number } | undefined {
  let j = i;
  while (j < end && TERMINATORS.includes(text[j])) j++;
  while (j < end && CLOSERS.includes(text[j])) j++;
  const cut = j;
  if (j >= end) return { cut, next: end };
  if (!isSpace(text[j])) return undefined;
  while (j < end && isSpace(text[j])) j++;
  if (j >= end) return { cut, next: end };
  const c = text[j];
  // A capital opens a sentence; so does a letter of a script without case (Arabic, Hebrew, CJK…),
  // where no capital can.
  if (/[\p{Lu}\p{Lt}\p{N}]/u.test(c) || OPENERS.includes(c) || /^(?:\p{Extended_Pictographic}|\p{Lo})/u.test(text.slice(j, j + 2))) return { cut, next: j };
  return undefined;
}

/**
 * Splits a span of (masked) text into sentences: at . ! ? … followed by whitespace and a capital,
 * a letter of a caseless script, digit or quote (or the end), except after abbreviations, initials and dotted acronyms; at line
 * breaks followed by a list bullet, or by a capitalised word that would have fitted on the line
 * (a line ended on purpose, not wrapped); and at the last whitespace before {@link MAX_SENTENCE_LENGTH}.
 */
export function splitSentences(masked: string, span: OffsetSpan): Sentence[] {
  const end = Math.min(span.end, masked.length);
  const cuts: OffsetSpan[] = [];
  let start = span.start;
  let widest = -1;
  let lines = 0;
  const measure = () => {
    if (widest >= 0) return;
    widest = 0;
    for (let k = span.start, from = span.start; k <= end; k++) {
      const c = masked.charCodeAt(k);
      if (k === end || c === 10 || c === 13) {
        widest = Math.max(widest, k - from); lines++;
        if (c === 13 && masked.charCodeAt(k + 1) === 10) k++; // "\r\n": one line break
        from = k + 1;
      }
    }
  };
  const widestLine = () => { measure(); return widest; };
  const lineCount = () => { measure(); return lines; };
  for (let i = span.start; i < end; i++) {
    // Character codes, not one-character strings: this loop visits every character of the prose.
    const code = masked.charCodeAt(i);
    if (code === DOT || code === EXCLAMATION || code === QUESTION || code === ELLIPSIS) {
      const b = boundaryAt(masked, i, end);
      if (!b) {
        // Every terminator of this run ends the same way: go past the run, not one character on
        // (a run of 40,000 dots with no space after it was quadratic).
        while (i + 1 < end && TERMINATORS.includes(masked[i + 1])) i++;
        continue;
      }
      const run = masked.slice(i, b.cut);
      if (code === DOT && !/[!?…]|\.\./.test(run) && isAbbreviation(masked, i, start) && !initialEndsLine(masked, i, b.cut, b.next)) { i = b.cut - 1; continue; }
      cuts.push({ start, end: b.cut });
      start = b.next;
      i = Math.max(i, b.next - 1);
    } else if (code === 10 || code === 13) {
      const lineEnd = code === 13 && masked.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      const nextLine = masked.slice(lineEnd, lineEndAt(masked, lineEnd, end));
      if (BULLET_RE.test(nextLine) || breakEndsLine(masked, span.start, i, nextLine, widestLine, lineCount) || labelledLines(masked, span.start, i, nextLine)) { cuts.push({ start, end: i }); start = lineEnd; }
      i = lineEnd - 1;
    }
  }
  cuts.push({ start, end });
  const out: Sentence[] = [];
  for (const cut of cuts) {
    let { start: s, end: e } = trimSpan(masked, cut.start, cut.end);
    while (e - s > MAX_SENTENCE_LENGTH) {
      let k = s + MAX_SENTENCE_LENGTH;
      while (k > s && !isSpace(masked[k])) k--;
      if (k <= s) k = s + MAX_SENTENCE_LENGTH;
      const part = trimSpan(masked, s, k);
      if (part.end > part.start) out.push({ ...part, text: masked.slice(part.start, part.end) });
      const rest = trimSpan(masked, k, e);
      s = rest.start; e = rest.end;
    }
    if (e > s) out.push({ start: s, end: e, text: masked.slice(s, e) });
  }
  return out;
}
