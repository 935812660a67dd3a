// Language server lifecycle: default store location, reuse of the index across restarts, the
// --node-ipc transport (stdout stays silent), a client without progress/watch capabilities, and
// exiting when the client goes away.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { MentionStore } from '../../server/src/engine/index/store.ts';
import { readStoreIdentity } from '../../server/src/engine/engine.ts';
import { join } from 'node:path';
import { defaultCacheDir } from '../../server/src/engine/encode/wordVectors.ts';
import type { SearchResult } from '../../server/src/protocol.ts';
import { LspTestClient } from './lspClient.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const fixture = new URL('../fixtures/workspace', import.meta.url).pathname;

describe('language server lifecycle', () => {
  let tmp: string;
  let ws: string;
  const cacheDir = defaultCacheDir(); // shared word-vector cache, independent of XDG_CACHE_HOME below
  const clients: LspTestClient[] = [];
  const client = (options: ConstructorParameters<typeof LspTestClient>[0] = {}) => {
    const c = new LspTestClient(options);
    clients.push(c);
    return c;
  };

  before(() => {
    tmp = scratchDir('ner-lsp-life-');
    ws = join(tmp, 'ws');
    cpSync(fixture, ws, { recursive: true });
  });
  // A test's servers stop when it ends, not when the file does (see lsp-robustness).
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('without storagePath the index goes to the per-user cache keyed by the workspace folder', async () => {
    const xdg = join(tmp, 'xdg');
    const c = client({ env: { XDG_CACHE_HOME: xdg } });
    await c.start([ws], { cacheDir });
    await c.initialIndexing();
    const key = createHash('sha1').update(ws).digest('hex');
    const dir = join(xdg, 'ner-retriever', 'workspaces', key);
    assert.ok(existsSync(dir) && readdirSync(dir).length > 0, `store in ${dir}`);
    await c.request('shutdown');
    await c.connection.sendNotification('exit');
    assert.equal(await c.exited, 0);
  });

  test('a restart on the same storage reuses the index (nothing re-embedded)', async () => {
    const storagePath = join(tmp, 'storage');
    const first = client();
    await first.start([ws], { storagePath, cacheDir });
    await first.initialIndexing();
    const mentions = first.statuses.at(-1)!.mentions;
    await first.request('shutdown');
    await first.connection.sendNotification('exit');
    assert.equal(await first.exited, 0);

    const second = client();
    await second.start([ws], { storagePath, cacheDir });
    await second.initialIndexing();
    assert.equal(second.statuses.at(-1)!.mentions, mentions);
    assert.ok(second.logs.some((l) => /Indexed \d+ files: 0 changed/.test(l)), second.logs.join('\n'));
    const res = await second.request<SearchResult>('ner/search', { query: 'river' });
    assert.ok(res.hits.some((h) => h.text === 'Danube'));
    await second.request('shutdown');
    await second.connection.sendNotification('exit');
    assert.equal(await second.exited, 0);
  });

  for (const paused of [false, true]) test(`shutdown with an unsaved buffer${paused ? ', indexing paused,' : ''} leaves the store with the file's saved text (it is shared with the CLI and the next session)`, async () => {
    const storagePath = join(tmp, paused ? 'unsaved-paused' : 'unsaved');
    const c = client();
    await c.start([ws], { storagePath, cacheDir });
    await c.initialIndexing();
    const file = join(ws, 'rivers.md');
    const uri = pathToFileURL(file).href;
    const saved = readFileSync(file, 'utf8');
    await c.settle(() => c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: saved } }));
    await c.settle(() => c.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 }, contentChanges: [{ text: `${saved}\nThe Zambezi falls at Victoria Falls.\n` }],
    }));
    const during = await c.request<SearchResult>('ner/search', { query: 'river' });
    assert.ok(during.hits.some((h) => h.text === 'Zambezi'), 'the buffer is indexed while open');
    // A pause holds queued work, not the revert at shutdown.
    if (paused) await c.request('ner/pause');
    await c.request('shutdown');
    await c.connection.sendNotification('exit');
    assert.equal(await c.exited, 0);
    const store = await MentionStore.open(join(storagePath, 'ner-index'), readStoreIdentity(join(storagePath, 'ner-index'))!, { readOnly: true });
    try {
      const doc = store.getDocument(file)!;
      assert.ok(doc, 'rivers.md is indexed');
      const texts = doc.paragraphs.flatMap((p) => p.mentions.map((m) => m.text));
      assert.ok(texts.includes('Danube') && !texts.includes('Zambezi'), texts.join(', '));
    } finally { await store.close(); }
  });

  test('--node-ipc transport, a client with no progress or watcher support, and a silent stdout', async () => {
    const c = client({ ipc: true });
    let stdout = '';
    c.child.stdout!.on('data', (d) => { stdout += String(d); });
    await c.start([ws], { storagePath: join(tmp, 'ipc'), cacheDir }, {});
    await c.initialIndexing();
    assert.equal(c.progressCreated.length, 0);
    assert.equal(c.registrations.length, 0);
    const res = await c.request<SearchResult>('ner/search', { query: 'river', limit: 5 });
    assert.equal(res.hits.length, 5);
    assert.equal(res.partial, false);
    await c.request('shutdown');
    await c.connection.sendNotification('exit');
    assert.equal(await c.exited, 0);
    assert.equal(stdout, '', 'nothing written to stdout');
  });

  const bundle = new URL('../../dist/server.mjs', import.meta.url).pathname;
  test('the bundled server detects the spans of a large pass (≥ 2 MB) and encodes its mentions on a worker thread', { skip: existsSync(bundle) ? false : 'dist/server.mjs not built (npm run build)' }, async () => {
    // 2.2 MB of distinct paragraphs in 20 files: enough for the worker, small enough to index in seconds.
    const big = join(tmp, 'big');
    mkdirSync(big);
    const cities = ['Vienna', 'Basel', 'Cologne', 'Rotterdam', 'Budapest', 'Belgrade', 'Passau', 'Linz'];
    for (let f = 0; f < 20; f++) {
      const paragraphs: string[] = [];
      for (let i = 0; paragraphs.join('\n\n').length < 110_000; i++) {
        // Few mentions per byte: the inserts, not the 2.2 MB, would make the test slow.
        paragraphs.push(`Trip ${f}-${i}: we walked along the Danube near ${cities[i % cities.length]} for most of the day, stopping often for coffee and long conversations about nothing in particular before an early dinner on day ${i}.`);
      }
      writeFileSync(join(big, `notes-${f}.md`), `# Travel log ${f}\n\n${paragraphs.join('\n\n')}\n`);
    }
    const c = client({ entry: bundle });
    await c.start([big], { cacheDir, storagePath: join(tmp, 'big-store'), verbose: true });
    await c.initialIndexing();
    assert.ok(c.logs.some((m) => m.includes('Span detection and mention encoding run on a worker thread')), c.logs.join('\n'));
    assert.ok(!c.logs.some((m) => /No span-detector worker|(detecting|encoding) on this thread instead/.test(m)), c.logs.join('\n'));
    const result = await c.request<SearchResult>('ner/search', { query: 'river', limit: 5 });
    assert.equal(result.hits[0]?.text, 'Danube');
    assert.ok((c.statuses.at(-1)?.mentions ?? 0) > 20 * 200, 'every file indexed');
  });

  test('the server exits when the client closes its stdin (no orphan)', async () => {
    const c = client();
    await c.start([ws], { storagePath: join(tmp, 'orphan'), cacheDir });
    await c.initialIndexing();
    c.child.stdin!.end();
    const code = await c.exited;
    assert.equal(code, 1, 'exit without shutdown');
  });
});
