// Builds a synthetic prose corpus of Markdown files from the shared labelled sentences, for
// benchmarks. Paragraphs are seeded random draws of 3–7 sentences, so no two are identical;
// MultiCoNER's lower-cased sentences get a capital first letter; every few paragraphs a heading,
// a list or a fenced code block is added so the Markdown path is exercised.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConll } from '../server/src/engine/eval/conll.ts';
import { mulberry32 } from '../server/src/engine/random.ts';
import { sharedDir } from '../server/src/engine/types.ts';


export function loadSentences(): string[] {
  const dir = sharedDir();
  const texts = [
    ...readConll(join(dir, 'data/multiconer2-en/train.conll')).map((s) => s.text),
    ...readConll(join(dir, 'data/wnut17/train.conll')).map((s) => s.text),
  ];
  return texts.map((t) => {
    const clean = t.replace(/\s+([.,;:!?')])/g, '$1').replace(/([(])\s+/g, '$1');
    return clean.charAt(0).toUpperCase() + clean.slice(1) + (/[.!?]$/.test(clean) ? '' : '.');
  });
}

/** Writes files of about `fileBytes` each until `totalBytes` is reached. Returns the file paths. */
export function buildCorpus(outDir: string, totalBytes: number, fileBytes = 100_000, seed = 7): string[] {
  const sentences = loadSentences();
  const rand = mulberry32(seed);
  const pick = () => sentences[Math.floor(rand() * sentences.length)];
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
