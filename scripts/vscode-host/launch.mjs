#!/usr/bin/env node
// A "VS Code executable" for @vscode/test-cli (`useInstallation.fromPath` in .vscode-test.mjs):
// takes the arguments test-electron passes to VS Code (--extensionDevelopmentPath=, --extensionTestsPath=,
// the workspace folder, --user-data-dir=, --extensions-dir=), starts code-server (real VS Code with a
// Node extension host) and a headless Debian chromium driven by playwright-core, relays the extension
// host's console (mocha's reporter) to stdout and exits with the tests' exit code.
// Recipe: ../shared/notes/vscode-integration-tests.md. Host: scripts/vscode-host/install.mjs.
//
// Extra environment:
//   NER_INSTALL_VSIX=path.vsix   install this packaged extension first (code-server --install-extension)
//   NER_SCREENSHOT_DIR=dir        screenshots: a console line "[ner-screenshot] NAME" makes the launcher save
//                                 dir/NAME.png (the test waits for the file); default docs/images
//   NER_HOST_TIMEOUT_S=900        give up (exit 1) after this long
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { format } from 'node:util';
import { join, resolve } from 'node:path';
import { hostPaths, ROOT } from './paths.mjs';

const host = hostPaths();
if (!existsSync(host.codeServerEntry)) {
  console.error('VS Code host not installed: run node scripts/vscode-host/install.mjs');
  process.exit(1);
}

// ---------------------------------------------------------------- arguments
const args = process.argv.slice(2);
const valueOf = (name) => args.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));
const devPaths = valueOf('extensionDevelopmentPath').map((p) => resolve(p));
const testsPath = valueOf('extensionTestsPath').map((p) => resolve(p))[0];
const folder = args.filter((a) => !a.startsWith('-')).map((p) => resolve(p))[0];
const scratch = mkdtempSync(join(tmpdir(), 'ner-vscode-'));
const userDataDir = resolve(valueOf('user-data-dir')[0] ?? join(scratch, 'user-data'));
const extensionsDir = resolve(valueOf('extensions-dir')[0] ?? join(scratch, 'extensions'));
const screenshotDir = resolve(process.env.NER_SCREENSHOT_DIR || join(ROOT, 'docs', 'images'));
if (!testsPath) { console.error('launch.mjs: --extensionTestsPath=… is required'); process.exit(1); }
mkdirSync(join(userDataDir, 'User'), { recursive: true });
mkdirSync(extensionsDir, { recursive: true });
// A quiet workbench for the tests and screenshots: no chat side bar, no welcome page, no tips.
const userSettings = join(userDataDir, 'User', 'settings.json');
if (!existsSync(userSettings)) {
  writeFileSync(userSettings, JSON.stringify({
    'workbench.secondarySideBar.defaultVisibility': 'hidden', 'chat.disableAIFeatures': true, 'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
  }, null, 2));
}

const freePort = () => new Promise((res, rej) => {
  const srv = createServer();
  srv.once('error', rej);
  srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => res(port)); });
});

const port = await freePort();
const config = join(scratch, 'config.yaml');
writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
const env = { ...process.env, EXTENSIONS_GALLERY: '{}', PATH: `${host.nodeBin}:${process.env.PATH}` };
const baseArgs = [host.codeServerEntry, '--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

if (process.env.NER_INSTALL_VSIX) {
  const vsix = resolve(process.env.NER_INSTALL_VSIX);
  console.log(`[launch] installing ${vsix}`);
  const r = spawnSync(host.node, [...baseArgs, '--install-extension', vsix, '--force'], { env, stdio: 'inherit' });
  if (r.status !== 0) { console.error('[launch] --install-extension failed'); process.exit(1); }
}

// ---------------------------------------------------------------- code-server
const server = spawn(host.node, [
  ...baseArgs, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
  '--disable-getting-started-override', '--ignore-last-opened', '--vscode-option', 'enable-smoke-test-driver',
], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
const serverLog = [];
const keep = (chunk) => { serverLog.push(chunk.toString()); if (serverLog.length > 200) serverLog.shift(); };
server.stdout.on('data', keep);
server.stderr.on('data', keep);

let browser;
let exiting = false;
async function finish(code) {
  if (exiting) return;
  exiting = true;
  if (code !== 0) console.error(`[launch] exit ${code}; last code-server output:\n${serverLog.join('').split('\n').slice(-30).join('\n')}`);
  await browser?.close().catch(() => undefined);
  try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
  setTimeout(() => { try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000).unref();
  rmSync(scratch, { recursive: true, force: true });
  process.exit(code);
}
server.on('exit', (code, signal) => { if (!exiting) { console.error(`[launch] code-server exited (${code ?? signal})`); void finish(1); } });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => void finish(130));
const timeoutS = Number(process.env.NER_HOST_TIMEOUT_S || 900);
setTimeout(() => { console.error(`[launch] timed out after ${timeoutS} s`); void finish(1); }, timeoutS * 1000).unref();

const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not up yet */ }
  if (i > 600) { console.error('[launch] code-server did not come up'); await finish(1); }
  await new Promise((r) => setTimeout(r, 100));
}

// ---------------------------------------------------------------- chromium
const { chromium } = await import('playwright-core');
browser = await chromium.launch({
  executablePath: process.env.NER_CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
let shots = Promise.resolve();
const screenshot = (name) => {
  shots = shots.then(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    const tmp = join(screenshotDir, `.${name}.tmp.png`);
    await page.screenshot({ path: tmp });
    renameSync(tmp, join(screenshotDir, `${name}.png`));
    console.log(`[launch] screenshot ${join(screenshotDir, `${name}.png`)}`);
  }).catch((e) => console.error(`[launch] screenshot ${name} failed: ${e.message}`));
};
await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
  const line = format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
  const shot = /\[ner-screenshot\] ([\w-]+)/.exec(line);
  if (shot) { screenshot(shot[1]); return; }
  if (NOISE.test(line)) return;
  (type === 'error' ? console.error : console.log)(line);
});
await page.exposeFunction('codeAutomationExit', async (code) => { await shots; await finish(Number(code) || 0); });

// Workbench chatter that says nothing about the tests (no marketplace, no GitHub sign-in offline).
const NOISE = /^\[(ChatModelSelection|AgentHost|AccountPolicyGate|reconnection-grace-time|Service Worker)|^Ignoring fetching additional builtin|^Updating additional builtin|^Creation of workbench contribution|^(Creating|Resolv(ing|ed)) (a socket|connection token)|^Timed out waiting for authentication provider/;
const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
const payload = [
  ...devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
  ['extensionTestsPath', remote(testsPath)],
  ['skipWelcome', 'true'],
];
const url = `${base}/?${folder ? `folder=${encodeURIComponent(folder)}&` : ''}payload=${encodeURIComponent(JSON.stringify(payload))}`;
await page.goto(url);
