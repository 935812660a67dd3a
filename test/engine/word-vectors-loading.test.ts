// Loading the word-vector cache: read into shared memory once per process (the span-detector
// worker wraps the indexing thread's bytes instead of reading its own 137 MB copy), or row by row
// on demand for a process that only embeds queries (search).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, statSync, truncateSync } from 'node:fs';
import { adoptSharedWordVectors, loadWordVectors, sharedWordVectorCache, wordVectorCachePath } from '../../server/src/engine/encode/wordVectors.ts';
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
