// The engine facade: wires the default detector, encoder and a store together. Used by the CLI
// and (later) the language server; takes a logger and progress sink, never touches stdout.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { loadDefaultDetector } from './detect/index.ts';
import { WorkerSpanDetector } from './detect/workerDetector.ts';
import { StaticEncoder } from './encode/staticEncoder.ts';
import { defaultCacheDir, loadWordVectors } from './encode/wordVectors.ts';
import { checkSearchIdentity, MentionStore, StoreError, type StoreIdentity } from './index/store.ts';
import type { IndexComponents } from './indexer.ts';
import { INGEST_FORMAT_VERSION } from './ingest/document.ts';
import { NESTED_NAMES_VERSION } from './detect/nestedNames.ts';
import { HubError, resolveModelDir } from './llm/hub.ts';
import { LlmEncoder, parseLlmEncoderId, type HeadChoice } from './llm/llmEncoder.ts';
import type { ExecutionDevice } from './llm/valueRunner.ts';
import { WhiteningHead } from './llm/heads.ts';
import { loadStoreWhitening } from './llm/whitening.ts';
import { nullLogger, type BatchSpanDetector, type Logger, type MentionEncoder, type ProgressSink, type SpanDetector } from './types.ts';

export interface EngineOptions {
  /** Word-vector cache folder (see wordVectors.defaultCacheDir). */
  cacheDir?: string;
  logger?: Logger;
  progress?: ProgressSink;
  /** Word-vector rows read as they are needed (`search`, the language server: wordVectors.loadWordVectors). */
  rowsOnDemand?: boolean;
}

export interface Models { encoder: MentionEncoder; detector: SpanDetector }

/** Loads the built-in zero-download models: static encoder + trained span detector. */
export async function loadDefaultModels(options: EngineOptions = {}): Promise<Models> {
  const wordVectors = loadWordVectors({ cacheDir: options.cacheDir, progress: options.progress, rowsOnDemand: options.rowsOnDemand });
  const encoder = await StaticEncoder.create({ cacheDir: options.cacheDir, progress: options.progress, rowsOnDemand: options.rowsOnDemand });
  const detector = loadDefaultDetector(wordVectors);
  return { encoder, detector };
}

export interface LoadModelsOptions extends EngineOptions {
  /** `static` (default: the built-in encoder) or `llm:<hub id or local checkpoint folder>`. */
  encoder?: string;
  /** LLM layer (default: the model's manifest). */
  layer?: number;
  device?: ExecutionDevice;
  /** LLM head: `paper`, `whitening`, `raw` or a head .safetensors path (default: the manifest's, else whitening). */
  head?: HeadChoice;
  /**
   * The store these models are for: a `whitening` head is read from its saved fit; without one
   * the LLM encoder comes back raw (index fits it first: llm/whitening.ts).
   */
  storeDir?: string;
}

/** `llm:<id-or-path>` → the model part; undefined for `static`; throws for anything else. */
export function parseEncoderChoice(choice: string): string | undefined {
  if (choice === 'static') return undefined;
  if (choice.startsWith('llm:') && choice.length > 4) return choice.slice(4);
  throw new Error(`unknown encoder "${choice}": use static, llm:<hub id> (e.g. llm:meta-llama/Llama-3.1-8B) or llm:<checkpoint folder>`);
}

/** Loads the static default models, or an LLM encoder with the built-in span detector. */
export async function loadModels(options: LoadModelsOptions = {}): Promise<Models> {
  const model = parseEncoderChoice(options.encoder ?? 'static');
  if (model === undefined) return loadDefaultModels(options);
  const wordVectors = loadWordVectors({ cacheDir: options.cacheDir, progress: options.progress, rowsOnDemand: options.rowsOnDemand });
  const detector = loadDefaultDetector(wordVectors);
  // No progress sink for the encoder: the indexer reports per document, and a second bar per
  // encoder batch would alternate with it.
  let encoder = await LlmEncoder.create({
    model, layer: options.layer, device: options.device, head: options.head,
    cacheDir: options.cacheDir ?? defaultCacheDir(), logger: options.logger,
  });
  if (options.storeDir && parseLlmEncoderId(encoder.id)?.head === 'raw' && (options.head ?? 'whitening') === 'whitening') {
    const fit = loadStoreWhitening(options.storeDir, encoder);
    if (fit) encoder = encoder.withHead(new WhiteningHead(fit));
  }
  return { encoder, detector };
}

/** The identity recorded in a store's manifest (store.json), without opening or locking it. */
export function readStoreIdentity(dir: string): StoreIdentity | undefined {
  const path = join(dir, 'store.json');
  if (!existsSync(path)) return undefined;
  try {
    const identity = (JSON.parse(readFileSync(path, 'utf8')) as { identity?: StoreIdentity }).identity;
    return identity && typeof identity.encoderId === 'string' ? identity : undefined;
  } catch {
    return undefined;
  }
}

/** `static` or `llm:<model>` + layer + head for an encoder id recorded in a store. */
export function encoderChoiceOf(encoderId: string): { encoder: string; layer?: number; head?: HeadChoice } {
  const llm = parseLlmEncoderId(encoderId);
  return llm ? { encoder: `llm:${llm.model}`, layer: llm.layer, head: llm.head } : { encoder: 'static' };
}

/**
 * Refuses, before anything loads, a store whose LLM is no longer where it was built with: a bare
 * "no such folder" said nothing of the store, nor how to get it searchable again.
 */
export function checkStoreModel(storeDir: string, encoderId: string): void {
  const llm = parseLlmEncoderId(encoderId);
  if (!llm) return;
  const built = `the store in ${storeDir} was built with the LLM ${llm.model} (encoder ${encoderId})`;
  const redo = `or index again with another encoder: \`ner-retriever index <path> --store ${storeDir} --rebuild --encoder static\` (or --encoder llm:<model>)`;
  if (isAbsolute(llm.model)) {
    if (!existsSync(llm.model)) throw new Error(`${built}, and the folder ${llm.model} is gone (moved or deleted): put the model back there, ${redo}`);
    return;
  }
  try {
    resolveModelDir(llm.model);
  } catch (e) {
    if (e instanceof HubError && e.code === 'not-cached') throw new Error(`${built}, but ${e.message}; ${redo}`);
    throw e;
  }
}

/**
 * The models a store was built with (search must use them). `requested` (the user's --encoder /
 * --layer / --head) must agree with the store's, else a clear error; the device is free.
 */
export async function loadModelsForStore(storeDir: string, options: LoadModelsOptions = {}): Promise<Models> {
  const identity = readStoreIdentity(storeDir);
  if (!identity) return loadModels(options);
  const built = encoderChoiceOf(identity.encoderId);
  const sameModel = (a: string, b: string) => a === b || (a.startsWith('llm:') && b.startsWith('llm:') && resolveIfPath(a.slice(4)) === resolveIfPath(b.slice(4)));
  const sameHead = (a: string, b: string | undefined) => a === b || (b !== undefined && resolveIfPath(a) === resolveIfPath(b));
  const differs = (options.encoder !== undefined && !sameModel(options.encoder, built.encoder)) ||
    (options.layer !== undefined && options.layer !== built.layer) ||
    (options.head !== undefined && !sameHead(options.head, built.head));
  if (differs) {
    const describe = (c: { encoder: string; layer?: number; head?: string }) =>
      `${c.encoder}${c.layer !== undefined ? ` --layer ${c.layer}` : ''}${c.head !== undefined ? ` --head ${c.head}` : ''}`;
    throw new Error(
      `the store in ${storeDir} was built with encoder ${describe(built)} (${identity.encoderId}), ` +
      `not ${describe({ encoder: options.encoder ?? built.encoder, layer: options.layer, head: options.head })}: ` +
      'search it with its own encoder (leave out --encoder/--layer/--head), or re-index with --rebuild',
    );
  }
  checkStoreModel(storeDir, identity.encoderId);
  return loadModels({ ...options, ...built, storeDir });
}

function resolveIfPath(model: string): string { return existsSync(model) ? resolve(model) : model; }

export interface OpenStoreOptions {
  /** Wipe and recreate the store (only ever deletes a folder that is a store). */
  rebuild?: boolean;
  /** When the store was built with other models, rebuild it instead of failing. */
  rebuildOnMismatch?: boolean;
  /** Search only: no lock (works while another process indexes), nothing written. */
  readOnly?: boolean;
  logger?: Logger;
}

/**
 * The identity a store built with `models` records. Which text counts as prose is part of how its
 * mentions were found, so the ingest format is recorded with the detector: a store whose plain-text
 * files were read before their code was blanked is rebuilt (index) or searched with a warning. So
 * are the rules that add a maker's name inside a product's (nestedNames.ts).
 */
export function identityOf(models: Models): StoreIdentity {
  return { encoderId: models.encoder.id, detectorId: `${models.detector.id}+${NESTED_NAMES_VERSION}|${INGEST_FORMAT_VERSION}`, dimension: models.encoder.dimension };
}

export async function openStore(dir: string, models: Models, options: OpenStoreOptions = {}): Promise<MentionStore> {
  const identity = identityOf(models);
  const logger = options.logger ?? nullLogger;
  try {
    return await MentionStore.open(dir, identity, { rebuild: options.rebuild, readOnly: options.readOnly, logger });
  } catch (e) {
    if (e instanceof StoreError && e.code === 'mismatch' && options.rebuildOnMismatch) {
      logger.warn(`The store in ${dir} was built with other models; rebuilding it.`);
      return MentionStore.open(dir, identity, { rebuild: true, logger });
    }
    throw e;
  }
}

/**
 * A store opened for searching (read-only) while its models load, for a process that needs both
 * (`search`). The store is opened as its manifest describes it: its own thread reads the
 * documents while a libuv thread reads the graph, and the models (≈ 1 s) load in what is left
 * of that wait instead of before it. They must then match the store, as openStore checks.
 */
export async function openStoreForSearch(dir: string, loadModels: () => Promise<Models>, logger: Logger = nullLogger): Promise<{ models: Models; store: MentionStore }> {
  const recorded = readStoreIdentity(dir);
  if (!recorded) {
    const models = await loadModels();
    return { models, store: await openStore(dir, models, { logger, readOnly: true }) };
  }
  const opening = MentionStore.open(dir, recorded, { readOnly: true, logger });
  opening.catch(() => undefined); // awaited below; not an unhandled rejection while the models load
  let models: Models;
  try {
    models = await loadModels();
  } catch (e) {
    void opening.then((store) => store.close(), () => undefined);
    throw e;
  }
  const store = await opening;
  try {
    checkSearchIdentity(store.dir, store.identity, identityOf(models), logger);
  } catch (e) {
    await store.close();
    throw e;
  }
  return { models, store };
}

/** What indexWorkspace needs; `detectorWorker` lets it detect spans on a worker thread (2+ cores). */
export function components(models: Models, store: MentionStore, options: { detectorWorker?: boolean; cacheDir?: string; logger?: Logger } = {}): IndexComponents {
  const startBatchDetector = options.detectorWorker ? () => startDetectorWorker(models.detector, { ...options, encoder: models.encoder }) : undefined;
  return { store, detector: models.detector, encoder: models.encoder, startBatchDetector };
}

/**
 * The built-in detector on a worker thread, for indexing many documents (see indexWorkspace), or
 * undefined on a single core or when `detector` is not the built-in one. When `encoder` is the
 * static encoder, the worker embeds mentions too. Never throws: without a worker, indexing
 * detects and encodes on its own thread.
 */
export async function startDetectorWorker(detector: SpanDetector, options: { cacheDir?: string; logger?: Logger; encoder?: MentionEncoder } = {}): Promise<BatchSpanDetector | undefined> {
  if (availableParallelism() < 2) return undefined;
  try {
    const encoder = options.encoder instanceof StaticEncoder ? { spec: options.encoder.spec, expectedId: options.encoder.id } : undefined;
    const worker = await WorkerSpanDetector.start({ expectedId: detector.id, cacheDir: options.cacheDir, encoder });
    (options.logger ?? nullLogger).debug(`Span detection${worker.encoder ? ' and mention encoding run' : ' runs'} on a worker thread.`);
    if (worker.encoderProblem) (options.logger ?? nullLogger).debug(`Mention encoding stays on the indexing thread: ${worker.encoderProblem}`);
    return worker;
  } catch (e) {
    (options.logger ?? nullLogger).debug(`No span-detector worker (${(e as Error).message}); detecting on the main thread.`);
    return undefined;
  }
}
