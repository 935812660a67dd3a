// Guards against inputs that once took time quadratic in their size. Not a benchmark: the
// pathological input is timed against a benign input of the same size through the same code, so a
// loaded machine slows both sides alike (absolute bounds flaked under load 8 on two cores). The old
// code took 20–60× its benign twin at these sizes; linear code stays near 1×.
import assert from 'node:assert/strict';

const ATTEMPTS = 3;
/** A floor for the benign side, so that a very fast twin does not make timer noise a failure. */
const BENIGN_FLOOR_MS = 100;

async function timed(run: () => unknown): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * Asserts that `pathological` costs at most `factor` times `benign`. Each attempt times both, one
 * after the other; the first attempt within the bound passes, so a burst of load on one side does
 * not fail the test, while a real quadratic case fails every attempt.
 */
export async function assertCostLikeBenign(label: string, pathological: () => unknown, benign: () => unknown, factor = 8): Promise<void> {
  const ratios: string[] = [];
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const benignMs = Math.max(await timed(benign), BENIGN_FLOOR_MS);
    const pathologicalMs = await timed(pathological);
    if (pathologicalMs <= factor * benignMs) return;
    ratios.push(`${Math.round(pathologicalMs)} ms against ${Math.round(benignMs)} ms`);
  }
  assert.fail(`${label}: more than ${factor}× its benign twin in every attempt (${ratios.join('; ')})`);
}
