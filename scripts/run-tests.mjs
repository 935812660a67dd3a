// Runs every test file with node's test runner (TypeScript through tsx) and prints the
// closing tally CI reads: "N passed, N failed[, N skipped]". A file still running after 10 minutes
// is cancelled (a failure naming it), and the whole stage stops after NER_TEST_DEADLINE_MIN (35).
import { runGroup } from './process-group.mjs';
import { readdirSync, statSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv.slice(2);
function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') continue;
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
let files = walk(join(root, 'test')).sort();
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
const tapFile = join(mkdtempSync(join(tmpdir(), 'ner-tests-')), 'results.tap');
// On node 20 --test-timeout also bounds each file as a whole (the longest takes about 90 s), so a
// file kept alive by a leftover handle is cancelled too. (--test-force-exit would cut the TAP file.)
const status = await runGroup(process.execPath, [
  '--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
  ...files,
], { stdio: 'inherit', cwd: root, env: process.env, label: 'unit + protocol tests', deadlineMs: Number(process.env.NER_TEST_DEADLINE_MIN || 35) * 60_000 });
let passed = 0, failed = 0, skipped = 0;
try {
  const tap = readFileSync(tapFile, 'utf8');
  const num = (k) => Number((tap.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) || [])[1] || 0);
  passed = num('pass'); failed = num('fail') + num('cancelled'); skipped = num('skipped') + num('todo');
} catch { failed = Math.max(failed, 1); }
rmSync(dirname(tapFile), { recursive: true, force: true });
if (status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
