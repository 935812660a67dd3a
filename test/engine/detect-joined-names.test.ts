// Names the detector joined to words that are no part of them: coordinators between two names
// ("Rhine vs Danube vs Po", "Go or Rust", "Netflix AND Disney+").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDefaultDetector } from '../../server/src/engine/detect/index.ts';

const detector = loadDefaultDetector();
const texts = (s: string) => detector.detect(s).map((x) => s.slice(x.start, x.end));

test('coordinators: no name runs across a lower-case "vs"/"versus", an "or" between names in prose, or an emphatic "AND"', () => {
  assert.deepEqual(texts('figure: annual suspended load, Rhine vs Danube vs Po (log scale)'), ['Rhine', 'Danube', 'Po']);
  assert.deepEqual(texts('- Decision deferred; Marcus to write a one-page comparison (Rust vs Go vs staying on Python with PyPy).'), ['Marcus', 'Rust', 'Go', 'Python', 'PyPy']);
  assert.deepEqual(texts('- Priya: draft hiring req (backend, Go or Rust)'), ['Priya', 'Go', 'Rust']);
  assert.deepEqual(texts('5) We finally got Netflix AND Disney+ because Grandad wanted the nature documentaries.'), ['Netflix', 'Disney']);
  assert.deepEqual(texts('Real aceto balsamico from Modena vs the supermarket stuff.'), ['Modena'], 'a span never ends in "vs"');
  assert.deepEqual(texts('device tree blobs as used in Arm or Open Firmware platforms.'), ['Arm', 'Open Firmware']);
});
