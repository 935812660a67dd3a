// CLI end to end for the LLM encoder on the real stories260K checkpoint (+ the 512-id fixture
// tokenizer): `embed --json`, `index --encoder llm:<path> --layer 2` then `search`, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers.ts';
import { storiesFolder, storiesSkip } from '../engine/llm/storiesModel.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const SENTENCE = 'Once upon a time there was a little girl named Lily. She liked to play in the park with her mom.';

test('embed --json prints the documented fields; deterministic', { skip: storiesSkip }, () => {
  const model = storiesFolder();
  const start = SENTENCE.indexOf('little girl');
  const args = ['embed', SENTENCE, '--span', `${start}:${start + 11}`, '--encoder', `llm:${model}`, '--layer', '2', '--device', 'cpu', '--json'];
  const r = runCli(args);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  for (const k of ['encoder', 'model', 'layer', 'device', 'sentence', 'span', 'mention', 'tokenIndex', 'token', 'tokenRange', 'inputIds', 'inputTokens', 'rawDim', 'raw', 'projectedDim', 'projected']) {
    assert.ok(k in out, `field ${k}`);
  }
  assert.equal(out.model, model);
  assert.equal(out.layer, 2);
  assert.equal(out.mention, 'little girl');
  assert.equal(out.rawDim, 32);
  assert.equal(out.raw.length, 32);
  assert.equal(out.projected.length, out.projectedDim);
  assert.equal(out.inputIds[0], 1, 'BOS first');
  assert.equal(out.inputTokens[out.tokenIndex], out.token);
  // The token is the mention's last sub-token: it overlaps the span's end, the next one does not.
  assert.ok(out.tokenRange[0] < start + 11 && out.tokenRange[1] >= start + 11);
  assert.match(out.token, /girl$/);
  const again = runCli(args);
  assert.equal(again.stdout, r.stdout, 'deterministic');
  // No corpus to fit whitening on: said, not silently raw; --head raw asks for exactly that.
  assert.match(r.stderr, /no corpus to fit a whitening head on/);
  const raw = runCli([...args, '--head', 'raw']);
  assert.doesNotMatch(raw.stderr, /whitening/);
});

test('index --encoder llm:<path> --layer 2 (whitening fitted beside the store), then search with the store\'s encoder', { skip: storiesSkip }, () => {
  const model = storiesFolder();
  const ws = scratchDir('ner-llm-ws-');
  writeFileSync(join(ws, 'story.md'), `${SENTENCE}\n\nTim and Sue played with the ball near the river. Lily saw a big dog in London.\n`);
  writeFileSync(join(ws, 'notes.txt'), 'The Danube flows through Vienna and Budapest. Paris is the capital of France.\n');
  const store = join(ws, '.ner-retriever');
  const r = runCli(['index', ws, '--encoder', `llm:${model}`, '--layer', '2', '--device', 'cpu', '-q']);
  assert.equal(r.status, 0, r.stderr);
  const identity = JSON.parse(readFileSync(join(store, 'store.json'), 'utf8')).identity;
  assert.match(identity.encoderId, /^llm-v1\|.*\|L2\|whiten\d+:/);
  assert.ok(existsSync(join(store, 'llm-whitening.json')));
  const s = runCli(['search', 'girl', '--store', store, '--json', '--limit', '3']);
  assert.equal(s.status, 0, s.stderr);
  const hits = s.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.equal(hits.length, 3);
  for (const h of hits) assert.ok(h.score <= 1 && typeof h.text === 'string');
});

test('a store started on an empty folder is indexed raw for lack of mentions, and gets its whitening head once it has some', { skip: storiesSkip }, () => {
  const model = storiesFolder();
  const ws = scratchDir('ner-llm-empty-');
  const store = join(ws, '.ner-retriever');
  const encoderId = () => JSON.parse(readFileSync(join(store, 'store.json'), 'utf8')).identity.encoderId as string;
  const first = runCli(['index', ws, '--encoder', `llm:${model}`, '--layer', '2', '--device', 'cpu']);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /mention\(s\) to fit whitening on/);
  assert.match(encoderId(), /\|L2\|raw$/);
  writeFileSync(join(ws, 'story.md'), `${SENTENCE}\n\nTim and Sue played with the ball near the river. Lily saw a big dog in London.\n`);
  // Without --encoder, as a user re-runs it: the store's encoder, and the head it still wants.
  const second = runCli(['index', ws, '--device', 'cpu', '-q']);
  assert.equal(second.status, 0, second.stderr);
  assert.match(encoderId(), /\|L2\|whiten\d+:/);
  assert.ok(existsSync(join(store, 'llm-whitening.json')));
  assert.ok(!existsSync(join(store, 'llm-whitening.pending')));
  // A head chosen raw stays raw.
  const chosen = scratchDir('ner-llm-raw-');
  writeFileSync(join(chosen, 'story.md'), `${SENTENCE}\n`);
  assert.equal(runCli(['index', chosen, '--encoder', `llm:${model}`, '--layer', '2', '--head', 'raw', '--device', 'cpu', '-q']).status, 0);
  assert.equal(runCli(['index', chosen, '--device', 'cpu', '-q']).status, 0);
  assert.match(JSON.parse(readFileSync(join(chosen, '.ner-retriever', 'store.json'), 'utf8')).identity.encoderId, /\|L2\|raw$/);
});

test('bad input: no tokenizer, bad span, unknown encoder → clear error, non-zero exit', { skip: storiesSkip }, () => {
  const noTok = storiesFolder(false);
  const r = runCli(['embed', SENTENCE, '--encoder', `llm:${noTok}`, '--layer', '2', '--device', 'cpu', '--json']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /no tokenizer\.json in .*tokenizer_config\.json/);
  assert.equal(r.stdout, '');
  const span = runCli(['embed', 'short', '--span', '3:99', '--encoder', `llm:${storiesFolder()}`, '--layer', '2']);
  assert.notEqual(span.status, 0);
  assert.match(span.stderr, /outside the sentence/);
  // search refuses an encoder other than the store's (read from store.json before loading anything).
  const store = scratchDir('ner-llm-store-');
  writeFileSync(join(store, 'store.json'), JSON.stringify({
    format: 'ner-retriever-store', version: 1, generation: 0,
    identity: { encoderId: 'llm-v1|/models/x|sha256-0|L2|raw', detectorId: 'tagger-v1', dimension: 32 },
  }));
  const mismatch = runCli(['search', 'girl', '--store', store, '--encoder', 'static']);
  assert.equal(mismatch.status, 1);
  assert.match(mismatch.stderr, /was built with encoder llm:\/models\/x --layer 2 .*not static/);
  // ... and a head other than the store's, which search used to ignore silently.
  const otherHead = runCli(['search', 'girl', '--store', store, '--head', 'whitening']);
  assert.equal(otherHead.status, 1);
  assert.match(otherHead.stderr, /was built with encoder llm:\/models\/x --layer 2 --head raw .*not llm:\/models\/x --head whitening/);
  const enc = runCli(['embed', 'short', '--encoder', 'gpt']);
  assert.notEqual(enc.status, 0);
  assert.match(enc.stderr, /expected static, llm:/);
});

test('a store whose LLM is gone (folder moved, hub model removed from the cache) says which model, where, and what to do', () => {
  const root = scratchDir('ner-llm-gone-');
  const ws = join(root, 'ws');
  mkdirSync(ws);
  writeFileSync(join(ws, 'a.md'), 'Lily went to Paris.\n');
  const cases: Array<[string, RegExp]> = [
    [join(root, 'moved-model'), new RegExp(`built with the LLM ${join(root, 'moved-model')} \\(encoder llm-v1\\|.*\\), and the folder ${join(root, 'moved-model')} is gone \\(moved or deleted\\): put the model back there`)],
    ['acme/removed', /built with the LLM acme\/removed \(encoder llm-v1\|.*\), but acme\/removed@main is not in the Hugging Face cache .*model pull acme\/removed`/],
  ];
  for (const [model, message] of cases) {
    const store = join(root, `store-${cases.findIndex((c) => c[0] === model)}`);
    mkdirSync(store);
    writeFileSync(join(store, 'store.json'), JSON.stringify({
      format: 'ner-retriever-store', version: 1, generation: 0,
      identity: { encoderId: `llm-v1|${model}|sha256-0|L2|raw`, detectorId: 'tagger-v1', dimension: 32 },
    }));
    const env = { HF_HUB_CACHE: join(root, 'hub') };
    for (const args of [['search', 'girl', '--store', store], ['index', ws, '--store', store, '-q']]) {
      const r = runCli(args, { env });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^error: the store in ${store} `));
      assert.match(r.stderr, message);
      assert.match(r.stderr, new RegExp(`or index again with another encoder: \`ner-retriever index <path> --store ${store} --rebuild --encoder static\``));
    }
    assert.ok(existsSync(join(store, 'store.json')), 'the store is kept');
  }
});

test('eval --encoder llm:<folder>: R-Precision on the LLM\'s value vectors, whitening fitted on the file\'s gold mentions (or --head raw); --layer without an LLM is refused', { skip: storiesSkip }, () => {
  const dir = scratchDir('ner-llm-eval-');
  const conll = join(dir, 'small.conll');
  const rows: string[] = [];
  const names = ['Lily', 'Tom', 'Sue', 'Ben', 'Max', 'Amy'];
  const places = ['park', 'garden', 'forest', 'school', 'house', 'river'];
  for (let i = 0; i < 6; i++) {
    for (const [w, tag] of [[names[i], 'B-PER'], ['went', 'O'], ['to', 'O'], ['the', 'O'], [places[i], 'B-LOC'], ['.', 'O']]) rows.push(`${w} _ _ ${tag}`);
    rows.push('');
  }
  writeFileSync(conll, rows.join('\n'));
  const model = storiesFolder();
  const evalJson = (...extra: string[]) => {
    const r = runCli(['eval', conll, '--encoder', `llm:${model}`, '--layer', '2', '--device', 'cpu', '--no-spans', '--json', ...extra]);
    assert.equal(r.status, 0, r.stderr);
    return { out: JSON.parse(r.stdout) as { retrieval: Record<string, { macro: number; perType: Record<string, number> }> }, stderr: r.stderr };
  };
  const whitened = evalJson();
  assert.match(whitened.stderr, /Fitting the whitening head on 12 of the 12 gold mentions/);
  const w = whitened.out.retrieval['LLM encoder (layer 2, whitening head)'];
  assert.ok(w, Object.keys(whitened.out.retrieval).join(', '));
  assert.deepEqual(Object.keys(w.perType).sort(), ['LOC', 'PER']);
  for (const v of [w.macro, ...Object.values(w.perType)]) assert.ok(v >= 0 && v <= 1, String(v));
  const raw = evalJson('--head', 'raw');
  assert.doesNotMatch(raw.stderr, /Fitting the whitening head/);
  assert.ok(raw.out.retrieval['LLM encoder (layer 2, raw head)']);
  const staticLayer = runCli(['eval', conll, '--layer', '2', '--no-spans']);
  assert.equal(staticLayer.status, 1);
  assert.match(staticLayer.stderr, /--layer applies to an LLM encoder/);
});
