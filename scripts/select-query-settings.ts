// Chooses the static encoder's export/query settings on a VALIDATION draw of held-out types,
// then reports them on the TEST draws, so the reported held-out figures are not tuned on.
// Settings: which raw feature blocks enter the output (mention, last word, context, sentence),
// the raw weight alpha, and WordNet query expansion (max:weight or off).
// Heads come from `scripts/eval-zero-shot.ts --draws N --work DIR` (DIR/ner-head-draw<N>.onnx).
//   npx tsx scripts/select-query-settings.ts --work /tmp/zs --validate 3 --test 1,2
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { scriptArgs } from '../bench/args.ts';
import { headToOnnx, headWeightsFromOnnx } from '../server/src/engine/encode/head.ts';
import { StaticEncoder } from '../server/src/engine/encode/staticEncoder.ts';
import { readConll, type LabelledSentence } from '../server/src/engine/eval/conll.ts';
import {
  MULTICONER_DESCRIPTIONS, drawHeldOutTypes, evaluateRetrieval, evaluateScorer, sentenceMeanScorer,
} from '../server/src/engine/eval/retrieval.ts';
import { loadWordVectors } from '../server/src/engine/encode/wordVectors.ts';
import { sharedDir } from '../server/src/engine/types.ts';

const { values } = scriptArgs({ options: {
  work: { type: 'string', default: '/tmp/zs' },
  validate: { type: 'string', default: '3' },
  test: { type: 'string', default: '1,2' },
} }, import.meta.url);
const data = join(sharedDir(), 'data', 'multiconer2-en');
const dev = readConll(join(data, 'dev.conll'));
const train = readConll(join(data, 'train.conll'));
const tail = train.slice(train.length - 2000);
const labels = Object.keys(MULTICONER_DESCRIPTIONS);

interface Setting { blocks: number[]; alpha: number; expansion: false | { max: number; weight: number } }
const settings: Setting[] = [];
for (const blocks of [[0, 0, 0, 1], [1, 0, 0, 1], [0, 0, 1, 1]]) {
  for (const alpha of [0.75, 1, 1.25]) {
    for (const expansion of [false, { max: 40, weight: 0.5 }, { max: 20, weight: 1 }] as const) settings.push({ blocks, alpha, expansion });
  }
}
const name = (s: Setting) => `raw ${s.blocks.join('')} α ${s.alpha} exp ${s.expansion ? `${s.expansion.max}:${s.expansion.weight}` : 'off'}`;

async function score(draw: number, s: Setting, sets: LabelledSentence[][]): Promise<number[]> {
  const { weights, metadata } = headWeightsFromOnnx(new Uint8Array(readFileSync(join(values.work!, `ner-head-draw${draw}.onnx`))));
  const mask = new Float32Array(weights.inputDim);
  const block = weights.inputDim / 4;
  s.blocks.forEach((on, b) => { if (on) mask.fill(1, b * block, (b + 1) * block); });
  const path = join(tmpdir(), `ner-select-${process.pid}.onnx`);
  writeFileSync(path, headToOnnx({ ...weights, alpha: s.alpha, rawMask: mask, projection: undefined }, metadata)); // another raw part: the fitted projection no longer applies
  const enc = await StaticEncoder.create({ headPath: path, queryExpansion: s.expansion });
  const held = drawHeldOutTypes(labels, 6, draw);
  const out: number[] = [];
  for (const set of sets) out.push((await evaluateRetrieval(set, enc, MULTICONER_DESCRIPTIONS, held)).macro);
  await enc.dispose();
  return out;
}

const v = Number(values.validate);
console.log(`## Validation: draw ${v} (${drawHeldOutTypes(labels, 6, v).join(', ')}), mean of dev and train tail\n`);
console.log('| setting | dev | tail | mean |\n|---|---|---|---|');
let best: { s: Setting; mean: number } | undefined;
for (const s of settings) {
  const [d, t] = await score(v, s, [dev, tail]);
  const mean = (d + t) / 2;
  console.log(`| ${name(s)} | ${d.toFixed(3)} | ${t.toFixed(3)} | ${mean.toFixed(3)} |`);
  if (!best || mean > best.mean + 1e-9) best = { s, mean };
}
console.log(`\nSelected: **${name(best!.s)}**\n`);
const vectors = loadWordVectors();
console.log('## Test draws (selected setting vs the shipped default vs best baseline = sentence-mean)\n');
console.log('| draw | held-out types | set | sentence-mean | default (raw 0001 α 1 exp 40:0.5) | selected | selected − baseline |\n|---|---|---|---|---|---|---|');
const shipped: Setting = { blocks: [0, 0, 0, 1], alpha: 1, expansion: { max: 40, weight: 0.5 } };
for (const draw of values.test!.split(',').map(Number)) {
  const held = drawHeldOutTypes(labels, 6, draw);
  const sel = await score(draw, best!.s, [dev, tail]);
  const def = await score(draw, shipped, [dev, tail]);
  for (const [i, setName, set] of [[0, 'dev', dev], [1, 'train tail', tail]] as const) {
    const base = (await evaluateScorer(set, sentenceMeanScorer(set, vectors), MULTICONER_DESCRIPTIONS, held)).macro;
    console.log(`| ${draw} | ${held.join(', ')} | ${setName} | ${base.toFixed(3)} | ${def[i].toFixed(3)} | ${sel[i].toFixed(3)} | ${(sel[i] - base >= 0 ? '+' : '')}${(sel[i] - base).toFixed(3)} |`);
  }
}
