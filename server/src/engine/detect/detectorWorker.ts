// Worker-thread entry of WorkerSpanDetector: loads the built-in tagger (and its word vectors) once,
// then detects spans for batches of sentences posted by the indexing thread. Spans come back as
// one flat Int32Array (start, end pairs) plus per-sentence counts, transferred, not copied.
// It also ingests whole documents (Markdown parse, sentences) before detecting their new
// paragraphs, and, given an encoder spec, loads the static encoder (sharing the word vectors) and
// embeds batches of mentions, so that the indexing thread mostly reads files and stores vectors.
import { parentPort, workerData } from 'node:worker_threads';
import { adoptSharedWordVectors, loadWordVectors, type SharedWordVectorCache, type WordVectors } from '../encode/wordVectors.ts';
import { StaticEncoder, type StaticEncoderSpec } from '../encode/staticEncoder.ts';
import { ingestText, type DocumentKind } from '../ingest/document.ts';
import { sentencesToDetect } from '../ingest/paragraphReuse.ts';
import type { IngestedDocument, SentenceToDetect } from '../types.ts';
import { loadDefaultDetector } from './index.ts';
import { detectByParagraph } from './paragraphNames.ts';

/** `wordVectors`: the indexing thread's word vectors in shared memory (the worker wraps them, no copy). */
export interface DetectorWorkerData { cacheDir?: string; encoder?: StaticEncoderSpec; wordVectors?: SharedWordVectorCache }

/**
 * `headings`: indices of the sentences that are Markdown headings; `paragraphs`: each sentence's
 * paragraph index, or -1; `positionalCapitals`: [sentence index, its paragraph's positional capitals];
 * `casedDocument`: indices of the sentences whose document writes names with capitals;
 * `namesInLowerCase`: [sentence index, its paragraph's lower-case names].
 */
export interface DetectRequest { kind: 'detect'; id: number; sentences: string[]; headings: number[]; paragraphs: Int32Array; positionalCapitals?: Array<[number, readonly string[]]>; casedDocument: number[]; namesInLowerCase?: Array<[number, readonly string[]]> }
/** Mention i is `sentences[sentenceOf[i]]` from `starts[i]` to `ends[i]` (distinct sentences travel once). */
export interface EncodeRequest { kind: 'encode'; id: number; sentences: string[]; sentenceOf: Int32Array; starts: Int32Array; ends: Int32Array }
/** A decoded document to ingest, then detect in its paragraphs that `previousHashes` lacks. */
export interface IngestRequest { kind: 'ingest'; id: number; path: string; text: string; documentKind: DocumentKind; previousHashes: string[] }
/** Finish the running request, drop the queued ones, release the models and exit. */
export interface CloseRequest { kind: 'close' }
export type WorkerRequest = DetectRequest | EncodeRequest | IngestRequest | CloseRequest;
export type DetectReply =
  | { id: number; counts: Int32Array; offsets: Int32Array; ms: number; ingested?: IngestedDocument; ingestMs?: number }
  | { id: number; error: string };
/** `vectors`: count × dimension, row-major. */
export type EncodeReply = { id: number; vectors: Float32Array; dimension: number; ms: number } | { id: number; error: string };
export type WorkerHello =
  | { ready: true; detectorId: string; encoderId?: string; encoderError?: string; wordVectorsShared: boolean }
  | { ready: false; error: string };

const port = parentPort;
if (!port) throw new Error('detectorWorker.ts runs as a worker thread (see workerDetector.ts)');
const data = (workerData ?? {}) as DetectorWorkerData;

let detector: ReturnType<typeof loadDefaultDetector>;
let encoder: StaticEncoder | undefined;
let wordVectorsShared = false;
try {
  let adopted: WordVectors | undefined;
  if (data.wordVectors) {
    try { adopted = adoptSharedWordVectors(data.wordVectors); } catch { /* loadWordVectors reads the file instead */ }
  }
  const wordVectors = loadWordVectors({ cacheDir: data.cacheDir });
  wordVectorsShared = adopted !== undefined && wordVectors === adopted;
  detector = loadDefaultDetector(wordVectors);
  let encoderError: string | undefined;
  if (data.encoder) {
    // A failure here leaves detection on this thread and encoding on the indexing thread.
    encoder = await StaticEncoder.create({ ...data.encoder, cacheDir: data.cacheDir, queryExpansion: false })
      .catch((e: Error) => { encoderError = e.message; return undefined; });
  }
  port.postMessage({ ready: true, detectorId: detector.id, encoderId: encoder?.id, encoderError, wordVectorsShared } satisfies WorkerHello);
} catch (e) {
  port.postMessage({ ready: false, error: (e as Error).message } satisfies WorkerHello);
}

// Requests are answered one at a time. Encoding goes first: the indexing thread waits for those
// vectors to store a batch, while the documents it sent for ingesting and detection are ahead of
// its need (each kind is still answered in order).
const encodeRequests: EncodeRequest[] = [];
const documentRequests: Array<DetectRequest | IngestRequest> = [];
let running = false;
let closing = false;
port.on('message', (request: WorkerRequest) => {
  if (request.kind === 'close') {
    closing = true;
    encodeRequests.length = 0;
    documentRequests.length = 0;
    if (!running) void exitWorker();
    return;
  }
  if (closing) return;
  if (request.kind === 'encode') encodeRequests.push(request); else documentRequests.push(request);
  void pump();
});

/** Exits between requests, never inside an onnxruntime call (see WorkerSpanDetector.close). */
async function exitWorker(): Promise<void> {
  await encoder?.dispose().catch(() => {});
  process.exit(0);
}

async function pump(): Promise<void> {
  if (running) return;
  running = true;
  try {
    for (;;) {
      const next = encodeRequests.shift() ?? documentRequests.shift();
      if (!next) break;
      if (next.kind === 'encode') await encode(next);
      else if (next.kind === 'ingest') ingest(next);
      else detect(next);
      // Let messages that arrived meanwhile (an encode request) in before the next pick.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    running = false;
    if (closing) void exitWorker();
  }
}

function detect({ id, sentences, headings, paragraphs, positionalCapitals, casedDocument, namesInLowerCase }: DetectRequest): void {
  const heading = new Set(headings);
  const cased = new Set(casedDocument);
  const positional = new Map(positionalCapitals);
  const lowerNames = new Map(namesInLowerCase);
  try {
    detectAndReply(id, sentences.map((text, i) => ({
      text, heading: heading.has(i), paragraph: paragraphs[i] >= 0 ? paragraphs[i] : undefined, ...(positional.has(i) ? { positionalCapitals: positional.get(i) } : {}), ...(cased.has(i) ? { casedDocument: true } : {}),
      ...(lowerNames.has(i) ? { namesInLowerCase: lowerNames.get(i) } : {}),
    })));
  } catch (e) {
    port!.postMessage({ id, error: (e as Error).message } satisfies DetectReply);
  }
}

function ingest({ id, path, text, documentKind, previousHashes }: IngestRequest): void {
  try {
    const t = performance.now();
    const ingested = ingestText(path, text, documentKind);
    detectAndReply(id, sentencesToDetect(ingested, previousHashes), { ingested, ingestMs: performance.now() - t });
  } catch (e) {
    port!.postMessage({ id, error: (e as Error).message } satisfies DetectReply);
  }
}

function detectAndReply(id: number, sentences: SentenceToDetect[], ingest?: { ingested: IngestedDocument; ingestMs: number }): void {
  const t = performance.now();
  const counts = new Int32Array(sentences.length);
  const flat: number[] = [];
  detectByParagraph(detector, sentences).forEach((spans, i) => {
    counts[i] = spans.length;
    for (const span of spans) flat.push(span.start, span.end);
  });
  const offsets = Int32Array.from(flat);
  const ms = performance.now() - t;
  port!.postMessage({ id, counts, offsets, ms, ...(ingest && { ingested: ingest.ingested, ingestMs: ingest.ingestMs }) } satisfies DetectReply, [counts.buffer, offsets.buffer]);
}

async function encode({ id, sentences, sentenceOf, starts, ends }: EncodeRequest): Promise<void> {
  const t = performance.now();
  try {
    if (!encoder) throw new Error('no encoder was loaded in this worker');
    const inputs = Array.from(sentenceOf, (s, i) => ({ sentence: sentences[s], start: starts[i], end: ends[i] }));
    const rows = await encoder.encodeMentions(inputs);
    const dimension = encoder.dimension;
    const vectors = new Float32Array(rows.length * dimension);
    rows.forEach((row, i) => vectors.set(row, i * dimension));
    port!.postMessage({ id, vectors, dimension, ms: performance.now() - t } satisfies EncodeReply, [vectors.buffer]);
  } catch (e) {
    port!.postMessage({ id, error: (e as Error).message } satisfies EncodeReply);
  }
}
