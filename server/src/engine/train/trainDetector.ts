// Trains the built-in span detector (models/detector/tagger-v1.bin) from the shared data:
// MultiCoNER-2 EN train (lower-cased) + a re-cased copy (title-cased entities, or WordNet-truecased with
// --recase truecase), WNUT-17 train (cased) + a lower-cased copy.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadWordVectors, type WordVectors } from '../encode/wordVectors.ts';
import { readConll, type LabelledSentence } from '../eval/conll.ts';
import { evaluateDetector, type SpanPRF } from '../eval/spans.ts';
import { CapitalizationDetector } from '../detect/capitalization.ts';
import { TaggerDetector, modelHash, serializeTagger, type TaggerModel } from '../detect/tagger.ts';
import { fromLabelled, lowercaseSentence, recaseSentence, trainTagger, truecaseSentence } from './tagger-training.ts';
import { makeFolder } from '../makeFolder.ts';

export interface TrainDetectorOptions {
  sharedDir: string;
  outPath: string;
  seed?: number;
  epochs?: number;
  hidden?: number;
  learningRate?: number;
  progress?: (msg: string) => void;
  wordVectors?: WordVectors;
  /** Evaluate on the dev sets after each epoch (slower; default: only at the end). */
  evalEachEpoch?: boolean;
  /** Also write `<outPath>.epoch<N>` after each epoch. */
  saveEachEpoch?: boolean;
  /** How many copies of the (cased) WNUT-17 train set to include (the tweet domain is small). Default 3. */
  wnutRepeat?: number;
  /**
   * Casing of the cased MultiCoNER copy: 'title' (default, the committed tagger-v1: every entity
   * token title-cased, see recaseSentence) or 'truecase' (WordNet keeps common-noun entities such
   * as "aspirin" lower-case, see truecaseSentence; tried, not adopted — see MODEL_CARD.md).
   */
  recase?: 'truecase' | 'title';
  /** With 'truecase': fraction of the other capitalised common-noun-type entities kept lower-case (seeded). Default 0.12. */
  lowerFraction?: number;
}

export interface TrainReport {
  outPath: string;
  id: string;
  bytes: number;
  seed: number;
  epochs: number;
  hidden: number;
  trainSentences: number;
  seconds: number;
  /** Untyped span P/R/F1 per dev set, for the trained tagger and the capitalisation baseline. */
  dev: Record<string, { tagger: SpanPRF; baseline: SpanPRF }>;
}

export interface DevSets { [name: string]: LabelledSentence[] }

/** The four dev views used for model cards and the eval script. */
export function loadDevSets(sharedDir: string): DevSets {
  const wnut = readConll(join(sharedDir, 'data/wnut17/dev.conll'));
  const mc = readConll(join(sharedDir, 'data/multiconer2-en/dev.conll'));
  return {
    'WNUT-17 dev': wnut,
    'WNUT-17 dev (lower-cased)': wnut.map(lowercaseSentence).filter((s): s is LabelledSentence => !!s),
    'MultiCoNER-2 EN dev': mc,
    'MultiCoNER-2 EN dev (re-cased)': mc.map(recaseSentence),
    'MultiCoNER-2 EN dev (truecased)': mc.map((x) => truecaseSentence(x)),
  };
}

export function loadTrainingSentences(sharedDir: string, wnutRepeat = 3, recase: 'truecase' | 'title' = 'title', lowerFraction = 0.12, seed = 13) {
  const wnut = readConll(join(sharedDir, 'data/wnut17/train.conll'));
  const mc = readConll(join(sharedDir, 'data/multiconer2-en/train.conll'));
  const wnutCased = wnut.map(fromLabelled);
  const cased = recase === 'title' ? mc.map(recaseSentence) : mc.map((x) => truecaseSentence(x, { lowerFraction, seed }));
  return [
    ...mc.map(fromLabelled),
    ...cased.map(fromLabelled),
    ...Array.from({ length: wnutRepeat }, () => wnutCased).flat(),
    ...wnut.map(lowercaseSentence).filter((s): s is LabelledSentence => !!s).map(fromLabelled),
  ];
}

export async function trainDetector(options: TrainDetectorOptions): Promise<TrainReport> {
  const t0 = performance.now();
  makeFolder(dirname(options.outPath));
  const seed = options.seed ?? 13;
  const epochs = options.epochs ?? 4;
  const hidden = options.hidden ?? 128;
  const log = options.progress ?? (() => {});
  const vectors = options.wordVectors ?? loadWordVectors();
  const wnutRepeat = options.wnutRepeat ?? 3;
  const recase = options.recase ?? 'title';
  const lowerFraction = options.lowerFraction ?? 0.12;
  const train = loadTrainingSentences(options.sharedDir, wnutRepeat, recase, lowerFraction, seed);
  const dev = loadDevSets(options.sharedDir);
  const baseline = new CapitalizationDetector(vectors);
  const evalAll = (model: TaggerModel) => {
    const det = new TaggerDetector(model, vectors);
    const out: TrainReport['dev'] = {};
    for (const [name, sents] of Object.entries(dev)) {
      const { precision, recall, f1, tp, fp, fn } = evaluateDetector(det, sents);
      const b = evaluateDetector(baseline, sents);
      out[name] = { tagger: { precision, recall, f1, tp, fp, fn }, baseline: { precision: b.precision, recall: b.recall, f1: b.f1, tp: b.tp, fp: b.fp, fn: b.fn } };
    }
    return out;
  };
  const fmt = (r: TrainReport['dev']) => Object.entries(r).map(([k, v]) => `${k}: F1 ${v.tagger.f1.toFixed(3)}`).join('; ');
  log(`training on ${train.length} sentences (seed ${seed}, ${epochs} epochs, hidden ${hidden})`);
  const model = trainTagger(train, vectors, {
    seed, epochs, hidden, learningRate: options.learningRate, progress: log,
    onEpoch: (e, m) => {
      if (options.saveEachEpoch) writeFileSync(`${options.outPath}.epoch${e}`, serializeTagger(m));
      if (options.evalEachEpoch) log(`epoch ${e} dev: ${fmt(evalAll(m))}`);
    },
    training: {
      data: [recase === 'title' ? 'multiconer2-en/train (+re-cased copy)' : `multiconer2-en/train (+WordNet-truecased copy, lower fraction ${lowerFraction})`, `wnut17/train (x${wnutRepeat} +lower-cased copy)`],
      command: 'npx tsx scripts/train-detector.ts',
    },
  });
  const buf = serializeTagger(model);
  writeFileSync(options.outPath, buf);
  const devReport = evalAll(model);
  log(`dev: ${fmt(devReport)}`);
  return {
    outPath: options.outPath, id: `tagger-v1:${modelHash(model)}`, bytes: buf.length, seed, epochs, hidden,
    trainSentences: train.length, seconds: (performance.now() - t0) / 1000, dev: devReport,
  };
}
