// Projection heads: the paper head (shapes, determinism, an independent plain-loop forward pass
// over the safetensors floats) and the whitening head (identity covariance, refit criterion).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../../../server/src/engine/types.ts';
import { mulberry32 } from '../../../server/src/engine/random.ts';
import {
  fitWhitening, loadWhitening, needsRefit, PaperHead, saveWhitening, symmetricEigen, WhiteningHead, type WhiteningFit,
} from '../../../server/src/engine/llm/heads.ts';
import { scratchDir } from '../../helpers/scratchDir.ts';

const HEAD = join(sharedDir(), 'models', 'ner-retriever-llama31-8b-l17', 'head.safetensors');
const haveHead = existsSync(HEAD);

/** Reads a float32 tensor straight from the safetensors bytes (independent of the engine's reader). */
function rawTensor(file: Buffer, name: string): { shape: number[]; data: number[] } {
  const len = Number(file.readBigUInt64LE(0));
  const header = JSON.parse(file.subarray(8, 8 + len).toString('utf8'));
  const t = header[name];
  assert.equal(t.dtype, 'F32');
  const [a, b] = t.data_offsets;
  const data: number[] = [];
  for (let o = 8 + len + a; o < 8 + len + b; o += 4) data.push(file.readFloatLE(o));
  return { shape: t.shape, data };
}

test('paper head: loads, shapes checked against kvDim, deterministic, matches a plain-loop forward pass', { skip: haveHead ? false : `no ${HEAD}` }, () => {
  const head = PaperHead.load(HEAD, 1024);
  assert.equal(head.inputDim, 1024);
  assert.equal(head.hiddenDim, 500);
  assert.equal(head.outputDim, 500);
  assert.match(head.id, /^paper:[0-9a-f]{12}$/);
  assert.throws(() => PaperHead.load(HEAD, 512), /expects 1024-d value vectors .* gives 512-d/);

  const rand = mulberry32(7);
  const x = Float32Array.from({ length: 1024 }, () => rand() * 2 - 1);
  const y = head.project(x);
  assert.deepEqual([...head.project(x)], [...y], 'deterministic');

  const buf = readFileSync(HEAD);
  const w0 = rawTensor(buf, 'net.0.weight'); const b0 = rawTensor(buf, 'net.0.bias');
  const w3 = rawTensor(buf, 'net.3.weight'); const b3 = rawTensor(buf, 'net.3.bias');
  assert.deepEqual(w0.shape, [500, 1024]);
  assert.deepEqual(w3.shape, [500, 500]);
  const h: number[] = [];
  for (let r = 0; r < 500; r++) {
    let s = b0.data[r];
    for (let c = 0; c < 1024; c++) s += w0.data[r * 1024 + c] * x[c];
    h.push(s * (1 / (1 + Math.exp(-s))));
  }
  const out: number[] = [];
  for (let r = 0; r < 500; r++) {
    let s = b3.data[r];
    for (let c = 0; c < 500; c++) s += w3.data[r * 500 + c] * h[c];
    out.push(s);
  }
  const norm = Math.hypot(...out);
  let maxDiff = 0;
  for (let i = 0; i < 500; i++) maxDiff = Math.max(maxDiff, Math.abs(out[i] / norm - y[i]));
  assert.ok(maxDiff < 1e-5, `max |diff| ${maxDiff}`);
  assert.ok(Math.abs(Math.hypot(...y) - 1) < 1e-5);
});

test('symmetric eigendecomposition reconstructs the matrix', () => {
  const n = 12;
  const rand = mulberry32(3);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) { a[i * n + j] = a[j * n + i] = rand() - 0.5; }
  const orig = Float64Array.from(a);
  const { values, vectors } = symmetricEigen(a, n);
  for (let i = 1; i < n; i++) assert.ok(values[i] >= values[i - 1]);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += vectors[k * n + i] * values[k] * vectors[k * n + j];
    assert.ok(Math.abs(s - orig[i * n + j]) < 1e-9);
  }
});

test('whitening head: identity covariance on its training vectors, persisted, refit criterion', () => {
  const rand = mulberry32(11);
  const d = 24; const n = 600;
  // Correlated, anisotropic, shifted data.
  const mix = Array.from({ length: d * d }, () => rand() * 2 - 1);
  const vectors = Array.from({ length: n }, () => {
    const z = Array.from({ length: d }, (_, i) => (rand() - 0.5) * (i + 1));
    return Float32Array.from({ length: d }, (_, r) => 3 + z.reduce((s, zc, c) => s + mix[r * d + c] * zc, 0));
  });
  const fit = fitWhitening(vectors, { dimension: 16, mentionCount: 1000, source: 'test' });
  assert.equal(fit.outputDim, 16);
  const head = new WhiteningHead(fit);
  assert.match(head.id, /^whiten16:[0-9a-f]{12}$/);
  const w = vectors.map((v) => head.whiten(v));
  for (let i = 0; i < 16; i++) {
    const mean = w.reduce((s, v) => s + v[i], 0) / n;
    assert.ok(Math.abs(mean) < 1e-3, `mean ${mean}`);
    for (let j = 0; j < 16; j++) {
      const cov = w.reduce((s, v) => s + v[i] * v[j], 0) / (n - 1);
      assert.ok(Math.abs(cov - (i === j ? 1 : 0)) < 1e-3, `cov[${i},${j}] = ${cov}`);
    }
  }
  assert.ok(Math.abs(Math.hypot(...head.project(vectors[0])) - 1) < 1e-5);
  // Persisted and reloaded: same head.
  const path = join(scratchDir('ner-whiten-'), 'whitening.json');
  saveWhitening(path, fit);
  const again = new WhiteningHead(loadWhitening(path)!);
  assert.equal(again.id, head.id);
  assert.deepEqual([...again.project(vectors[1])], [...head.project(vectors[1])]);
  assert.equal(fitWhitening(vectors, { dimension: 16, mentionCount: 1000, source: 'test' }).hash, fit.hash, 'deterministic fit');
  // Refit when the corpus doubled or halved since the fit.
  assert.equal(needsRefit(fit, 1000), false);
  assert.equal(needsRefit(fit, 1999), false);
  assert.equal(needsRefit(fit, 2000), true);
  assert.equal(needsRefit(fit, 501), false);
  assert.equal(needsRefit(fit, 500), true);
});

test('a saved whitening fit whose numbers do not match its hash is refused as corrupt', () => {
  const rand = mulberry32(5);
  const vectors = Array.from({ length: 40 }, () => Float32Array.from({ length: 6 }, () => rand() * 2 - 1));
  const fit = fitWhitening(vectors, { dimension: 4, source: 'test' });
  const path = join(scratchDir('ner-whiten-corrupt-'), 'llm-whitening.json');
  saveWhitening(path, fit);
  assert.equal(loadWhitening(path)!.hash, fit.hash, 'an untouched fit loads');
  const corrupt = /llm-whitening\.json: corrupt \(its numbers do not match its hash\); delete it \(or run index --rebuild\) to refit/;
  const tampered: Array<(f: WhiteningFit) => void> = [
    (f) => { f.projection[3] *= 2; },
    (f) => { (f.mean as unknown[])[0] = null; }, // what a NaN becomes in JSON
    (f) => { f.source = 'another model'; },
    (f) => { f.hash = '0'.repeat(64); },
  ];
  for (const change of tampered) {
    const f = JSON.parse(JSON.stringify(fit)) as WhiteningFit;
    change(f);
    writeFileSync(path, JSON.stringify(f));
    assert.throws(() => loadWhitening(path), corrupt);
  }
});

test('manifest: llm:meta-llama/Llama-3.1-8B → layer 17 + the paper head, found in the shared dir with its SHA-256', async () => {
  const { findManifest, loadManifests, resolveHeadFile } = await import('../../../server/src/engine/llm/manifest.ts');
  const m = findManifest('meta-llama/Llama-3.1-8B')!;
  assert.equal(m.layer, 17);
  assert.equal(m.head.kind, 'paper');
  assert.equal(findManifest('META-LLAMA/llama-3.1-8b')?.name, 'llama31-8b-l17');
  const small = loadManifests().filter((x) => x.head.kind === 'whitening').map((x) => `${x.model}@${x.layer}`).sort();
  assert.deepEqual(small, ['HuggingFaceTB/SmolLM2-360M@16', 'Qwen/Qwen2.5-0.5B@12', 'meta-llama/Llama-3.2-1B@8']);
  const spec = m.head;
  if (spec.kind !== 'paper') return;
  if (haveHead) assert.equal(resolveHeadFile(spec), HEAD);
  assert.throws(() => resolveHeadFile({ ...spec, folder: 'no-such-head' }), /not found .*contrastive_projection_head\.pth.*github\.com\/ShacharOr100\/ner_retriever/);
  if (haveHead) assert.throws(() => resolveHeadFile({ ...spec, sha256: '0'.repeat(64) }), /SHA-256 .* expects 0{64}/);
});

test('a manifest with invalid JSON or missing fields is refused naming the file', async () => {
  const { loadManifests } = await import('../../../server/src/engine/llm/manifest.ts');
  const dir = scratchDir('ner-manifests-');
  const file = join(dir, 'broken.json');
  const valid = { format: 'ner-retriever-llm-manifest', version: 1, name: 'x', model: 'org/x', layer: 3, head: { kind: 'whitening' } };
  assert.equal(loadManifests(dir).length, 0);
  writeFileSync(file, JSON.stringify(valid));
  assert.equal(loadManifests(dir)[0].layer, 3);
  writeFileSync(file, '{"format": ');
  assert.throws(() => loadManifests(dir), /broken\.json: invalid JSON \(.*\); fix or remove it/);
  writeFileSync(file, 'null');
  assert.throws(() => loadManifests(dir), /broken\.json: not an LLM model manifest of version 1/);
  for (const change of [{ model: 5 }, { layer: -1 }, { layer: 'x' }, { head: null }, { name: undefined }]) {
    writeFileSync(file, JSON.stringify({ ...valid, ...change }));
    assert.throws(() => loadManifests(dir), /broken\.json: an LLM model manifest needs a string name and model, a layer/, JSON.stringify(change));
  }
});
