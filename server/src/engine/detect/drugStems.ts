// Drug names newer than WordNet or missing from it ("losartan", "apixaban", "bisoprolol"), by the
// stems of the WHO's International Nonproprietary Names: a generic drug's name ends in the stem of
// its class (-sartan angiotensin receptor blockers, -xaban factor Xa inhibitors, -olol beta
// blockers, -mab monoclonal antibodies …). Few English words end so, and those WordNet lists
// ("concept", "pristine") are left out unless it lists them only as substances or artifacts, as it
// files drugs ("valsartan").
import { WordnetNouns } from '../wordnet.ts';
import { isCommonLemma } from './wordClasses.ts';

/** INN stems (WHO, "The use of stems in the selection of INN"), as word endings. */
const STEMS = [
  'sartan', 'pril', 'olol', 'alol', 'dipine', 'xaban', 'gatran', 'gliflozin', 'gliptin', 'glutide', 'glinide',
  'vastatin', 'mycin', 'amicin', 'cillin', 'floxacin', 'oxacin', 'conazole', 'prazole', 'nidazole', 'bendazole', 'cycline', 'penem',
  'tidine', 'tadine', 'astine', 'izine', 'triptan', 'setron', 'oxetine', 'pramine', 'triptyline', 'azepam', 'azolam', 'barbital',
  'profen', 'coxib', 'lukast', 'buterol', 'moterol', 'meterol', 'caterol', 'anterol', 'daterol', 'tinib', 'ciclib', 'parib', 'zomib',
  'mab', 'cept', 'ciclovir', 'clovir', 'cavir', 'navir', 'tegravir', 'previr', 'asvir', 'buvir', 'mivir', 'fovir', 'virine', 'vudine',
  'platin', 'rubicin', 'taxel', 'semide', 'thiazide', 'dronate', 'parin', 'fibrate', 'quine', 'methasone', 'solone', 'bolone', 'cinolone',
  'peridone', 'apine', 'tretinoin', 'gabalin',
];
const STEM_SET = new Set(STEMS);
const STEM_LENGTHS = [...new Set(STEMS.map((x) => x.length))];

/** The last three letters of every stem, and of its plural: most words fail this one lookup. */
const STEM_ENDINGS = new Set(STEMS.flatMap((x) => [x.slice(-3), (x + 's').slice(-3)]));

/** The word (or its plural) ends in a stem, after at least two letters of its own. */
function endsInStem(word: string): boolean {
  if (!STEM_ENDINGS.has(word.slice(-3))) return false;
  const base = word.endsWith('s') ? [word, word.slice(0, -1)] : [word];
  return base.some((w) => STEM_LENGTHS.some((n) => w.length >= n + 2 && STEM_SET.has(w.slice(-n))));
}

/** noun.artifact and noun.substance: where WordNet files drugs. */
const DRUG_FILES = new Set([6, 27]);

/** WordNet lists the word, or its singular, other than as a substance or artifact. */
function isOtherWord(word: string): boolean {
  const nouns = WordnetNouns.load();
  return [word, ...(word.endsWith('s') ? [word.slice(0, -1)] : [])].some((w) =>
    isCommonLemma(w) || (nouns.senses(w) ?? []).some((offset) => !DRUG_FILES.has(nouns.synset(offset)?.lexFile ?? -1)));
}

/** A lower-case word of at least 7 letters that ends in an INN stem and is no other word WordNet lists. */
export function isDrugByStem(word: string): boolean {
  return word.length >= 7 && endsInStem(word) && /^\p{Ll}+$/u.test(word) && !isOtherWord(word);
}
