// "iPhone 15", "Raspberry Pi 4", "Dell XPS 15", "BBC Radio 4", "Focusrite Scarlett 2i2": a product's
// model number after its name is part of the name (WNUT-17 writes "Iphone 7", "Xbox 360", "Windows
// 7"; MultiCoNER "boeing 767", "commodore 64"), where the tagger often stops before the number.
// A variant word after the number is part of it ("iPhone 13 mini"), and an act's year ("Equality Act
// 2010"). Not after a person ("Kofi 97!!", "Zain 3 tries": scores), nor a year ("Korean War 1950"), a
// quantity ("Twitter 50 followers" aside, a unit or a per cent), a score ("Arsenal 2-1") or a
// version of a language or system that notes write with its number ("Rails 7", "macOS 14").
import type { OffsetSpan } from '../types.ts';
import { wordNetNameKind } from './wordClasses.ts';

/** Software whose number after its name is a version (out by the conventions the sets share), lower-cased. */
const VERSIONED = new Set([
  'python', 'java', 'node', 'node.js', 'rails', 'ruby', 'php', 'perl', 'go', 'rust', 'kotlin', 'swift', 'scala', 'django', 'react',
  'angular', 'vue', 'postgres', 'postgresql', 'mysql', 'macos', 'ios', 'ipados', 'watchos', 'android', 'ubuntu', 'debian', 'fedora',
  'centos', 'rhel', 'alpine', 'gcc', 'clang', 'llvm', 'net', '.net', 'spring', 'laravel', 'symfony', 'typescript', 'webpack', 'gradle',
  'maven', 'kubernetes', 'elasticsearch', 'redis', 'mongodb', 'oracle', 'excel', 'office', 'poetry', 'npm', 'yarn', 'pip', 'bootstrap',
]);
/** Words a number after which counts a part or a place in a series, not a model ("Chapter 12", "Section 30", "Room 4"). */
const SERIES_WORDS = new Set(['section', 'chapter', 'figure', 'fig', 'table', 'page', 'part', 'step', 'appendix', 'volume', 'vol', 'article', 'rule',
  'level', 'grade', 'week', 'day', 'lecture', 'unit', 'lesson', 'room', 'episode', 'season', 'track', 'exercise', 'question', 'phase', 'stage',
  'round', 'item', 'note', 'example', 'line', 'slide', 'book', 'act', 'scene', 'verse', 'psalm', 'clause', 'paragraph', 'floor', 'gate', 'platform']);
/** A model number: 1–4 digits, perhaps with a letter or a letter and digit glued on ("2i2", "8SE", "360"), not a quantity's ("2k", "5m", "3x", "4g", "2h") or a plural ("737s"). */
const NUMBER_AFTER = /^ (\d{1,4}(?:[a-jl-z]\d|[a-fi-jl-ln-rtuwyz]|[A-Z]{1,3})?)(?=$|[\s,;:!?)\]|]|\.(?!\d))/u;
/** A model's variant after its number ("iPhone 13 mini", "PromethION 2 Solo", "Galaxy S24 Ultra"). */
const VARIANT_AFTER = /^ (?:mini|Mini|Pro|Max|Plus|Ultra|Lite|Air|SE|XL|Solo)(?![\p{L}\p{N}])/u;
/** What makes the number a quantity, a score, a time or a range instead ("95%", "2-1", "4:30", "3 x", "10 mins"). */
const QUANTITY_AFTER = /^(?:%|[-–:/.,x×]\d|\s*[-–—:/]\s*\d|\s+\d|\s*\?|\s*(?:%|x\b|×|mg|g|kg|km|mi|m|cm|mm|ml|l|h|hrs?|mins?|secs?|k\b|pts?|points|goals|tries|runs|wickets|followers|likes|views|people|times|years?|months?|weeks?|days?|hours?|minutes?|seconds?|percent|pages?|miles|steps)\b)/iu;

/** `spans` (sorted) with a model number right after a product's name joined to it; `isFirstName` tells a person's name. */
export function attachModelNumbers(sentence: string, spans: readonly OffsetSpan[], isFirstName: (word: string) => boolean): OffsetSpan[] {
  // "Arsenal 1 Leicester 1", "Rossi 9 Biaggi 3": a name, its number and right after it another name
  // and its number are a list of scores or amounts, unless they stand in a table's cells ("Dell XPS 15 | Framework Laptop 13").
  const endOfNumber = (x: OffsetSpan) => { const m = NUMBER_AFTER.exec(sentence.slice(x.end, x.end + 12)); return m ? x.end + m[0].length : -1; };
  const scores = spans.some((x, i) => {
    const end = endOfNumber(x), next = spans[i + 1];
    return end >= 0 && next !== undefined && /^[\s,;]*$/.test(sentence.slice(end, next.start)) && endOfNumber(next) >= 0;
  });
  if (scores && !sentence.includes('|')) return spans as OffsetSpan[];
  const out: OffsetSpan[] = [];
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    out.push(span);
    const text = sentence.slice(span.start, span.end);
    if (!/[\p{L}]$/u.test(text)) continue;
    const m = NUMBER_AFTER.exec(sentence.slice(span.end, span.end + 12));
    if (!m) continue;
    const number = m[1];
    // A year, except an act's ("Equality Act 2010", "Employment Rights Act 1996").
    const year = /^\d{4}$/.test(number) && Number(number) >= 1000 && Number(number) <= 2099;
    if (year && !/ Acts?$/.test(text)) continue;
    let numberEnd = span.end + m[0].length;
    if (QUANTITY_AFTER.test(sentence.slice(numberEnd, numberEnd + 12))) continue;
    if (spans[i + 1] && spans[i + 1].start < numberEnd) continue;
    const words = text.split(/\s+/);
    if (words.length === 1 && SERIES_WORDS.has(words[0].toLowerCase())) continue;
    // A person, place or group WordNet knows by this one word: a composer's work ("Rachmaninoff 3",
    // "Sibelius 2"), an airline's aircraft ("Norwegian 737").
    if (words.length === 1 && wordNetNameKind(words[0].toLowerCase()) === 'name') continue;
    if (words.some((w) => isFirstName(w.toLowerCase())) || VERSIONED.has(words[words.length - 1].toLowerCase())) continue;
    if (!year) numberEnd += VARIANT_AFTER.exec(sentence.slice(numberEnd, numberEnd + 8))?.[0].length ?? 0;
    // The tagger's span of the variant ("[Solo]") is absorbed.
    while (spans[i + 1] && spans[i + 1].start < numberEnd) numberEnd = Math.max(numberEnd, spans[++i].end);
    out[out.length - 1] = { start: span.start, end: numberEnd };
  }
  return out;
}
