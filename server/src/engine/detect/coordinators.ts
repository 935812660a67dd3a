// Words that set two names side by side, which the tagger's five-word window sometimes reads as
// part of one: "Rhine vs Danube vs Po" → "Rhine vs", "Danube vs Po"; "(backend, Go or Rust)";
// "Netflix AND Disney+". No name runs across a lower-case "vs", "vs." or "versus" (titles that do,
// "Kramer vs. Kramer", are the cost: 7 of the 26,028 gold spans of the shared labelled data), nor
// across a lower-case "or" between two capitalised words in prose ("Dead or Alive" is a title
// in a Title Case line, which is left alone), nor an "AND"/"OR" written in capitals for emphasis
// in a sentence that is not itself in capitals. Two places joined by "and" or "&" are two names
// ("Washington and California both had wildfire smoke warnings"), unless WordNet knows the pair
// as one ("Bosnia and Herzegovina", "Trinidad and Tobago"); other pairs are often one name, a
// firm, a duo or a title ("Marks & Spencer", "Gilbert and Sullivan", "War and Peace"), and stay.
import type { Token } from './tokenize.ts';
import { isPlaceName, isWordNetNoun } from './listCommas.ts';

const VERSUS = new Set(['vs', 'versus']);
const EMPHATIC = new Set(['AND', 'OR']);
const AND = new Set(['and', '&']);
const CAPITALISED = /^\p{Lu}/u;

/**
 * Tokens [a, b) of a predicted span, cut at each coordinator above that stands between spaces;
 * the coordinator (and the full stop of "vs.") belongs to neither piece. `proseCasing`: the
 * sentence is in ordinary sentence case (not a Title Case or all-capitals line).
 */
export function splitAtCoordinators(sentence: string, tokens: readonly Token[], a: number, b: number, proseCasing: boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = a;
  for (let k = a + 1; k < b; k++) {
    const t = tokens[k];
    if (!spacedBefore(sentence, tokens, k)) continue;
    let after = k + 1;
    if (VERSUS.has(t.text)) {
      if (tokens[after]?.text === '.' && tokens[after].start === t.end) after++;
    } else if (t.text === 'or') {
      if (!proseCasing || !CAPITALISED.test(tokens[k - 1].text) || !CAPITALISED.test(tokens[after]?.text ?? '')) continue;
    } else if (AND.has(t.text)) {
      if (!proseCasing || !placesApart(tokens, start, k, b)) continue;
    } else if (!(EMPHATIC.has(t.text) && proseCasing)) continue;
    // Between spaces (or at the span's end, where it is only a tail to drop: "Rhine vs").
    if (after < tokens.length && tokens[after].start === tokens[after - 1].end) continue;
    out.push([start, k]);
    start = Math.min(after, b);
    k = after - 1;
  }
  if (start < b) out.push([start, b]);
  return out;
}

function spacedBefore(sentence: string, tokens: readonly Token[], k: number): boolean {
  return /\s/.test(sentence.slice(tokens[k - 1].end, tokens[k].start));
}

/** Tokens [a, k) and (k, next "and"/"&" or b) are places WordNet knows, and the pair is no WordNet name. */
function placesApart(tokens: readonly Token[], a: number, k: number, b: number): boolean {
  let end = k + 1;
  while (end < b && !AND.has(tokens[end].text)) end++;
  const before = tokens.slice(a, k).map((t) => t.text), after = tokens.slice(k + 1, end).map((t) => t.text);
  if (before.length === 0 || after.length === 0 || before.length > 3 || after.length > 3) return false;
  if (![...before, ...after].every((w) => /^\p{Lu}/u.test(w))) return false;
  return isPlaceName(before) && isPlaceName(after) && !isWordNetNoun([...before, 'and', ...tokens.slice(k + 1, b).map((t) => t.text)]);
}
