// Research commands: `eval` (R-Precision with gold spans, span P/R/F1), `train-head`, `train-detector`.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CapitalizationDetector, loadDefaultDetector } from '../engine/detect/index.ts';
import { StaticEncoder } from '../engine/encode/staticEncoder.ts';
import { loadWordVectors } from '../engine/encode/wordVectors.ts';
import { ConllError, parseConll, type LabelledSentence } from '../engine/eval/conll.ts';
import { evaluateRetrieval, evaluateBaselines, descriptionFor, MULTICONER_DESCRIPTIONS } from '../engine/eval/retrieval.ts';
import { evaluateDetector } from '../engine/eval/spans.ts';
import { trainDetector } from '../engine/train/trainDetector.ts';
import { trainHead } from '../engine/train/trainHead.ts';
import { sharedDir } from '../engine/types.ts';
import { parseCorpusLine } from '../engine/indexer.ts';
import { decodeLoosely } from '../engine/ingest/decode.ts';
import { createProgress } from './progress.ts';
import { addEncoderOptions, addLlmTrainOptions, llmHeadTraining } from './embedCommand.ts';
import { loadModels } from '../engine/engine.ts';
import { fitWhitening, WhiteningHead } from '../engine/llm/heads.ts';
import { LlmEncoder, parseLlmEncoderId } from '../engine/llm/llmEncoder.ts';
import { DEFAULT_WHITENING_SAMPLE } from '../engine/llm/whitening.ts';
import { mulberry32, shuffleInPlace } from '../engine/random.ts';
import type { Logger, MentionEncoder, MentionInput } from '../engine/types.ts';
import { stderrLogger } from './logger.ts';
import { readNamedFile, UsageError } from './main.ts';
import { nonNegativeInt, positiveInt, seedNumber } from './numberOptions.ts';

/**
 * Reads labelled sentences from CoNLL (BIO) or from .jsonl whose spans carry a type:
 * {"id", "text", "spans": [[start, end, "type"], ...]}.
 */
export function readLabelled(path: string): LabelledSentence[] {
  const content = decodeLoosely(readNamedFile(path));
  if (!path.endsWith('.jsonl')) {
    try { return parseConll(content); } catch (e) { throw e instanceof ConllError ? new UsageError(`${path}:${e.line}: ${e.message.replace(/^line \d+: /, '')}`) : e; }
  }
  const out: LabelledSentence[] = [];
  content.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let doc;
    try { doc = parseCorpusLine(line); } catch (e) { throw new Error(`${path}:${i + 1}: ${(e as Error).message}`); }
    const raw = (JSON.parse(line).spans ?? []) as Array<[number, number, string?]>;
    const spans = raw.map(([start, end, type]) => ({ start, end, type: String(type ?? 'entity') }));
    out.push({ id: doc.id, tokens: [], tokenStarts: [], text: doc.text, spans, tokenSpans: [] });
  });
  return out;
}

function table(rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? c.toFixed(3) : c)));
  const widths = cells[0].map((_, j) => Math.max(...cells.map((r) => r[j].length)));
  const line = (r: string[]) => `| ${r.map((c, j) => c.padEnd(widths[j])).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

function typesOf(sentences: LabelledSentence[]): string[] {
  return [...new Set(sentences.flatMap((s) => s.spans.map((x) => x.type)))].sort();
}

/** `--descriptions`: a JSON object of non-empty query texts (anything else failed deep inside, or ran an empty query). */
function readDescriptions(path: string): Record<string, string> {
  const text = decodeLoosely(readNamedFile(path, '--descriptions')); // a BOM is no JSON
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch (e) { throw new UsageError(`--descriptions ${path} is not valid JSON: ${(e as Error).message}`); }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`--descriptions ${path}: expected a JSON object mapping each type to its query, e.g. {"LOC": "location"}`);
  }
  for (const [type, query] of Object.entries(parsed)) {
    if (typeof query !== 'string' || !query.trim()) throw new UsageError(`--descriptions ${path}: the query for "${type}" must be non-empty text, not ${JSON.stringify(query)}`);
  }
  // Without a prototype, a type named "constructor" or "__proto__" is a key like any other.
  return Object.assign(Object.create(null), parsed) as Record<string, string>;
}

/** A file without gold spans, or without a requested type, has no score to give (it printed NaN). */
function checkEvaluable(file: string, sentences: LabelledSentence[], types: string[] | undefined): void {
  const present = typesOf(sentences);
  if (!present.length) throw new UsageError(`${file}: no labelled sentences (no entity spans in ${sentences.length} sentences): nothing to evaluate`);
  const missing = types?.filter((t) => !present.includes(t)) ?? [];
  if (missing.length) throw new UsageError(`${file}: no sentence is labelled ${missing.join(', ')}: nothing to evaluate for it (the file's types: ${present.join(', ')})`);
}

/**
 * The encoder `eval` scores: the static one, or an LLM encoder (--encoder llm:…). Its whitening head
 * (the default without a trained head) is fitted as `index` fits it on a corpus — on a seeded
 * sample of the evaluated files' gold mentions, labels unused.
 */
async function evalEncoder(
  opts: { encoder?: string; layer?: number; head?: string; device?: 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml' },
  cacheDir: string | undefined, sentences: LabelledSentence[], logger: Logger,
): Promise<{ encoder: MentionEncoder; name: string }> {
  if ((opts.encoder ?? 'static') === 'static') {
    if (opts.layer !== undefined || opts.head !== undefined) throw new UsageError(`${opts.layer !== undefined ? '--layer' : '--head'} applies to an LLM encoder: give --encoder llm:<hub id or checkpoint folder>`);
    return { encoder: await StaticEncoder.create({ cacheDir }), name: 'static encoder' };
  }
  const { encoder } = await loadModels({ encoder: opts.encoder, layer: opts.layer, head: opts.head, device: opts.device, cacheDir, logger });
  const raw = encoder as LlmEncoder;
  const parsed = parseLlmEncoderId(raw.id)!;
  if (parsed.head !== 'raw' || opts.head === 'raw') return { encoder: raw, name: `LLM encoder (layer ${parsed.layer}, ${parsed.head} head)` };
  const mentions: MentionInput[] = sentences.flatMap((s) => s.spans.map((sp) => ({ sentence: s.text, start: sp.start, end: sp.end })));
  shuffleInPlace(mentions, mulberry32(13));
  const sample = mentions.slice(0, DEFAULT_WHITENING_SAMPLE);
  if (sample.length < 2) return { encoder: raw, name: `LLM encoder (layer ${parsed.layer}, raw head)` };
  logger.info(`Fitting the whitening head on ${sample.length} of the ${mentions.length} gold mentions (labels unused)`);
  const fit = fitWhitening(await raw.encodeRaw(sample), { mentionCount: mentions.length, source: raw.sourceId });
  return { encoder: raw.withHead(new WhiteningHead(fit)), name: `LLM encoder (layer ${parsed.layer}, whitening head)` };
}

/** `--types`: a trailing or doubled comma names no type (it was an empty type with nothing to evaluate); an empty list is refused, not read as every type. */
function typeList(value: string): string[] {
  const types = value.split(',').map((t) => t.trim()).filter(Boolean);
  if (!types.length) throw new InvalidArgumentError('expected comma-separated type labels, e.g. LOC,PER');
  return types;
}

export function registerEvalCommand(program: Command): void {
  const cmd = program.command('eval')
    .description('Validate on labelled data: R-Precision with gold spans (one sentence = one document, ranked by its best mention, macro over types; --detected: also with the detector\'s spans) and untyped span P/R/F1 of the detector.')
    .argument('<files...>', '.conll (BIO) or .jsonl with typed spans [[start, end, "type"]]')
    .option('--types <list>', 'comma-separated types to evaluate (default: all in the file)', typeList)
    .option('--descriptions <file.json>', 'JSON object mapping a type label to the query text used for it')
    .option('--baselines', 'also score BM25, sentence-mean vectors and untrained mention+context vectors')
    .option('--detected', 'also score end to end: the built-in detector\'s spans instead of the gold ones (relevance stays gold)')
    .option('--no-spans', 'skip the detector evaluation')
    .option('--no-retrieval', 'skip the retrieval evaluation')
    .option('--json', 'print the results as one JSON object per file');
  addEncoderOptions(cmd)
    .action(async (files: string[], opts, cmd: Command) => {
      const g = cmd.optsWithGlobals();
      const logger = stderrLogger(Boolean(g.verbose), Boolean(g.quiet));
      const descriptions: Record<string, string> = opts.descriptions ? readDescriptions(opts.descriptions) : Object.create(null);
      const requested: string[] | undefined = opts.types;
      // Every file is read and checked before the (long) evaluation of the first one starts.
      const inputs = files.map((file) => ({ file, sentences: readLabelled(resolve(file)) }));
      for (const { file, sentences } of inputs) checkEvaluable(file, sentences, opts.retrieval ? requested : undefined);
      const progress = createProgress(!g.quiet);
      const wordVectors = loadWordVectors({ cacheDir: g.cacheDir, progress: progress.sink });
      progress.stop();
      // One encoder for all files (an LLM loads once; its whitening fit sees every file's mentions).
      const scoring = opts.retrieval ? await evalEncoder(opts, g.cacheDir, inputs.flatMap((i) => i.sentences), logger) : undefined;
      try {
        for (const { file, sentences } of inputs) {
          const result: Record<string, unknown> = { file, sentences: sentences.length };
          const out: string[] = [`## ${file} (${sentences.length} sentences)`];
          if (opts.spans) {
            const ours = evaluateDetector(loadDefaultDetector(wordVectors), sentences);
            const caps = evaluateDetector(new CapitalizationDetector(wordVectors), sentences);
            result.spans = { detector: ours, capitalization: caps };
            out.push('', 'Untyped span detection (exact match):', table([
              ['detector', 'precision', 'recall', 'F1'],
              ['built-in tagger', ours.precision, ours.recall, ours.f1],
              ['capitalisation runs', caps.precision, caps.recall, caps.f1],
            ]));
          }
          if (opts.retrieval) {
            const types = requested ?? typesOf(sentences);
            const desc: Record<string, string> = Object.create(null);
            for (const t of types) desc[t] = descriptions[t] ?? descriptionFor(t);
            const { encoder, name: encoderName } = scoring!;
            const ours = await evaluateRetrieval(sentences, encoder, desc, types);
            const systems: Array<[string, { perType: Record<string, number>; macro: number }]> = [[encoderName, ours]];
            if (opts.detected) systems.push([`${encoderName}, detected spans`, await evaluateRetrieval(sentences, encoder, desc, types, loadDefaultDetector(wordVectors))]);
            if (opts.baselines) {
              const base = await evaluateBaselines(sentences, desc, types, wordVectors);
              for (const [name, r] of Object.entries(base)) systems.push([name, r]);
            }
            result.retrieval = Object.fromEntries(systems);
            out.push('', `R-Precision with gold spans${opts.detected ? ' (and, in its column, the detector\'s spans)' : ''} (macro over types):`, table([
              ['type', 'query', ...systems.map(([n]) => n)],
              ...types.map((t) => [t, desc[t], ...systems.map(([, r]) => r.perType[t] ?? NaN)]),
              ['macro', '', ...systems.map(([, r]) => r.macro)],
            ]));
          }
          process.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : `${out.join('\n')}\n\n`);
        }
      } finally {
        await (scoring?.encoder as { dispose?: () => Promise<void> } | undefined)?.dispose?.();
      }
    });
}

// train-head's numbers are checked as they are parsed (numberOptions.ts), so a typo fails before
// any data is read (`Number` alone let "abc" through as NaN: no training steps, an untrained head written).

/** The types trainHead can leave out are MultiCoNER's; any other name would hold out nothing. */
function holdOutTypes(value: string): string[] {
  const types = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = types.filter((t) => !Object.hasOwn(MULTICONER_DESCRIPTIONS, t));
  if (unknown.length) {
    throw new InvalidArgumentError(`not a MultiCoNER type: ${unknown.join(', ')} (the types are ${Object.keys(MULTICONER_DESCRIPTIONS).sort().join(', ')})`);
  }
  return types;
}

export function registerTrainCommands(program: Command): void {
  const trainHeadCmd = program.command('train-head')
    .description('Train a projection head (seeded, reproducible) on MultiCoNER train (+ WordNet type supervision): the static encoder\'s ONNX head, or with --encoder llm:… a paper-format head on that LLM\'s value vectors.')
    .option('--shared <dir>', 'shared data folder', sharedDir())
    .option('--out <file>', 'where to write the head (default: models/static-head/head.onnx; llm-head.safetensors for an LLM encoder)')
    .option('--hold-out <types>', 'comma-separated types to leave out of training (for zero-shot validation)', holdOutTypes)
    .option('--seed <n>', 'random seed (the shipped head: 13)', seedNumber, 13)
    .option('--epochs <n>', 'training epochs (the shipped head: 3)', positiveInt, 3)
    .option('--max-sentences <n>', 'use only the first N MultiCoNER train sentences', positiveInt)
    .option('--no-wordnet', 'no WordNet hypernym pairs')
    .option('--project <n>', 'output projection onto N principal directions of the training mentions (the shipped head: 64; 0 = none; static encoder only)', nonNegativeInt, 64);
  addLlmTrainOptions(trainHeadCmd)
    .action(async (opts, cmd: Command) => {
      requireShared(opts.shared);
      const llm = await llmHeadTraining(opts, cmd.optsWithGlobals());
      const report = await trainHead({
        sharedDir: opts.shared, outPath: resolve(opts.out ?? (llm ? 'llm-head.safetensors' : 'models/static-head/head.onnx')), seed: opts.seed, epochs: opts.epochs,
        holdOut: opts.holdOut,
        maxSentences: opts.maxSentences, wordnet: opts.wordnet, projectTo: opts.project,
        progress: (m: string) => process.stderr.write(`${m}\n`),
        ...llm?.options,
      }).finally(() => llm?.dispose());
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    });

  program.command('train-detector')
    .description('Train the built-in entity-span tagger (seeded, reproducible) on MultiCoNER + WNUT-17 train.')
    .option('--shared <dir>', 'shared data folder', sharedDir())
    .option('--out <file>', 'where to write the tagger weights', 'models/detector/tagger-v1.bin')
    .option('--seed <n>', 'random seed (the shipped tagger: 13)', seedNumber, 13)
    .option('--epochs <n>', 'training epochs (the shipped tagger: 2)', positiveInt, 2)
    .option('--hidden <n>', 'hidden units (the shipped tagger: 64)', positiveInt, 64)
    .option('--wnut-repeat <n>', 'copies of WNUT-17 train (the shipped tagger: 3)', nonNegativeInt, 3)
    .action(async (opts) => {
      requireShared(opts.shared);
      const report = await trainDetector({
        sharedDir: opts.shared, outPath: resolve(opts.out), seed: opts.seed, epochs: opts.epochs,
        hidden: opts.hidden, wnutRepeat: opts.wnutRepeat,
        progress: (m: string) => process.stderr.write(`${m}\n`),
      });
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    });
}

function requireShared(dir: string): void {
  if (!existsSync(join(dir, 'data'))) {
    throw new Error(`shared data not found at ${dir}: set NER_SHARED_DIR or pass --shared <dir>`);
  }
}
