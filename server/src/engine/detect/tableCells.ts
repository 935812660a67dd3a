// Tab-separated text (a TSV file, columns aligned with tabs in plain notes): a tab parts cells, and
// in such text a line is a row. The tagger reads a row's capitalised cells as one name and runs
// on into the next row ("Country<TAB>River⏎Vienna"); no name holds a tab, nor runs from one row
// of a table into the next.
import type { OffsetSpan } from '../types.ts';

const CELL_BREAK = /\t|\r\n|\n|\r/g;

/** Spans cut at tabs, and at line breaks where the sentence has tabs; each piece, trimmed of spaces, kept if it has a letter or digit. */
export function splitAtCells(sentence: string, spans: readonly OffsetSpan[]): OffsetSpan[] {
  if (!sentence.includes('\t')) return [...spans];
  const out: OffsetSpan[] = [];
  for (const span of spans) {
    const text = sentence.slice(span.start, span.end);
    if (!/[\t\r\n]/.test(text)) { out.push(span); continue; }
    let from = 0;
    for (const m of [...text.matchAll(CELL_BREAK), { index: text.length, 0: '' }]) {
      const piece = text.slice(from, m.index);
      const lead = piece.length - piece.trimStart().length;
      const trimmed = piece.trim();
      if (/[\p{L}\p{N}]/u.test(trimmed)) out.push({ start: span.start + from + lead, end: span.start + from + lead + trimmed.length });
      from = m.index + m[0].length;
    }
  }
  return out;
}
