// Trains the static encoder's projection head and writes the ONNX file.
//   npx tsx scripts/train-head.ts [--out models/static-head/head.onnx] [--seed 13] [--epochs 4]
//                                 [--hold-out TypeA,TypeB] [--no-wordnet] [--project 64] [--report report.json]
import { writeFileSync } from 'node:fs';
import { sharedDir } from '../server/src/engine/types.ts';
import { trainHead } from '../server/src/engine/train/trainHead.ts';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, def?: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : def; };
  const report = await trainHead({
    sharedDir: sharedDir(),
    outPath: opt('out', 'models/static-head/head.onnx')!,
    seed: Number(opt('seed', '13')),
    epochs: Number(opt('epochs', '4')),
    holdOut: opt('hold-out') ? opt('hold-out')!.split(',') : [],
    wordnet: !args.includes('--no-wordnet'),
    projectTo: Number(opt('project', '64')),
    progress: (m) => console.error(m),
  });
  const { weights: _w, ...rest } = report;
  console.log(JSON.stringify(rest, null, 2));
  const out = opt('report');
  if (out) writeFileSync(out, JSON.stringify(rest, null, 2) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
