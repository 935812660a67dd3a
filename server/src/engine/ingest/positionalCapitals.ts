// Capitals that only mark a position. Documentation opens sentences, headings and list items with
// ordinary words ("Servers SHOULD …", "Filesystems must …", "Pathspec elements are …"), and a
// capital there says little; the span detector, reading five words at a time, takes many of them
// for names. The rest of the document says how a word is written where nothing forces a capital:
// a word used in lower case in it and never capitalised mid-sentence is an ordinary word there.
// The evidence is the document's, so it travels with each paragraph (and into its content hash):
// a paragraph is detected again whenever the evidence for one of its words changes, and a full
// and an incremental index give the same spans.
import type { OffsetSpan } from '../types.ts';

const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;
/** A capitalised word: its end is checked by the pattern, its start by the caller (look-behind is slow). */
const CAPITALISED_WORD = /\p{Lu}[\p{Ll}\p{M}]+(?![\p{L}\p{M}\p{N}_])/gu;
const LOWER_CASE_WORD = /\p{Ll}[\p{Ll}\p{M}]*(?![\p{L}\p{M}\p{N}_])/gu;
/**
 * English function words, which open most sentences and are never a name alone: left out, so
 * that a paragraph's list (and hash) holds only words a detector could take for names.
 */
const FUNCTION_WORDS = new Set(`a about above after again against all also although am an and another any are as at be because been before
being below between both but by can could did do does doing down during each either even every few for from further had
has have having he her here hers herself him himself his how however i if in instead into is it its itself just may me
might more most much must my myself neither never no nor not now of off on once one only or other otherwise our ours
ourselves out over own please same shall she should since so some such than that the their theirs them themselves then
there therefore these they this those though through thus to too under unless until up upon very was we were what
whatever when whenever where whereas wherever whether which while who whom whose why will with within without would yet
you your yours yourself yourselves`.split(/\s+/));
/** Characters that glue a word to the one before or after it: a path, a file name, a handle, a contraction ("node.js", "user-space", "@jane", "std::map", "don't"). */
const GLUE_BEFORE = /[.\-/\\@#'’:$%&+=~]/;
const GLUE_AFTER = /[\-/\\@'’&+=~]/;
/** The character before a word (spaces and one line break skipped) that puts it mid-sentence; caseless letters included (CJK prose: "使用 Linux"). */
const MID_SENTENCE_BEFORE = /[\p{Ll}\p{Lo}\p{N},;)]/u;

function glued(text: string, start: number, end: number): boolean {
  if (start > 0 && GLUE_BEFORE.test(text[start - 1])) return true;
  const next = text[end];
  if (next === undefined) return false;
  // A full stop or colon ends a sentence or clause; before a letter or digit it glues ("node.js", "c:foo").
  if (next === '.' || next === ':') return /[\p{L}\p{N}]/u.test(text[end + 1] ?? '');
  return GLUE_AFTER.test(next);
}

/** Whether the word at `start` follows a lower-case word, a digit, a comma or a closing parenthesis in the same sentence (one line break allowed). */
function midSentence(text: string, start: number): boolean {
  let i = start - 1;
  let lineBreaks = 0;
  while (i >= 0) {
    const c = text[i];
    if (c === ' ' || c === '\t') { i--; continue; }
    if (c === '\n' || c === '\r') {
      if (c === '\n' && text[i - 1] === '\r') i--;
      if (++lineBreaks > 1) return false;
      i--;
      continue;
    }
    break;
  }
  return i >= 0 && i < start - 1 && MID_SENTENCE_BEFORE.test(text[i]);
}

/**
 * For each block (offsets into `text`, in order, not overlapping), the capitalised words in it
 * (lower-cased, sorted, distinct) whose capital marks only their position in this document: the
 * word is used in lower case somewhere in `text` and never capitalised mid-sentence. Undefined
 * for a block with none. `text` is the document's prose view (code blanked), as the blocks index it.
 */
export function positionalCapitals(text: string, blocks: readonly OffsetSpan[]): Array<string[] | undefined> {
  // Capitalised words first (few): those mid-sentence, and the others with their offsets.
  const capitalisedMidSentence = new Set<string>();
  const positional: Array<{ at: number; word: string }> = [];
  for (const m of text.matchAll(CAPITALISED_WORD)) {
    const start = m.index;
    if (start > 0 && WORD_CHAR.test(text[start - 1])) continue;
    if (glued(text, start, start + m[0].length)) continue;
    const lower = m[0].toLowerCase();
    if (midSentence(text, start)) capitalisedMidSentence.add(lower);
    else positional.push({ at: start, word: lower });
  }
  const candidates = new Set<string>();
  for (const { word } of positional) if (!capitalisedMidSentence.has(word) && !FUNCTION_WORDS.has(word)) candidates.add(word);
  if (candidates.size === 0) return blocks.map(() => undefined);
  // Then the candidates' lower-case uses.
  const usedInLowerCase = new Set<string>();
  for (const m of text.matchAll(LOWER_CASE_WORD)) {
    const word = m[0];
    if (!candidates.has(word)) continue;
    const start = m.index;
    if (start > 0 && WORD_CHAR.test(text[start - 1])) continue;
    if (!glued(text, start, start + word.length)) usedInLowerCase.add(word);
  }
  const out: Array<string[] | undefined> = blocks.map(() => undefined);
  let b = 0;
  for (const { at, word } of positional) {
    if (!usedInLowerCase.has(word)) continue;
    while (b < blocks.length && blocks[b].end <= at) b++;
    if (b === blocks.length) break;
    if (at < blocks[b].start) continue;
    const words = (out[b] ??= []);
    if (!words.includes(word)) words.push(word);
  }
  for (const words of out) words?.sort();
  return out;
}
