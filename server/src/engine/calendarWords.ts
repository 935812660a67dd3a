// Months and weekdays, written out and short: dates, which no convention the detector follows counts
// as names. Shared by detection (a lone month or weekday is a date, tagger.ts) and ingest (a word
// capitalised as a date is no evidence of a name, positionalCapitals.ts). "May" is a function word
// (functionWords.ts), and a date only in a date's company.
export const CALENDAR_WORDS: ReadonlySet<string> = new Set(['january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
/** Weekdays written short ("Sat", "Weds", "Thurs"), words of their own too ("sun", "sat", "wed"): dates only in a date's company. */
export const DAY_ABBREVIATIONS: ReadonlySet<string> = new Set(['mon', 'tue', 'tues', 'wed', 'weds', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun']);
