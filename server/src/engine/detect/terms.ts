// Lower-case drug, disease and medical-procedure names ("ibuprofen", "multiple sclerosis",
// "angioplasty") as spans. The tagger misses them: its training data labels no drugs or diseases,
// and in cased prose it keys on capitals. The lexicon (models/detector/terms.txt) is built from
// WordNet by scripts/term-lexicon.ts; capitalised names stay the tagger's job.
import { createHash } from 'node:crypto';
import { readListFile } from './listFile.ts';
import { lowerCaseTexts, tokenize, type Token } from './tokenize.ts';

export class TermLexicon {
  /** Terms by their first word: each term as its lower-case token texts, longest first. */
  private readonly byFirstWord = new Map<string, string[][]>();
  /** The shortest first word's length: shorter tokens (most are punctuation) need no lookup. */
  private readonly shortestFirstWord: number;

  private constructor(terms: readonly string[], readonly hash: string) {
    for (const term of terms) {
      const words = tokenize(term.toLowerCase()).map((t) => t.text);
      if (!words.length) continue;
      const list = this.byFirstWord.get(words[0]) ?? [];
      list.push(words);
      this.byFirstWord.set(words[0], list);
    }
    for (const list of this.byFirstWord.values()) list.sort((a, b) => b.length - a.length);
    this.shortestFirstWord = Math.min(...[...this.byFirstWord.keys()].map((w) => w.length));
  }

  static fromTerms(terms: readonly string[]): TermLexicon {
    const clean = [...new Set(terms.map((t) => t.trim().toLowerCase()).filter(Boolean))].sort();
    return new TermLexicon(clean, createHash('sha256').update(clean.join('\n')).digest('hex').slice(0, 8));
  }

  /** One term per line; lines starting with '#' are comments. */
  static load(path: string): TermLexicon {
    return TermLexicon.fromTerms(readListFile(path, 'term lexicon', 'NER_DETECTOR_TERMS'));
  }


  /**
   * Token spans [a, b) of lexicon terms, longest match first, left to right. A word counts only
   * when it is lower case, or when capitals say nothing about it (`anyCase`: an all-capitals or
   * Title Case line) or it is the sentence's first word; mid-sentence capitals are names the
   * tagger judges ("Mercury" the planet or the singer). Plurals are in the lexicon itself.
   * `lower`: each token's text in lower case (lowerCaseTexts), where the caller has it.
   */
  find(tokens: readonly Token[], anyCase = false, lower: readonly string[] = lowerCaseTexts(tokens)): Array<[number, number]> {
    const spans: Array<[number, number]> = [];
    for (let i = 0; i < tokens.length; i++) {
      const first = lower[i];
      if (first.length < this.shortestFirstWord || (!anyCase && i > 0 && first !== tokens[i].text)) continue;
      const candidates = this.byFirstWord.get(first);
      if (!candidates) continue;
      // Later words must match exactly in lower case (a capital there is a name's), or in any case.
      const match = candidates.find((words) => words.length <= tokens.length - i
        && words.every((w, k) => k === 0 || (anyCase ? lower[i + k] : tokens[i + k].text) === w));
      if (match) { spans.push([i, i + match.length]); i += match.length - 1; }
    }
    return spans;
  }
}
