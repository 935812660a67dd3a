// mulberry32: a small, fast, seedable PRNG, so training, evaluation draws and benchmark corpora
// are reproducible from a seed.
/** Fisher–Yates shuffle of `list` in place with `rnd` (one draw per position, last to second). */
export function shuffleInPlace<T>(list: { length: number; [i: number]: T }, rnd: () => number): void {
  for (let i = list.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); const t = list[i]; list[i] = list[j]; list[j] = t; }
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
