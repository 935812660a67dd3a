// The hand-written notes sets that eval-detector scores (test/fixtures/detection/notes-style*):
// every gold span is the UTF-16 slice of its line it says it is, and spans of a line do not overlap,
// so a set copied in with a stray edit or CRLF line endings fails here, not silently in a score.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../fixtures/detection/', import.meta.url));
const sets = readdirSync(root).filter((d) => d.startsWith('notes-style')).sort();

test('notes-style sets: each gold span is the slice of its line, spans of a line are sorted and apart, every note has a gold line', () => {
  assert.ok(sets.length >= 5, sets.join(', '));
  for (const set of sets) {
    const dir = join(root, set);
    const notes = readdirSync(dir).filter((f) => /\.(md|txt)$/.test(f) && f !== 'README.md');
    const gold = readFileSync(join(dir, 'gold.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { file: string; spans: Array<[number, number, number, string, string]> });
    assert.deepEqual(gold.map((g) => g.file).sort(), notes.sort(), `${set}: gold lines and notes`);
    for (const { file, spans } of gold) {
      const text = readFileSync(join(dir, file), 'utf8');
      assert.ok(!text.includes('\r'), `${set}/${file}: LF line endings`);
      const lines = text.split('\n');
      let last = { line: -1, end: 0 };
      for (const [line, start, end, words] of spans) {
        assert.equal(lines[line]?.slice(start, end), words, `${set}/${file}:${line}:${start}`);
        assert.ok(line > last.line || start >= last.end, `${set}/${file}:${line}:${start}: sorted, not overlapping`);
        last = { line, end };
      }
    }
  }
});
