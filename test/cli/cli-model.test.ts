// `ner-retriever model pull | list | rm` through the real CLI against a local fake hub
// (HF_ENDPOINT + a temporary HF_HUB_CACHE); the child runs asynchronously so the hub can answer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeRandomCheckpoint } from '../../server/src/engine/llm/randomCheckpoint.ts';
import { FakeHub } from '../helpers/fakeHub.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const entry = new URL('../../server/src/cli/index.ts', import.meta.url).pathname;
const repoRoot = new URL('../..', import.meta.url).pathname;

interface Run { status: number | null; stdout: string; stderr: string }

const tinyLlama = {
  model_type: 'llama', architectures: ['LlamaForCausalLM'], hidden_size: 32, intermediate_size: 48, num_hidden_layers: 2,
  num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 64, max_position_embeddings: 128, rms_norm_eps: 1e-5,
  rope_theta: 10000.0, tie_word_embeddings: false, hidden_act: 'silu', bos_token_id: 1, eos_token_id: 2,
};

describe('CLI model commands', () => {
  let hub: FakeHub;
  let root: string;
  let env: Record<string, string>;

  function cli(args: string[]): Promise<Run> {
    return new Promise((resolveRun, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('error', reject);
      child.on('close', (status) => resolveRun({ status, stdout, stderr }));
    });
  }

  before(async () => {
    hub = await FakeHub.start();
    root = scratchDir('ner-cli-model-');
    const ckpt = join(root, 'checkpoint');
    writeRandomCheckpoint({ dir: ckpt, config: tinyLlama, upToLayer: 0, seed: 5 });
    const files: Record<string, Buffer | string> = { 'tokenizer.json': '{"version":"1.0","model":{"type":"BPE","vocab":{}}}', 'README.md': 'tiny' };
    for (const f of readdirSync(ckpt)) files[f] = readFileSync(join(ckpt, f));
    hub.addRepo('acme/tiny-llama', { files });
    hub.addRepo('meta-llama/Gated-Tiny', { files, gated: true });
    env = {
      HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: join(root, 'hub'), HF_HOME: join(root, 'hf-home'),
      HF_TOKEN: '', HUGGING_FACE_HUB_TOKEN: '', NER_RETRIEVER_CACHE: join(root, 'ner-cache'), NO_COLOR: '1',
    };
  });
  after(async () => { await hub.close(); });

  test('help lists the subcommands and explains HF_TOKEN', async () => {
    const r = await cli(['model', 'pull', '--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /--revision <rev>/);
    assert.match(r.stdout, /--layer <L>/);
    assert.match(r.stdout, /HF_TOKEN/);
  });

  test('pull (with --layer), list, rm', async () => {
    const empty = await cli(['model', 'list']);
    assert.equal(empty.status, 0, empty.stderr);
    assert.match(empty.stderr, /No models in/);

    const pulled = await cli(['model', 'pull', 'acme/tiny-llama', '--layer', '0']);
    assert.equal(pulled.status, 0, pulled.stderr);
    const snapshot = pulled.stdout.trim();
    assert.match(snapshot, /models--acme--tiny-llama\/snapshots\/[0-9a-f]{40}$/);
    assert.ok(existsSync(join(snapshot, 'model.safetensors')) && existsSync(join(snapshot, 'tokenizer.json')));
    assert.match(pulled.stderr, /file\(s\) downloaded/);
    assert.match(pulled.stderr, /value graph up to layer 0: .*values\.onnx/);
    assert.ok(readdirSync(join(root, 'ner-cache', 'llm-graphs')).length === 1);

    const again = await cli(['model', 'pull', 'acme/tiny-llama']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /0 file\(s\) downloaded \(0 B\), \d+ already cached/);

    const table = await cli(['model', 'list']);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^MODEL\s+REVISIONS\s+SIZE\s+FILES\s+STATUS/);
    assert.match(table.stdout, /acme\/tiny-llama\s+main@[0-9a-f]{7}\s+\d[\d.]* KB\s+3\s+complete/);

    const json = await cli(['model', 'list', '--json']);
    const models = JSON.parse(json.stdout) as Array<{ repoId: string; revisions: Array<{ snapshotDir: string; complete: boolean }> }>;
    assert.deepEqual(models.map((m) => [m.repoId, m.revisions[0].snapshotDir, m.revisions[0].complete]), [['acme/tiny-llama', snapshot, true]]);

    const refused = await cli(['model', 'rm', 'acme/tiny-llama']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /without confirmation: pass --yes/);
    assert.ok(existsSync(snapshot));

    const removed = await cli(['model', 'rm', 'acme/tiny-llama', '--yes']);
    assert.equal(removed.status, 0, removed.stderr);
    assert.match(removed.stderr, /Deleted acme\/tiny-llama: .* freed/);
    assert.ok(!existsSync(snapshot));
    const missing = await cli(['model', 'rm', 'acme/tiny-llama', '--yes']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^error: acme\/tiny-llama is not in the Hugging Face cache/);
  });

  test('list says a revision whose weights are truncated is damaged; --verify also hashes them (documented in --help); pull downloads a damaged file again', async () => {
    const help = await cli(['model', 'list', '--help']);
    assert.match(help.stdout, /--verify\s+also hash[\s\S]*?SHA-256/); // the help wraps it by the width of the global options
    assert.match(help.stdout, /as long as its header\s+says/);
    assert.match(help.stdout, /`ner-retriever model pull <repo>` downloads\s+damaged files again/);
    const pulled = await cli(['model', 'pull', 'acme/tiny-llama', '-q']);
    assert.equal(pulled.status, 0, pulled.stderr);
    const blob = realpathSync(join(pulled.stdout.trim(), 'model.safetensors'));
    const good = readFileSync(blob);
    try {
      truncateSync(blob, good.length - 10);
      const table = await cli(['model', 'list']);
      assert.equal(table.status, 0, table.stderr);
      assert.match(table.stdout, new RegExp(`acme/tiny-llama .*incomplete \\([0-9a-f]{7} damaged model\\.safetensors \\(${good.length - 10} bytes, its safetensors header describes ${good.length}\\)\\)`));
      const json = JSON.parse((await cli(['model', 'list', '--json'])).stdout) as Array<{ revisions: Array<{ complete: boolean; damaged: string[] }> }>;
      assert.deepEqual(json[0].revisions.map((r) => [r.complete, r.damaged.length]), [[false, 1]]);

      const flipped = Buffer.from(good);
      flipped[flipped.length - 1] ^= 0xff;
      writeFileSync(blob, flipped);
      assert.match((await cli(['model', 'list'])).stdout, /acme\/tiny-llama .*\scomplete$/m, 'same size: the cheap check passes');
      const verified = await cli(['model', 'list', '--verify']);
      assert.equal(verified.status, 0, verified.stderr);
      assert.match(verified.stdout, /incomplete \([0-9a-f]{7} damaged model\.safetensors \(SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}\)\)/);
      // pull --verify hashes what is cached and downloads the damaged file again (plain pull checks sizes)
      assert.match((await cli(['model', 'pull', '--help'])).stdout, /--verify\s+also hash[\s\S]*?SHA-256/);
      const repaired = await cli(['model', 'pull', 'acme/tiny-llama', '--verify']);
      assert.equal(repaired.status, 0, repaired.stderr);
      assert.match(repaired.stderr, /model\.safetensors: the cached copy is damaged \(SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}\); downloading it again/);
      assert.match(repaired.stderr, /: 1 file\(s\) downloaded .*, \d+ already cached/);
      assert.ok(readFileSync(blob).equals(good));
      assert.match((await cli(['model', 'list', '--verify'])).stdout, /acme\/tiny-llama .*\scomplete$/m);
    } finally {
      writeFileSync(blob, good);
    }
  });

  test('gated and missing models fail with a clear message and a non-zero exit', async () => {
    const gated = await cli(['model', 'pull', 'meta-llama/Gated-Tiny']);
    assert.equal(gated.status, 1);
    assert.match(gated.stderr, /^error: config\.json of meta-llama\/Gated-Tiny: model is gated or private \(HTTP 401\): set HF_TOKEN/);
    assert.doesNotMatch(gated.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(gated.stdout, '');
    const missing = await cli(['model', 'pull', 'acme/nope']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^error: model acme\/nope not found/);
  });
});
