// A catalogue line: "John Coltrane – Blue Train – Blue Note – 1957", "01-20 — The Remains of the Day
// (1993) — Criterion Channel — 4", "Customer call - Acme Logistics - 2 May 2024". Spaced dashes part
// it into fields as tabs part a row into cells, and a field written wholly in capitals ("Blue
// Note", "What's Going On", "ECM") is a name, where the tagger, reading it as a run of words,
// often leaves it (a label, a title, a service). Fields that are dates, numbers, lower-case
// phrases or one ordinary English word ("Book club", "March", "WEDDING", "Max") are left as they are.
import type { OffsetSpan } from '../types.ts';
import { CALENDAR_WORDS, DAY_ABBREVIATIONS } from '../calendarWords.ts';

/**
 * A spaced dash between two fields: an en or em dash, or a hyphen, with a space on each side (two
 * where Markdown's emphasis was blanked: "01-20 —  *The Remains of the Day*"); a dash among wider
 * column gaps is an empty cell of a table ("Chen      -      D      LD").
 */
const FIELD_BREAK = /(?<=\S) {1,2}[–—-] {1,2}(?=\S)/g;

/** Lower-case words a title holds between its capitalised ones ("Kind of Blue", "Sunday at the Village Vanguard"). */
const TITLE_LINKS = new Set(['of', 'the', 'a', 'an', 'and', 'at', 'in', 'on', 'to', 'for', 'from', 'with', 'by', 'de', 'del', 'della', 'di', 'da', 'du', 'des', 'la', 'le', 'les', 'von', 'van', 'der', 'den', 'y', 'e']);

/** A capitalised word of a name: a capital first ("Blue", "What's", "L'Heure", "ECM"), or a digit and a letter ("4AD"). */
const NAME_WORD = /^(?:\p{Lu}|\p{N}+\p{L})[\p{L}\p{N}'’.&+!-]*$/u;

/**
 * The names of a line's fields that no span touches: `spans` with them added, in order. Only for
 * lines of three fields or more; `isOrdinary` tells an ordinary English word ("Bleach", "Max").
 */
export function addDashFieldNames(sentence: string, spans: readonly OffsetSpan[], isOrdinary: (word: string) => boolean): OffsetSpan[] {
  let out: OffsetSpan[] | undefined;
  let lineStart = 0;
  for (const line of sentence.split('\n')) {
    const breaks = [...line.matchAll(FIELD_BREAK)];
    if (breaks.length >= 2) {
      let from = 0;
      for (const m of [...breaks, { index: line.length, 0: '' }]) {
        const field = fieldName(line, from, m.index, isOrdinary);
        from = m.index + m[0].length;
        if (!field) continue;
        const span = { start: lineStart + field.start, end: lineStart + field.end };
        if ((out ?? spans).some((s) => s.start < span.end && span.start < s.end)) continue;
        (out ??= [...spans]).push(span);
      }
    }
    lineStart += line.length + 1;
  }
  return out ? out.sort((a, b) => a.start - b.start) : [...spans];
}

/** The name a field holds (offsets into the line), or undefined: its words, without a list marker, markup, a parenthesis after them or closing punctuation. */
function fieldName(line: string, start: number, end: number, isOrdinary: (word: string) => boolean): OffsetSpan | undefined {
  let text = line.slice(start, end);
  // What the name ends before: an aside in parentheses ("Stax (Volt imprint)", "Perfect Days (2023, Wenders)").
  const paren = text.indexOf('(');
  if (paren >= 0) text = text.slice(0, paren);
  const lead = /^[\s*_"“]*(?:[-*+•]\s+|\d{1,2}[.)]\s+)?[\s*_"“]*/u.exec(text)![0].length;
  const trail = /[\s*_"”.,;:?]*$/u.exec(text.slice(lead))![0].length;
  const core = text.slice(lead, text.length - trail);
  const words = core.split(/\s+/).filter(Boolean);
  if (!words.length || words.length > 6) return undefined;
  if (!NAME_WORD.test(words[0]) || !NAME_WORD.test(words[words.length - 1])) return undefined;
  if (!words.every((w) => NAME_WORD.test(w) || TITLE_LINKS.has(w))) return undefined;
  // A date or a time in a name's capitals ("Sept 2024", "Mon") is no name; nor is one ordinary word, in any case ("WEDDING").
  if (words.some((w) => CALENDAR_WORDS.has(w.toLowerCase().replace(/\.$/, '')) || DAY_ABBREVIATIONS.has(w.toLowerCase()))) return undefined;
  if (words.length === 1 && /^\p{L}+$/u.test(words[0]) && isOrdinary(words[0][0] + words[0].slice(1).toLowerCase())) return undefined;
  // Two capitals alone are a grade or a code in such lists ("VG", "NM"), not a name.
  if (words.length === 1 && /^\p{Lu}{1,2}$/u.test(words[0])) return undefined;
  return { start: start + lead, end: start + lead + core.length };
}
