// Multi-word names WordNet knows ("Cape Town", "Wall Street", "European Union", "World Cup"), for
// lower-cased text, where the tagger has no capitals to go on and often finds only a part
// ("cape") or nothing. A WordNet lemma of two to four words counts when every synset writes it in
// Title Case: a proper noun in all its senses. "Achilles tendon" and "Bunsen burner" are written
// with a lower-case word and stay common; holidays and eras ("New Year") are dates.
import { WordnetNouns } from '../wordnet.ts';
import type { Token } from './tokenize.ts';

const MAX_WORDS = 4;
/** WordNet's lexicographer file noun.time. */
const NOUN_TIME = 28;

interface Lemmas {
  /** Every multi-word noun lemma ("cape_town"). */
  all: Set<string>;
  /** Every proper prefix of one, from its first word ("cape", "new", "new_south"): where a search may go on. */
  prefixes: Set<string>;
}
let lemmas: Lemmas | undefined;
/** WordNet's multi-word noun lemmas, read once from index.noun (≈ 0.1 s). */
function multiwordLemmas(): Lemmas {
  if (!lemmas) {
    const all = new Set(WordnetNouns.load().lemmas().filter((l) => l.includes('_')));
    const prefixes = new Set<string>();
    for (const l of all) for (let k = l.indexOf('_'); k > 0; k = l.indexOf('_', k + 1)) prefixes.add(l.slice(0, k));
    lemmas = { all, prefixes };
  }
  return lemmas;
}

const titleCaseMemo = new Map<string, boolean>();
/** Whether every sense writes the lemma with each word capitalised ("Cape_Town", "U.S._Army"). */
function isTitleCaseName(lemma: string): boolean {
  let yes = titleCaseMemo.get(lemma);
  if (yes !== undefined) return yes;
  const nouns = WordnetNouns.load();
  const synsets = (nouns.senses(lemma) ?? []).map((o) => nouns.synset(o));
  yes = synsets.length > 0 && synsets.every((synset) => {
    const written = synset?.lemmas.find((l) => l.toLowerCase() === lemma);
    // Holidays and eras ("New Year", "Christmas Day", "Middle Ages") are dates, as lone months are.
    return written !== undefined && synset!.lexFile !== NOUN_TIME && written.split('_').every((part) => /^\p{Lu}/u.test(part));
  });
  titleCaseMemo.set(lemma, yes);
  return yes;
}

/**
 * The number of tokens from `i` on that form a multi-word WordNet name, lower-case words only
 * ("cape town", "north sea", "u.s. army"); 0 if none. The longest wins.
 */
export function multiwordNameAt(tokens: readonly Token[], i: number): number {
  const { all, prefixes } = multiwordLemmas();
  let key = tokens[i].text;
  let found = 0;
  // (Lemmas are lower-case: a word with a capital simply matches none.)
  for (let n = 2; n <= MAX_WORDS && i + n - 1 < tokens.length && prefixes.has(key); n++) {
    const t = tokens[i + n - 1];
    // Words separated by one space only, as WordNet's lemmas are.
    if (t.start !== tokens[i + n - 2].end + 1) break;
    key += `_${t.text}`;
    if (all.has(key) && isTitleCaseName(key)) found = n;
  }
  return found;
}
