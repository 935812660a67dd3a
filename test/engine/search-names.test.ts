// Grouping a query's hits by name (`--names`): case and spacing aside, best first, with counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupByName, mentionName, type SearchHit } from '../../server/src/engine/query/search.ts';

const hit = (text: string, score: number, path: string, line: number, docId?: string): SearchHit => ({
  query: 'q', text, score, path, ...(docId !== undefined ? { docId } : {}),
  range: { start: { line, character: 0 }, end: { line, character: text.length } }, start: 0, end: text.length, label: line,
});

test('groupByName: one entry per name whatever its case and spacing, its best mention, mentions and documents', () => {
  const names = groupByName([
    hit('Unix', 0.9, 'a.md', 1), hit('Linux', 0.85, 'a.md', 2), hit('UNIX', 0.95, 'b.md', 3), hit('unix', 0.5, 'b.md', 4),
    hit('Mac  OS', 0.7, 'c.md', 5), hit('Mac OS', 0.6, 'c.md', 6), hit('Linux', 0.8, 'corpus.jsonl', 0, 'd1'), hit('Linux', 0.8, 'corpus.jsonl', 0, 'd2'),
  ]);
  assert.deepEqual(names.map((n) => [n.text, n.score, n.mentions, n.documents]), [
    ['UNIX', 0.95, 3, 2], ['Linux', 0.85, 3, 3], ['Mac  OS', 0.7, 2, 1],
  ]);
  assert.equal(names[0].best.path, 'b.md');
  assert.equal(names[0].best.range.start.line, 3);
  assert.deepEqual(groupByName([]), []);
});

test('groupByName: a name that wraps onto the next line of a Markdown quote is the same name', () => {
  const names = groupByName([hit('Oliver\n> Brandt', 0.6, 'a.md', 1), hit('Oliver Brandt', 0.5, 'b.md', 2), hit('Oliver\r\n>  > Brandt', 0.4, 'c.md', 3)]);
  assert.deepEqual(names.map((n) => [n.text, n.mentions, n.documents]), [['Oliver\n> Brandt', 3, 3]]);
  assert.equal(mentionName('Oliver\n> Brandt'), 'Oliver Brandt');
  assert.equal(mentionName('New\r\nYork'), 'New York');
  assert.equal(mentionName('x > y'), 'x > y', 'a ">" within a line is text');
});
