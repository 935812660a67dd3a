// The code inside plain-text files written in reStructuredText's conventions (Sphinx and Python
// documentation, kernel docs, docstrings, `.rst` and many `.txt` notes): literal blocks after a
// paragraph ending in "::", code directives, doctest sessions, inline literals and code roles;
// and AsciiDoc's "----" / "...." delimited blocks (Git's documentation). Perl's POD is read by
// podMarkup.ts. Indexed as prose they give mentions such as "def delx" or "cachefilesd.fc"; here
// they are blanked (same length, line breaks kept, like Markdown's code), so positions stay exact.
// Section titles become headings (plainTextProse).
import type { OffsetSpan } from '../types.ts';
import { blankBareUrls, blankRanges, lineSpans } from './textRanges.ts';
import { looksLikeOrg, orgProse } from './orgMarkup.ts';
import { looksLikePod, maskPod } from './podMarkup.ts';
import { lineStartAt, splitParagraphs, trimSpan } from './sentences.ts';

/** Directives whose body is code or data, not prose (tables are prose, as in Markdown). */
const CODE_DIRECTIVES = new Set([
  'code', 'code-block', 'sourcecode', 'literalinclude', 'highlight', 'doctest', 'testcode', 'testoutput',
  'testsetup', 'testcleanup', 'productionlist', 'math', 'raw', 'parsed-literal',
  'graphviz', 'digraph', 'graph', 'kernel-doc', 'kernel-abi', 'kernel-feat', 'toctree',
  'autosummary', 'automodule', 'autoclass', 'autofunction', 'automethod', 'image', 'figure', 'include',
  'only', 'index', 'ifconfig', 'program', 'option', 'envvar', 'cmdoption', 'describe', 'object',
]);

/** Directives whose arguments on the directive line are prose ("versionchanged:: 3.8 Added …", "sectionauthor:: Jane Doe"); others' are signatures, paths or options. */
const PROSE_ARGUMENT_DIRECTIVES = new Set([
  'versionadded', 'versionchanged', 'versionremoved', 'deprecated', 'deprecated-removed', 'availability', 'sectionauthor',
  'moduleauthor', 'codeauthor', 'note', 'warning', 'seealso', 'tip', 'hint', 'important', 'caution', 'danger', 'attention',
  'error', 'admonition', 'topic', 'sidebar', 'rubric', 'centered', 'epigraph', 'highlights', 'pull-quote', 'impl-detail', 'title',
]);

/** Roles whose text is prose (a defined term, an emphasised phrase); every other role's text is code or a reference label. */
const PROSE_ROLES = new Set(['term', 'dfn', 'abbr', 'emphasis', 'strong', 'title', 'title-reference', 't']);
/** Roles whose "Title <target>" form shows the title as link text. */
const LINK_ROLES = new Set(['ref', 'doc', 'term', 'any', 'download', 'numref', 'keyword']);

const DIRECTIVE = /^([ \t]*)\.\.[ \t]+(?:\|[^|]+\|[ \t]+)?([A-Za-z0-9][A-Za-z0-9_+.:-]*?)::(?=[ \t]|$)/;
const EXPLICIT_MARKUP = /^([ \t]*)\.\.(?=[ \t]|$)/;
const FOOTNOTE = /^[ \t]*\.\.[ \t]+\[[^\]\s]+\][ \t]?/;
/** Directive options whose value is prose (a module's synopsis, a figure's caption). */
const PROSE_OPTIONS = /:(?:synopsis|caption|alt|title):$/i;
const OPTION_LINE = /^[ \t]*:[^:\s][^:]*:(?=[ \t]|$)/;
/** AsciiDoc's listing ("----") and literal ("....") block delimiters, as in Git's documentation. */
const DELIMITER = /^(?:-{4,}|\.{4,})[ \t]*$/;
/** AsciiDoc's own markup: linkgit: macros, [[anchors]], "== " titles, block attributes, preprocessor lines, attributes, "////" comments. */
const ASCIIDOC_ANYWHERE = /linkgit:|text\/asciidoc|^\[\[[^\]\r\n]*\]\][ \t]*\r?$|^={1,5} \S|^\[(?:verse|source|listing|literal|NOTE|TIP|IMPORTANT|WARNING|CAUTION)\b|^(?:include|ifdef|ifndef|endif)::|^:[A-Za-z][\w-]*:(?:[ \t]|\r?$)|^\/{4,}[ \t]*\r?$/m;
const RST_DIRECTIVE_ANYWHERE = /^[ \t]*\.\.[ \t]+[A-Za-z0-9][A-Za-z0-9_+.:-]*::/m;
const RST_LITERAL_ANYWHERE = /::[ \t]*(?:\r\n?|\n)[ \t]*(?:\r\n?|\n)[ \t]+\S/;
const BLOCK_ATTRIBUTES = /^\[[^\]]*\][ \t]*$/;
const DOCTEST = /^[ \t]*>>>(?:[ \t]|$)/;
const INLINE_LITERAL = /``(?=\S)(?:[^`\r\n]|`(?!`)|(?:\r\n?|\n)(?![ \t]*(?:\r|\n)))*?\S``(?![A-Za-z0-9])/g;
/** A role's names after its first colon ("py:func:" of ":py:func:`repr`"), read from a colon not after a letter, digit or "`". */
const ROLE_NAMES = /(?:[A-Za-z][A-Za-z0-9_+.-]*:)+/y;
const LINK_TARGET = /`([^`<]*?\S)[ \t\r\n]+<[^<>`]+>`__?/g;

const DOT = 46, GREATER = 62, COLON = 58, HYPHEN = 45;

/** A line: its offsets, its indentation (tabs to multiples of 8), and its first and last non-blank character codes (0 if blank). */
interface Line { start: number; end: number; indent: number; blank: boolean; first: number; last: number }

/** The column after a character at column `col`: a tab goes to the next multiple of 8. */
const columnAfter = (col: number, code: number) => (code === 9 ? col - (col % 8) + 8 : col + 1);

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  const n = text.length;
  let start = 0;
  for (;;) {
    // The line's end: the next "\n" or "\r" ("\r\n" counts once).
    let end = start;
    while (end < n) { const c = text.charCodeAt(end); if (c === 10 || c === 13) break; end++; }
    let indent = 0;
    let i = start;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9) break;
      indent = columnAfter(indent, c);
    }
    let last = end - 1;
    while (last >= i && (text.charCodeAt(last) === 32 || text.charCodeAt(last) === 9)) last--;
    out.push({ start, end, indent, blank: i === end, first: i < end ? text.charCodeAt(i) : 0, last: last >= i ? text.charCodeAt(last) : 0 });
    if (end >= n) break;
    start = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
  }
  return out;
}

/**
 * `text` with the code of reStructuredText, AsciiDoc or POD markup blanked: each masked character
 * becomes a space, line breaks stay, so offsets and line numbers are those of `text`. Prose is
 * unchanged.
 */
export function maskPlainTextCode(text: string): string {
  return looksLikePod(text) ? maskPod(text) : maskRstAndAsciidoc(text);
}

/** maskPlainTextCode for a file that is not POD. */
function maskRstAndAsciidoc(text: string): string {
  // Cheap exit: none of the markup this looks for.
  if (!/::|>>>|``|\.\.|:`|>`_|^----/m.test(text)) return text;
  // Ranges within single lines (no line breaks inside), in increasing order.
  const ranges: number[] = [];
  const blank = (from: number, to: number) => { if (to > from) ranges.push(from, to); };
  const lines = linesOf(text);
  const lineText = (l: Line) => text.slice(l.start, l.end);
  /** Lines after `from` that are blank or indented deeper than `indent`, up to the last such non-blank one. */
  const blockEnd = (from: number, indent: number) => {
    let last = from - 1;
    for (let j = from; j < lines.length; j++) {
      if (lines[j].blank) continue;
      if (lines[j].indent <= indent) break;
      last = j;
    }
    return last;
  };
  // "----" is also a reStructuredText transition or title underline, and a separator in notes:
  // delimited blocks are read only in files with AsciiDoc's own markup and none of
  // reStructuredText's directives and literal blocks.
  let asciidocFile: boolean | undefined;
  const unclosed = new Map<string, number>(); // delimiter → a line after which it never recurs
  const asciidoc = () => (asciidocFile ??= ASCIIDOC_ANYWHERE.test(text) && !RST_DIRECTIVE_ANYWHERE.test(text) && !RST_LITERAL_ANYWHERE.test(text));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // Only lines starting with "." (explicit markup, a "...." delimiter), "-" (a "----" delimiter)
    // or ">" (doctest), or ending with ":" can start code.
    if (line.first !== DOT && line.first !== GREATER && line.first !== HYPHEN && line.last !== COLON) continue;
    const t = lineText(line);
    if (line.indent === 0 && (line.first === HYPHEN || line.first === DOT) && DELIMITER.test(t) && opensDelimitedBlock(lines, i, text) && asciidoc()) {
      const close = closingDelimiter(lines, i, text, unclosed);
      if (close > i) {
        for (let j = i + 1; j < close; j++) blank(lines[j].start, lines[j].end);
        i = close;
        continue;
      }
    }
    const directive = line.first === DOT ? DIRECTIVE.exec(t) : null;
    if (directive) {
      const name = directive[2].toLowerCase().replace(/^[a-z]+:/, '');
      blank(line.start, PROSE_ARGUMENT_DIRECTIVES.has(name) ? line.start + directive[0].length : line.end);
      const last = blockEnd(i + 1, line.indent);
      const code = CODE_DIRECTIVES.has(name);
      if (code) {
        for (let j = i + 1; j <= last; j++) blank(lines[j].start, lines[j].end);
        i = Math.max(i, last);
      } else {
        // Options (":maxdepth: 2") right below the directive are markup; its body is prose.
        for (let j = i + 1; j <= last && !lines[j].blank; j++) {
          const option = OPTION_LINE.exec(lineText(lines[j]));
          if (!option) break;
          blank(lines[j].start, PROSE_OPTIONS.test(option[0]) ? lines[j].start + option[0].length : lines[j].end);
        }
      }
      continue;
    }
    const footnote = line.first === DOT ? FOOTNOTE.exec(t) : null;
    if (footnote) { blank(line.start, line.start + footnote[0].length); continue; }
    if (line.first === DOT && EXPLICIT_MARKUP.test(t)) {
      // A comment, a hyperlink target (".. _name: url") or a substitution definition, with its indented continuation.
      const last = blockEnd(i + 1, line.indent);
      for (let j = i; j <= Math.max(i, last); j++) blank(lines[j].start, lines[j].end);
      i = Math.max(i, last);
      continue;
    }
    if (line.first === GREATER && previousBlankBefore(lines, i) && DOCTEST.test(t)) {
      let j = i;
      for (; j < lines.length && !lines[j].blank; j++) blank(lines[j].start, lines[j].end);
      i = j - 1;
      continue;
    }
    if (line.last === COLON && /::[ \t]*$/.test(t) && i + 1 < lines.length && lines[i + 1].blank) {
      // "… see the files::", a blank line, then a block indented deeper than that line: a
      // literal block. (AsciiDoc's "term::" with its definition on the next line is not one.)
      const next = nextNonBlank(lines, i + 1);
      if (next >= 0 && lines[next].indent > line.indent) {
        const last = blockEnd(i + 1, line.indent);
        for (let j = i + 1; j <= last; j++) blank(lines[j].start, lines[j].end);
        i = Math.max(i, last);
      }
    }
  }
  let out = blankRanges(text, ranges);
  if (!/``|:`|>`_/.test(out)) return out;
  out = out.replace(INLINE_LITERAL, (m) => spaces(m));
  out = replaceRoles(out, (m, role, body) => {
    const name = role.slice(1, -1).toLowerCase().replace(/^[a-z]+:/, '');
    const titled = /^([\s\S]*?\S)\s*<[^<>]+>$/.exec(body);
    if (titled && LINK_ROLES.has(name)) return ' '.repeat(role.length + 1) + titled[1] + ' '.repeat(m.length - role.length - 1 - titled[1].length);
    if (PROSE_ROLES.has(name)) return ' '.repeat(role.length + 1) + body + ' ';
    return spaces(m);
  });
  out = out.replace(LINK_TARGET, (m, title: string) => ' ' + title + spaces(m.slice(1 + title.length)));
  return out;
}

/**
 * A delimiter line opens a block when content follows it directly, and it stands after a blank
 * line, at the start, or below a "[source,c]" attribute line (not under a title: that is an underline).
 */
function opensDelimitedBlock(lines: Line[], i: number, text: string): boolean {
  if (i + 1 >= lines.length || lines[i + 1].blank) return false; // a transition (a horizontal rule)
  if (i === 0 || lines[i - 1].blank) return true;
  return BLOCK_ATTRIBUTES.test(text.slice(lines[i - 1].start, lines[i - 1].end));
}

/**
 * The line that closes the delimited block opened at `i` (the same delimiter), or −1. A single
 * line between two hyphen rules at least as long as it is a reStructuredText title with an
 * overline, not a block.
 */
function closingDelimiter(lines: Line[], i: number, text: string, unclosed: Map<string, number>): number {
  const delimiter = text.slice(lines[i].start, lines[i].end).trimEnd();
  // Remembered per delimiter, so that a file of unclosed delimiters stays linear.
  if (unclosed.get(delimiter)! <= i) return -1;
  for (let j = i + 1; j < lines.length; j++) {
    if (lines[j].indent !== 0 || lines[j].first !== lines[i].first) continue;
    if (text.slice(lines[j].start, lines[j].end).trimEnd() !== delimiter) continue;
    if (j === i + 2 && delimiter[0] === '-' && text.slice(lines[i + 1].start, lines[i + 1].end).trim().length <= delimiter.length) return -1;
    return j;
  }
  unclosed.set(delimiter, i);
  return -1;
}

const ALPHANUMERIC = /[A-Za-z0-9]/;

/**
 * `text` with each role and its text (":func:`repr`", ":ref:`Title <target>`", not after a letter,
 * digit or "`", nor before one) replaced by `replace(match, role, body)`. Scanned rather than
 * matched by a regular expression: every colon of a chain of names (":a-:a-:a-…") starts a chain
 * that ends where the first one does, so when that one is no role none of them is, and the scan
 * goes on from its end; a regular expression read on to the chain's end from each: quadratic.
 */
function replaceRoles(text: string, replace: (m: string, role: string, body: string) => string): string {
  let out = '';
  let copied = 0;
  for (let at = text.indexOf(':'); at >= 0; at = text.indexOf(':', at)) {
    ROLE_NAMES.lastIndex = at + 1;
    if ((at > 0 && (ALPHANUMERIC.test(text[at - 1]) || text[at - 1] === '`')) || !ROLE_NAMES.test(text)) { at++; continue; }
    const names = ROLE_NAMES.lastIndex;
    // The body runs to the next "`" (line breaks included), which must not touch a word.
    const close = text[names] === '`' ? text.indexOf('`', names + 1) : -1;
    if (close <= names + 1 || ALPHANUMERIC.test(text.charAt(close + 1))) { at = names; continue; }
    out += text.slice(copied, at) + replace(text.slice(at, close + 1), text.slice(at, names), text.slice(names + 1, close));
    at = copied = close + 1;
  }
  return out + text.slice(copied);
}

function spaces(s: string): string { return /[\r\n]/.test(s) ? s.replace(/[^\r\n]/g, ' ') : ' '.repeat(s.length); }

function previousBlankBefore(lines: Line[], i: number): boolean { return i === 0 || lines[i - 1].blank; }

function nextNonBlank(lines: Line[], from: number): number {
  for (let j = from; j < lines.length; j++) if (!lines[j].blank) return j;
  return -1;
}

/** A title block (title, underline, perhaps an overline) is short. */
const MAX_TITLE_BLOCK = 600;

/** A line of one punctuation character repeated: a reStructuredText (or setext) title's underline or overline. */
const ADORNMENT_CHARS = '=-~^"\'`#*+:._';
const ADORNMENT = /^([=\-~^"'`#*+:._])\1{2,}[ \t]*$/;

/**
 * The prose view of a plain-text file: code blanked (maskPlainTextCode), then paragraphs, with
 * section titles marked as headings (the detector reads a heading's capitalised wording as a
 * title, not as a name): a reStructuredText title with its underline (and overline), which are
 * blanked, and a POD "=head" paragraph. Org notes are read by orgMarkup.ts.
 */
export function plainTextProse(text: string): { masked: string; blocks: Array<OffsetSpan & { heading?: boolean }> } {
  const { masked, blocks } = looksLikeOrg(text) ? orgProse(text) : markupProse(text);
  return blankBareUrls(masked, blocks);
}

/** A list item's marker or a field's name ("* ", "2. ", "(a) ", ":param x: "): the line's text starts after it. */
const ITEM_MARKER = /^(?:[-*+•‣⁃]|\d+[.)]|[A-Za-z#][.)]|\([A-Za-z0-9#]+\)|:[^:\s][^:]*:)[ \t]+/;

/** The column of `text[at]` on its line, tabs to multiples of 8. */
function columnOf(text: string, lineStart: number, at: number): number {
  let col = 0;
  for (let i = lineStart; i < at; i++) col = columnAfter(col, text.charCodeAt(i));
  return col;
}

/**
 * A paragraph split where a line is indented deeper than the text of the line above it: a
 * definition list's term and its definition (a glossary's "Zen of Python" over "Listing of Python
 * design principles…"), a sysctl's "tcp_mtu_probing - INTEGER" over its tab-indented description,
 * the cells of a tab-aligned table; a line that comes back out of such a definition starts the
 * next part. Read as one sentence, the term's last words and the definition's first made one name
 * across the line break ("INTEGER Maximum", "IDLE Display").
 * The continuation lines of a list item or a field align with its text, not its marker, and stay.
 */
function splitAtDeeperLines(text: string, masked: string, block: OffsetSpan): OffsetSpan[] {
  const lines = lineSpans(masked, block.start, block.end);
  if (lines.length < 2) return [block];
  const out: OffsetSpan[] = [];
  let from = block.start;
  let textColumn = -1;
  // The indentation of a part that began deeper than the line above it (a definition): a line
  // that comes back out of it begins the next part (the next term, the next row).
  let definitionIndent = -1;
  for (const line of lines) {
    // Indentation and markers are read in the text as written: masked code (a role, a literal)
    // is blank there and would look like indentation.
    let lineStart = line.start; // the block is trimmed: its first line's indentation lies before it
    while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10 && text.charCodeAt(lineStart - 1) !== 13) lineStart--;
    let first = lineStart;
    while (first < line.end && (text.charCodeAt(first) === 32 || text.charCodeAt(first) === 9)) first++;
    if (first === line.end || masked.slice(first, line.end).trim() === '') continue;
    const indent = columnOf(text, lineStart, first);
    const deeper = textColumn >= 0 && indent > textColumn;
    if ((deeper || indent < definitionIndent) && first > from) {
      const part = trimSpan(masked, from, line.start);
      if (part.end > part.start) out.push(part);
      from = first;
      definitionIndent = deeper ? indent : -1;
    }
    const marker = ITEM_MARKER.exec(text.slice(first, Math.min(line.end, first + 80)));
    textColumn = marker ? columnOf(text, lineStart, first + marker[0].length) : indent;
  }
  const last = trimSpan(masked, from, block.end);
  if (last.end > last.start) out.push(last);
  return out;
}

/** plainTextProse before bare URLs are blanked, for reStructuredText, AsciiDoc, POD and plain notes. */
function markupProse(text: string): { masked: string; blocks: Array<OffsetSpan & { heading?: boolean }> } {
  const pod = looksLikePod(text); // tested once per file: it decides both the masking and the titles
  let masked = pod ? maskPod(text) : maskRstAndAsciidoc(text);
  let blocks: Array<OffsetSpan & { heading?: boolean }> = splitParagraphs(masked);
  const adornments: number[] = [];
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b];
    if (pod) {
      const lineStart = lineStartAt(text, block.start);
      if (/^=head[1-6]/.test(text.slice(lineStart, lineStart + 6))) blocks[b] = { ...block, heading: true };
      continue;
    }
    if (block.end - block.start > MAX_TITLE_BLOCK || !ADORNMENT_CHARS.includes(masked[block.end - 1])) continue;
    const lines = lineSpans(masked, block.start, block.end);
    if (lines.length < 2 || lines.length > 3) continue;
    const adorned = (k: number) => ADORNMENT.exec(masked.slice(lines[k].start, lines[k].end).trim());
    const under = adorned(lines.length - 1);
    if (!under) continue;
    const titleIndex = lines.length - 2;
    if (lines.length === 3) {
      const over = adorned(0);
      if (!over || over[1] !== under[1]) continue;
    }
    const title = masked.slice(lines[titleIndex].start, lines[titleIndex].end).trim();
    if (title.length === 0 || ADORNMENT.test(title)) continue;
    blocks[b] = { ...trimSpan(masked, lines[titleIndex].start, lines[titleIndex].end), heading: true };
    adornments.push(lines[lines.length - 1].start, lines[lines.length - 1].end);
    if (lines.length === 3) adornments.push(lines[0].start, lines[0].end);
  }
  blocks = blocks.flatMap((block) => (block.heading ? [block] : splitAtDeeperLines(text, masked, block)));
  if (adornments.length > 0) {
    // Pairs in document order, but an overline's after its underline within one title.
    const order = Array.from({ length: adornments.length / 2 }, (_, k) => k).sort((a, b) => adornments[2 * a] - adornments[2 * b]);
    masked = blankRanges(masked, order.flatMap((k) => [adornments[2 * k], adornments[2 * k + 1]]));
  }
  return { masked, blocks };
}
