// Incremental Markdown prose parsing for re-indexing an edited file: instead of re-parsing a large
// document (≈ 120 ms per MB), only the top-level blocks around the edit are parsed again and
// spliced into the previous result. Whenever the edit could change how anything outside that
// window parses (fences, HTML blocks, link reference definitions, front matter, a window not
// bounded by blank lines), it falls back to a full parse. Tests compare it with full parses.
import { parseProse, type ProseBlock, type ProseParse } from './markdown.ts';
import type { OffsetSpan } from '../types.ts';

interface Parsed { text: string; parse: ProseParse; lineStarts: number[] }

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // markdown-it sees CRLF as one break and a lone CR as a break (normalised in parseProse).
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** Index of the line containing offset `o` (binary search over line starts). */
function lineOf(starts: number[], o: number): number {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= o) lo = mid; else hi = mid - 1;
  }
  return lo;
}

const isBlankLine = (text: string, starts: number[], line: number) =>
  line < 0 || line >= starts.length || /^[ \t]*(\r\n|\n|\r)?$/.test(text.slice(starts[line], line + 1 < starts.length ? starts[line + 1] : text.length));

/** Edited text that can change parsing beyond its own blocks: fences, HTML, reference definitions, front matter. */
const NON_LOCAL = /```|~~~|<|\]:|^---|^\+\+\+/m;
/** HTML blocks that may contain blank lines (CommonMark types 1–5). */
const LONG_HTML = /<(script|pre|style|textarea)\b|<!|<\?/i;
const FENCE_LINE = /^ {0,3}(```|~~~)/gm;
const fenceLines = (text: string) => text.match(FENCE_LINE)?.length ?? 0;

const LIST_ITEM = /^\s*([-+*]|\d{1,9}[.)])(\s|$)/;

function lastNonBlankLine(text: string, from: number, to: number): string | undefined {
  const lines = text.slice(from, to).split(/\r\n|\n|\r/);
  for (let k = lines.length - 1; k >= 0; k--) if (lines[k].trim()) return lines[k];
  return undefined;
}

function firstNonBlankLine(text: string, from: number, to: number): string | undefined {
  let i = from;
  while (i < to) {
    let j = i;
    while (j < to && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
    const line = text.slice(i, j);
    if (line.trim()) return line;
    i = j + (text.charCodeAt(j) === 13 && text.charCodeAt(j + 1) === 10 ? 2 : 1);
  }
  return undefined;
}

export class IncrementalProse {
  private readonly byPath = new Map<string, Parsed>();
  readonly stats = { full: 0, incremental: 0 };

  constructor(private readonly maxDocuments = 64) {}

  /** The prose view of `text` (a Markdown document at `path`), re-using the previous parse of that path. */
  parse(path: string, text: string): ProseParse {
    const old = this.byPath.get(path);
    let parse = old && old.text !== text ? spliceEdit(old, text) : old?.parse;
    if (parse) this.stats.incremental++;
    else { parse = parseProse(text); this.stats.full++; }
    this.byPath.delete(path);
    if (this.byPath.size >= this.maxDocuments) this.byPath.delete(this.byPath.keys().next().value!);
    this.byPath.set(path, { text, parse, lineStarts: lineStartsOf(text) });
    return parse;
  }

  forget(path: string): void { this.byPath.delete(path); }
}

/** Re-parses only the top-level blocks around the edit; undefined when that would not be exact. */
export function spliceEdit(old: Parsed, text: string): ProseParse | undefined {
  const { parse, lineStarts } = old;
  if (parse.hasReferences || parse.hasFrontMatter || !parse.topLevel.length) return undefined;
  const a = old.text, b = text;
  let p = 0;
  const max = Math.min(a.length, b.length);
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  if (NON_LOCAL.test(a.slice(p, a.length - s)) || NON_LOCAL.test(b.slice(p, b.length - s))) return undefined;

  // Top-level blocks touching the changed lines, plus one neighbour on each side.
  const lo = lineOf(lineStarts, p);
  const hi = lineOf(lineStarts, Math.max(p, a.length - s - 1));
  const blocks = parse.topLevel;
  let i = blocks.findIndex(([, end]) => end > lo);
  if (i < 0) i = blocks.length - 1;
  let j = i;
  while (j + 1 < blocks.length && blocks[j + 1][0] <= hi) j++;
  i = Math.max(0, i - 1);
  j = Math.min(blocks.length - 1, j + 1);
  const startLine = blocks[i][0];
  const endLine = blocks[j][1];
  // The window must be separated from the rest by blank lines (or the document's ends) and cover the edit.
  if (!isBlankLine(a, lineStarts, startLine - 1) || !isBlankLine(a, lineStarts, endLine)) return undefined;
  const S = lineStarts[startLine];
  const E = endLine < lineStarts.length ? lineStarts[endLine] : a.length;
  if (S > p || E < a.length - s) return undefined;
  const delta = b.length - a.length;
  const windowText = b.slice(S, E + delta);
  // Whole-window checks: a fence or HTML block inside may now run past the window; an indented
  // line or adjacent list items at the edges may attach to the block outside (list continuation).
  const oldWindow = a.slice(S, E);
  if (LONG_HTML.test(windowText) || LONG_HTML.test(oldWindow) || /^\s/.test(windowText) || (S === 0 && /^---/.test(windowText))) return undefined;
  const fences = fenceLines(windowText);
  if (fences % 2 !== 0 || fences !== fenceLines(oldWindow)) return undefined;
  // A backtick in a fence's info string unmakes the fence: with fences around, edits stay backtick-free.
  if (fences > 0 && /[`~]/.test(a.slice(p, a.length - s) + b.slice(p, b.length - s))) return undefined;
  const lines = windowText.split(/\r\n|\n|\r/).filter((l) => l.trim());
  const outsideBefore = lastNonBlankLine(a, 0, S);
  const outsideAfter = firstNonBlankLine(a, E, a.length);
  if (outsideAfter !== undefined && /^\s/.test(outsideAfter)) return undefined;
  if (LIST_ITEM.test(lines[0] ?? '') && LIST_ITEM.test(outsideBefore ?? '')) return undefined;
  if (LIST_ITEM.test(lines.at(-1) ?? '') && LIST_ITEM.test(outsideAfter ?? '')) return undefined;
  if (lines.some((l) => LIST_ITEM.test(l)) && (LIST_ITEM.test(outsideBefore ?? '') || LIST_ITEM.test(outsideAfter ?? ''))) return undefined;
  const window = parseProse(windowText);
  if (window.hasReferences || window.hasUnclosedFence) return undefined;

  const lineDelta = lineStartsOf(b.slice(S, E + delta)).length - lineStartsOf(a.slice(S, E)).length;
  const shift = (x: ProseBlock, by: number): ProseBlock => ({ ...x, start: x.start + by, end: x.end + by });
  const before = parse.blocks.filter((x) => x.end <= S);
  const after = parse.blocks.filter((x) => x.start >= E);
  if (before.length + after.length + parse.blocks.filter((x) => x.start >= S && x.end <= E).length !== parse.blocks.length) return undefined;
  return {
    masked: parse.masked.slice(0, S) + window.masked + parse.masked.slice(E),
    blocks: [...before, ...window.blocks.map((x) => shift(x, S)), ...after.map((x) => shift(x, delta))],
    topLevel: [
      ...blocks.slice(0, i),
      ...window.topLevel.map(([x, y]): [number, number] => [x + startLine, y + startLine]),
      ...blocks.slice(j + 1).map(([x, y]): [number, number] => [x + lineDelta, y + lineDelta]),
    ],
    hasReferences: false,
    hasUnclosedFence: parse.hasUnclosedFence,
    hasFrontMatter: false,
  };
}
