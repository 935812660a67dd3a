// The static head's output projection: the embedding z (228-d: the sentence block and the learned
// part) is mapped onto its leading principal directions over the training mentions, then
// re-normalised. Every stored vector is one HNSW node, and hnswlib's insert and search cost grows
// with the dimension (memory traffic more than arithmetic), so fewer dimensions index faster and
// take less memory and disk; 64 directions keep ≈ 90 % of the mentions' energy and the retrieval
// figures (docs/zero-shot.md, sixteenth session).
import { symmetricEigen } from '../llm/heads.ts';
import { OnnxHead, headToOnnx, headWeightsFromOnnx } from './head.ts';

/**
 * The `dim` leading eigenvectors of the uncentred second moment of `rows` (n × d, row-major):
 * uncentred, because scores are cosines about the origin. Returned row-major [d × dim] (z · P),
 * each direction's sign fixed (largest component positive) so the result is deterministic, with
 * the share of the energy the directions keep.
 */
export function fitOutputProjection(rows: Float32Array, n: number, d: number, dim: number): { matrix: Float32Array; energy: number } {
  if (!Number.isInteger(dim) || dim < 1 || dim > d) throw new Error(`output projection: dimension must be 1..${d}, got ${dim}`);
  if (n < dim) throw new Error(`output projection: ${n} rows cannot fit ${dim} directions`);
  const m = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) {
      const x = rows[o + i];
      if (x === 0) continue;
      const mi = i * d;
      for (let j = i; j < d; j++) m[mi + j] += x * rows[o + j];
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) m[i * d + j] = m[j * d + i];
  const { values, vectors } = symmetricEigen(m, d); // ascending; eigenvectors as rows
  let total = 0, kept = 0;
  for (let i = 0; i < d; i++) total += values[i];
  const matrix = new Float32Array(d * dim);
  for (let a = 0; a < dim; a++) {
    const row = (d - 1 - a) * d;
    kept += values[d - 1 - a];
    let big = 0;
    for (let i = 0; i < d; i++) if (Math.abs(vectors[row + i]) > Math.abs(big)) big = vectors[row + i];
    const sign = big < 0 ? -1 : 1;
    for (let i = 0; i < d; i++) matrix[i * dim + a] = sign * vectors[row + i];
  }
  return { matrix, energy: total > 0 ? kept / total : 0 };
}

/**
 * Adds an output projection to a head without one: runs the head on `features` (count × its input
 * dimension: the training mentions), fits the projection on the embeddings and re-exports.
 */
export async function projectHead(
  bytes: Uint8Array, features: Float32Array, count: number, dim: number, metadata: Record<string, string> = {},
): Promise<{ bytes: Uint8Array; energy: number }> {
  const { weights, metadata: existing } = headWeightsFromOnnx(bytes);
  if (weights.projection) throw new Error('head already has an output projection');
  const head = await OnnxHead.fromBytes(bytes);
  try {
    const z = await head.run(features, count);
    const { matrix, energy } = fitOutputProjection(z, count, head.outputDim, dim);
    const out = headToOnnx({ ...weights, projection: { dim, matrix } }, {
      ...existing, ...metadata, projection: `${dim} principal directions of ${count} training mentions (energy ${energy.toFixed(4)})`,
    });
    return { bytes: out, energy };
  } finally {
    await head.dispose();
  }
}
