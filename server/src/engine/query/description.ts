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

/** What `normalizeDescription` may ask of the encoder's vocabulary, where it has one. */
export interface QueryVocabulary {
  /** Whether the encoder has a vector for the word: "YouTube" stays whole. */
  isKnown(word: string): boolean;
  /** The word's frequency rank (0 = most frequent), −1 if unknown: glued words are split by it. */
  rank?(word: string): number;
}

/** Parts of a glued word are common words: past this rank are names, rare words and misspellings. */
const GLUED_PART_MAX_RANK = 50_000;
const GLUED_MAX_PARTS = 4;
/** Two-letter parts are function words ("bodiesofwater"): other letter pairs are abbreviations and syllables ("ku ber net es"). */
const GLUED_SHORT_WORDS = new Set(['of', 'in', 'on', 'at', 'to', 'by', 'an', 'or', 'as']);
/** Three-letter parts must be common words ("car", "art", "war"), not syllables. */
const GLUED_SHORT_PART_MAX_RANK = 10_000;
/** Each part costs log(rank + 1) plus this (log of ≈ 12): fewer, more frequent parts win, as in Zipf-cost word segmenters. */
const GLUED_PART_COST = Math.log(12);

/** A tag abbreviation at the end of a glued label, spelled out: "otherper" → "person". */
function gluedTag(part: string): string | undefined {
  return spelledOutTag(part.toUpperCase());
}

/**
 * The common words a lower-case word without a vector joins, the split whose parts are most
 * frequent: "bodiesofwater" → bodies, of, water; "sportsteam" → sports, team (not "sport steam").
 * The last part may be a tag abbreviation instead: "musicalgrp" → musical, grp.
 * Undefined where no split into 2–4 common words exists.
 */
export function splitGluedWord(word: string, rank: (part: string) => number): string[] | undefined {
  if (!/^[a-z]{5,40}$/.test(word)) return undefined;
  const n = word.length;
  const cost = new Array<number>(n + 1).fill(Infinity);
  const parts = new Array<number>(n + 1).fill(0);
  const from = new Array<number>(n + 1).fill(-1);
  cost[0] = 0;
  for (let i = 2; i <= n; i++) {
    for (let j = Math.max(0, i - 24); j <= i - 2; j++) {
      if (cost[j] === Infinity || parts[j] >= GLUED_MAX_PARTS || (j === 0 && i === n)) continue;
      const part = word.slice(j, i);
      if (part.length === 2 && !GLUED_SHORT_WORDS.has(part)) continue;
      // A tag abbreviation ends a glued label as it does an identifier ("otherper" as "OtherPER").
      const r = i === n && j > 0 && part.length >= 3 && gluedTag(part) !== undefined ? 0 : rank(part);
      if (r < 0 || r >= (part.length === 3 ? GLUED_SHORT_PART_MAX_RANK : GLUED_PART_MAX_RANK)) continue;
      const c = cost[j] + Math.log(r + 1) + GLUED_PART_COST;
      if (c < cost[i]) { cost[i] = c; parts[i] = parts[j] + 1; from[i] = j; }
    }
  }
  if (cost[n] === Infinity) return undefined;
  const out: string[] = [];
  for (let i = n; i > 0; i = from[i]) out.unshift(word.slice(from[i], i));
  return out;
}

/**
 * A type path as fine-grained typing schemes write one ("/location/body_of_water", "/person/artist"):
 * each segment is a kind of the one before, not an alternative to it, as "/" between words would
 * otherwise say ("city/town"), so the path is read as its labels joined like "location-body_of_water".
 */
const TYPE_PATH = /^\/([A-Za-z][\w-]*(?:\/[A-Za-z][\w-]*)+)\/?$/;

/** "product-other", "location/other": a dataset's catch-all label, read as "other product". */
const TRAILING_OTHER = /\b([A-Za-z]+)[-/]other\b/gi;

/** Lower→upper and UPPER→Upper-lower boundaries: "CarManufacturer", "OtherPER", "HTMLParser". */
const IDENTIFIER_PART = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/** Two to four capital letters each followed by a dot, as a word of its own ("U.S.", "U.S.A."). */
const DOTTED_INITIALISM = /(?<![\p{L}\p{N}.])(?:\p{Lu}\.){2,4}(?![\p{L}\p{N}])/gu;

/** Ordinal words, first to twenty-first (the word vectors have "nineteenth", not "19th"). */
export const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth',
  'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth', 'twenty-first'];

/**
 * The description a type query is embedded and looked up as: a leading "names of" or "types of"
 * dropped, underscores as spaces, a mixed-case identifier split into its lower-cased words, tag
 * abbreviations spelled out, a type path's segments joined ("/person/artist" → "person-artist"), a
 * trailing "-other" read as a leading "other", an ordinal numeral as its word ("19th" →
 * "nineteenth"), an initialism's dots dropped ("U.S." → "US"). With the encoder's
 * vocabulary (where it has one) a known word such as "YouTube" stays whole and a lower-case word
 * it does not know is read as the common words it glues together ("sportsteam" → "sports team").
 */
export function normalizeDescription(query: string, vocabulary?: QueryVocabulary): string {
  const whole = spelledOutTag(query.trim());
  if (whole) return whole;
  let rest = query.trim().replace(TYPE_PATH, (_, path: string) => path.split('/').join('-'));
  for (let m = KIND_PREFIX.exec(rest); m; m = KIND_PREFIX.exec(rest)) rest = rest.slice(m[0].length);
  return rest
    .replace(/_+/g, ' ')
    // "19th-century" → "nineteenth-century": the word vectors know the word, not the numeral.
    .replace(/(?<![\p{L}\p{N}])(\d{1,2})(?:st|nd|rd|th)(?![\p{L}\p{N}])/giu, (numeral, n: string) => ORDINALS[Number(n) - 1] ?? numeral)
    .replace(TRAILING_OTHER, (_, label: string) => `other ${label}`)
    // "U.S. state", "U.K. band": an initialism written with dots is its letters, as "US", "UK" (the
    // word split at its dots is letters no vocabulary knows, and no WordNet reading).
    .replace(DOTTED_INITIALISM, (initialism) => initialism.replace(/\./g, ''))
    .replace(/[A-Za-z][A-Za-z0-9]*/g, (word) => {
      const abbreviation = spelledOutTag(word);
      if (abbreviation) return abbreviation;
      if (vocabulary?.rank && /^[a-z]+$/.test(word) && !vocabulary.isKnown(word)) {
        const parts = splitGluedWord(word, vocabulary.rank);
        if (!parts) return word;
        const tag = gluedTag(parts[parts.length - 1]);
        if (tag) parts[parts.length - 1] = tag;
        return parts.join(' ');
      }
      if (!/[a-z][A-Z]|[A-Z]{2}[a-z]/.test(word) || vocabulary?.isKnown(word)) return word;
      const parts = word.match(IDENTIFIER_PART) ?? [word];
      // "McDonald", "iPhone", "eBay": a short lower-case start is a name's spelling, not a joined
      // word ("BodyOfWater" and "TVShow" are split).
      if (parts[0].length < 3 && /[a-z]/.test(parts[0])) return word;
      return parts.map((part) => spelledOutTag(part) ?? part.toLowerCase()).join(' ');
    })
    .replace(/\s+/g, ' ')
    .trim();
}
