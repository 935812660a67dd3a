// The bench and research scripts' options (bench/args.ts): --help prints the script's usage, a bad
// option is an error with the usage beside it, not a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;
const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

test('bench scripts: --help prints the usage and exits 0; an unknown option exits 2 naming it, with the usage', () => {
  const help = run('bench/indexing.ts', ['--help']);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /npx tsx bench\/indexing\.ts \[--mb 50\]/);
  const bad = run('bench/recall-real.ts', ['--bogus']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^error: Unknown option '--bogus'/);
  assert.match(bad.stderr, /npx tsx bench\/recall-real\.ts --store DIR/);
  assert.doesNotMatch(bad.stderr, /at parseArgs|node:internal/);
  // The research script too: an unknown option no longer starts a default run of every draw.
  const zeroShot = run('scripts/eval-zero-shot.ts', ['--epochz', '3']);
  assert.equal(zeroShot.status, 2);
  assert.match(zeroShot.stderr, /^error: Unknown option '--epochz'/);
});
