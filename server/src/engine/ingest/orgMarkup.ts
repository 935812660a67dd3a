// Emacs Org notes (`.org`): source, example and export blocks, property drawers, fixed-width
// lines, comments, "#+KEYWORD:" lines, planning lines, ~code~ and =verbatim=, and link targets are
// not prose and are blanked (same length, line breaks kept); a heading ("** TODO Trip to Lisbon
// :travel:") is its own block, read as a heading, without its stars, keyword, priority and tags.
import type { OffsetSpan } from '../types.ts';
import { blankRanges, lineSpans } from './textRanges.ts';
import { splitParagraphs, trimSpan } from './sentences.ts';

/** A file is Org when a line starts with an Org keyword ("#+TITLE:", "#+BEGIN_SRC") or opens a property drawer. */
const ORG_MARKUP = /^[ \t]*(?:#\+(?:title|subtitle|author|date|options|startup|filetags|property|setupfile|begin_\w+)\b|:properties:[ \t]*$)/im;

export function looksLikeOrg(text: string): boolean {
  return ORG_MARKUP.test(text);
}

/** Blocks whose content is code or data; the others (quote, verse, center…) hold prose. */
const CODE_BLOCKS = new Set(['src', 'example', 'export', 'latex', 'html', 'comment', 'ascii', 'dot']);
/** "#+KEYWORD:" lines whose value is prose. */
const PROSE_KEYWORDS = new Set(['title', 'subtitle', 'caption', 'author', 'description']);
const BEGIN = /^[ \t]*#\+begin_(\w+)/i;
const END = /^[ \t]*#\+end_(\w+)/i;
const KEYWORD = /^[ \t]*#\+(\w+)(?:\[[^\]]*\])?:[ \t]?/;
const HEADING = /^(\*+[ \t]+)(?:(?:TODO|DONE|NEXT|WAITING|HOLD|CANCELLED|CANCELED)[ \t]+)?(?:\[#[A-Z0-9]\][ \t]+)?/;
const HEADING_TAGS = /[ \t]+:[\w@#%:]+:[ \t]*$/;
const PLANNING = /^[ \t]*(?:SCHEDULED|DEADLINE|CLOSED):/;
/** ~code~ and =verbatim= within one line, at most 120 characters (bounded, so a line of unclosed markers stays linear). */
const INLINE_CODE = /(?<=^|[\s({'"])([~=])(?=\S)[^\r\n]{0,120}?\S\1(?=$|[\s.,;:!?)}'"-])/gm;

/** The prose view of an Org file: non-prose blanked; paragraphs, each heading a block of its own. */
export function orgProse(text: string): { masked: string; blocks: Array<OffsetSpan & { heading?: boolean }> } {
  const lines = lineSpans(text);
  const ranges: number[] = []; // [from, to) pairs within single lines, in order
  const blank = (from: number, to: number) => { if (to > from) ranges.push(from, to); };
  const headingLines = new Set<number>();
  let drawerUnclosedAfter = Infinity; // a line after which no drawer closes
  // Block kind → the lines that end such a block, read in one pass when the first block opens, and
  // how many of them lie behind. (An end searched for from each opener, with no end of its kind
  // remembered, was quadratic in a file of unclosed blocks of ever new kinds.)
  let ends: Map<string, { lines: number[]; passed: number }> | undefined;
  for (let i = 0; i < lines.length; i++) {
    const { start, end } = lines[i];
    const t = text.slice(start, end);
    const begin = BEGIN.exec(t);
    if (begin) {
      const kind = begin[1].toLowerCase();
      ends ??= endLines(text, lines);
      const found = ends.get(kind);
      while (found && found.passed < found.lines.length && found.lines[found.passed] <= i) found.passed++;
      const close = found && found.passed < found.lines.length ? found.lines[found.passed] : -1;
      // An unclosed block is one line of markup.
      if (close < 0) { blank(start, end); continue; }
      const code = CODE_BLOCKS.has(kind);
      for (let j = i; j <= close; j++) if (code || j === i || j === close) blank(lines[j].start, lines[j].end);
      i = close;
      continue;
    }
    if (/^[ \t]*:(?:properties|logbook):[ \t]*$/i.test(t)) {
      let close = i;
      if (drawerUnclosedAfter > i) {
        for (let j = i + 1; j < lines.length; j++) if (/^[ \t]*:end:[ \t]*$/i.test(text.slice(lines[j].start, lines[j].end))) { close = j; break; }
        if (close === i) drawerUnclosedAfter = i;
      }
      for (let j = i; j <= close; j++) blank(lines[j].start, lines[j].end);
      i = close;
      continue;
    }
    const keyword = KEYWORD.exec(t);
    if (keyword) {
      const name = keyword[1].toLowerCase();
      blank(start, PROSE_KEYWORDS.has(name) ? start + keyword[0].length : end);
      if (name === 'title' || name === 'subtitle') headingLines.add(i);
      continue;
    }
    if (/^[ \t]*#(?:[ \t]|$)/.test(t) || /^[ \t]*:(?:[ \t]|$)/.test(t) || PLANNING.test(t)) { blank(start, end); continue; }
    const heading = HEADING.exec(t);
    if (heading) {
      headingLines.add(i);
      blank(start, start + heading[0].length);
      const tags = HEADING_TAGS.exec(t);
      if (tags && tags.index >= heading[0].length) blank(start + tags.index, end);
    }
  }
  let masked = blankRanges(text, ranges);
  masked = masked.replace(INLINE_CODE, (m) => ' '.repeat(m.length));
  masked = blankLinkTargets(masked);
  // Paragraphs, with each heading line split off as a block of its own (Org puts a heading's
  // text right under it, without a blank line).
  const blocks: Array<OffsetSpan & { heading?: boolean }> = [];
  let lineIndex = 0;
  for (const p of splitParagraphs(masked)) {
    while (lineIndex < lines.length && lines[lineIndex].end < p.start) lineIndex++;
    let runStart = -1;
    for (let j = lineIndex; j < lines.length && lines[j].start < p.end; j++) {
      if (headingLines.has(j)) {
        if (runStart >= 0) pushTrimmed(blocks, masked, runStart, lines[j - 1].end, false);
        pushTrimmed(blocks, masked, lines[j].start, lines[j].end, true);
        runStart = -1;
      } else if (runStart < 0) runStart = Math.max(lines[j].start, p.start);
    }
    if (runStart >= 0) pushTrimmed(blocks, masked, runStart, p.end, false);
  }
  return { masked, blocks };
}

/** Each block kind (lowercase) with the lines that end such a block ("#+END_SRC"), in order. */
function endLines(text: string, lines: OffsetSpan[]): Map<string, { lines: number[]; passed: number }> {
  const out = new Map<string, { lines: number[]; passed: number }>();
  for (let j = 0; j < lines.length; j++) {
    const end = END.exec(text.slice(lines[j].start, lines[j].end));
    if (!end) continue;
    const kind = end[1].toLowerCase();
    const found = out.get(kind);
    if (found) found.lines.push(j);
    else out.set(kind, { lines: [j], passed: 0 });
  }
  return out;
}

/**
 * "[[target][label]]" keeps its label, "[[target]]" is blanked. Scanned rather than matched by a
 * regular expression, with the next "]" and line break remembered, so that a line of unclosed
 * "[[" stays linear.
 */
function blankLinkTargets(text: string): string {
  const ranges: number[] = [];
  let nextClose = -1;
  let nextBreak = -1;
  let labelFrom = -1;
  let labelEnd = -1;
  for (let open = text.indexOf('[['); open >= 0; open = text.indexOf('[[', open + 2)) {
    if (nextClose < open + 2) nextClose = text.indexOf(']', open + 2);
    if (nextClose < 0) break;
    if (nextBreak < open) nextBreak = nextLineBreak(text, open);
    if (nextBreak < nextClose) continue;
    if (nextClose === open + 2) continue; // "[[]"
    if (text[nextClose + 1] === ']') { ranges.push(open, nextClose + 2); open = nextClose; continue; }
    if (text[nextClose + 1] !== '[') continue;
    if (labelFrom !== nextClose) { labelFrom = nextClose; labelEnd = text.indexOf(']', nextClose + 2); } // openers that share a "]" share its label
    if (labelEnd < 0 || text[labelEnd + 1] !== ']' || labelEnd === nextClose + 2 || nextBreak < labelEnd) continue;
    ranges.push(open, nextClose + 2, labelEnd, labelEnd + 2);
    open = labelEnd;
  }
  return blankRanges(text, ranges);
}

/** The next "\n" or "\r" at or after `from`, or the text's length. */
function nextLineBreak(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  const r = text.indexOf('\r', from);
  return Math.min(n < 0 ? text.length : n, r < 0 ? text.length : r);
}

function pushTrimmed(blocks: Array<OffsetSpan & { heading?: boolean }>, masked: string, start: number, end: number, heading: boolean): void {
  const span = trimSpan(masked, start, end);
  if (span.end > span.start) blocks.push(heading ? { ...span, heading: true } : span);
}
