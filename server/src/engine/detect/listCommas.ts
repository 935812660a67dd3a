// "Longest rivers: Nile, Amazon, Yangtze, Mississippi, Yenisei." The tagger learned from MultiCoNER,
// which writes a place and its state as one name ("Tavares, Florida", "Buffalo, New York") and a
// peer with his title ("Prince William, Duke of Cumberland"), to read a comma between two names
// as part of a name; in a list it then joins the last items ("Mississippi, Yenisei", "London,
// Berlin", "Béla Bartók, Arvo Pärt"). A span is therefore cut at each comma, unless what follows
// it qualifies what comes before: a state, province, country or other region WordNet knows
// ("Texas", "New Jersey", "D.C."), a title ("Duke of …", "1st Earl of …", "Jr.", "Inc."). A
// region after a region that is no settlement is the next item of a list ("France, Germany").
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
const REGION_CLASS = /(?:^|_)(?:state|province|country|nation|county|territory|district|region|kingdom|republic|commonwealth|canton|department|prefecture)$/i;

/** Classes of settlements: a name that is one ("Washington", "Buffalo") can take its state after a comma. */
const SETTLEMENT_CLASS = /(?:^|_)(?:city|town|capital|port|municipality|village|borough)$/i;

const kindMemo = new Map<string, { region: boolean; settlement: boolean }>();

/** What WordNet knows the words (a lemma, lower-cased) as: an instance of a region class, of a settlement class. */
function placeKinds(words: string[]): { region: boolean; settlement: boolean } {
  const lemma = words.join('_').toLowerCase();
  const memo = kindMemo.get(lemma);
  if (memo) return memo;
  const nouns = WordnetNouns.load();
  const kinds = { region: false, settlement: false };
  for (const offset of nouns.senses(lemma) ?? []) {
    for (const [symbol, target] of nouns.synset(offset)?.pointers ?? []) {
      if (symbol !== '@i') continue;
      const lemmas = nouns.synset(target)?.lemmas ?? [];
      if (lemmas.some((l) => REGION_CLASS.test(l))) kinds.region = true;
      if (lemmas.some((l) => SETTLEMENT_CLASS.test(l))) kinds.settlement = true;
    }
  }
  if (kindMemo.size > 50_000) kindMemo.clear();
  kindMemo.set(lemma, kinds);
  return kinds;
}

function isRegionName(words: string[]): boolean { return placeKinds(words).region; }

/** WordNet knows the words as a region or a settlement ("Washington", "California", "New York"). */
export function isPlaceName(words: string[]): boolean {
  const kinds = placeKinds(words);
  return kinds.region || kinds.settlement;
}

/** WordNet knows the words, joined, as a noun of its own ("Bosnia and Herzegovina", "Trinidad and Tobago"). */
export function isWordNetNoun(words: string[]): boolean {
  return WordnetNouns.load().senses(words.join('_').toLowerCase()) !== undefined;
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

/**
 * Whether tokens [i, j) are a region and no settlement ("France" of "France, Germany"): then a
 * region after them is the next item of a list ("Washington, D.C." is a city and its district).
 */
function isListedRegion(tokens: Token[], i: number, j: number): boolean {
  const words = tokens.slice(i, j).map((t) => t.text).filter((w) => w !== '.');
  if (words.length === 0 || words.length > 4) return false;
  const kinds = placeKinds(words);
  return kinds.region && !kinds.settlement;
}

/** Tokens [a, b) of a predicted span, cut at each comma that separates two names of a list. */
export function splitAtListCommas(tokens: Token[], a: number, b: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = a;
  for (let i = a + 1; i < b - 1; i++) {
    if (tokens[i].text !== ',') continue;
    let next = i + 1;
    while (next < b && tokens[next].text !== ',') next++;
    if (qualifies(tokens, i + 1, next) && !isListedRegion(tokens, start, i)) continue;
    out.push([start, i]);
    start = i + 1;
  }
  out.push([start, b]);
  return out;
}
