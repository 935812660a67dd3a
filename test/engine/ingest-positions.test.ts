import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/engine/ingest/positions.ts';

test('LF: positions and offsets round-trip', () => {
  const li = new LineIndex('ab\ncd\n\nef');
  assert.deepEqual(li.lineStarts, [0, 3, 6, 7]);
  assert.deepEqual(li.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(li.positionAt(2), { line: 0, character: 2 });
  assert.deepEqual(li.positionAt(3), { line: 1, character: 0 });
  assert.deepEqual(li.positionAt(6), { line: 2, character: 0 });
  assert.deepEqual(li.positionAt(9), { line: 3, character: 2 });
  for (let o = 0; o <= 9; o++) assert.equal(li.offsetAt(li.positionAt(o)), o);
});

test('CRLF counts as one line break', () => {
  const text = 'one\r\ntwo\r\nthree';
  const li = new LineIndex(text);
  assert.equal(li.lineCount, 3);
  assert.deepEqual(li.positionAt(text.indexOf('two')), { line: 1, character: 0 });
  assert.deepEqual(li.positionAt(text.indexOf('three') + 2), { line: 2, character: 2 });
  assert.equal(li.offsetAt({ line: 2, character: 0 }), 10);
  // Characters past the end of a line clamp to before its line break.
  assert.equal(li.offsetAt({ line: 0, character: 99 }), 3);
  assert.equal(li.offsetAt({ line: 1, character: 3 }), 8);
});

test('lone CR is a line break; CR LF mix', () => {
  const text = 'a\rb\nc\r\nd';
  const li = new LineIndex(text);
  assert.deepEqual(li.lineStarts, [0, 2, 4, 7]);
  assert.deepEqual(li.positionAt(2), { line: 1, character: 0 });
  assert.deepEqual(li.positionAt(7), { line: 3, character: 0 });
  assert.equal(li.offsetAt({ line: 3, character: 1 }), 8);
});

test('UTF-16 code units: surrogate pairs and BMP non-ASCII', () => {
  const text = 'Zürich\n🚢 Rhine and Gdańsk';
  const li = new LineIndex(text);
  const rhine = text.indexOf('Rhine');
  assert.equal(rhine, 10); // 7 + 2 (🚢 is two code units) + 1 space
  assert.deepEqual(li.positionAt(rhine), { line: 1, character: 3 });
  assert.deepEqual(li.rangeOf(rhine, rhine + 5), { start: { line: 1, character: 3 }, end: { line: 1, character: 8 } });
  const gd = text.indexOf('Gdańsk');
  assert.deepEqual(li.rangeOf(gd, gd + 6), { start: { line: 1, character: 13 }, end: { line: 1, character: 19 } });
  assert.deepEqual(li.positionAt(text.indexOf('i')), { line: 0, character: 3 });
});

test('out-of-range inputs clamp', () => {
  const li = new LineIndex('ab\ncd');
  assert.deepEqual(li.positionAt(-5), { line: 0, character: 0 });
  assert.deepEqual(li.positionAt(99), { line: 1, character: 2 });
  assert.equal(li.offsetAt({ line: 7, character: 0 }), 5);
  assert.equal(li.offsetAt({ line: -1, character: 3 }), 0);
  const empty = new LineIndex('');
  assert.deepEqual(empty.positionAt(0), { line: 0, character: 0 });
  const trailing = new LineIndex('x\n');
  assert.deepEqual(trailing.positionAt(2), { line: 1, character: 0 });
});
