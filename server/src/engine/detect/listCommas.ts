// "Longest rivers: Nile, Amazon, Yangtze, Mississippi, Yenisei." The tagger learned from MultiCoNER,
// which writes a place and its state as one name ("Tavares, Florida", "Buffalo, New York") and a
// peer with his title ("Prince William, Duke of Cumberland"), to read a comma between two names
// as part of a name; in a list it then joins the last items ("Mississippi, Yenisei", "London,
// Berlin", "Béla Bartók, Arvo Pärt"). A span is therefore cut at each comma, unless what follows
// it qualifies what comes before: a state, province, country or other region WordNet knows
// ("Texas", "New Jersey", "D.C."), a title ("Duke of …", "1st Earl of …", "Jr.", "Inc.").
import { WordnetNouns } from '../wordnet.ts';
import type { Token } from './tokenize.ts';

/** Titles and suffixes that follow a name after a comma (compared in lower case). */
const TITLE_WORDS = new Set([
  'duke', 'duchess', 'earl', 'count', 'countess', 'marquess', 'marquis', 'marchioness', 'viscount', 'viscountess',
  'baron', 'baroness', 'baronet', 'lord', 'lady', 'prince', 'princess', 'king', 'queen', 'emperor', 'empress',
  'sieur', 'seigneur', 'bishop', 'archbishop', 'elector', 'landgrave', 'margrave', 'grand', 'sultan',
  'jr', 'sr', 'inc', 'ltd', 'llc', 'plc', 'gmbh', 'ag', 'co', 'corp', 'esq', 'phd', 'md',
]);
const ORDINAL = /^\d+(?:st|nd|rd|th)$/i;

/** Lemmas of the WordNet classes whose instances qualify a place after a comma ("…, Florida"). */
const REGION_CLASS = /(?:^|_)(?:state|province|country|nation|county|territory|district|region|kingdom|republic|commonwealth|canton|department|prefecture|island)$/i;

const regionMemo = new Map<string, boolean>();

/** Whether WordNet knows the words (a lemma, lower-cased) as an instance of a region class. */
function isRegionName(words: string[]): boolean {
  const lemma = words.join('_').toLowerCase();
  const memo = regionMemo.get(lemma);
  if (memo !== undefined) return memo;
  const nouns = WordnetNouns.load();
  let answer = false;
  for (const offset of nouns.senses(lemma) ?? []) {
    const synset = nouns.synset(offset);
    for (const [symbol, target] of synset?.pointers ?? []) {
      if (symbol !== '@i') continue;
      if (nouns.synset(target)?.lemmas.some((l) => REGION_CLASS.test(l))) { answer = true; break; }
    }
    if (answer) break;
  }
  if (regionMemo.size > 50_000) regionMemo.clear();
  regionMemo.set(lemma, answer);
  return answer;
}

/** Whether tokens [i, j) (what follows a comma, up to the next comma or the span's end) qualify the name before it. */
function qualifies(tokens: Token[], i: number, j: number): boolean {
  if (i >= j) return false;
  const first = tokens[i].text.toLowerCase().replace(/\.$/, '');
  if (TITLE_WORDS.has(first) || (ORDINAL.test(first) && j > i + 1)) return true;
  // "D.C.", "N.Y.": dotted abbreviations are tokens of their own.
  const words = tokens.slice(i, j).map((t) => t.text).filter((w) => w !== '.');
  return words.length <= 4 && isRegionName(words);
}

/** Tokens [a, b) of a predicted span, cut at each comma that separates two names of a list. */
export function splitAtListCommas(tokens: Token[], a: number, b: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = a;
  for (let i = a + 1; i < b - 1; i++) {
    if (tokens[i].text !== ',') continue;
    let next = i + 1;
    while (next < b && tokens[next].text !== ',') next++;
    if (qualifies(tokens, i + 1, next)) continue;
    out.push([start, i]);
    start = i + 1;
  }
  out.push([start, b]);
  return out;
}
