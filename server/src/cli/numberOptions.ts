// Parsers of the CLI's numeric options. Each refuses what `Number` alone would let through: ""
// (read as 0), "abc" (NaN, which compares false with everything), "0x2" and "1e0", so a typo or an
// unset shell variable fails at once instead of running with a value nobody asked for.
import { InvalidArgumentError } from 'commander';

const INTEGER = /^\s*-?\d+\s*$/;
// Decimal only: `Number` also reads "0x1", "0b1" and "0o1" (as 1), which no one means as a score or size.
const DECIMAL = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?\s*$/i;

function integer(value: string, expected: string, ok: (n: number) => boolean): number {
  const n = Number(value);
  if (!INTEGER.test(value) || !Number.isSafeInteger(n) || !ok(n)) throw new InvalidArgumentError(expected);
  return n;
}

export const positiveInt = (value: string): number => integer(value, 'expected a positive integer', (n) => n > 0);
export const nonNegativeInt = (value: string): number => integer(value, 'expected 0 or a positive integer', (n) => n >= 0);
export const seedNumber = (value: string): number => integer(value, 'expected an integer seed, e.g. 13', () => true);
export const layerNumber = (value: string): number => integer(value, 'expected a layer index (0-based integer)', (n) => n >= 0);

/** A cosine score bound: a number in -1..1. */
export function scoreBound(value: string): number {
  const n = Number(value);
  if (!DECIMAL.test(value) || !Number.isFinite(n) || n < -1 || n > 1) throw new InvalidArgumentError('expected a score from -1 to 1, e.g. 0.5');
  return n;
}

/** A size in MB (fractions allowed), in bytes. */
export function megabytes(value: string): number {
  const n = Number(value);
  if (!DECIMAL.test(value) || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a size in MB, e.g. 5');
  return Math.round(n * 1024 * 1024);
}
