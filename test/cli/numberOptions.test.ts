// The CLI's numeric options: what `Number` alone would let through is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerNumber, megabytes, nonNegativeInt, positiveInt, scoreBound, seedNumber } from '../../server/src/cli/numberOptions.ts';

test('integers: decimal digits only; "", "abc", "0x2", "1e0", "2.5" and out-of-range values are refused', () => {
  assert.equal(layerNumber('17'), 17);
  assert.equal(layerNumber('0'), 0);
  assert.equal(positiveInt(' 20 '), 20);
  assert.equal(nonNegativeInt('0'), 0);
  assert.equal(seedNumber('-3'), -3);
  for (const bad of ['', '  ', 'abc', '0x2', '1e0', '2.5', '-1', 'NaN']) assert.throws(() => layerNumber(bad), /expected a layer index/, JSON.stringify(bad));
  for (const bad of ['0', '-2', '', '1e3']) assert.throws(() => positiveInt(bad), /positive integer/, JSON.stringify(bad));
  assert.throws(() => nonNegativeInt('-1'), /0 or a positive integer/);
  assert.throws(() => seedNumber('x'), /integer seed/);
});

test('a score bound is a number from -1 to 1; a size in MB is positive', () => {
  assert.equal(scoreBound('0.5'), 0.5);
  assert.equal(scoreBound('-1'), -1);
  assert.equal(scoreBound('.5'), 0.5);
  assert.equal(scoreBound('1e-1'), 0.1);
  for (const bad of ['', 'abc', '0,9', '2', '-2', '0.8x', '0x1', '0b1', '0o1']) assert.throws(() => scoreBound(bad), /from -1 to 1/, JSON.stringify(bad));
  assert.equal(megabytes('0.5'), 524288);
  assert.equal(megabytes(' 5 '), 5242880);
  for (const bad of ['', '0', '-1', 'abc', '0x10']) assert.throws(() => megabytes(bad), /size in MB/, JSON.stringify(bad));
});
