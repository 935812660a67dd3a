// Shared check for files committed under models/ that a script builds (lexicons from WordNet).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { scratchDir } from './scratchDir.ts';

/** Runs `script --out <temp file>` and asserts the output equals the committed file byte for byte. */
export function assertScriptRebuilds(script: string, committed: string): void {
  const dir = scratchDir('ner-committed-');
  try {
    const out = join(dir, basename(committed));
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, '--out', out], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(committed, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
