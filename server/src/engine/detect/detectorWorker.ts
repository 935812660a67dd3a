// Worker-thread entry of WorkerSpanDetector: loads the built-in tagger (and its word vectors) once,
// then detects spans for batches of sentences posted by the indexing thread. Spans come back as
// one flat Int32Array (start, end pairs) plus per-sentence counts, transferred, not copied.
// Given an encoder spec, it also loads the static encoder (sharing the word vectors) and embeds
// batches of mentions, so that the indexing thread only stores them.
import { parentPort, workerData } from 'node:worker_threads';
import { loadWordVectors } from '../encode/wordVectors.ts';
import { StaticEncoder, type StaticEncoderSpec } from '../encode/staticEncoder.ts';
import { loadDefaultDetector } from './index.ts';
import { detectByParagraph } from './paragraphNames.ts';

export interface DetectorWorkerData { cacheDir?: string; encoder?: StaticEncoderSpec }

/** `headings`: indices of the sentences that are Markdown headings; `paragraphs`: each sentence's paragraph index, or -1. */
export interface DetectRequest { kind: 'detect'; id: number; sentences: string[]; headings: number[]; paragraphs: Int32Array }
/** Mention i is `sentences[sentenceOf[i]]` from `starts[i]` to `ends[i]` (distinct sentences travel once). */
export interface EncodeRequest { kind: 'encode'; id: number; sentences: string[]; sentenceOf: Int32Array; starts: Int32Array; ends: Int32Array }
export type WorkerRequest = DetectRequest | EncodeRequest;
export type DetectReply =
  | { id: number; counts: Int32Array; offsets: Int32Array; ms: number }
  | { id: number; error: string };
/** `vectors`: count × dimension, row-major. */
export type EncodeReply = { id: number; vectors: Float32Array; dimension: number; ms: number } | { id: number; error: string };
export type WorkerHello =
  | { ready: true; detectorId: string; encoderId?: string; encoderError?: string }
  | { ready: false; error: string };

const port = parentPort;
if (!port) throw new Error('detectorWorker.ts runs as a worker thread (see workerDetector.ts)');
const data = (workerData ?? {}) as DetectorWorkerData;

let detector: ReturnType<typeof loadDefaultDetector>;
let encoder: StaticEncoder | undefined;
try {
  detector = loadDefaultDetector(loadWordVectors({ cacheDir: data.cacheDir }));
  let encoderError: string | undefined;
  if (data.encoder) {
    // A failure here leaves detection on this thread and encoding on the indexing thread.
    encoder = await StaticEncoder.create({ ...data.encoder, cacheDir: data.cacheDir, queryExpansion: false })
      .catch((e: Error) => { encoderError = e.message; return undefined; });
  }
  port.postMessage({ ready: true, detectorId: detector.id, encoderId: encoder?.id, encoderError } satisfies WorkerHello);
} catch (e) {
  port.postMessage({ ready: false, error: (e as Error).message } satisfies WorkerHello);
}

// Requests are answered one at a time, in order: an encode request waits for the detection
// posted before it (both are CPU work on this one thread anyway).
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  queue = queue.then(() => (request.kind === 'encode' ? encode(request) : detect(request)));
});

function detect({ id, sentences, headings, paragraphs }: DetectRequest): void {
  const heading = new Set(headings);
  const t = performance.now();
  try {
    const counts = new Int32Array(sentences.length);
    const flat: number[] = [];
    const all = detectByParagraph(detector, sentences.map((text, i) => ({ text, heading: heading.has(i), paragraph: paragraphs[i] >= 0 ? paragraphs[i] : undefined })));
    all.forEach((spans, i) => {
      counts[i] = spans.length;
      for (const span of spans) flat.push(span.start, span.end);
    });
    const offsets = Int32Array.from(flat);
    port!.postMessage({ id, counts, offsets, ms: performance.now() - t } satisfies DetectReply, [counts.buffer, offsets.buffer]);
  } catch (e) {
    port!.postMessage({ id, error: (e as Error).message } satisfies DetectReply);
  }
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
