// The built-in tagger on a worker thread, so that span detection of one document overlaps the
// encoding and HNSW inserts of the previous ones (the indexer keeps a few documents in flight).
// Given the static encoder's spec, the worker embeds mentions too, so that the indexing thread
// is left with storing them. Results are identical to the in-thread TaggerDetector and
// StaticEncoder: the worker loads the same model files and is refused when its ids differ.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BatchMentionEncoder, BatchSpanDetector, DocumentToIngest, IngestedDocument, MentionInput, OffsetSpan, SentenceToDetect } from '../types.ts';
import type { StaticEncoderSpec } from '../encode/staticEncoder.ts';
import { sharedWordVectorCache } from '../encode/wordVectors.ts';
import type { CloseRequest, DetectReply, DetectRequest, DetectorWorkerData, EncodeReply, EncodeRequest, IngestRequest, WorkerHello } from './detectorWorker.ts';

/** How long close() waits for the worker to finish its current request before terminating it. */
const CLOSE_TIMEOUT_MS = 30_000;

/**
 * A worker running detectorWorker.mjs beside the bundle (dist/), else the TypeScript source
 * beside this module; tsx's loader does not reach worker threads by itself (tsx issue 354), so
 * the source is imported after registering it in the worker.
 */
function startWorker(workerData: DetectorWorkerData): Worker {
  const bundled = new URL('./detectorWorker.mjs', import.meta.url);
  if (existsSync(fileURLToPath(bundled))) return new Worker(bundled, { workerData });
  const source = new URL('./detectorWorker.ts', import.meta.url);
  if (!existsSync(fileURLToPath(source))) throw new Error(`span-detector worker script not found beside ${fileURLToPath(import.meta.url)}`);
  // Resolved here, not in the worker: a bare specifier there would resolve from the process's cwd.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export class WorkerSpanDetector implements BatchSpanDetector {
  private nextId = 0;
  private readonly pending = new Map<number, { settle(reply: DetectReply | EncodeReply): void; reject(e: Error): void }>();
  private failure: Error | undefined;
  private exited = false;
  /** Milliseconds the worker spent detecting (its own clock), for per-stage timings. */
  busyMs = 0;
  /** Milliseconds the worker spent ingesting documents (ingestAndDetect). */
  ingestBusyMs = 0;
  readonly encoder: BatchMentionEncoder | undefined;
  /** Why an encoder asked for is not there (it failed to load, or would embed differently). */
  encoderProblem: string | undefined;
  /** Whether the worker uses this thread's word vectors in shared memory rather than a copy of its own. */
  wordVectorsShared = false;

  private constructor(private readonly worker: Worker, readonly id: string, encoderId: string | undefined) {
    worker.on('message', (reply: DetectReply | EncodeReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      p.settle(reply);
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => { this.exited = true; fail(new Error(`span-detector worker exited (code ${code})`)); });
    worker.unref(); // only pending requests keep the process alive (see post)
    if (encoderId !== undefined) {
      const encoder = { id: encoderId, busyMs: 0, encodeMentions: (mentions: MentionInput[]) => this.encodeMentions(mentions, encoder) };
      this.encoder = encoder;
    }
  }

  /**
   * Starts the worker and waits until its model is loaded. `expectedId` is the id of the
   * in-thread detector: a worker that would detect differently is refused (an Error).
   */
  static async start(options: { expectedId: string; cacheDir?: string; encoder?: { spec: StaticEncoderSpec; expectedId: string } }): Promise<WorkerSpanDetector> {
    const worker = startWorker({ cacheDir: options.cacheDir, encoder: options.encoder?.spec, wordVectors: sharedWordVectorCache(options.cacheDir) });
    let onMessage!: (hello: WorkerHello) => void, onError!: (e: Error) => void, onExit!: (code: number) => void;
    const hello = await new Promise<WorkerHello>((resolve, reject) => {
      onMessage = resolve;
      onError = reject;
      onExit = (code) => reject(new Error(`span-detector worker exited (code ${code}) before it was ready`));
      worker.once('message', onMessage).once('error', onError).once('exit', onExit);
    }).catch(async (e: Error) => { await worker.terminate(); throw e; });
    // Only these: Worker keeps internal listeners of its own (removeAllListeners breaks messaging).
    worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    if (!hello.ready || hello.detectorId !== options.expectedId) {
      await worker.terminate();
      throw new Error(hello.ready
        ? `span-detector worker loaded ${hello.detectorId}, expected ${options.expectedId}`
        : `span-detector worker failed to load its model: ${hello.error}`);
    }
    // An encoder that failed to load, or would embed differently, is left out: the indexing
    // thread then encodes, as without a worker.
    const encoderId = options.encoder && hello.encoderId === options.encoder.expectedId ? hello.encoderId : undefined;
    const detector = new WorkerSpanDetector(worker, hello.detectorId, encoderId);
    detector.wordVectorsShared = hello.wordVectorsShared;
    if (options.encoder && !encoderId) {
      detector.encoderProblem = hello.encoderError ?? `the worker's encoder is ${hello.encoderId}, expected ${options.encoder.expectedId}`;
    }
    return detector;
  }

  detectMany(sentences: SentenceToDetect[]): Promise<OffsetSpan[][]> {
    if (sentences.length === 0) return this.failure ? Promise.reject(this.failure) : Promise.resolve([]);
    // Plain strings clone fastest; headings, positional capitals and cased documents travel by index.
    const positional: Array<[number, readonly string[]]> = [];
    const lowerNames: Array<[number, readonly string[]]> = [];
    sentences.forEach((s, i) => {
      if (s.positionalCapitals) positional.push([i, s.positionalCapitals]);
      if (s.namesInLowerCase) lowerNames.push([i, s.namesInLowerCase]);
    });
    const request: Omit<DetectRequest, 'id'> = {
      kind: 'detect', sentences: sentences.map((s) => s.text), headings: sentences.flatMap((s, i) => (s.heading ? [i] : [])),
      paragraphs: Int32Array.from(sentences, (s) => s.paragraph ?? -1), ...(positional.length ? { positionalCapitals: positional } : {}), ...(lowerNames.length ? { namesInLowerCase: lowerNames } : {}),
      casedDocument: sentences.flatMap((s, i) => (s.casedDocument ? [i] : [])),
    };
    return this.post<DetectReply, OffsetSpan[][]>(request, (reply) => this.spansOf(reply));
  }

  ingestAndDetect(document: DocumentToIngest): Promise<{ ingested: IngestedDocument; spans: OffsetSpan[][] }> {
    const request: Omit<IngestRequest, 'id'> = { kind: 'ingest', path: document.path, text: document.text, documentKind: document.kind, previousHashes: document.previousHashes };
    return this.post<DetectReply, { ingested: IngestedDocument; spans: OffsetSpan[][] }>(request, (reply) => {
      const spans = this.spansOf(reply);
      if ('error' in reply || !reply.ingested) throw new Error('the worker sent spans without the ingested document');
      this.ingestBusyMs += reply.ingestMs ?? 0;
      return { ingested: reply.ingested, spans };
    });
  }

  /** Per-sentence spans from a detection reply (or its error, thrown). */
  private spansOf(reply: DetectReply): OffsetSpan[][] {
    if ('error' in reply) throw new Error(`span detection failed in the worker: ${reply.error}`);
    this.busyMs += reply.ms;
    const out: OffsetSpan[][] = new Array(reply.counts.length);
    let k = 0;
    for (let i = 0; i < reply.counts.length; i++) {
      const spans: OffsetSpan[] = new Array(reply.counts[i]);
      for (let j = 0; j < spans.length; j++, k += 2) spans[j] = { start: reply.offsets[k], end: reply.offsets[k + 1] };
      out[i] = spans;
    }
    return out;
  }

  private encodeMentions(mentions: MentionInput[], encoder: { busyMs: number }): Promise<Float32Array[]> {
    if (mentions.length === 0) return this.failure ? Promise.reject(this.failure) : Promise.resolve([]);
    // Mentions of one sentence share its string: each distinct sentence travels once.
    const sentenceIndex = new Map<string, number>();
    const sentences: string[] = [];
    const sentenceOf = new Int32Array(mentions.length);
    mentions.forEach((m, i) => {
      let s = sentenceIndex.get(m.sentence);
      if (s === undefined) { s = sentences.push(m.sentence) - 1; sentenceIndex.set(m.sentence, s); }
      sentenceOf[i] = s;
    });
    const request: Omit<EncodeRequest, 'id'> = {
      kind: 'encode', sentences, sentenceOf, starts: Int32Array.from(mentions, (m) => m.start), ends: Int32Array.from(mentions, (m) => m.end),
    };
    return this.post<EncodeReply, Float32Array[]>(request, (reply) => {
      if ('error' in reply) throw new Error(`mention encoding failed in the worker: ${reply.error}`);
      encoder.busyMs += reply.ms;
      const { vectors, dimension } = reply;
      return Array.from({ length: mentions.length }, (_, i) => vectors.subarray(i * dimension, (i + 1) * dimension));
    });
  }

  /** Sends a request; `read` turns its reply into the result (or throws). */
  private post<Reply extends DetectReply | EncodeReply, T>(request: Omit<DetectRequest, 'id'> | Omit<EncodeRequest, 'id'> | Omit<IngestRequest, 'id'>, read: (reply: Reply) => T): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, {
        settle: (reply) => { try { resolve(read(reply as Reply)); } catch (e) { reject(e as Error); } },
        reject,
      });
      this.worker.postMessage({ ...request, id });
    });
  }

  /**
   * Asks the worker to finish the request it is running and exit, and waits for it. Not
   * terminate() right away: stopping a thread inside an onnxruntime call aborts the whole
   * process ("terminate called after throwing an instance of 'Napi::Error'"). terminate() only
   * if it has not exited after CLOSE_TIMEOUT_MS.
   */
  async close(): Promise<void> {
    this.failure ??= new Error('span-detector worker closed');
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref(); // the process waits for the worker to wind down
    this.worker.postMessage({ kind: 'close' } satisfies CloseRequest);
    const timer = setTimeout(() => { void this.worker.terminate(); }, CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
