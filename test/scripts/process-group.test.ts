// The test stages' guard (scripts/process-group.mjs): a stage past its deadline is stopped with
// everything it started, and a finished stage leaves nothing running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script without type declarations
import { runGroup } from '../../scripts/process-group.mjs';
import { scratchDir } from '../helpers/scratchDir.ts';

/** Running, not a zombie (an orphan's exit is reaped by init, which may take its time in a container). */
function alive(pid: number): boolean {
  try { process.kill(pid, 0); } catch { return false; }
  try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return true; }
}
const settle = () => new Promise((r) => setTimeout(r, 300));

test('a stage past its deadline is stopped with its children, and counts as timed out (124)', async () => {
  const pidFile = join(scratchDir('ner-pg-'), 'pid');
  const started = Date.now();
  const code = await runGroup('bash', ['-c', `sleep 60 & echo $! > ${pidFile}; sleep 60`], { deadlineMs: 500, label: 'test stage', stdio: 'ignore' });
  assert.equal(code, 124);
  assert.ok(Date.now() - started < 10_000, 'stopped near its deadline');
  await settle();
  assert.equal(alive(Number(readFileSync(pidFile, 'utf8'))), false, 'the background child is gone too');
});

test('a stage that ends keeps its exit code, and what it left running is killed', async () => {
  const pidFile = join(scratchDir('ner-pg-'), 'pid');
  const code = await runGroup('bash', ['-c', `sleep 60 & echo $! > ${pidFile}; exit 3`], { deadlineMs: 60_000, label: 'test stage', stdio: 'ignore' });
  assert.equal(code, 3);
  await settle();
  assert.equal(alive(Number(readFileSync(pidFile, 'utf8'))), false, 'the leftover was killed');
});
