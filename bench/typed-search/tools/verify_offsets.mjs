// Independent cross-check of gold.jsonl offsets using JavaScript (native UTF-16) strings.
// Usage: node tools/verify_offsets.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cache = {};
let bad = 0, n = 0;
for (const raw of fs.readFileSync(path.join(root, 'gold.jsonl'), 'utf8').split('\n')) {
  if (!raw.trim()) continue;
  const g = JSON.parse(raw);
  cache[g.file] ??= fs.readFileSync(path.join(root, 'notes', g.file), 'utf8').split('\n');
  const line = cache[g.file][g.line];
  n++;
  if (line === undefined || line.slice(g.start, g.end) !== g.text) {
    bad++;
    console.log('MISMATCH', JSON.stringify(g), JSON.stringify(line?.slice(g.start, g.end)));
  }
}
console.log(`${n} gold lines checked, ${bad} mismatches`);
process.exit(bad ? 1 : 0);
