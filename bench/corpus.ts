// Builds a synthetic prose corpus of Markdown files from the shared labelled sentences, for
// benchmarks. Paragraphs are seeded random draws of 3–7 sentences; each drawn sentence has its
// entity mentions swapped for random mentions of the same type (from the same data), so a large
// corpus does not repeat sentences verbatim: ≈ 18k source sentences would otherwise recur 25×
// in 50 MB and 50× in 120 MB, and identical mention vectors by the dozen are neither what notes
// look like nor harmless to an HNSW graph. MultiCoNER's lower-cased sentences get a capital first
// letter; every few paragraphs a heading, a list or a fenced code block is added so the Markdown
// path is exercised.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConll, type LabelledSentence } from '../server/src/engine/eval/conll.ts';
import { mulberry32 } from '../server/src/engine/random.ts';
import { sharedDir } from '../server/src/engine/types.ts';

function tidy(t: string): string {
  const clean = t.replace(/\s+([.,;:!?')])/g, '$1').replace(/([(])\s+/g, '$1');
  return clean.charAt(0).toUpperCase() + clean.slice(1) + (/[.!?]$/.test(clean) ? '' : '.');
}

function labelled(): LabelledSentence[] {
  const dir = sharedDir();
  return [...readConll(join(dir, 'data/multiconer2-en/train.conll')), ...readConll(join(dir, 'data/wnut17/train.conll'))];
}

/** A sentence source: each call returns a random sentence with its mentions swapped for random same-type mentions. */
export function sentenceSampler(rand: () => number, verbatim = false): () => string {
  const sentences = labelled();
  const byType = new Map<string, string[]>();
  for (const s of sentences) for (const sp of s.spans) {
    const list = byType.get(sp.type) ?? [];
    list.push(s.text.slice(sp.start, sp.end));
    byType.set(sp.type, list);
  }
  return () => {
    const s = sentences[Math.floor(rand() * sentences.length)];
    if (verbatim) return tidy(s.text);
    let text = '';
    let at = 0;
    for (const sp of [...s.spans].sort((x, y) => x.start - y.start)) {
      const pool = byType.get(sp.type)!;
      text += s.text.slice(at, sp.start) + pool[Math.floor(rand() * pool.length)];
      at = sp.end;
    }
    return tidy(text + s.text.slice(at));
  };
}

/**
 * Writes files of about `fileBytes` each until `totalBytes` is reached. Returns the file paths.
 * `verbatim`: source sentences as they are (the corpus of earlier benchmark runs, which repeats them).
 */
export function buildCorpus(outDir: string, totalBytes: number, fileBytes = 100_000, seed = 7, verbatim = false): string[] {
  const rand = mulberry32(seed);
  const pick = sentenceSampler(rand, verbatim);
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  let written = 0;
  for (let f = 0; written < totalBytes; f++) {
    const parts: string[] = [`# Notes ${f}`, ''];
    let size = 0;
    for (let p = 0; size < fileBytes; p++) {
      const n = 3 + Math.floor(rand() * 5);
      let para = Array.from({ length: n }, pick).join(' ');
      if (p % 9 === 4) para = `## ${pick().slice(0, 60)}`;
      else if (p % 13 === 7) para = Array.from({ length: 3 }, () => `- ${pick()}`).join('\n');
      else if (p % 17 === 11) para = '```js\nconst river = "Danube"; // code is not prose\n```';
      parts.push(para, '');
      size += para.length + 2;
    }
    const path = join(outDir, `notes-${String(f).padStart(5, '0')}.md`);
    const text = parts.join('\n');
    writeFileSync(path, text);
    files.push(path);
    written += Buffer.byteLength(text);
  }
  return files;
}
