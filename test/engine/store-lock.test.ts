// The store's writer lock between processes: one writer at a time however they race, a lock being
// written is not taken for stale, a stale one is taken over, and the refusal says who holds it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MentionStore, StoreError } from '../../server/src/engine/index/store.ts';
import { IDENTITY } from './storeFixtures.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

function contender(dir: string, at: number, holdMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'storeLockContender.ts'), dir, String(at), String(holdMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('exit', () => resolve(out.trim()));
  });
}

test('processes opening one store at the same instant: one writer at a time, with or without a stale lock left behind; every writer\'s document is kept', { timeout: 120_000 }, async () => {
  const root = scratchDir('ner-lock-race-');
  for (let round = 0; round < 4; round++) {
    const dir = join(root, `store-${round}`);
    mkdirSync(dir);
    // Rounds 2 and 3 start from a stale lock (a pid that no longer runs) that all contenders take over at once.
    if (round >= 2) writeFileSync(join(dir, 'lock'), '999999999');
    const at = Date.now() + 2500; // after every contender has started (a late one just comes after the first writer)
    const results = await Promise.all([0, 1, 2, 3].map(() => contender(dir, at, 1500)));
    const held = results.filter((r) => r.startsWith('GOT')).map((r) => r.split(' ').slice(1).map(Number)).sort((a, b) => a[0] - b[0]);
    assert.ok(held.length >= 1, `round ${round}: ${results.join(' | ')}`);
    for (let k = 1; k < held.length; k++) assert.ok(held[k][0] >= held[k - 1][1], `round ${round}: two writers at once: ${results.join(' | ')}`);
    for (const r of results.filter((x) => !x.startsWith('GOT'))) assert.match(r, /^REFUSED Mention store .* is in use by/, r);
    const store = await MentionStore.open(dir, IDENTITY, { readOnly: true });
    try { assert.equal([...store.documents()].length, held.length, 'every writer\'s document is there'); } finally { await store.close(); }
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('tmp') || n === 'lock'), [], 'no lock or temp file left');
  }
});

test('a lock file that is still empty and new (being written) is not taken over; one left empty long ago is', async () => {
  const dir = scratchDir('ner-lock-empty-');
  writeFileSync(join(dir, 'lock'), '');
  await assert.rejects(MentionStore.open(dir, IDENTITY), (e: unknown) => e instanceof StoreError && e.code === 'locked' && /could not acquire/.test(e.message));
  const old = Date.now() / 1000 - 60;
  utimesSync(join(dir, 'lock'), old, old);
  const store = await MentionStore.open(dir, IDENTITY);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
