// Child process for the kill -9 test: opens a store and writes documents in a loop, printing
// each completed operation to stdout (pipes are synchronous on Linux, so a printed line means done).
// argv: dir first count checkpointEvery [grouped]
// ("grouped": every mention of a document is one name, its vectors alike: storeFixtures.groupedVector)
import { writeSync } from 'node:fs';
import { MentionStore } from '../../server/src/engine/index/store.ts';
import { IDENTITY, docPath, groupedVector, makeDoc, makeGroupedDoc, mentionIds, mentionIndex, mentionVector } from './storeFixtures.ts';

const [dir, firstS, countS, everyS, mode] = process.argv.slice(2);
const first = Number(firstS), count = Number(countS), every = Number(everyS);
const grouped = mode === 'grouped';
const vectorOf = grouped ? groupedVector : mentionVector;
const docOf = grouped ? makeGroupedDoc : makeDoc;
const say = (s: string) => writeSync(1, s + '\n');

async function main(): Promise<void> {
const store = await MentionStore.open(dir, IDENTITY);
say('open');
for (let i = first; i < first + count; i++) {
  const prev = store.getDocument(docPath(i));
  if (!prev || prev.contentHash !== 'v1') {
    // version 1: all labels fresh
    const vectors = new Map<number, Float32Array>();
    const doc = docOf(i, 1, (j) => { const l = store.allocateLabel(); vectors.set(l, vectorOf(i, j)); return l; });
    store.putDocument(doc, vectors);
  }
  say(`put ${i} 1`);
  if (i % 3 === 0) {
    // version 2: reuse labels of kept mentions, new vector for the added one, drop mention 0
    const cur = store.getDocument(docPath(i))!;
    const byIndex = new Map(cur.paragraphs[0].mentions.map((m) => [mentionIndex(m), m.label]));
    const vectors = new Map<number, Float32Array>();
    const ids = mentionIds(i, 1);
    const doc = docOf(i, 2, (j) => {
      if (ids.includes(j)) return byIndex.get(j)!;
      const l = store.allocateLabel(); vectors.set(l, vectorOf(i, j)); return l;
    });
    store.putDocument(doc, vectors);
    say(`put ${i} 2`);
  }
  if (i % 5 === 4) {
    store.removeDocument(docPath(i - 2));
    say(`rm ${i - 2}`);
  }
  if (every > 0 && (i - first + 1) % every === 0) {
    say('ckpt');
    await store.checkpoint();
    say('ckpt-done');
  }
}
await store.close();
say('finished');
}

main().catch((e) => { console.error(e); process.exit(1); });
