// The built-in tagger on a worker thread, so that span detection of one document overlaps the
// encoding and HNSW inserts of the previous ones (the indexer keeps a few documents in flight).
// Results are identical to the in-thread TaggerDetector: the worker loads the same model files.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BatchSpanDetector, OffsetSpan, SentenceToDetect } from '../types.ts';
import type { DetectReply, DetectRequest, WorkerHello } from './detectorWorker.ts';

/**
 * A worker running detectorWorker.mjs beside the bundle (dist/), else the TypeScript source
 * beside this module; tsx's loader does not reach worker threads by itself (tsx issue 354), so
 * the source is imported after registering it in the worker.
 */
function startWorker(workerData: unknown): Worker {
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
  private readonly pending = new Map<number, { resolve(v: OffsetSpan[][]): void; reject(e: Error): void }>();
  private failure: Error | undefined;
  /** Milliseconds the worker spent detecting (its own clock), for per-stage timings. */
  busyMs = 0;

  private constructor(private readonly worker: Worker, readonly id: string) {
    worker.on('message', (reply: DetectReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in reply) { p.reject(new Error(`span detection failed in the worker: ${reply.error}`)); return; }
      this.busyMs += reply.ms;
      const out: OffsetSpan[][] = new Array(reply.counts.length);
      let k = 0;
      for (let i = 0; i < reply.counts.length; i++) {
        const spans: OffsetSpan[] = new Array(reply.counts[i]);
        for (let j = 0; j < spans.length; j++, k += 2) spans[j] = { start: reply.offsets[k], end: reply.offsets[k + 1] };
        out[i] = spans;
      }
      p.resolve(out);
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`span-detector worker exited (code ${code})`)));
    worker.unref(); // only pending requests keep the process alive (see detectMany)
  }

  /**
   * Starts the worker and waits until its model is loaded. `expectedId` is the id of the
   * in-thread detector: a worker that would detect differently is refused (an Error).
   */
  static async start(options: { expectedId: string; cacheDir?: string }): Promise<WorkerSpanDetector> {
    const worker = startWorker({ cacheDir: options.cacheDir });
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
    return new WorkerSpanDetector(worker, hello.detectorId);
  }

  detectMany(sentences: SentenceToDetect[]): Promise<OffsetSpan[][]> {
    if (this.failure) return Promise.reject(this.failure);
    if (sentences.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    // Plain strings clone fastest; the few headings travel as indices.
    const request: DetectRequest = {
      id, sentences: sentences.map((s) => s.text), headings: sentences.flatMap((s, i) => (s.heading ? [i] : [])),
      paragraphs: Int32Array.from(sentences, (s) => s.paragraph ?? -1),
    };
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('span-detector worker closed');
    await this.worker.terminate();
  }
}
