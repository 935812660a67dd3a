// Names are consistent within a paragraph. The tagger decides each sentence on its own and
// reads a window of five words, so a name it finds mid-sentence ("… depend on Chalk") can be
// missed where it opens another sentence of the same paragraph ("Chalk has no dependencies"),
// where a capital says little. The paragraph is the unit of re-detection (paragraphs are
// content-hashed), so spreading names within it gives the same spans on a full and an
// incremental index.
import type { OffsetSpan, SentenceContext, SentenceToDetect, SpanDetector } from '../types.ts';

const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;

/**
 * Longer paragraphs are detected sentence by sentence: they are lists or dumps rather than prose
 * (a file of one name per line), and the indexing thread yields between sentences (the language
 * server answers requests meanwhile), which a paragraph detected at once would not allow.
 */
export const MAX_PARAGRAPH_SENTENCES = 64;

/**
 * Spans found anywhere in the paragraph that start with a capital letter ("Chalk", "Node.js",
 * "Tidelift") are added wherever the same text recurs in it as a whole word and no span covers
 * it. Longer names first, so "New York Times" is not taken as "New York". A one-word name counts
 * only if one of its spans stands mid-sentence, where its capital is evidence: a span of a word
 * opening a sentence or clause ("If", "Find", "Run") may be the detector's mistake, and would
 * spread it. Returns new arrays; `spans[i]` are offsets into `sentences[i]`, as returned (sorted
 * by start).
 */
export function spreadParagraphNames(sentences: readonly string[], spans: readonly OffsetSpan[][]): OffsetSpan[][] {
  const names = new Set<string>();
  sentences.forEach((s, i) => {
    for (const x of spans[i]) {
      const text = s.slice(x.start, x.end);
      if (text.length < 2 || !/^\p{Lu}/u.test(text) || /[\n\r]/.test(text)) continue;
      if (/\s/.test(text) || isMidSentence(s, x.start)) names.add(text);
    }
  });
  if (names.size === 0 || sentences.length < 2) return spans.map((x) => [...x]);
  const ordered = [...names].sort((a, b) => b.length - a.length);
  return sentences.map((s, i) => {
    const out = [...spans[i]];
    let added = false;
    for (const name of ordered) {
      for (let at = s.indexOf(name); at >= 0; at = s.indexOf(name, at + 1)) {
        const end = at + name.length;
        if (!standsAlone(s, at, end)) continue;
        if (out.some((x) => x.start < end && at < x.end)) continue;
        out.push({ start: at, end });
        added = true;
      }
    }
    return added ? out.sort((a, b) => a.start - b.start) : out;
  });
}

/** s[at, end) is a whole word: not inside a longer one, nor glued by a dot or hyphen to one ("Node" of "Node.js", "Node-API"). */
function standsAlone(s: string, at: number, end: number): boolean {
  if (at > 0 && (WORD_CHAR.test(s[at - 1]) || (GLUE.test(s[at - 1]) && at > 1 && WORD_CHAR.test(s[at - 2])))) return false;
  return !(end < s.length && (WORD_CHAR.test(s[end]) || (GLUE.test(s[end]) && end + 1 < s.length && WORD_CHAR.test(s[end + 1]))));
}
const GLUE = /[.\-]/;

/** Words come before `at` in the sentence, and the last thing before it does not open a clause. */
function isMidSentence(sentence: string, at: number): boolean {
  const before = sentence.slice(0, at).trimEnd();
  return WORD_CHAR.test(before) && !/[.!?:;\-–—|•(\[{"'“‘]$/.test(before);
}

/**
 * Detects a document's sentences (or any run of them), each paragraph together where the detector
 * supports it: consecutive sentences with the same `paragraph` index form one paragraph.
 */
export function detectByParagraph(detector: SpanDetector, sentences: readonly SentenceToDetect[]): OffsetSpan[][] {
  const out: OffsetSpan[][] = [];
  for (let i = 0; i < sentences.length;) {
    let j = i + 1;
    const p = sentences[i].paragraph;
    if (p !== undefined && detector.detectParagraph) while (j < sentences.length && sentences[j].paragraph === p) j++;
    if (j - i > 1 && j - i <= MAX_PARAGRAPH_SENTENCES) out.push(...detector.detectParagraph!(sentences.slice(i, j)));
    else for (let k = i; k < j; k++) out.push(detector.detect(sentences[k].text, contextOf(sentences[k])));
    i = j;
  }
  return out;
}

/** The context a detector is given with a sentence: only what is set, undefined when nothing is. */
export function contextOf(sentence: SentenceToDetect): SentenceContext | undefined {
  const { heading, positionalCapitals, casedDocument, namesInLowerCase } = sentence;
  if (!heading && !positionalCapitals && !casedDocument && !namesInLowerCase) return undefined;
  return {
    ...(heading ? { heading: true } : {}), ...(positionalCapitals ? { positionalCapitals } : {}), ...(casedDocument ? { casedDocument: true } : {}),
    ...(namesInLowerCase ? { namesInLowerCase } : {}),
  };
}
