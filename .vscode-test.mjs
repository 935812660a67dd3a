// @vscode/test-cli configuration: the extension's integration tests run in a real VS Code
// (code-server + headless chromium, started by scripts/vscode-host/launch.mjs — see
// ../shared/notes/vscode-integration-tests.md). Run through `npm run test:integration`, which
// bundles the tests (out/integration/) and the .vsix first.
import { defineConfig } from '@vscode/test-cli';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = import.meta.dirname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Fresh profiles per run: under NER_VSCODE_PROFILES (set and removed by scripts/run-integration.mjs), else the temp folder.
const profiles = process.env.NER_VSCODE_PROFILES || tmpdir();
mkdirSync(profiles, { recursive: true });
const profile = (name) => {
  const dir = mkdtempSync(join(profiles, `ner-vscode-${name}-`));
  return [`--user-data-dir=${join(dir, 'user-data')}`, `--extensions-dir=${join(dir, 'extensions')}`];
};
const common = {
  useInstallation: { fromPath: resolve(root, 'scripts/vscode-host/launch.mjs') },
  skipExtensionDependencies: true,
  // A per-run copy of test/fixtures/vscode-workspace (made by scripts/run-integration.mjs): the tests write files.
  workspaceFolder: process.env.NER_TEST_WORKSPACE || resolve(root, 'test/fixtures/vscode-workspace'),
  mocha: { ui: 'tdd', timeout: 180_000, color: false },
};

export default defineConfig([
  {
    ...common,
    label: 'extension',
    files: 'out/integration/extension.test.cjs',
    launchArgs: profile('extension'),
    env: { NER_REPO_ROOT: root },
  },
  {
    ...common,
    label: 'vsix',
    files: 'out/integration/vsix.test.cjs',
    extensionDevelopmentPath: resolve(root, 'test/integration/vsix-host'),
    launchArgs: profile('vsix'),
    // A fresh word-vector cache: the packaged extension must convert its bundled vectors offline on the first start.
    env: { NER_REPO_ROOT: root, NER_RETRIEVER_CACHE: mkdtempSync(join(profiles, 'ner-vsix-cache-')), NER_INSTALL_VSIX: process.env.NER_VSIX || resolve(root, `${pkg.name}-${pkg.version}-linux-x64.vsix`) },
  },
]);
