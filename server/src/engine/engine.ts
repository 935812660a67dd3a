// The engine facade: wires the default detector, encoder and a store together. Used by the CLI
// and (later) the language server; takes a logger and progress sink, never touches stdout.
import { loadDefaultDetector } from './detect/index.ts';
import { StaticEncoder } from './encode/staticEncoder.ts';
import { loadWordVectors } from './encode/wordVectors.ts';
import { MentionStore, StoreError } from './index/store.ts';
import type { IndexComponents } from './indexer.ts';
import { nullLogger, type Logger, type MentionEncoder, type ProgressSink, type SpanDetector } from './types.ts';

export interface EngineOptions {
  /** Word-vector cache folder (see wordVectors.defaultCacheDir). */
  cacheDir?: string;
  logger?: Logger;
  progress?: ProgressSink;
}

export interface Models { encoder: MentionEncoder; detector: SpanDetector }

/** Loads the built-in zero-download models: static encoder + trained span detector. */
export async function loadDefaultModels(options: EngineOptions = {}): Promise<Models> {
  const wordVectors = loadWordVectors({ cacheDir: options.cacheDir, progress: options.progress });
  const encoder = await StaticEncoder.create({ cacheDir: options.cacheDir, progress: options.progress });
  const detector = loadDefaultDetector(wordVectors);
  return { encoder, detector };
}

export interface OpenStoreOptions {
  /** Wipe and recreate the store (only ever deletes a folder that is a store). */
  rebuild?: boolean;
  /** When the store was built with other models, rebuild it instead of failing. */
  rebuildOnMismatch?: boolean;
  /** Search only: no lock (works while another process indexes), nothing written. */
  readOnly?: boolean;
  logger?: Logger;
}

export async function openStore(dir: string, models: Models, options: OpenStoreOptions = {}): Promise<MentionStore> {
  const identity = { encoderId: models.encoder.id, detectorId: models.detector.id, dimension: models.encoder.dimension };
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

export function components(models: Models, store: MentionStore): IndexComponents {
  return { store, detector: models.detector, encoder: models.encoder };
}
