// Adjectives formed from proper names ("Russian", "Kurdish", "Muslim", "Parisian") as spans in
// cased text. English capitalises them wherever they stand and newswire conventions count them as
// names (CoNLL MISC, OntoNotes NORP), but the tagger reads them as adjectives ("Russian troops
// pulled out"), and its sentence-start retry skips words WordNet lists as adjectives. The list
// (models/detector/name-adjectives.txt) is built from WordNet by scripts/name-adjectives.ts.
import { createHash } from 'node:crypto';
import { readListFile } from './listFile.ts';
import type { Token } from './tokenize.ts';

export class NameAdjectives {
  private constructor(
    /** Always a name when written with its capital ("Russian"). */
    private readonly names: ReadonlySet<string>,
    /** Also an ordinary word ("Polish" / "polish"): a name only mid-sentence in normal casing. */
    private readonly ambiguous: ReadonlySet<string>,
    readonly hash: string,
  ) {}

  /** Entries as in the file: the word as written, " *" after one that is also an ordinary word. */
  static fromEntries(entries: readonly string[]): NameAdjectives {
    const clean = [...new Set(entries.map((e) => e.trim()).filter(Boolean))].sort();
    const names = new Set<string>();
    const ambiguous = new Set<string>();
    for (const entry of clean) {
      const [word, mark] = entry.split(/\s+/);
      (mark === '*' ? ambiguous : names).add(word);
    }
    return new NameAdjectives(names, ambiguous, createHash('sha256').update(clean.join('\n')).digest('hex').slice(0, 8));
  }

  /** One entry per line; lines starting with '#' are comments. */
  static load(path: string): NameAdjectives {
    return NameAdjectives.fromEntries(readListFile(path, 'name-adjective list', 'NER_DETECTOR_NAME_ADJECTIVES'));
  }


  /**
   * Indices of tokens that are name adjectives. `capitalsMeanNames`: the text is normally cased
   * prose (not a Title Case line or a heading), where a mid-sentence capital sets "Polish" apart
   * from "polish"; the caller skips all-capitals text, where no capital means anything.
   */
  find(tokens: readonly Token[], capitalsMeanNames: boolean): number[] {
    const out: number[] = [];
    for (let i = 0; i < tokens.length; i++) if (this.isNameAt(tokens, i, capitalsMeanNames)) out.push(i);
    return out;
  }

  /** Token i is a name adjective (rules of `find`). */
  isNameAt(tokens: readonly Token[], i: number, capitalsMeanNames: boolean): boolean {
    const word = tokens[i].text;
    return this.names.has(word) || (capitalsMeanNames && i > 0 && this.ambiguous.has(word));
  }
}
