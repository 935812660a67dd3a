// Test helper: the real stories260K checkpoint ($NER_SHARED_DIR/models/stories260K-hf, no tokenizer)
// in a temp folder with the 512-id sentencepiece fixture tokenizer (ids map onto its vocabulary:
// <unk> 0, <s> 1, </s> 2, bytes 3..258, pieces after).
import { copyFileSync, existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../../../server/src/engine/types.ts';
import { scratchDir } from '../../helpers/scratchDir.ts';

export const STORIES = join(sharedDir(), 'models', 'stories260K-hf');
export const FIXTURE_TOKENIZERS = join(import.meta.dirname, '..', '..', 'fixtures', 'tokenizers');
export const haveStories = existsSync(join(STORIES, 'model.safetensors'));
export const storiesSkip: string | false = haveStories ? false : `no stories260K checkpoint at ${STORIES}`;

/** A checkpoint folder: stories260K weights + config, and the fixture tokenizer unless `tokenizer` is false. */
export function storiesFolder(tokenizer = true): string {
  const dir = scratchDir('ner-stories-');
  symlinkSync(join(STORIES, 'model.safetensors'), join(dir, 'model.safetensors'));
  copyFileSync(join(STORIES, 'config.json'), join(dir, 'config.json'));
  if (tokenizer) {
    for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(FIXTURE_TOKENIZERS, 'sentencepiece', f), join(dir, f));
  }
  return dir;
}

/** One value-graph cache shared by the tests of a process. */
export const graphCache = scratchDir('ner-llm-cache-');
