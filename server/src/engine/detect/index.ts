// Untyped entity-span detectors.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadWordVectors, type WordVectors } from '../encode/wordVectors.ts';
import { TaggerDetector, loadTaggerModel } from './tagger.ts';

export { tokenize, type Token } from './tokenize.ts';
export { CapitalizationDetector } from './capitalization.ts';
export { TaggerDetector, loadTaggerModel, serializeTagger, deserializeTagger, modelHash, type TaggerModel } from './tagger.ts';

export const DEFAULT_MODEL_FILE = 'tagger-v1.bin';

/**
 * Path of the committed detector model (models/detector/tagger-v1.bin): $NER_DETECTOR_MODEL, else
 * searched upwards from this module's folder (source or bundle) and from the working directory.
 */
export function defaultDetectorModelPath(): string {
  if (process.env.NER_DETECTOR_MODEL) return resolve(process.env.NER_DETECTOR_MODEL);
  const starts = [typeof __dirname === 'string' ? __dirname : undefined, process.cwd()].filter((d): d is string => !!d);
  for (const start of starts) {
    let dir = start;
    for (let i = 0; i < 8; i++) {
      const p = join(dir, 'models', 'detector', DEFAULT_MODEL_FILE);
      if (existsSync(p)) return p;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error(`detector model models/detector/${DEFAULT_MODEL_FILE} not found (set NER_DETECTOR_MODEL)`);
}

let cached: { vectors: WordVectors; detector: TaggerDetector } | undefined;

/** The built-in tagger, loaded from the committed model (id `tagger-v1:<hash>`). */
export function loadDefaultDetector(wordVectors?: WordVectors): TaggerDetector {
  const vectors = wordVectors ?? loadWordVectors();
  if (cached && cached.vectors === vectors) return cached.detector;
  const detector = new TaggerDetector(loadTaggerModel(defaultDetectorModelPath()), vectors);
  cached = { vectors, detector };
  return detector;
}
