// CLI pieces of the LLM encoder: the --encoder/--layer/--device/--head options of `index` and
// `search`, the models `index` uses (with the whitening pre-pass), and the `embed` command.
import { Command, InvalidArgumentError, Option } from 'commander';
import { checkStoreModel, encoderChoiceOf, loadModels, loadModelsForStore, parseEncoderChoice, readStoreIdentity, type Models } from '../engine/engine.ts';
import { defaultCacheDir } from '../engine/encode/wordVectors.ts';
import type { IndexComponents } from '../engine/indexer.ts';
import type { HeadFeatureSource, TrainHeadOptions } from '../engine/train/trainHead.ts';
import { LlmEncoder, parseLlmEncoderId } from '../engine/llm/llmEncoder.ts';
import { whiteningPending, withCorpusWhitening, type CorpusWhitening } from '../engine/llm/whitening.ts';
import type { Logger, ProgressSink } from '../engine/types.ts';
import { stderrLogger } from './logger.ts';
import { layerNumber, positiveInt } from './numberOptions.ts';
import { createProgress } from './progress.ts';

const DEVICES = ['auto', 'cpu', 'cuda', 'dml', 'coreml'];


function encoderChoice(value: string): string {
  if (value === 'static' || (value.startsWith('llm:') && value.length > 4)) return value;
  throw new InvalidArgumentError('expected static, llm:<hub id> (e.g. llm:meta-llama/Llama-3.1-8B) or llm:<checkpoint folder>');
}

/** Adds --encoder, --layer, --device and --head to `index` / `search` / `embed`. */
export function addEncoderOptions(cmd: Command, defaultEncoder?: string): Command {
  return cmd
    .addOption(new Option('--encoder <name>', 'static (built-in), llm:<hub id> or llm:<local checkpoint folder>').argParser(encoderChoice).default(defaultEncoder))
    .option('--layer <L>', 'LLM layer whose value vectors are used (default: the model manifest\'s)', layerNumber)
    .addOption(new Option('--device <device>', 'where the LLM runs').choices(DEVICES).default('auto'))
    .option('--head <head>', 'LLM projection head: paper, whitening, raw, or a head .safetensors file (default: the manifest\'s, else whitening)');
}

interface EncoderOpts { encoder?: string; layer?: number; device?: 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml'; head?: string }

/**
 * The models for `index`: the given --encoder, else the one the store was built with, else static.
 * A whitening LLM head is (re)fitted first when needed (llm/whitening.ts, `withCorpusWhitening`):
 * a pre-pass runs `indexWith` over the corpus with a sampling encoder to count and sample its
 * mentions. Call `afterOpen` once the store is open.
 */
export async function loadIndexModels(
  storeDir: string, opts: EncoderOpts & { rebuild?: boolean },
  env: { cacheDir?: string; logger: Logger; progress?: ProgressSink },
  indexWith: (c: IndexComponents) => Promise<unknown>,
): Promise<CorpusWhitening> {
  const stored = readStoreIdentity(storeDir);
  const fromStore = opts.encoder === undefined && stored ? encoderChoiceOf(stored.encoderId) : undefined;
  // A store indexed raw while it had too few mentions for whitening still wants whitening.
  const storedHead = fromStore?.head === 'raw' && whiteningPending(storeDir) ? 'whitening' : fromStore?.head;
  const choice = { encoder: opts.encoder ?? fromStore?.encoder ?? 'static', layer: opts.layer ?? fromStore?.layer, head: opts.head ?? storedHead };
  if (choice.encoder === 'static' && (opts.layer !== undefined || opts.head !== undefined)) {
    throw new Error(`${opts.layer !== undefined ? '--layer' : '--head'} applies to an LLM encoder; the static encoder has no layers or heads to choose (give --encoder llm:<hub id or checkpoint folder>${fromStore ? ', with --rebuild' : ''})`);
  }
  if (fromStore) checkStoreModel(storeDir, stored!.encoderId);
  // No storeDir: the encoder comes back raw, and the saved fit is kept or redone below.
  const models = await loadModels({ ...choice, device: opts.device, cacheDir: env.cacheDir, logger: env.logger, progress: env.progress });
  return withCorpusWhitening(models, storeDir, indexWith, { head: choice.head, force: opts.rebuild, logger: env.logger });
}

/** The models for `search`: exactly those the store was built with (a different --encoder is refused). */
export function loadSearchModels(storeDir: string, opts: EncoderOpts, env: { cacheDir?: string; logger: Logger; progress?: ProgressSink }): Promise<Models> {
  // Search embeds a few queries, no documents: the word vectors' rows are read as needed.
  return loadModelsForStore(storeDir, { encoder: opts.encoder, layer: opts.layer, head: opts.head, device: opts.device, cacheDir: env.cacheDir, logger: env.logger, progress: env.progress, rowsOnDemand: true });
}

function spanArg(value: string): { start: number; end: number } {
  const m = /^(\d+):(\d+)$/.exec(value);
  if (!m || Number(m[1]) >= Number(m[2])) throw new InvalidArgumentError('expected <start>:<end> (UTF-16 offsets, end exclusive, start < end)');
  return { start: Number(m[1]), end: Number(m[2]) };
}

const round = (v: Float32Array) => Array.from(v, (x) => Number(x.toPrecision(7)));

/** `ner-retriever embed "<sentence>" --span S:E [--encoder llm:…] [--layer L] [--json]`. */
export function registerEmbedCommand(program: Command): void {
  const cmd = program.command('embed')
    .description('Print the layer-L value vector of an LLM at a mention\'s last sub-token (the mention in its sentence, BOS in front) and its projection by the head.')
    .argument('<sentence>', 'the sentence')
    .option('--span <start:end>', 'the mention: UTF-16 offsets into the sentence, end exclusive (default: the whole sentence)', spanArg)
    .option('--json', 'one JSON object: encoder, model, layer, device, sentence, span, mention, tokenIndex, token, tokenRange, inputIds, inputTokens, rawDim, raw, projectedDim, projected');
  addEncoderOptions(cmd, 'llm:meta-llama/Llama-3.1-8B').action(async (sentence: string, opts, c: Command) => {
    const g = c.optsWithGlobals();
    const logger = stderrLogger(Boolean(g.verbose), Boolean(g.quiet));
    const span = opts.span ?? { start: 0, end: sentence.length };
    if (span.end > sentence.length) throw new Error(`--span ${span.start}:${span.end} is outside the sentence (length ${sentence.length})`);
    if (opts.encoder === 'static') throw new Error('embed shows LLM value vectors: give --encoder llm:<hub id or checkpoint folder>');
    const progress = createProgress(!g.quiet);
    // No span detector needed here: only the encoder is loaded.
    const encoder = await LlmEncoder.create({
      model: parseEncoderChoice(opts.encoder)!, layer: opts.layer, device: opts.device, head: opts.head,
      cacheDir: g.cacheDir ?? defaultCacheDir(), logger, progress: progress.sink,
    });
    progress.stop();
    // A whitening head is fitted on a corpus's mentions (index does): embed has one sentence.
    if (parseLlmEncoderId(encoder.id)?.head === 'raw' && opts.head !== 'raw') {
      logger.warn('embed has no corpus to fit a whitening head on: "projected" is the raw value vector, L2-normalised (--head paper or a head .safetensors file projects it)');
    }
    try {
      const ex = await encoder.explain({ sentence, start: span.start, end: span.end });
      const result = {
        encoder: encoder.id, model: parseLlmEncoderId(encoder.id)?.model, layer: encoder.layer, device: encoder.device,
        sentence, span, mention: sentence.slice(span.start, span.end),
        tokenIndex: ex.tokenIndex, token: ex.tokenText, tokenRange: ex.tokenRange,
        inputIds: ex.inputIds, inputTokens: ex.inputTokens,
        rawDim: ex.raw.length, raw: round(ex.raw), projectedDim: ex.projected.length, projected: round(ex.projected),
      };
      if (opts.json) { process.stdout.write(`${JSON.stringify(result)}\n`); return; }
      const head = (v: number[]) => `[${v.slice(0, 8).map((x) => x.toFixed(4)).join(', ')}${v.length > 8 ? ', …' : ''}]`;
      process.stdout.write([
        `encoder   ${result.encoder} (${result.device})`,
        `mention   ${JSON.stringify(result.mention)} [${span.start}, ${span.end})`,
        `token     #${ex.tokenIndex} ${JSON.stringify(ex.tokenText)} [${ex.tokenRange[0]}, ${ex.tokenRange[1]}) of ${ex.inputIds.length} input tokens (BOS included)`,
        `raw       ${result.rawDim}-d ${head(result.raw)}`,
        `projected ${result.projectedDim}-d ${head(result.projected)}`,
      ].join('\n') + '\n');
    } finally {
      await encoder.dispose();
    }
  });
}

/** `train-head --encoder llm:… [--layer L] [--device] [--hidden H] [--dim D]`. */
export function addLlmTrainOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--encoder <name>', 'static (default: the built-in head, ONNX) or llm:<hub id | checkpoint folder> (a paper-format .safetensors head on its value vectors)').argParser(encoderChoice))
    .option('--layer <L>', 'LLM layer (default: the model manifest\'s)', layerNumber)
    .addOption(new Option('--device <device>', 'where the LLM runs').choices(DEVICES).default('auto'))
    .option('--hidden <n>', 'hidden width of an LLM head (paper: 500)', positiveInt)
    .option('--dim <n>', 'output width of an LLM head (paper: 500)', positiveInt);
}

/**
 * For `train-head --encoder llm:…`: the trainer's feature source (raw value vectors at each
 * mention's last sub-token) and paper-sized head widths; undefined for the static encoder.
 */
export async function llmHeadTraining(
  opts: EncoderOpts & { hidden?: number; dim?: number },
  g: { cacheDir?: string; verbose?: boolean; quiet?: boolean },
): Promise<{ options: Partial<TrainHeadOptions>; dispose(): Promise<void> } | undefined> {
  const model = parseEncoderChoice(opts.encoder ?? 'static');
  if (model === undefined) return undefined;
  const logger = stderrLogger(Boolean(g.verbose), Boolean(g.quiet));
  const encoder = await LlmEncoder.create({ model, layer: opts.layer, head: 'raw', device: opts.device, cacheDir: g.cacheDir ?? defaultCacheDir(), logger });
  const features: HeadFeatureSource = {
    name: encoder.sourceId,
    dimension: encoder.kvDim,
    async extract(inputs) {
      const rows = await encoder.encodeRaw(inputs);
      const out = new Float32Array(rows.length * encoder.kvDim);
      rows.forEach((r, i) => out.set(r, i * encoder.kvDim));
      return out;
    },
  };
  return { options: { features, hiddenDim: opts.hidden ?? 500, outputDim: opts.dim ?? 500 }, dispose: () => encoder.dispose() };
}
