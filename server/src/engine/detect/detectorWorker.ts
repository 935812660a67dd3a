// Worker-thread entry of WorkerSpanDetector: loads the built-in tagger (and its word vectors) once,
// then detects spans for batches of sentences posted by the indexing thread. Spans come back as
// one flat Int32Array (start, end pairs) plus per-sentence counts, transferred, not copied.
import { parentPort, workerData } from 'node:worker_threads';
import { loadWordVectors } from '../encode/wordVectors.ts';
import { loadDefaultDetector } from './index.ts';
import { detectByParagraph } from './paragraphNames.ts';

/** `headings`: indices of the sentences that are Markdown headings; `paragraphs`: each sentence's paragraph index, or -1. */
export interface DetectRequest { id: number; sentences: string[]; headings: number[]; paragraphs: Int32Array }
export type DetectReply =
  | { id: number; counts: Int32Array; offsets: Int32Array; ms: number }
  | { id: number; error: string };
export type WorkerHello = { ready: true; detectorId: string } | { ready: false; error: string };

const port = parentPort;
if (!port) throw new Error('detectorWorker.ts runs as a worker thread (see workerDetector.ts)');

let detector: ReturnType<typeof loadDefaultDetector>;
try {
  detector = loadDefaultDetector(loadWordVectors({ cacheDir: (workerData as { cacheDir?: string } | undefined)?.cacheDir }));
  port.postMessage({ ready: true, detectorId: detector.id } satisfies WorkerHello);
} catch (e) {
  port.postMessage({ ready: false, error: (e as Error).message } satisfies WorkerHello);
}

port.on('message', ({ id, sentences, headings, paragraphs }: DetectRequest) => {
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
    port.postMessage({ id, counts, offsets, ms: performance.now() - t } satisfies DetectReply, [counts.buffer, offsets.buffer]);
  } catch (e) {
    port.postMessage({ id, error: (e as Error).message } satisfies DetectReply);
  }
});
