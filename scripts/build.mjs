// Bundles the CLI, the language server (plus the span-detector worker they start) and the VS Code
// client with esbuild.
import { build } from 'esbuild';
import { serverBundle, supported } from './bundleOptions.mjs';

await build({
  ...serverBundle,
  entryPoints: { cli: 'server/src/cli/index.ts', server: 'server/src/lsp/server.ts', detectorWorker: 'server/src/engine/detect/detectorWorker.ts' },
  outdir: 'dist', outExtension: { '.js': '.mjs' }, logLevel: 'info',
});

// The VS Code extension (client/): CommonJS, `vscode` provided by the host; vscode-languageclient is bundled.
await build({
  entryPoints: { client: 'client/src/extension.ts' },
  outdir: 'dist', outExtension: { '.js': '.cjs' },
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, supported,
  external: ['vscode'], logLevel: 'info',
});
