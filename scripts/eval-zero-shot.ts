// Zero-shot retrieval evaluation: for each seeded draw of held-out MultiCoNER types, trains a
// head without them (unless --head is given), then reports macro R-Precision on the held-out
// types for the baselines and the head, on MultiCoNER dev and on a reserved tail of train.
//   npx tsx scripts/eval-zero-shot.ts [--draws 1,2] [--count 6] [--epochs 4] [--json out.json]
//   (--work DIR keeps the draw heads as DIR/ner-head-draw<seed><tag>.onnx; --reuse skips training when present)
//   training variants: [--seed 13] [--temperature 0.05] [--wordnet-batch 128] [--wordnet-weight 1] [--anchor-weight 0] [--anchor-blocks 1,1,1,0] [--hidden 256] [--output-dim 128] [--project 64 (0: none)] [--tag -name]
//   npx tsx scripts/eval-zero-shot.ts --head models/static-head/head.onnx --wnut   (shipped head, WNUT-17 dev)
//   --no-hubness: the encoder without its hubness correction (the figures before the seventh session)
//   --no-membership: without the WordNet type-membership boost (the figures before the seventeenth session)
//   --tail-seed S: reserve a seeded random 2000 train sentences instead of the last 2000 (train.conll is grouped by type)
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { sharedDir } from '../server/src/engine/types.ts';
import { readConll, type LabelledSentence } from '../server/src/engine/eval/conll.ts';
import {
  MULTICONER_DESCRIPTIONS, WNUT17_DESCRIPTIONS, bm25Scorer, drawHeldOutTypes, evaluateRetrieval, evaluateScorer,
  randomScorer, sentenceMeanScorer, type RetrievalResult,
} from '../server/src/engine/eval/retrieval.ts';
import { loadWordVectors } from '../server/src/engine/encode/wordVectors.ts';
import { FeatureExtractor } from '../server/src/engine/encode/features.ts';
import { RawFeatureEncoder, StaticEncoder } from '../server/src/engine/encode/staticEncoder.ts';
import { reservedSentences, trainHead } from '../server/src/engine/train/trainHead.ts';
import { scriptArgs } from '../bench/args.ts';

async function main(): Promise<void> {

const RESERVE = 2000;
const STRING_OPTIONS = ['draws', 'count', 'epochs', 'head', 'json', 'seed', 'tag', 'work', 'anchor-blocks', 'alpha', 'anchor-weight', 'hidden', 'output-dim', 'project', 'tail-seed', 'temperature', 'wordnet-batch', 'wordnet-weight'];
const FLAGS = ['no-hubness', 'no-membership', 'no-wordnet', 'reuse', 'wnut'];
// An unknown option is an error (with the usage above), not a silent default run of every draw.
const { values } = scriptArgs({ options: Object.fromEntries([...STRING_OPTIONS.map((o) => [o, { type: 'string' as const }]), ...FLAGS.map((f) => [f, { type: 'boolean' as const }])]) }, import.meta.url);
const given = values as Record<string, string | boolean | undefined>;
const opt = (name: string, def?: string) => (given[name] as string | undefined) ?? def;
const flag = (name: string) => given[name] === true;
const draws = (opt('draws', '1,2') as string).split(',').map(Number);
const count = Number(opt('count', '6'));
const epochs = Number(opt('epochs', '4'));
const headArg = opt('head');
const jsonOut = opt('json');
const noWordnet = flag('no-wordnet');
const numberOpt = (name: string) => (opt(name) ? Number(opt(name)) : undefined);
const alpha = numberOpt('alpha');
const seed = Number(opt('seed', '13'));
const wordnetBatch = numberOpt('wordnet-batch');
const wordnetWeight = numberOpt('wordnet-weight');
const temperature = numberOpt('temperature');
const anchorWeight = numberOpt('anchor-weight');
const hiddenDim = numberOpt('hidden');
const outputDim = numberOpt('output-dim');
const projectTo = numberOpt('project');
const anchorBlocks = opt('anchor-blocks')?.split(',').map(Number);
const tag = opt('tag', '');

const shared = sharedDir();
const vectors = loadWordVectors();
const fx = new FeatureExtractor(vectors);
const dev = readConll(join(shared, 'data', 'multiconer2-en', 'dev.conll'));
const trainAll = readConll(join(shared, 'data', 'multiconer2-en', 'train.conll'));
// --tail-seed S: the reserved train sentences are a seeded random sample instead of the last
// RESERVE (train.conll is grouped by type; see reservedSentences in trainHead.ts).
const tailSeed = numberOpt('tail-seed');
const reserved = reservedSentences(trainAll.length, RESERVE, tailSeed);
const tail = trainAll.filter((_, i) => reserved.has(i));

async function baselines(sentences: LabelledSentence[], desc: Record<string, string>, types: string[]) {
  return {
    random: await evaluateScorer(sentences, randomScorer(sentences, 7), desc, types),
    bm25: await evaluateScorer(sentences, bm25Scorer(sentences), desc, types),
    sentenceMean: await evaluateScorer(sentences, sentenceMeanScorer(sentences, vectors), desc, types),
    rawFeatures: await evaluateRetrieval(sentences, new RawFeatureEncoder(fx), desc, types),
  };
}

const fmt = (r: RetrievalResult) => r.macro.toFixed(3);
const results: Record<string, unknown> = {};
function show(label: string, rows: Record<string, RetrievalResult>) {
  console.log(`\n## ${label}`);
  const types = Object.keys(Object.values(rows)[0].perType);
  console.log(['method', 'macro', ...types].join('\t'));
  for (const [k, r] of Object.entries(rows)) console.log([k, fmt(r), ...types.map((t) => (r.perType[t] ?? NaN).toFixed(3))].join('\t'));
}

if (headArg) {
  const enc = await StaticEncoder.create({ headPath: headArg, hubness: flag('no-hubness') ? false : undefined, typeMembership: flag('no-membership') ? false : undefined });
  const allTypes = Object.keys(MULTICONER_DESCRIPTIONS);
  const devRows = { ...(await baselines(dev, MULTICONER_DESCRIPTIONS, allTypes)), ours: await evaluateRetrieval(dev, enc, MULTICONER_DESCRIPTIONS, allTypes) };
  show(`MultiCoNER dev, all 24 types (seen in training), head ${headArg}`, devRows);
  results.devAll = devRows;
  if (flag('wnut')) {
    const wdev = readConll(join(shared, 'data', 'wnut17', 'dev.conll'));
    const wtypes = Object.keys(WNUT17_DESCRIPTIONS);
    const rows = { ...(await baselines(wdev, WNUT17_DESCRIPTIONS, wtypes)), ours: await evaluateRetrieval(wdev, enc, WNUT17_DESCRIPTIONS, wtypes) };
    show('WNUT-17 dev (never trained on)', rows);
    results.wnut = rows;
  }
} else {
  for (const drawSeed of draws) {
    const held = drawHeldOutTypes(Object.keys(MULTICONER_DESCRIPTIONS), count, drawSeed);
    console.log(`\n# draw ${drawSeed}: held out ${held.join(', ')}`);
    const out = join(opt('work', tmpdir())!, `ner-head-draw${drawSeed}${noWordnet ? '-nown' : ''}${tag}.onnx`);
    const reuse = flag('reuse') && existsSync(out);
    const rep = reuse ? { reused: out } : await trainHead({
      sharedDir: shared, outPath: out, holdOut: held, seed, epochs, vectors, reserveLastSentences: RESERVE, reserveSeed: tailSeed,
      wordnet: !noWordnet, alpha, wordnetBatch, wordnetWeight, temperature, anchorWeight, anchorBlocks, hiddenDim, outputDim, projectTo, progress: (m) => { if (/step \d+1\/|wordnet:|multiconer:/.test(m)) console.error(m); },
    });
    const enc = await StaticEncoder.create({ headPath: out, hubness: flag('no-hubness') ? false : undefined, typeMembership: flag('no-membership') ? false : undefined });
    const devRows = { ...(await baselines(dev, MULTICONER_DESCRIPTIONS, held)), ours: await evaluateRetrieval(dev, enc, MULTICONER_DESCRIPTIONS, held) };
    const tailRows = { ...(await baselines(tail, MULTICONER_DESCRIPTIONS, held)), ours: await evaluateRetrieval(tail, enc, MULTICONER_DESCRIPTIONS, held) };
    show(`draw ${drawSeed} — MultiCoNER dev (750 sentences), held-out types`, devRows);
    show(`draw ${drawSeed} — reserved train ${tailSeed === undefined ? 'tail' : `sample (seed ${tailSeed})`} (${RESERVE} sentences), held-out types`, tailRows);
    results[`draw${drawSeed}`] = { heldOut: held, train: { ...rep, weights: undefined }, dev: devRows, trainTail: tailRows };
  }
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));

}

main().catch((e) => { console.error(e); process.exit(1); });
