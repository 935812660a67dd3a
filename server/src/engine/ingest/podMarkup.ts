// Perl's POD documentation (perlpod): command paragraphs ("=head1 NAME", "=item …", "=over 4"),
// verbatim paragraphs (indented: code), ordinary paragraphs with formatting codes (C<code>,
// L<text|target>, B<bold>, …), and whatever lies outside "=pod" … "=cut" (Perl code). Only
// headings, items and ordinary text are prose; the rest is blanked (same length, line breaks
// kept), so positions stay those of the file.

/** A file is POD when a line starts with one of POD's block commands. */
const POD_COMMAND = /^=(?:pod|head[1-6]|over|item|begin|for|encoding)(?:[ \t]|\r?$)/m;

export function looksLikePod(text: string): boolean {
  return POD_COMMAND.test(text);
}

/** Commands whose text is a heading or an item's label (prose); every other command is markup. */
const TITLED_COMMANDS = new Set(['head1', 'head2', 'head3', 'head4', 'head5', 'head6', 'item']);

interface Paragraph { start: number; end: number }

/** Blank-line-separated paragraphs (a line of only spaces or tabs is blank). */
function paragraphsOf(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  const n = text.length;
  let start = -1;
  let end = -1;
  let lineStart = 0;
  while (lineStart <= n) {
    let lineEnd = lineStart;
    while (lineEnd < n && text.charCodeAt(lineEnd) !== 10 && text.charCodeAt(lineEnd) !== 13) lineEnd++;
    let k = lineStart;
    while (k < lineEnd && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
    if (k === lineEnd) {
      if (start >= 0) out.push({ start, end });
      start = -1;
    } else {
      if (start < 0) start = lineStart;
      end = lineEnd;
    }
    if (lineEnd >= n) break;
    lineStart = lineEnd + (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10 ? 2 : 1);
  }
  if (start >= 0) out.push({ start, end });
  return out;
}

/** `text` with everything but POD's prose blanked: each masked character a space, line breaks kept. */
export function maskPod(text: string): string {
  const keep = new Uint8Array(text.length); // 1: prose, shown as it is
  let inPod = false;
  let inBegin = false; // between "=begin" and "=end": formatter-specific content (HTML, LaTeX…)
  for (const p of paragraphsOf(text)) {
    const first = text.charCodeAt(p.start);
    if (first === 61 /* = */ && /^=[A-Za-z]/.test(text.slice(p.start, p.start + 2))) {
      const command = /^=([A-Za-z][A-Za-z0-9]*)/.exec(text.slice(p.start, p.end))![1];
      inPod = command !== 'cut';
      if (inBegin) {
        if (command === 'end') inBegin = false;
        continue;
      }
      if (command === 'begin') { inBegin = true; continue; }
      if (TITLED_COMMANDS.has(command)) {
        // "=item *" and "=item 1." are bullets; the label after them is prose.
        const marker = /^=[A-Za-z0-9]+[ \t]*(?:\*[ \t]*|\d+\.?[ \t]*)?/.exec(text.slice(p.start, p.end))![0];
        markProse(text, keep, p.start + marker.length, p.end);
      }
      continue;
    }
    if (!inPod || inBegin) continue; // Perl code around the POD, or a =begin … =end block
    if (first === 32 || first === 9) continue; // a verbatim paragraph: code
    markProse(text, keep, p.start, p.end);
  }
  let out = '';
  let at = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text.charCodeAt(i);
    if (i === text.length || keep[i] === 0 && c !== 10 && c !== 13) {
      if (i > at) out += text.slice(at, i);
      if (i === text.length) break;
      let j = i;
      while (j < text.length && keep[j] === 0 && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
      out += ' '.repeat(j - i);
      at = j;
      i = j - 1;
    }
  }
  return out;
}

/**
 * Where each "<" of text[from, to) is closed: the ">" that brings the nesting back to its level
 * (−1 if none), found in one pass so that reading every formatting code of a paragraph is linear.
 */
class AngleBrackets {
  private readonly close = new Map<number, number>();
  /** Per run of n "<": where " " + n × ">" next occurs, from where it was looked for (−1: nowhere after). */
  private readonly wideClose = new Map<number, { from: number; at: number }>();

  constructor(private readonly text: string, from: number, private readonly to: number) {
    const open: number[] = [];
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === 60) open.push(i);
      else if (c === 62 && open.length > 0) this.close.set(open.pop()!, i);
    }
  }

  closeOf(open: number): number { return this.close.get(open) ?? -1; }

  /** The next " >>…" (n brackets) at or after `from` within the paragraph, or −1. */
  wideCloseAfter(from: number, n: number): number {
    const cached = this.wideClose.get(n);
    if (cached && from >= cached.from && (cached.at < 0 || from <= cached.at)) return cached.at;
    const at = this.text.slice(0, this.to).indexOf(' ' + '>'.repeat(n), from);
    this.wideClose.set(n, { from, at });
    return at;
  }
}

/**
 * Marks text[from, to) as prose, except formatting codes' markup: C<…> (code), F<…> (a file),
 * X<…> (an index entry), Z<> and E<…> (escapes) are blanked whole; B<…>, I<…> and S<…> keep their
 * text; L<text|target> keeps its text, a bare L<target> is blanked (a page or section name).
 */
function markProse(text: string, keep: Uint8Array, from: number, to: number): void {
  const brackets = new AngleBrackets(text, from, to);
  // Nested codes are ranges still to mark, kept on a stack rather than the call stack: "B<B<B<…>>>"
  // thousands deep overflowed it. Each position is marked once, in whatever order.
  const ranges: Array<[number, number]> = [[from, to]];
  while (ranges.length) {
    const [start, end] = ranges.pop()!;
    let i = start;
    while (i < end) {
      const code = formattingCodeAt(text, i, end, brackets);
      if (!code) { keep[i] = 1; i++; continue; }
      const { letter, innerStart, innerEnd } = code;
      if (letter === 'B' || letter === 'I' || letter === 'S') ranges.push([innerStart, innerEnd]);
      else if (letter === 'L') {
        const bar = text.indexOf('|', innerStart);
        if (bar >= 0 && bar < innerEnd) ranges.push([innerStart, bar]);
      }
      i = code.end;
    }
  }
}

/** The formatting code starting at `i` ("C<x>", "C<< x >>", nested angle brackets), or undefined. */
function formattingCodeAt(text: string, i: number, limit: number, brackets: AngleBrackets): { letter: string; innerStart: number; innerEnd: number; end: number } | undefined {
  const letter = text[i];
  if (!'BCEFILSXZ'.includes(letter) || text.charCodeAt(i + 1) !== 60 /* < */) return undefined;
  if (i > 0 && /[A-Za-z0-9_]/.test(text[i - 1])) return undefined; // "ABC<x>" is no code
  let opens = 1;
  while (text.charCodeAt(i + 1 + opens) === 60) opens++;
  if (opens > 1 && /[ \t\r\n]/.test(text[i + 1 + opens] ?? '')) {
    // C<< … >>: closed by whitespace and the same number of ">".
    const at = brackets.wideCloseAfter(i + 1 + opens, opens);
    if (at < 0 || at + 1 + opens > limit) return undefined;
    return { letter, innerStart: i + 1 + opens, innerEnd: at, end: at + 1 + opens };
  }
  // C<…>: nested "<" and ">" balance.
  const close = brackets.closeOf(i + 1);
  if (close < 0 || close >= limit) return undefined;
  return { letter, innerStart: i + 2, innerEnd: close, end: close + 1 };
}
