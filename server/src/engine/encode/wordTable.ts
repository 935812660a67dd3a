// A word → row lookup over the word-vector cache's word list as it lies in the file (UTF-8, one
// word per line), without making a string of each word: a JavaScript Map of the 341k words costs
// ≈ 0.4 s to build and ≈ 33 MB of heap, which a process that embeds a few type queries (`search`,
// a language server whose index is up to date) pays at every start for a handful of lookups.
// Here the build is one pass of FNV-1a hashes over ≈ 3 MB of bytes into an open-addressing table.

const EMPTY = -1;

export class WordTable {
  /** Byte offset of each word in `blob`; starts[size] is one past the last word's end + 1. */
  private readonly starts: Int32Array;
  /** Open addressing, linear probing: row index or EMPTY; length a power of two ≥ 2 × size. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private scratch = new Uint8Array(256);
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  /** `blob`: the words joined by "\n". Throws when it does not hold exactly `size` words. */
  constructor(private readonly blob: Uint8Array, readonly size: number) {
    this.starts = new Int32Array(size + 1);
    let n = 0;
    this.starts[0] = 0;
    for (let i = 0; i < blob.length; i++) {
      if (blob[i] === 10) {
        if (++n > size) break;
        this.starts[n] = i + 1;
      }
    }
    if (n !== size - 1) throw new Error(`word list holds ${n + 1} words, not ${size}`);
    this.starts[size] = blob.length + 1;
    let capacity = 1;
    while (capacity < 2 * size) capacity <<= 1;
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
    for (let row = 0; row < size; row++) {
      const start = this.starts[row];
      const end = this.starts[row + 1] - 1;
      let slot = hash(blob, start, end) & this.mask;
      // The first row of a word wins, as a Map filled in row order with has() checks would.
      for (; this.slots[slot] !== EMPTY; slot = (slot + 1) & this.mask) {
        if (this.sameBytes(this.slots[slot], blob, start, end)) break;
      }
      if (this.slots[slot] === EMPTY) this.slots[slot] = row;
    }
  }

  /** The row of exactly this word, or -1. */
  find(word: string): number {
    // At most 3 UTF-8 bytes per UTF-16 unit.
    if (this.scratch.length < word.length * 3) this.scratch = new Uint8Array(word.length * 3);
    const { written } = this.encoder.encodeInto(word, this.scratch);
    const bytes = this.scratch;
    for (let slot = hash(bytes, 0, written) & this.mask; this.slots[slot] !== EMPTY; slot = (slot + 1) & this.mask) {
      if (this.sameBytes(this.slots[slot], bytes, 0, written)) return this.slots[slot];
    }
    return -1;
  }

  /** The word at a row. */
  word(row: number): string {
    if (!(row >= 0 && row < this.size)) throw new RangeError(`word row ${row} out of range`);
    return this.decoder.decode(this.blob.subarray(this.starts[row], this.starts[row + 1] - 1));
  }

  private sameBytes(row: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = this.starts[row];
    if (this.starts[row + 1] - 1 - from !== end - start) return false;
    for (let i = 0; i < end - start; i++) if (this.blob[from + i] !== bytes[start + i]) return false;
    return true;
  }
}

/** FNV-1a, 32 bits, over bytes[start, end). */
function hash(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}
