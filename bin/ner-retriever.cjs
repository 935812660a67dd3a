#!/usr/bin/env node
// Runs the bundled CLI (dist/cli.mjs, made by `npm run build`); falls back to the TypeScript
// sources through tsx in a development checkout that has not been built.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const bundle = join(root, 'dist', 'cli.mjs');
if (existsSync(bundle)) {
  import(require('node:url').pathToFileURL(bundle).href).catch((e) => { console.error(e); process.exit(1); });
} else {
  const tsx = require('node:url').pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const r = spawnSync(process.execPath, ['--import', tsx, join(root, 'server', 'src', 'cli', 'index.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status === null ? 1 : r.status);
}
