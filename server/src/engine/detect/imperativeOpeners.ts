// "Ask Grace Hopper about COBOL.", "Call Smith at Mayo Clinic.", "Visit Paris in May.": notes and
// to-do lists open sentences with a verb in the imperative, capitalised by its position, and the
// tagger, which reads a capital at a sentence start as weak evidence either way, joins the verb to
// the name after it ("Ask Grace Hopper", "Tell Bob"). The verbs (models/detector/imperative-
// openers.txt) are built from WordNet by scripts/imperative-openers.ts, leaving out those that
// also open names ("Mark", "Book", "Order"); a span they open whose next word makes it a subject
// ("Cook Islands are …", "Kill Bill is …") is a name and keeps its first word.
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
  private constructor(private readonly verbs: ReadonlySet<string>, readonly hash: string) {}

  static fromWords(list: readonly string[]): ImperativeOpeners {
    const { words, hash } = wordSetOf(list);
    return new ImperativeOpeners(words, hash);
  }

  /** One verb per line; lines starting with '#' are comments. */
  static load(path: string): ImperativeOpeners {
    return ImperativeOpeners.fromWords(readListFile(path, 'imperative-opener list', 'NER_DETECTOR_IMPERATIVE_OPENERS'));
  }

  /** The lower-case word is a listed verb. */
  has(word: string): boolean {
    return this.verbs.has(word);
  }

  /** The sentence's first word (after a list marker) is a listed verb written with its capital ("Ask"). */
  opens(tokens: readonly Token[]): boolean {
    const verb = tokens[firstWordIndex(tokens)];
    return verb !== undefined && /^\p{Lu}\p{Ll}+$/u.test(verb.text) && this.verbs.has(verb.text.toLowerCase());
  }

  /**
   * `spans` (sorted) with a span that starts at the sentence's first word, a listed verb
   * written "Ask", and goes on into a capitalised word that is no function word, cut to start at
   * that word; unchanged when the word after the span makes the span a subject.
   */
  cut(tokens: readonly Token[], spans: readonly OffsetSpan[]): readonly OffsetSpan[] {
    const w = firstWordIndex(tokens);
    const i = spans.findIndex((s) => s.end > tokens[w]?.start);
    const first = spans[i];
    if (!first || tokens.length < w + 2 || first.start !== tokens[w].start) return spans;
    const next = tokens[w + 1];
    // (A function word after the verb belongs to a title: "Pump Up the Jam", "Stand By Me".)
    if (next.start >= first.end || !/^\p{Lu}/u.test(next.text) || FUNCTION_WORDS.has(next.text.toLowerCase()) || !this.opens(tokens)) return spans;
    const after = tokens.find((t) => t.start >= first.end);
    if (after && followsSubject(after.text, tokens.filter((t) => t.end <= first.end).at(-1)!.text)) return spans;
    return [...spans.slice(0, i), { start: next.start, end: first.end }, ...spans.slice(i + 1)];
  }
}
