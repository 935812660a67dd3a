// Which document and mention a label belongs to. Labels are handed out in order and never reused
// (MentionStore.allocateLabel), so they are dense: arrays indexed by label hold them. A Map of a
// million number keys cost ≈ 0.6 s to fill when a store opened, and a store holds two such
// tables' worth (documents and mentions); arrays fill in a fifth of that. A label far beyond the
// others (a store re-indexed many times over, or a damaged file) goes to a map instead of
// stretching the arrays, and so do all of them when the arrays become mostly holes, so memory
// follows the labels in use, not the largest one.

/** How far past the arrays' end a label may be and still extend them: doubling, at least this many. */
const MIN_GROWTH = 1 << 16;

export class LabelTable<D, M> {
  private readonly docs: Array<D | undefined> = [];
  private readonly mentions: Array<M | undefined> = [];
  private readonly far = new Map<number, { document: D; mention: M }>();
  private count = 0;

  /** Labels in the table. */
  get size(): number { return this.count; }

  document(label: number): D | undefined {
    const near = label < this.docs.length ? this.docs[label] : undefined;
    return near !== undefined || this.far.size === 0 ? near : this.far.get(label)?.document;
  }

  mention(label: number): M | undefined {
    const near = label < this.mentions.length ? this.mentions[label] : undefined;
    return near !== undefined || this.far.size === 0 ? near : this.far.get(label)?.mention;
  }

  has(label: number): boolean { return this.document(label) !== undefined; }

  set(label: number, document: D, mention: M): void {
    // A far label stays in the map (the arrays may have grown past it since).
    if (this.far.has(label) || !this.isNear(label)) {
      if (!this.far.has(label)) this.count++;
      this.far.set(label, { document, mention });
      return;
    }
    while (this.docs.length <= label) { this.docs.push(undefined); this.mentions.push(undefined); }
    if (this.docs[label] === undefined) this.count++;
    this.docs[label] = document;
    this.mentions[label] = mention;
  }

  delete(label: number): void {
    if (this.far.delete(label)) {
      this.count--;
    } else if (label < this.docs.length && this.docs[label] !== undefined) {
      this.docs[label] = undefined;
      this.mentions[label] = undefined;
      this.count--;
      // Labels are never reused, so a store re-embedding the same paragraphs again and again (a
      // language server on a file being typed in) leaves the arrays mostly holes: once fewer than
      // a quarter of the slots are used, the labels move to the map, as far ones do.
      if (this.docs.length > MIN_GROWTH && this.count - this.far.size < this.docs.length / 4) this.moveToMap();
    }
  }

  private moveToMap(): void {
    for (let label = 0; label < this.docs.length; label++) {
      const document = this.docs[label];
      if (document !== undefined) this.far.set(label, { document, mention: this.mentions[label]! });
    }
    this.docs.length = 0;
    this.mentions.length = 0;
  }

  /** An array slot: a whole number no further past the end than doubling the arrays (or MIN_GROWTH) would reach. */
  private isNear(label: number): boolean {
    return Number.isInteger(label) && label >= 0 && label < this.docs.length + Math.max(MIN_GROWTH, this.docs.length);
  }
}
