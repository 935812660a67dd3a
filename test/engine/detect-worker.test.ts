// The span detector (and the static encoder beside it) on a worker thread, and indexWorkspace's
// pipeline around it: same spans, same vectors, same store as on the indexing thread; a failing
// worker costs nothing but speed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { components, loadDefaultModels, openStore, type Models } from '../../server/src/engine/engine.ts';
import { StaticEncoder } from '../../server/src/engine/encode/staticEncoder.ts';
import { WorkerSpanDetector } from '../../server/src/engine/detect/workerDetector.ts';
import { detectByParagraph } from '../../server/src/engine/detect/paragraphNames.ts';
import { detectPlainText, indexCorpus, indexWorkspace, sentencesToDetect, type IndexReport } from '../../server/src/engine/indexer.ts';
import { ingestText } from '../../server/src/engine/ingest/document.ts';
import { NodeFileSystemWorkspace } from '../../server/src/engine/ingest/workspace.ts';
import type { BatchMentionEncoder, BatchSpanDetector, Logger, MentionInput } from '../../server/src/engine/types.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'workspace');

const SENTENCES = [
  'Angela Merkel visited Siemens in Munich on Tuesday.',
  'the rhine flows past basel and strasbourg.',
  'Down the Danube we went, past Vienna and Bratislava.',
  'Kraków lies on the Vistula; Gdańsk is on the Baltic.',
  '',
  '   ',
  '東京 is the capital of Japan 🇯🇵 and Ōsaka is not.',
];

describe('span detection on a worker thread', () => {
  let models: Models;
  let worker: WorkerSpanDetector;
  let tmp: string;
  before(async () => {
    models = await loadDefaultModels();
    worker = await WorkerSpanDetector.start({ expectedId: models.detector.id });
    tmp = scratchDir('ner-detect-worker-');
  });
  after(async () => {
    await worker?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('finds exactly the spans of the in-thread detector', async () => {
    const got = await worker.detectMany(SENTENCES.map((text) => ({ text })));
    assert.deepEqual(got, SENTENCES.map((s) => models.detector.detect(s)));
    // Headings travel with their flag: the worker drops their ordinary wording as the thread does.
    const headings = [{ text: 'Browser support', heading: true }, { text: 'Browser support' }, { text: 'Trip to Lisbon', heading: true }];
    assert.deepEqual(await worker.detectMany(headings), headings.map((s) => models.detector.detect(s.text, s)));
    assert.deepEqual((await worker.detectMany(headings))[0], []);
    // Paragraph indices travel too: the worker spreads a paragraph's names as the thread does.
    const paragraph = ['Many packages depend on Chalk.', 'Chalk has no dependencies.', 'Greta Thunberg spoke in Berlin.'].map((text, i) => ({ text, paragraph: i < 2 ? 0 : 1 }));
    const local = detectByParagraph(models.detector, paragraph);
    assert.deepEqual(await worker.detectMany(paragraph), local);
    assert.equal(local[1].length, 1, 'the sentence-initial name found through its paragraph');
    // And positional capitals: a lone first word the document writes in lower case is dropped there too.
    const positional = [{ text: 'Servers SHOULD handle all requests to the same location.', positionalCapitals: ['servers'] }, { text: 'Servers SHOULD handle all requests to the same location.' }];
    assert.deepEqual(await worker.detectMany(positional), positional.map((s) => models.detector.detect(s.text, s)));
    assert.deepEqual((await worker.detectMany(positional)).map((x) => x.length), [0, 1]);
    // And a cased document's flag: its sentences without capitals are read as cased prose there too.
    const item = 'to enable jack injection and watchdog resets on the hardware:';
    const flagged = [{ text: item, casedDocument: true }, { text: item }];
    const expected = flagged.map((s) => models.detector.detect(s.text, s));
    assert.deepEqual(await worker.detectMany(flagged), expected);
    assert.notDeepEqual(expected[0], expected[1]);
    assert.ok(got[0].length >= 2, 'names found at all');
    assert.ok(worker.busyMs > 0);
    assert.deepEqual(await worker.detectMany([]), []);
    // The worker wrapped this thread's word vectors (shared memory) instead of reading a copy.
    assert.equal(worker.wordVectorsShared, true);
  });

  test('a worker that would load another model is refused', async () => {
    await assert.rejects(WorkerSpanDetector.start({ expectedId: 'tagger-v0:other' }), /loaded tagger-v1:.*expected tagger-v0:other/);
  });

  /** Indexes a copy of the fixture workspace, edits one paragraph and indexes again. */
  async function indexTwice(name: string, startBatchDetector: (() => Promise<BatchSpanDetector | undefined>) | undefined, logger?: Logger) {
    const root = join(tmp, name);
    cpSync(FIXTURE, root, { recursive: true });
    const store = await openStore(join(tmp, `${name}-store`), models, { rebuild: true });
    const c = { ...components(models, store), startBatchDetector };
    const run = () => indexWorkspace(new NodeFileSystemWorkspace([root]), c, { logger, encodeBatch: 8, workerMinBytes: 1 });
    const reports: IndexReport[] = [await run()];
    const rivers = join(root, 'rivers.md');
    writeFileSync(rivers, readFileSync(rivers, 'utf8').replace('Danube', 'Danube (Duna)'));
    reports.push(await run());
    const docs = [...store.documents()].map((d) => ({
      path: d.path.slice(root.length),
      mentions: d.paragraphs.flatMap((p) => p.mentions.map((m) => ({ text: m.text, range: m.range, vector: Array.from(store.vector(m.label)!) }))),
    })).sort((a, b) => a.path.localeCompare(b.path));
    await store.close();
    return { reports, docs };
  }

  test('indexWorkspace with the worker stores what it stores without, and re-embeds only the edit', async () => {
    const plain = await indexTwice('plain', undefined);
    let started = 0;
    const piped = await indexTwice('piped', () => { started++; return WorkerSpanDetector.start({ expectedId: models.detector.id }); });
    assert.equal(started, 2, 'one worker per indexing run, closed at its end');
    assert.deepEqual(piped.docs, plain.docs);
    assert.ok(piped.docs.reduce((n, d) => n + d.mentions.length, 0) > 10);
    for (const i of [0, 1]) {
      assert.equal(piped.reports[i].mentionsEmbedded, plain.reports[i].mentionsEmbedded);
      assert.equal(piped.reports[i].paragraphsEmbedded, plain.reports[i].paragraphsEmbedded);
    }
    assert.equal(piped.reports[1].filesIndexed, 1, 'only rivers.md changed');
    assert.ok(piped.reports[1].paragraphsReused > 0);
    assert.ok((piped.reports[0].timings.detectOffThreadMs ?? 0) > 0);
  });

  test('a .jsonl corpus: the worker detects documents without spans, and is never started when every document has spans', async () => {
    const texts = SENTENCES.filter((t) => t.trim()).map((t, i) => `${t} Document ${i} was written in Berlin by Greta Thunberg.`);
    const withoutSpans = texts.map((text, i) => JSON.stringify({ id: `d${i}`, text })).join('\n');
    const withSpans = texts.map((text, i) => JSON.stringify({ id: `d${i}`, text, spans: [[0, 5]] })).join('\n');
    const run = async (name: string, corpus: string, start?: () => Promise<BatchSpanDetector | undefined>) => {
      const store = await openStore(join(tmp, `${name}-store`), models, { rebuild: true });
      const report = await indexCorpus(join(tmp, `${name}.jsonl`), corpus, { ...components(models, store), startBatchDetector: start }, { workerMinBytes: 1 });
      const mentions = [...store.documents()].sort((a, b) => a.path.localeCompare(b.path))
        .flatMap((d) => d.paragraphs.flatMap((p) => p.mentions.map((m) => [d.docId, m.start, m.end, m.text])));
      await store.close();
      return { report, mentions };
    };
    let started = 0;
    const start = () => { started++; return WorkerSpanDetector.start({ expectedId: models.detector.id }); };
    const plain = await run('corpus-plain', withoutSpans);
    const piped = await run('corpus-piped', withoutSpans, start);
    assert.equal(started, 1);
    assert.deepEqual(piped.mentions, plain.mentions);
    assert.ok(plain.mentions.length > texts.length, 'names were detected');
    assert.ok((piped.report.timings.detectOffThreadMs ?? 0) > 0);
    const given = await run('corpus-spans', withSpans, start);
    assert.equal(started, 1, 'given spans need no detector');
    assert.equal(given.mentions.length, texts.length);
  });

  test('detectPlainText (the evaluations\' detection) finds exactly the mentions index stores for a .jsonl document', async () => {
    const texts = SENTENCES.filter((t) => t.trim()).map((t, i) => `Great video! ${t} Document ${i} was written in Berlin by Greta Thunberg.\n\nYou saw it in Paris.`);
    const store = await openStore(join(tmp, 'eval-path-store'), models, { rebuild: true });
    await indexCorpus(join(tmp, 'eval-path.jsonl'), texts.map((text, i) => JSON.stringify({ id: `d${i}`, text })).join('\n'), components(models, store));
    const stored = [...store.documents()].sort((a, b) => a.path.localeCompare(b.path))
      .map((d) => d.paragraphs.flatMap((p) => p.mentions.map((m) => [m.start, m.end])));
    await store.close();
    const evaluated = texts.map((text) => detectPlainText(models.detector, text)
      .flatMap(({ sentence, spans }) => spans.map((x) => [sentence.start + x.start, sentence.start + x.end])));
    assert.deepEqual(evaluated, stored);
    assert.ok(stored.flat().length >= 3 * texts.length, 'names were detected in every sentence');
  });

  test('a .jsonl document with given spans and no longer than a sentence is encoded whole, as eval does; a longer one sentence by sentence', async () => {
    const short = 'Great video ! I loved the Danube in Vienna .';
    const long = `${'We walked for hours along the quiet river bank and talked about nothing in particular. '.repeat(5)}Then we saw the Danube.`;
    const spanOf = (text: string, word: string): [number, number] => { const at = text.indexOf(word); return [at, at + word.length]; };
    const docs = [{ id: 'short', text: short, spans: [spanOf(short, 'Danube')] }, { id: 'long', text: long, spans: [spanOf(long, 'Danube')] }];
    const store = await openStore(join(tmp, 'given-spans-store'), models, { rebuild: true });
    await indexCorpus(join(tmp, 'given.jsonl'), docs.map((d) => JSON.stringify(d)).join('\n'), components(models, store));
    const stored = (id: string) => {
      const doc = [...store.documents()].find((d) => d.docId === id)!;
      return store.vector(doc.paragraphs.flatMap((p) => p.mentions)[0].label)!;
    };
    const [wholeShort] = await models.encoder.encodeMentions([{ sentence: short, start: docs[0].spans[0][0], end: docs[0].spans[0][1] }]);
    const lastSentence = 'Then we saw the Danube.';
    const [ownSentence] = await models.encoder.encodeMentions([{ sentence: lastSentence, start: lastSentence.indexOf('Danube'), end: lastSentence.indexOf('Danube') + 6 }]);
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);
    assert.ok(cos(stored('short'), wholeShort) > 0.9999, 'the whole comment is the context');
    assert.ok(cos(stored('long'), ownSentence) > 0.9999, 'a long document keeps its sentences');
    await store.close();
  });

  test('no worker for small jobs (default: under 2 MB to read) or when nothing changed', async () => {
    const root = join(tmp, 'small');
    cpSync(FIXTURE, root, { recursive: true });
    const store = await openStore(join(tmp, 'small-store'), models, { rebuild: true });
    let started = 0;
    const c = { ...components(models, store), startBatchDetector: async () => { started++; return undefined; } };
    const first = await indexWorkspace(new NodeFileSystemWorkspace([root]), c);
    assert.ok(first.filesIndexed > 0);
    assert.equal(started, 0, 'the fixture is far below 2 MB');
    const again = await indexWorkspace(new NodeFileSystemWorkspace([root]), c, { workerMinBytes: 1 });
    assert.equal(again.filesIndexed, 0);
    assert.equal(started, 0, 'nothing to read, no worker');
    await store.close();
  });

  test('a failing batch detector costs nothing but speed: indexing falls back to the in-thread detector', async () => {
    const warnings: string[] = [];
    const logger: Logger = { error() {}, warn: (m) => warnings.push(m), info() {}, debug() {} };
    const broken: BatchSpanDetector = {
      id: models.detector.id, busyMs: 0,
      detectMany: () => Promise.reject(new Error('worker crashed')),
      close: async () => {},
    };
    const plain = await indexTwice('plain2', undefined);
    const fallback = await indexTwice('broken', async () => broken, logger);
    assert.deepEqual(fallback.docs, plain.docs);
    assert.match(warnings.join('\n'), /worker crashed; detecting on this thread instead/);
  });
  /** A worker that detects and encodes, as `components(…, { detectorWorker: true })` starts it. */
  const startEncodingWorker = () => WorkerSpanDetector.start({
    expectedId: models.detector.id, encoder: { spec: (models.encoder as StaticEncoder).spec, expectedId: models.encoder.id },
  });

  test('the worker encodes mentions exactly as the indexing thread does, bit for bit', async () => {
    const encoding = await startEncodingWorker();
    try {
      assert.equal(encoding.encoder?.id, models.encoder.id);
      const inputs: MentionInput[] = SENTENCES.filter((t) => t.trim()).flatMap((sentence) =>
        models.detector.detect(sentence).map((span) => ({ sentence, ...span })));
      inputs.push({ sentence: 'Kraków', start: 0, end: 6 }, { sentence: SENTENCES[0], start: 0, end: 6 });
      assert.ok(inputs.length > 8);
      const off = await encoding.encoder!.encodeMentions(inputs);
      const here = await models.encoder.encodeMentions(inputs);
      assert.deepEqual(off.map((v) => Array.from(v)), here.map((v) => Array.from(v)));
      assert.equal(off[0].length, models.encoder.dimension);
      assert.ok(encoding.encoder!.busyMs > 0);
      assert.deepEqual(await encoding.encoder!.encodeMentions([]), []);
      // Detection still answers between encodings, in order.
      assert.deepEqual(await encoding.detectMany([{ text: SENTENCES[0] }]), [models.detector.detect(SENTENCES[0])]);
    } finally {
      await encoding.close();
    }
    await assert.rejects(encoding.encoder!.encodeMentions([{ sentence: 'Vienna', start: 0, end: 6 }]), /closed/);
  });

  test('a worker whose encoder would embed differently detects but does not encode', async () => {
    const other = await WorkerSpanDetector.start({
      expectedId: models.detector.id, encoder: { spec: (models.encoder as StaticEncoder).spec, expectedId: 'static-v0:other' },
    });
    assert.equal(other.encoder, undefined);
    assert.deepEqual(await other.detectMany([{ text: SENTENCES[0] }]), [models.detector.detect(SENTENCES[0])]);
    await other.close();
    const missingHead = await WorkerSpanDetector.start({
      expectedId: models.detector.id, encoder: { spec: { ...(models.encoder as StaticEncoder).spec, headPath: join(tmp, 'no-such-head.onnx') }, expectedId: models.encoder.id },
    });
    assert.equal(missingHead.encoder, undefined, 'a head that cannot be loaded leaves encoding to the indexing thread');
    assert.match(missingHead.encoderProblem ?? '', /head not found/);
    assert.match(other.encoderProblem ?? '', /expected static-v0:other/);
    await missingHead.close();
  });

  test('indexWorkspace with detection and encoding on the worker stores what it stores without', async () => {
    const plain = await indexTwice('plain3', undefined);
    const reports: IndexReport[] = [];
    const piped = await indexTwice('piped-encoding', startEncodingWorker);
    assert.deepEqual(piped.docs, plain.docs, 'same mentions, ranges and vectors');
    for (const i of [0, 1]) {
      assert.equal(piped.reports[i].mentionsEmbedded, plain.reports[i].mentionsEmbedded);
      reports.push(piped.reports[i]);
    }
    assert.ok((reports[0].timings.encodeOffThreadMs ?? 0) > 0, 'the worker encoded');
    assert.ok((reports[0].timings.ingestOffThreadMs ?? 0) > 0, 'the worker parsed the files');
    assert.ok(reports[0].mentionsEmbedded > 8, 'more than one batch of 8: batches overlapped');
    if (availableParallelism() >= 2) {
      const store = await openStore(join(tmp, 'wired-store'), models, { rebuild: true });
      const started = await components(models, store, { detectorWorker: true }).startBatchDetector!();
      assert.equal(started?.encoder?.id, models.encoder.id, 'components() starts the worker with the static encoder');
      await started?.close();
      await store.close();
    }
  });

  test('while the worker is behind with detection, the indexing thread encodes batches itself: same vectors', async () => {
    // Detection answers late, so the next document's spans are not back when a batch is ready.
    let offThreadBatches = 0;
    const slow = async (): Promise<BatchSpanDetector> => {
      const worker = await startEncodingWorker();
      const encoder = worker.encoder!;
      return {
        id: worker.id, get busyMs() { return worker.busyMs; }, close: () => worker.close(), detectMany: (x) => worker.detectMany(x),
        ingestAndDetect: async (d) => { const got = await worker.ingestAndDetect(d); await new Promise((r) => setTimeout(r, 100)); return got; },
        encoder: { id: encoder.id, get busyMs() { return encoder.busyMs; }, encodeMentions: (inputs) => { offThreadBatches++; return encoder.encodeMentions(inputs); } },
      };
    };
    const plain = await indexTwice('plain6', undefined);
    const piped = await indexTwice('behind', slow);
    assert.deepEqual(piped.docs, plain.docs, 'same mentions, ranges and vectors');
    const here = piped.reports[0].timings.batchesEncodedHere ?? 0;
    assert.ok(here > 0, 'batches encoded on the indexing thread while the worker was behind');
    assert.ok(offThreadBatches > 0, 'and the rest on the worker (the last, at the end, when nothing is in flight)');
  });

  test('a failing worker encoder costs nothing but speed: the indexing thread encodes instead', async () => {
    const warnings: string[] = [];
    const logger: Logger = { error() {}, warn: (m) => warnings.push(m), info() {}, debug() {} };
    let calls = 0;
    const brokenEncoder: BatchMentionEncoder = { id: models.encoder.id, busyMs: 0, encodeMentions: () => { calls++; return Promise.reject(new Error('encoder crashed')); } };
    const start = async (): Promise<BatchSpanDetector> => {
      const worker = await WorkerSpanDetector.start({ expectedId: models.detector.id });
      return { id: worker.id, get busyMs() { return worker.busyMs; }, detectMany: (s) => worker.detectMany(s), encoder: brokenEncoder, close: () => worker.close() };
    };
    const plain = await indexTwice('plain4', undefined);
    const fallback = await indexTwice('broken-encoder', start, logger);
    assert.deepEqual(fallback.docs, plain.docs);
    const runsThatEncoded = fallback.reports.filter((r) => r.mentionsEmbedded > 0).length;
    assert.ok(runsThatEncoded >= 1);
    assert.equal(warnings.filter((w) => /encoder crashed; encoding on this thread instead/.test(w)).length, runsThatEncoded, 'one warning per run');
    // Per run: the first batch, and the (at most two) handed over before its failure came back.
    assert.ok(calls >= runsThatEncoded && calls <= 3 * runsThatEncoded, `the broken encoder was left alone after failing (${calls} calls)`);
  });
  test('cancelling a run that detects and encodes on the worker keeps every stored document whole; a re-run completes the store', async () => {
    // Forty copies of the fixture's prose files: more documents than the pipeline keeps in flight
    // (64), so that some are stored, and others in flight or in batches, when the run is cancelled.
    const root = join(tmp, 'cancel');
    for (let i = 0; i < 40; i++) for (const f of ['rivers.md', 'people.md', 'companies.txt']) cpSync(join(FIXTURE, f), join(root, `${i}-${f}`));
    const snapshot = (store: Awaited<ReturnType<typeof openStore>>) => [...store.documents()].map((d) => ({
      path: d.path.slice(root.length),
      mentions: d.paragraphs.flatMap((p) => p.mentions.map((m) => ({ text: m.text, vector: store.vector(m.label) && Array.from(store.vector(m.label)!) }))),
    })).sort((a, b) => a.path.localeCompare(b.path));
    const plainStore = await openStore(join(tmp, 'cancel-plain-store'), models, { rebuild: true });
    await indexWorkspace(new NodeFileSystemWorkspace([root]), components(models, plainStore), { encodeBatch: 8 });
    const plain = snapshot(plainStore);
    await plainStore.close();

    const dir = join(tmp, 'cancel-store');
    let store = await openStore(dir, models, { rebuild: true });
    const token = { isCancellationRequested: false };
    const c = { ...components(models, store), startBatchDetector: startEncodingWorker };
    await assert.rejects(indexWorkspace(new NodeFileSystemWorkspace([root]), c, {
      encodeBatch: 8, workerMinBytes: 1, token, progress: (p) => { if (p.done >= 90) token.isCancellationRequested = true; },
    }), { name: 'CancelledError' });
    await store.close();
    store = await openStore(dir, models);
    const partial = snapshot(store);
    assert.ok(partial.length > 0 && partial.length < plain.length, `cancelled mid-way (${partial.length} of ${plain.length} documents stored)`);
    const byPath = new Map(plain.map((d) => [d.path, d]));
    for (const d of partial) assert.deepEqual(d, byPath.get(d.path), `${d.path} stored whole, with every vector`);
    await indexWorkspace(new NodeFileSystemWorkspace([root]), { ...components(models, store), startBatchDetector: startEncodingWorker }, { encodeBatch: 8, workerMinBytes: 1 });
    assert.deepEqual(snapshot(store), plain);
    await store.close();
  });
  test('the worker ingests a document as the indexing thread does, and detects exactly its new paragraphs', async () => {
    const before = '---\ntitle: Trip\n---\n# Down the Danube\n\nWe boarded in Passau.\r\n\n```\nAngela Merkel\n```\n\nThen Vienna, then Bratislava. Budapest was last.\n';
    const after = before.replace('Then Vienna', 'Then Vienna and Győr').concat('\n- Kraków with Ana Souza\n');
    const previous = ingestText('/notes/trip.md', before, 'markdown');
    const previousHashes = previous.paragraphs.map((p) => p.hash);
    for (const [text, hashes] of [[before, []], [after, previousHashes], [after, []], [before, previousHashes]] as const) {
      const got = await worker.ingestAndDetect({ path: '/notes/trip.md', text, kind: 'markdown', previousHashes: [...hashes] });
      const ingested = ingestText('/notes/trip.md', text, 'markdown');
      assert.deepEqual(got.ingested, ingested);
      const stored = hashes.length ? { paragraphs: previous.paragraphs.map((p) => ({ hash: p.hash })) } : undefined;
      const expected = detectByParagraph(models.detector, sentencesToDetect(ingested, stored as never));
      assert.deepEqual(got.spans, expected);
      if (text === before && hashes.length) assert.deepEqual(got.spans, [], 'nothing new, nothing detected');
    }
    const edited = await worker.ingestAndDetect({ path: '/notes/trip.md', text: after, kind: 'markdown', previousHashes });
    assert.equal(edited.spans.length, 3, 'only the edited paragraph\'s two sentences and the new list item');
    assert.ok(worker.ingestBusyMs > 0);
  });

  test('a worker that fails to ingest costs nothing but speed: the indexing thread ingests and detects instead', async () => {
    const warnings: string[] = [];
    const logger: Logger = { error() {}, warn: (m) => warnings.push(m), info() {}, debug() {} };
    const start = async (): Promise<BatchSpanDetector> => {
      const real = await WorkerSpanDetector.start({ expectedId: models.detector.id });
      return {
        id: real.id, busyMs: 0, detectMany: (s) => real.detectMany(s), close: () => real.close(),
        ingestAndDetect: () => Promise.reject(new Error('ingest crashed')),
      };
    };
    const plain = await indexTwice('plain5', undefined);
    const fallback = await indexTwice('broken-ingest', start, logger);
    assert.deepEqual(fallback.docs, plain.docs);
    assert.match(warnings.join('\n'), /ingest crashed; detecting on this thread instead/);
  });
  test('closing the worker while it encodes lets the running request finish, so nothing aborts the process', async () => {
    // Stopping the thread inside an onnxruntime call aborted the whole process ("terminate called
    // after throwing an instance of 'Napi::Error'"): close() must wait for the request instead.
    const sentence = SENTENCES[0];
    const inputs: MentionInput[] = Array.from({ length: 20_000 }, (_, i) => ({ sentence: `${sentence} ${i}`, start: 0, end: 13 }));
    for (const delayMs of [10, 30, 60]) { // the abort was racy: several moments into the encoding
      const encoding = await startEncodingWorker();
      const pending = encoding.encoder!.encodeMentions(inputs);
      pending.catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, delayMs)); // the worker is inside its first ONNX batches
      const t = performance.now();
      await encoding.close();
      await assert.rejects(pending, /closed/);
      assert.ok(performance.now() - t < 25_000, 'closed without waiting for the terminate fallback');
      await assert.rejects(encoding.detectMany([{ text: sentence }]), /closed/);
    }
  });
});
