// Second offset check in Node.js: JavaScript strings are UTF-16, so line.slice(start, end)
// must equal `text` for every gold line and every reviewed non-mention.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cache = new Map();
const lines = (f) => {
  if (!cache.has(f)) cache.set(f, readFileSync(join(root, "notes", f), "utf8").split("\n"));
  return cache.get(f);
};
let bad = 0, n = 0;
for (const rel of ["gold.jsonl", "tools/non_mentions.jsonl"]) {
  for (const row of readFileSync(join(root, rel), "utf8").split("\n").filter((l) => l.trim())) {
    const g = JSON.parse(row);
    n++;
    const line = lines(g.file)[g.line];
    const got = line === undefined ? undefined : line.slice(g.start, g.end);
    if (got !== g.text) {
      bad++;
      console.log("MISMATCH", rel, JSON.stringify(g), JSON.stringify(got));
    }
  }
}
console.log(`${n} spans checked, ${bad} mismatches`);
process.exit(bad ? 1 : 0);
