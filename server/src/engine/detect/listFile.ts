// The committed word lists beside the tagger (terms, name adjectives, first names): one entry per
// line, '#' lines are comments.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The entries of a list file; `what` and `envVar` name it in the error a missing file gives. */
export function readListFile(path: string, what: string, envVar: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${what} ${path} cannot be read (${(err as Error).message}); reinstall the package or set ${envVar}`);
  }
  return text.split(/\r?\n/).filter((l) => !l.startsWith('#'));
}

/** A list's words, trimmed, lower-cased and distinct, with a short hash of them (part of the detector id). */
export function wordSetOf(words: readonly string[]): { words: ReadonlySet<string>; hash: string } {
  const clean = [...new Set(words.map((w) => w.trim().toLowerCase()).filter(Boolean))].sort();
  return { words: new Set(clean), hash: createHash('sha256').update(clean.join('\n')).digest('hex').slice(0, 8) };
}
