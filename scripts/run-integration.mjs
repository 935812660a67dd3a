// Integration tests of the VS Code extension in a real VS Code (code-server + chromium), via
// @vscode/test-cli and .vscode-test.mjs: bundles the tests into out/integration/, packages the .vsix
// (for the installed-extension run) unless NER_VSIX names one, runs every configuration and prints
// the tally "N passed, N failed, N skipped" parsed from mocha's reporter. With --tally FILE the
// counts are also written there as JSON (scripts/test-all.mjs combines them with the unit tests).
// Needs the host: node scripts/vscode-host/install.mjs (and /usr/bin/chromium).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { runGroup } from './process-group.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const tallyFile = argv.includes('--tally') ? argv[argv.indexOf('--tally') + 1] : undefined;
const started = Date.now();

function report(passed, failed, skipped) {
  if (tallyFile) writeFileSync(tallyFile, JSON.stringify({ passed, failed, skipped }));
  console.log(`integration (${((Date.now() - started) / 1000).toFixed(0)} s): ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(failed ? 1 : 0);
}

if (spawnSync(process.execPath, [join(root, 'scripts/vscode-host/install.mjs'), '--check']).status !== 0 || !existsSync(process.env.NER_CHROMIUM || '/usr/bin/chromium')) {
  console.log('VS Code host or chromium not installed (node scripts/vscode-host/install.mjs; apt-get install chromium): integration tests skipped');
  report(0, 0, 1);
}

await build({
  entryPoints: { 'extension.test': 'test/integration/extension.int.ts', 'vsix.test': 'test/integration/vsix.int.ts' },
  absWorkingDir: root, outdir: 'out/integration', outExtension: { '.js': '.cjs' },
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline',
  external: ['vscode', 'mocha'], logLevel: 'warning',
});
// Per-run folders (several runs may share a checkout): the .vsix and its stage, the VS Code profiles.
mkdirSync(join(root, '.vscode-test'), { recursive: true });
const scratch = mkdtempSync(join(root, '.vscode-test', 'run-'));
// Profiles in the temp folder: code-server's IPC socket lives in the user-data folder (socket paths are short).
const profiles = mkdtempSync(join(tmpdir(), 'ner-vscode-profiles-'));
process.on('exit', () => { rmSync(scratch, { recursive: true, force: true }); rmSync(profiles, { recursive: true, force: true }); });
// The tests add and delete files in their workspace: each run gets its own copy of the fixture.
const workspace = join(profiles, 'vscode-workspace');
cpSync(join(root, 'test/fixtures/vscode-workspace'), workspace, { recursive: true });
const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', NER_VSCODE_PROFILES: profiles, NER_TEST_WORKSPACE: workspace };
if (process.env.NER_SCREENSHOT_DIR) env.NER_SCREENSHOT_DIR = resolve(root, process.env.NER_SCREENSHOT_DIR);
const label = argv.includes('--label') ? argv[argv.indexOf('--label') + 1] : undefined;
if (!process.env.NER_VSIX && (label === undefined || label === 'vsix')) {
  env.NER_VSIX = join(scratch, 'ner-retriever.vsix');
  const r = spawnSync(process.execPath, [join(root, 'scripts/package-vsix.mjs'), '--no-build', '--out', env.NER_VSIX, '--stage', join(scratch, 'stage')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const out = r.stdout.toString();
  console.log(out.split('\n').filter((l) => /VSIX:|ERROR/.test(l)).join('\n'));
  if (r.status !== 0) { console.log(out); report(0, 1, 0); }
}

// Run test-cli, relaying its output and counting mocha's "N passing / N failing / N pending" per run.
// The group deadline (NER_INTEGRATION_DEADLINE_MIN, 15; a normal run takes 2 min) stops a hung editor.
let text = '';
const relay = (stream, to) => stream.on('data', (d) => { text += d.toString(); to.write(d); });
const code = await runGroup(process.execPath, [join(root, 'node_modules/@vscode/test-cli/out/bin.mjs'), ...argv.filter((a, i) => a !== '--tally' && argv[i - 1] !== '--tally')], {
  cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env,
  label: 'integration tests', deadlineMs: Number(process.env.NER_INTEGRATION_DEADLINE_MIN || 15) * 60_000,
  onSpawn: (child) => { relay(child.stdout, process.stdout); relay(child.stderr, process.stderr); },
});
// eslint-disable-next-line no-control-regex
const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
const sum = (word) => [...plain.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
let passed = sum('passing'), failed = sum('failing');
const skipped = sum('pending');
const runs = [...plain.matchAll(/^\s*\d+ passing\b/gm)].length;
if (code !== 0 && failed === 0) failed = 1;          // a run that crashed before mocha's summary
if (runs < (argv.includes('--label') ? 1 : 2) && failed === 0) failed = 1;  // every configuration (extension, vsix) must report
report(passed, failed, skipped);
