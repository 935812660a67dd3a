// "Ask Grace Hopper about COBOL.", "Call Smith at Mayo Clinic.", "Visit Paris in May.": notes and
// to-do lists open sentences with a verb in the imperative, capitalised by its position, and the
// tagger, which reads a capital at a sentence start as weak evidence either way, joins the verb to
// the name after it ("Ask Grace Hopper", "Tell Bob"). The verbs (models/detector/imperative-
// openers.txt) are built from WordNet by scripts/imperative-openers.ts, leaving out those that
// also open names ("Mark", "Book", "Order"); a span they open whose next word makes it a subject
// ("Cook Islands are …", "Kill Bill is …") is a name and keeps its first word.
//
// Diaries and logs leave out the subject of a past tense the same way ("Saw Eddystone on the
// horizon", "Took Leo to the match", "Flew Widerøe to Tromsø"): an irregular verb's simple past
// (models/detector/past-tense-openers.txt, built by scripts/past-tense-openers.ts; "saw", "took",
// "flew", not participles such as "met" or "left", which open names: "Met Office", "Left Bank") is
// cut from the name after it as an imperative is. It is no imperative otherwise (`opens`, `has`).
import { createHash } from 'node:crypto';
import { readListFile, wordSetOf } from './listFile.ts';
import { FUNCTION_WORDS } from '../functionWords.ts';
import { readIndex } from '../wordnet.ts';
import { stemsOf } from './wordClasses.ts';
import type { Token } from './tokenize.ts';
import { firstWordIndex } from './listMarkers.ts';
import type { OffsetSpan } from '../types.ts';

/** Words after a subject, not after an imperative's object ("Cook Islands are", "Kill Bill was"). */
const AFTER_SUBJECT = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'has', 'have', 'had', 'will', 'would', 'can', 'could', 'shall', 'should', 'may', 'might', 'must', 'does', 'did', 'do', 'says', 'said']);

let verbLemmas: ReadonlySet<string> | undefined;
let adjectivesAndNouns: ReadonlySet<string> | undefined;

/**
 * A regular simple past ("started", "played", "visited"): "-ed" on a WordNet verb, and no WordNet
 * adjective or noun of its own, as participles that open names are ("United", "Advanced",
 * "Selected", "Spirited"; "Red", "Creed").
 */
export function isRegularPastTense(lower: string): boolean {
  if (!/^\p{Ll}{3,}ed$/u.test(lower)) return false;
  verbLemmas ??= new Set(readIndex('verb').keys());
  adjectivesAndNouns ??= new Set([...readIndex('adj').keys(), ...readIndex('noun').keys()]);
  if (adjectivesAndNouns.has(lower)) return false;
  const stem = lower.slice(0, -2);
  return [stem, `${stem}e`, stem.replace(/(\p{Ll})\1$/u, '$1'), stem.replace(/i$/, 'y')].some((s) => verbLemmas!.has(s));
}
/** A lower-case verb form ("play", "plays", "played"; WordNet's verbs with naive inflections). */
function isVerbForm(word: string): boolean {
  verbLemmas ??= new Set(readIndex('verb').keys());
  return /^\p{Ll}+$/u.test(word) && stemsOf(word).some((s) => verbLemmas!.has(s));
}

/**
 * The word after a span makes the span a subject: an auxiliary ("Cook Islands are"), an inflected
 * verb ("Kill Bill opened"), or a verb after a plural ("Reserve Teams play").
 */
function followsSubject(word: string, spanText: string): boolean {
  const w = word.toLowerCase();
  return AFTER_SUBJECT.has(w) || (isVerbForm(word) && (/(?:s|ed)$/.test(word) || /s$/.test(spanText)));
}

export class ImperativeOpeners {
  private constructor(private readonly verbs: ReadonlySet<string>, private readonly pastTenses: ReadonlySet<string>, readonly hash: string) {}

  /** The imperative verbs and, optionally, the past tenses that open a sentence without its subject (both hashed into `hash`). */
  static fromWords(list: readonly string[], pastTenseList: readonly string[] = []): ImperativeOpeners {
    const { words, hash } = wordSetOf(list);
    if (pastTenseList.length === 0) return new ImperativeOpeners(words, new Set(), hash);
    const past = wordSetOf(pastTenseList);
    return new ImperativeOpeners(words, past.words, createHash('sha256').update(`${hash}\n${past.hash}`).digest('hex').slice(0, 8));
  }

  /** One verb per line; lines starting with '#' are comments. The past tenses likewise, from a second file. */
  static load(path: string, pastTensePath?: string): ImperativeOpeners {
    const past = pastTensePath === undefined ? [] : readListFile(pastTensePath, 'past-tense-opener list', 'NER_DETECTOR_PAST_TENSE_OPENERS');
    return ImperativeOpeners.fromWords(readListFile(path, 'imperative-opener list', 'NER_DETECTOR_IMPERATIVE_OPENERS'), past);
  }

  /** The lower-case word is a listed verb. */
  has(word: string): boolean {
    return this.verbs.has(word);
  }

  /** The sentence's first word (after a list marker) is a listed verb written with its capital ("Ask"). */
  opens(tokens: readonly Token[], verbs = this.verbs): boolean {
    const verb = tokens[firstWordIndex(tokens)];
    return verb !== undefined && /^\p{Lu}\p{Ll}+$/u.test(verb.text) && verbs.has(verb.text.toLowerCase());
  }

  /**
   * `spans` (sorted) with a span that starts at the sentence's first word, a listed verb
   * written "Ask" or a listed past tense written "Saw", and goes on into a capitalised word that is
   * no function word, cut to start at that word; unchanged when the word after the span makes the
   * span a subject. `regularPastTenses`: a regular past tense ("Started Satie", "Played
   * Monopoly") is cut as a listed irregular one is.
   */
  cut(tokens: readonly Token[], spans: readonly OffsetSpan[], regularPastTenses = false): readonly OffsetSpan[] {
    const w = firstWordIndex(tokens);
    const i = spans.findIndex((s) => s.end > tokens[w]?.start);
    const first = spans[i];
    if (!first || tokens.length < w + 2 || first.start !== tokens[w].start) return spans;
    const next = tokens[w + 1];
    // (A function word after the verb belongs to a title: "Pump Up the Jam", "Stand By Me".)
    if (next.start >= first.end || !/^\p{Lu}/u.test(next.text) || FUNCTION_WORDS.has(next.text.toLowerCase())
      || !(this.opens(tokens) || this.opens(tokens, this.pastTenses) || (regularPastTenses && opensWithRegularPast(tokens)))) return spans;
    const after = tokens.find((t) => t.start >= first.end);
    if (after && followsSubject(after.text, tokens.filter((t) => t.end <= first.end).at(-1)!.text)) return spans;
    return [...spans.slice(0, i), { start: next.start, end: first.end }, ...spans.slice(i + 1)];
  }
}

/** The sentence's first word (after a list marker) is a regular past tense written with its capital ("Played"). */
function opensWithRegularPast(tokens: readonly Token[]): boolean {
  const verb = tokens[firstWordIndex(tokens)];
  return verb !== undefined && /^\p{Lu}\p{Ll}+$/u.test(verb.text) && isRegularPastTense(verb.text.toLowerCase());
}
