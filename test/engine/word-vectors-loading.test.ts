// Loading the word-vector cache: read into shared memory once per process (the span-detector
// worker wraps the indexing thread's bytes instead of reading its own 137 MB copy), or row by row
// on demand for a process that only embeds queries (search).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, statSync, truncateSync } from 'node:fs';
import { adoptSharedWordVectors, loadWordVectors, sharedWordVectorCache, wordVectorCachePath } from '../../server/src/engine/encode/wordVectors.ts';
import { WordTable } from '../../server/src/engine/encode/wordTable.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

/** A copy of `bytes` in a new SharedArrayBuffer. */
function sharedCopy(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  copy.set(bytes);
  return copy;
}

test('loaded word vectors are views of the cache file read into shared memory', () => {
  const vectors = loadWordVectors();
  const cache = sharedWordVectorCache();
  assert.ok(cache, 'the loaded vectors expose their shared bytes');
  assert.equal(cache.path, wordVectorCachePath());
  assert.ok(cache.bytes.buffer instanceof SharedArrayBuffer);
  const row = vectors.get('danube')!;
  assert.ok(row, 'a common word has a vector');
  assert.equal(row.buffer, cache.bytes.buffer, 'rows are views of the shared bytes, not a copy');
  assert.equal(sharedWordVectorCache(scratchDir('ner-wv-none-')), undefined, 'nothing loaded for another cache folder');
});

test('adopted shared bytes serve loadWordVectors for their path without reading or converting a file', () => {
  const original = loadWordVectors();
  const cache = sharedWordVectorCache()!;
  const dir = scratchDir('ner-wv-adopt-');
  const bytes = sharedCopy(cache.bytes);
  adoptSharedWordVectors({ path: wordVectorCachePath(dir), bytes });
  const adopted = loadWordVectors({ cacheDir: dir });
  assert.equal(existsSync(wordVectorCachePath(dir)), false, 'no cache file was written: the vectors came from the adopted bytes');
  assert.equal(adopted.size, original.size);
  for (const word of ['danube', 'vienna', 'aspirin', 'the']) {
    const i = adopted.indexOf(word);
    assert.equal(i, original.indexOf(word));
    assert.deepEqual(adopted.row(i), original.row(i));
    assert.equal(adopted.row(i).buffer, bytes.buffer);
  }
});

test('corrupt shared bytes are refused with a clear error, as a corrupt cache file is', () => {
  const cache = sharedWordVectorCache() ?? (loadWordVectors(), sharedWordVectorCache()!);
  const badMagic = sharedCopy(cache.bytes);
  badMagic[0] ^= 0xff;
  assert.throws(() => adoptSharedWordVectors({ path: wordVectorCachePath(scratchDir('ner-wv-bad-')), bytes: badMagic }), /word vector cache .* is corrupt \(bad header\)/);
  const truncated = sharedCopy(cache.bytes.subarray(0, cache.bytes.byteLength - 4));
  assert.throws(() => adoptSharedWordVectors({ path: wordVectorCachePath(scratchDir('ner-wv-short-')), bytes: truncated }), /is corrupt \(size mismatch\)/);
});

test('rows on demand (search): the same rows as the whole matrix, read from the file only when asked for', () => {
  const whole = loadWordVectors();
  const dir = scratchDir('ner-wv-lazy-');
  copyFileSync(wordVectorCachePath(), wordVectorCachePath(dir));
  const lazy = loadWordVectors({ cacheDir: dir, rowsOnDemand: true });
  assert.notEqual(lazy, whole);
  assert.equal(lazy.size, whole.size);
  assert.equal(lazy.dimension, whole.dimension);
  assert.equal(sharedWordVectorCache(dir), undefined, 'nothing to share with a worker');
  for (const word of ['danube', 'Vienna', 'aspirin', 'the']) {
    assert.equal(lazy.indexOf(word), whole.indexOf(word));
    assert.deepEqual(lazy.get(word), whole.get(word));
  }
  assert.equal(lazy.get('no-such-word-xyzzy'), undefined);
  // The matrix was not read at open: with the file cut short afterwards, a row near its start is
  // still read, one near its end is reported as a corrupt cache.
  const first = lazy.indexOf('of');
  truncateSync(wordVectorCachePath(dir), statSync(wordVectorCachePath(dir)).size / 2);
  assert.deepEqual(lazy.row(first + 1), whole.row(first + 1));
  assert.throws(() => lazy.row(whole.size - 1), /word vector cache .* is corrupt \(short read at row \d+\)/);
  assert.throws(() => lazy.row(whole.size), RangeError);
  // Vectors already loaded whole serve a request for rows on demand.
  assert.equal(loadWordVectors({ rowsOnDemand: true }), whole);
});

test('rows on demand look words up in the file\'s word list as the whole load\'s Map does: every word, its casing, unknown words', () => {
  const whole = loadWordVectors();
  const dir = scratchDir('ner-wv-table-');
  copyFileSync(wordVectorCachePath(), wordVectorCachePath(dir));
  const lazy = loadWordVectors({ cacheDir: dir, rowsOnDemand: true });
  let nonAscii = 0;
  for (let row = 0; row < whole.size; row++) {
    const word = whole.word(row);
    assert.equal(lazy.word(row), word);
    // A word listed twice resolves to its first row in both.
    assert.equal(lazy.indexOf(word), whole.indexOf(word), word);
    if (row % 50 === 0) assert.equal(lazy.indexOf(word.toUpperCase()), whole.indexOf(word.toUpperCase()), word.toUpperCase());
    if (/[^\x00-\x7f]/.test(word)) nonAscii++;
  }
  assert.ok(nonAscii > 0, `the vocabulary has non-ASCII words to check (${nonAscii})`);
  for (const word of ['', 'Danube', 'DANUBE', 'no-such-word-xyzzy', 'Straße', '東京', '\u{1F600}', 'x'.repeat(5000)]) {
    assert.equal(lazy.indexOf(word), whole.indexOf(word), JSON.stringify(word.slice(0, 20)));
  }
});

test('WordTable: rows of words by their bytes, the first of a repeated word, a word list of the wrong length refused', () => {
  const blob = new TextEncoder().encode(['the', 'Straße', '', 'the', 'café', '\u{1F600}x'].join('\n'));
  const table = new WordTable(blob, 6);
  assert.deepEqual(['the', 'Straße', '', 'café', '\u{1F600}x', 'thé', 'th', 'café '].map((w) => table.find(w)), [0, 1, 2, 4, 5, -1, -1, -1]);
  assert.equal(table.word(1), 'Straße');
  assert.equal(table.word(5), '\u{1F600}x');
  assert.throws(() => table.word(6), RangeError);
  assert.throws(() => new WordTable(blob, 5), /holds 6 words, not 5/);
  assert.throws(() => new WordTable(blob, 7), /holds 6 words, not 7/);
});

test('rows on demand: once a quarter of the rows are asked for, the whole file is read (shared, as a full load)', () => {
  const whole = loadWordVectors();
  const dir = scratchDir('ner-wv-upgrade-');
  copyFileSync(wordVectorCachePath(), wordVectorCachePath(dir));
  const lazy = loadWordVectors({ cacheDir: dir, rowsOnDemand: true }) as ReturnType<typeof loadWordVectors> & { rowsRead: number };
  const early = lazy.row(5);
  assert.equal(sharedWordVectorCache(dir), undefined);
  let i = 0;
  while (sharedWordVectorCache(dir) === undefined) {
    assert.ok(i <= whole.size / 4 + 1, `whole file read by row ${i}`);
    lazy.row(i++);
  }
  assert.ok(i > whole.size / 4 - 10, `not before a quarter of the rows (${i})`);
  assert.equal(lazy.rowsRead, 0, 'rows read one by one are dropped');
  const cache = sharedWordVectorCache(dir)!;
  assert.ok(cache.bytes.buffer instanceof SharedArrayBuffer);
  for (const row of [0, 5, whole.size - 1, Math.floor(whole.size / 2)]) {
    assert.deepEqual(lazy.row(row), whole.row(row));
    assert.equal(lazy.row(row).buffer, cache.bytes.buffer);
  }
  assert.deepEqual(early, whole.row(5), 'a row handed out before stays valid');
});
