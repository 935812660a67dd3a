// The committed word lists beside the tagger (terms, name adjectives, first names): one entry per
// line, '#' lines are comments.
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
