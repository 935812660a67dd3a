// Scores the span detectors on the shared dev sets and prints a Markdown table.
// Usage: npx tsx scripts/eval-detector.ts [--model PATH] [--off RULE,…]
// --off turns boolean post-processing rules of the tagger off (e.g. --off lowerCaseNames,gluedWords),
// to measure what each adds.
import { resolve } from 'node:path';
import { sharedDir } from '../server/src/engine/types.ts';
import { loadWordVectors } from '../server/src/engine/encode/wordVectors.ts';
import { CapitalizationDetector, TaggerDetector, loadDefaultDetector, loadTaggerModel } from '../server/src/engine/detect/index.ts';
import { evaluateDetector, evaluateDocuments, type LabelledDocument } from '../server/src/engine/eval/spans.ts';
import { documentKind } from '../server/src/engine/ingest/document.ts';
import { LineIndex } from '../server/src/engine/ingest/positions.ts';
import { readFileSync } from 'node:fs';
import { readConll } from '../server/src/engine/eval/conll.ts';
import { fileURLToPath } from 'node:url';
import { loadDevSets } from '../server/src/engine/train/trainDetector.ts';
import { lowercaseSentence } from '../server/src/engine/train/tagger-training.ts';
import type { SpanDetector } from '../server/src/engine/types.ts';

function main(): void {
  const args = process.argv.slice(2);
  const mi = args.indexOf('--model');
  const vectors = loadWordVectors();
  const tagger = mi >= 0 ? new TaggerDetector(loadTaggerModel(resolve(args[mi + 1])), vectors) : loadDefaultDetector(vectors);
  const oi = args.indexOf('--off');
  for (const rule of oi >= 0 ? args[oi + 1].split(',') : []) {
    const flags = tagger as unknown as Record<string, unknown>;
    if (typeof flags[rule] !== 'boolean') throw new Error(`--off: ${rule} is not a rule of the tagger (one of ${Object.keys(flags).filter((k) => typeof flags[k] === 'boolean').join(', ')})`);
    flags[rule] = false;
  }
  const detectors: Array<[string, SpanDetector]> = [['capitalisation baseline', new CapitalizationDetector(vectors)], [oi >= 0 ? `${tagger.id} without ${args[oi + 1]}` : tagger.id, tagger]];
  // Plus a small hand-written set in the style of cased newswire (headlines, datelines, results
  // lines, nationality adjectives as names), CoNLL-2003 conventions, written without model output.
  const newswire = readConll(fileURLToPath(new URL('../test/fixtures/detection/newswire-style.conll', import.meta.url)));
  // Its lower-cased copy: fully annotated lower-case prose (MultiCoNER leaves many names out).
  const dev = { ...loadDevSets(sharedDir()), 'newswire-style (hand-written, 62 sentences)': newswire, 'newswire-style (lower-cased)': newswire.map(lowercaseSentence).filter((x): x is NonNullable<typeof x> => !!x) };
  const rows: string[] = ['| detector | data | sentences | gold spans | P | R | F1 |', '|---|---|---:|---:|---:|---:|---:|'];
  for (const [name, det] of detectors) {
    for (const [set, sents] of Object.entries(dev)) {
      const r = evaluateDetector(det, sents);
      rows.push(`| ${name} | ${set} | ${r.sentences} | ${r.tp + r.fn} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.f1.toFixed(3)} |`);
    }
  }
  // And 41 hand-written notes (to-do lists, meeting notes, journals, reading lists, READMEs …),
  // read whole as `index` reads them; see test/fixtures/detection/notes-style/README.md.
  // A second set of 30, written blind to the first and to the rules (notes-style-2/README.md), and a
  // third, blind to both and to the thirty-sixth session's rules (notes-style-3/README.md), and a
  // fourth, blind to all three and to the thirty-seventh session's first rules (notes-style-4/README.md),
  // and a fifth, written after that session's last change and not read since (notes-style-5/README.md).
  for (const set of ['notes-style', 'notes-style-2', 'notes-style-3', 'notes-style-4', 'notes-style-5']) {
    const notes = readNotesStyle(set);
    for (const [name, det] of detectors) {
      const r = evaluateDocuments(det, notes);
      rows.push(`| ${name} | ${set} (hand-written, ${r.documents} notes) | ${r.documents} | ${r.tp + r.fn} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.f1.toFixed(3)} |`);
    }
  }
  console.log(rows.join('\n'));

  // Throughput on all dev sentences, measured in CPU time of this process (robust to other load
  // on the machine) and in wall time: a first pass with an empty projection cache, then warm passes.
  // (The four original views, so the figures stay comparable with earlier models' cards.)
  const all = Object.entries(dev).filter(([k]) => !k.includes('truecased') && !k.includes('newswire')).flatMap(([, v]) => v);
  const tokens = all.reduce((a, s) => a + s.tokens.length, 0);
  const bytes = all.reduce((a, s) => a + Buffer.byteLength(s.text), 0);
  console.log('\n| detector | pass | tokens | MB | tokens/s (CPU) | MB/s (CPU) | tokens/s (wall) |\n|---|---|---:|---:|---:|---:|---:|');
  const fresh = mi >= 0 ? new TaggerDetector(loadTaggerModel(resolve(args[mi + 1])), vectors) : new TaggerDetector(tagger.model, vectors, { terms: tagger.terms, nameAdjectives: tagger.nameAdjectives, firstNames: tagger.firstNames, imperativeOpeners: tagger.imperativeOpeners });
  for (const [name, det] of [['capitalisation baseline', new CapitalizationDetector(vectors)], [fresh.id, fresh]] as Array<[string, SpanDetector]>) {
    for (const pass of ['cold', 'warm ×3']) {
      const reps = pass === 'cold' ? 1 : 3;
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      for (let r = 0; r < reps; r++) for (const s of all) det.detect(s.text);
      const d = process.cpuUsage(c0);
      const cpu = (d.user + d.system) / 1e6;
      const wall = (performance.now() - w0) / 1000;
      const t = tokens * reps;
      console.log(`| ${name} | ${pass} | ${t.toLocaleString('en')} | ${((bytes * reps) / 1e6).toFixed(2)} | ${Math.round(t / cpu).toLocaleString('en')} | ${((bytes * reps) / 1e6 / cpu).toFixed(2)} | ${Math.round(t / wall).toLocaleString('en')} |`);
    }
  }
}

/** The notes of test/fixtures/detection/<set> with their gold spans (gold.jsonl: [line, start, end, text, kind], UTF-16, 0-based). */
function readNotesStyle(set: string): LabelledDocument[] {
  const dir = fileURLToPath(new URL(`../test/fixtures/detection/${set}/`, import.meta.url));
  return readFileSync(`${dir}gold.jsonl`, 'utf8').split('\n').filter(Boolean).map((line) => {
    const { file, spans } = JSON.parse(line) as { file: string; spans: Array<[number, number, number, string, string]> };
    const text = readFileSync(dir + file, 'utf8');
    const lines = new LineIndex(text);
    const doc: LabelledDocument = { path: file, text, kind: documentKind(file)!, spans: [], optional: [] };
    for (const [l, a, b, written, kind] of spans) {
      const span = { start: lines.offsetAt({ line: l, character: a }), end: lines.offsetAt({ line: l, character: b }) };
      if (text.slice(span.start, span.end) !== written) throw new Error(`${file}:${l + 1}: gold span ${JSON.stringify(written)} reads ${JSON.stringify(text.slice(span.start, span.end))}`);
      (kind.endsWith('?') ? doc.optional : doc.spans).push(span);
    }
    return doc;
  });
}

main();
