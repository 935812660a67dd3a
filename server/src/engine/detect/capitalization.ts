// Reference baseline: maximal runs of capitalised tokens. At a sentence start, leading words
// that are common lower-case words (in the word-vector vocabulary's frequent rows, or a small
// built-in list) are dropped from the run; a lone "I" is skipped. Runs may bridge "of"/"the"/"de"… between
// capitalised words ("Bank of England").
import type { OffsetSpan, SpanDetector } from '../types.ts';
import type { WordVectors } from '../encode/wordVectors.ts';
import { tokenize } from './tokenize.ts';

const COMMON = new Set(('a an the this that these those it its i we you he she they my our your his her their ' +
  'in on at of for to from by with as and but or if when while after before then so there here what who why how ' +
  'is are was were be been do does did not no yes all some many most one two new more also however today yesterday ' +
  'just please thanks hi hello oh ok well now still even because although since during under over into about').split(' '));
const BRIDGE = new Set(['of', 'the', 'de', 'la', 'von', 'van', 'der', 'du', 'del', 'di', 'da', 'and', '&']);
const CAP = /^\p{Lu}/u;
const SENTENCE_START_AFTER = new Set(['.', '!', '?', ':', '"', '“', '…', '-', '–', '—', '|', '(']);

export class CapitalizationDetector implements SpanDetector {
  readonly id = 'capitalization-v1';
  constructor(private readonly vectors?: WordVectors, private readonly commonRank = 1000) {}

  private isCommon(word: string): boolean {
    const lower = word.toLowerCase();
    if (COMMON.has(lower)) return true;
    if (!this.vectors) return false;
    const r = this.vectors.indexOf(lower);
    return r >= 0 && r < this.commonRank;
  }

  detect(sentence: string): OffsetSpan[] {
    const toks = tokenize(sentence);
    const spans: OffsetSpan[] = [];
    let i = 0;
    while (i < toks.length) {
      if (!CAP.test(toks[i].text)) { i++; continue; }
      let j = i + 1;
      for (;;) {
        if (j < toks.length && CAP.test(toks[j].text)) { j++; continue; }
        // Bridge a lower-case connector followed by another capitalised token.
        if (j + 1 < toks.length && BRIDGE.has(toks[j].text) && CAP.test(toks[j + 1].text)) { j += 2; continue; }
        break;
      }
      let a = i;
      // At a sentence start (or after . ! ? : and quotes), capitalisation says nothing about a
      // common word: drop leading common words from the run.
      const sentenceStart = i === 0 || SENTENCE_START_AFTER.has(toks[i - 1].text);
      if (sentenceStart) while (a < j && this.isCommon(toks[a].text)) a++;
      // The pronoun "I" is never a name.
      if (j - a === 1 && toks[a].text === 'I') a = j;
      if (a < j) spans.push({ start: toks[a].start, end: toks[j - 1].end });
      i = j;
    }
    return spans;
  }
}
