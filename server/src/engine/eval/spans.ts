// Untyped span evaluation: exact (start, end) match, micro-averaged over all spans.
import type { OffsetSpan, SpanDetector } from '../types.ts';
import type { LabelledSentence } from './conll.ts';
import { detectPlainText } from '../indexer.ts';

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
