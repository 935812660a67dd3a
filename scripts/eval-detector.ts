// Scores the span detectors on the shared dev sets and prints a Markdown table.
// Usage: npx tsx scripts/eval-detector.ts [--model PATH]
import { resolve } from 'node:path';
import { sharedDir } from '../server/src/engine/types.ts';
import { loadWordVectors } from '../server/src/engine/encode/wordVectors.ts';
import { CapitalizationDetector, TaggerDetector, loadDefaultDetector, loadTaggerModel } from '../server/src/engine/detect/index.ts';
import { evaluateDetector } from '../server/src/engine/eval/spans.ts';
import { loadDevSets } from '../server/src/engine/train/trainDetector.ts';
import type { SpanDetector } from '../server/src/engine/types.ts';

function main(): void {
  const args = process.argv.slice(2);
  const mi = args.indexOf('--model');
  const vectors = loadWordVectors();
  const tagger = mi >= 0 ? new TaggerDetector(loadTaggerModel(resolve(args[mi + 1])), vectors) : loadDefaultDetector(vectors);
  const detectors: Array<[string, SpanDetector]> = [['capitalisation baseline', new CapitalizationDetector(vectors)], [tagger.id, tagger]];
  const dev = loadDevSets(sharedDir());
  const rows: string[] = ['| detector | data | sentences | P | R | F1 | tokens/s (cold) | tokens/s (warm) |', '|---|---|---:|---:|---:|---:|---:|---:|'];
  for (const [name, det] of detectors) {
    for (const [set, sents] of Object.entries(dev)) {
      const cold = evaluateDetector(det, sents);
      const warm = evaluateDetector(det, sents);
      rows.push(`| ${name} | ${set} | ${cold.sentences} | ${cold.precision.toFixed(3)} | ${cold.recall.toFixed(3)} | ${cold.f1.toFixed(3)} | ${Math.round(cold.tokensPerSecond).toLocaleString('en')} | ${Math.round(warm.tokensPerSecond).toLocaleString('en')} |`);
    }
  }
  console.log(rows.join('\n'));
}

main();
