// Markdown → prose mask: a string of exactly the same length as the source in which everything
// that is not prose (code, HTML, front matter, link targets, syntax characters…) is a space.
// Line breaks are kept as they are, so offsets and LSP positions map 1:1 to the original text.
import markdownIt from 'markdown-it';
import type { MarkdownIt, StateInline, Token, Env } from 'markdown-it';
import type { OffsetSpan } from '../types.ts';
import { BARE_URL, blankRanges } from './textRanges.ts';

type InlineRule = (state: StateInline, silent: boolean) => boolean;

/** One inline parse in progress: blank ranges are recorded in content coordinates (+ base). */
interface Frame { blanks: Array<[number, number]>; base: number; delims: Array<{ token: Token; start: number; len: number }> }

let frames: Frame[] = [];
/** Set by the image rule right before markdown-it parses the alt text with a nested parser. */
let pendingImageBase: number | undefined;
/** Links whose label is being parsed (an image rule firing now is inside a link). */
let linkDepth = 0;
const framesByChildren = new WeakMap<Token[], Array<[number, number]>>();

function top(): Frame | undefined { return frames[frames.length - 1]; }
function blank(start: number, end: number): void {
  const f = top();
  if (f && end > start) f.blanks.push([f.base + start, f.base + end]);
}

function createParser(): MarkdownIt {
  const md = markdownIt({ html: true, linkify: false, typographer: false });
  // Link targets are blanked, never read, so they need no URL normalisation (URL parsing,
  // percent-encoding, punycode: a tenth of the parse on documentation). markdown-it still asks
  // validateLink whether a target may be a link (no "javascript:"), now with the target as
  // written, which it trims and lower-cases itself.
  md.normalizeLink = (url: string) => url;
  const blockTokenize = md.block.tokenize.bind(md.block);
  md.block.tokenize = (state, startLine, endLine) => {
    if (state.level >= md.options.maxNesting && droppedFromLine === undefined) {
      const line = state.skipEmptyLines(startLine);
      if (line < endLine) droppedFromLine = line;
    }
    blockTokenize(state, startLine, endLine);
  };
  md.normalizeLinkText = (text: string) => text;
  const origParse = md.inline.parse.bind(md.inline);
  md.inline.parse = (src: string, mdi: MarkdownIt, env: Env, outTokens: Token[]) => {
    let frame: Frame;
    if (pendingImageBase !== undefined && top()) {
      frame = { blanks: top()!.blanks, base: pendingImageBase, delims: [] };
    } else {
      frame = { blanks: [], base: 0, delims: [] };
      framesByChildren.set(outTokens, frame.blanks);
    }
    pendingImageBase = undefined;
    frames.push(frame);
    try { origParse(src, mdi, env, outTokens); } finally { frames.pop(); }
  };

  const wrap = (name: string, after: (state: StateInline, start: number, extra: number) => void, before?: (state: StateInline) => number, done?: () => void) => {
    const rules = (md.inline.ruler as unknown as { __rules__: Array<{ name: string; fn: InlineRule }> }).__rules__;
    const rule = rules.find((r) => r.name === name)?.fn;
    if (!rule) return;
    md.inline.ruler.at(name, (state: StateInline, silent: boolean) => {
      const start = state.pos;
      const extra = !silent && before ? before(state) : -1;
      let ok: boolean;
      try {
        ok = rule(state, silent);
      } finally {
        if (!silent && before) done?.();
      }
      pendingImageBase = undefined;
      if (ok && !silent) after(state, start, extra);
      return ok;
    });
  };

  wrap('escape', (state, start) => {
    const next = state.src.charCodeAt(start + 1);
    // Escaped ASCII punctuation or a backslash hard break: the backslash is syntax.
    if (next === 10 || (next < 128 && /[!-/:-@[-`{-~]/.test(String.fromCharCode(next)))) blank(start, start + 1);
  });
  wrap('backticks', (state, start) => blank(start, state.pos));
  wrap('autolink', (state, start) => blank(start, state.pos));
  wrap('html_inline', (state, start) => blank(start, state.pos));
  wrap('entity', (state, start) => { if (state.pos - start > 1) blank(start, state.pos); });
  const delimRule = (state: StateInline, start: number) => {
    // The rule pushed one text token per delimiter (after any pending text): walk back from the end.
    const f = top();
    if (!f) return;
    let remaining = state.pos - start;
    let end = state.pos;
    for (let i = state.tokens.length - 1; i >= 0 && remaining > 0; i--) {
      const len = state.tokens[i].content.length;
      f.delims.push({ token: state.tokens[i], start: f.base + end - len, len });
      end -= len; remaining -= len;
    }
  };
  wrap('emphasis', delimRule);
  wrap('strikethrough', delimRule);
  wrap('link', (state, start, labelEnd) => {
    if (labelEnd < 0) { blank(start, state.pos); return; }
    blank(start, start + 1);
    blank(labelEnd, state.pos);
  }, (state) => {
    linkDepth++; // the label is parsed inside the rule: images there are inside a link
    return state.src.charCodeAt(state.pos) === 0x5b ? state.md.helpers.parseLinkLabel(state, state.pos, true) : -1;
  }, () => { linkDepth--; });
  wrap('image', (state, start, labelEnd) => {
    // An image inside a link is a badge or a button ("[![Build Status](…)](…)"): its alt text
    // labels a picture, it is not prose, and READMEs carry dozens of them.
    if (labelEnd < 0 || linkDepth > 0) { blank(start, state.pos); return; }
    blank(start, start + 2);
    blank(labelEnd, state.pos);
  }, (state) => {
    if (state.src.charCodeAt(state.pos) !== 0x21 || state.src.charCodeAt(state.pos + 1) !== 0x5b) return -1;
    const labelEnd = state.md.helpers.parseLinkLabel(state, state.pos + 1, false);
    if (labelEnd >= 0 && top()) pendingImageBase = top()!.base + state.pos + 2;
    return labelEnd;
  });
  // After emphasis/strikethrough pairing (before text fragments are joined): blank matched delimiters.
  md.inline.ruler2.before('fragments_join', 'ner_mask_delims', (state: StateInline) => {
    const f = top();
    if (!f) return false;
    for (const d of f.delims) {
      if (d.token.type !== 'text' || d.token.content === '') f.blanks.push([d.start, d.start + d.len]);
    }
    f.delims = [];
    return false;
  });
  return md;
}

let parser: MarkdownIt | undefined;
/**
 * The first line markdown-it dropped at its nesting limit in the current parse. Past 100 levels
 * (50 nested lists, 100 blockquotes) its block parser ends the container there, and everything
 * after it, to the container's end (often the document's), is lost; parseProse reads that rest again.
 */
let droppedFromLine: number | undefined;

/** Length-preserving normalisation so markdown-it's line numbers and our offsets agree. */
function normalise(text: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      out += text.slice(last, i) + (text.charCodeAt(i + 1) === 10 ? ' ' : '\n');
      last = i + 1;
    } else if (c === 0) {
      out += text.slice(last, i) + '\uFFFD';
      last = i + 1;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Whitespace test on a UTF-16 code unit (ASCII whitespace, NBSP, Unicode spaces). */
function isWs(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/**
 * Extents [start, end) of a table row's pieces in its source line, split as markdown-it splits
 * them: at each `|` not right after a backslash. A leading `|` leaves a first piece markdown-it
 * drops; the first piece also holds any container prefix (`> `, a list marker).
 */
function cellsOf(line: string): Array<[number, number]> {
  const cells: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    if (line.charCodeAt(i) === 124 && line.charCodeAt(i - 1) !== 92) { cells.push([start, i]); start = i + 1; }
  }
  cells.push([start, line.length]);
  return cells;
}

/**
 * Maps each character of a cell's `content` to its source offset (`base` + its offset in `line`)
 * when `content` is the piece `cell` of `line` as markdown-it reads it: trimmed, `\|` unescaped
 * (the backslash maps to nothing), after a prefix only in the first piece. Otherwise maps nothing
 * and returns false.
 */
function mapCell(line: string, [start, end]: [number, number], content: string, base: number, map: Int32Array): boolean {
  while (end > start && isWs(line.charCodeAt(end - 1))) end--;
  // Backwards from the end, as the first piece's prefix is not known: a `|` inside a piece is
  // always escaped, so the character before it is a backslash.
  let i = end;
  for (let j = content.length - 1; j >= 0; j--) {
    i--;
    if (i < start || line.charCodeAt(i) !== content.charCodeAt(j)) { map.fill(-1); return false; }
    map[j] = base + i;
    if (line.charCodeAt(i) === 124) i--;
  }
  if (start > 0) {
    while (i > start && isWs(line.charCodeAt(i - 1))) i--;
    if (i > start) { map.fill(-1); return false; }
  }
  return true;
}

/** Line starts of a normalised text (only `\n` breaks). */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/**
 * Span of a front matter block at the very start, or undefined: YAML (`---` … `---`/`...`) or
 * TOML (`+++` … `+++`, as Hugo writes it).
 */
export function frontMatterSpan(text: string): OffsetSpan | undefined {
  const first = /^(---|\+\+\+)[ \t]*(\r\n|\n|\r)/.exec(text);
  if (!first) return undefined;
  const re = first[1] === '+++'
    ? /(^|\r\n|\n|\r)\+\+\+[ \t]*(?=\r\n|\n|\r|$)/g
    : /(^|\r\n|\n|\r)(---|\.\.\.)[ \t]*(?=\r\n|\n|\r|$)/g;
  re.lastIndex = first[0].length - 1;
  const m = re.exec(text);
  if (!m) return undefined;
  return { start: 0, end: m.index + m[0].length };
}

/**
 * A bracketed label that opens a block and is no link (its brackets are still in the mask): a
 * changelog's or tracker's tag ("- [meta] update deps", "[WIP] …", "[Refactor] …"), a task list's
 * "[x]", a reference number "[1]". Markup, not a name. "[[wiki links]]" do not match.
 */
const LEADING_TAG = /^\[[^\[\]\r\n]{1,40}\](?=[ \t]+\S)/;

function blankLeadingTags(masked: string, blocks: readonly OffsetSpan[]): string {
  const ranges: number[] = [];
  for (const b of blocks) {
    let at = b.start;
    while (at < b.end && isWs(masked.charCodeAt(at))) at++;
    if (masked.charCodeAt(at) !== 91 /* [ */) continue;
    const m = LEADING_TAG.exec(masked.slice(at, Math.min(b.end, at + 64)));
    if (m) ranges.push(at, at + m[0].length);
  }
  if (ranges.length === 0) return masked;
  const order = Array.from({ length: ranges.length / 2 }, (_, k) => k).sort((x, y) => ranges[2 * x] - ranges[2 * y]);
  return blankRanges(masked, order.flatMap((k) => [ranges[2 * k], ranges[2 * k + 1]]));
}

/** A prose block's source extent; `heading` for a Markdown heading. */
export interface ProseBlock extends OffsetSpan { heading?: boolean }

export interface ProseBlocks {
  /** Same length as the input; non-prose characters are spaces, line breaks kept. */
  masked: string;
  /** Source extent of each prose block (paragraph, heading, table row…), trimmed to prose, in order. */
  blocks: ProseBlock[];
}

/** A prose mask plus what incremental re-parsing needs to know about the document's structure. */
export interface ProseParse extends ProseBlocks {
  /** Line ranges [start, end) of the top-level Markdown blocks, in order. */
  topLevel: Array<[number, number]>;
  /** Link reference definitions exist: they change how `[text]` parses anywhere in the document. */
  hasReferences: boolean;
  /** A code fence runs to the end of the text without its closing line. */
  hasUnclosedFence: boolean;
  hasFrontMatter: boolean;
}

/** Masks non-prose and returns the prose blocks markdown-it found. */
export function proseBlocks(markdown: string): ProseBlocks {
  const { masked, blocks } = parseProse(markdown);
  return { masked, blocks };
}

/** `rereads`: how many times a caller has already re-read a rest markdown-it dropped (withRestReread). */
export function parseProse(markdown: string, rereads = 0): ProseParse {
  const n = markdown.length;
  const keep = new Uint8Array(n);
  let src = normalise(markdown);
  // A rest re-read after a drop (withRestReread) is no document's start: a "---" there is a rule.
  const fm = rereads === 0 ? frontMatterSpan(src) : undefined;
  if (fm) src = src.slice(0, fm.end).replace(/[^\n]/g, ' ') + src.slice(fm.end);

  parser ??= createParser();
  frames = [];
  pendingImageBase = undefined;
  droppedFromLine = undefined;
  const env: Env = {};
  const tokens = parser.parse(src, env);
  const dropped = droppedFromLine;
  const topLevel: Array<[number, number]> = [];
  const starts = lineStartsOf(src);
  const lineText = (line: number) => src.slice(starts[line], line + 1 < starts.length ? starts[line + 1] - 1 : src.length);
  let hasUnclosedFence = false;
  for (const tok of tokens) {
    if (tok.type === 'fence' && tok.map) {
      const closing = tok.map[1] - 1 > tok.map[0] ? lineText(tok.map[1] - 1).trim() : '';
      if (!closing.startsWith(tok.markup) || closing.replace(/[`~]/g, '') !== '') hasUnclosedFence = true;
    }
    if (tok.level !== 0 || tok.nesting < 0 || !tok.map) continue;
    // Without trailing blank lines (markdown-it counts them into a list only when more follows).
    let end = tok.map[1];
    while (end > tok.map[0] + 1 && !lineText(end - 1).trim()) end--;
    topLevel.push([tok.map[0], end]);
  }

  const rawBlocks: ProseBlock[] = [];
  const lineCursor = new Map<number, number>();
  let inCell = false;
  let inHeading = false;
  let rowLine = -1;
  // The current table row's source line split into pieces, the first piece not yet matched to a
  // cell, and the current cell's column.
  let row: { text: string; cells: Array<[number, number]>; next: number } | undefined;
  let column = -1;
  for (const tok of tokens) {
    if (tok.type === 'heading_open') inHeading = true;
    else if (tok.type === 'heading_close') inHeading = false;
    if (tok.type === 'tr_open' && tok.map) { rowLine = tok.map[0]; row = undefined; column = -1; }
    if (tok.type === 'th_open' || tok.type === 'td_open') { inCell = true; column++; }
    else if (tok.type === 'th_close' || tok.type === 'td_close') inCell = false;
    if (tok.type !== 'inline' || tok.content === '') continue;
    const firstLine = tok.map ? tok.map[0] : inCell ? rowLine : -1;
    if (firstLine < 0) continue;
    const content = tok.content;
    // Map each content character to a source offset (-1: none, e.g. tab expansion).
    const map = new Int32Array(content.length).fill(-1);
    if (inCell) {
      // A cell is the piece of its row between unescaped pipes, trimmed and with `\|` unescaped:
      // looked up by its column, as searching the row for the text would scan past cells holding
      // `\|` (never found as written) to the row's end, for every cell of a wide row.
      if (!row) { const text = lineText(rowLine); row = { text, cells: cellsOf(text), next: 0 }; }
      // Column c is piece c, or c + 1 after a leading `|`.
      for (let p = Math.max(column, row.next); p <= column + 1 && p < row.cells.length; p++) {
        if (mapCell(row.text, row.cells[p], content, starts[rowLine], map)) { row.next = p + 1; break; }
      }
    }
    const lines = inCell ? [] : content.split('\n');
    let ci = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = firstLine + i;
      if (line >= starts.length) break;
      const cl = lines[i];
      const S = lineText(line);
      const cursor = lineCursor.get(line) ?? 0;
      let pos = -1;
      let skip = 0;
      const T = S.trimEnd();
      const c2 = cl.trimEnd();
      if (c2.length && T.endsWith(c2) && T.length - c2.length >= cursor) pos = T.length - c2.length;
      if (pos < 0) pos = S.indexOf(cl, cursor);
      if (pos < 0) {
        const t = cl.trimStart();
        skip = cl.length - t.length;
        const p = S.indexOf(t, cursor);
        if (p >= 0) pos = p - skip;
      }
      if (pos >= -skip) {
        for (let j = skip; j < cl.length; j++) map[ci + j] = starts[line] + pos + j;
        lineCursor.set(line, pos + cl.length);
      }
      ci += cl.length + 1;
    }
    // Blank ranges recorded while parsing this inline token.
    const blanks = framesByChildren.get(tok.children ?? []) ?? [];
    const cmask = new Uint8Array(content.length).fill(1);
    for (const [s, e] of blanks) cmask.fill(0, Math.max(0, s), Math.min(content.length, e));
    let first = -1, last = -1;
    for (let j = 0; j < content.length; j++) {
      const o = map[j];
      if (o < 0 || !cmask[j]) continue;
      keep[o] = 1;
      if (!isWs(content.charCodeAt(j))) { if (first < 0) first = o; last = o + 1; }
    }
    if (first >= 0) rawBlocks.push(inHeading ? { start: first, end: last, heading: true } : { start: first, end: last });
  }

  // Assemble the mask (runs of kept text copied as slices, the rest as spaces with its line
  // breaks); then blank bare URLs left in prose.
  const parts: string[] = [];
  let i = 0;
  while (i < n) {
    let j = i;
    if (keep[i]) {
      while (j < n && keep[j]) j++;
      parts.push(markdown.slice(i, j));
    } else {
      let lineStart = i;
      while (j < n && !keep[j]) {
        const c = markdown.charCodeAt(j);
        if (c === 10 || c === 13) {
          if (j > lineStart) parts.push(' '.repeat(j - lineStart));
          parts.push(c === 10 ? '\n' : '\r');
          lineStart = j + 1;
        }
        j++;
      }
      if (j > lineStart) parts.push(' '.repeat(j - lineStart));
    }
    i = j;
  }
  let masked = parts.join('');
  masked = masked.replace(BARE_URL, (m) => ' '.repeat(m.length));
  masked = blankLeadingTags(masked, rawBlocks);

  // Each table cell stays its own block: with the pipes blanked, merged cells would read as one
  // run of capitalised words ("Person | City" → one "name"). Re-trim blocks against the final mask.
  const out: ProseBlock[] = [];
  for (const s of rawBlocks) {
    let { start, end } = s;
    while (start < end && isWs(masked.charCodeAt(start))) start++;
    while (end > start && isWs(masked.charCodeAt(end - 1))) end--;
    if (end > start) out.push({ ...s, start, end });
  }
  frames = [];
  const parse: ProseParse = { masked, blocks: out, topLevel, hasReferences: Object.keys(env.references ?? {}).length > 0, hasUnclosedFence, hasFrontMatter: !!fm };
  return dropped === undefined ? parse : withRestReread(markdown, parse, starts[dropped], rereads);
}

/** At most this many re-reads of a document's rest (each re-parses the rest: see withRestReread). */
const MAX_REREADS = 16;

/**
 * The parse with the text after the line at `from` read again as a document of its own:
 * markdown-it dropped it at its nesting limit. That line itself, nested past the limit, is lost
 * (it is as deep as no prose is written). Past MAX_REREADS drops, the rest is read as plain lines,
 * so a document of many deep blocks costs no more than MAX_REREADS parses and loses no prose.
 */
function withRestReread(markdown: string, parse: ProseParse, from: number, rereads: number): ProseParse {
  // The line's end as the parser counts lines: CRLF, LF or a lone CR.
  const lineBreak = /\r\n|\r|\n/g;
  lineBreak.lastIndex = from;
  const end = lineBreak.exec(markdown);
  const next = end ? end.index + end[0].length : markdown.length;
  const rest = rereads < MAX_REREADS ? parseProse(markdown.slice(next), rereads + 1) : plainLines(markdown.slice(next));
  return {
    masked: parse.masked.slice(0, from) + markdown.slice(from, next).replace(/[^\r\n]/g, ' ') + rest.masked,
    blocks: [...parse.blocks.filter((b) => b.end <= from), ...rest.blocks.map((b) => ({ ...b, start: b.start + next, end: b.end + next }))],
    // No block structure for incremental re-parsing (incrementalProse.ts): such a document is parsed whole.
    topLevel: [],
    hasReferences: parse.hasReferences || rest.hasReferences,
    hasUnclosedFence: parse.hasUnclosedFence || rest.hasUnclosedFence,
    hasFrontMatter: parse.hasFrontMatter,
  };
}

/** Text read as prose as it stands, each run of non-blank lines one block. */
function plainLines(text: string): ProseParse {
  const blocks: ProseBlock[] = [];
  for (const m of text.matchAll(/[^\r\n]*\S[^\r\n]*(?:(?:\r\n?|\n)[^\r\n]*\S[^\r\n]*)*/g)) {
    let start = m.index, end = m.index + m[0].length;
    while (isWs(text.charCodeAt(start))) start++;
    while (isWs(text.charCodeAt(end - 1))) end--;
    blocks.push({ start, end });
  }
  return { masked: text, blocks, topLevel: [], hasReferences: false, hasUnclosedFence: false, hasFrontMatter: false };
}

/** Length-preserving prose mask of a Markdown document (see module comment). */
export function proseMask(markdown: string): string {
  return proseBlocks(markdown).masked;
}
