// Trains the built-in span detector and writes models/detector/tagger-v1.bin.
// Usage: npx tsx scripts/train-detector.ts [--seed N] [--epochs N] [--hidden N] [--lr X] [--wnut-repeat N]
//          [--recase truecase|title] [--lower-fraction X] [--out PATH] [--eval-each-epoch] [--save-each-epoch]
// Reads the data from $NER_SHARED_DIR (default ../shared).
import { resolve } from 'node:path';
import { sharedDir } from '../server/src/engine/types.ts';
import { trainDetector } from '../server/src/engine/train/trainDetector.ts';

const args = process.argv.slice(2);
const opt = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const num = (name: string) => (opt(name) !== undefined ? Number(opt(name)) : undefined);

async function main(): Promise<void> {
  const report = await trainDetector({
    sharedDir: sharedDir(),
    outPath: resolve(opt('--out') ?? 'models/detector/tagger-v1.bin'),
    seed: num('--seed'),
    epochs: num('--epochs'),
    hidden: num('--hidden'),
    learningRate: num('--lr'),
    wnutRepeat: num('--wnut-repeat'),
    recase: opt('--recase') as 'truecase' | 'title' | undefined,
    lowerFraction: num('--lower-fraction'),
    evalEachEpoch: args.includes('--eval-each-epoch'),
    saveEachEpoch: args.includes('--save-each-epoch'),
    progress: (m) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`),
  });
  console.log(JSON.stringify(report, null, 2));
}

main().catch((e) => { console.error(e); process.exit(1); });
