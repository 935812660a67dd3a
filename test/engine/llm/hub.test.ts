// Hub client end to end against a local fake hub (test/helpers/fakeHub.ts): cache layout, no second
// download, resume with Range, checksum failure, gated models and HF_TOKEN, 404s, list / rm / resolve.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CancelledError, nullLogger } from '../../../server/src/engine/types.ts';
import { HubError, listCachedModels, pullModel, removeCachedModel, resolveModelDir, ensureModelDir, verifyCachedModels } from '../../../server/src/engine/llm/hub.ts';
import { FAKE_TOKEN, FakeHub, sha256, tinySafetensors } from '../../helpers/fakeHub.ts';
import { scratchDir } from '../../helpers/scratchDir.ts';

const CONFIG = JSON.stringify({ model_type: 'llama', hidden_size: 8, num_hidden_layers: 2 });
const TOKENIZER = JSON.stringify({ version: '1.0', model: { type: 'BPE', vocab: { a: 0, b: 1 } } });
const WEIGHTS = tinySafetensors(20_000); // ~80 KB: several chunks, so a cut lands mid-file

function smallRepo(extra: Record<string, string | Buffer> = {}) {
  return {
    files: {
      'config.json': CONFIG, 'tokenizer.json': TOKENIZER, 'tokenizer_config.json': '{"bos_token":"<s>"}',
      'generation_config.json': '{"do_sample":false}', 'README.md': '# not needed', '.gitattributes': '*.safetensors filter=lfs',
      'model.safetensors': WEIGHTS, ...extra,
    },
  };
}

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<HubError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  assert.ok(e instanceof HubError, `expected a HubError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  assert.match(e.message, pattern);
  return e;
}

describe('Hugging Face hub client', () => {
  let hub: FakeHub;
  let cache: string;
  const saved = { ...process.env };

  before(async () => { hub = await FakeHub.start(); });
  after(async () => { await hub.close(); process.env = saved; });
  beforeEach(() => {
    const root = scratchDir('ner-hub-');
    cache = join(root, 'hub');
    process.env.HF_ENDPOINT = hub.endpoint;
    process.env.HF_HUB_CACHE = cache;
    process.env.HF_HOME = join(root, 'hf-home'); // no saved login token from the machine
    delete process.env.HF_TOKEN;
    delete process.env.HUGGING_FACE_HUB_TOKEN;
    delete process.env.HF_HUB_OFFLINE;
    hub.requests.length = 0;
  });

  test('a hub cache that cannot be created (under /proc) fails at once naming it (Node\'s recursive mkdir looped forever there)', { skip: process.platform !== 'linux' && 'needs /proc' }, async () => {
    hub.addRepo('acme/nowhere', smallRepo());
    // In a child process: a hang would block this one's event loop, and the fake hub with it.
    const hubModule = new URL('../../../server/src/engine/llm/hub.ts', import.meta.url).href;
    const script = `import(${JSON.stringify(hubModule)}).then((h) => h.pullModel('acme/nowhere')).then(() => process.exit(3), (e) => { console.error(e.message); process.exit(1); });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { env: { ...process.env, HF_HUB_CACHE: '/proc/ner-hub-test/hub' }, timeout: 60_000 });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const [code, signal] = await new Promise<[number | null, string | null]>((res) => child.on('close', (c, s) => res([c, s])));
    assert.equal(signal, null, 'hung');
    assert.equal(code, 1, stderr);
    assert.match(stderr, /cannot create folder \/proc\/ner-hub-test\/hub\S*: \/proc does not take new folders \(ENOENT\)/);
  });

  test('pull writes the standard cache layout; a second pull downloads nothing', async () => {
    const { sha } = hub.addRepo('acme/small', smallRepo());
    const progress: Array<{ done: number; total: number }> = [];
    const r = await pullModel('acme/small', { progress: (p) => progress.push(p) });
    const repoDir = join(cache, 'models--acme--small');
    assert.equal(r.commit, sha);
    assert.equal(r.snapshotDir, join(repoDir, 'snapshots', sha));
    assert.equal(readFileSync(join(repoDir, 'refs', 'main'), 'utf8'), sha);
    assert.deepEqual(readdirSync(r.snapshotDir).sort(), ['config.json', 'generation_config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    const link = join(r.snapshotDir, 'model.safetensors');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), `../../blobs/${sha256(WEIGHTS)}`);
    assert.ok(readFileSync(link).equals(WEIGHTS));
    assert.equal(readFileSync(join(r.snapshotDir, 'config.json'), 'utf8'), CONFIG);
    assert.ok(readdirSync(join(repoDir, 'blobs')).every((b) => !b.endsWith('.incomplete')));
    assert.ok(r.files.every((f) => f.downloaded));
    assert.ok(r.bytesDownloaded >= WEIGHTS.length);
    assert.ok(!hub.requests.some((q) => q.path.includes('README.md')), 'only the needed files are fetched');
    const last = progress.at(-1);
    assert.ok(last && last.done === last.total && last.total >= WEIGHTS.length);

    hub.requests.length = 0;
    const again = await pullModel('acme/small');
    assert.equal(again.snapshotDir, r.snapshotDir);
    assert.equal(again.bytesDownloaded, 0);
    assert.ok(again.files.every((f) => !f.downloaded));
    assert.deepEqual(hub.contentRequests(), []);
    assert.deepEqual(hub.requests.map((q) => q.path), [`/api/models/acme/small/revision/main`], 'only the commit lookup');

    assert.equal(resolveModelDir('acme/small'), r.snapshotDir);
    assert.equal(resolveModelDir('acme/small', sha), r.snapshotDir);
    assert.equal(await ensureModelDir('acme/small'), r.snapshotDir);
    const [model] = listCachedModels();
    assert.equal(model.repoId, 'acme/small');
    assert.deepEqual(model.revisions.map((v) => [v.commit, v.refs, v.complete]), [[sha, ['main'], true]]);
    assert.ok(model.sizeOnDisk >= WEIGHTS.length);
  });

  test('sharded weights: the index and every shard it lists', async () => {
    const shard1 = tinySafetensors(300, 1);
    const shard2 = tinySafetensors(300, 2);
    const index = JSON.stringify({ metadata: {}, weight_map: { a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors', c: 'model-00001-of-00002.safetensors' } });
    const files = { ...smallRepo().files, 'model.safetensors.index.json': index, 'model-00001-of-00002.safetensors': shard1, 'model-00002-of-00002.safetensors': shard2 };
    delete (files as Record<string, unknown>)['model.safetensors'];
    hub.addRepo('acme/sharded', { files });
    const r = await pullModel('acme/sharded');
    assert.ok(readFileSync(join(r.snapshotDir, 'model-00002-of-00002.safetensors')).equals(shard2));
    assert.equal(listCachedModels()[0].revisions[0].complete, true);
  });

  test('an interrupted download resumes with a Range request and ends with the right SHA-256', async () => {
    hub.addRepo('acme/cut', smallRepo());
    hub.cutOnce.add('model.safetensors');
    await rejectsWith(pullModel('acme/cut', { maxAttempts: 1 }), 'network', /run the same command again to resume/);
    const blobs = join(cache, 'models--acme--cut', 'blobs');
    const partial = join(blobs, `${sha256(WEIGHTS)}.incomplete`);
    const kept = statSync(partial).size;
    assert.ok(kept > 0 && kept < WEIGHTS.length, `partial file of ${kept} bytes`);
    assert.deepEqual(listCachedModels()[0].incompleteDownloads, 1);

    hub.requests.length = 0;
    const r = await pullModel('acme/cut');
    const cdn = hub.requests.filter((q) => q.server === 'cdn');
    assert.deepEqual(cdn.map((q) => [q.headers.range, q.status]), [[`bytes=${kept}-`, 206]]);
    assert.equal(r.bytesDownloaded, WEIGHTS.length - kept);
    assert.equal(sha256(readFileSync(join(r.snapshotDir, 'model.safetensors'))), sha256(WEIGHTS));
    assert.ok(!existsSync(partial));
  });

  test('a connection cut during a pull is resumed within the same pull', async () => {
    hub.addRepo('acme/flaky', smallRepo());
    hub.cutOnce.add('model.safetensors');
    const r = await pullModel('acme/flaky');
    const ranges = hub.requests.filter((q) => q.server === 'cdn').map((q) => q.headers.range);
    assert.equal(ranges.length, 2);
    assert.equal(ranges[0], undefined);
    assert.match(String(ranges[1]), /^bytes=\d+-$/);
    assert.ok(readFileSync(join(r.snapshotDir, 'model.safetensors')).equals(WEIGHTS));
  });

  test('a wrong checksum deletes the file and fails clearly', async () => {
    hub.addRepo('acme/corrupt', smallRepo());
    hub.corrupt.add('model.safetensors');
    try {
      await rejectsWith(pullModel('acme/corrupt'), 'checksum', /model\.safetensors: downloaded file is corrupt \(SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}\).*deleted/);
    } finally {
      hub.corrupt.delete('model.safetensors');
    }
    const blobs = readdirSync(join(cache, 'models--acme--corrupt', 'blobs'));
    assert.ok(!blobs.some((b) => b.startsWith(sha256(WEIGHTS))), `nothing kept: ${blobs}`);
    assert.equal(listCachedModels()[0].revisions[0].complete, false);
    assert.throws(() => resolveModelDir('acme/corrupt'), /incomplete in the cache \(missing model\.safetensors\).*model pull acme\/corrupt/);
  });

  test('list: a truncated safetensors blob makes its revision incomplete (a cheap header check); a corrupt one only with verify', async () => {
    hub.addRepo('acme/damaged', smallRepo());
    const r = await pullModel('acme/damaged');
    const blob = join(cache, 'models--acme--damaged', 'blobs', sha256(WEIGHTS));
    truncateSync(blob, WEIGHTS.length - 100);
    let [rev] = listCachedModels()[0].revisions;
    assert.equal(rev.complete, false);
    assert.deepEqual(rev.missing, []);
    assert.deepEqual(rev.damaged, [`model.safetensors (${WEIGHTS.length - 100} bytes, its safetensors header describes ${WEIGHTS.length})`]);

    const flipped = Buffer.from(WEIGHTS);
    flipped[flipped.length - 5] ^= 0xff;
    writeFileSync(blob, flipped);
    const models = listCachedModels();
    assert.equal(models[0].revisions[0].complete, true, 'same size: only hashing tells');
    const progress: Array<{ done: number; total: number }> = [];
    await verifyCachedModels(models, (p) => progress.push(p));
    [rev] = models[0].revisions;
    assert.equal(rev.complete, false);
    assert.match(rev.damaged.join(), new RegExp(`^model\\.safetensors \\(SHA-256 [0-9a-f]{64}, expected ${sha256(WEIGHTS)}\\)$`));
    assert.deepEqual(progress.at(-1), { what: 'Verifying', done: WEIGHTS.length, total: WEIGHTS.length, message: 'acme/damaged/model.safetensors' });

    writeFileSync(blob, WEIGHTS);
    const good = listCachedModels();
    await verifyCachedModels(good);
    assert.deepEqual(good[0].revisions.map((v) => [v.complete, v.damaged]), [[true, []]]);
    assert.equal(resolveModelDir('acme/damaged'), r.snapshotDir);
  });

  test('pull downloads again a cached file that is truncated or corrupt, and only that one', async () => {
    const { sha } = hub.addRepo('acme/repair', smallRepo());
    const r = await pullModel('acme/repair');
    const blob = join(cache, 'models--acme--repair', 'blobs', sha256(WEIGHTS));
    const flipByte = () => { const b = readFileSync(blob); b[b.length >> 1] ^= 1; writeFileSync(blob, b); };
    // Bytes changed in place keep the size: only a pull with verify hashes the cached copy.
    flipByte();
    assert.equal((await pullModel('acme/repair', { logger: nullLogger })).bytesDownloaded, 0, 'no hashing unless asked');
    flipByte();
    const damage: Array<[string, () => void, boolean]> = [
      ['truncated', () => truncateSync(blob, 1000), false],
      ['one byte flipped', flipByte, true],
      // the snapshot gone (another revision, a manual clean-up), its damaged blob still there
      ['blob only', () => { truncateSync(blob, 1000); rmSync(join(cache, 'models--acme--repair', 'snapshots'), { recursive: true }); }, false],
    ];
    for (const [what, harm, verify] of damage) {
      harm();
      hub.requests.length = 0;
      const warnings: string[] = [];
      const again = await pullModel('acme/repair', { verify, logger: { error() {}, warn: (m) => warnings.push(m), info() {}, debug() {} } });
      assert.match(warnings.join('\n'), /^model\.safetensors: the cached copy is damaged \((1000 bytes, expected \d+|SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}|1000 bytes, its safetensors header describes \d+)\); downloading it again$/, what);
      assert.equal(again.commit, sha);
      assert.ok(readFileSync(join(again.snapshotDir, 'model.safetensors')).equals(WEIGHTS), what);
      assert.deepEqual(again.files.filter((f) => f.downloaded).map((f) => f.name), ['model.safetensors'], what);
      assert.equal(hub.requests.filter((q) => q.server === 'cdn').length, 1, what);
      assert.equal(listCachedModels()[0].revisions[0].complete, true, what);
    }
    assert.equal(r.snapshotDir, resolveModelDir('acme/repair'));
    // a second pull of the repaired model downloads nothing
    hub.requests.length = 0;
    assert.equal((await pullModel('acme/repair')).bytesDownloaded, 0);
    assert.deepEqual(hub.contentRequests(), []);
  });

  test('gated model: 401 says how to set HF_TOKEN; with it the pull works and the token stays on the hub', async () => {
    hub.addRepo('meta-llama/Gated-1B', { ...smallRepo(), gated: true });
    const e = await rejectsWith(pullModel('meta-llama/Gated-1B'), 'gated', /gated.*HTTP 401.*HF_TOKEN.*licence/);
    assert.match(e.message, new RegExp(`${hub.endpoint}/meta-llama/Gated-1B`));
    await rejectsWith(pullModel('meta-llama/Gated-1B', { hfToken: 'hf_wrong' }), 'gated', /does not give access/);

    process.env.HF_TOKEN = FAKE_TOKEN;
    hub.requests.length = 0;
    const r = await pullModel('meta-llama/Gated-1B');
    assert.ok(readFileSync(join(r.snapshotDir, 'model.safetensors')).equals(WEIGHTS));
    const toHub = hub.requests.filter((q) => q.server === 'hub');
    const toCdn = hub.requests.filter((q) => q.server === 'cdn');
    assert.ok(toHub.length > 0 && toHub.every((q) => q.headers.authorization === `Bearer ${FAKE_TOKEN}`));
    assert.ok(toCdn.length > 0 && toCdn.every((q) => q.headers.authorization === undefined), 'no token sent to the redirect target');
  });

  test('the saved login token ($HF_HOME/token) is used too', async () => {
    hub.addRepo('meta-llama/Gated-Saved', { ...smallRepo(), gated: true });
    mkdirSync(process.env.HF_HOME!, { recursive: true });
    writeFileSync(join(process.env.HF_HOME!, 'token'), `${FAKE_TOKEN}\n`);
    await pullModel('meta-llama/Gated-Saved');
  });

  test('missing repo, revision and local folders', async () => {
    hub.addRepo('acme/there', smallRepo());
    await rejectsWith(pullModel('acme/nothing-here'), 'not-found', /model acme\/nothing-here not found .*HTTP 401.*HF_TOKEN/);
    await rejectsWith(pullModel('acme/nothing-here', { hfToken: FAKE_TOKEN }), 'not-found', /not found .*HTTP 404/);
    await rejectsWith(pullModel('acme/there', { revision: 'v9' }), 'not-found', /revision v9 of acme\/there not found/);
    await rejectsWith(pullModel('not a repo'), 'invalid', /not a Hugging Face model id/);
    hub.addRepo('acme/no-weights', { files: { 'config.json': CONFIG, 'pytorch_model.bin': 'x' } });
    await rejectsWith(pullModel('acme/no-weights'), 'invalid', /no safetensors weights/);

    const local = scratchDir('ner-local-model-');
    assert.equal(resolveModelDir(local), local);
    // pull is for hub ids: a folder is already local, and a path that is none is not an id either.
    await rejectsWith(pullModel(local), 'invalid', new RegExp(`${local} is a local folder: there is nothing to download.*--encoder llm:`));
    await rejectsWith(pullModel('./no/such/folder'), 'invalid', /no such folder, and a path is not a Hugging Face model id/);
    assert.throws(() => resolveModelDir('not a repo'), /not a Hugging Face model id .* nor an existing folder/);
    assert.throws(() => resolveModelDir('./no/such/folder'), /no such folder/);
    assert.throws(() => resolveModelDir('acme/there'), /not in the Hugging Face cache.*model pull acme\/there/);
  });

  test('a cancelled pull stops with CancelledError; rm deletes the model', async () => {
    hub.addRepo('acme/cancel', smallRepo());
    await assert.rejects(pullModel('acme/cancel', { token: { isCancellationRequested: true } }), CancelledError);
    await pullModel('acme/cancel');
    const removed = removeCachedModel('acme/cancel');
    assert.ok(removed.sizeOnDisk >= WEIGHTS.length);
    assert.ok(!existsSync(join(cache, 'models--acme--cancel')));
    assert.deepEqual(listCachedModels(), []);
    assert.throws(() => removeCachedModel('acme/cancel'), /not in the Hugging Face cache/);
  });

  test('concurrent pulls of one model download each file once; a lock left by a dead process is taken over', async () => {
    hub.addRepo('acme/twice', smallRepo());
    const [a, b] = await Promise.all([pullModel('acme/twice'), pullModel('acme/twice')]);
    assert.equal(a.snapshotDir, b.snapshotDir);
    assert.equal(hub.requests.filter((q) => q.server === 'cdn').length, 1);
    assert.ok(readFileSync(join(a.snapshotDir, 'model.safetensors')).equals(WEIGHTS));

    hub.addRepo('acme/stale-lock', smallRepo({ 'config.json': `${CONFIG} ` }));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const lock = join(cache, '.locks', 'models--acme--stale-lock', `${sha256(WEIGHTS)}.ner-retriever.lock`);
    mkdirSync(join(lock, '..'), { recursive: true });
    writeFileSync(lock, String(dead));
    await pullModel('acme/stale-lock');
    assert.ok(!existsSync(lock));
  });

  test('offline: a complete cached model is used when the hub cannot be reached', async () => {
    hub.addRepo('acme/offline', smallRepo());
    const r = await pullModel('acme/offline');
    const off = await pullModel('acme/offline', { endpoint: 'http://127.0.0.1:1' });
    assert.equal(off.offline, true);
    assert.equal(off.snapshotDir, r.snapshotDir);
    await rejectsWith(pullModel('acme/other', { endpoint: 'http://127.0.0.1:1' }), 'network', /cannot reach .*not in the cache/);
  });
});
