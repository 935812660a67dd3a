// Writes the static encoder's hubness settings (server/src/engine/encode/hubness.ts):
//   bank   = the `--size` WordNet hypernyms with the most hyponym/instance lemmas that have word
//            vectors (the type names the head is trained on), ties alphabetical;
//   center = mean hubness r of the MultiCoNER train mentions under the head (keeps scores on the
//            scale of plain cosines; no ranking depends on it).
//   npx tsx scripts/hubness-bank.ts [--size 500] [--k 50] [--weight 0.5] [--head models/static-head/head.onnx]
//                                   [--out models/static-head/hubness.json]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../server/src/engine/types.ts';
import { StaticEncoder } from '../server/src/engine/encode/staticEncoder.ts';
import { loadWordVectors } from '../server/src/engine/encode/wordVectors.ts';
import { wordnetPairs } from '../server/src/engine/train/trainHead.ts';
import { readConll } from '../server/src/engine/eval/conll.ts';
import type { HubnessSettings } from '../server/src/engine/encode/hubness.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : def; };
const size = Number(opt('size', '500'));
const k = Number(opt('k', '50'));
const weight = Number(opt('weight', '0.5'));
const headPath = opt('head', 'models/static-head/head.onnx');
const out = opt('out', 'models/static-head/hubness.json');

const counts = new Map<string, number>();
for (const p of wordnetPairs(loadWordVectors(), Number.MAX_SAFE_INTEGER)) counts.set(p.type, (counts.get(p.type) ?? 0) + 1);
const bank = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, size).map(([t]) => t);

// r of each train mention: a correction with center 0 and weight 1 gives p = r.
const probe: HubnessSettings = { bank, k, weight: 1, center: 0 };
const encoder = await StaticEncoder.create({ headPath, hubness: probe, queryExpansion: false });
const sentences = readConll(join(sharedDir(), 'data', 'multiconer2-en', 'train.conll'));
const inputs = sentences.flatMap((s) => s.spans.map((sp) => ({ sentence: s.text, start: sp.start, end: sp.end })));
const vectors = await encoder.encodeMentions(inputs);
const D = encoder.dimension - 2;
let sum = 0;
for (const v of vectors) sum += v[D] * Math.SQRT2; // stored p/√2
await encoder.dispose();
const center = Math.round((sum / vectors.length) * 1e4) / 1e4;

const settings: HubnessSettings & { about: string } = {
  about: `Hubness correction of the static encoder (server/src/engine/encode/hubness.ts); written by scripts/hubness-bank.ts --size ${size} --k ${k} --weight ${weight}. center = mean r of ${vectors.length} MultiCoNER train mentions under ${headPath}.`,
  bank, k, weight, center,
};
writeFileSync(out, JSON.stringify(settings, null, 1) + '\n');
console.log(`wrote ${out}: ${bank.length} bank entries (first: ${bank.slice(0, 8).join(', ')}), k ${k}, weight ${weight}, center ${center}`);
