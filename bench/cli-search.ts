// Wall time and peak memory of one `ner-retriever search` process, start to exit: what a person
// running the CLI waits for each time (loading the models and opening the store included). Runs
// the built CLI (`npm run build` first) on a store, `--runs` times; with `--compare DIR`, also the
// CLI of another build (e.g. a copy of `dist/` from an older commit, in the repository root so its
// relative paths resolve), alternating, so both see the same machine load.
//   npx tsx bench/cli-search.ts --store DIR [--query "European river"] [--runs 5] [--compare dist-old]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scriptArgs } from './args.ts';

const { values } = scriptArgs({
  options: {
    store: { type: 'string' }, query: { type: 'string', default: 'European river' }, runs: { type: 'string', default: '5' },
    compare: { type: 'string' },
  },
}, import.meta.url);
if (!values.store) throw new Error('--store DIR is required (e.g. examples/notes/.ner-retriever after the README\'s first command)');
const repo = new URL('..', import.meta.url).pathname;
const builds = [join(repo, 'dist'), ...(values.compare ? [join(repo, values.compare)] : [])];
for (const b of builds) if (!existsSync(join(b, 'cli.mjs'))) throw new Error(`${b}/cli.mjs not found: npm run build`);

/** One process: wall seconds and peak RSS (Linux: the child's VmHWM, which a preloaded module prints at exit). */
function run(build: string): { seconds: number; peakMb: number } {
  const wrapper = `import { readFileSync } from 'node:fs'; process.on('exit', () => { try { process.stderr.write('\\nVmHWM ' + /VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1] + '\\n'); } catch {} });`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(wrapper)}`, join(build, 'cli.mjs'), 'search', values.query!, '--store', values.store!, '--limit', '10'], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`search failed (${build}): ${r.stderr}`);
  const kb = Number(/VmHWM (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { seconds, peakMb: kb / 1024 };
}

const results = new Map<string, Array<{ seconds: number; peakMb: number }>>(builds.map((b) => [b, []]));
run(builds[0]); // warm the page cache
for (let i = 0; i < Number(values.runs); i++) for (const b of builds) results.get(b)!.push(run(b));
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
console.log('| build | runs | wall, median (min–max) | peak RSS, median |\n|---|---:|---|---:|');
for (const [b, rs] of results) {
  const s = rs.map((r) => r.seconds);
  console.log(`| ${b.slice(repo.length)} | ${rs.length} | ${median(s).toFixed(2)} s (${Math.min(...s).toFixed(2)}–${Math.max(...s).toFixed(2)}) | ${median(rs.map((r) => r.peakMb)).toFixed(0)} MB |`);
}
