// The inlay-label vocabulary: one default, the same in the engine and in the extension's settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_TYPE_LABELS } from '../../server/src/engine/typeLabels.ts';
import { readSettings } from '../../server/src/lsp/settings.ts';

test('the typeLabels default of package.json is the engine\'s DEFAULT_TYPE_LABELS, and what readSettings gives without settings', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  assert.deepEqual(pkg.contributes.configuration.properties['nerRetriever.typeLabels'].default, [...DEFAULT_TYPE_LABELS]);
  assert.deepEqual(readSettings(undefined).typeLabels, [...DEFAULT_TYPE_LABELS]);
  // Every category the span detector's lexicon adds (docs/detection.md) has a label.
  for (const l of ['drug', 'disease', 'medical procedure']) assert.ok(DEFAULT_TYPE_LABELS.includes(l), l);
});
