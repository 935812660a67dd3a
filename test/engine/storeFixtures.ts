// Deterministic documents shared by the store tests and the kill -9 child process.
import type { StoredDocument, StoredMention } from '../../server/src/engine/index/store.ts';

export const DIM = 48;
export const IDENTITY = { encoderId: 'enc-test', detectorId: 'det-test', dimension: DIM };

/** Vector of mention j of document i (independent of the document version). */
export function mentionVector(i: number, j: number): Float32Array {
  const v = new Float32Array(DIM);
  let s = (i * 7919 + j * 104729 + 17) >>> 0;
  for (let d = 0; d < DIM; d++) { s = (s * 1664525 + 1013904223) >>> 0; v[d] = s / 2 ** 32 - 0.5; }
  return v;
}

export function docPath(i: number): string { return `notes/doc-${i}.md`; }

/** Mention indices j of document i in a version: v1 = 0..n-1; v2 drops 0 and adds n. */
export function mentionIds(i: number, version: number): number[] {
  const n = 2 + (i % 4);
  const ids = Array.from({ length: n }, (_, j) => j);
  return version === 1 ? ids : [...ids.slice(1), n];
}

export function mentionText(i: number, j: number): string { return `entity ${i}/${j}`; }

export function mentionStart(j: number, version: number): number { return j * 20 + (version === 1 ? 0 : 10); }

/** Builds version `version` of document i. `labelOf(j)` gives the label of mention j (reused or freshly allocated). */
export function makeDoc(i: number, version: number, labelOf: (j: number) => number): StoredDocument {
  const mentions: StoredMention[] = mentionIds(i, version).map((j) => {
    const start = mentionStart(j, version);
    const text = mentionText(i, j);
    return { label: labelOf(j), start, end: start + text.length, range: { start: { line: 0, character: start }, end: { line: 0, character: start + text.length } }, text };
  });
  return { path: docPath(i), contentHash: `v${version}`, size: 1000 + i, mtimeMs: 1700000000000 + i, paragraphs: [{ hash: `p${i}`, start: 0, end: 200, mentions }] };
}

export function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  return v.map((x) => x / n);
}

/**
 * Name-group mode (the kill -9 test of name groups): every mention of document i is the name
 * "River i" and its vector is close to the document's own direction (cosine ≈ 0.995), so the
 * mentions of one put share a graph node and keep vectors of their own.
 */
export function groupedVector(i: number, j: number): Float32Array {
  const base = unit(mentionVector(i, 1000));
  const noise = unit(mentionVector(i, 2000 + j));
  return unit(base.map((x, d) => x + 0.1 * noise[d]));
}

export function makeGroupedDoc(i: number, version: number, labelOf: (j: number) => number): StoredDocument {
  const doc = makeDoc(i, version, labelOf);
  for (const m of doc.paragraphs[0].mentions) {
    m.text = `River ${i}`;
    m.end = m.start + m.text.length;
    m.range = { start: m.range.start, end: { line: 0, character: m.end } };
  }
  return doc;
}

/** j of a mention made by makeDoc / makeGroupedDoc (its start is j·20, +10 in version 2). */
export function mentionIndex(m: StoredMention): number { return Math.floor(m.start / 20); }
