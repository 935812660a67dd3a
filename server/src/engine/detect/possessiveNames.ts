// "Shepherd's Bush", "King's College London", "Harrison's Rocks", "Eel's Foot Inn": a place or
// institution named with a possessive is one name, where the tagger, reading "'s" as the end of
// a name, gives two ("[Shepherd]'s [Bush]") or the first alone. The part after the "'s" opens
// with a capitalised common noun, and it or the part's last word is a kind of place or
// institution ("Bush", "College", "Rocks", "Inn", "Mill"); after a first name every word of it
// must be a common noun. An owner and a thing stay two ("Ottolenghi's Plenty", "Joplin's The
// Entertainer", "Maya's Paris trip", "Harrison's New York trip").
import type { OffsetSpan } from '../types.ts';
import { isOrdinaryWord } from './wordClasses.ts';
import type { Token } from './tokenize.ts';
import { FUNCTION_WORDS } from '../functionWords.ts';

/** Kinds of place or institution that names of the form "A's B" end or open with. */
const PLACE_NOUNS = new Set(['bush', 'rock', 'rocks', 'college', 'cross', 'inn', 'mill', 'head', 'hill', 'church', 'cathedral', 'chapel', 'park',
  'bay', 'wood', 'woods', 'green', 'lane', 'market', 'hospital', 'school', 'island', 'point', 'well', 'wells', 'bridge', 'gate', 'castle',
  'hall', 'court', 'road', 'street', 'square', 'abbey', 'field', 'fields', 'farm', 'tavern', 'arms', 'garden', 'gardens', 'harbour',
  'harbor', 'heath', 'common', 'row', 'place', 'quay', 'wharf', 'yard', 'valley', 'leap', 'peak', 'tor', 'creek', 'falls', 'lake', 'pond',
  'university', 'academy', 'institute', 'hotel', 'pub', 'bar', 'cafe', 'café', 'bakery', 'dairy', 'brewery', 'vineyard', 'cove', 'crag',
  'edge', 'fort', 'glen', 'grove', 'knoll', 'landing', 'marsh', 'meadow', 'moor', 'mount', 'orchard', 'pier', 'spring', 'springs']);

const ONE_CAPITALISED_WORD = /^\p{Lu}[\p{Ll}\p{M}-]+$/u;
const POSSESSIVE = /^['’]s /u;
/** Capitalised words right after the possessive ("Bush", "Foot Inn"). */
const CAPITALISED_RUN = /^\p{Lu}[\p{L}\p{M}-]*(?: \p{Lu}[\p{L}\p{M}-]*)*/u;

/** `spans` (sorted) with "A's B" joined where B names a kind of place (above); `isFirstName` takes a lower-cased word. */
export function joinPossessiveNames(sentence: string, spans: readonly OffsetSpan[], isFirstName: (word: string) => boolean): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    const owner = sentence.slice(span.start, span.end);
    const possessive = ONE_CAPITALISED_WORD.test(owner) ? POSSESSIVE.exec(sentence.slice(span.end, span.end + 3)) : null;
    if (!possessive) { out.push(span); continue; }
    const after = span.end + possessive[0].length;
    const next = spans[i + 1];
    const firstName = isFirstName(owner.toLowerCase());
    let end = -1;
    const names = (words: string[]) => {
      const nouns = firstName ? words : words.slice(0, 1);
      return nouns.every((w) => isOrdinaryWord(w)) && (PLACE_NOUNS.has(words[0].toLowerCase()) || PLACE_NOUNS.has(words[words.length - 1].toLowerCase()));
    };
    if (next && next.start === after) {
      if (names(sentence.slice(next.start, next.end).split(/\s+/))) end = next.end;
    } else if (!next || next.start > after) {
      const run = CAPITALISED_RUN.exec(sentence.slice(after, next?.start ?? sentence.length));
      if (run && run[0].split(' ').every((w) => isOrdinaryWord(w)) && names(run[0].split(' '))) end = after + run[0].length;
    }
    if (end < 0) { out.push(span); continue; }
    out.push({ start: span.start, end });
    if (next && next.start === after) i++;
  }
  return out;
}

const APOSTROPHES = new Set(["'", '’']);
const SINGULAR_POSSESSIVES = new Set(["'s", '’s']);

/**
 * Tokens [a, b) of a predicted span, cut at a possessive followed by a name: "Racing Bulls'
 * Lawson", "Lehman Brothers' Chicago office", "Max Planck Society's English service" are an
 * owner and a name of its own. A name ends at its possessive unless a common noun follows it,
 * which the possessive names ("Hadrian's Wall", "Merchant Adventurers' Hall", "Gardeners' World"),
 * or an adjective of a name, which it describes ("King's Indian Defence"). `isNameAdjective(i)`:
 * token i is one ("Indian").
 */
export function splitAtPossessiveName(sentence: string, tokens: readonly Token[], a: number, b: number, isNameAdjective: (i: number) => boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = a;
  for (let k = a + 1; k < b - 1; k++) {
    const t = tokens[k], before = tokens[k - 1], after = tokens[k + 1];
    const glued = t.start === before.end && after.start > t.end && !/[\n\r]/.test(sentence.slice(t.end, after.start));
    const possessive = SINGULAR_POSSESSIVES.has(t.text) || (APOSTROPHES.has(t.text) && /s$/.test(before.text));
    if (!glued || !possessive || !/^\p{Lu}/u.test(after.text) || FUNCTION_WORDS.has(after.text.toLowerCase()) || isOrdinaryWord(after.text) || isNameAdjective(k + 1)) continue;
    out.push([start, k]);
    start = k + 1;
  }
  out.push([start, b]);
  return out;
}
