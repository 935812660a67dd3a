// A burst of file events, as a branch switch or an unzip produces, through WorkspaceIndex (the
// language server's change queue): N small notes are indexed, then half are deleted, as many new
// ones created (a quarter of them copies of deleted ones: renames) and a quarter edited, with one
// updateFile per event. Measures how long queueing the events blocks the event loop, the time
// until the index is quiescent again, and the longest event-loop gap meanwhile.
//   npx tsx bench/event-storm.ts [--files 10000]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptArgs } from './args.ts';
import { loadDefaultModels } from '../server/src/engine/engine.ts';
import { WorkspaceIndex } from '../server/src/engine/workspaceIndex.ts';

const { values } = scriptArgs({ options: { files: { type: 'string', default: '10000' } } }, import.meta.url);
const n = Number(values.files);
const root = mkdtempSync(join(tmpdir(), 'ner-storm-'));
const ws = join(root, 'ws');
mkdirSync(ws);
const places = ['Vienna', 'Prague', 'Basel', 'Lyon', 'Turin', 'Ghent', 'Porto', 'Krakow', 'Tartu', 'Split'];
const rivers = ['Danube', 'Vltava', 'Rhine', 'Rhone', 'Po', 'Scheldt', 'Douro', 'Vistula', 'Emajogi', 'Jadro'];
const note = (i: number) => `# Note ${i}\n\nThe ${rivers[i % 10]} flows past ${places[(i * 7) % 10]}; note ${i} was written by Anna Novak for Siemens.\n`;
const file = (name: string) => join(ws, `${name}.md`);
for (let i = 0; i < n; i++) writeFileSync(file(`note-${i}`), note(i));

const base = await loadDefaultModels();
let embedded = 0; // mentions sent to the encoder
const models = {
  detector: base.detector,
  encoder: { id: base.encoder.id, dimension: base.encoder.dimension,
    encodeMentions: (m: Parameters<typeof base.encoder.encodeMentions>[0], t?: Parameters<typeof base.encoder.encodeMentions>[1]) => { embedded += m.length; return base.encoder.encodeMentions(m, t); },
    encodeQuery: (q: string) => base.encoder.encodeQuery(q) },
};
const index = await WorkspaceIndex.open({ roots: [ws], storeDir: join(root, 'store'), models });
let t = performance.now();
await index.indexAll();
console.error(`indexed ${n} notes in ${((performance.now() - t) / 1000).toFixed(1)} s (${index.mentionCount} mentions)`);

// The burst, on disk first (as git would), then one event per file.
const events: string[] = [];
for (let i = 0; i < n / 2; i++) { rmSync(file(`note-${i}`)); events.push(file(`note-${i}`)); }
for (let i = 0; i < n / 2; i++) {
  const name = `new-${i}`;
  writeFileSync(file(name), i < n / 4 ? note(i) : note(n + i)); // the first quarter: moved notes
  events.push(file(name));
}
for (let i = n / 2; i < (3 * n) / 4; i++) { writeFileSync(file(`note-${i}`), `${note(i)}\nEdited: the Inn joins the ${rivers[i % 10]}.\n`); events.push(file(`note-${i}`)); }

let last = performance.now();
let maxGap = 0;
const timer = setInterval(() => { const now = performance.now(); maxGap = Math.max(maxGap, now - last); last = now; }, 5);
embedded = 0;
t = performance.now();
for (const path of events) void index.updateFile(path);
const queueMs = performance.now() - t;
await index.whenQuiescent();
const totalMs = performance.now() - t;
clearInterval(timer);
console.log(`| events | queueing them (event loop blocked) | until quiescent | longest event-loop gap | mentions embedded | documents after |`);
console.log(`|---|---|---|---|---|---|`);
console.log(`| ${events.length} (${n / 2} deleted, ${n / 2} created of which ${n / 4} moved, ${n / 4} edited) | ${queueMs.toFixed(0)} ms | ${(totalMs / 1000).toFixed(1)} s | ${maxGap.toFixed(0)} ms | ${embedded} | ${index.documentCount} |`);
await index.close();
rmSync(root, { recursive: true, force: true });
