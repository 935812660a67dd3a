// "Call Aunt Rosa", "a vegan option for Uncle Pete", "birthday card for Grandpa Joe": family notes
// put a kinship word before a first name, and the tagger takes it into the name. The dev sets leave
// it out (MultiCoNER's "uncle charles", "cousin henry"; WNUT-17's "dad Scooter"), as does the notes
// convention. Alone ("go with Mum", "Gran offered") such a word refers to a relative, not a name.
// Words that also open names stay: "Father Brown" and "Sister Act" (titles of clergy), "Nana
// Mouskouri", "Nan Goldin", "Gran Torino", "Daddy Yankee".
import type { OffsetSpan } from '../types.ts';

/** Cut from the front of a name ("Aunt Rosa" → "Rosa"). */
const BEFORE_NAME = new Set(['aunt', 'auntie', 'aunty', 'uncle', 'grandma', 'grandpa', 'granny', 'grandad', 'granddad', 'grandmother', 'grandfather', 'cousin']);
/** No name when alone ("Mum", "Gran"). */
const ALONE = new Set([...BEFORE_NAME, 'mum', 'mom', 'mummy', 'mommy', 'dad', 'gran']);
const FIRST_WORD = /^(\p{L}+) +(?=\p{L})/u;

/** `spans` without a leading kinship word, and without spans that are one. */
export function cutKinshipWords(sentence: string, spans: readonly OffsetSpan[]): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  for (const span of spans) {
    const text = sentence.slice(span.start, span.end);
    if (ALONE.has(text.toLowerCase())) continue;
    const first = FIRST_WORD.exec(text);
    out.push(first && BEFORE_NAME.has(first[1].toLowerCase()) ? { start: span.start + first[0].length, end: span.end } : span);
  }
  return out;
}
