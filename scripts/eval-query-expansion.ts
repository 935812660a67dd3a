// Query-expansion sweep: macro R-Precision on the held-out types of draws 1 and 2 (or --draws;
// heads from `scripts/eval-zero-shot.ts --work DIR`) and on WNUT-17 dev (shipped head), for
// expansion settings "max:weight" (off = none; "max:weight:i" = named instances first).
//   npx tsx scripts/eval-query-expansion.ts --work /tmp/zs [--draws 1,2] [--no-hubness] [off,20:1,40:1,40:0.5,80:1,40:0.5:i]
import { join } from 'node:path';
import { sharedDir } from '../server/src/engine/types.ts';
import { WordnetExpander } from '../server/src/engine/encode/queryExpansion.ts';
import { StaticEncoder } from '../server/src/engine/encode/staticEncoder.ts';
import { readConll } from '../server/src/engine/eval/conll.ts';
import { MULTICONER_DESCRIPTIONS, WNUT17_DESCRIPTIONS, drawHeldOutTypes, evaluateRetrieval } from '../server/src/engine/eval/retrieval.ts';
let t = performance.now(); const wx = WordnetExpander.load(); console.log('wordnet load ms', Math.round(performance.now() - t));
for (const d of ['European river', 'city or town', 'body part', 'car manufacturer', 'band', 'person', 'pharmaceutical drug', 'aerospace manufacturer', 'software']) console.log(d, '→', wx.expand(d, 12).join(', '));
const shared = join(sharedDir(), 'data');
const dev = readConll(join(shared, 'multiconer2-en/dev.conll'));
const tailAll = readConll(join(shared, 'multiconer2-en/train.conll')); const tail = tailAll.slice(tailAll.length - 2000);
const wnut = readConll(join(shared, 'wnut17/dev.conll'));
const optionOf = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
const work = optionOf('work') ?? '/tmp/zs';
const draws = (optionOf('draws') ?? '1,2').split(',').map(Number);
const FLAGS = new Set(['--no-hubness']);
const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && (!all[i - 1]?.startsWith('--') || FLAGS.has(all[i - 1])));
const configs = (positional[0] ?? 'off,20:1,40:1,40:0.5,80:1').split(',');
const all = Object.keys(MULTICONER_DESCRIPTIONS);
const sets = draws.flatMap((d) => [
  [`draw${d} dev`, join(work, `ner-head-draw${d}.onnx`), dev, MULTICONER_DESCRIPTIONS, drawHeldOutTypes(all, 6, d)],
  [`draw${d} tail`, join(work, `ner-head-draw${d}.onnx`), tail, MULTICONER_DESCRIPTIONS, drawHeldOutTypes(all, 6, d)],
] as const);
for (const [name, head, set, desc, types] of [
  ...sets,
  ['shipped wnut', 'models/static-head/head.onnx', wnut, WNUT17_DESCRIPTIONS, Object.keys(WNUT17_DESCRIPTIONS)] as const,
]) {
  const row: string[] = [];
  for (const c of configs) {
    const [max, weight] = c.split(':').map(Number);
    const instancesFirst = c.split(':')[2] === 'i';
    const enc = await StaticEncoder.create({ headPath: head, queryExpansion: c === 'off' ? false : { max, weight, instancesFirst }, hubness: process.argv.includes('--no-hubness') ? false : undefined });
    const r = await evaluateRetrieval(set as any, enc, desc as any, types as any);
    row.push(`${c}=${r.macro.toFixed(3)}`);
  }
  console.log(name.padEnd(14), row.join('  '));
}
