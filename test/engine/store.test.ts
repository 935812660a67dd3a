import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MentionStore, StoreError, storeLockHolder } from '../../server/src/engine/index/store.ts';
import type { StoredDocument } from '../../server/src/engine/index/store.ts';
import { nullLogger } from '../../server/src/engine/types.ts';
import { ownLockRecord, parseLockRecord, processLife } from '../../server/src/engine/processLock.ts';
import { DIM, IDENTITY, docPath, groupedVector, makeDoc, mentionIds, mentionIndex, mentionStart, mentionText, mentionVector, unit } from './storeFixtures.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const tmp = () => scratchDir('store-test-');

function putV1(store: MentionStore, i: number): StoredDocument {
  const vectors = new Map<number, Float32Array>();
  const doc = makeDoc(i, 1, (j) => { const l = store.allocateLabel(); vectors.set(l, mentionVector(i, j)); return l; });
  store.putDocument(doc, vectors);
  return doc;
}

function close(a: Float32Array, b: Float32Array): boolean {
  for (let d = 0; d < a.length; d++) if (Math.abs(a[d] - b[d]) > 1e-5) return false;
  return true;
}

/** Checks a stored document is a consistent version of document i (per its contentHash). */
function checkDoc(store: MentionStore, i: number): void {
  const doc = store.getDocument(docPath(i));
  assert.ok(doc, `document ${i} present`);
  const version = doc.contentHash === 'v1' ? 1 : 2;
  const mentions = doc.paragraphs[0].mentions;
  assert.deepEqual(mentions.map((m) => m.text), mentionIds(i, version).map((j) => mentionText(i, j)), `doc ${i} mentions`);
  for (const m of mentions) {
    const j = Number(m.text.split('/')[1]);
    assert.equal(m.start, mentionStart(j, version));
    assert.equal(m.range.end.character, m.end);
    const got = store.mention(m.label);
    assert.ok(got && got.document === doc && got.mention.text === m.text, `mention ${m.label} of doc ${i}`);
    const v = store.vector(m.label);
    assert.ok(v && close(v, unit(mentionVector(i, j))), `vector of doc ${i} mention ${j}`);
  }
}

test('put / get / search / reuse labels / remove / rename / reopen', async () => {
  const dir = tmp();
  try {
    let store = await MentionStore.open(dir, IDENTITY);
    for (let i = 0; i < 20; i++) putV1(store, i);
    assert.equal(store.documentCount, 20);
    const d3 = store.getDocument(docPath(3))!;
    assert.equal(store.mentionCount, [...store.documents()].reduce((n, d) => n + d.paragraphs[0].mentions.length, 0));
    const hit = store.search(mentionVector(3, 1), 3);
    assert.equal(hit[0].label, d3.paragraphs[0].mentions[1].label);
    assert.ok(hit[0].score > 0.9999);

    // v2 of doc 3: keeps labels of mentions 1..n-1, drops mention 0, adds a new one
    const byText = new Map(d3.paragraphs[0].mentions.map((m) => [m.text, m.label]));
    const dropped = byText.get(mentionText(3, 0))!;
    const vectors = new Map<number, Float32Array>();
    const v2 = makeDoc(3, 2, (j) => byText.get(mentionText(3, j)) ?? (() => { const l = store.allocateLabel(); vectors.set(l, mentionVector(3, j)); return l; })());
    const before = store.mentionCount;
    store.putDocument(v2, vectors);
    assert.equal(store.mentionCount, before); // one dropped, one added
    assert.equal(store.mention(dropped), undefined);
    assert.ok(!store.search(mentionVector(3, 0), 5).some((r) => r.label === dropped));
    checkDoc(store, 3);
    // inconsistent labels are rejected before anything is written
    assert.throws(() => store.putDocument(makeDoc(4, 1, () => 999999), new Map()), /no vector/);
    assert.throws(() => store.putDocument(makeDoc(5, 1, (j) => byText.get(mentionText(3, j + 1))!), new Map()), /belongs to/);

    store.removeDocument(docPath(7));
    store.removeDocument('nope');
    assert.equal(store.getDocument(docPath(7)), undefined);
    store.renameDocument(docPath(8), 'notes/renamed.md');
    assert.equal(store.getDocument(docPath(8)), undefined);
    const renamed = store.getDocument('notes/renamed.md')!;
    assert.equal(renamed.path, 'notes/renamed.md');
    assert.equal(store.mention(renamed.paragraphs[0].mentions[0].label)!.document.path, 'notes/renamed.md');
    const count = store.mentionCount;
    await store.checkpoint();
    store.removeDocument(docPath(9)); // journaled after the checkpoint
    await store.close();
    assert.throws(() => store.putDocument(makeDoc(1, 1, () => 0), new Map()), /closed/);

    store = await MentionStore.open(dir, IDENTITY);
    assert.equal(store.documentCount, 18);
    assert.equal(store.mentionCount, count - (2 + (9 % 4)));
    checkDoc(store, 3);
    for (const i of [0, 1, 2, 10, 19]) checkDoc(store, i);
    assert.ok(store.getDocument('notes/renamed.md'));
    const l = store.allocateLabel();
    assert.ok(l > Math.max(...[...store.documents()].flatMap((d) => d.paragraphs[0].mentions.map((m) => m.label))));
    // only the current generation's files remain
    await store.close();
    assert.deepEqual(readdirSync(dir).sort(), ['index-2.hnsw', 'journal-2.ndjson', 'meta-2.ndjson', 'store.json']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('reopen without close replays the journal; compaction on checkpoint', async () => {
  const dir = tmp();
  try {
    let store = await MentionStore.open(dir, IDENTITY);
    for (let i = 0; i < 30; i++) putV1(store, i);
    await store.checkpoint();
    for (let i = 0; i < 20; i++) store.removeDocument(docPath(i));
    for (let i = 30; i < 35; i++) putV1(store, i);
    // simulate a crash: copy the folder as it is now (journal written, no checkpoint, lock held)
    const crashed = tmp();
    for (const n of readdirSync(dir)) writeFileSync(join(crashed, n), readFileSync(join(dir, n)));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    renameSync(crashed, dir);
    store = await MentionStore.open(dir, IDENTITY);
    assert.equal(store.documentCount, 15);
    for (let i = 20; i < 35; i++) checkDoc(store, i);
    await store.checkpoint(); // > 30% deleted → compacted
    await store.close();
    store = await MentionStore.open(dir, IDENTITY);
    for (let i = 20; i < 35; i++) checkDoc(store, i);
    assert.equal(store.search(mentionVector(25, 1), 1)[0].label, store.getDocument(docPath(25))!.paragraphs[0].mentions[1].label);
    await store.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

function runChild(dir: string, first: number, count: number, every: number, kill: { afterMs?: number; onLine?: string }, mode = ''): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'storeKillChild.ts'), dir, String(first), String(count), String(every), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buf = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        if (line === 'open' && kill.afterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
        if (kill.onLine && line === kill.onLine) child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve(lines);
    });
  });
}

/** Runs a writer until it is killed; records each document's last completed state ('1', '2', 'rm'). */
async function runKilledChild(dir: string, run: { first: number; every: number; kill: { afterMs?: number; onLine?: string } }, state: Map<number, string>, mode = ''): Promise<void> {
  const lines = await runChild(dir, run.first, 2000, run.every, run.kill, mode);
  assert.ok(!lines.includes('finished'), 'child was killed before finishing');
  if (process.env.STORE_TEST_VERBOSE) console.log(`run ${run.first}: ${lines.length} lines, last: ${lines[lines.length - 1]}`);
  for (const line of lines) {
    const [op, n, v] = line.split(' ');
    if (op === 'put') state.set(Number(n), v);
    if (op === 'rm') state.set(Number(n), 'rm');
  }
}

test('kill -9 at any moment leaves a store that opens with every completed document', { timeout: 180_000 }, async () => {
  const dir = tmp();
  try {
    const state = new Map<number, string>(); // doc → last reported state ('1', '2', 'rm')
    let seed = 12345;
    const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
    const runs: Array<{ first: number; every: number; kill: { afterMs?: number; onLine?: string } }> = [
      { first: 0, every: 4, kill: { afterMs: 20 + Math.floor(rand() * 200) } },
      { first: 1000, every: 3, kill: { onLine: 'ckpt' } },              // during a checkpoint
      { first: 2000, every: 5, kill: { afterMs: Math.floor(rand() * 50) } },
      { first: 3000, every: 2, kill: { afterMs: 50 + Math.floor(rand() * 300) } },
      { first: 4000, every: 7, kill: { afterMs: 100 + Math.floor(rand() * 400) } },
    ];
    for (const run of runs) {
      await runKilledChild(dir, run, state);
      const store = await MentionStore.open(dir, IDENTITY);
      try {
        for (const [i, s] of state) {
          const doc = store.getDocument(docPath(i));
          if (s === 'rm') { assert.equal(doc, undefined, `doc ${i} was removed`); continue; }
          if (!doc) {
            // only allowed when its removal (at iteration i+2) may have been in flight
            assert.ok((i + 2) % 5 === 4 && state.has(i + 2), `completed document ${i} missing after kill -9`);
            continue;
          }
          if (s === '2') assert.equal(doc.contentHash, 'v2', `doc ${i} version`);
          checkDoc(store, i);
        }
        for (const doc of store.documents()) checkDoc(store, Number(/doc-(\d+)/.exec(doc.path)![1]));
        assert.equal(store.mentionCount, [...store.documents()].reduce((n, d) => n + d.paragraphs[0].mentions.length, 0));
        const anyDoc = [...store.documents()][0];
        if (anyDoc) {
          const m = anyDoc.paragraphs[0].mentions[0];
          const i = Number(/doc-(\d+)/.exec(anyDoc.path)![1]);
          assert.equal(store.search(mentionVector(i, Number(m.text.split('/')[1])), 1)[0].label, m.label);
        }
      } finally { await store.close(); }
    }
    assert.ok(state.size > 5, `children completed ${state.size} documents`);
    // re-running indexing completes it
    const lines = await runChild(dir, 0, 40, 10, {});
    assert.equal(lines[lines.length - 1], 'finished');
    const store = await MentionStore.open(dir, IDENTITY);
    for (let i = 0; i < 40; i++) {
      if ((i + 2) % 5 === 4 && i + 2 < 40) assert.equal(store.getDocument(docPath(i)), undefined);
      else { checkDoc(store, i); assert.equal(store.getDocument(docPath(i))!.contentHash, i % 3 === 0 ? 'v2' : 'v1'); }
    }
    await store.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('corrupt store → StoreError corrupt; rebuild recovers', async () => {
  const dir = tmp();
  try {
    let store = await MentionStore.open(dir, IDENTITY);
    for (let i = 0; i < 10; i++) putV1(store, i);
    await store.close();
    // truncated snapshot
    const ix = join(dir, 'index-1.hnsw');
    writeFileSync(ix, readFileSync(ix).subarray(0, statSync(ix).size - 50));
    await assert.rejects(MentionStore.open(dir, IDENTITY), (e: unknown) => e instanceof StoreError && e.code === 'corrupt' && /index-1\.hnsw/.test(e.message) && /rebuild/.test(e.message));
    // garbage manifest
    writeFileSync(join(dir, 'store.json'), '{"format": "ner-retr');
    await assert.rejects(MentionStore.open(dir, IDENTITY), (e: unknown) => e instanceof StoreError && e.code === 'corrupt' && /store\.json/.test(e.message));
    store = await MentionStore.open(dir, IDENTITY, { rebuild: true });
    assert.equal(store.documentCount, 0);
    putV1(store, 1);
    await store.close();
    store = await MentionStore.open(dir, IDENTITY);
    checkDoc(store, 1);
    await store.close();
    // corrupt metadata (read while the graph is read on another thread): named, and the lock is let go
    const goodMeta = readFileSync(join(dir, 'meta-1.ndjson'));
    writeFileSync(join(dir, 'meta-1.ndjson'), '{"nextLabel":3,"documents":1,"mentions":3}\n[1,2\n');
    await assert.rejects(MentionStore.open(dir, IDENTITY), (e: unknown) => e instanceof StoreError && e.code === 'corrupt' && /meta-1\.ndjson/.test(e.message));
    await assert.rejects(MentionStore.open(dir, IDENTITY, { readOnly: true }), (e: unknown) => e instanceof StoreError && e.code === 'corrupt' && /meta-1\.ndjson/.test(e.message));
    // a metadata file of another length than its header says
    writeFileSync(join(dir, 'meta-1.ndjson'), goodMeta.toString('utf8').replace(/"mentions":\d+/, '"mentions":999'));
    await assert.rejects(MentionStore.open(dir, IDENTITY), (e: unknown) => e instanceof StoreError && e.code === 'corrupt' && /mention count mismatch/.test(e.message));
    // both broken: the graph is reported, as before the two were read side by side
    writeFileSync(join(dir, 'meta-1.ndjson'), 'not json\n');
    const graph = join(dir, 'index-1.hnsw');
    writeFileSync(graph, readFileSync(graph).subarray(0, 200));
    await assert.rejects(MentionStore.open(dir, IDENTITY), (e: unknown) => e instanceof StoreError && e.code === 'corrupt' && /index-1\.hnsw/.test(e.message));
    store = await MentionStore.open(dir, IDENTITY, { rebuild: true });
    assert.equal(store.documentCount, 0);
    putV1(store, 1);
    await store.close();
    // a folder under one of the store's file names: corrupt, named; rebuild removes it
    rmSync(join(dir, 'journal-1.ndjson'), { force: true });
    mkdirSync(join(dir, 'journal-1.ndjson'));
    await assert.rejects(MentionStore.open(dir, IDENTITY), (e: unknown) => e instanceof StoreError && e.code === 'corrupt' && /journal-1\.ndjson/.test(e.message) && /rebuild/.test(e.message));
    rmSync(join(dir, 'meta-1.ndjson'), { force: true });
    mkdirSync(join(dir, 'meta-1.ndjson'));
    store = await MentionStore.open(dir, IDENTITY, { rebuild: true });
    assert.equal(store.documentCount, 0);
    await store.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('an encoder of no dimensions is refused before the store folder is touched', async () => {
  const dir = join(tmp(), 'never-created');
  await assert.rejects(MentionStore.open(dir, { ...IDENTITY, dimension: 0 }), /0-dimensional vectors; a store needs at least one dimension/);
  assert.ok(!existsSync(dir));
});

test('foreign folder → foreign, and rebuild never deletes it; mismatch; locked', async () => {
  const dir = tmp();
  try {
    writeFileSync(join(dir, 'notes.md'), '# my notes');
    mkdirSync(join(dir, 'sub'));
    await assert.rejects(MentionStore.open(dir, IDENTITY), (e: unknown) => e instanceof StoreError && e.code === 'foreign');
    await assert.rejects(MentionStore.open(dir, IDENTITY, { rebuild: true }), (e: unknown) => e instanceof StoreError && e.code === 'foreign');
    assert.ok(existsSync(join(dir, 'notes.md')) && existsSync(join(dir, 'sub')));
    assert.deepEqual(readdirSync(dir).sort(), ['notes.md', 'sub']);
    writeFileSync(join(dir, 'store.json'), JSON.stringify({ format: 'something-else' }));
    await assert.rejects(MentionStore.open(dir, IDENTITY, { rebuild: true }), (e: unknown) => e instanceof StoreError && e.code === 'foreign');
    assert.ok(existsSync(join(dir, 'store.json')));
  } finally { rmSync(dir, { recursive: true, force: true }); }

  const d2 = tmp();
  try {
    const store = await MentionStore.open(d2, IDENTITY);
    putV1(store, 0);
    await assert.rejects(MentionStore.open(d2, IDENTITY), (e: unknown) => e instanceof StoreError && e.code === 'locked');
    await store.close();
    await assert.rejects(MentionStore.open(d2, { ...IDENTITY, encoderId: 'other' }), (e: unknown) => e instanceof StoreError && e.code === 'mismatch' && /other/.test(e.message));
    await assert.rejects(MentionStore.open(d2, { ...IDENTITY, dimension: DIM + 1 }), (e: unknown) => e instanceof StoreError && e.code === 'mismatch');
    // a lock held by a live process → locked; by a dead one → taken over
    // (storeLockHolder, which the language server waits on, names exactly the live other holder.)
    assert.equal(storeLockHolder(d2), undefined, 'no lock file');
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(d2, 'lock'), String(sleeper.pid));
      assert.equal(storeLockHolder(d2), sleeper.pid);
      await assert.rejects(MentionStore.open(d2, IDENTITY), (e: unknown) => e instanceof StoreError && e.code === 'locked');
      const life = processLife(sleeper.pid!);
      if (life) {
        // The writer named with its life still holds it; a lock whose pid was reused (another start) is stale.
        const record = (start: string) => `${sleeper.pid} start=${start} boot=${life.boot} pidns=${life.pidNamespace} host=${life.host}`;
        writeFileSync(join(d2, 'lock'), record(life.start));
        assert.equal(storeLockHolder(d2), sleeper.pid);
        writeFileSync(join(d2, 'lock'), record(String(Number(life.start) - 1)));
        assert.equal(storeLockHolder(d2), undefined, 'a reused pid holds nothing');
        const takenOver = await MentionStore.open(d2, IDENTITY);
        assert.equal(parseLockRecord(readFileSync(join(d2, 'lock'), 'utf8'))?.pid, process.pid);
        await takenOver.close();
      }
    } finally { sleeper.kill('SIGKILL'); }
    await new Promise((r) => sleeper.once('exit', r));
    assert.equal(storeLockHolder(d2), undefined, 'a dead holder holds nothing');
    writeFileSync(join(d2, 'lock'), 'garbage');
    assert.equal(storeLockHolder(d2), undefined, 'an unreadable lock holds nothing');
    const reopened = await MentionStore.open(d2, IDENTITY);
    assert.equal(storeLockHolder(d2), undefined, 'this process\'s own lock is no other holder');
    assert.equal(readFileSync(join(d2, 'lock'), 'utf8'), ownLockRecord());
    checkDoc(reopened, 0);
    await reopened.close();
    assert.ok(!existsSync(join(d2, 'lock')));
    // rebuild with a different identity wipes and starts over
    const rebuilt = await MentionStore.open(d2, { ...IDENTITY, encoderId: 'other' }, { rebuild: true });
    assert.equal(rebuilt.documentCount, 0);
    assert.equal(rebuilt.identity.encoderId, 'other');
    await rebuilt.close();
  } finally { rmSync(d2, { recursive: true, force: true }); }
});

test('checkpoint writes the HNSW file off the event loop: searches are answered meanwhile, changes are refused until it resolves', async () => {
  const dir = tmp();
  try {
    const store = await MentionStore.open(dir, IDENTITY);
    for (let i = 0; i < 4000; i++) putV1(store, i); // ≈ 14k vectors: a file that takes a moment to write
    const probe = mentionVector(7, 1);
    const before = store.search(probe, 5);
    let ticks = 0;
    const tick = () => { ticks++; if (pending) setImmediate(tick); };
    let pending = true;
    const checkpoint = store.checkpoint();
    setImmediate(tick);
    assert.deepEqual(store.search(probe, 5), before, 'search during the snapshot');
    assert.throws(() => putV1(store, 5000), /writing a snapshot/);
    assert.throws(() => store.removeDocument(docPath(1)), /writing a snapshot/);
    assert.throws(() => store.renameDocument(docPath(2), 'elsewhere.md'), /writing a snapshot/);
    await checkpoint;
    pending = false;
    assert.ok(ticks >= 1, 'the event loop turned while the snapshot was written');
    await store.settled();
    putV1(store, 5000); // allowed again
    await store.close();
    const reopened = await MentionStore.open(dir, IDENTITY);
    assert.equal(reopened.documentCount, 4001);
    assert.ok(!reopened.getDocument('elsewhere.md') && reopened.getDocument(docPath(1)), 'the refused changes left no trace');
    checkDoc(reopened, 7);
    checkDoc(reopened, 5000);
    assert.deepEqual(reopened.search(probe, 5).map((r) => r.label), before.map((r) => r.label));
    await reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Puts document i whose first `copies` mentions carry the vector `same` (a footer repeated in every note); returns their labels. */
function putWithCopies(store: MentionStore, same: Float32Array, i: number, copies: number): number[] {
  const vectors = new Map<number, Float32Array>();
  const doc = makeDoc(i, 1, (j) => { const l = store.allocateLabel(); vectors.set(l, j < copies ? Float32Array.from(same) : mentionVector(i, j)); return l; });
  store.putDocument(doc, vectors);
  return doc.paragraphs[0].mentions.slice(0, copies).map((m) => m.label);
}

test('vector hashes of a snapshot are read only when a writer needs them; a damaged hash record costs sharing, not the store', async () => {
  const dir = tmp();
  const same = mentionVector(100, 0);
  const put = (store: MentionStore, i: number, copies: number) => putWithCopies(store, same, i, copies);
  const hits = (store: MentionStore) => store.search(unit(same), 50).filter((h) => h.score > 0.9999).length;
  const warnings: string[] = [];
  const logger = { ...nullLogger, warn: (m: string) => warnings.push(m) };
  try {
    let store = await MentionStore.open(dir, IDENTITY);
    put(store, 1, 2);
    put(store, 2, 0);
    await store.close(); // snapshot with the hash of the shared node
    // A run that changes the store without inserting: its snapshot still carries the hashes.
    store = await MentionStore.open(dir, IDENTITY);
    store.removeDocument(docPath(2));
    await store.checkpoint();
    await store.close();
    store = await MentionStore.open(dir, IDENTITY);
    // New nodes minus new mentions: −1 when the one copy shares the existing node, 0 when it does not.
    const sharing = (run: () => void) => {
      const nodes = store.vectorNodes, mentions = store.mentionCount;
      run();
      return (store.vectorNodes - nodes) - (store.mentionCount - mentions);
    };
    assert.equal(sharing(() => put(store, 3, 1)), -1, 'the copy found its node through the twice-snapshotted hash');
    assert.equal(hits(store), 3);
    await store.close();

    // Damage the hash record: the store opens, the copy gets a node of its own, a warning says why.
    const meta = readdirSync(dir).find((f) => /^meta-\d+\.ndjson$/.test(f))!;
    const lines = readFileSync(join(dir, meta), 'utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith('{"hashes"'));
    assert.ok(at > 0, 'the snapshot has a hash record');
    lines[at] = '{"hashes":[1,2,3]}';
    writeFileSync(join(dir, meta), lines.join('\n'));
    store = await MentionStore.open(dir, IDENTITY, { logger });
    assert.deepEqual(warnings, [], 'nothing is parsed at open');
    assert.equal(hits(store), 3, 'searches do not need the hashes');
    assert.equal(sharing(() => put(store, 4, 1)), 0, 'without its hash, the copy is a node of its own');
    assert.match(warnings.join('\n'), /vector-hash record is damaged and was skipped/);
    assert.equal(hits(store), 4);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('identical vectors share one HNSW node: every copy is found, removed on its own, and survives snapshot and journal replay', async () => {
  const dir = tmp();
  const same = mentionVector(100, 0);
  const other = mentionVector(100, 1);
  const put = (store: MentionStore, i: number, copies: number) => putWithCopies(store, same, i, copies);
  const found = (store: MentionStore, v: Float32Array) => store.search(unit(v), 50).filter((h) => h.score > 0.9999).map((h) => h.label).sort((a, b) => a - b);
  try {
    let store = await MentionStore.open(dir, IDENTITY);
    const a = put(store, 1, 2); // 3 mentions: 2 copies + 1
    const b = put(store, 3, 3); // 5 mentions: 3 copies + 2
    const c = put(store, 5, 0);
    assert.equal(c.length, 0);
    assert.equal(store.mentionCount, 3 + 5 + 3);
    assert.equal(store.vectorNodes, 1 + 1 + 2 + 3, 'the five copies are one node');
    assert.deepEqual(found(store, same), [...a, ...b].sort((x, y) => x - y), 'every copy is a hit, at the same score');
    for (const l of [...a, ...b]) assert.ok(close(store.vector(l)!, unit(same)));
    assert.equal(store.search(same, 2).length, 2, 'k still bounds the hits');
    // A vector that differs (in one component) is not a copy.
    const near = Float32Array.from(same); near[0] += 0.3;
    const vectors = new Map([[store.allocateLabel(), near]]);
    store.putDocument({ ...makeDoc(7, 1, () => [...vectors.keys()][0]), paragraphs: [{ hash: 'p7', start: 0, end: 20, mentions: [makeDoc(7, 1, () => [...vectors.keys()][0]).paragraphs[0].mentions[0]] }] }, vectors);
    assert.equal(store.vectorNodes, 8);

    // Removing the document whose mention created the node keeps the node for the other copies.
    store.removeDocument(docPath(1));
    assert.deepEqual(found(store, same), b);
    assert.equal(store.vectorNodes, 8 - 1, "document 1's own vector left; the shared node stays");
    await store.checkpoint();
    // Journal after the snapshot: a new copy aliases the shared node.
    const d = put(store, 9, 1);
    assert.equal(store.vectorNodes, 7 + 2, 'document 9: one copy (shared node) and two vectors of its own');
    const expected = [...b, ...d].sort((x, y) => x - y);
    assert.deepEqual(found(store, same), expected);

    // Snapshot aliases + journal replay, read by another opener (no checkpoint in between).
    const reader = await MentionStore.open(dir, IDENTITY, { readOnly: true });
    assert.equal(reader.mentionCount, store.mentionCount);
    assert.deepEqual(found(reader, same), expected);
    for (const l of expected) assert.ok(close(reader.vector(l)!, unit(same)));
    await reader.close();

    await store.close();
    store = await MentionStore.open(dir, IDENTITY);
    assert.deepEqual(found(store, same), expected, 'after a snapshot with aliases');
    // A later run: the snapshot kept the vector hashes, so a new copy still finds the node.
    const before = store.vectorNodes;
    const e = put(store, 11, 1);
    assert.equal(store.vectorNodes, before + 4, 'document 11: one copy (shared node) and four vectors of its own');
    expected.push(...e);
    expected.sort((x, y) => x - y);
    assert.deepEqual(found(store, same), expected);
    store.removeDocument(docPath(11));
    const nodes = store.vectorNodes;
    store.removeDocument(docPath(3));
    store.removeDocument(docPath(9));
    assert.deepEqual(found(store, same), [], 'no copy left');
    assert.ok(store.vectorNodes < nodes);
    await store.close();
    store = await MentionStore.open(dir, IDENTITY);
    assert.deepEqual(found(store, same), []);
    assert.equal(store.mentionCount, 3 + 1);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mention(label) in a large document: found by label, and a new version or a rename of the document is seen at once', async () => {
  const dir = tmp();
  const store = await MentionStore.open(dir, IDENTITY);
  try {
    const big = (version: number, labelOf: (j: number) => number): StoredDocument => {
      const mentions = Array.from({ length: 60 }, (_, j) => {
        const text = `name ${version}/${j}`;
        const start = j * 20;
        return { label: labelOf(j), start, end: start + text.length, range: { start: { line: 0, character: start }, end: { line: 0, character: start + text.length } }, text };
      });
      return { path: 'notes/big.md', contentHash: `big-v${version}`, size: 5000, mtimeMs: 1700000000000, paragraphs: [{ hash: 'p1', start: 0, end: 600, mentions: mentions.slice(0, 30) }, { hash: 'p2', start: 600, end: 1200, mentions: mentions.slice(30) }] };
    };
    const vectors = new Map<number, Float32Array>();
    const v1 = big(1, (j) => { const l = store.allocateLabel(); vectors.set(l, mentionVector(100, j)); return l; });
    store.putDocument(v1, vectors);
    const labels = v1.paragraphs.flatMap((p) => p.mentions.map((m) => m.label));
    for (const [j, l] of labels.entries()) assert.equal(store.mention(l)?.mention.text, `name 1/${j}`);
    // Version 2 keeps the labels of the first 40 mentions (new texts) and drops the rest.
    const v2 = big(2, (j) => labels[j]);
    v2.paragraphs[1].mentions = v2.paragraphs[1].mentions.slice(0, 10);
    store.putDocument(v2, new Map());
    for (const [j, l] of labels.entries()) assert.equal(store.mention(l)?.mention.text, j < 40 ? `name 2/${j}` : undefined, `label ${l}`);
    store.renameDocument('notes/big.md', 'notes/moved.md');
    assert.equal(store.mention(labels[35])?.document.path, 'notes/moved.md');
    assert.equal(store.mention(labels[35])?.mention.text, 'name 2/35');
  } finally {
    await store.close();
  }
});

/** A document whose mentions have the given texts and vectors (one paragraph, in order). */
function putNamed(store: MentionStore, path: string, named: Array<[string, Float32Array]>): number[] {
  const vectors = new Map<number, Float32Array>();
  const mentions = named.map(([text, v], j) => {
    const label = store.allocateLabel();
    vectors.set(label, v);
    return { label, start: j * 30, end: j * 30 + text.length, range: { start: { line: j, character: 0 }, end: { line: j, character: text.length } }, text };
  });
  store.putDocument({ path, contentHash: `h-${path}-${named.length}`, size: 100, mtimeMs: 1, paragraphs: [{ hash: `p-${path}`, start: 0, end: 30 * named.length, mentions }] }, vectors);
  return mentions.map((m) => m.label);
}

/** `base` turned by a small random step: cosine with it ≈ 1 − step²/2. */
function nudged(base: Float32Array, seed: number, step: number): Float32Array {
  const noise = unit(mentionVector(5000 + seed, 7));
  const b = unit(base);
  return unit(b.map((x, d) => x + step * noise[d]));
}

test('the mentions of one name in a document share one HNSW node, yet each is scored by its own vector, across snapshot, journal and edits', async () => {
  const dir = tmp();
  const danube = mentionVector(200, 0);
  const named: Array<[string, Float32Array]> = [
    ['Danube', nudged(danube, 1, 0.05)],
    ['danube', nudged(danube, 2, 0.05)], // case-insensitive: the same name
    ['Danube', nudged(danube, 3, 0.05)],
    ['Danube', mentionVector(201, 0)], // the same name in a sentence unlike the others: a node of its own
    ['Rhine', mentionVector(202, 0)],
  ];
  const own = named.map(([, v]) => unit(v));
  const top = (store: MentionStore, v: Float32Array) => store.search(v, 1)[0];
  const checkExact = (store: MentionStore, labels: number[], which: number[]) => {
    for (const j of which) {
      assert.ok(close(store.vector(labels[j])!, own[j]), `mention ${j} keeps its own vector`);
      const hit = top(store, own[j]);
      assert.equal(hit.label, labels[j], `mention ${j} is the best hit for its own vector`);
      assert.ok(Math.abs(hit.score - 1) < 1e-5, `mention ${j} is scored by its own vector (${hit.score})`);
    }
  };
  try {
    let store = await MentionStore.open(dir, IDENTITY);
    const labels = putNamed(store, 'notes/rivers.md', named);
    assert.equal(store.mentionCount, 5);
    assert.equal(store.vectorNodes, 3, 'three close Danube mentions share a node; the far one and Rhine have their own');
    checkExact(store, labels, [0, 1, 2, 3, 4]);
    // Every member is found, each at its own score, not the node's.
    const hits = store.search(unit(danube), 10);
    assert.equal(hits.length, 5);
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score, 'sorted by score');
    const scoreOf = new Map(hits.map((h) => [h.label, h.score]));
    assert.notEqual(scoreOf.get(labels[0]), scoreOf.get(labels[1]));
    // The same groups in a copied document join the original's node.
    const copy = putNamed(store, 'notes/copy.md', named);
    assert.equal(store.vectorNodes, 3, 'a copy adds no node');
    for (const j of [0, 3, 4]) {
      const both = store.search(own[j], 2);
      assert.deepEqual(both.map((h) => h.label).sort((x, y) => x - y), [labels[j], copy[j]], `mention ${j} and its copy tie`);
      assert.ok(both.every((h) => Math.abs(h.score - 1) < 1e-5));
    }

    // Journal replay (no checkpoint), read by another opener.
    const reader = await MentionStore.open(dir, IDENTITY, { readOnly: true });
    assert.equal(reader.vectorNodes, 3);
    checkExact(reader, labels, [3, 4]);
    for (const j of [0, 1, 2]) assert.ok(close(reader.vector(labels[j])!, own[j]));
    await reader.close();

    // Snapshot: the members' own vectors are written beside the graph.
    store.removeDocument('notes/copy.md');
    await store.close();
    assert.ok(readdirSync(dir).some((f) => /^vectors-\d+\.bin$/.test(f)), 'a vectors file');
    store = await MentionStore.open(dir, IDENTITY);
    checkExact(store, labels, [0, 1, 2, 3, 4]);

    // An edit that drops the mention whose label names the node: the others keep their vectors.
    const doc = store.getDocument('notes/rivers.md')!;
    const kept = doc.paragraphs[0].mentions.filter((m) => m.label !== labels[0]);
    store.putDocument({ ...doc, contentHash: 'edited', paragraphs: [{ ...doc.paragraphs[0], mentions: kept }] }, new Map());
    assert.equal(store.vector(labels[0]), undefined);
    assert.equal(store.mentionCount, 4);
    checkExact(store, labels, [1, 2, 3, 4]);
    await store.close();
    store = await MentionStore.open(dir, IDENTITY);
    checkExact(store, labels, [1, 2, 3, 4]);
    store.removeDocument('notes/rivers.md');
    assert.equal(store.vectorNodes, 0);
    await store.close();
    store = await MentionStore.open(dir, IDENTITY);
    assert.equal(store.mentionCount, 0);
    assert.ok(!readdirSync(dir).some((f) => /^vectors-\d+\.bin$/.test(f)), 'no vectors file once no mention has a vector of its own');
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A closed store of one document whose two Danube mentions share a graph node and keep vectors of their own. */
async function storeOfOneNameGroup(): Promise<string> {
  const dir = tmp();
  const danube = mentionVector(300, 0);
  const store = await MentionStore.open(dir, IDENTITY);
  putNamed(store, 'a.md', [['Danube', nudged(danube, 1, 0.05)], ['Danube', nudged(danube, 2, 0.05)]]);
  await store.close();
  return dir;
}

test('a damaged or missing vectors file → StoreError corrupt naming it; rebuild recovers', async () => {
  const dir = await storeOfOneNameGroup();
  try {
    const file = readdirSync(dir).find((f) => /^vectors-\d+\.bin$/.test(f))!;
    const bytes = readFileSync(join(dir, file));
    writeFileSync(join(dir, file), bytes.subarray(0, bytes.length - 4));
    await assert.rejects(MentionStore.open(dir, IDENTITY), (e: unknown) => e instanceof StoreError && e.code === 'corrupt' && e.message.includes(file) && /bytes/.test(e.message));
    rmSync(join(dir, file));
    await assert.rejects(MentionStore.open(dir, IDENTITY, { readOnly: true }), (e: unknown) => e instanceof StoreError && e.code === 'corrupt' && e.message.includes(file));
    const rebuilt = await MentionStore.open(dir, IDENTITY, { rebuild: true });
    assert.equal(rebuilt.mentionCount, 0);
    await rebuilt.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('graph and vectors files damaged in place (same size) are corrupt by their checksums; a store written before checksums opens', async () => {
  const dir = await storeOfOneNameGroup();
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'store.json'), 'utf8')) as { checksums?: Record<string, number> };
    const files = readdirSync(dir).filter((f) => /^(index-\d+\.hnsw|vectors-\d+\.bin)$/.test(f));
    assert.deepEqual(Object.keys(manifest.checksums ?? {}).sort(), files.sort(), 'a checksum for the graph and the vectors');
    for (const file of files) {
      const good = readFileSync(join(dir, file));
      const damaged = Buffer.from(good);
      // Inside a vector, where the size and every header still check out: the graph's first node's
      // (hnswlib: a 96-byte header, then the node's 4 + 16 × 4 bytes of links), the vectors file's last.
      damaged[file.endsWith('.hnsw') ? 96 + 68 + 4 : damaged.length - 3] ^= 0xff;
      writeFileSync(join(dir, file), damaged);
      for (const readOnly of [false, true]) {
        await assert.rejects(MentionStore.open(dir, IDENTITY, { readOnly }), (e: unknown) => e instanceof StoreError && e.code === 'corrupt' && e.message.includes(file) && /checksum/.test(e.message), `${file}, readOnly ${readOnly}`);
      }
      writeFileSync(join(dir, file), good);
    }
    // The manifest of a store written before checksums: opened as it is, unchecked.
    const { checksums: _, ...older } = manifest;
    writeFileSync(join(dir, 'store.json'), JSON.stringify(older));
    const reopened = await MentionStore.open(dir, IDENTITY);
    assert.equal(reopened.mentionCount, 2);
    await reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kill -9 with name groups: every completed document keeps its mentions\' own vectors, through checkpoints and journal replay', { timeout: 180_000 }, async () => {
  const dir = tmp();
  try {
    const state = new Map<number, string>();
    const runs: Array<{ first: number; every: number; kill: { afterMs?: number; onLine?: string } }> = [
      { first: 0, every: 3, kill: { afterMs: 150 } },
      { first: 1000, every: 4, kill: { onLine: 'ckpt' } }, // during a checkpoint (the vectors file is written)
      { first: 2000, every: 2, kill: { afterMs: 250 } },
    ];
    for (const run of runs) {
      await runKilledChild(dir, run, state, 'grouped');
      const store = await MentionStore.open(dir, IDENTITY);
      try {
        let checked = 0;
        for (const [i, s] of state) {
          const doc = store.getDocument(docPath(i));
          if (s === 'rm' || !doc) {
            assert.ok(s === 'rm' ? !doc : (i + 2) % 5 === 4 && state.has(i + 2), `document ${i}: ${s}, ${doc ? 'present' : 'missing'}`);
            continue;
          }
          const version = s === '2' ? 2 : doc.contentHash === 'v2' ? 2 : 1;
          const mentions = doc.paragraphs[0].mentions;
          assert.deepEqual(mentions.map(mentionIndex), mentionIds(i, version), `document ${i} mentions`);
          for (const m of mentions) {
            const expected = unit(groupedVector(i, mentionIndex(m)));
            assert.ok(close(store.vector(m.label)!, expected), `document ${i} mention ${mentionIndex(m)}: its own vector`);
            assert.equal(store.search(expected, 1)[0].label, m.label, `document ${i} mention ${mentionIndex(m)}: the best hit for its vector`);
            checked++;
          }
        }
        assert.ok(checked > 0);
        assert.ok(store.vectorNodes < store.mentionCount, `groups share nodes (${store.vectorNodes} nodes, ${store.mentionCount} mentions)`);
      } finally { await store.close(); }
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
