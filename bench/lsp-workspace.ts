// The language server (the built bundle, dist/server.mjs) on a real folder, as an editor starts it:
// time from `initialize` to the first quiescent ner/status (the initial pass; with --runs 2 the
// second start reopens the store it left), the server's peak and settled RSS, and the latency of
// type searches through the standard `workspace/symbol` ("type: <entity type>", as Neovim sends
// them) and `ner/search`. E.g. the documentation corpus of `bash bench/docs-corpus.sh DIR`.
// `--idle-ms N` waits N ms after the pass before the first query, as a person would not type at once.
//   npm run build && npx tsx bench/lsp-workspace.ts --folder DIR [--runs 2] [--idle-ms 0] [--queries "programming language,person,operating system"]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptArgs } from './args.ts';
import { LspTestClient } from '../test/lsp/lspClient.ts';
import type { SearchResult } from '../server/src/protocol.ts';

const { values } = scriptArgs({
  options: {
    folder: { type: 'string' }, runs: { type: 'string', default: '2' }, 'idle-ms': { type: 'string', default: '0' },
    queries: { type: 'string', default: 'programming language,person,operating system' },
  },
}, import.meta.url);
if (!values.folder) throw new Error('--folder DIR is required');
const bundle = new URL('../dist/server.mjs', import.meta.url).pathname;
const storage = mkdtempSync(join(tmpdir(), 'ner-lsp-workspace-'));
const kb = (pid: number, field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const rows: string[] = ['| start | to first quiescent status | mentions | peak RSS | RSS when idle | `workspace/symbol "type: …"`, each query | `ner/search`, each query |', '|---|---|---:|---:|---:|---|---|'];
try {
  for (let run = 1; run <= Number(values.runs); run++) {
    const client = new LspTestClient({ entry: bundle });
    const t0 = performance.now();
    await client.start([values.folder], { storagePath: storage });
    await client.waitUntil('the initial pass', () => client.statuses.some((s) => s.quiescent), 900_000);
    const seconds = (performance.now() - t0) / 1000;
    const pid = client.child.pid!;
    await new Promise((resolve) => setTimeout(resolve, Number(values['idle-ms'])));
    const symbols: string[] = [];
    const searches: string[] = [];
    for (const query of values.queries!.split(',')) {
      let t = performance.now();
      await client.request<unknown[]>('workspace/symbol', { query: `type: ${query}` });
      symbols.push(`${(performance.now() - t).toFixed(0)} ms`);
      t = performance.now();
      await client.request<SearchResult>('ner/search', { query, limit: 50 });
      searches.push(`${(performance.now() - t).toFixed(0)} ms`);
    }
    rows.push(`| ${run === 1 ? 'first (empty store)' : `${run}: reopens the store`} | ${seconds.toFixed(1)} s | ${client.statuses.at(-1)!.mentions} | ${(kb(pid, 'VmHWM') / 1024).toFixed(0)} MB | ${(kb(pid, 'VmRSS') / 1024).toFixed(0)} MB | ${symbols.join(', ')} | ${searches.join(', ')} |`);
    await client.dispose();
  }
} finally {
  rmSync(storage, { recursive: true, force: true });
}
console.log(`Command: \`npx tsx bench/lsp-workspace.ts --folder ${values.folder} --runs ${values.runs} --idle-ms ${values['idle-ms']}\`, queries: ${values.queries}\n`);
console.log(rows.join('\n'));
