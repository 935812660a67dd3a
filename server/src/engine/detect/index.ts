// Untyped entity-span detectors.
import { findModelFile } from '../modelFiles.ts';
import { loadWordVectors, type WordVectors } from '../encode/wordVectors.ts';
import { TaggerDetector, loadTaggerModel } from './tagger.ts';
import { TermLexicon } from './terms.ts';
import { NameAdjectives } from './nameAdjectives.ts';
import { FirstNames } from './firstNames.ts';
import { ImperativeOpeners } from './imperativeOpeners.ts';

export { tokenize, type Token } from './tokenize.ts';
export { CapitalizationDetector } from './capitalization.ts';
export { TaggerDetector, loadTaggerModel, serializeTagger, deserializeTagger, modelHash, type TaggerModel } from './tagger.ts';

export { TermLexicon } from './terms.ts';
export { NameAdjectives } from './nameAdjectives.ts';
export { FirstNames } from './firstNames.ts';
export { ImperativeOpeners } from './imperativeOpeners.ts';

export const DEFAULT_MODEL_FILE = 'tagger-v1.bin';
export const DEFAULT_TERMS_FILE = 'terms.txt';
export const DEFAULT_NAME_ADJECTIVES_FILE = 'name-adjectives.txt';
export const DEFAULT_FIRST_NAMES_FILE = 'first-names.txt';
export const DEFAULT_IMPERATIVE_OPENERS_FILE = 'imperative-openers.txt';
export const DEFAULT_PAST_TENSE_OPENERS_FILE = 'past-tense-openers.txt';

/**
 * Path of the committed detector model (models/detector/tagger-v1.bin): $NER_DETECTOR_MODEL, else
 * found by walking up from this module (source or bundle).
 */
export function defaultDetectorModelPath(): string {
  return findModelFile(`detector/${DEFAULT_MODEL_FILE}`, 'NER_DETECTOR_MODEL');
}

/** Path of the committed drug, disease and procedure lexicon (models/detector/terms.txt): $NER_DETECTOR_TERMS, else found like the model. */
export function defaultTermsPath(): string {
  return findModelFile(`detector/${DEFAULT_TERMS_FILE}`, 'NER_DETECTOR_TERMS');
}

/** Path of the committed name-adjective list (models/detector/name-adjectives.txt): $NER_DETECTOR_NAME_ADJECTIVES, else found like the model. */
export function defaultNameAdjectivesPath(): string {
  return findModelFile(`detector/${DEFAULT_NAME_ADJECTIVES_FILE}`, 'NER_DETECTOR_NAME_ADJECTIVES');
}

/** Path of the committed first-name list (models/detector/first-names.txt): $NER_DETECTOR_FIRST_NAMES, else found like the model. */
export function defaultFirstNamesPath(): string {
  return findModelFile(`detector/${DEFAULT_FIRST_NAMES_FILE}`, 'NER_DETECTOR_FIRST_NAMES');
}

/** Path of the committed imperative-verb list (models/detector/imperative-openers.txt): $NER_DETECTOR_IMPERATIVE_OPENERS, else found like the model. */
export function defaultImperativeOpenersPath(): string {
  return findModelFile(`detector/${DEFAULT_IMPERATIVE_OPENERS_FILE}`, 'NER_DETECTOR_IMPERATIVE_OPENERS');
}

/** Path of the committed past-tense list (models/detector/past-tense-openers.txt): $NER_DETECTOR_PAST_TENSE_OPENERS, else found like the model. */
export function defaultPastTenseOpenersPath(): string {
  return findModelFile(`detector/${DEFAULT_PAST_TENSE_OPENERS_FILE}`, 'NER_DETECTOR_PAST_TENSE_OPENERS');
}

let cached: { vectors: WordVectors; detector: TaggerDetector } | undefined;

/** The built-in tagger with the term lexicon and the name adjectives, loaded from the committed files (id `tagger-v1:<hash>+…t<terms hash>a<list hash>`). */
export function loadDefaultDetector(wordVectors?: WordVectors): TaggerDetector {
  const vectors = wordVectors ?? loadWordVectors();
  if (cached && cached.vectors === vectors) return cached.detector;
  const detector = new TaggerDetector(loadTaggerModel(defaultDetectorModelPath()), vectors, { terms: TermLexicon.load(defaultTermsPath()), nameAdjectives: NameAdjectives.load(defaultNameAdjectivesPath()), firstNames: FirstNames.load(defaultFirstNamesPath()), imperativeOpeners: ImperativeOpeners.load(defaultImperativeOpenersPath(), defaultPastTenseOpenersPath()) });
  cached = { vectors, detector };
  return detector;
}
