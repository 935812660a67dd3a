// End to end on the real stories260K checkpoint through part A's value graph: determinism, the
// mention's value equals the right row of the full-sentence run, grouping, windowing, heads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CancelledError, sharedDir } from '../../../server/src/engine/types.ts';
import { LlmEncoder, parseLlmEncoderId } from '../../../server/src/engine/llm/llmEncoder.ts';
import { fitWhitening, WhiteningHead } from '../../../server/src/engine/llm/heads.ts';
import { lastTokenOf } from '../../../server/src/engine/llm/mentionTokens.ts';
import { FIXTURE_TOKENIZERS, graphCache, storiesFolder, storiesSkip } from './storiesModel.ts';
import { scratchDir } from '../../helpers/scratchDir.ts';

const SENTENCE = 'Once upon a time there was a little girl named Lily. She liked to play in the park with her mom.';
const span = (w: string, s = SENTENCE) => ({ sentence: s, start: s.indexOf(w), end: s.indexOf(w) + w.length });

function maxDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('stories260K: raw value at the last sub-token equals the full-sentence run row; deterministic; one run per sentence', { skip: storiesSkip }, async () => {
  const model = storiesFolder();
  const enc = await LlmEncoder.create({ model, layer: 2, head: 'raw', cacheDir: graphCache, device: 'cpu' });
  try {
    assert.equal(enc.kvDim, 32);
    assert.equal(enc.dimension, 32);
    const parsed = parseLlmEncoderId(enc.id)!;
    assert.equal(parsed.model, model);
    assert.equal(parsed.layer, 2);
    assert.equal(parsed.head, 'raw');

    const mentions = [span('Lily'), span('little girl'), span('park'), span('mom')];
    const raw1 = await enc.encodeRaw(mentions);
    const raw2 = await enc.encodeRaw(mentions);
    raw1.forEach((v, i) => assert.deepEqual([...v], [...raw2[i]], 'deterministic'));

    // Independent path: tokenise, prepend BOS, run the whole sentence, read the row.
    const tok = enc.tokenizer.encode(SENTENCE);
    const input = enc.tokenizer.withBos(tok.ids);
    assert.equal(input[0], 1, '<s> prepended');
    const runner = (enc as unknown as { s: { runner: { run(x: number[][]): Promise<Float32Array[]> } } }).s.runner;
    const [rows] = await runner.run([input]);
    mentions.forEach((m, i) => {
      const t = lastTokenOf(tok.offsets, m) + 1;
      assert.ok(maxDiff(raw1[i], rows.slice(t * 32, (t + 1) * 32)) < 1e-5);
    });

    const ex = await enc.explain(span('Lily'));
    assert.equal(ex.tokenText.replace('▁', ''), SENTENCE.slice(ex.tokenRange[0], ex.tokenRange[1]).trim() || ex.tokenText.replace('▁', ''));
    assert.ok(SENTENCE.slice(ex.tokenRange[0], ex.tokenRange[1]).length > 0);
    assert.equal(ex.inputIds.length, input.length);
    assert.deepEqual([...ex.raw], [...raw1[0]]);

    // Projected (raw head = L2-normalised) and query path.
    const [p] = await enc.encodeMentions([span('Lily')]);
    assert.ok(Math.abs(Math.hypot(...p) - 1) < 1e-5);
    const q = await enc.encodeQuery('  little girl ');
    const [q2] = await enc.encodeMentions([{ sentence: 'little girl', start: 0, end: 11 }]);
    assert.deepEqual([...q], [...q2]);

    // Cancellation between batches.
    await assert.rejects(enc.encodeMentions(mentions, { isCancellationRequested: true }), CancelledError);
  } finally {
    await enc.dispose();
  }
});

test('stories260K: a long sentence is windowed; each mention reads the window giving it the most left context', { skip: storiesSkip }, async () => {
  const model = storiesFolder();
  const enc = await LlmEncoder.create({ model, layer: 4, head: 'raw', cacheDir: graphCache, device: 'cpu', maxTokens: 24, overlap: 8 });
  try {
    const long = Array.from({ length: 8 }, () => SENTENCE).join(' ');
    const tok = enc.tokenizer.encode(long);
    assert.ok(tok.ids.length > 100);
    const at = (k: number) => long.indexOf('Lily', k);
    const mentions = [0, 200, 400, long.length - 30].map((k) => ({ sentence: long, start: at(k), end: at(k) + 4 }));
    const got = await enc.encodeRaw(mentions);
    const runner = (enc as unknown as { s: { runner: { run(x: number[][]): Promise<Float32Array[]> } } }).s.runner;
    const capacity = 23; const stride = 15;
    for (let i = 0; i < mentions.length; i++) {
      const t = lastTokenOf(tok.offsets, mentions[i]);
      const start = tok.ids.length <= capacity ? 0 : Math.max(0, Math.ceil((t - capacity + 1) / stride)) * stride;
      const window = [1, ...tok.ids.slice(start, start + capacity)];
      const [rows] = await runner.run([window]);
      const pos = 1 + t - start;
      assert.ok(maxDiff(got[i], rows.slice(pos * 32, (pos + 1) * 32)) < 1e-5, `mention ${i}`);
      if (start > 0) assert.ok(t - start >= 8);
    }
  } finally {
    await enc.dispose();
  }
});

test('stories260K: whitening head on corpus vectors; the paper head is refused for a 32-d model', { skip: storiesSkip }, async () => {
  const model = storiesFolder();
  const enc = await LlmEncoder.create({ model, layer: 2, head: 'raw', cacheDir: graphCache, device: 'cpu' });
  try {
    const words = ['Lily', 'girl', 'park', 'mom', 'time', 'play', 'little', 'upon', 'She', 'her'];
    const raw = await enc.encodeRaw(words.map((w) => span(w)));
    const fit = fitWhitening(raw, { dimension: 8, source: enc.sourceId });
    const white = enc.withHead(new WhiteningHead(fit));
    assert.equal(white.dimension, 8);
    assert.notEqual(white.id, enc.id);
    assert.equal(parseLlmEncoderId(white.id)!.head, 'whitening');
    const [v] = await white.encodeMentions([span('Lily')]);
    assert.equal(v.length, 8);
    const head = join(sharedDir(), 'models', 'ner-retriever-llama31-8b-l17', 'head.safetensors');
    await assert.rejects(LlmEncoder.create({ model, layer: 2, head, cacheDir: graphCache, device: 'cpu' }), /expects 1024-d value vectors .* gives 32-d/);
    await assert.rejects(LlmEncoder.create({ model, layer: 2, head: 'paper', cacheDir: graphCache, device: 'cpu' }), /no trained head is known/);
    await assert.rejects(LlmEncoder.create({ model: storiesFolder(false), layer: 2, cacheDir: graphCache, device: 'cpu' }), /no tokenizer\.json/);
    await assert.rejects(LlmEncoder.create({ model, layer: 9, cacheDir: graphCache, device: 'cpu' }), /layer/);
  } finally {
    await enc.dispose();
  }
});

test('hub ids: resolved in the Hugging Face cache (revision in the id); an uncached one says to pull it', { skip: storiesSkip }, async () => {
  const { mkdirSync, writeFileSync, symlinkSync, readdirSync } = await import('node:fs');
  const hub = scratchDir('ner-hub-');
  const commit = 'a'.repeat(40);
  const repo = join(hub, 'models--test--stories260K');
  mkdirSync(join(repo, 'refs'), { recursive: true });
  writeFileSync(join(repo, 'refs', 'main'), commit);
  const snap = join(repo, 'snapshots', commit);
  mkdirSync(snap, { recursive: true });
  const src = storiesFolder();
  for (const f of readdirSync(src)) symlinkSync(join(src, f), join(snap, f));
  const saved = process.env.HF_HUB_CACHE;
  process.env.HF_HUB_CACHE = hub;
  try {
    const enc = await LlmEncoder.create({ model: 'test/stories260K', layer: 1, head: 'raw', cacheDir: graphCache, device: 'cpu' });
    try {
      const id = parseLlmEncoderId(enc.id)!;
      assert.equal(id.model, 'test/stories260K');
      assert.match(id.revision, new RegExp(commit));
      assert.equal(id.layer, 1);
    } finally {
      await enc.dispose();
    }
    await assert.rejects(LlmEncoder.create({ model: 'meta-llama/Llama-3.1-8B', cacheDir: graphCache }), /not in the Hugging Face cache.*model pull meta-llama\/Llama-3\.1-8B/);
  } finally {
    if (saved === undefined) delete process.env.HF_HUB_CACHE; else process.env.HF_HUB_CACHE = saved;
  }
});

test('stories260K: a local checkpoint\'s tokenizer is part of the encoder\'s identity (the same weights with another tokenizer give other vectors)', { skip: storiesSkip }, async () => {
  const revisionOf = async (model: string) => {
    const enc = await LlmEncoder.create({ model, layer: 2, head: 'raw', cacheDir: graphCache, device: 'cpu' });
    try { return parseLlmEncoderId(enc.id)!.revision; } finally { await enc.dispose(); }
  };
  const sentencepiece = await revisionOf(storiesFolder());
  assert.equal(await revisionOf(storiesFolder()), sentencepiece, 'the same weights and tokenizer in another folder');
  const swapped = storiesFolder();
  for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(FIXTURE_TOKENIZERS, 'byte-level', f), join(swapped, f));
  assert.notEqual(await revisionOf(swapped), sentencepiece);
});

test('stories260K: a tokenizer whose ids reach past the 512-row embedding table is refused with a clear error, not an onnxruntime Gather failure', { skip: storiesSkip }, async () => {
  const fixture = JSON.parse(readFileSync(join(FIXTURE_TOKENIZERS, 'sentencepiece', 'tokenizer.json'), 'utf8'));
  // Another model's vocabulary: one piece moved to id 900.
  const bigVocab = storiesFolder();
  const moved = structuredClone(fixture);
  const [piece] = Object.entries(moved.model.vocab as Record<string, number>).find(([, id]) => id === 511)!;
  moved.model.vocab[piece] = 900;
  writeFileSync(join(bigVocab, 'tokenizer.json'), JSON.stringify(moved));
  await assert.rejects(LlmEncoder.create({ model: bigVocab, layer: 2, head: 'raw', cacheDir: graphCache, device: 'cpu' }),
    /ids up to 900, but the model's embedding table has 512 rows/);

  // An added token past the table passes loading but is refused where text produces it.
  const extraToken = storiesFolder();
  const added = structuredClone(fixture);
  added.added_tokens.push({ id: 700, content: '<|extra|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  writeFileSync(join(extraToken, 'tokenizer.json'), JSON.stringify(added));
  const enc = await LlmEncoder.create({ model: extraToken, layer: 2, head: 'raw', cacheDir: graphCache, device: 'cpu' });
  try {
    assert.equal((await enc.encodeRaw([span('Lily')])).length, 1, 'text without the token still encodes');
    const s = 'The <|extra|> girl named Lily.';
    await assert.rejects(enc.encodeRaw([span('Lily', s)]), /id 700, past the model's 512-row embedding table/);
  } finally {
    await enc.dispose();
  }
});
