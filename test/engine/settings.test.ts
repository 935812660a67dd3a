// readSettings: the language server's `nerRetriever` section, validated as package.json declares it;
// an invalid value is dropped with a warning and the default stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings } from '../../server/src/lsp/settings.ts';
import type { Logger } from '../../server/src/engine/types.ts';

function read(raw: unknown): { settings: ReturnType<typeof readSettings>; warnings: string[] } {
  const warnings: string[] = [];
  const logger = { warn: (m: string) => warnings.push(m), info: () => {}, debug: () => {}, error: (m: string) => warnings.push(m) } as unknown as Logger;
  return { settings: readSettings(raw, logger), warnings };
}

test('readSettings: out-of-range numbers are ignored with a warning, as wrong types are; valid ones are kept', () => {
  const defaults = readSettings({});
  for (const [key, value] of [['maxFileSize', 0.5], ['maxFileSize', 0], ['maxFileSize', -3], ['maxFileSize', 'big'], ['typeLabelThreshold', 5], ['typeLabelThreshold', -1.5], ['typeLabelThreshold', '0.4'], ['searchLimit', 0], ['searchLimit', 2.5]] as const) {
    const { settings, warnings } = read({ [key]: value });
    assert.deepEqual(warnings, [`Ignoring invalid setting nerRetriever.${key}: ${JSON.stringify(value)}`], `${key} ${JSON.stringify(value)}`);
    assert.equal(settings[key], defaults[key], `${key} keeps its default`);
  }
  const { settings, warnings } = read({ maxFileSize: 1.9, typeLabelThreshold: -1, searchLimit: 1000 });
  assert.deepEqual(warnings, []);
  assert.equal(settings.maxFileSize, 1);
  assert.equal(settings.typeLabelThreshold, -1);
  assert.equal(settings.searchLimit, 1000);
});
