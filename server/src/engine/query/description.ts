// Type queries as people and datasets write them: "car manufacturer", but also "CarManufacturer",
// "sports_team", "OtherPER", "ORG" or "names of rivers". The encoders embed words and WordNet knows
// words, so an identifier-style label is read as the words it joins, the conventional NER tag
// abbreviations as what they stand for, and a leading kind phrase is dropped. A plain description
// passes through unchanged. The word lists here also tell WordNet expansion where a description's
// head noun ends ("rivers in Europe": encode/queryExpansion.ts).

/**
 * The abbreviated labels of the common NER schemes (CoNLL-2003, OntoNotes 5, MultiCoNER), spelled
 * out as their annotation guidelines define them (OntoNotes: GPE "countries, cities, states").
 * In a query they are matched only as written, in capitals: "per" and "org" are English words.
 */
export const TAG_ABBREVIATIONS: Readonly<Record<string, string>> = {
  PER: 'person',
  PERS: 'person',
  LOC: 'location',
  ORG: 'organization',
  MISC: 'miscellaneous name',
  GPE: 'country, city or state',
  NORP: 'nationality, religious or political group',
  FAC: 'facility',
  WORK_OF_ART: 'work of art',
  PROD: 'product',
  GRP: 'group',
  CORP: 'corporation',
  EVT: 'event',
};

/** What a tag abbreviation stands for (own keys only: "constructor" is a word, not a tag). */
export function spelledOutTag(tag: string): string | undefined {
  return Object.hasOwn(TAG_ABBREVIATIONS, tag) ? TAG_ABBREVIATIONS[tag] : undefined;
}

/**
 * Words after a description's head noun that start what modifies it: prepositions, relative words
 * and the participles of "people born in …", "companies based in …".
 */
export const POST_MODIFIERS = new Set([ // '(' stands for a parenthetical (descriptionWords)
  'in', 'on', 'at', 'from', 'for', 'with', 'without', 'by', 'near', 'around', 'across', 'along', 'inside', 'outside',
  'within', 'under', 'over', 'between', 'among', 'about', 'against', 'into', 'through', 'throughout', 'beyond', 'via',
  'like', 'such', 'including', 'of', 'to', '(',
  'that', 'which', 'who', 'whom', 'whose', 'where', 'when',
  'born', 'based', 'located', 'founded', 'made', 'named', 'called', 'known', 'owned', 'headquartered',
]);

/** Nouns that name a sort of thing rather than the type: "types of rivers" is about rivers. */
export const KIND_WORDS = new Set(['kind', 'kinds', 'type', 'types', 'sort', 'sorts', 'name', 'names', 'example', 'examples', 'variety', 'varieties', 'list']);

/** "names of rivers", "types of cheese", "a list of companies": the type is what follows. */
const KIND_PREFIX = new RegExp(`^(?:(?:an?|the|some)\\s+)?(?:${[...KIND_WORDS].join('|')})\\s+of\\s+(?=\\S)`, 'i');

/** Lower→upper and UPPER→Upper-lower boundaries: "CarManufacturer", "OtherPER", "HTMLParser". */
const IDENTIFIER_PART = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/**
 * The description a type query is embedded and looked up as: a leading "names of" or "types of"
 * dropped, underscores as spaces, a mixed-case identifier split into its lower-cased words, tag
 * abbreviations spelled out. `isKnown` (the encoder's vocabulary, where it has one) keeps a known
 * word such as "YouTube" whole.
 */
export function normalizeDescription(query: string, isKnown?: (word: string) => boolean): string {
  const whole = spelledOutTag(query.trim());
  if (whole) return whole;
  let rest = query.trim();
  for (let m = KIND_PREFIX.exec(rest); m; m = KIND_PREFIX.exec(rest)) rest = rest.slice(m[0].length);
  return rest
    .replace(/_+/g, ' ')
    .replace(/[A-Za-z][A-Za-z0-9]*/g, (word) => {
      const abbreviation = spelledOutTag(word);
      if (abbreviation) return abbreviation;
      if (!/[a-z][A-Z]|[A-Z]{2}[a-z]/.test(word) || isKnown?.(word)) return word;
      const parts = word.match(IDENTIFIER_PART) ?? [word];
      // "McDonald", "iPhone", "eBay": a short lower-case start is a name's spelling, not a joined
      // word ("BodyOfWater" and "TVShow" are split).
      if (parts[0].length < 3 && /[a-z]/.test(parts[0])) return word;
      return parts.map((part) => spelledOutTag(part) ?? part.toLowerCase()).join(' ');
    })
    .replace(/\s+/g, ' ')
    .trim();
}
