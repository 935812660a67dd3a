// Chinese, Japanese and Korean text inside spans. Documentation is often translated (the Linux
// kernel's docs have Chinese, Japanese and Korean versions) and the tagger, trained on English,
// reads a run of CJK characters as one unknown word, often as a name: in the documentation corpus
// 2.5 % of all spans held CJK text ("Linuxカーネルの簡単な背景とカーネルを設定", "一旦注册"). CJK
// has no capitals and no spaces between words, so nothing here can tell its names; the Latin
// words inside such a span are kept where a capital or digit marks them ("Linux", "C", "ReST").
import type { OffsetSpan } from '../types.ts';

/** A Han, Hiragana, Katakana or Hangul character, or CJK punctuation. */
export const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
const CJK_RUN = new RegExp(`${CJK.source}+`, 'gu');
const LEADING_EDGE = /^[^\p{L}\p{N}]*/u;
const TRAILING_EDGE = /[^\p{L}\p{N}.]+$/u;

/**
 * Spans without CJK characters as they are; a span with some is cut at them, and each remaining
 * piece (its edges trimmed of spaces and punctuation) is kept if it has a capital letter or a
 * digit beside a letter ("Linux", "C", "V4L2"; not "debugfs", "linux-next" or a lone "2"). Sorted in, sorted out.
 */
export function splitAtCjk(sentence: string, spans: readonly OffsetSpan[]): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  for (const span of spans) {
    const text = sentence.slice(span.start, span.end);
    if (!CJK.test(text)) { out.push(span); continue; }
    let from = 0;
    for (const m of [...text.matchAll(CJK_RUN), { index: text.length, 0: '' }]) {
      const piece = text.slice(from, m.index);
      const lead = LEADING_EDGE.exec(piece)![0].length;
      const trimmed = piece.slice(lead).replace(TRAILING_EDGE, '');
      if (trimmed && (/\p{Lu}/u.test(trimmed) || (/\p{N}/u.test(trimmed) && /\p{L}/u.test(trimmed)))) {
        const start = span.start + from + lead;
        out.push({ start, end: start + trimmed.length });
      }
      from = m.index + m[0].length;
    }
  }
  return out;
}
