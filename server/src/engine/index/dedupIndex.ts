// Mentions with identical vectors share one HNSW node. The same sentence indexed twice (a copied
// note, a footer or template in every file) gives bit-identical mention vectors; as separate
// nodes, dozens of copies fill each other's neighbour lists (distance 0) and become a clique
// the graph search can neither leave nor reach: on a 1M-mention store where sentences recurred
// ~50×, recall@10 fell to 0.94 and some type queries found none of their true top 10
// (docs/benchmarks.md). One node per distinct vector also saves the inserts.
//
// The first mention with a vector is the node (its label is the HNSW label); later ones are
// aliases of it. A node stays while any of its mentions does, even after its own mention is gone.
//
// Name groups: the mentions of one name in one document (a put's `addGroup`) mostly say the same
// thing (median cosine to their mean 0.97 on real documentation), and sharing one node saves
// inserts, which bound indexing. The node holds the group's mean direction and serves only to
// find the group; each member keeps its own vector (`own`), and search scores every member with
// it, so scores are exact. A member less close to the mean than GROUP_MIN_COSINE gets a node of
// its own, so that the mean stays a good proxy: on 53.6 MB of documentation, 0.95 leaves 169k
// nodes for 278k distinct vectors at recall@10 0.983, where 0.90 left 127k at 0.964 (without
// groups: 277k nodes, 0.990; docs/benchmarks.md, "Twenty-sixth session").
import { defaultEf, type VectorIndex } from './vectorIndex.ts';
import { dot } from '../vectorMath.ts';

/** A name's mention joins its group's shared node only this close to the group's mean direction. */
export const GROUP_MIN_COSINE = 0.95;

/** FNV-1a over the vector's bytes: equal vectors, equal hash (a match is then verified). */
/** Stale hash and group entries tolerated beyond twice the nodes before they are dropped (amortised: one listing of the index per this many removals at least). */
const STALE_SLACK = 4096;

function hashVector(v: Float32Array): number {
  const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h & 0x3fffffff; // 30 bits: a small integer for V8, so a million keys stay compact
}

/** Same direction to float precision (the index stores unit vectors; an incoming one may not be). */
function sameDirection(stored: Float32Array, v: Float32Array): boolean {
  let dot = 0, norm = 0;
  for (let i = 0; i < v.length; i++) { dot += stored[i] * v[i]; norm += v[i] * v[i]; }
  return norm > 0 && dot / Math.sqrt(norm) >= 1 - 1e-6;
}

function unitCopy(v: Float32Array): Float32Array {
  const n = Math.sqrt(dot(v, v));
  const out = new Float32Array(v.length);
  if (n > 0) for (let i = 0; i < v.length; i++) out[i] = v[i] / n;
  return out;
}

/** The unit mean of unit vectors. */
function meanDirection(vectors: readonly Float32Array[]): Float32Array {
  const sum = new Float32Array(vectors[0].length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) sum[i] += v[i];
  return unitCopy(sum);
}

export class DedupIndex {
  /** alias label → node label */
  private readonly nodeOf = new Map<number, number>();
  /** node label → its alias labels (only nodes that have some) */
  private readonly aliasesOf = new Map<number, Set<number>>();
  /** Nodes whose own mention was removed while aliases remain. */
  private readonly ownGone = new Set<number>();
  /**
   * vector hash → node. Saved with each snapshot (`hashes()`, `restoreHashesLater()`), so a copy
   * indexed in a later run still finds its node without rehashing every stored vector at open.
   * (Nodes from snapshots written before hashes were saved have none: a later copy of one gets a
   * node of its own, once.) Entries may be stale; they are verified on use.
   */
  private readonly byHash = new Map<number, number>();
  /**
   * A snapshot's hash records, parsed on first use (a writer's first insert or next snapshot):
   * at a million nodes they cost ≈ 0.75 s, which every writable open used to pay up front.
   */
  private pendingHashes: (() => Iterable<[number, number]>) | undefined;
  /** Unit vectors of the mentions whose node holds another direction (members of a name group). */
  private readonly own = new Map<number, Float32Array>();
  /** Nodes that some mention with a vector of its own shares (may include nodes since removed, up to dropStaleEntries). */
  private readonly groupNodes = new Set<number>();

  constructor(readonly vectors: VectorIndex) {}

  /**
   * Adds the mentions of one name in one document: those close to the group's mean share one node
   * holding the mean (module comment); the others, and a group of one, are added as by `add`.
   */
  addGroup(members: ReadonlyArray<readonly [number, Float32Array]>): void {
    if (members.length < 2) {
      for (const [label, v] of members) this.add(label, v);
      return;
    }
    for (const [label] of members) if (this.nodeOf.has(label) || this.aliasesOf.has(label)) throw new Error(`DedupIndex: label ${label} is already indexed and shared`);
    const all = members.map(([label, v]) => ({ label, v, unit: unitCopy(v) }));
    let mean = meanDirection(all.map((m) => m.unit));
    const group: typeof all = [];
    const far: typeof all = [];
    for (const m of all) (dot(m.unit, mean) >= GROUP_MIN_COSINE ? group : far).push(m);
    if (far.length) {
      for (const m of far) this.add(m.label, m.v);
      if (group.length < 2) {
        for (const m of group) this.add(m.label, m.v);
        return;
      }
      mean = meanDirection(group.map((m) => m.unit));
    }
    // A copy of a document makes the same groups: its members join the node its original made.
    const h = hashVector(mean);
    let node = this.hashTable().get(h);
    const stored = node !== undefined && !this.nodeOf.has(node) ? this.vectors.vector(node) : undefined;
    if (node === undefined || !stored || !sameDirection(stored, mean)) {
      node = group[0].label;
      this.vectors.add(node, mean);
      this.byHash.set(h, node);
    }
    for (const m of group) {
      if (m.label !== node) this.link(m.label, node);
      if (!sameDirection(mean, m.unit)) this.own.set(m.label, m.unit);
    }
    this.groupNodes.add(node);
  }

  /** Adds a mention's vector: a new node, or an alias of the node that has the same vector. */
  add(label: number, vector: Float32Array): void {
    if (this.nodeOf.has(label) || this.aliasesOf.has(label)) throw new Error(`DedupIndex: label ${label} is already indexed and shared`);
    const h = hashVector(vector);
    const node = this.hashTable().get(h);
    // vector() is undefined for a deleted node; an alias is never a node.
    if (node !== undefined && node !== label && !this.nodeOf.has(node)) {
      const stored = this.vectors.vector(node);
      if (stored && sameDirection(stored, vector)) {
        this.link(label, node);
        return;
      }
    }
    this.vectors.add(label, vector);
    this.byHash.set(h, label);
  }

  /** Removes a mention; its node goes only when no mention uses it any more. */
  remove(label: number): void {
    this.own.delete(label);
    const node = this.nodeOf.get(label);
    if (node !== undefined) {
      this.nodeOf.delete(label);
      const set = this.aliasesOf.get(node)!;
      set.delete(label);
      if (set.size === 0) {
        this.aliasesOf.delete(node);
        if (this.ownGone.delete(node)) this.vectors.remove(node);
      }
      return;
    }
    if (this.aliasesOf.has(label)) this.ownGone.add(label);
    else this.vectors.remove(label);
    // Removed nodes leave their hash and group entries behind (verified on use, so harmless but
    // for memory): a server re-embedding a paragraph per keystroke all day would keep them all.
    if ((this.pendingHashes ? 0 : this.byHash.size) + this.groupNodes.size > 2 * this.vectors.size + STALE_SLACK) this.dropStaleEntries();
  }

  /** Forgets hash and group entries of nodes no longer in the index. */
  private dropStaleEntries(): void {
    const live = liveTest(this.vectors.labels());
    if (!this.pendingHashes) for (const [h, node] of this.byHash) if (this.nodeOf.has(node) || !live(node)) this.byHash.delete(h);
    for (const node of this.groupNodes) if (!live(node)) this.groupNodes.delete(node);
  }

  /** The HNSW label holding this mention's vector. */
  nodeFor(label: number): number { return this.nodeOf.get(label) ?? label; }

  vector(label: number): Float32Array | undefined {
    if (this.ownGone.has(label)) return undefined;
    return this.own.get(label) ?? this.vectors.vector(this.nodeFor(label));
  }

  /**
   * The k best mentions: the nearest nodes, each expanded into its mentions, kept when `live`
   * says so (the store hides mentions of a document still being written). A mention scores as
   * its node, or by its own vector where it has one (a name group's member). With such members
   * about, every node of the search beam (ef) is expanded and rescored, since a member can score
   * above its node: on real documentation recall@10 was 0.947 taking 10·k nodes and 0.983 taking
   * the beam (0.990 without groups; docs/benchmarks.md, "Twenty-sixth session").
   */
  search(vector: Float32Array, k: number, ef: number | undefined, live: (label: number) => boolean): Array<{ label: number; score: number }> {
    // The beam grows with the mentions, not the graph's nodes: a name group's node stands for
    // several mentions that the beam has to reach (a 226k-mention store of 121k nodes had recall@10
    // 0.972 with the nodes' beam, 0.990 with this one).
    const beam = ef ?? defaultEf(this.mentionCount);
    if (this.own.size > 0) return this.searchGrouped(vector, k, beam, live);
    const out: Array<{ label: number; score: number }> = [];
    for (const hit of this.vectors.search(vector, k, beam)) {
      if (!this.ownGone.has(hit.label) && live(hit.label)) out.push(hit);
      for (const alias of this.aliasesOf.get(hit.label) ?? []) if (live(alias)) out.push({ label: alias, score: hit.score });
      if (out.length >= k) break;
    }
    return out.length > k ? out.slice(0, k) : out;
  }

  /**
   * search() where name groups exist: the whole beam, each mention scored by its own vector where
   * it has one, the best k kept in a heap. A node without group members scores exactly, and the
   * beam comes best first, so such a node below the k-th best so far is skipped unexpanded.
   */
  private searchGrouped(vector: Float32Array, k: number, ef: number, live: (label: number) => boolean): Array<{ label: number; score: number }> {
    const best = new TopK(k);
    const consider = (label: number, score: number) => {
      if (best.full && score <= best.min) return;
      if (live(label)) best.push(label, score);
    };
    for (const hit of this.vectors.search(vector, Math.max(k, ef), ef)) {
      const group = this.groupNodes.has(hit.label);
      if (!group && best.full && hit.score <= best.min) continue;
      if (!this.ownGone.has(hit.label)) consider(hit.label, group ? this.scoreOf(hit.label, hit.score, vector) : hit.score);
      const aliases = this.aliasesOf.get(hit.label);
      if (aliases) for (const alias of aliases) consider(alias, group ? this.scoreOf(alias, hit.score, vector) : hit.score);
    }
    return best.sorted();
  }

  private scoreOf(label: number, nodeScore: number, query: Float32Array): number {
    const v = this.own.get(label);
    return v ? dot(v, query) : nodeScore;
  }

  /** [label, unit vector] of every mention that has a vector of its own (a snapshot's vectors file). */
  ownVectors(): IterableIterator<[number, Float32Array]> { return this.own.entries(); }

  /** Restores a snapshot's own vectors (after its aliases); each must be a stored mention's. */
  restoreOwnVectors(entries: Iterable<[number, Float32Array]>, stored: (label: number) => boolean): void {
    for (const [label, v] of entries) {
      if (!stored(label)) throw new Error(`vector of unknown mention ${label}`);
      this.own.set(label, v);
      this.groupNodes.add(this.nodeFor(label));
    }
  }

  /** Mentions (not nodes) in the index. */
  get mentionCount(): number { return this.vectors.size - this.ownGone.size + this.nodeOf.size; }

  /** [alias, node] pairs, for a snapshot. */
  *aliases(): Generator<[number, number]> { yield* this.nodeOf; }

  /** Restores a snapshot's aliases; `own` says whether a node's own mention is still stored. */
  restoreAliases(pairs: Iterable<[number, number]>, own: (node: number) => boolean): void {
    let live: ((node: number) => boolean) | undefined; // one listing of the index, not a vector read per node
    for (const [label, node] of pairs) {
      if (this.nodeOf.has(node) || label === node) throw new Error(`alias ${label} of ${node}, which is not a node`);
      live ??= liveTest(this.vectors.labels());
      if (!live(node)) throw new Error(`alias ${label} of node ${node}, which is not in the index`);
      this.link(label, node);
    }
    for (const node of this.aliasesOf.keys()) if (!own(node)) this.ownGone.add(node);
  }

  /** [hash, node] of every live node with a known hash, for a snapshot. */
  *hashes(): Generator<[number, number]> {
    // No vector read per node (a snapshot of a million nodes runs this): a stale entry that slips
    // through is harmless, entries are verified on use.
    for (const [h, node] of this.hashTable()) if (!this.nodeOf.has(node) && !this.vectors.isDeleted(node)) yield [h, node];
  }

  /**
   * Restores a snapshot's hashes (verified when a copy claims one, like any other entry); `load`
   * runs only when they are first needed.
   */
  restoreHashesLater(load: () => Iterable<[number, number]>): void {
    this.hashTable();
    this.pendingHashes = load;
  }

  private hashTable(): Map<number, number> {
    const load = this.pendingHashes;
    if (load) {
      this.pendingHashes = undefined;
      for (const [h, node] of load()) this.byHash.set(h, node);
    }
    return this.byHash;
  }

  /** Removes index entries that no stored mention uses (a snapshot written by an older version, a crash). */
  dropOrphans(stored: (label: number) => boolean): void {
    for (const l of this.vectors.labels()) if (!stored(l) && !this.aliasesOf.has(l)) this.vectors.remove(l);
  }

  private link(alias: number, node: number): void {
    this.nodeOf.set(alias, node);
    let set = this.aliasesOf.get(node);
    if (!set) this.aliasesOf.set(node, (set = new Set()));
    set.add(alias);
  }
}

/**
 * Membership in a list of labels: a bitmap where they are dense (a store's labels are handed out
 * in order; a Set of a million numbers took ≈ 0.4 s to build when a store opened), else a Set.
 */
function liveTest(labels: number[]): (label: number) => boolean {
  let max = -1;
  for (const l of labels) if (Number.isInteger(l) && l > max) max = l;
  if (max >= 64 * labels.length + (1 << 20) || labels.some((l) => !Number.isInteger(l) || l < 0)) {
    const set = new Set(labels);
    return (label) => set.has(label);
  }
  const bits = new Uint8Array(max + 1);
  for (const l of labels) bits[l] = 1;
  return (label) => Number.isInteger(label) && label >= 0 && label <= max && bits[label] === 1;
}

/** The k best (label, score) pairs seen: a min-heap on score. */
class TopK {
  private readonly labels: number[] = [];
  private readonly scores: number[] = [];
  constructor(private readonly k: number) {}

  get full(): boolean { return this.scores.length >= this.k; }
  get min(): number { return this.scores[0]; }

  push(label: number, score: number): void {
    const { labels, scores } = this;
    if (scores.length < this.k) {
      let i = scores.length;
      labels.push(label);
      scores.push(score);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (scores[parent] <= score) break;
        labels[i] = labels[parent]; scores[i] = scores[parent];
        i = parent;
      }
      labels[i] = label; scores[i] = score;
      return;
    }
    if (score <= scores[0]) return;
    // Replace the root and sift down.
    const n = scores.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && scores[l + 1] < scores[l] ? l + 1 : l;
      if (scores[c] >= score) break;
      labels[i] = labels[c]; scores[i] = scores[c];
      i = c;
    }
    labels[i] = label; scores[i] = score;
  }

  /** Best first. */
  sorted(): Array<{ label: number; score: number }> {
    const out = this.labels.map((label, i) => ({ label, score: this.scores[i] }));
    return out.sort((a, b) => b.score - a.score);
  }
}
