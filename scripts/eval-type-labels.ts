// How often the inline type label of a mention is right: gold spans of the shared dev sets, each
// mention encoded in its sentence as `eval` does, labelled by the language server's code
// (TypeVocabulary, default 15-label vocabulary and threshold). The datasets' types are mapped to
// the labels that name them (MAPPING, written before any run; several where the vocabulary nests:
// a city is also a location); a type no label names (AnatomicalStructure) is left out.
// Usage: npx tsx scripts/eval-type-labels.ts        (needs ../shared or NER_SHARED_DIR)
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { sharedDir } from '../server/src/engine/types.ts';
import { readConll } from '../server/src/engine/eval/conll.ts';
import { loadDefaultModels } from '../server/src/engine/engine.ts';
import { DEFAULT_TYPE_LABELS, DEFAULT_TYPE_LABEL_THRESHOLD, TypeVocabulary } from '../server/src/engine/typeLabels.ts';
import type { MentionInput } from '../server/src/engine/types.ts';

const PERSON = ['person'];
const WORK = ['work of art'];
const MAPPING: Readonly<Record<string, readonly string[]>> = {
  // MultiCoNER II (its types were seen in training the static head; the labels' words were not)
  Artist: PERSON, Athlete: PERSON, Politician: PERSON, OtherPER: PERSON, SportsManager: PERSON,
  HumanSettlement: ['city', 'country', 'location'], OtherLOC: ['location', 'river', 'country'], Facility: ['location'],
  ORG: ['organization'], SportsGRP: ['organization'], MusicalGRP: ['organization'],
  PublicCorp: ['company', 'organization'], PrivateCorp: ['company', 'organization'], CarManufacturer: ['company', 'organization'],
  VisualWork: WORK, WrittenWork: WORK, MusicalWork: WORK, ArtWork: WORK,
  Software: ['software', 'product'], OtherPROD: ['product'], Vehicle: ['product'], Clothing: ['product'],
  MedicalProcedure: ['medical procedure'],
  // WNUT-17 (types never trained on)
  person: PERSON, location: ['location', 'city', 'country', 'river'], corporation: ['company', 'organization'],
  product: ['product', 'software'], 'creative-work': WORK, group: ['organization'],
};

const sets: Array<[string, string]> = [
  ['MultiCoNER II dev (lower-cased)', join(sharedDir(), 'data/multiconer2-en/dev.conll')],
  ['WNUT-17 dev (cased tweets)', join(sharedDir(), 'data/wnut17/dev.conll')],
];
if (!sets.every(([, path]) => existsSync(path))) {
  console.error(`skipped: the shared dev sets are not under ${sharedDir()} (set NER_SHARED_DIR)`);
  process.exit(0);
}
const { encoder } = await loadDefaultModels({});
const vocabulary = await TypeVocabulary.create(encoder, DEFAULT_TYPE_LABELS);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
for (const [name, path] of sets) {
  const inputs: MentionInput[] = [];
  const types: string[] = [];
  for (const s of readConll(path)) {
    for (const sp of s.spans) if (MAPPING[sp.type]) { inputs.push({ sentence: s.text, start: sp.start, end: sp.end }); types.push(sp.type); }
  }
  const vectors = await encoder.encodeMentions(inputs);
  // Per mention: right or not, its score, and its margin over the runner-up label.
  const rows = vectors.map((v, i) => {
    const scores = vocabulary.scores(v, inputs[i].sentence.slice(inputs[i].start, inputs[i].end));
    const order = scores.map((_, j) => j).sort((a, b) => scores[b] - scores[a]);
    return { type: types[i], right: MAPPING[types[i]].includes(vocabulary.labels[order[0]]), score: scores[order[0]], margin: scores[order[0]] - scores[order[1]], label: vocabulary.labels[order[0]] };
  });
  const accuracy = (r: typeof rows) => r.filter((x) => x.right).length / Math.max(1, r.length);
  const byType = new Map<string, typeof rows>();
  for (const r of rows) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  const macro = [...byType.values()].reduce((a, r) => a + accuracy(r), 0) / byType.size;
  const shown = rows.filter((r) => r.score >= DEFAULT_TYPE_LABEL_THRESHOLD);
  console.log(`\n### ${name}: ${rows.length} gold mentions of ${byType.size} types\n`);
  console.log(`Best label right: ${pct(accuracy(rows))} of mentions (macro over types ${pct(macro)}); shown at the default threshold ${DEFAULT_TYPE_LABEL_THRESHOLD}: ${pct(shown.length / rows.length)} of mentions, ${pct(accuracy(shown))} of them right.\n`);
  console.log('| labels kept (most confident first) | by score: right | by margin over the runner-up: right |\n|---|---:|---:|');
  for (const keep of [0.25, 0.5, 0.75, 1]) {
    const top = (key: 'score' | 'margin') => [...rows].sort((a, b) => b[key] - a[key]).slice(0, Math.round(keep * rows.length));
    console.log(`| ${pct(keep)} | ${pct(accuracy(top('score')))} | ${pct(accuracy(top('margin')))} |`);
  }
  console.log('\n| type | mentions | best label right | most frequent wrong labels |\n|---|---:|---:|---|');
  for (const [type, r] of [...byType].sort()) {
    const wrong = new Map<string, number>();
    for (const x of r) if (!x.right) wrong.set(x.label, (wrong.get(x.label) ?? 0) + 1);
    console.log(`| ${type} | ${r.length} | ${pct(accuracy(r))} | ${[...wrong].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([l, n]) => `${l} ${n}`).join(', ')} |`);
  }
}
