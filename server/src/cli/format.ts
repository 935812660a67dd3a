// Rendering of search hits: JSON lines (the external contract) or readable, coloured on a TTY.
import { readFileSync } from 'node:fs';
import { relative, isAbsolute } from 'node:path';
import { styleText } from 'node:util';
import { decodeLoosely } from '../engine/ingest/decode.ts';
import { mentionName, type NameHit, type SearchHit } from '../engine/query/search.ts';

/** One JSON object per hit: the contract used by external evaluation (keep field names). */
export function hitToJson(hit: SearchHit): string {
  return JSON.stringify(hitRecord(hit));
}

function hitRecord(hit: SearchHit): Record<string, unknown> {
  const out: Record<string, unknown> = {
    query: hit.query,
    score: Number(hit.score.toFixed(6)),
    text: hit.text,
    path: hit.path,
    range: hit.range,
  };
  if (hit.docId !== undefined) out.docId = hit.docId;
  return out;
}

/** `--names --json`: one object per name, its best mention's fields plus its counts. */
export function nameToJson(name: NameHit): string {
  return JSON.stringify({ ...hitRecord(name.best), mentions: name.mentions, documents: name.documents });
}

/** `--names`: the best mention's line, with how many mentions and documents the name has. */
export function formatName(name: NameHit, previewer: LinePreviewer, color: boolean, cwd = process.cwd()): string {
  const counts = `${name.mentions} mention${name.mentions === 1 ? '' : 's'} in ${name.documents} file${name.documents === 1 ? '' : 's'}`;
  return `${formatHit(name.best, previewer, color, cwd)}  ${color ? paintAlways('dim', `(${counts})`) : `(${counts})`}`;
}

/** Reads lines of files lazily for previews; a file that changed or vanished just gets no preview. */
export class LinePreviewer {
  private cache = new Map<string, string[] | null>();
  line(path: string, line: number): string | undefined {
    let lines = this.cache.get(path);
    if (lines === undefined) {
      try { lines = decodeLoosely(readFileSync(path)).split(/\r\n|\n|\r/); } catch { lines = null; }
      this.cache.set(path, lines);
    }
    return lines?.[line];
  }
}

// One hit per line is what grep and quickfix lists rely on: a mention that wraps, or a tab, shows as
// one space; a path with such characters is escaped instead, so that it still names the file.
const oneLine = (s: string) => s.replace(/\r\n|[\p{Cc}\u2028\u2029]/gu, ' ');
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escaped = (c: string) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
const escapeControls = (s: string) => s.replace(/[\p{Cc}\u2028\u2029]/gu, escaped);

/**
 * A message for stderr with its control characters escaped except line ends and tabs: a file name
 * or query holding an escape sequence or a bell must not drive the terminal (paths come from disk).
 */
export const forTerminal = (s: string) => s.replace(/[^\P{Cc}\n\t]|[\u2028\u2029]/gu, escaped);

// The caller has decided on colour (--color always colours a pipe too); styleText would otherwise
// check stdout again and drop it from the path and score of a piped `--color always`.
const paintAlways = (style: Parameters<typeof styleText>[0], s: string) => styleText(style, s, { validateStream: false });

export function formatHit(hit: SearchHit, previewer: LinePreviewer, color: boolean, cwd = process.cwd()): string {
  const paint = (style: Parameters<typeof styleText>[0], s: string) => (color ? paintAlways(style, s) : s);
  const shown = isAbsolute(hit.path) ? relative(cwd, hit.path) || hit.path : hit.path;
  const where = escapeControls(hit.docId !== undefined
    ? `${shown}#${hit.docId}:${hit.range.start.line + 1}:${hit.range.start.character + 1}`
    : `${shown}:${hit.range.start.line + 1}:${hit.range.start.character + 1}`);
  const score = hit.score.toFixed(3);
  const text = oneLine(mentionName(hit.text));
  let context: string;
  const first = hit.docId === undefined ? previewer.line(hit.path, hit.range.start.line) : undefined;
  const last = hit.docId === undefined ? previewer.line(hit.path, hit.range.end.line) : undefined;
  if (first !== undefined && last !== undefined && mentionMatches(previewer, hit)) {
    // A mention that wraps onto the next lines shows the text before it on its first line and after it on its last.
    const s = hit.range.start.character;
    const e = hit.range.end.character;
    const from = wholeCharacterStart(first, Math.max(0, s - 60));
    const to = wholeCharacterEnd(last, Math.min(last.length, e + 60));
    const before = oneLine(first.slice(from, s)).trimStart();
    const after = oneLine(last.slice(e, to)).trimEnd();
    context = `${from > 0 ? '…' : ''}${before}${paint(['bold', 'yellow'], color ? text : `[${text}]`)}${after}${to < last.length ? '…' : ''}`;
  } else if (!color) {
    context = `[${text}]`;
  } else {
    context = paint(['bold', 'yellow'], text);
  }
  return `${paint('cyan', where)}  ${paint('green', score)}  ${context}`;
}

/** Whether the file's lines at the hit's range still hold its text (else the file changed: no preview). */
function mentionMatches(previewer: LinePreviewer, hit: SearchHit): boolean {
  const { start, end } = hit.range;
  const parts: string[] = [];
  for (let n = start.line; n <= end.line; n++) {
    const line = previewer.line(hit.path, n);
    if (line === undefined) return false;
    parts.push(line.slice(n === start.line ? start.character : 0, n === end.line ? end.character : line.length));
  }
  return parts.join('\n') === hit.text.replace(/\r\n|\r/g, '\n');
}

// A preview cut 60 UTF-16 units from the mention must not split a surrogate pair (an emoji would print as "�").
const isLowSurrogate = (line: string, i: number) => i > 0 && i < line.length && (line.charCodeAt(i) & 0xfc00) === 0xdc00;
function wholeCharacterStart(line: string, i: number): number { return isLowSurrogate(line, i) ? i + 1 : i; }
function wholeCharacterEnd(line: string, i: number): number { return isLowSurrogate(line, i) ? i - 1 : i; }
