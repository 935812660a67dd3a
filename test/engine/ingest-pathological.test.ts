// Inputs that once crashed ingest or took time quadratic in their size (a helper's fuzzing,
// thirty-fourth session). Each runs at a size where the old code took tens of seconds or
// overflowed the stack; the bounds are loose, for a shared machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskPod } from '../../server/src/engine/ingest/podMarkup.ts';
import { splitSentences } from '../../server/src/engine/ingest/sentences.ts';

test('POD formatting codes nested thousands deep are read without overflowing the stack, their text kept', () => {
  const depth = 20_000;
  const text = `=pod\n\nSee ${'B<'.repeat(depth)}Vienna${'>'.repeat(depth)} and C<code>.\n\n=cut\n`;
  const masked = maskPod(text);
  assert.equal(masked.length, text.length);
  assert.ok(masked.includes('Vienna'), 'the innermost text is prose');
  assert.ok(!masked.includes('code') && !masked.includes('B<'), 'code and markup are blanked');
});

test('a run of tens of thousands of sentence terminators with no space after it is split in linear time', () => {
  for (const run of ['.', '!', '?!', '…']) {
    const text = `Vienna is lovely${run.repeat(200_000 / run.length)}Then more. Budapest too.`;
    const t = performance.now();
    const sentences = splitSentences(text, { start: 0, end: text.length });
    const ms = performance.now() - t;
    assert.ok(ms < 5000, `${JSON.stringify(run)}: ${ms.toFixed(0)} ms (minutes before)`);
    assert.equal(sentences.at(-1)?.text, 'Budapest too.', 'the sentence after the run still starts at its capital');
  }
});
