// Span edges inside words glued by a hyphen or slash. The tokenizer splits "COVID-19",
// "Node-API" and "jk/sanity-check" at the hyphen and slash, and the tagger, reading tokens, may
// put a span edge there: "COVID" without its number, "Node" and "API" as two names, "python" out
// of the tool name "python-build", or a piece of a git topic branch name. A span edge belongs at
// a space, not inside such a word, so the edge moves or the span goes:
//
//   number suffix        "COVID|-19", "UTF|-8", "HTTP|/2", "CVE|-2019-9513"  → the number joins the name
//                        (after a word with letters: "Ajax 2-0" is a score)
//   capitalised parts    "Node|-API", "SEMVER-|MAJOR", "Content|-Transfer-Encoding" → one name
//   ordinary suffix      "London-based", "JSON-formatted", "Baudelaire-ish"   → the name alone: "London"
//                        (not after an ordinary word: "Counter-revolutionary", "Spider-man");
//                        before the span's next word, two names: "Debian-based TrueNAS" → "Debian", "TrueNAS"
//   lower-case word      "python|-build", "jk|/sanity", "doc/api/|fs.md"       → no span, in cased text
//                        (in lower-cased text where it has a slash or two glue characters)
//   file path            "Documentation|/core-api/dma-api.rst"                 → no span
//
// Slashes between capitalised names stay a boundary ("SSL/TLS", "RCS/CVS" are alternatives),
// except between two single letters: "I/O", "R/W" are one word ("Super I" + "O" → "Super I/O").
import type { OffsetSpan } from '../types.ts';

const GLUE = new Set(['-', '/']);
const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;
const NUMBER_SUFFIX = /^[-/]\p{N}[\p{L}\p{N}]*(?:\.\p{N}+[\p{L}\p{N}]*)*/u;
const CAPITALISED_SUFFIX = /^-\p{Lu}[\p{L}\p{M}\p{N}]*/u;
const CAPITALISED_PREFIX = /\p{Lu}[\p{L}\p{M}\p{N}]*-$/u;
const ORDINARY_SUFFIX = /-(\p{Ll}+)$/u;
/** A name, a hyphen and a lower-case word of three letters or more before a space inside a span ("Debian-based TrueNAS"; not "Co-op Bank"). */
const INNER_SUFFIX = /(\p{L}[\p{L}\p{M}\p{N}]{2,})-(\p{Ll}{3,}) (?=\S)/gu;
/** English combining prefixes, which WordNet does not list as words and which are no names ("Multi-rail Controller"). */
const COMBINING_PREFIXES = new Set(['multi', 'mono', 'semi', 'sub', 'super', 'hyper', 'inter', 'intra', 'micro', 'macro', 'mini', 'non', 'pre', 'post',
  'anti', 'pro', 'self', 'cross', 'ultra', 'tri', 'quad', 'dual']);
/** Suffixes English glues to a name that WordNet does not list ("Baudelaire-ish", "C-ish"). */
const NAME_SUFFIXES = new Set(['ish', 'esque']);
/** Two capital letters joined by a slash, a word of their own ("I/O"; not "SSL/TLS", "A/B/C" or "C/C++"). */
const LETTER_PAIR = /^(?:^|[^\p{L}\p{N}/])?\p{Lu}\/\p{Lu}(?![\p{L}\p{N}/+#])/u;

/** The characters of an identifier-like word ("cb/pcre2-chartables-leakfix", "config-main.def"). */
const IDENTIFIER_CHAR = /[\p{L}\p{M}\p{N}_.\-/]/u;

/** A span's end (or start, below) cuts a word: a glue character beside it, word characters on both sides of that. */
function gluedEnd(text: string, end: number): boolean {
  return GLUE.has(text[end]) && WORD_CHAR.test(text[end + 1] ?? '') && WORD_CHAR.test(text[end - 1] ?? '');
}
function gluedStart(text: string, start: number): boolean {
  return GLUE.has(text[start - 1]) && WORD_CHAR.test(text[start - 2] ?? '') && WORD_CHAR.test(text[start] ?? '');
}

/**
 * The identifier-like word around [start, end), trailing dots left out ("fs.md." → "fs.md"); at
 * most 256 characters each side, so a megabyte without spaces costs no quadratic time.
 */
function identifierAround(text: string, start: number, end: number): string {
  let a = start, b = end;
  while (a > 0 && start - a < 256 && IDENTIFIER_CHAR.test(text[a - 1])) a--;
  while (b < text.length && b - end < 256 && IDENTIFIER_CHAR.test(text[b])) b++;
  return text.slice(a, b).replace(/\.+$/, '');
}

/**
 * No capital letter: in cased text a word such as "python-build" is an identifier, not a name.
 * In lower-cased text ("spider-man") only a word with a slash or two or more glue characters is
 * taken for one ("jk/proto-v2-hidden-refs-fix", "vm-timeout-escape-queuemicrotask").
 */
function isLowerCaseIdentifier(word: string, cased: boolean): boolean {
  if (/\p{Lu}/u.test(word)) return false;
  return cased || word.includes('/') || (word.match(/[-/]/g)?.length ?? 0) >= 2;
}

/** A lower-case path segment ("core-api", "bt8xx.rst", "sysfs-class-power"). */
const LOWER_CASE_SEGMENT = /^[\p{Ll}\p{N}_.\-]*\p{Ll}[\p{Ll}\p{N}_.\-]*$/u;
/** A lower-case file name with an extension ("dma-api.rst", "repository-version.txt"). */
const FILE_NAME = /^[\p{Ll}\p{N}_\-]+\.[a-z][a-z0-9]{0,4}$/u;

/**
 * A file path, whatever its capitals: "Documentation/core-api/dma-api.rst",
 * "Documentation/ABI/testing/sysfs-class-power", "/sys/class/power_supply". Two slashes and two
 * lower-case segments, or a lower-case file name at the end, or a leading slash before two more;
 * not a list of alternatives ("LAN/SCSI/etc", "Bt848/Bt848a/Bt849", "IBM/Lenovo").
 */
function isFilePath(word: string): boolean {
  const segments = word.split('/');
  if (segments.length < 2) return false;
  if (FILE_NAME.test(segments[segments.length - 1])) return true;
  if (segments.length >= 3 && segments[0] === '') return true;
  return segments.length >= 3 && segments.filter((x) => x.length > 1 && LOWER_CASE_SEGMENT.test(x)).length >= 2;
}

export interface GluedWordOptions {
  /** Capitals carry information in this sentence (it has a capitalised word after the first): a lower-case identifier is not a name there. */
  cased: boolean;
  /** Whether a lower-case word is ordinary English ("based", "formatted"; not "js"). */
  isOrdinary: (word: string) => boolean;
  /** A span runs on past a name's ordinary suffix ("Debian-based TrueNAS"): cut it there; and "-ish" is such a suffix. */
  innerSuffixes?: boolean;
}

/** Some span touches a hyphen or slash, inside or at an edge: only then is there anything to adjust (most sentences have none). */
export function touchesGlue(text: string, spans: readonly OffsetSpan[]): boolean {
  return spans.some((x) => GLUE.has(text[x.end]) || GLUE.has(text[x.start - 1]) || text.slice(x.start, x.end).includes('-'));
}

/** Moves span edges out of glued words, drops spans that are pieces of lower-case identifiers; sorted, non-overlapping in and out. */
export function adjustGluedSpans(text: string, spans: readonly OffsetSpan[], options: GluedWordOptions): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  const describes = (name: string, suffix: string) => /\p{Lu}/u.test(name) && (options.isOrdinary(suffix) || (options.innerSuffixes === true && NAME_SUFFIXES.has(suffix))) && !options.isOrdinary(name);
  for (const span of options.cased && options.innerSuffixes ? spans.flatMap((x) => splitAfterInnerSuffix(text, x, describes)) : spans) {
    let { start, end } = span;
    if (options.cased) {
      // "London-based" → "London": an ordinary lower-case word after a hyphen describes the name
      // before it. Not when that word is ordinary too: "Counter-revolutionary", "Spider-man".
      const m = ORDINARY_SUFFIX.exec(text.slice(start, end));
      const before = m ? /[\p{L}\p{M}\p{N}]+$/u.exec(text.slice(start, end - m[0].length))?.[0] : undefined;
      if (m && before && describes(before, m[1])) end -= m[0].length;
    }
    // (Most spans touch no glue character: check that before any slicing.)
    for (let moved = GLUE.has(text[end]) || text[start - 1] === '-'; moved;) {
      moved = false;
      const rest = text.slice(end, end + 200);
      const suffix = NUMBER_SUFFIX.exec(rest) ?? (options.cased && /\p{Lu}/u.test(text.slice(start, end)) ? CAPITALISED_SUFFIX.exec(rest) : null);
      // Only after a word with letters: "Ajax 2-0" is a score, not a name's number.
      if (suffix && /\p{L}\S*$/u.test(text.slice(start, end))) { end += suffix[0].length; moved = true; }
      const prefix = options.cased && text[start - 1] === '-' && /^\p{Lu}/u.test(text[start]) ? CAPITALISED_PREFIX.exec(text.slice(Math.max(0, start - 200), start)) : null;
      const prefixStart = prefix ? Math.max(0, start - 200) + prefix.index : -1;
      if (prefix && (prefixStart === 0 || !WORD_CHAR.test(text[prefixStart - 1]))) { start = prefixStart; moved = true; }
    }
    // "I/O", "R/W", "A/V": single letters joined by a slash are one word, not alternatives.
    if (text[end] === '/' && LETTER_PAIR.test(text.slice(Math.max(0, end - 2), end + 3))) end += 2;
    if (text[start - 1] === '/' && LETTER_PAIR.test(text.slice(Math.max(0, start - 3), start + 2))) start -= 2;
    if (gluedStart(text, start) || gluedEnd(text, end)) {
      const word = identifierAround(text, start, end);
      if (isLowerCaseIdentifier(word, options.cased) || isFilePath(word)) continue;
    }
    const last = out[out.length - 1];
    // "Node" and "API" both grew into "Node-API".
    if (last && last.end > start) { last.end = Math.max(last.end, end); continue; }
    out.push({ start, end });
  }
  return out;
}

/**
 * "Debian-based TrueNAS", "London-based Acme Corp": a name with an ordinary suffix is an adjective
 * of what follows it, which is a name of its own; the span is cut after the suffix (which the
 * rule above then leaves out of the first piece).
 */
function splitAfterInnerSuffix(text: string, span: OffsetSpan, describes: (name: string, suffix: string) => boolean): OffsetSpan[] {
  const inner = text.slice(span.start, span.end);
  if (!inner.includes('-')) return [span];
  const out: OffsetSpan[] = [];
  let start = span.start;
  for (const m of inner.matchAll(INNER_SUFFIX)) {
    if (!describes(m[1], m[2]) || COMBINING_PREFIXES.has(m[1].toLowerCase()) || (m.index > 0 && /[\p{L}\p{M}\p{N}]/u.test(inner[m.index - 1]))) continue;
    out.push({ start, end: span.start + m.index + m[0].length - 1 });
    start = span.start + m.index + m[0].length;
  }
  out.push({ start, end: span.end });
  return out;
}
