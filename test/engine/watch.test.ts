// watchWorkspace: chokidar events reach the index, and each file gets one stat re-check after its
// last event (the safety net for events chokidar coalesces or drops).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchWorkspace } from '../../server/src/engine/watch.ts';
import type { WorkspaceIndex } from '../../server/src/engine/workspaceIndex.ts';
import { nullLogger } from '../../server/src/engine/types.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

test('events are forwarded; one re-check per file follows its last event', async () => {
  const root = scratchDir('ner-watch-');
  const calls: string[] = [];
  const index = {
    updateFile: async (p: string) => { calls.push(`update ${p}`); },
    removeFile: async (p: string) => { calls.push(`remove ${p}`); },
    recheckFile: async (p: string) => { calls.push(`recheck ${p}`); return false; },
    ignoresForWatch: () => false,
  } as unknown as WorkspaceIndex;
  const watcher = watchWorkspace([root], () => index, { storeDir: join(root, '.store'), logger: nullLogger, recheckMs: 300 });
  const until = async (what: string, ok: () => boolean) => {
    const t0 = Date.now();
    while (!ok()) {
      if (Date.now() - t0 > 10_000) assert.fail(`timed out waiting for ${what}; calls: ${calls.join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    await watcher.ready;
    const file = join(root, 'a.md');
    writeFileSync(file, 'The Danube flows through Vienna.\n');
    await until('the add event', () => calls.includes(`update ${file}`));
    writeFileSync(file, 'The Vltava flows through Prague.\n'); // a second event within the re-check delay
    await until('the re-check', () => calls.includes(`recheck ${file}`));
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(calls.filter((c) => c === `recheck ${file}`).length, 1, `one re-check after the burst (${calls.join(', ')})`);
    const lastUpdate = calls.lastIndexOf(`update ${file}`);
    assert.ok(lastUpdate < calls.indexOf(`recheck ${file}`), 'the re-check comes after the events');
    rmSync(file);
    await until('the unlink event and its re-check', () => calls.includes(`remove ${file}`) && calls.filter((c) => c === `recheck ${file}`).length === 2);
  } finally {
    await watcher.close();
    rmSync(root, { recursive: true, force: true });
  }
});
