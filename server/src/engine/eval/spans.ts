// Untyped span evaluation: exact (start, end) match, micro-averaged over all spans.
import type { OffsetSpan, SpanDetector } from '../types.ts';
import type { LabelledSentence } from './conll.ts';
import { detectDocumentText, detectPlainText } from '../indexer.ts';
import type { DocumentKind } from '../ingest/document.ts';

export interface SpanPRF { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number }

/** Micro P/R/F1 of predicted vs gold spans, sentence by sentence (duplicates count once). */
export function spanPRF(predicted: OffsetSpan[][], gold: OffsetSpan[][]): SpanPRF {
  if (predicted.length !== gold.length) throw new Error(`spanPRF: ${predicted.length} predicted vs ${gold.length} gold sentences`);
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = new Set(gold[i].map((s) => `${s.start}:${s.end}`));
    const p = new Set(predicted[i].map((s) => `${s.start}:${s.end}`));
    for (const k of p) { if (g.has(k)) tp++; else fp++; }
    for (const k of g) if (!p.has(k)) fn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, tp, fp, fn };
}

export interface DetectorEvaluation extends SpanPRF { sentences: number; tokens: number; seconds: number; tokensPerSecond: number }

/**
 * Runs a detector over labelled sentences and scores it against their gold spans. Each labelled
 * text is detected as `index` detects a plain-text document (split into sentences, a paragraph at
 * a time): a tweet of three sentences is three sentences to the product, too.
 */
export function evaluateDetector(detector: SpanDetector, sentences: LabelledSentence[]): DetectorEvaluation {
  const t0 = performance.now();
  const predicted = sentences.map((s) => detectPlainText(detector, s.text)
    .flatMap(({ sentence, spans }) => spans.map((x) => ({ start: sentence.start + x.start, end: sentence.start + x.end }))));
  const seconds = (performance.now() - t0) / 1000;
  const tokens = sentences.reduce((a, s) => a + s.tokens.length, 0);
  const prf = spanPRF(predicted, sentences.map((s) => s.spans));
  return { ...prf, sentences: sentences.length, tokens, seconds, tokensPerSecond: seconds > 0 ? tokens / seconds : 0 };
}

/** A whole document with its gold spans; `optional` spans (judgement calls) count neither way. */
export interface LabelledDocument { path: string; text: string; kind: DocumentKind; spans: OffsetSpan[]; optional: OffsetSpan[] }

/**
 * Runs a detector over whole documents as `index` reads them (Markdown's prose only, its headings,
 * paragraphs and document-wide evidence) and scores exact spans. A detected span equal to an
 * optional gold span is dropped from both sides; an optional span missed is no miss.
 */
export function evaluateDocuments(detector: SpanDetector, documents: readonly LabelledDocument[]): SpanPRF & { documents: number } {
  const key = (s: OffsetSpan) => `${s.start}:${s.end}`;
  const predicted: OffsetSpan[][] = [];
  for (const doc of documents) {
    const optional = new Set(doc.optional.map(key));
    predicted.push(detectDocumentText(detector, doc.text, doc.kind)
      .flatMap(({ sentence, spans }) => spans.map((x) => ({ start: sentence.start + x.start, end: sentence.start + x.end })))
      .filter((s) => !optional.has(key(s))));
  }
  return { ...spanPRF(predicted, documents.map((d) => d.spans)), documents: documents.length };
}
