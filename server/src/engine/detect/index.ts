// Untyped entity-span detectors.
import { findModelFile } from '../modelFiles.ts';
import { loadWordVectors, type WordVectors } from '../encode/wordVectors.ts';
import { TaggerDetector, loadTaggerModel } from './tagger.ts';

export { tokenize, type Token } from './tokenize.ts';
export { CapitalizationDetector } from './capitalization.ts';
export { TaggerDetector, loadTaggerModel, serializeTagger, deserializeTagger, modelHash, type TaggerModel } from './tagger.ts';

export const DEFAULT_MODEL_FILE = 'tagger-v1.bin';

/**
 * Path of the committed detector model (models/detector/tagger-v1.bin): $NER_DETECTOR_MODEL, else
 * found by walking up from this module (source or bundle).
 */
export function defaultDetectorModelPath(): string {
  return findModelFile(`detector/${DEFAULT_MODEL_FILE}`, 'NER_DETECTOR_MODEL');
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
