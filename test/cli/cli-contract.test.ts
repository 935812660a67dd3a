// The CLI contract that external evaluation uses: index a .jsonl corpus with gold spans, answer
// every type query with `search --queries --json`, and rank documents by their best mention.
// R-Precision computed from that output must equal what `eval` reports for the same file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../../server/src/engine/types.ts';
import { readConll } from '../../server/src/engine/eval/conll.ts';
import { MULTICONER_DESCRIPTIONS } from '../../server/src/engine/eval/retrieval.ts';
import { runCli, type JsonHit } from './helpers.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const devPath = join(sharedDir(), 'data', 'multiconer2-en', 'dev.conll');
const skip = existsSync(devPath) ? false : `shared data not found at ${devPath} (set NER_SHARED_DIR)`;

test('R-Precision from `index` + `search --queries --json` on a gold-span .jsonl equals `eval`', { skip, timeout: 300_000 }, () => {
  const tmp = scratchDir('ner-contract-');
  try {
    const sentences = readConll(devPath);
    const corpus = join(tmp, 'dev.jsonl');
    writeFileSync(corpus, sentences.map((s) => JSON.stringify({ id: s.id, text: s.text, spans: s.spans.map((g) => [g.start, g.end, g.type]) })).join('\n'));
    const types = Object.keys(MULTICONER_DESCRIPTIONS);
    const descriptions = join(tmp, 'descriptions.json');
    writeFileSync(descriptions, JSON.stringify(MULTICONER_DESCRIPTIONS));
    const queries = join(tmp, 'queries.txt');
    writeFileSync(queries, types.map((t) => MULTICONER_DESCRIPTIONS[t]).join('\n'));

    const evalRun = runCli(['eval', corpus, '--descriptions', descriptions, '--no-spans', '--json', '--detected']);
    assert.equal(evalRun.status, 0, evalRun.stderr);
    const expected = (JSON.parse(evalRun.stdout).retrieval['static encoder'].perType) as Record<string, number>;
    // End to end (--detected): the detector's spans instead of the gold ones, scored per type as well.
    const endToEnd = JSON.parse(evalRun.stdout).retrieval['static encoder, detected spans'] as { macro: number; perType: Record<string, number> };
    assert.ok(endToEnd.macro > 0.2 && endToEnd.macro < 1, String(endToEnd.macro));
    assert.deepEqual(Object.keys(endToEnd.perType).sort(), Object.keys(expected).sort());

    const store = join(tmp, 'store');
    const indexRun = runCli(['index', corpus, '--store', store]);
    assert.equal(indexRun.status, 0, indexRun.stderr);
    const totalMentions = sentences.reduce((n, s) => n + s.spans.length, 0);
    const searchRun = runCli(['search', '--queries', queries, '--store', store, '--json', '--limit', String(totalMentions)]);
    assert.equal(searchRun.status, 0, searchRun.stderr);
    const hits = searchRun.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as JsonHit);

    for (const type of types) {
      const query = MULTICONER_DESCRIPTIONS[type];
      const mine = hits.filter((h) => h.query === query);
      assert.equal(mine.length, totalMentions, `${type}: every mention is returned when the limit allows`);
      for (let i = 1; i < mine.length; i++) assert.ok(mine[i - 1].score >= mine[i].score, `${type}: sorted by descending score`);
      const ranked: string[] = [];
      const seen = new Set<string>();
      for (const h of mine) if (!seen.has(h.docId!)) { seen.add(h.docId!); ranked.push(h.docId!); }
      const relevant = new Set(sentences.filter((s) => s.spans.some((g) => g.type === type)).map((s) => s.id));
      const rPrecision = ranked.slice(0, relevant.size).filter((id) => relevant.has(id)).length / relevant.size;
      // Ties between documents may order differently; one document either way at most.
      assert.ok(Math.abs(rPrecision - expected[type]) <= 1 / relevant.size + 1e-9,
        `${type}: R-Precision from the CLI ${rPrecision.toFixed(3)} vs eval ${expected[type].toFixed(3)} (R ${relevant.size})`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
