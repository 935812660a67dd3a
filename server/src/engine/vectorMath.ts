// Small vector helpers shared by the index, search and type labels (no dependencies, so any layer may import them).

/** Dot product over the shorter of the two vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}
