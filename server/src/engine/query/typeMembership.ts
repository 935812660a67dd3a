// WordNet as evidence for a type query, beside the vectors: a mention whose text WordNet lists as
// a noun below the sense the query names ("Danube" is an instance of river, "Zürich" of city,
// "cerebral cortex" a kind of body part) gets its score raised. Word vectors place a name by its
// neighbours in text; WordNet states what it is. Nothing is type-specific: any description whose
// words WordNet knows gets the same rule, others get no boost.
//
// The fraction is over the mention's noun senses ("Jordan": country, river, person, … → a share
// for "river"), so an ambiguous name gets part of the boost. A name of several words WordNet does
// not know is read by its head noun where that is a common noun: "Vltava River" is a river,
// "Museum of Lost Things" a museum, whatever the name itself. The boost closes a share of the gap
// to 1 (score + w·f·(1 − score)): it keeps the order of non-members and scores ≤ 1, the scale the
// highlight and inlay-hint thresholds use.
//
// Three readings keep the test to members: a word in capitals is an acronym ("ARP" is no Arp)
// unless WordNet writes it so ("NATO"); a role word is no person ("Author"), nor a name that ends
// in one ("Dallas Cowboys"); and a mention that names the type itself or a broader kind
// ("License" for "open source license") is lowered instead of raised.
import { foldDiacritics, STOPWORDS } from '../encode/features.ts';
import { detachedForms, WordnetExpander, type SenseVectors, type TypeRestriction } from '../encode/queryExpansion.ts';
import type { TypeMembership } from '../types.ts';

/** Chosen on the validation draws (docs/zero-shot.md, "Seventeenth session"). */
export const DEFAULT_MEMBERSHIP_WEIGHT = 0.4;

/** Distinct mention texts whose senses are remembered (a store of a million mentions has fewer). */
const MAX_CACHED_TEXTS = 200_000;

/** Descriptions whose membership tests are remembered. */
const MAX_CACHED_DESCRIPTIONS = 256;

export function boostedScore(score: number, membership: TypeMembership | undefined, mentionText: string): number {
  if (!membership) return score;
  // The type's own name is no member of it: a heading's "Formats", the "License" of licence
  // boilerplate or a config key "browser" share the query's very words, and would outrank
  // every real member. Lowered by the boost's weight, toward −1, keeping their order.
  if (membership.namesType?.(mentionText)) return score - membership.weight * (1 + score);
  const f = membership.fraction(mentionText);
  return f > 0 ? score + membership.weight * f * Math.max(0, 1 - score) : score;
}

/** One word in capitals, with at least two letters: "ARP", "UNIX", "MP3" (not "I", "A" or "X11"). */
const ACRONYM = /^(?=(?:\P{L}*\p{Lu}){2})[\p{Lu}\p{N}]+$/u;

/** A mention that starts with its own article ("The Band"; a detector leaves "the" out of "the License"). */
const LEADING_ARTICLE = /^the\s/i;

/** A text's words as WordNet spells them: lower case, diacritics folded, a possessive "'s" dropped. */
function spokenWords(text: string): string[] {
  return foldDiacritics(text.toLowerCase()).replace(/['’]s$/, '').trim().split(/\s+/).filter(Boolean);
}

/** The words of a text that say something (lower case, folded; no function words, no punctuation). */
function contentWords(text: string): string[] {
  return foldDiacritics(text.toLowerCase()).split(/[^\p{L}\p{N}]+/u).filter((w) => w && !STOPWORDS.has(w));
}

/**
 * WordNet's noun senses of a mention text: its own ('text'), its head noun's ('head': "Vltava
 * River"), or a kind's before a name WordNet does not know ('kind': "Mount Xqzvw").
 */
interface TextSenses { senses: string[]; via: 'text' | 'head' | 'kind' }

export class WordnetTypeMembership {
  private static instance: WordnetTypeMembership | undefined;
  private readonly textSenses = new Map<string, TextSenses | null>();

  private constructor(private readonly wordnet: WordnetExpander) {}

  static load(): WordnetTypeMembership {
    return (WordnetTypeMembership.instance ??= new WordnetTypeMembership(WordnetExpander.load()));
  }

  /** The membership test of a description, or undefined when WordNet knows none of its alternatives. */
  forDescription(description: string, weight = DEFAULT_MEMBERSHIP_WEIGHT, vectors?: SenseVectors): TypeMembership | undefined {
    if (!(weight > 0)) return undefined;
    // Remembered: a search reads it for its message and again for its ranking.
    const key = `${weight}${vectors ? ' v' : ''} ${description}`;
    if (this.tests.has(key)) return this.tests.get(key);
    const restrictions = this.wordnet.typeRestrictions(description, vectors);
    const restriction = restrictions.length ? this.describeRestrictions(restrictions) : undefined;
    const namesType = this.typeNameTest(description, restrictions);
    const test: TypeMembership | undefined = restrictions.length || namesType
      ? {
        weight,
        fraction: restrictions.length ? (text) => this.fraction(restrictions, text) : () => 0,
        ...(namesType ? { namesType } : {}),
        ...(restriction ? { restriction } : {}),
      }
      : undefined;
    if (this.tests.size >= MAX_CACHED_DESCRIPTIONS) this.tests.clear();
    this.tests.set(key, test);
    return test;
  }

  private readonly tests = new Map<string, TypeMembership | undefined>();

  /**
   * Share of the noun senses of `text` (`senses`: its own, or its head noun's) that lie below one
   * of the types (0 when WordNet knows neither). A type restricted to places ("European river") counts a sense WordNet places
   * elsewhere (Mississippi: part of the United States) as no member; a sense WordNet places
   * nowhere (no part holonym) still counts, as it did before the modifier was read.
   */
  fraction(restrictions: readonly TypeRestriction[], text: string): number {
    const found = this.reading(text);
    if (!found) return 0;
    const { senses, via } = found;
    let below = 0;
    for (const s of senses) {
      // A person is named: a role word alone ("Author", "Commander") is no mention of one, nor is a
      // name that ends in one ("Dallas Cowboys", "Beastie Boys": a team, a band; "Will Deacon" is
      // no deacon). A role before a name ("President Xqz") is.
      if (via !== 'kind' && this.wordnet.isKindOfPerson(s)) continue;
      const up = this.wordnet.ancestors(s);
      if (restrictions.some((r) => up.has(r.type) && this.wordnet.admits(s, r, false))) below++;
    }
    return below / senses.length;
  }

  /**
   * The test of whether a mention names the type rather than a member: its words are all words
   * of the description ("Text", "Editor" for "text editor"; plurals too), or WordNet reads it as
   * a type sense of the query or a sense above one ("Browsers" for "web browser", "Language" for
   * "programming language"). Only for a description about a kind of thing, whose last word is a
   * common noun: a query that names one thing ("Unix", "Kubernetes") matches its mentions; and not
   * for a mention that starts with "the", a title ("The Band" is a band).
   */
  private typeNameTest(description: string, restrictions: readonly TypeRestriction[]): ((text: string) => boolean) | undefined {
    const words = contentWords(description);
    const head = words[words.length - 1];
    if (!head || !this.wordnet.mostlyCommonNoun(head)) return undefined;
    const own = new Set(words.flatMap((w) => [w, ...detachedForms(w)]));
    const kinds = restrictions.filter((r) => this.wordnet.isKind(r.type));
    const above = new Set<string>();
    for (const r of kinds) for (const a of this.wordnet.ancestors(r.type)) above.add(a);
    const memo = new Map<string, boolean>();
    return (text) => {
      let found = memo.get(text);
      if (found !== undefined) return found;
      const mention = contentWords(text);
      // A name whose article is part of it is a title, whatever its words: "The Band", "The Who".
      found = mention.length > 0 && !LEADING_ARTICLE.test(text) && (
        mention.every((w) => own.has(w) || detachedForms(w).some((b) => own.has(b)))
        || (this.ownSenses(text)?.some((s) => above.has(s)) ?? false));
      if (memo.size >= MAX_CACHED_TEXTS) memo.clear();
      memo.set(text, found);
      return found;
    };
  }

  /** "in Europe", "in Italy, active 1801–1900": the places and years of the restrictions, if any. */
  private describeRestrictions(restrictions: readonly TypeRestriction[]): string | undefined {
    const parts = new Set<string>();
    const year = (y: number) => (y < 0 ? `${-y} BC` : String(y));
    for (const r of restrictions) {
      // Two senses may share a name (Japan the islands, Japan the state): said once.
      const where = [...new Set(r.places.map((p) => this.wordnet.placeName(p)))].join(' or ');
      const when = r.years ? `active ${year(r.years[0])}–${year(r.years[1])}` : '';
      const both = [where && `in ${where}`, when].filter(Boolean).join(', ');
      if (both) parts.add(both);
    }
    return parts.size ? [...parts].join('; ') : undefined;
  }

  /**
   * WordNet noun senses that say what a mention is: those of its text (lower case, diacritics
   * folded: "Zürich" → zurich, as WordNet spells it; a possessive "'s" dropped; plural last words
   * reduced by morphy), or, for a name of two or more words WordNet does not know, those of the
   * noun that says what it is (`headSenses`).
   */
  senses(text: string): string[] | undefined {
    return this.reading(text)?.senses;
  }

  /** `senses`, and whose they are. */
  private reading(text: string): TextSenses | undefined {
    // Cached by the text as written: search tests thousands of candidates per query.
    const cached = this.textSenses.get(text);
    if (cached !== undefined) return cached ?? undefined;
    const own = this.acronymSenses(text) ?? this.ownSenses(text);
    const found: TextSenses | undefined = own ? (own.length ? { senses: own, via: 'text' } : undefined) : this.headSenses(spokenWords(text).join(' '));
    if (this.textSenses.size >= MAX_CACHED_TEXTS) this.textSenses.clear();
    this.textSenses.set(text, found ?? null);
    return found;
  }

  /**
   * A word written all in capitals ("ARP", "BLAKE", "DAMON") is an acronym in docs and notes, not
   * the name WordNet spells the same way in lower case (the artist Arp, the poet Blake): only the
   * senses WordNet itself writes in capitals count ("NATO", "UNIX", "USA"). Undefined for other
   * texts; an empty list for an acronym WordNet does not know.
   */
  private acronymSenses(text: string): string[] | undefined {
    if (!ACRONYM.test(text)) return undefined;
    const word = text.toLowerCase();
    return (this.wordnet.senses(word) ?? []).filter((s) => this.wordnet.writesInCapitals(s, word));
  }

  /** WordNet's senses of the text itself, a leading article aside ("the Beatles", "The Hague"); not its head noun's. */
  private ownSenses(text: string): string[] | undefined {
    const words = spokenWords(text);
    return (words.length ? this.wordnet.nounSenses(words) : undefined)
      ?? (words.length > 1 && words[0] === 'the' ? this.wordnet.nounSenses(words.slice(1)) : undefined);
  }

  /**
   * Senses of the noun that says what a name of two or more words is (lower case, folded): its
   * head — the word before the first "of" ("university of padua", "museum of lost things"), else
   * the last word ("vltava river", "gluteus maximus muscle") — where WordNet writes that mostly as
   * a common noun; where the head is a word WordNet does not know at all (a name: "tahoe"), the
   * first word, a kind before a name ("mount tahoe", "president xqz"). A head written mostly as a name
   * ("miles davis", "microsoft windows") says nothing.
   */
  private headSenses(folded: string): TextSenses | undefined {
    const words = folded.split(/[^a-z0-9&.-]+/).filter(Boolean);
    if (words.length < 2) return undefined;
    const of = words.indexOf('of');
    const head = of > 0 ? words[of - 1] : words[words.length - 1];
    const found = (senses: string[] | undefined, via: TextSenses['via']) => (senses ? { senses, via } : undefined);
    if (this.wordnet.mostlyCommonNoun(head)) return found(this.wordnet.nounSenses([head]), 'head');
    // Only before a word that looks like a name: not "Apple Inc.", where the unknown word is an abbreviation.
    if (/^[a-z][a-z'-]*$/.test(head) && !this.wordnet.nounSenses([head]) && this.wordnet.mostlyCommonNoun(words[0])) return found(this.wordnet.nounSenses([words[0]]), 'kind');
    return undefined;
  }
}
