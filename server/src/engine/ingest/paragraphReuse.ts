// Which paragraphs of a re-read document are new. A paragraph whose content hash a paragraph of
// the stored version had is taken over (its mentions and vectors kept); only the others are
// detected and encoded. Shared by the indexer and the detection worker, which ingests and detects
// documents itself and must pick exactly the sentences the indexer expects spans for.
import type { IngestedDocument, Paragraph, Sentence, SentenceToDetect } from '../types.ts';

/**
 * For each paragraph of `ingested`, the index of the paragraph of the previous version (given by
 * its paragraphs' hashes, in order) that it takes over, or -1 when it is new. Equal hashes pair
 * up in order, each old paragraph at most once.
 */
export function reusedParagraphIndices(ingested: IngestedDocument, previousHashes: readonly string[]): number[] {
  const oldByHash = new Map<string, number[]>();
  previousHashes.forEach((hash, i) => {
    const list = oldByHash.get(hash);
    if (list) list.push(i); else oldByHash.set(hash, [i]);
  });
  return ingested.paragraphs.map((para) => oldByHash.get(para.hash)?.shift() ?? -1);
}

/** The sentences of the new paragraphs, in order, each with its paragraph index (and heading flag, and positional capitals). */
export function sentencesToDetect(ingested: IngestedDocument, previousHashes: readonly string[]): SentenceToDetect[] {
  const reuse = reusedParagraphIndices(ingested, previousHashes);
  return ingested.paragraphs.flatMap((para, i) => (reuse[i] >= 0 ? [] : para.sentences.map((s) => sentenceToDetect(para, i, s))));
}

/** A sentence of paragraph `para` (the document's `index`-th) with what its paragraph tells the detector. */
export function sentenceToDetect(para: Paragraph, index: number, sentence: Sentence): SentenceToDetect {
  return {
    text: sentence.text, paragraph: index,
    ...(para.heading ? { heading: true } : {}), ...(para.positionalCapitals ? { positionalCapitals: para.positionalCapitals } : {}),
    ...(para.casedDocument ? { casedDocument: true } : {}), ...(para.namesInLowerCase ? { namesInLowerCase: para.namesInLowerCase } : {}),
  };
}
