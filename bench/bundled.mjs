// Runs a bench script as the shipped code runs: bundled by esbuild with the CLI's settings into
// dist/, beside the bundled span-detector worker it then starts (the bench scripts otherwise run the
// TypeScript source through tsx, whose transform the shipped CLI does not have).
//   npm run build && node bench/bundled.mjs indexing.ts [its options…]
// dist/bench-<name>.mjs is not part of the extension package (scripts/package-vsix.mjs).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverBundle } from '../scripts/bundleOptions.mjs';

const [script, ...args] = process.argv.slice(2);
const benchDir = dirname(fileURLToPath(import.meta.url));
const repo = dirname(benchDir);
if (!script || !existsSync(join(benchDir, script))) {
  process.stderr.write(`usage: node bench/bundled.mjs <script in bench/, e.g. indexing.ts> [options]\n`);
  process.exit(2);
}
if (!existsSync(join(repo, 'dist', 'detectorWorker.mjs'))) {
  process.stderr.write('bench/bundled.mjs: dist/detectorWorker.mjs is missing: run `npm run build` first\n');
  process.exit(2);
}
const outfile = join(repo, 'dist', `bench-${basename(script).replace(/\.[cm]?ts$/, '')}.mjs`);
await build({ ...serverBundle, entryPoints: [join(benchDir, script)], outfile, logLevel: 'warning' });
const run = spawnSync(process.execPath, [outfile, ...args], {
  stdio: 'inherit',
  env: { ...process.env, NER_BENCH_COMMAND: `node bench/bundled.mjs ${script}` },
});
process.exit(run.status ?? 1);
