// Word/punctuation tokenizer with UTF-16 offsets, shared by the span detectors and their training.
//
// Words are maximal runs of letters/marks/digits (with inner apostrophes kept: "O'Brien",
// "Merkel's" → "Merkel", "'s"), dotted abbreviations ("U.S.", "e.g.") stay whole, numbers keep
// their inner separators ("3.5", "1,000"), and every other non-space code point (punctuation,
// symbols, each emoji code point) is its own token. Offsets are half-open UTF-16 indices into
// the input string, so `sentence.slice(t.start, t.end) === t.text` always holds.

export interface Token { text: string; start: number; end: number }

const TOKEN_RE = /(?:\p{L}\.){2,}|\p{N}+(?:[.,:]\p{N}+)*(?:\p{L}+)?|['’](?:[sStTdDmM]|re|RE|ll|LL|ve|VE)\b|[\p{L}\p{M}\p{N}_]+(?:['’](?=[\p{L}\p{M}]{3})[\p{L}\p{M}\p{N}_]+)*|[^\s]/gu;

export function tokenize(sentence: string): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN_RE.exec(sentence)) !== null) {
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * Each token's text as String.prototype.toLowerCase gives it, computed once per sentence for the
 * rules that read it; a text in lower-case ASCII (most tokens: punctuation, words) is its own.
 */
export function lowerCaseTexts(tokens: readonly Token[]): string[] {
  const out = new Array<string>(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const text = tokens[i].text;
    out[i] = text;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c >= 65 && (c <= 90 || c >= 128)) { out[i] = text.toLowerCase(); break; }
    }
  }
  return out;
}
