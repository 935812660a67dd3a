// `npm test`: the unit, engine, CLI and language-server protocol tests (scripts/run-tests.mjs), then
// the VS Code extension's integration tests in a real VS Code (scripts/run-integration.mjs) when
// its host is installed (node scripts/vscode-host/install.mjs). The last line is the combined tally
// "N passed, N failed, N skipped" that CI reads. Arguments filter the unit test files (and skip the
// integration stage); NER_SKIP_INTEGRATION=1 skips it too; NER_REQUIRE_INTEGRATION=1 (CI) counts a
// missing host as a failure.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

/** Runs a node script, relaying its output; resolves with its exit code and last tally line. */
function run(script, scriptArgs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, script), ...scriptArgs], { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] });
    let last = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      for (const line of d.toString().split('\n')) if (/\d+ passed, \d+ failed/.test(line)) last = line;
    });
    child.on('close', (code) => resolve({ code: code ?? 1, last }));
  });
}
const tallyOf = (line) => {
  const m = /(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/.exec(line);
  return m ? { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) } : undefined;
};

const unitRun = await run('scripts/run-tests.mjs', args);
const total = tallyOf(unitRun.last) ?? { passed: 0, failed: 1, skipped: 0 };
if (unitRun.code !== 0 && total.failed === 0) total.failed = 1;

if (!args.length && process.env.NER_SKIP_INTEGRATION !== '1') {
  const tallyFile = join(mkdtempSync(join(tmpdir(), 'ner-int-')), 'tally.json');
  const intRun = await run('scripts/run-integration.mjs', ['--tally', tallyFile]);
  let t;
  try { t = JSON.parse(readFileSync(tallyFile, 'utf8')); } catch { t = { passed: 0, failed: 1, skipped: 0 }; }
  rmSync(dirname(tallyFile), { recursive: true, force: true });
  if (intRun.code !== 0 && t.failed === 0) t.failed = 1;
  if (process.env.NER_REQUIRE_INTEGRATION === '1' && t.passed === 0 && t.failed === 0) t.failed = 1;
  console.log(`unit + protocol: ${unitRun.last.trim()}; integration: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
  total.passed += t.passed; total.failed += t.failed; total.skipped += t.skipped;
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed ? 1 : 0);
