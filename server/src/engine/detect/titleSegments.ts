// Titles of works in notes' lists and tables: "- Anatomy of a Fall - won at Cannes", "| Klara and
// the Sun | Ishiguro |", "Blood on the Clocktower". The tagger reads five words at a time and gives
// the capitalised pieces ("Anatomy", "Fall"); a list item or table cell that opens with a run of
// capitalised words joined by lower-case function words, one of them an article, is one title.
// The article is what a title has and two names side by side have not ("Project Hail Mary on
// Libby" stays apart), and the tagger must have taken the run's first word for a name ("Dinner
// with Sam at the Ivy" stays apart too). A segment that is only "The" and a name ("- The
// Overstory", "(The Smiths)") takes the article in, as titles and bands carry it, except where the
// segment opens a sentence's clause ("The Danube, by contrast, …"). A quoted segment in Title Case
// is a title whatever opens or joins it ("There Is a Light That Never Goes Out").
import { FUNCTION_WORDS } from '../functionWords.ts';
import type { Token } from './tokenize.ts';
import type { OffsetSpan } from '../types.ts';

const ARTICLES = new Set(['a', 'an', 'the']);
const QUOTES = new Set(['"', '“', '”']);
/** Tokens that end a list item's or cell's segment (a hyphen or slash only between spaces). */
const DELIMITERS = new Set([',', ';', ':', '(', ')', '[', ']', '{', '}', '|', '—', '–', '"', '“', '”', '‘', '’', '*', '!', '?', '.', '…', '•', '\t']);
const SPACED_DELIMITERS = new Set(['-', '/', '+', '&']);
const CAPITALISED = /^\p{Lu}/u;
/** "X by Y" names a work and its maker: two names. */
const NOT_IN_TITLE = new Set(['by']);
/**
 * The words Title Case leaves in lower case: articles, coordinating conjunctions and prepositions.
 * Verbs, pronouns and other function words are capitalised in a title ("The Rest Is History",
 * "Your Tests Are Lying"), so a run joined by one in lower case is a sentence ("Giulia does a
 * Puglia one in Feb").
 */
const TITLE_LOWER_CASE = new Set(['a', 'an', 'the', 'and', 'or', 'nor', 'but', 'yet', 'so', 'of', 'in', 'on', 'at', 'to', 'for', 'from', 'with', 'without',
  'into', 'onto', 'upon', 'over', 'under', 'against', 'about', 'as', 'after', 'before', 'through', 'between', 'off', 'out', 'up', 'down', 'near']);
/** Prepositions that place a name ("Byron at the Villa Diodati", "Kotlin on the JVM", "ICPR for the Rhine"). */
const PLACING = new Set(['at', 'in', 'on', 'for']);

function isDelimiter(sentence: string, t: Token): boolean {
  if (DELIMITERS.has(t.text)) return true;
  return SPACED_DELIMITERS.has(t.text) && /\s/.test(sentence[t.start - 1] ?? ' ') && /\s/.test(sentence[t.end] ?? ' ');
}

/**
 * `spans` (sorted) with each title run of a segment one span, and "The" before a span that fills
 * the rest of its segment taken in. `opensImperative(word)`: the word is a verb that opens
 * imperatives ("Meet Tom at the Ritz" is no title).
 */
export function joinTitleSegments(sentence: string, tokens: readonly Token[], spans: readonly OffsetSpan[], first: number, opensImperative: (lowerWord: string) => boolean,
  { titleLowerCase = false, placedNames = false, isOrdinary = (_: string) => true }: TitleRunOptions = {}): OffsetSpan[] {
  let out = spans.slice();
  const segments: Array<[number, number]> = [];
  for (let i = first, a = first; i <= tokens.length; i++) {
    if (i === tokens.length || isDelimiter(sentence, tokens[i])) {
      if (i > a) segments.push([a, i]);
      a = i + 1;
    }
  }
  for (const [a, b] of segments) {
    // A sentence's first segment before a comma is the start of a clause, whose "The" is the
    // sentence's ("The Danube, by contrast, empties …"); before a dash, bracket or colon, or alone,
    // it is an item's title ("The Covenant of Water — Abraham Verghese").
    const clauseStart = a === first && b < tokens.length && (tokens[b].text === ',' || tokens[b].text === ';');
    const startsThe = /^(?:The|A|An)$/.test(tokens[a].text) && !clauseStart;
    // "The" + one span that fills the rest of the segment.
    if (tokens[a].text === 'The' && !clauseStart && b > a + 1) {
      const k = out.findIndex((s) => s.start === tokens[a + 1].start && s.end === tokens[b - 1].end);
      if (k >= 0) { out[k] = { start: tokens[a].start, end: out[k].end }; continue; }
    }
    // A quoted segment in Title Case is a title whatever it opens with and however its words are
    // joined ("There Is a Light That Never Goes Out", "Polars in Production").
    const quoted = a > 0 && QUOTES.has(tokens[a - 1].text) && b < tokens.length && QUOTES.has(tokens[b].text);
    // A run opens with a content word or an article ("If only Childish Gambino", "Where are the
    // Martinez twins" are sentences), and not with an imperative ("Meet Tom at the Ritz").
    const opener = tokens[a].text;
    if (!CAPITALISED.test(opener) || (!quoted && ((FUNCTION_WORDS.has(opener.toLowerCase()) && !startsThe) || opensImperative(opener.toLowerCase())))) continue;
    // The run: capitalised words and lower-case function words, ending on a capitalised word.
    let last = a, capitals = 0, article = false, inner = false;
    let pendingInner = false, pendingArticle = false; // function words count once a capital follows them
    for (let j = a; j < b; j++) {
      const w = tokens[j].text;
      if (CAPITALISED.test(w)) {
        if (!(j === a && startsThe)) capitals++;
        last = j;
        inner ||= pendingInner;
        article ||= pendingArticle;
      } else if (quoted && w === '-' && tokens[j].start === tokens[j - 1].end && tokens[j + 1]?.start === tokens[j].end && CAPITALISED.test(tokens[j + 1].text)) {
        // "Open-Domain": a hyphen inside a capitalised word.
      } else if (FUNCTION_WORDS.has(w) && !NOT_IN_TITLE.has(w) && j > a && (quoted || !titleLowerCase || TITLE_LOWER_CASE.has(w))) {
        pendingInner = true;
        if (ARTICLES.has(w)) pendingArticle = true;
      } else break;
    }
    // The run fills its segment: "The Metropolitan Museum of Art has …" is a sentence, whose "The"
    // is the sentence's; "Diary of a Wimpy Kid book 3" is left as it is.
    if (capitals < 2 || last !== b - 1 || (!quoted && (!inner || !(article || startsThe)))) continue;
    // A name before "at", "in", "on" or "for" is a name and where it is or what it is for, not a
    // title's first words, which are ordinary ones ("Byron at the Villa Diodati", "Carmen at the
    // Coliseum in February"; but "Supernova in the East", "Murder on the Orient Express").
    if (!quoted && placedNames && placesName(tokens, a, last, isOrdinary)) continue;
    const start = tokens[a].start, end = tokens[last].end;
    const inside = out.filter((s) => s.start < end && start < s.end);
    // Only where the tagger took the run's first word for a name ("Anatomy", "Klara"; not "Dinner"
    // of "Dinner with Sam at the Ivy"), and no span reaches out of the run.
    let c = a;
    while (c < last && FUNCTION_WORDS.has(tokens[c].text.toLowerCase())) c++;
    const opening = inside.find((s) => s.start <= tokens[c].start && tokens[c].end <= s.end);
    if (inside.some((s) => s.start < start || s.end > end)) continue;
    if (quoted) {
      // (Evidence: a name the tagger found in it, or three capitalised words.)
      if (!inside.length && capitals < 3) continue;
      out = [...out.filter((s) => !inside.includes(s)), { start, end }].sort((x, y) => x.start - y.start);
      continue;
    }
    if (!opening) continue;
    // Two whole names the tagger found are no pieces of a title ("William John Fitzpatrick in the
    // Dictionary of National Biography").
    if (inside.length > 1 && opening.end > tokens[c].end) continue;
    out = [...out.filter((s) => !inside.includes(s)), { start, end }].sort((x, y) => x.start - y.start);
  }
  return out;
}

export interface TitleRunOptions {
  /** Only articles, coordinating conjunctions and prepositions join an unquoted run in lower case. */
  titleLowerCase?: boolean;
  /** No unquoted run where a name stands before a placing preposition. */
  placedNames?: boolean;
  /** The capitalised word is an ordinary English word (wordClasses.ts isOrdinaryWord). */
  isOrdinary?: (word: string) => boolean;
}

/** Tokens (a, last) hold a lower-case placing preposition right after a capitalised word that is no ordinary word. */
function placesName(tokens: readonly Token[], a: number, last: number, isOrdinary: (word: string) => boolean): boolean {
  for (let j = a + 1; j < last; j++) {
    const before = tokens[j - 1].text;
    if (PLACING.has(tokens[j].text) && CAPITALISED.test(before) && !FUNCTION_WORDS.has(before.toLowerCase()) && !isOrdinary(before)) return true;
  }
  return false;
}
