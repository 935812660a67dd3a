// train-head for the LLM encoder: the existing trainer on stories260K value vectors writes a
// paper-format safetensors head that PaperHead and LlmEncoder load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../../../server/src/engine/types.ts';
import { trainHead } from '../../../server/src/engine/train/trainHead.ts';
import { PaperHead } from '../../../server/src/engine/llm/heads.ts';
import { LlmEncoder, parseLlmEncoderId } from '../../../server/src/engine/llm/llmEncoder.ts';
import { graphCache, storiesFolder, storiesSkip } from './storiesModel.ts';
import { scratchDir } from '../../helpers/scratchDir.ts';

const haveData = existsSync(join(sharedDir(), 'data', 'multiconer2-en', 'train.conll'));

test('trainHead with LLM value-vector features writes a loadable paper-format head', { skip: storiesSkip || (haveData ? false : 'no MultiCoNER train data') }, async () => {
  const model = storiesFolder();
  const raw = await LlmEncoder.create({ model, layer: 2, head: 'raw', cacheDir: graphCache, device: 'cpu' });
  const out = join(scratchDir('ner-llm-head-'), 'head.safetensors');
  try {
    const report = await trainHead({
      sharedDir: sharedDir(), outPath: out, seed: 5, epochs: 1, maxSentences: 40, wordnet: false, hiddenDim: 16, outputDim: 8,
      features: {
        name: raw.sourceId, dimension: raw.kvDim,
        async extract(inputs) {
          const rows = await raw.encodeRaw(inputs);
          const x = new Float32Array(rows.length * raw.kvDim);
          rows.forEach((r, i) => x.set(r, i * raw.kvDim));
          return x;
        },
      },
    });
    assert.ok(report.trainMentions > 0 && Number.isFinite(report.finalLoss.multiconer));
    const head = PaperHead.load(out, 32);
    assert.equal(head.hiddenDim, 16);
    assert.equal(head.outputDim, 8);
    assert.equal(head.sha256, report.sha256);
    const enc = await LlmEncoder.create({ model, layer: 2, head: out, cacheDir: graphCache, device: 'cpu' });
    try {
      assert.equal(enc.dimension, 8);
      assert.equal(parseLlmEncoderId(enc.id)!.head, out);
      const [v] = await enc.encodeMentions([{ sentence: 'Lily went to the park.', start: 0, end: 4 }]);
      assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-5);
    } finally {
      await enc.dispose();
    }
  } finally {
    await raw.dispose();
  }
});
