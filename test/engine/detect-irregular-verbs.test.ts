// The irregular-verb list decides what isCommonWord answers, so its hash is part of the detector id:
// a store detected with one list is re-detected under another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findModelFile } from '../../server/src/engine/modelFiles.ts';
import { loadDefaultDetector } from '../../server/src/engine/detect/index.ts';
import { irregularVerbFormsHash } from '../../server/src/engine/detect/wordClasses.ts';

const wordClasses = pathToFileURL(join(import.meta.dirname, '../../server/src/engine/detect/wordClasses.ts')).href;

/** The list's hash and what isCommonWord says of a word, in a fresh process (the list is loaded once per process). */
function inChild(listPath: string | undefined, word: string): { hash?: string; common?: boolean; error?: string } {
  const script = `import(${JSON.stringify(wordClasses)}).then((m) => { try { console.log(JSON.stringify({ hash: m.irregularVerbFormsHash(), common: m.isCommonWord(${JSON.stringify(word)}) })); } catch (e) { console.log(JSON.stringify({ error: e.message })); } });`;
  const env = { ...process.env };
  if (listPath) env.NER_DETECTOR_IRREGULAR_VERBS = listPath; else delete env.NER_DETECTOR_IRREGULAR_VERBS;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}

test('the detector id carries the irregular-verb list hash, and the hash follows the list', () => {
  assert.match(loadDefaultDetector().id, new RegExp(`-iv${irregularVerbFormsHash()}$`));
  const dir = mkdtempSync(join(tmpdir(), 'ner-irregular-'));
  try {
    const committed = readFileSync(findModelFile('detector/irregular-verb-forms.txt'), 'utf8');
    const reordered = join(dir, 'reordered.txt');
    writeFileSync(reordered, '# same words, another order\n' + committed.split('\n').filter((l) => !l.startsWith('#')).reverse().join('\r\n'));
    const extended = join(dir, 'extended.txt');
    writeFileSync(extended, committed + '\nfrobbed\n');

    const base = inChild(undefined, 'frobbed');
    assert.deepEqual(base, { hash: irregularVerbFormsHash(), common: false });
    assert.deepEqual(inChild(reordered, 'frobbed'), base, 'order, comments and line ends do not change the list');
    const more = inChild(extended, 'frobbed');
    assert.equal(more.common, true, 'the list is read from NER_DETECTOR_IRREGULAR_VERBS');
    assert.notEqual(more.hash, base.hash, 'a changed list changes the detector id');
    assert.match(inChild(join(dir, 'missing.txt'), 'frobbed').error ?? '', /irregular-verb list .*missing\.txt cannot be read.*NER_DETECTOR_IRREGULAR_VERBS/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
