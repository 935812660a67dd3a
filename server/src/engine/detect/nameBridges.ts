// Names that run over a lower-case "of" or "for": "World Organization of the Scout Movement",
// "Windows Subsystem for Linux", "International Centre for Hydrogen Energy Technologies". The
// tagger, reading five words at a time, often ends a span at the lower-case word and starts another
// after it. Two spans joined by " of ", " for ", " of the " or " for the " are one name when the
// first ends in a capitalised common noun (Organization, Centre, Code, Standard), which wants its
// complement, and the second starts with a capital. A first span ending in a name word ("Primož
// Roglič of Slovenia", "Smith of Microsoft") is a name of its own, and so is a lone word opening the
// sentence, capitalised by position ("Users of Windows"). A bare "the" is no bridge: "John the
// Baptist", but "In Prague the Vltava is crossed by …".
//
// "For" is a looser bridge than "of": "keep Azure for the Toyota tenant", "Slack for the Acme
// account", "the Guardian for English", "Lucky Saint for Ben" join a name to another that it serves.
// Many names end in a common word (azure, slack, guardian, saint), so the head's being a common noun
// says little. What takes a "for" complement inside a name is the head of an institution, an office,
// an award or a system built for something ("Bank for International Settlements", "Centers for
// Disease Control", "Minister for Foreign Affairs", "Windows Subsystem for Linux"): FOR_HEADS lists
// them (every head of WordNet 3.1's "… for …" names among them), and only they bridge over "for",
// besides a capitalised function word, which only a title in Title Case has.
// The same list keeps a span of the tagger's whole where a place's or person's name stands before
// "for" ("California for Yosemite" → "California", "Yosemite"): no such name takes a complement.
import type { OffsetSpan } from '../types.ts';
import { isOrdinaryWord, wordNetNameKind } from './wordClasses.ts';
import { FUNCTION_WORDS } from '../functionWords.ts';

/** The words that bridge two spans into one name (pattern source; the table-cell rule in tagger.ts leaves them too). */
export const BRIDGE_WORDS = '(?:of|for)(?: the)?';
const OF_BRIDGE = new RegExp(`^ ${BRIDGE_WORDS} $`);
const WORD_OR_NUMBER = /[\p{L}\p{N}]/u;

/** Merges spans joined by an "of"/"for" bridge as described above; `spans` sorted by start. */
export function joinNameBridges(sentence: string, spans: readonly OffsetSpan[]): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && /^\p{Lu}/u.test(sentence[span.start]) && bridges(sentence, last, sentence.slice(last.end, span.start))) {
      out[out.length - 1] = { start: last.start, end: span.end };
      continue;
    }
    out.push(span);
  }
  return out;
}

function bridges(sentence: string, first: OffsetSpan, gap: string): boolean {
  if (!OF_BRIDGE.test(gap)) return false;
  const words = sentence.slice(first.start, first.end).split(/\s+/);
  const head = words[words.length - 1];
  if (words.length === 1 && !WORD_OR_NUMBER.test(sentence.slice(0, first.start))) return false;
  // (A capitalised function word before "for" is Title Case: a title keeps its "for", "Save It All
  // for Christmas Day".)
  if (gap.startsWith(' for ') && !isForHead(head) && !FUNCTION_WORDS.has(head.toLowerCase())) return false;
  return /^\p{Lu}\p{Ll}+$/u.test(head) && isOrdinaryWord(head);
}

/**
 * Heads that take a "for" complement inside a name (lower case, singular; a plural "-s" or "-es"
 * is read off): institutions and bodies ("Bank for International Settlements", "Society for the
 * Prevention of Cruelty to Animals", "Front for the Liberation of …"), offices ("Minister for
 * Foreign Affairs"), awards ("Academy Award for Best Actor") and systems made for something
 * ("Windows Subsystem for Linux", "Google Plugin for Eclipse").
 */
const FOR_HEADS = new Set([
  // Institutions, bodies and groups (WordNet's: association, bank, center, centre, code, commission,
  // committee, directorate, front, group, jihad, movement, office, organization, society, union, army).
  'academy', 'administration', 'agency', 'alliance', 'army', 'association', 'authority', 'bank', 'board', 'bureau', 'campaign',
  'center', 'centre', 'chamber', 'coalition', 'college', 'commission', 'committee', 'conference', 'consortium', 'corps', 'council', 'court',
  'department', 'directorate', 'federation', 'forum', 'foundation', 'front', 'fund', 'group', 'hospital', 'initiative', 'institute',
  'institution', 'jihad', 'laboratory', 'league', 'library', 'ministry', 'mission', 'movement', 'museum', 'network', 'observatory', 'office',
  'organisation', 'organization', 'panel', 'partnership', 'party', 'program', 'programme', 'project', 'school', 'service', 'society',
  'trust', 'tribunal', 'union', 'university',
  // Offices.
  'ambassador', 'commissioner', 'envoy', 'minister', 'ombudsman', 'representative', 'secretary',
  // Awards.
  'award', 'cup', 'medal', 'prize', 'trophy',
  // Systems and tools made for something.
  'code', 'edition', 'extension', 'framework', 'kit', 'plugin', 'standard', 'subsystem', 'system', 'tool', 'toolkit',
]);

/** The capitalised head word is one of FOR_HEADS, or its plural ("Centers", "Tools"). */
function isForHead(head: string): boolean {
  const lower = head.toLowerCase();
  return FOR_HEADS.has(lower) || (lower.endsWith('s') && FOR_HEADS.has(lower.slice(0, -1))) || (lower.endsWith('es') && FOR_HEADS.has(lower.slice(0, -2)));
}

const FOR_INSIDE = / for (?:the )?(?=\p{Lu})/gu;

/**
 * A span of the tagger's own that runs over "for" or "for the" after a capitalised word WordNet
 * knows mainly as the name of a place, person or group ("California for Yosemite") is two names,
 * split there: such a name takes no complement, unless it is itself one of FOR_HEADS. `spans`
 * sorted by start.
 */
export function splitAtNameFor(sentence: string, spans: readonly OffsetSpan[]): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  for (const span of spans) {
    const text = sentence.slice(span.start, span.end);
    let start = span.start;
    if (text.includes(' for ')) {
      for (const m of text.matchAll(FOR_INSIDE)) {
        const head = /(\S+)$/u.exec(text.slice(0, m.index))?.[1] ?? '';
        if (!/^\p{Lu}\p{Ll}+$/u.test(head) || isForHead(head) || wordNetNameKind(head) !== 'name') continue;
        out.push({ start, end: span.start + m.index });
        start = span.start + m.index + m[0].length;
      }
    }
    out.push(start === span.start ? span : { start, end: span.end });
  }
  return out;
}

const TITLE_WORD = /^\p{Lu}\p{Ll}+$/u;
/** A capitalised word and a model code after it ("Packard C2502"): no second name, as a title and an artist would be. */
const TITLE_AND_MODEL = /^\p{Lu}\p{Ll}+(?: (?=[\p{L}\d-]*\d)[\p{Lu}\d][\p{L}\d-]*)+$/u;

/**
 * Merges two spans that are each one capitalised word ("Internet", "Explorer") and stand one
 * space apart mid-sentence: the tagger split a two-word name. So is a maker's one-word name before
 * a capitalised word and its model code ("Hewlett" + "Packard C2502"). Longer spans are left apart ("U.S.
 * President Bill Clinton" has two names, and so has a title followed by its artist), and so is a
 * first word at the start of the sentence, capitalised by position. `spans` sorted by start.
 */
export function joinAdjacentWords(sentence: string, spans: readonly OffsetSpan[]): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && last.start > 0 && span.start === last.end + 1 && sentence[last.end] === ' '
      && TITLE_WORD.test(sentence.slice(last.start, last.end)) && (TITLE_WORD.test(sentence.slice(span.start, span.end)) || TITLE_AND_MODEL.test(sentence.slice(span.start, span.end)))) {
      out[out.length - 1] = { start: last.start, end: span.end };
      continue;
    }
    out.push(span);
  }
  return out;
}
