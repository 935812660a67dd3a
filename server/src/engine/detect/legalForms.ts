// "Ashcombe Partners LLP", "Bluefinch Holdings BV", "Wildflower & Co": a company's legal form
// after its name is part of the name. The tagger learned "Ltd", "Inc" and "GmbH" from its data but
// leaves rarer forms out, or takes them as an acronym of their own ("[Ashcombe Partners] [LLP]").
// The forms are a closed list of company suffixes from English-, German-, Dutch-, French-,
// Italian-, Spanish-, Nordic- and Asian-law countries; "Co." alone is left out ("Co. Cork" is a
// county), "& Co" is in.
import type { OffsetSpan } from '../types.ts';

const FORMS = [
  'LLP', 'LLC', 'L\\.L\\.C\\.', 'LP', 'Ltd', 'PLC', 'plc', 'Inc', 'Corp', 'PBC', 'Pty', 'Pte',
  'GmbH', 'AG', 'KG', 'KGaA', 'OHG', 'UG', 'BV', 'B\\.V\\.', 'NV', 'N\\.V\\.', 'SA', 'S\\.A\\.', 'SAS', 'SARL', 'SpA', 'S\\.p\\.A\\.', 'Srl', 'S\\.r\\.l\\.', 'SL', 'S\\.L\\.',
  'AB', 'ASA', 'A/S', 'ApS', 'Oy', 'Oyj', 'SE', 'KK', 'K\\.K\\.', 'Bhd', 'Sdn Bhd',
  '& Co',
];
/** A space and a legal form right after a name; the form ends at a non-letter (its own dots are part of it). */
const FORM_AFTER = new RegExp(`^ (?:${FORMS.join('|')})(?![\\p{L}\\p{N}])`, 'u');

/**
 * `spans` (sorted by start) with a legal form right after a span joined to it, and a span that
 * held only that form (the tagger's "[LLP]") merged into it.
 */
export function attachLegalForms(sentence: string, spans: readonly OffsetSpan[]): OffsetSpan[] {
  const out: OffsetSpan[] = [];
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    // After a name: its last character a letter or digit ("Bluefinch Holdings BV"), not a quote or bracket.
    if (!/[\p{L}\p{N}]/u.test(sentence[span.end - 1] ?? '')) { out.push(span); continue; }
    const form = FORM_AFTER.exec(sentence.slice(span.end, span.end + 12));
    if (!form) { out.push(span); continue; }
    let end = span.end + form[0].length;
    // The tagger's span of the form alone, or of the form and what follows it, is absorbed.
    while (i + 1 < spans.length && spans[i + 1].start < end) { end = Math.max(end, spans[i + 1].end); i++; }
    out.push({ start: span.start, end });
  }
  return out;
}
