// Robustness of the language server, through the real process over stdio: malformed and unknown
// requests, a flood of concurrent searches, the client dying, the store deleted while running, and
// files changing while the initial pass runs. Every wait is on a server message (ner/status) or a
// bounded poll of the child process; nothing talks to anything but the child's stdio.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ResponseError } from 'vscode-jsonrpc/node';
import { defaultCacheDir } from '../../server/src/engine/encode/wordVectors.ts';
import { ownLockRecord, parseLockRecord, processLife } from '../../server/src/engine/processLock.ts';
import type { SearchResult } from '../../server/src/protocol.ts';
import { LspTestClient } from './lspClient.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const fixture = new URL('../fixtures/workspace', import.meta.url).pathname;
const uri = (p: string) => pathToFileURL(p).href;
const cacheDir = defaultCacheDir();
const code = (expected: number) => (e: unknown) => e instanceof ResponseError && e.code === expected;

/** Polls until the child has exited (exit code or signal), at most `timeoutMs`; returns whether it did. */
async function exitedWithin(c: LspTestClient, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (c.child.exitCode !== null || c.child.signalCode !== null) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return c.child.exitCode !== null || c.child.signalCode !== null;
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

describe('language server robustness', () => {
  let tmp: string;
  const clients: LspTestClient[] = [];
  // A test's servers stop when it ends: left running, they index, watch and snapshot beside the
  // later tests (the 100k-file one ran next to six of them).
  let testClients: LspTestClient[] = [];
  const sharedClient = () => { const c = new LspTestClient(); clients.push(c); return c; };
  const client = () => { const c = sharedClient(); testClients.push(c); return c; };
  afterEach(async () => {
    const ending = testClients;
    testClients = [];
    await Promise.all(ending.map((c) => c.dispose()));
  });
  const search = (c: LspTestClient, query: string, extra: Record<string, unknown> = {}) =>
    c.request<SearchResult>('ner/search', { query, limit: 200, ...extra });

  before(() => { tmp = scratchDir('ner-lsp-robust-'); });
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    rmSync(tmp, { recursive: true, force: true });
  });

  describe('on the fixture workspace', () => {
    let c: LspTestClient;
    let ws: string;
    before(async () => {
      ws = join(tmp, 'fixture-ws');
      cpSync(fixture, ws, { recursive: true });
      c = sharedClient();
      await c.start([ws], { storagePath: join(tmp, 'fixture-storage'), cacheDir });
      await c.initialIndexing();
    });

    test('malformed and unknown requests get error responses; the server keeps answering', { timeout: 20_000 }, async () => {
      const expected = await search(c, 'river');
      assert.ok(expected.hits.length > 0);
      await assert.rejects(c.request('ner/definitelyNotAMethod', { x: 1 }), code(-32601));
      await assert.rejects(c.request('textDocument/notAMethod'), code(-32601));
      await assert.rejects(c.request('ner/search', {}), code(-32602));
      await assert.rejects(c.request('ner/search', { limit: 3 }), code(-32602));
      await assert.rejects(c.request('ner/search', { query: 42 }), code(-32602));
      await assert.rejects(c.request('ner/search', 42), code(-32602));
      await assert.rejects(c.request('ner/search', { query: ['river'] }), code(-32602));
      await assert.rejects(c.request('ner/search', { query: 'river', limit: 'ten' }), code(-32602));
      await assert.rejects(c.request('ner/search', { query: 'river', scope: [42] }), code(-32602));
      await assert.rejects(c.request('ner/search', { query: 'river', names: 'yes' }), code(-32602));
      // Words the static encoder does not know: InvalidParams with the reason, not arbitrary hits.
      await assert.rejects(c.request('ner/search', { query: 'xqzvw blorf' }), (e: ResponseError<unknown>) => e.code === -32602 && /No word of "xqzvw blorf"/.test(e.message));
      await assert.rejects(c.request('ner/search', { query: '!!!' }), code(-32602));
      await assert.rejects(c.request('ner/highlights', { uri: uri(join(ws, 'rivers.md')), query: 'xqzvw' }), code(-32602));
      assert.ok((await search(c, 'xqzvw river')).hits.length > 0, 'one known word is enough');
      // A pasted paragraph as the query: refused by its length (its reading would stall the server).
      const pasted = 'European river '.repeat(2000);
      await assert.rejects(c.request('ner/search', { query: pasted }), (e: ResponseError<unknown>) => e.code === -32602 && /too long/.test(e.message));
      await assert.rejects(c.request('workspace/symbol', { query: `type: ${pasted}` }), (e: ResponseError<unknown>) => e.code === -32602 && /too long/.test(e.message));
      // Garbage params to standard requests: InvalidParams, not a crash or an empty success.
      for (const garbage of [42, 'nonsense', { textDocument: 7 }, { textDocument: { uri: uri(join(ws, 'rivers.md')) }, range: 'all' }]) {
        await assert.rejects(c.request('textDocument/inlayHint', garbage), code(-32602), JSON.stringify(garbage));
      }
      await assert.rejects(c.request('textDocument/documentHighlight', { position: null }), code(-32602));
      for (const garbage of [null, { textDocument: { uri: uri(join(ws, 'rivers.md')) }, position: { line: 'one', character: 0 } }]) {
        await assert.rejects(c.request('textDocument/hover', garbage), code(-32602), JSON.stringify(garbage));
      }
      for (const garbage of [null, {}, { query: 42 }, { query: ['type: river'] }]) {
        await assert.rejects(c.request('workspace/symbol', garbage), code(-32602), JSON.stringify(garbage));
      }
      assert.equal(c.child.exitCode, null, 'still running');
      assert.deepEqual(await search(c, 'river'), expected);
    });

    test('a flood of 1,000 concurrent ner/search requests is answered in full', { timeout: 20_000 }, async () => {
      const queries = ['river', 'European river', 'company', 'person', 'city', 'car manufacturer', 'sea', 'capital city'];
      const single = await search(c, 'European river', { limit: 20 });
      assert.ok(single.hits.length > 0);
      const all = await Promise.all(Array.from({ length: 1000 }, (_, i) => search(c, queries[i % queries.length], { limit: 20 })));
      assert.equal(all.length, 1000);
      for (const r of all) assert.ok(Array.isArray(r.hits));
      assert.deepEqual(all[1], single, 'the same answer as a single request');
      assert.deepEqual(all[1 + queries.length * 50], single);
      assert.equal(c.child.exitCode, null, 'still running');
      assert.deepEqual(await search(c, 'European river', { limit: 20 }), single);
    });

    test('cancellation: queued searches cancelled by $/cancelRequest are answered RequestCancelled, the rest normally', { timeout: 20_000 }, async () => {
      const expected = await search(c, 'river', { limit: 20 });
      // Raw frames in one write, so every cancellation reaches the server while its request is still queued.
      const frame = (m: object) => { const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...m })); return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]); };
      const ids = Array.from({ length: 100 }, (_, i) => `cancel-test-${i}`);
      const responses = new Map<string, { result?: SearchResult; error?: { code: number } }>();
      let buffer = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const headerEnd = buffer.indexOf('\r\n\r\n');
          if (headerEnd < 0) return;
          const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1]);
          if (buffer.length < headerEnd + 4 + length) return;
          const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString());
          buffer = buffer.subarray(headerEnd + 4 + length);
          if (typeof message.id === 'string' && message.id.startsWith('cancel-test-')) responses.set(message.id, message);
        }
      };
      c.child.stdout!.on('data', onData);
      try {
        c.child.stdin!.write(Buffer.concat([
          ...ids.map((id) => frame({ id, method: 'ner/search', params: { query: 'river', limit: 20 } })),
          ...ids.filter((_, i) => i % 2 === 0).map((id) => frame({ method: '$/cancelRequest', params: { id } })),
        ]));
        const deadline = Date.now() + 15_000;
        while (responses.size < ids.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      } finally {
        c.child.stdout!.off('data', onData);
      }
      assert.equal(responses.size, ids.length, 'every request answered, cancelled or not');
      ids.forEach((id, i) => {
        const r = responses.get(id)!;
        if (i % 2) assert.deepEqual(r.result?.hits, expected.hits, `${id} answered normally`);
        else assert.equal(r.error?.code, -32800, `${id} cancelled: ${JSON.stringify(r).slice(0, 200)}`);
      });
      assert.deepEqual(await search(c, 'river', { limit: 20 }), expected, 'still answering');
    });
  });

  test('the client dying (its pipes destroyed mid-pass): the server exits by itself, no orphan', { timeout: 20_000 }, async () => {
    const ws = join(tmp, 'dying-ws');
    cpSync(fixture, ws, { recursive: true });
    const c = client();
    await c.start([ws], { storagePath: join(tmp, 'dying-storage'), cacheDir });
    await c.waitUntil('the server to report a status', () => c.statuses.length > 0, 15_000);
    const pid = c.child.pid!;
    c.connection.dispose();
    c.child.stdin!.destroy();
    c.child.stdout!.destroy();
    assert.ok(await exitedWithin(c, 10_000), 'server exited within 10 s');
    assert.equal(alive(pid), false, 'no process left');
  });

  test('requests before initialize get ServerNotInitialized, a second initialize and any after shutdown InvalidRequest (a second initialized is ignored); nothing then reaches the store', { timeout: 20_000 }, async () => {
    const ws = join(tmp, 'lifecycle-ws');
    const storagePath = join(tmp, 'lifecycle-storage');
    cpSync(fixture, ws, { recursive: true });
    const c = client();
    const rivers = uri(join(ws, 'rivers.md'));
    const requests: Array<[string, unknown]> = [
      ['ner/search', { query: 'river' }], ['textDocument/hover', { textDocument: { uri: rivers }, position: { line: 0, character: 0 } }],
      ['workspace/symbol', { query: 'Dan' }], ['ner/reindex', null], ['ner/notAMethod', {}],
    ];
    for (const [method, params] of requests) await assert.rejects(c.request(method, params), code(-32002), `${method} before initialize`);
    await c.start([ws], { storagePath, cacheDir });
    await c.initialIndexing();
    const expected = await search(c, 'river');
    assert.ok(expected.hits.length > 0);
    // A second initialize (other folders, no capabilities) is refused and changes nothing.
    await assert.rejects(c.request('initialize', { processId: null, rootUri: uri(tmp), capabilities: {}, initializationOptions: { storagePath: join(tmp, 'lifecycle-other') } }), code(-32600));
    // A second initialized is ignored too (it started the server over, waiting for its own store's lock).
    const from = c.statuses.length;
    await c.connection.sendNotification('initialized', {});
    await c.settle(() => c.request('ner/reindex', null), 20_000);
    assert.deepEqual(c.statuses.slice(from).filter((s) => s.message === 'Loading models…' || s.health !== 'ok'), []);
    assert.deepEqual(await search(c, 'river'), expected);
    assert.equal(existsSync(join(tmp, 'lifecycle-other')), false);

    await c.request('shutdown');
    const store = join(storagePath, 'ner-index');
    const files = () => readdirSync(store).map((n) => { const st = statSync(join(store, n)); return `${n} ${st.size} ${st.mtimeMs}`; }).sort();
    const before = files();
    const created = join(ws, 'late.md');
    writeFileSync(created, 'The Volga flows into the Caspian Sea.\n');
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(created), type: 1 }] });
    await c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(join(ws, 'draft.md')), languageId: 'markdown', version: 1, text: 'The Seine crosses Paris.\n' } });
    for (const [method, params] of [...requests, ['ner/reindex', { rebuild: true }], ['shutdown', null]] as Array<[string, unknown]>) {
      await assert.rejects(c.request(method, params), code(-32600), `${method} after shutdown`);
    }
    await c.connection.sendNotification('exit');
    assert.equal(await c.exited, 0);
    assert.deepEqual(files(), before, 'the store untouched after shutdown');
  });

  test('the store deleted while running: ner/reindex rebuilds it, ner/status reports it, search works again', { timeout: 20_000 }, async () => {
    const ws = join(tmp, 'store-ws');
    const storagePath = join(tmp, 'store-storage');
    cpSync(fixture, ws, { recursive: true });
    const c = client();
    await c.start([ws], { storagePath, cacheDir });
    await c.initialIndexing();
    const before = await search(c, 'river');
    assert.ok(before.hits.some((h) => h.text === 'Danube'));
    const mentions = c.statuses.at(-1)!.mentions;

    const store = join(storagePath, 'ner-index');
    assert.ok(existsSync(store));
    rmSync(store, { recursive: true, force: true });
    const status = await c.settle(() => c.request('ner/reindex'), 15_000);
    assert.ok(existsSync(store), 'the store folder is back');
    assert.equal(status.quiescent, true);
    assert.notEqual(status.health, 'error', JSON.stringify(status));
    assert.equal(status.mentions, mentions);
    const reported = c.statuses.slice(-20).some((s) => s.health === 'warning' && /store/i.test(s.message));
    assert.ok(reported, `a status reports the rebuilt store: ${JSON.stringify(c.statuses.slice(-5))}`);
    const res = await search(c, 'river');
    assert.deepEqual(res.hits.map((h) => [h.uri, h.text, h.range]), before.hits.map((h) => [h.uri, h.text, h.range]));

    // The rebuilt store is a working one: an edit after the rebuild is indexed.
    const created = join(ws, 'after.md');
    writeFileSync(created, 'The Volga flows into the Caspian Sea.\n');
    await c.settle(() => c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(created), type: 1 }] }), 15_000);
    assert.ok((await search(c, 'river')).hits.some((h) => h.uri === uri(created) && h.text === 'Volga'));

    // Deleted again, and this time only a file change arrives: the store is rebuilt by a full pass too.
    rmSync(store, { recursive: true, force: true });
    writeFileSync(created, 'The Seine crosses Paris.\n');
    const again = await c.settle(() => c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(created), type: 2 }] }), 15_000);
    assert.ok(existsSync(join(store, 'store.json')), 'the store is back');
    assert.equal(again.health, 'warning', JSON.stringify(again));
    const hits = (await search(c, 'river')).hits;
    assert.ok(hits.some((h) => h.uri === uri(created) && h.text === 'Seine'), 'the changed file');
    assert.ok(hits.some((h) => h.text === 'Danube'), 'the other files, re-indexed by the full pass');
  });

  test('files edited and deleted while the initial pass runs: the index ends with the final disk state', { timeout: 20_000 }, async () => {
    const ws = join(tmp, 'churn-ws');
    mkdirSync(join(ws, 'notes'), { recursive: true });
    const rivers = ['Danube', 'Rhine', 'Vistula', 'Thames', 'Volga', 'Seine', 'Elbe', 'Oder'];
    const file = (i: number) => join(ws, 'notes', `note-${String(i).padStart(3, '0')}.md`);
    for (let i = 0; i < 200; i++) {
      const r = rivers[i % rivers.length];
      writeFileSync(file(i), `# Note ${i}\n\nThe ${r} flows past many towns and villages.\n\nFerries cross the ${r} every hour in summer.\n`);
    }
    const c = client();
    await c.start([ws], { storagePath: join(tmp, 'churn-storage'), cacheDir });
    // At once, while the server loads and indexes: edit some files, delete others, create one.
    const edited = [file(0), file(57), file(199)];
    const deleted = [file(1), file(100), file(150)];
    const created = join(ws, 'notes', 'late.md');
    for (const f of edited) writeFileSync(f, '# Edited\n\nIn Orléans the Loire meets the Atlantic.\n');
    for (const f of deleted) rmSync(f);
    writeFileSync(created, 'The Volga flows into the Caspian Sea.\n');
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [...edited.map((f) => ({ uri: uri(f), type: 2 })), ...deleted.map((f) => ({ uri: uri(f), type: 3 })), { uri: uri(created), type: 1 }],
    });
    // A second round once the pass reports progress (still running, unless it was faster): the last write wins.
    await c.waitUntil('the initial pass to report progress', () => c.statuses.some((s) => !s.quiescent && s.totalFiles > 0), 15_000);
    writeFileSync(file(57), '# Edited twice\n\nThe Tagus reaches the sea at Lisbon.\n');
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(file(57)), type: 2 }] });
    await c.initialIndexing();
    await c.waitUntil('quiescence after the churn', () => c.statuses.at(-1)!.quiescent, 15_000);

    const scoped = async (f: string) => (await search(c, 'river', { scope: [uri(f)] })).hits;
    for (const f of deleted) assert.deepEqual(await scoped(f), [], `${f} left the index`);
    for (const f of [file(0), file(199)]) {
      const hits = await scoped(f);
      assert.ok(hits.some((h) => h.text === 'Loire'), `${f}: ${JSON.stringify(hits.map((h) => h.text))}`);
      assert.ok(!hits.some((h) => rivers.includes(h.text)), `${f}: old mentions gone`);
    }
    const twice = await scoped(file(57));
    assert.ok(twice.some((h) => h.text === 'Tagus') && !twice.some((h) => h.text === 'Loire'), JSON.stringify(twice.map((h) => h.text)));
    assert.ok((await scoped(created)).some((h) => h.text === 'Volga'));
    assert.ok((await scoped(file(2))).some((h) => h.text === rivers[2]), 'untouched files indexed');
    const status = c.statuses.at(-1)!;
    assert.equal(status.indexedFiles, 200 - deleted.length + 1);
  });

  test('the store corrupted while running, and found corrupt at start: rebuilt, reported in ner/status', { timeout: 30_000 }, async () => {
    const ws = join(tmp, 'corrupt-ws');
    const storagePath = join(tmp, 'corrupt-storage');
    cpSync(fixture, ws, { recursive: true });
    const store = join(storagePath, 'ner-index');
    let c = client();
    await c.start([ws], { storagePath, cacheDir });
    await c.initialIndexing();
    const before = await search(c, 'river');
    // Something overwrites the manifest with garbage while the server runs; then a file changes.
    writeFileSync(join(store, 'store.json'), '\u0000garbage{');
    const created = join(ws, 'late.md');
    writeFileSync(created, 'The Volga flows into the Caspian Sea.\n');
    const status = await c.settle(() => c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(created), type: 1 }] }), 20_000);
    assert.equal(status.health, 'warning', JSON.stringify(status));
    assert.match(status.message, /store .*damaged/i);
    const hits = (await search(c, 'river')).hits;
    assert.ok(hits.some((h) => h.text === 'Volga'), 'the new file');
    for (const h of before.hits) assert.ok(hits.some((x) => x.uri === h.uri && x.text === h.text), `re-indexed ${h.text}`);
    await c.dispose();

    // Corrupt on disk while no server runs (a truncated HNSW snapshot): the next start rebuilds it.
    const snapshot = readdirSync(store).find((n) => n.endsWith('.hnsw'));
    assert.ok(snapshot, 'a snapshot exists after the checkpoint at quiescence');
    truncateSync(join(store, snapshot!), 100);
    c = client();
    await c.start([ws], { storagePath, cacheDir });
    await c.initialIndexing();
    const last = c.statuses.at(-1)!;
    assert.equal(last.health, 'warning', JSON.stringify(last));
    assert.match(last.message, /damaged/);
    assert.ok((await search(c, 'river')).hits.some((h) => h.text === 'Volga'));
  });

  test('malformed notifications, before the index opens and after: logged, nothing lost, the server keeps serving', { timeout: 30_000 }, async () => {
    const ws = join(tmp, 'garbage-notes-ws');
    cpSync(fixture, ws, { recursive: true });
    const c = client();
    const garbage: Array<[string, unknown]> = [
      ['workspace/didChangeWatchedFiles', { changes: 5 }],
      ['workspace/didChangeWatchedFiles', { changes: [{ uri: 5, type: 1 }, null, { uri: uri(join(ws, 'rivers.md')), type: 'changed' }] }],
      ['workspace/didChangeWatchedFiles', null],
      ['workspace/didChangeConfiguration', 7],
      ['textDocument/didOpen', { textDocument: 3 }],
      ['textDocument/didChange', { textDocument: { uri: 7 }, contentChanges: 'x' }],
      ['textDocument/didClose', {}],
    ];
    await c.start([ws], { storagePath: join(tmp, 'garbage-notes-storage'), cacheDir });
    // Right away, while the index is still loading: watched-file events queue for it, and a
    // document opened in the editor waits for it too.
    for (const [method, params] of garbage) if (method === 'workspace/didChangeWatchedFiles') await c.connection.sendNotification(method, params);
    const unsaved = join(ws, 'unsaved.md');
    await c.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(unsaved), languageId: 'markdown', version: 1, text: '# Note\n\nThe Vltava flows through Prague.\n' },
    });
    await c.initialIndexing();
    for (let tries = 0; !(await search(c, 'river')).hits.some((h) => h.text === 'Vltava'); tries++) {
      assert.ok(tries < 100, 'the open document is indexed from its unsaved text once the index opens');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const [method, params] of garbage) await c.connection.sendNotification(method, params);
    // A real change after the garbage is still applied.
    const created = join(ws, 'late.md');
    writeFileSync(created, 'The Volga flows into the Caspian Sea.\n');
    await c.settle(() => c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(created), type: 1 }] }), 20_000);
    const hits = (await search(c, 'river')).hits.map((h) => h.text);
    assert.ok(hits.includes('Volga') && hits.includes('Danube'), hits.join(', '));
    assert.equal(c.child.exitCode, null, 'still running');
    assert.notEqual(c.statuses.at(-1)!.health, 'error', JSON.stringify(c.statuses.at(-1)));
  });

  test('a store another process writes at start: ner/status names it, the server waits, then indexes', { timeout: 30_000 }, async () => {
    const ws = join(tmp, 'locked-ws');
    const storagePath = join(tmp, 'locked-storage');
    cpSync(fixture, ws, { recursive: true });
    const store = join(storagePath, 'ner-index');
    mkdirSync(store, { recursive: true });
    // A live process — this test's — holds the writer lock, as `ner-retriever index` in a terminal would.
    writeFileSync(join(store, 'lock'), ownLockRecord());
    const c = client();
    await c.start([ws], { storagePath, cacheDir });
    await c.waitUntil('a waiting status', () => c.statuses.some((s) => s.health === 'warning' && /Waiting for the index store/.test(s.message)), 20_000);
    assert.match(c.statuses.at(-1)!.message, new RegExp(`another process \\(pid ${process.pid}\\)`));
    assert.deepEqual((await search(c, 'river')).hits, [], 'nothing to search yet');
    await assert.rejects(c.request('ner/reindex'), (e: Error) => /Waiting for the index store/.test(e.message));
    // Still waiting a while later: the server did not give up, nor take the lock over.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.ok(!c.statuses.some((s) => s.health === 'error' || s.quiescent), JSON.stringify(c.statuses.at(-1)));
    assert.equal(readFileSync(join(store, 'lock'), 'utf8'), ownLockRecord());
    rmSync(join(store, 'lock'));
    await c.initialIndexing();
    const hits = (await search(c, 'river')).hits.map((h) => h.text);
    assert.ok(hits.includes('Danube') && hits.includes('Rhine'), hits.join(', '));
    assert.equal(c.statuses.at(-1)!.health, 'ok');
    assert.equal(parseLockRecord(readFileSync(join(store, 'lock'), 'utf8'))?.pid, c.child.pid, 'the server holds the lock now');
  });

  test('while another process writes a store that has an index, searches read it read-only (partial), then the server takes over', { timeout: 60_000 }, async () => {
    const ws = join(tmp, 'second-window-ws');
    const storagePath = join(tmp, 'second-window-storage');
    cpSync(fixture, ws, { recursive: true });
    const first = client();
    await first.start([ws], { storagePath, cacheDir });
    await first.initialIndexing();
    await first.request('shutdown');
    await first.connection.sendNotification('exit');
    await first.exited;
    const store = join(storagePath, 'ner-index');
    // The first window again, as a live process holding the lock (this test's).
    writeFileSync(join(store, 'lock'), ownLockRecord());
    const c = client();
    await c.start([ws], { storagePath, cacheDir });
    await c.waitUntil('a waiting status', () => c.statuses.some((s) => s.health === 'warning' && /Waiting for the index store/.test(s.message)), 20_000);
    const waiting = await search(c, 'river');
    assert.equal(waiting.partial, true);
    assert.ok(waiting.hits.some((h) => h.text === 'Danube' && h.preview.includes('Danube')), JSON.stringify(waiting.hits.map((h) => h.text)));
    const names = await search(c, 'river', { names: true });
    assert.ok(names.names?.some((n) => n.text === 'Danube'), 'names too');
    assert.equal(readFileSync(join(store, 'lock'), 'utf8'), ownLockRecord(), 'read-only: the lock is untouched');
    rmSync(join(store, 'lock'));
    await c.initialIndexing();
    const after = await search(c, 'river');
    assert.equal(after.partial, false);
    assert.ok(after.hits.some((h) => h.text === 'Danube'));
  });

  test('a lock left by a crash whose pid now belongs to another live process is taken over at once', { skip: process.platform === 'linux' ? false : 'process start times are read from /proc (Linux only)', timeout: 30_000 }, async () => {
    const ws = join(tmp, 'reused-pid-ws');
    const storagePath = join(tmp, 'reused-pid-storage');
    cpSync(fixture, ws, { recursive: true });
    const store = join(storagePath, 'ner-index');
    mkdirSync(store, { recursive: true });
    // This test's pid, with the start of an earlier process that had it (after a reboot, say).
    const life = processLife(process.pid)!;
    writeFileSync(join(store, 'lock'), `${process.pid} start=${Number(life.start) - 1} boot=${life.boot} pidns=${life.pidNamespace} host=${life.host}`);
    const c = client();
    await c.start([ws], { storagePath, cacheDir });
    await c.initialIndexing();
    assert.ok(!c.statuses.some((s) => /Waiting for the index store/.test(s.message)), JSON.stringify(c.statuses));
    assert.ok((await search(c, 'river')).hits.some((h) => h.text === 'Danube'));
    assert.equal(parseLockRecord(readFileSync(join(store, 'lock'), 'utf8'))?.pid, c.child.pid);
  });

  test('a start that fails (an encoder that is not there): an error status, and the next settings change starts over', { timeout: 30_000 }, async () => {
    const ws = join(tmp, 'bad-encoder-ws');
    cpSync(fixture, ws, { recursive: true });
    const c = client();
    c.settings = { encoder: join(tmp, 'no-such-model'), layer: 2 };
    await c.start([ws], { storagePath: join(tmp, 'bad-encoder-storage'), cacheDir }, {
      window: { workDoneProgress: true }, workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, configuration: true },
    });
    await c.waitUntil('an error status', () => c.statuses.some((s) => s.health === 'error'), 20_000);
    assert.match(c.statuses.at(-1)!.message, /failed to start.*no-such-model/);
    await assert.rejects(c.request('ner/reindex'), (e: Error) => /no-such-model/.test(e.message));
    // The user fixes the setting: no restart needed.
    c.settings = null;
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await c.waitUntil('the index, idle', () => c.statuses.at(-1)!.quiescent && c.statuses.at(-1)!.health === 'ok', 20_000);
    const hits = (await search(c, 'river')).hits.map((h) => h.text);
    assert.ok(hits.includes('Danube'), hits.join(', '));
    // And it follows the workspace as a first start would: a file created now is indexed.
    const created = join(ws, 'late.md');
    writeFileSync(created, 'The Volga flows into the Caspian Sea.\n');
    await c.settle(() => c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(created), type: 1 }] }), 20_000);
    assert.ok((await search(c, 'river')).hits.some((h) => h.text === 'Volga'));
    // A change to an encoder that does not load: the index before stays in use, and the error stays
    // reported through later indexing until the setting changes — back to the encoder in use, here.
    const from = c.statuses.length;
    c.settings = { encoder: join(tmp, 'no-such-model'), layer: 2 };
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await c.waitUntil('an error status', () => c.statuses.slice(from).some((s) => s.health === 'error'), 20_000);
    assert.match(c.statuses.at(-1)!.message, /Could not load encoder .*no-such-model.*stays in use/);
    writeFileSync(created, 'The Volga and the Don flow south.\n');
    await c.settle(() => c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(created), type: 2 }] }), 20_000);
    assert.ok((await search(c, 'river')).hits.some((h) => h.text === 'Don'), 'the index before still indexes');
    assert.equal(c.statuses.at(-1)!.health, 'error', JSON.stringify(c.statuses.at(-1)));
    const reverted = c.statuses.length;
    c.settings = null;
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await c.waitUntil('an ok status', () => c.statuses.length > reverted && c.statuses.at(-1)!.health === 'ok', 20_000);
    assert.ok(c.statuses.at(-1)!.quiescent);
  });

  test('ner/pause before the index opens (models loading): it opens paused, and indexes on ner/resume', { timeout: 30_000 }, async () => {
    const ws = join(tmp, 'paused-early-ws');
    cpSync(fixture, ws, { recursive: true });
    const c = client();
    await c.start([ws], { storagePath: join(tmp, 'paused-early-storage'), cacheDir });
    await c.request('ner/pause');
    assert.ok(c.statuses.every((s) => s.message === 'Loading models…'), `paused before the index opened: ${JSON.stringify(c.statuses)}`);
    await c.waitUntil('a status from the opened index', () => c.statuses.some((s) => s.quiescent || s.message === 'Indexing paused'), 20_000);
    const opened = c.statuses.find((s) => s.quiescent || s.message === 'Indexing paused')!;
    assert.deepEqual({ quiescent: opened.quiescent, paused: opened.paused }, { quiescent: false, paused: true }, JSON.stringify(opened));
    const held = await search(c, 'river');
    assert.deepEqual({ hits: held.hits, partial: held.partial }, { hits: [], partial: true }, 'nothing indexed while paused');
    await c.settle(() => c.request('ner/resume'), 20_000);
    assert.ok((await search(c, 'river')).hits.some((h) => h.text === 'Danube'));
  });

  test('workspace folders added and removed: the index follows; malformed folder events are logged and dropped', { timeout: 30_000 }, async () => {
    const a = join(tmp, 'folder-a');
    const b = join(tmp, 'folder-b');
    mkdirSync(a, { recursive: true });
    mkdirSync(b, { recursive: true });
    writeFileSync(join(a, 'a.md'), 'The Danube flows through Vienna.\n');
    writeFileSync(join(b, 'b.md'), 'The Mekong flows through Laos.\n');
    const c = client();
    await c.start([a], { storagePath: join(tmp, 'folders-storage'), cacheDir }, {
      window: { workDoneProgress: true },
      workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
    });
    await c.initialIndexing();
    const texts = async () => (await search(c, 'river')).hits.map((h) => h.text);
    assert.ok((await texts()).includes('Danube'));
    assert.ok(!(await texts()).includes('Mekong'));
    // Malformed events are logged and dropped; bad entries are skipped, the good ones applied.
    for (const garbage of [null, {}, { event: null }, { event: { added: null, removed: [] } }, { event: { added: [{ uri: 'not a uri' }, 5], removed: [{ uri: 7 }] } }]) {
      await c.connection.sendNotification('workspace/didChangeWorkspaceFolders', garbage);
    }
    await c.settle(() => c.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: uri(b), name: 'b' }, { name: 'no uri' }], removed: [{ uri: uri(a), name: 'a' }, { uri: 'https://example.com/a', name: 'web' }] },
    }), 20_000);
    const after = await texts();
    assert.ok(after.includes('Mekong'), JSON.stringify(after));
    assert.ok(!after.includes('Danube'), JSON.stringify(after));
    const malformed = c.logs.filter((l) => l.startsWith('Malformed workspace/didChangeWorkspaceFolders ignored'));
    assert.equal(malformed.length, 6, c.logs.join('\n'));
    assert.equal(malformed.filter((l) => l.includes('ignored in part')).length, 1, malformed.join('\n'));
    assert.ok(c.logs.includes('Workspace folders changed: now 1 (1 added, 1 removed)'), c.logs.join('\n'));
    assert.ok(!c.logs.some((l) => /TypeError|failed with message/.test(l)), c.logs.join('\n'));
  });

  test('file URIs spelled otherwise (a doubled slash, a trailing slash) name the same file and folder', { timeout: 30_000 }, async () => {
    const ws = join(tmp, 'spelling-ws');
    cpSync(fixture, ws, { recursive: true });
    const c = client();
    await c.connection.sendRequest('initialize', {
      processId: process.pid, rootUri: null, workspaceFolders: [{ uri: `${uri(ws)}/`, name: 'ws' }],
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true } },
      initializationOptions: { storagePath: join(tmp, 'spelling-storage'), cacheDir },
    });
    await c.connection.sendNotification('initialized', {});
    await c.initialIndexing();
    const files = c.statuses.at(-1)!.totalFiles;
    const file = join(ws, 'rivers.md');
    const danubes = async () => (await search(c, 'river')).hits.filter((h) => h.text === 'Danube');
    const before = await danubes();
    assert.ok(before.length > 0 && before.every((h) => h.uri === uri(file)), JSON.stringify(before));

    // Opened as `ws//rivers.md`: the buffer is that file's, not a second document's.
    const odd = `${uri(ws)}//rivers.md`;
    await c.settle(() => c.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: odd, languageId: 'markdown', version: 1, text: `${readFileSync(file, 'utf8')}\nThe Zambezi falls at Victoria Falls.\n` },
    }), 20_000);
    assert.deepEqual(await danubes(), before);
    const zambezi = (await search(c, 'river')).hits.filter((h) => h.text === 'Zambezi');
    assert.deepEqual(zambezi.map((h) => h.uri), [uri(file)], 'hits name the file by its canonical URI');
    assert.equal(c.statuses.at(-1)!.totalFiles, files);
    await c.settle(() => c.connection.sendNotification('textDocument/didClose', { textDocument: { uri: odd } }), 20_000);
    assert.deepEqual(await danubes(), before);
    assert.ok(!(await search(c, 'river')).hits.some((h) => h.text === 'Zambezi'), 'closed: the saved text again');

    // The folder, given as `ws/`, is removed as `ws`.
    await c.settle(() => c.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [], removed: [{ uri: uri(ws), name: 'ws' }] },
    }), 20_000);
    assert.deepEqual((await search(c, 'river')).hits, []);
    assert.equal(c.statuses.at(-1)!.totalFiles, 0);
  });

  test('a document open before its folder is added, or before `include` covers it, is indexed from its buffer', { timeout: 30_000 }, async () => {
    const ws = join(tmp, 'covered-later-ws');
    const ext = join(tmp, 'covered-later-ext');
    const river = (r: string) => `The ${r} flows past many towns and villages.\n`;
    mkdirSync(ws, { recursive: true });
    mkdirSync(ext, { recursive: true });
    writeFileSync(join(ws, 'a.md'), river('Danube'));
    writeFileSync(join(ws, 'notes.txt'), river('Volga'));
    writeFileSync(join(ext, 'e.md'), river('Thames'));
    const c = client();
    c.settings = { include: ['**/*.md'] };
    await c.start([ws], { storagePath: join(tmp, 'covered-later-storage'), cacheDir }, {
      window: { workDoneProgress: true },
      workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, configuration: true, workspaceFolders: true },
    });
    await c.initialIndexing();
    const open = async (file: string, text: string) => {
      await c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'markdown', version: 1, text } });
      // Past the buffer's 150 ms debounce, which finds the document not covered yet (no message says when).
      await new Promise((resolve) => setTimeout(resolve, 500));
    };
    // The mentions of `file` that ner/search and the inlay hints show: both from the buffer.
    const shown = async (file: string) => {
      const hits = (await search(c, 'river')).hits.filter((h) => h.uri === uri(file)).map((h) => h.text);
      const hints = await c.request<Array<{ position: { line: number; character: number } }>>('textDocument/inlayHint', {
        textDocument: { uri: uri(file) }, range: { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } },
      });
      return { hits, hintsAt: hints.map((h) => h.position.character) };
    };

    await open(join(ext, 'e.md'), river('Seine'));
    await c.settle(() => c.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: uri(ext), name: 'ext' }], removed: [] },
    }), 20_000);
    assert.deepEqual(await shown(join(ext, 'e.md')), { hits: ['Seine'], hintsAt: ['The Seine'.length] });

    await open(join(ws, 'notes.txt'), river('Elbe'));
    c.settings = {};
    await c.settle(() => c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null }), 20_000);
    assert.deepEqual(await shown(join(ws, 'notes.txt')), { hits: ['Elbe'], hintsAt: ['The Elbe'.length] });
  });

  test('ner/status counts follow file events, open documents and folder events as a fresh pass counts them', { timeout: 30_000 }, async () => {
    const ws = join(tmp, 'counts-ws');
    const river = (r: string) => `The ${r} flows past many towns and villages.\n`;
    mkdirSync(ws, { recursive: true });
    writeFileSync(join(ws, 'a.md'), river('Danube'));
    const c = client();
    await c.start([ws], { storagePath: join(tmp, 'counts-storage'), cacheDir });
    await c.initialIndexing();
    const counts = (s = c.statuses.at(-1)!) => `${s.indexedFiles}/${s.totalFiles}`;
    assert.equal(counts(), '1/1');
    const events = (changes: Array<[string, number]>) => c.settle(() => c.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: changes.map(([f, type]) => ({ uri: uri(join(ws, f)), type })),
    }), 20_000);
    const fresh = async () => counts(await c.settle(() => c.request('ner/reindex'), 20_000));

    const names = ['n0.md', 'n1.md', 'n2.md', 'n3.md'];
    names.forEach((f, i) => writeFileSync(join(ws, f), river(['Rhine', 'Volga', 'Seine', 'Elbe'][i])));
    assert.equal(counts(await events(names.map((f) => [f, 1]))), '5/5', 'created');
    rmSync(join(ws, 'n0.md'));
    rmSync(join(ws, 'n1.md'));
    assert.equal(counts(await events([['n0.md', 3], ['n1.md', 3]])), '3/3', 'deleted');
    mkdirSync(join(ws, 'sub'));
    writeFileSync(join(ws, 'sub', 'x.md'), river('Oder'));
    writeFileSync(join(ws, 'sub', 'y.md'), river('Thames'));
    assert.equal(counts(await events([['sub', 1]])), '5/5', 'a folder created');
    const draft = uri(join(ws, 'draft.md')); // never on disk
    assert.equal(counts(await c.settle(() => c.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: draft, languageId: 'markdown', version: 1, text: river('Vistula') },
    }), 20_000)), '6/6', 'an unsaved new document');
    assert.equal(await fresh(), '6/6', 'the same after a full pass');
    rmSync(join(ws, 'sub'), { recursive: true });
    assert.equal(counts(await events([['sub', 3]])), '4/4', 'a folder deleted');
    assert.equal(counts(await c.settle(() => c.connection.sendNotification('textDocument/didClose', { textDocument: { uri: draft } }), 20_000)), '3/3', 'closed');
    assert.equal(await fresh(), '3/3');
  });

  test('maxFileSize applies to open buffers as to files: a larger buffer is skipped with the same warning', { timeout: 30_000 }, async () => {
    const ws = join(tmp, 'big-buffer-ws');
    const big = 'The Volga flows past many towns and villages.\n\n' + 'Some words here. '.repeat(200) + '\n';
    mkdirSync(ws, { recursive: true });
    writeFileSync(join(ws, 'a.md'), 'The Danube flows past many towns and villages.\n');
    const c = client();
    c.settings = { maxFileSize: 1000 };
    await c.start([ws], { storagePath: join(tmp, 'big-buffer-storage'), cacheDir }, {
      window: { workDoneProgress: true }, workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, configuration: true },
    });
    await c.initialIndexing();
    const draft = join(ws, 'big.md'); // an unsaved buffer over the limit
    await c.settle(() => c.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(draft), languageId: 'markdown', version: 1, text: big },
    }), 20_000);
    const inDraft = async () => (await search(c, 'river')).hits.filter((h) => h.uri === uri(draft)).map((h) => h.text);
    assert.deepEqual(await inDraft(), []);
    assert.ok(c.logs.some((m) => m === `Skipping ${draft}: larger than the size limit`), c.logs.slice(-5).join('\n'));
    assert.equal(c.statuses.at(-1)!.indexedFiles, 1);
    // Requests about it answer (nothing), without waiting for a buffer that is not to be indexed.
    assert.deepEqual(await c.request('textDocument/inlayHint', { textDocument: { uri: uri(draft) }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } }), []);
    // Cut under the limit: indexed.
    await c.settle(() => c.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(draft), version: 2 }, contentChanges: [{ text: big.slice(0, 200) }],
    }), 20_000);
    assert.deepEqual(await inDraft(), ['Volga']);
  });

  test('a folder created or renamed, reported as one event: its files are indexed as a pass would (a rename keeps the mentions)', { timeout: 30_000 }, async () => {
    const ws = join(tmp, 'folder-events-ws');
    const river = (r: string) => `The ${r} flows past many towns and villages.\n`;
    mkdirSync(join(ws, 'docs', 'deep'), { recursive: true });
    writeFileSync(join(ws, 'a.md'), river('Danube'));
    writeFileSync(join(ws, 'docs', 'b.md'), river('Rhine'));
    writeFileSync(join(ws, 'docs', 'deep', 'c.md'), river('Volga'));
    const c = client();
    c.settings = { maxFileSize: 2000 };
    // verbose: renames are logged.
    await c.start([ws], { storagePath: join(tmp, 'folder-events-storage'), cacheDir, verbose: true }, {
      window: { workDoneProgress: true }, workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, configuration: true },
    });
    await c.initialIndexing();
    const where = async () => (await search(c, 'river')).hits.map((h) => `${h.uri.slice(uri(ws).length + 1)}:${h.text}`).sort();

    // `git mv docs notes`, as VS Code reports it: the old folder deleted, the new one created.
    renameSync(join(ws, 'docs'), join(ws, 'notes'));
    await c.settle(() => c.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri(join(ws, 'docs')), type: 3 }, { uri: uri(join(ws, 'notes')), type: 1 }],
    }), 20_000);
    assert.deepEqual(await where(), ['a.md:Danube', 'notes/b.md:Rhine', 'notes/deep/c.md:Volga']);
    assert.ok(c.logs.some((m) => m.startsWith(`Renamed ${join(ws, 'docs', 'b.md')} → ${join(ws, 'notes', 'b.md')}`)), 'moved, not re-embedded');

    // A new folder with one event: the include globs, exclusions, .gitignore and size limit apply.
    const fresh = join(ws, 'fresh');
    mkdirSync(join(fresh, 'x'), { recursive: true });
    mkdirSync(join(fresh, 'node_modules'), { recursive: true });
    writeFileSync(join(fresh, 'n.md'), river('Seine'));
    writeFileSync(join(fresh, 'x', 'm.md'), river('Vistula'));
    writeFileSync(join(fresh, 'x', 'm.json'), river('Thames'));
    writeFileSync(join(fresh, '.gitignore'), 'ignored.md\n');
    writeFileSync(join(fresh, 'ignored.md'), river('Elbe'));
    writeFileSync(join(fresh, 'node_modules', 'p.md'), river('Oder'));
    writeFileSync(join(fresh, 'big.md'), river('Thames') + 'Some words here. '.repeat(200));
    await c.settle(() => c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(fresh), type: 1 }] }), 20_000);
    assert.deepEqual(await where(), ['a.md:Danube', 'fresh/n.md:Seine', 'fresh/x/m.md:Vistula', 'notes/b.md:Rhine', 'notes/deep/c.md:Volga']);
    assert.ok(c.logs.some((m) => m.startsWith(`Skipping ${join(fresh, 'big.md')}: larger than`)), c.logs.slice(-10).join('\n'));
  });

  test('unreadable files and symlink loops: skipped with a warning, everything else indexed', { timeout: 30_000, skip: process.platform === 'win32' }, async () => {
    const ws = join(tmp, 'odd-ws');
    mkdirSync(join(ws, 'loop'), { recursive: true });
    writeFileSync(join(ws, 'ok.md'), 'The Danube flows through Vienna.\n');
    writeFileSync(join(ws, 'secret.md'), 'The Rhine flows past Basel.\n');
    chmodSync(join(ws, 'secret.md'), 0o000);
    symlinkSync(ws, join(ws, 'loop', 'back'));
    symlinkSync(join(ws, 'loop', 'back'), join(ws, 'self'));
    const c = client();
    await c.start([ws], { storagePath: join(tmp, 'odd-storage'), cacheDir });
    await c.initialIndexing();
    const hits = (await search(c, 'river')).hits;
    assert.ok(hits.some((h) => h.text === 'Danube'));
    const status = c.statuses.at(-1)!;
    // Root can read a mode-000 file; then only the loop is worth a check.
    if (process.getuid?.() !== 0) {
      assert.equal(status.health, 'warning', JSON.stringify(status));
      assert.ok(!hits.some((h) => h.text === 'Rhine'));
    }
    assert.equal(hits.filter((h) => h.text === 'Danube').length, 1, 'the loop does not index a file twice');
    assert.equal(c.child.exitCode, null);
  });

  test('a folder of 100k files: listed and reported, searches answered during the pass, clean shutdown mid-pass', { timeout: 300_000 }, async () => {
    const ws = join(tmp, 'huge-ws');
    for (let d = 0; d < 100; d++) {
      mkdirSync(join(ws, `d${d}`), { recursive: true });
      for (let i = 0; i < 1000; i++) writeFileSync(join(ws, `d${d}`, `n${i}.md`), `Note ${d}-${i}: a ferry crossed the Danube near Vienna.\n`);
    }
    const c = client();
    await c.start([ws], { storagePath: join(tmp, 'huge-storage'), cacheDir });
    await c.waitUntil('the pass to list all 100k files and index some', () => c.statuses.some((s) => s.totalFiles === 100_000 && s.mentions > 0), 240_000);
    // While the pass runs, searches are answered from what is indexed and say they are partial.
    for (let i = 0; i < 5; i++) {
      const res = await search(c, 'river', { limit: 5 });
      assert.equal(res.partial, true);
      assert.ok(res.hits.length > 0 && res.hits.every((h) => h.text === 'Danube' || h.text === 'Vienna'), JSON.stringify(res.hits.map((h) => h.text)));
    }
    const last = c.statuses.at(-1)!;
    assert.equal(last.quiescent, false);
    assert.ok(last.indexedFiles < 100_000);
    // Shutdown mid-pass: answered, and the process exits.
    const pid = c.child.pid!;
    await c.request('shutdown');
    await c.connection.sendNotification('exit');
    assert.ok(await exitedWithin(c, 15_000), 'server exited');
    assert.equal(alive(pid), false);
  });
});
