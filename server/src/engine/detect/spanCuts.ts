// Places no name runs across, which the tagger's five-word window does not see: a function word
// opening the sentence before a one-word name ("Why Zermatt over Verbier"), an operator
// between spaces ("Okta + Azure AD", "Council of Trent = Catholic"), a full stop before a
// lower-case word or at a line's end ("loved Marx. classic Callum", "the Harvard Mark I.⏎Call"),
// an English prefix glued to a name ("ex-Stripe", "anti-Brexit"), a greeting before one ("Hi
// Daniel", "Thanks Bob"), a label word and its colon ("Respondent: Brightline Housing Ltd"), a
// line's label or a first name and its colon ("Sam: Continental GP5000" → "Sam", "Continental
// GP5000"), a short weekday after a name ("Borough Market Sat"), a slash between two names
// ("Nixon/Watergate"), a quotation mark the span does not close ('on the Tidal "Artist
// Spotlight" series', '"Blackbird" the Beatles song'), and, in text that capitalises with care,
// the lower-case ordinary words after one ("King Arthur bread flour", "the Erez crossing"),
// before one ("underrates Severus", "the in-kernel PIC") or between two ("Joyce recommended
// Dopesick").
import type { Token } from './tokenize.ts';
import type { OffsetSpan } from '../types.ts';
import { ABBREVIATIONS } from '../ingest/sentences.ts';
import { isOrdinaryWord } from './wordClasses.ts';
import { firstWordIndex } from './listMarkers.ts';
import { FUNCTION_WORDS } from '../functionWords.ts';

/** Symbols that join two things, never two halves of one name, when spaces stand on both sides. */
const OPERATORS = new Set(['+', '=', '→', '⇒', '←', '|', '/', '~', '≈', '>', '<', '-', '–', '—']);
/** English prefixes written lower-case and hyphenated before a name ("ex-Google", "pre-Columbian" stays: one token). */
const PREFIXES = new Set(['ex', 'pre', 'post', 'non', 'anti', 'pro', 'mid', 'un', 'pseudo', 'quasi']);
/** Double quotation marks: a span that holds an odd number of them runs into or out of a quotation. */
const QUOTES = /["“”]/gu;
const QUOTE_MARKS = new Set(['"', '“', '”']);
const TITLE_CASE_WORD = /^\p{Lu}\p{Ll}+$/u;
/** Prepositions the function-word list leaves out, which open a note's line before a place ("Round Buttermere — flat"; not "via": "Via Ferrata"). */
const PREPOSITIONS = new Set(['round', 'around', 'across', 'along', 'beyond', 'past', 'near', 'towards', 'toward', 'inside', 'outside', 'behind', 'beside', 'opposite', 'despite', 'unlike']);
/** Articles (a name keeps "The": leadingThe.ts) and function words that are also given names ("Will Dyson", "May Sinclair"). */
const KEPT_OPENERS = new Set(['the', 'a', 'an', 'will', 'may']);
/** A first name and the opening mark of a nickname before a span ('Curtis "'). */
const NICKNAME_OPENING = /\p{Lu}[\p{L}\p{M}.'-]* ["“]$/u;
/** Greetings and thanks that open a line before a name. */
const GREETINGS = new Set(['hi', 'hello', 'hey', 'dear', 'thanks', 'thx', 'cheers', 'morning', 'congrats']);

/** The cuts of the `pp14` rules, each off unless asked for (the tagger's switches of the same names). */
export interface SpanCutRules {
  /** At a quotation mark the span does not close. */
  unclosedQuotes?: boolean;
  /** Ordinary lower-case words before a name, in careful text. */
  leadingLowerCase?: boolean;
  /** At an ordinary lower-case word between two capitalised ones, in careful text. */
  innerLowerCase?: boolean;
  /** At a glued slash after a one-word name. */
  slashedNames?: boolean;
  /** A function word opening the sentence before a one-word name. */
  openingFunctionWords?: boolean;
}

/**
 * `spans` (sorted, offsets into the sentence of `tokens`) cut at the places above; pieces without
 * a letter are dropped. `casedDocument`: the sentence's document writes names with capitals;
 * `firstNames`: first names, whose colon labels what follows anywhere in a line.
 */
export function cutSpans(sentence: string, tokens: readonly Token[], spans: readonly OffsetSpan[], casedDocument = false, firstNames?: { has(word: string): boolean },
  { unclosedQuotes = false, leadingLowerCase = false, innerLowerCase = false, slashedNames = false, openingFunctionWords = false }: SpanCutRules = {}): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  // Lower-cased text writes initials before lower-case names ("m. s. viswanathan").
  const cased = /\p{Lu}/u.test(sentence);
  // Where capitals are used with care (several words capitalised mid-sentence), a name does not
  // run on into lower-case words; tweets write names half in lower case ("Donald trump").
  const careful = casedDocument || new Set(tokens.slice(1).filter((t) => /^\p{Lu}/u.test(t.text)).map((t) => t.text)).size >= 3;
  // Not a piece opening the sentence with its one capital: that capital may be the sentence's
  // ("Atrial fibrillation: rate control …", "## Heart failure").
  const trimmable = (start: number, end: number) => start !== tokens[0]?.start || capitalisedWords(sentence.slice(start, end)) > 1;
  for (const span of spans) {
    // A quotation mark that the span does not close is where a quotation starts or ends.
    // (Not a nickname's closing mark: 'Curtis "Ovid" Poe' is one name.)
    const unclosed = unclosedQuotes && (sentence.slice(span.start, span.end).match(QUOTES)?.length ?? 0) % 2 === 1
      && !NICKNAME_OPENING.test(sentence.slice(Math.max(0, span.start - 40), span.start));
    let i = tokens.findIndex((t) => t.start >= span.start);
    if (i < 0) { out.push(span); continue; }
    let start = span.start;
    // "ex-Stripe", "Hi Daniel": the first word goes.
    const first = tokens[i], second = tokens[i + 1], third = tokens[i + 2];
    if (third && third.end <= span.end && second.text === '-' && second.start === first.end && third.start === second.end
      && PREFIXES.has(first.text) && /^\p{Lu}/u.test(third.text)) {
      start = third.start; i += 2;
    } else if (second && second.end <= span.end && GREETINGS.has(first.text.toLowerCase()) && /^\p{Lu}/u.test(first.text)
      && /^\p{Lu}\p{Ll}/u.test(second.text)) {
      start = second.start; i += 1;
    }
    // "Why Zermatt over Verbier", "Does KUnit …", "Not Gothic": a function word opening the
    // sentence is capitalised by its position, not part of the one name after it (titles that open
    // so go on with ordinary words: "Why We Sleep", "In Rainbows", "Under Pressure").
    if (openingFunctionWords && second && i === firstWordIndex(tokens) && start === first.start && second.end === span.end && first.end < second.start
      && /^\p{Lu}\p{Ll}*$/u.test(first.text) && (FUNCTION_WORDS.has(first.text.toLowerCase()) || PREPOSITIONS.has(first.text.toLowerCase())) && !KEPT_OPENERS.has(first.text.toLowerCase())
      && firstNames?.has(first.text.toLowerCase()) !== true && /^\p{Lu}/u.test(second.text) && !FUNCTION_WORDS.has(second.text.toLowerCase()) && !isOrdinaryWord(second.text)) {
      start = second.start; i += 1;
    }
    // The span opens with a word, its glued colon and a capitalised word.
    const colon = tokens[i + 1], after = tokens[i + 2];
    const labelled = colon?.text === ':' && after !== undefined && after.end <= span.end && tokens[i].start === start
      && colon.start === tokens[i].end && /^\p{Lu}/u.test(after.text);
    if (labelled && isOrdinaryWord(tokens[i].text)) {
      // "Respondent: Brightline Housing Ltd": a label word and its colon go.
      start = after.start; i += 2;
    } else if (labelled && !FUNCTION_WORDS.has(after.text.toLowerCase()) && /^\p{Lu}\p{L}*$/u.test(tokens[i].text)
      && (opensLine(sentence, tokens, i) || firstNames?.has(tokens[i].text.toLowerCase()) === true)) {
      // "Sam: Continental GP5000", "Priya: Le Labo Santal 33", "vinyl for Dev: Joy Division": a
      // line's label, or a first name, and its colon name who or what the rest is about, as in
      // "Jonas: chalk bag"; both are names. (A title written so, "Planescape: Torment", is rarer
      // at a line's start than a note's "Name: …"; a subtitle opening with a function word, "Ariel:
      // The Restored Edition", is left whole.)
      out.push({ start, end: tokens[i].end });
      start = after.start; i += 2;
    }
    for (; i < tokens.length && tokens[i].end <= span.end; i++) {
      const t = tokens[i], next = tokens[i + 1];
      if (!next || next.end > span.end) break;
      const gapBefore = t.start > (tokens[i - 1]?.end ?? t.start), gapAfter = next.start > t.end;
      let cutHere = false, resumeAt = -1;
      if (OPERATORS.has(t.text) && gapBefore && gapAfter) { cutHere = true; resumeAt = next.start; }
      else if (innerLowerCase && careful && gapBefore && gapAfter && /^\p{Ll}+$/u.test(t.text) && /^\p{Lu}/u.test(tokens[i - 1].text) && /^\p{Lu}/u.test(next.text)
        && !FUNCTION_WORDS.has(t.text) && !NAME_PARTICLES.has(t.text) && isOrdinaryWord(t.text)) {
        // "Joyce recommended Dopesick", "Philips tuner FR12X6": an ordinary lower-case word
        // between two capitalised ones sets two names apart.
        cutHere = true; resumeAt = next.start;
      } else if (slashedNames && t.text === '/' && !gapBefore && !gapAfter && tokens[i - 1].start === start && TITLE_CASE_WORD.test(tokens[i - 1].text)
        && (TITLE_CASE_WORD.test(next.text) || (NAME_PARTICLES.has(next.text) && /^\p{Lu}/u.test(tokens[i + 2]?.text ?? '')))) {
        // "the Nixon/Watergate run", "Tosca: Callas/de Sabata": a slash after a one-word name sets
        // two names side by side, as "SSL/TLS" does (capitals only, "AC/DC", "PAL-B/G", and a
        // product's "Spirit TV Tuner/Video Capture Card" stay whole).
        cutHere = true; resumeAt = next.start;
      } else if (unclosed && QUOTE_MARKS.has(t.text) && gapBefore !== gapAfter) {
        // What follows opens with its first capitalised word ('"Blackbird" the Beatles song' → "Beatles").
        cutHere = true;
        let k = i + 1;
        while (k < tokens.length && tokens[k].end <= span.end && !/^[\p{Lu}\p{N}]/u.test(tokens[k].text)) k++;
        resumeAt = k < tokens.length && tokens[k].end <= span.end ? tokens[k].start : span.end;
        i = k - 1;
      }
      else if (t.text === '.' && gapAfter && cased && !isAbbreviationBefore(tokens, i)) {
        // A full stop before a lower-case word, or before a line break, ends the name.
        if (/^\p{Ll}/u.test(next.text) || /[\n\r]/.test(sentence.slice(t.end, next.start))) {
          cutHere = true;
          // What follows is a new clause: its lower-case words are no name ("Marx. classic").
          let k = i + 1;
          while (k < tokens.length && tokens[k].end <= span.end && !/^[\p{Lu}\p{N}]/u.test(tokens[k].text)) k++;
          resumeAt = k < tokens.length && tokens[k].end <= span.end ? tokens[k].start : span.end;
          i = k - 1;
        }
      }
      if (!cutHere) continue;
      pushPiece(out, sentence, start, t.start, careful && trimmable(start, t.start), careful && leadingLowerCase);
      start = resumeAt;
    }
    pushPiece(out, sentence, start, span.end, careful && trimmable(start, span.end), careful && leadingLowerCase);
  }
  return out;
}

/** Token `i` is the first word of its line in the sentence (after a list marker). */
function opensLine(sentence: string, tokens: readonly Token[], i: number): boolean {
  return i === firstWordIndex(tokens) || (i > 0 && /[\n\r]/.test(sentence.slice(tokens[i - 1].end, tokens[i].start)));
}

/** The token before the full stop at `i` is an abbreviation ("Dr", "St") or an initial before a lower-case word, that the stop belongs to. */
function isAbbreviationBefore(tokens: readonly Token[], i: number): boolean {
  const before = tokens[i - 1];
  if (before === undefined) return false;
  // An initial, even one written "J . cole" (WNUT-17's tokens).
  if (/^\p{L}$/u.test(before.text)) return /^\p{Ll}/u.test(tokens[i + 1]?.text ?? '');
  return before.end === tokens[i].start && ABBREVIATIONS.has(before.text.toLowerCase());
}

const capitalisedWords = (text: string) => (text.match(/(?:^|[\s(])\p{Lu}/gu) ?? []).length;

/** A short weekday after a capitalised word at a span's end ("Borough Market Sat", "Crystal Palace Thurs"). */
const TRAILING_WEEKDAY = /(?<=\p{Lu}[\p{L}\p{M}'’.-]*) (?:Mon|Tue|Tues|Wed|Weds|Thu|Thur|Thurs|Fri|Sat)\.?$/u;
const WEEKDAYS = new Set(['Mon', 'Tue', 'Tues', 'Wed', 'Weds', 'Thu', 'Thur', 'Thurs', 'Fri', 'Sat']);

/** Lower-case words that open surnames and names of places and papers ("van Gogh", "de Gaulle", "Corriere della Sera"). */
const NAME_PARTICLES = new Set(['de', 'da', 'di', 'du', 'del', 'della', 'dei', 'des', 'van', 'von', 'der', 'den', 'la', 'le', 'les', 'los', 'las', 'al', 'el',
  'bin', 'ibn', 'ben', 'bat', 'ap', 'ter', 'ten', 'op', 'zu', 'y', 'e']);

function pushPiece(out: OffsetSpan[], sentence: string, start: number, end: number, careful: boolean, carefulStart = false): void {
  while (end > start && /\s/.test(sentence[end - 1])) end--;
  // "underrates Severus", "took the hydrofoil Milazzo": an ordinary lower-case word before a
  // capitalised name is no part of it.
  while (carefulStart) {
    const m = /^(\p{Ll}+)\s+(?=\p{Lu})/u.exec(sentence.slice(start, end));
    if (!m || NAME_PARTICLES.has(m[1]) || !isOrdinaryWord(m[1])) break;
    start += m[0].length;
  }
  // A note dates what it names ("buy from the fishmonger at Borough Market Sat before"); no name
  // ends in an abbreviated weekday ("Sun" is left: "The Sun", "Klara and the Sun").
  // (Tried only where the span's last word is one: the lookbehind scans back at every space.)
  const lastSpace = sentence.lastIndexOf(' ', end - 1);
  const weekday = lastSpace > start && WEEKDAYS.has(sentence.slice(lastSpace + 1, sentence[end - 1] === '.' ? end - 1 : end))
    ? TRAILING_WEEKDAY.exec(sentence.slice(start, end)) : null;
  if (weekday) end -= weekday[0].length;
  if (careful) {
    // "King Arthur bread": lower-case ordinary words after a capitalised name are what it names.
    for (;;) {
      const m = /\s(\p{Ll}+)$/u.exec(sentence.slice(start, end));
      if (!m || !/\p{Lu}/u.test(sentence.slice(start, end - m[0].length)) || !isOrdinaryWord(m[1])) break;
      end -= m[0].length;
    }
  }
  if (end > start && /\p{L}/u.test(sentence.slice(start, end))) out.push({ start, end });
}
