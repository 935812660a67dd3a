// Child process for the lock race test: waits for a wall-clock instant, opens the store as a
// writer, writes its document, holds the store a while and closes it. Prints GOT <from> <to> (the
// time it held the store) or REFUSED <message>.
// argv: dir at holdMs
import { writeSync } from 'node:fs';
import { MentionStore } from '../../server/src/engine/index/store.ts';
import { IDENTITY, makeDoc, mentionVector } from './storeFixtures.ts';

const [dir, atS, holdS] = process.argv.slice(2);
const at = Number(atS);
while (Date.now() < at) { /* line up with the other contenders */ }
try {
  const store = await MentionStore.open(dir, IDENTITY);
  const gotAt = Date.now();
  const i = process.pid;
  const vectors = new Map<number, Float32Array>();
  store.putDocument(makeDoc(i, 1, (j) => { const l = store.allocateLabel(); vectors.set(l, mentionVector(i, j)); return l; }), vectors);
  await new Promise((resolve) => setTimeout(resolve, Number(holdS)));
  const releasedAt = Date.now();
  await store.close();
  writeSync(1, `GOT ${gotAt} ${releasedAt}\n`);
} catch (e) {
  writeSync(1, `REFUSED ${(e as Error).message}\n`);
}
