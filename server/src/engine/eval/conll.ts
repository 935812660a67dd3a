// Readers for the labelled data formats: CoNLL-style BIO files (MultiCoNER `token _ _ TAG`,
// WNUT-17 `token<TAB>TAG`) and the `.jsonl` corpus format of the CLI.
import { readFileSync } from 'node:fs';

export interface GoldSpan {
  /** UTF-16 offsets into the sentence text (tokens joined by single spaces). */
  start: number;
  end: number;
  type: string;
}

export interface LabelledSentence {
  id: string;
  tokens: string[];
  /** Offset of each token in `text`. */
  tokenStarts: number[];
  text: string;
  spans: GoldSpan[];
  /** Token-index spans (end exclusive), parallel to `spans`. */
  tokenSpans: Array<{ start: number; end: number; type: string }>;
}

/** A CoNLL file this reader cannot read as written; `line` is 1-based. */
export class ConllError extends Error {
  constructor(readonly line: number, message: string) { super(`line ${line}: ${message}`); }
}

/**
 * Parses a BIO-tagged CoNLL file (IOB2, CoNLL-2003's IOB1 where I- may open a span, or BIOES /
 * BILOU, whose S-/U- is a one-token span and E-/L- ends one). Token is the first column, tag the
 * last; -DOCSTART- lines are skipped. A token line without a tag, or a tag without a type
 * ("B-"), throws a ConllError naming the line: dropping it would change the text and the scores.
 */
export function parseConll(content: string): LabelledSentence[] {
  const sentences: LabelledSentence[] = [];
  let tokens: string[] = [];
  let tags: string[] = [];
  let id = '';
  const flush = () => {
    if (tokens.length) sentences.push(buildSentence(id || `s${sentences.length}`, tokens, tags));
    tokens = []; tags = []; id = '';
  };
  content.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line === '') { flush(); return; }
    if (line.startsWith('# id ')) { flush(); id = line.slice(5).split(/\s+/)[0]; return; }
    const cols = line.split(/\t| /).filter((c) => c !== '');
    // CoNLL-2003 separates articles with a pseudo-sentence; it is no text.
    if (cols[0] === '-DOCSTART-') { flush(); return; }
    if (cols.length < 2) throw new ConllError(i + 1, `"${cols[0] ?? line}" has no tag (expected "token<TAB>TAG" or "token _ _ TAG")`);
    const tag = cols[cols.length - 1];
    if (tag !== 'O' && !/^[BIESLU]-./.test(tag)) throw new ConllError(i + 1, `"${line.slice(0, 60)}" is no CoNLL token line: its tag "${tag}" is neither O nor B-, I-, E-, S-, L- or U- and a type`);
    tokens.push(cols[0]);
    tags.push(tag);
  });
  flush();
  return sentences;
}

function buildSentence(id: string, tokens: string[], tags: string[]): LabelledSentence {
  const tokenStarts: number[] = [];
  let text = '';
  for (const t of tokens) { if (text) text += ' '; tokenStarts.push(text.length); text += t; }
  const tokenSpans: Array<{ start: number; end: number; type: string }> = [];
  let cur: { start: number; end: number; type: string } | undefined;
  tags.forEach((tag, i) => {
    const [scheme, ...rest] = tag.split('-');
    const type = rest.join('-');
    // BIOES / BILOU: S (U) opens and closes a span, E (L) continues one and closes it.
    const bio = scheme === 'S' || scheme === 'U' ? 'B' : scheme === 'E' || scheme === 'L' ? 'I' : scheme;
    if (bio === 'B' || (bio === 'I' && (!cur || cur.type !== type))) {
      if (cur) tokenSpans.push(cur);
      cur = { start: i, end: i + 1, type };
    } else if (bio === 'I' && cur) {
      cur.end = i + 1;
    } else {
      if (cur) tokenSpans.push(cur);
      cur = undefined;
    }
    if (scheme !== bio && cur) { tokenSpans.push(cur); cur = undefined; }
  });
  if (cur) tokenSpans.push(cur);
  const spans = tokenSpans.map((s) => ({
    start: tokenStarts[s.start],
    end: tokenStarts[s.end - 1] + tokens[s.end - 1].length,
    type: s.type,
  }));
  return { id, tokens, tokenStarts, text, spans, tokenSpans };
}

export function readConll(path: string): LabelledSentence[] {
  return parseConll(readFileSync(path, 'utf8'));
}
