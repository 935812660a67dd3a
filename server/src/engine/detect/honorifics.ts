// "Ask Mr. O'Sullivan", "Prof. Alan Turing", "Dr. Katarzyna Nowak": the tagger sometimes takes the
// title alone ("Mr", "Prof") as a span, with or without the name after it, or the name without its
// title. The dev sets keep a title with its name ("Dr. Cox" in WNUT-17, "dr. watson" in MultiCoNER),
// so a title and the name right after it are one span; a title with no name after it is none.
import type { OffsetSpan } from '../types.ts';

/** Titles written before a name, as written in cased prose or in lower-cased text (never in capitals: "MS" is a disease). */
const TITLES = ['Mr', 'Mrs', 'Ms', 'Mx', 'Dr', 'Prof', 'Sir', 'Dame', 'Rev', 'Hon', 'Cllr'];
const TITLE_WORD = [...TITLES, ...TITLES.map((t) => t.toLowerCase())].join('|');
const TITLE = new RegExp(`^(?:${TITLE_WORD})\\.?$`);
/** A title (and its full stop) and the spaces before a name, at the end of the text before a span. */
const TITLE_BEFORE = new RegExp(`(?:^|[^\\p{L}\\p{N}])((?:${TITLE_WORD})\\.? +)$`, 'u');
/** Capitalised words after a title ("O'Sullivan", "Alan Turing", "Jean-Luc Picard"). */
const NAME_AFTER = /^\p{Lu}[\p{L}\p{M}'’-]+(?: \p{Lu}[\p{L}\p{M}'’-]*)*/u;

/** `spans` (sorted by start) with each title joined to the name after it, and lone titles dropped. */
export function attachHonorifics(sentence: string, spans: readonly OffsetSpan[]): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (TITLE.test(sentence.slice(span.start, span.end))) {
      let after = span.end;
      if (sentence[after] === '.') after++;
      const nameStart = after + (/^ +/.exec(sentence.slice(after))?.[0].length ?? 0);
      if (nameStart === after) continue; // "Dr" glued to something else is no title before a name
      const next = spans[i + 1];
      if (next && next.start === nameStart) {
        out.push({ start: span.start, end: next.end });
        i++;
        continue;
      }
      const name = NAME_AFTER.exec(sentence.slice(nameStart));
      if (name && (!next || nameStart + name[0].length <= next.start)) out.push({ start: span.start, end: nameStart + name[0].length });
      continue;
    }
    const previous = out[out.length - 1];
    const title = TITLE_BEFORE.exec(sentence.slice(previous?.end ?? 0, span.start));
    out.push(title ? { start: span.start - title[1].length, end: span.end } : span);
  }
  return out;
}

/** A place named after a saint, up to its name: "St Thomas", "St. Brigid", "Saint Joseph". */
const SAINT_NAME = /^(?:St\.?|Saint) \p{Lu}[\p{L}\p{M}'’-]*$/u;
/** A possessive right after it: "'s", "’s", or a bare apostrophe (after an s: "St Thomas'"). */
const POSSESSIVE_AFTER = /^(?:['’]s|['’])(?![\p{L}\p{N}])/u;

/**
 * "Dr. Reyes at St Thomas'", "talk to St Saviour's school", "St. Brigid's chapel": a church,
 * school or hospital named after a saint carries the possessive ("St Mark's Church" is one name
 * already), so a span of "St" and the saint's name takes the "'s" after it in.
 */
export function attachSaintsPossessive(sentence: string, spans: readonly OffsetSpan[]): OffsetSpan[] {
  return spans.map((span) => {
    if (!SAINT_NAME.test(sentence.slice(span.start, span.end))) return span;
    const after = POSSESSIVE_AFTER.exec(sentence.slice(span.end));
    if (!after || (after[0].length === 1 && !/s$/i.test(sentence.slice(span.start, span.end)))) return span;
    return { start: span.start, end: span.end + after[0].length };
  });
}
