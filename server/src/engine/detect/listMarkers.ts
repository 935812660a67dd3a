// Plain-text list items keep their markers in the sentence ("- Email Jonas", "2. Call Dr. Shah",
// "- [ ] Ask Lena"); Markdown's parser drops them. Rules about a sentence's first word look past them.
import type { Token } from './tokenize.ts';

/** A bullet or a number that opens a plain-text list item ("- ", "* ", "• ", "3. ", "2) "). */
const BULLET = new Set(['-', '*', '•', '+', '–', '—', '>']);

/**
 * The index of the first token after a plain-text list item's marker and checkbox ("- Email Jonas",
 * "- [ ] Ask Lena", "2. Call Dr. Shah"; Markdown's parser drops these, a `.txt` file keeps them).
 */
export function firstWordIndex(tokens: readonly Token[]): number {
  let i = 0;
  if (BULLET.has(tokens[0]?.text)) i = 1;
  else if (/^\d{1,3}$/.test(tokens[0]?.text ?? '') && (tokens[1]?.text === '.' || tokens[1]?.text === ')')) i = 2;
  if (tokens[i]?.text === '[') {
    if (tokens[i + 1]?.text === ']') i += 2;
    else if (/^[xX]$/.test(tokens[i + 1]?.text ?? '') && tokens[i + 2]?.text === ']') i += 3;
  }
  return i;
}
