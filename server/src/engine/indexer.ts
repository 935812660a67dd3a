// Orchestrates ingest → detect → encode → index for a workspace (files) or a .jsonl corpus.
// Incremental: a file whose size/mtime/content hash is unchanged is skipped; inside a changed
// file, paragraphs whose content hash is unchanged keep their mentions and vectors (only their
// offsets move); only new paragraphs are detected and embedded.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { ingestText, documentKind, type DocumentKind } from './ingest/document.ts';
import { decodeText } from './ingest/decode.ts';
import { LineIndex } from './ingest/positions.ts';
import { MAX_SENTENCE_LENGTH } from './ingest/sentences.ts';
import { reusedParagraphIndices, sentenceToDetect, sentencesToDetect as sentencesOfNewParagraphs } from './ingest/paragraphReuse.ts';
import { MAX_PARAGRAPH_SENTENCES, contextOf, detectByParagraph } from './detect/paragraphNames.ts';
import { withNestedNames } from './detect/nestedNames.ts';
import { isUnder, type Workspace, type WorkspaceFile } from './ingest/workspace.ts';

export { isUnder };
import type { MentionStore, StoredDocument, StoredMention, StoredParagraph } from './index/store.ts';
import {
  throwIfCancelled, nullLogger,
  type BatchMentionEncoder, type BatchSpanDetector, type CancellationToken, type IngestedDocument, type Logger, type MentionEncoder,
  type MentionInput, type OffsetSpan, type ProgressSink, type Sentence, type SentenceToDetect, type SpanDetector, type Yielder,
} from './types.ts';

export interface IndexOptions {
  logger?: Logger;
  progress?: ProgressSink;
  token?: CancellationToken;
  /**
   * Checkpoint the store once its journal holds this many bytes (default 128 MB). The journal
   * already keeps every finished document safe; a checkpoint only bounds replay time at the next
   * open, and it rewrites the whole index, so it must not run every few documents.
   */
  checkpointBytes?: number;
  /** Mentions per encoder call; documents are buffered until this many are pending. */
  encodeBatch?: number;
  /**
   * Time slicing for a shared event loop (the language server): detection yields between
   * sentences and store inserts between vectors whenever the slice is used up. Without it the
   * work runs in large synchronous steps, which is fastest for the CLI.
   */
  yielder?: Yielder;
  /**
   * Start the batch detector (IndexComponents.startBatchDetector) only when the files to read
   * add up to this many bytes (default 2 MB): loading its model costs ≈ 0.6 s and 200 MB.
   */
  workerMinBytes?: number;
  /** Called with the workspace's files once they are listed, before they are indexed. */
  onListed?: (files: readonly WorkspaceFile[]) => void;
}

export const DEFAULT_CHECKPOINT_BYTES = 128 * 1024 * 1024;

/**
 * Documents a BatchSpanDetector may be working on (ingesting, detecting) while earlier ones are
 * stored: at least IN_FLIGHT_DOCUMENTS, more while their text stays under IN_FLIGHT_CHARS, so
 * that one large file does not leave the indexing thread waiting (at most MAX_IN_FLIGHT).
 */
const IN_FLIGHT_DOCUMENTS = 4;
/** Batches of mentions the worker may be encoding while this thread stores older ones. */
const ENCODE_AHEAD = 2;
const IN_FLIGHT_CHARS = 1_000_000;
const MAX_IN_FLIGHT = 64;
const WORKER_MIN_BYTES = 2e6;

export interface IndexReport {
  filesSeen: number;
  filesIndexed: number;
  filesUnchanged: number;
  filesRemoved: number;
  /** New paths whose content matched a vanished document: moved without re-embedding. */
  filesRenamed: number;
  /**
   * Listed, then deleted (or moved away) before they were read: counted in filesSeen but neither
   * indexed nor skipped. Those indexed by an earlier run are in filesRemoved too.
   */
  filesGone: number;
  paragraphsEmbedded: number;
  paragraphsReused: number;
  mentionsEmbedded: number;
  skipped: Array<{ path: string; reason: string }>;
  errors: Array<{ path: string; line?: number; message: string }>;
  bytesIndexed: number;
  /**
   * Time on this thread per stage. With a batch detector, detectMs is the time spent waiting for
   * it, and detectOffThreadMs the time it spent detecting (on another core, in parallel); when it
   * encodes too, encodeMs is the time spent waiting for its vectors, encodeOffThreadMs its own;
   * when it ingests (parses) documents too, ingestOffThreadMs is its time for that. recordsMs:
   * building mention records (labels, ranges) for spans detected elsewhere or given.
   */
  timings: {
    ingestMs: number; detectMs: number; encodeMs: number; storeMs: number; recordsMs?: number;
    detectOffThreadMs?: number; ingestOffThreadMs?: number; encodeOffThreadMs?: number;
    /** Batches encoded on this thread, with an encoding worker, because the worker was behind (EncodeQueue.workerBehind). */
    batchesEncodedHere?: number;
  };
}

/** A report's file counts, worded once for the CLI's closing line and the language server's log. Files deleted mid-run are named only when there are some. */
export function describeFileCounts(report: IndexReport): string {
  return `${report.filesUnchanged} unchanged, ${report.filesRemoved} removed, ${report.filesRenamed} renamed, ${report.skipped.length} skipped` +
    `${report.filesGone ? `, ${report.filesGone} gone during the run` : ''}`;
}

export interface IndexComponents {
  store: MentionStore;
  detector: SpanDetector;
  encoder: MentionEncoder;
  /**
   * Starts `detector` on another thread. indexWorkspace and indexCorpus call it when at least
   * workerMinBytes are to be read and a document needs detection, keep a few documents in
   * flight so that their detection overlaps the encoding and HNSW inserts of earlier ones, and
   * close it when done. If the worker fails, indexing goes on with `detector`.
   */
  startBatchDetector?: () => Promise<BatchSpanDetector | undefined>;
}

/** A document prepared for the store, waiting for the vectors of its new mentions. */
interface PendingDocument {
  doc: StoredDocument;
  inputs: MentionInput[];
  labels: number[];
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** A report with every count at zero. */
export function emptyReport(): IndexReport {
  return {
    filesSeen: 0, filesIndexed: 0, filesUnchanged: 0, filesRemoved: 0, filesRenamed: 0, filesGone: 0,
    paragraphsEmbedded: 0, paragraphsReused: 0, mentionsEmbedded: 0,
    skipped: [], errors: [], bytesIndexed: 0,
    timings: { ingestMs: 0, detectMs: 0, encodeMs: 0, storeMs: 0 },
  };
}

/**
 * Buffers prepared documents, encodes their new mentions in large batches, and writes each
 * document to the store once its vectors exist. With an off-thread encoder (the detection
 * worker's), batches are encoded there (up to ENCODE_AHEAD at a time) while this thread stores
 * older ones and prepares the next — except while the worker is behind with detection, when this
 * thread would only wait: then it encodes the batch itself. Documents are still stored in order.
 */
class EncodeQueue {
  private pending: PendingDocument[] = [];
  private pendingMentions = 0;
  private offThread: BatchMentionEncoder | undefined;
  /**
   * Whether the worker is behind this thread (the next document's spans are not back yet): a
   * batch is then encoded here, where the time would otherwise go to waiting, and the worker
   * keeps to detection. Set by the DocumentPipeline.
   */
  workerBehind: () => boolean = () => false;
  /** Batches being encoded off this thread, oldest first; stored as later ones are handed over, or by flush. */
  private readonly encoding: Array<{ docs: PendingDocument[]; inputs: MentionInput[]; vectors: Promise<Float32Array[]> }> = [];
  constructor(
    private readonly c: IndexComponents,
    private readonly report: IndexReport,
    private readonly batch: number,
    private readonly checkpointBytes: number,
    private readonly token?: CancellationToken,
    private readonly yielder?: Yielder,
    private readonly logger: Logger = nullLogger,
  ) {}

  /** Encodes from now on with `encoder` (it must embed as c.encoder does: same id). */
  encodeOffThread(encoder: BatchMentionEncoder | undefined): void {
    if (encoder && encoder.id === this.c.encoder.id) this.offThread = encoder;
  }

  async push(p: PendingDocument): Promise<void> {
    this.pending.push(p);
    this.pendingMentions += p.inputs.length;
    if (this.pendingMentions >= this.batch || this.pending.length >= 64) await this.handOver();
  }

  /** Encodes and stores every document pushed so far. */
  async flush(): Promise<void> {
    await this.handOver();
    while (this.encoding.length) await this.storeEncoding();
  }

  private async handOver(): Promise<void> {
    if (!this.pending.length) return;
    const docs = this.pending;
    this.pending = [];
    this.pendingMentions = 0;
    const inputs = docs.flatMap((d) => d.inputs);
    if (this.offThread && inputs.length) {
      throwIfCancelled(this.token);
      const here = !this.yielder && this.workerBehind();
      if (here) this.report.timings.batchesEncodedHere = (this.report.timings.batchesEncodedHere ?? 0) + 1;
      // (Encoded here at once: this thread has nothing else to do until the worker catches up.)
      const vectors = here ? Promise.resolve(await this.encodeHere(inputs)) : this.offThread.encodeMentions(inputs);
      vectors.catch(() => {}); // awaited, and a failure handled, in storeEncoding
      this.encoding.push({ docs, inputs, vectors });
      // The oldest batches, while the worker encodes this one (and the one before it: a batch
      // handed over behind a long detection still arrives before this thread needs it).
      while (this.encoding.length > ENCODE_AHEAD) await this.storeEncoding();
      return;
    }
    while (this.encoding.length) await this.storeEncoding();
    await this.store(docs, inputs, await this.encodeHere(inputs));
  }

  /** Stores the oldest batch handed over, once its vectors are back. */
  private async storeEncoding(): Promise<void> {
    const batch = this.encoding.shift();
    if (!batch) return;
    const t = performance.now();
    const vectors = await batch.vectors.catch((e: Error) => {
      if (this.offThread) this.logger.warn(`${e.message}; encoding on this thread instead`);
      this.offThread = undefined;
      return undefined;
    });
    this.report.timings.encodeMs += performance.now() - t;
    throwIfCancelled(this.token);
    await this.store(batch.docs, batch.inputs, vectors ?? await this.encodeHere(batch.inputs));
  }

  private async encodeHere(inputs: MentionInput[]): Promise<Float32Array[]> {
    if (!inputs.length) return [];
    const t = performance.now();
    const vectors = await this.c.encoder.encodeMentions(inputs, this.token);
    this.report.timings.encodeMs += performance.now() - t;
    return vectors;
  }

  private async store(docs: PendingDocument[], inputs: MentionInput[], vectors: Float32Array[]): Promise<void> {
    this.report.mentionsEmbedded += inputs.length;
    const t = performance.now();
    let k = 0;
    for (const d of docs) {
      const fresh = new Map<number, Float32Array>();
      for (const label of d.labels) fresh.set(label, vectors[k++]);
      if (this.yielder) await this.c.store.putDocumentSliced(d.doc, fresh, this.yielder);
      else this.c.store.putDocument(d.doc, fresh);
    }
    if (this.c.store.pendingJournalBytes >= this.checkpointBytes) await this.c.store.checkpoint();
    this.report.timings.storeMs += performance.now() - t;
  }
}

type DocumentMeta = { contentHash: string; size: number; mtimeMs: number; docId?: string };

/**
 * Prepares documents for the EncodeQueue, in order. With a batch detector (started on the first
 * document that needs detection), up to IN_FLIGHT_DOCUMENTS documents wait for their spans from
 * it while earlier ones are encoded and stored; if it fails, detection moves back to this thread.
 */
class DocumentPipeline {
  /**
   * Documents waiting for their spans (and, when the worker ingests them too, for their
   * paragraphs); `ingestHere` ingests one on this thread should the worker fail.
   */
  private readonly inFlight: Array<{
    meta: DocumentMeta; previous: StoredDocument | undefined; chars: number;
    /** Spans undefined: detect on this thread (no worker). */
    detected: Promise<{ ingested: IngestedDocument; spans: OffsetSpan[][] | undefined }>; ingestHere: () => IngestedDocument;
    /** `detected` has settled. */
    answered?: boolean;
  }> = [];
  private inFlightChars = 0;
  private batchDetector: Promise<BatchSpanDetector | undefined> | undefined;
  private failed = false;

  constructor(
    private readonly c: IndexComponents,
    private readonly queue: EncodeQueue,
    private readonly report: IndexReport,
    private readonly options: IndexOptions,
    /** Starts the batch detector; undefined when the job is too small for one. */
    private readonly startBatchDetector: (() => Promise<BatchSpanDetector | undefined>) | undefined,
  ) {
    queue.workerBehind = () => this.inFlight.length > 0 && !this.inFlight[0].answered;
  }

  async add(ingested: IngestedDocument, meta: DocumentMeta, previous: StoredDocument | undefined, fixedSpans?: Array<[number, number]>): Promise<void> {
    const detector = fixedSpans || this.failed || !this.startBatchDetector ? undefined : await this.startedBatchDetector();
    if (!detector) {
      await this.drain(); // keeps document order when a worker failed
      await this.prepareAndQueue({ ingested, meta, previous }, { fixedSpans });
      return;
    }
    const { detected, chars } = detectElsewhere(detector, ingested, previous);
    await this.queueInFlight({ meta, previous, chars, detected, ingestHere: () => ingested });
  }

  /**
   * A decoded document to ingest and index: with a batch detector that ingests too, the worker
   * parses it (Markdown, sentences) besides detecting it; otherwise it is ingested here.
   */
  async addText(path: string, text: string, kind: DocumentKind, meta: DocumentMeta, previous: StoredDocument | undefined): Promise<void> {
    const ingestHere = () => {
      const t = performance.now();
      const ingested = ingestText(path, text, kind);
      this.report.timings.ingestMs += performance.now() - t;
      return ingested;
    };
    if (this.failed || !this.startBatchDetector) {
      await this.add(ingestHere(), meta, previous);
      return;
    }
    // Not awaited: while the worker starts (≈ 1 s: it loads the models), this thread goes on
    // reading files, up to the in-flight limit.
    const previousHashes = (previous?.paragraphs ?? []).map((p) => p.hash);
    const detected = this.startedBatchDetector().then((detector): Promise<{ ingested: IngestedDocument; spans: OffsetSpan[][] | undefined }> | { ingested: IngestedDocument; spans: undefined } => {
      if (detector?.ingestAndDetect) return detector.ingestAndDetect({ path, text, kind, previousHashes });
      // No worker after all (one core, or it could not start), or one that only detects.
      const ingested = ingestHere();
      return detector ? detectElsewhere(detector, ingested, previous).detected : { ingested, spans: undefined };
    });
    await this.queueInFlight({ meta, previous, chars: text.length, detected, ingestHere });
  }

  private async queueInFlight(f: DocumentPipeline['inFlight'][number]): Promise<void> {
    f.detected.then(() => { f.answered = true; }, () => { f.answered = true; }); // a failure is handled in finishOldest
    this.inFlight.push(f);
    this.inFlightChars += f.chars;
    while (this.inFlight.length > MAX_IN_FLIGHT || (this.inFlight.length > IN_FLIGHT_DOCUMENTS && this.inFlightChars > IN_FLIGHT_CHARS)) {
      await this.finishOldest();
    }
  }

  /** The batch detector, started on first use; its encoder, if it has one, takes over encoding. */
  private startedBatchDetector(): Promise<BatchSpanDetector | undefined> {
    this.batchDetector ??= this.startBatchDetector!().then((detector) => {
      this.queue.encodeOffThread(detector?.encoder);
      return detector;
    });
    return this.batchDetector;
  }

  /** Waits for every document in flight and hands it to the queue. */
  async drain(): Promise<void> {
    while (this.inFlight.length) await this.finishOldest();
  }

  /** Closes the batch detector, if one was started, and records its busy time. */
  async close(): Promise<void> {
    const detector = await this.batchDetector;
    if (!detector) return;
    this.report.timings.detectOffThreadMs = detector.busyMs;
    if (detector.ingestBusyMs) this.report.timings.ingestOffThreadMs = detector.ingestBusyMs;
    if (detector.encoder) this.report.timings.encodeOffThreadMs = detector.encoder.busyMs;
    await detector.close();
  }

  private async finishOldest(): Promise<void> {
    const f = this.inFlight.shift()!;
    this.inFlightChars -= f.chars;
    const t = performance.now();
    const detected = await f.detected.catch((e: Error) => {
      if (!this.failed) (this.options.logger ?? nullLogger).warn(`${e.message}; detecting on this thread instead`);
      this.failed = true;
      return undefined;
    });
    this.report.timings.detectMs += performance.now() - t;
    const ingested = detected?.ingested ?? f.ingestHere();
    await this.prepareAndQueue({ ingested, meta: f.meta, previous: f.previous }, { detected: detected?.spans });
  }

  private async prepareAndQueue(
    d: { ingested: IngestedDocument; meta: DocumentMeta; previous: StoredDocument | undefined },
    spans: { fixedSpans?: Array<[number, number]>; detected?: OffsetSpan[][] },
  ): Promise<void> {
    await this.queue.push(await prepareDocument(d.ingested, d.meta, d.previous, this.c, this.report, { ...spans, yielder: this.options.yielder }));
    this.report.filesIndexed++;
  }
}

/** Spans of an ingested document's new paragraphs from a batch detector, and how many characters it was sent. */
function detectElsewhere(detector: BatchSpanDetector, ingested: IngestedDocument, previous: StoredDocument | undefined) {
  const sentences = sentencesToDetect(ingested, previous);
  return {
    detected: detector.detectMany(sentences).then((spans) => ({ ingested, spans })),
    chars: sentences.reduce((n, x) => n + x.text.length, 0),
  };
}

/**
 * For each paragraph of `ingested`, the paragraph of `previous` with the same content hash that
 * it takes over (mentions and vectors kept, offsets shifted), or undefined when it is new.
 */
function reusableParagraphs(ingested: IngestedDocument, previous: StoredDocument | undefined): Array<StoredParagraph | undefined> {
  const old = previous?.paragraphs ?? [];
  return reusedParagraphIndices(ingested, old.map((p) => p.hash)).map((i) => (i >= 0 ? old[i] : undefined));
}

/** The sentences prepareDocument would run detection on, in its order (for a BatchSpanDetector). */
export function sentencesToDetect(ingested: IngestedDocument, previous: StoredDocument | undefined): SentenceToDetect[] {
  return sentencesOfNewParagraphs(ingested, (previous?.paragraphs ?? []).map((p) => p.hash));
}

/** A sentence of a plain-text document with the spans detected in it (offsets into the sentence). */
export interface DetectedSentence { sentence: Sentence; spans: OffsetSpan[] }

/**
 * Detects a text as `index` does a `.jsonl` corpus's document (verbatim), through the same
 * {@link sentencesToDetect}: sentences, each paragraph detected together. Evaluations use it so that their figures are the
 * product's, not the detector's on unsplit text.
 */
export function detectPlainText(detector: SpanDetector, text: string): DetectedSentence[] {
  return detectDocumentText(detector, text, 'verbatim');
}

/** Detects a document's text as `index` does a file of that kind (its prose only; sentence offsets are the document's). */
export function detectDocumentText(detector: SpanDetector, text: string, kind: DocumentKind): DetectedSentence[] {
  const ingested = ingestText('', text, kind);
  const spans = detectByParagraph(detector, sentencesToDetect(ingested, undefined));
  return ingested.paragraphs.flatMap((p) => p.sentences).map((sentence, k) => ({ sentence, spans: spans[k] }));
}

/**
 * Builds the store record for a document, reusing mentions of unchanged paragraphs from `previous`
 * and detecting spans in the rest. Returns the inputs to encode for the new mentions.
 */
export async function prepareDocument(
  ingested: IngestedDocument,
  meta: { contentHash: string; size: number; mtimeMs: number; docId?: string },
  previous: StoredDocument | undefined,
  c: IndexComponents,
  report: IndexReport,
  options: { fixedSpans?: Array<[number, number]>; detected?: OffsetSpan[][]; yielder?: Yielder } = {},
): Promise<PendingDocument> {
  const { fixedSpans, detected, yielder } = options;
  const lines = new LineIndex(ingested.text);
  const reuse = fixedSpans ? [] : reusableParagraphs(ingested, previous);
  // The given spans of each sentence (of every paragraph: none is reused), as indices into them.
  const given = fixedSpans && spansBySentence(fixedSpans, ingested.paragraphs.flatMap((p) => p.sentences));
  const inputs: MentionInput[] = [];
  const labels: number[] = [];
  const paragraphs: StoredParagraph[] = [];
  // The next sentence of those detected elsewhere or given.
  let sentenceIndex = 0;
  for (const [i, para] of ingested.paragraphs.entries()) {
    const reusable = reuse[i];
    if (reusable) {
      const shift = para.start - reusable.start;
      paragraphs.push({
        hash: para.hash, start: para.start, end: para.end,
        mentions: reusable.mentions.map((m) => ({
          ...m, start: m.start + shift, end: m.end + shift, range: lines.rangeOf(m.start + shift, m.end + shift),
        })),
      });
      report.paragraphsReused++;
      continue;
    }
    const mentions: StoredMention[] = [];
    const t = performance.now();
    // Detected here: the paragraph's sentences together (a name in one is one in the others).
    const local = fixedSpans || detected || para.sentences.length > MAX_PARAGRAPH_SENTENCES ? undefined
      : detectByParagraph(c.detector, para.sentences.map((s) => sentenceToDetect(para, i, s)));
    for (const [k, sentence] of para.sentences.entries()) {
      const spans = fixedSpans && given
        ? given[sentenceIndex++].map((g) => ({ start: fixedSpans[g][0] - sentence.start, end: fixedSpans[g][1] - sentence.start }))
        : detected ? detected[sentenceIndex++] : local ? local[k] : c.detector.detect(sentence.text, contextOf(sentenceToDetect(para, i, sentence)));
      for (const span of fixedSpans ? spans : withNestedNames(sentence.text, spans)) {
        const start = sentence.start + span.start;
        const end = sentence.start + span.end;
        const label = c.store.allocateLabel();
        mentions.push({ label, start, end, range: lines.rangeOf(start, end), text: ingested.text.slice(start, end) });
        inputs.push({ sentence: sentence.text, start: span.start, end: span.end });
        labels.push(label);
      }
      const pause = yielder?.maybeYield();
      if (pause) await pause;
    }
    // With spans from elsewhere this was only building the mention records: not detection time.
    if (fixedSpans || detected) report.timings.recordsMs = (report.timings.recordsMs ?? 0) + performance.now() - t;
    else report.timings.detectMs += performance.now() - t;
    paragraphs.push({ hash: para.hash, start: para.start, end: para.end, mentions });
    report.paragraphsEmbedded++;
  }
  return {
    doc: { path: ingested.path, docId: meta.docId, contentHash: meta.contentHash, size: meta.size, mtimeMs: meta.mtimeMs, paragraphs },
    inputs,
    labels,
  };
}

/**
 * A file written again within its filesystem's timestamp tick (Linux: a few ms; FAT: 2 s; some
 * network mounts: 1 s) keeps its mtime, and often its size. So, as git treats "racily clean"
 * entries, a file whose mtime is this close to when it was stat'ed is recorded with an unknown
 * mtime (-1): the next pass reads it again and compares content hashes, once.
 */
export const RACY_MTIME_MS = 2000;

/** The mtime to record for a file stat'ed (then read) from `statStartedAt` on: -1 when racy. */
export function mtimeToRecord(mtimeMs: number, statStartedAt: number): number {
  return mtimeMs >= statStartedAt - RACY_MTIME_MS ? -1 : mtimeMs;
}

/** The file has the size and mtime it had when stored: skipped without reading it. */
export function statUnchanged(previous: DocumentMeta | undefined, file: WorkspaceFile): boolean {
  return previous !== undefined && previous.size === file.size && previous.mtimeMs === file.mtimeMs;
}

/** Indexes (or re-indexes) every file of a workspace into the store; removes documents that disappeared. */
export async function indexWorkspace(workspace: Workspace, c: IndexComponents, options: IndexOptions = {}): Promise<IndexReport> {
  const report = emptyReport();
  const files: WorkspaceFile[] = [];
  const listedAt = Date.now();
  for await (const f of workspace.listFiles(options.token)) files.push(f);
  report.skipped.push(...workspace.skipped);
  options.onListed?.(files);
  const bytesToRead = files.reduce((n, f) => (statUnchanged(c.store.getDocument(f.path), f) ? n : n + f.size), 0);
  const listed = new Set(files.map((f) => f.path));
  const queue = new EncodeQueue(c, report, options.encodeBatch ?? 512, options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES, options.token, options.yielder, options.logger);
  const pipeline = new DocumentPipeline(c, queue, report, options, bytesToRead >= (options.workerMinBytes ?? WORKER_MIN_BYTES) ? c.startBatchDetector : undefined);
  try {
    await indexFiles(workspace, files, listedAt, c, options, report, pipeline);
    await queue.flush();
  } finally {
    await pipeline.close();
  }
  for (const doc of [...c.store.documents()]) {
    if (doc.docId !== undefined) continue; // corpus documents are managed by indexCorpus
    if (!listed.has(doc.path) && workspace.roots.some((r) => isUnder(doc.path, r))) {
      c.store.removeDocument(doc.path);
      report.filesRemoved++;
    }
  }
  options.progress?.({ what: 'Indexing', done: files.length, total: files.length });
  await c.store.checkpoint();
  return report;
}

/** indexWorkspace's pass over the listed files: every new or changed one goes into `pipeline`. */
async function indexFiles(workspace: Workspace, files: WorkspaceFile[], listedAt: number, c: IndexComponents, options: IndexOptions, report: IndexReport, pipeline: DocumentPipeline): Promise<void> {
  const logger = options.logger ?? nullLogger;
  let vanished: VanishedDocuments | undefined;
  const reads = new ReadAhead(workspace, files, (f) => statUnchanged(c.store.getDocument(f.path), f));
  for (const [i, file] of files.entries()) {
    throwIfCancelled(options.token);
    report.filesSeen++;
    options.progress?.({ what: 'Indexing', done: i, total: files.length, message: file.path });
    const kind = documentKind(file.path) ?? 'plaintext';
    const previous = c.store.getDocument(file.path);
    if (statUnchanged(previous, file)) { report.filesUnchanged++; reads.forget(i); continue; }
    const t = performance.now();
    let bytes: Uint8Array;
    try {
      bytes = await reads.take(i);
    } catch (e) {
      // Deleted (or moved away) since it was listed: gone, as the next pass would find it.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        report.filesGone++;
        if (previous) { c.store.removeDocument(file.path); report.filesRemoved++; }
        continue;
      }
      report.skipped.push({ path: file.path, reason: `unreadable: ${(e as Error).message}` });
      logger.warn(`Skipping ${file.path}: unreadable (${(e as Error).message})`);
      continue;
    }
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      const reason = decoded.reason === 'binary' ? 'binary file' : 'not valid UTF-8 text';
      report.skipped.push({ path: file.path, reason });
      logger.warn(`Skipping ${file.path}: ${reason}`);
      if (previous) { c.store.removeDocument(file.path); report.filesRemoved++; }
      continue;
    }
    const contentHash = sha1(decoded.text);
    const mtimeMs = mtimeToRecord(file.mtimeMs, listedAt);
    const renamedFrom = previous ? undefined : (vanished ??= vanishedDocuments(c.store, workspace.roots)).take(contentHash, file.size, file.path);
    if (renamedFrom) {
      c.store.renameDocument(renamedFrom.path, file.path);
      c.store.putDocument({ ...c.store.getDocument(file.path)!, size: file.size, mtimeMs }, new Map());
      report.filesRenamed++;
      continue;
    }
    if (previous && previous.contentHash === contentHash) {
      // Touched but identical: record the new mtime so the next run skips it without reading.
      if (previous.size !== file.size || previous.mtimeMs !== mtimeMs) c.store.putDocument({ ...previous, size: file.size, mtimeMs }, new Map());
      report.filesUnchanged++;
      continue;
    }
    report.timings.ingestMs += performance.now() - t; // reading and decoding; parsing is timed where it runs
    report.bytesIndexed += bytes.byteLength;
    await pipeline.addText(file.path, decoded.text, kind, { contentHash, size: file.size, mtimeMs }, previous);
  }
  await pipeline.drain();
}

/** Files read ahead of the one being indexed, and how many bytes at most (the next file is always read). */
const READ_AHEAD_FILES = 8;
const READ_AHEAD_BYTES = 8e6;

/**
 * Reads of the next files to index, started while earlier ones are prepared and stored: a read
 * waits on the file system (several thread-pool round trips per file), time in which this thread
 * would otherwise sit idle: ≈ 1 ms per file, 5 s of 5,000 files of documentation
 * (docs/benchmarks.md, "Twenty-fourth session"). Files `skip` says are unchanged are not read.
 */
class ReadAhead {
  private readonly started = new Map<number, Promise<Uint8Array>>();
  private next = 0;
  private bytes = 0;

  constructor(private readonly workspace: Workspace, private readonly files: readonly WorkspaceFile[], private readonly skip: (f: WorkspaceFile) => boolean) {}

  /** The bytes of file `i` (the same rejection readFile gives), starting the reads after it. */
  take(i: number): Promise<Uint8Array> {
    this.next = Math.max(this.next, i);
    const read = this.started.get(i) ?? this.start(i);
    this.started.delete(i);
    this.bytes -= this.files[i].size;
    for (; this.next < this.files.length && this.next <= i + READ_AHEAD_FILES && this.bytes < READ_AHEAD_BYTES; this.next++) {
      if (this.next > i && !this.started.has(this.next) && !this.skip(this.files[this.next])) this.start(this.next);
    }
    return read;
  }

  /** File `i` will not be taken (it turned out unchanged): a read started for it no longer counts. */
  forget(i: number): void {
    if (this.started.delete(i)) this.bytes -= this.files[i].size;
  }

  private start(j: number): Promise<Uint8Array> {
    const read = this.workspace.readFile(this.files[j].path);
    read.catch(() => {}); // handled when taken
    this.started.set(j, read);
    this.bytes += this.files[j].size;
    return read;
  }
}

/**
 * Stored documents of these roots by content, for finding the source of a rename: `take` returns
 * (once) a document with that content and size whose file no longer exists and that `keep` does
 * not claim (e.g. an open editor buffer), and that is read as `path` is — the same extension: `a.md`
 * renamed `a.txt` is the same bytes parsed as plain text, whose prose and mentions differ.
 */
export interface VanishedDocuments { take(contentHash: string, size: number, path: string): StoredDocument | undefined }

export function vanishedDocuments(store: MentionStore, roots: readonly string[], keep: (path: string) => boolean = () => false): VanishedDocuments {
  const taken = new Set<StoredDocument>();
  return {
    take(contentHash, size, path) {
      const ext = extname(path).toLowerCase();
      // Only documents with the same content are candidates (the store indexes them by hash), and
      // existence is checked only for those: one stat per candidate, not per document.
      for (const d of store.documentsWithContent(contentHash)) {
        if (taken.has(d) || d.docId !== undefined || d.size !== size || extname(d.path).toLowerCase() !== ext || keep(d.path) || !roots.some((r) => isUnder(d.path, r)) || existsSync(d.path)) continue;
        taken.add(d);
        return d;
      }
      return undefined;
    },
  };
}

/** One document of a .jsonl corpus. */
export interface CorpusDocument { id: string; text: string; spans?: Array<[number, number]> }

/** Parses one line of a .jsonl corpus; throws an Error describing what is wrong. */
export function parseCorpusLine(line: string): CorpusDocument {
  let value: unknown;
  try { value = JSON.parse(line); } catch (e) { throw new Error(`invalid JSON (${(e as Error).message})`); }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
  const o = value as Record<string, unknown>;
  if (typeof o.id !== 'string' && typeof o.id !== 'number') throw new Error('"id" must be a string');
  if (typeof o.text !== 'string') throw new Error('"text" must be a string');
  const doc: CorpusDocument = { id: String(o.id), text: o.text };
  if (o.spans !== undefined) {
    if (!Array.isArray(o.spans)) throw new Error('"spans" must be an array of [start, end] pairs');
    const seen = new Set<string>();
    doc.spans = o.spans.map((s, i) => {
      // A third element is a type label (eval's corpora); the index reads the offsets only.
      if (!Array.isArray(s) || s.length < 2 || s.length > 3 || !Number.isInteger(s[0]) || !Number.isInteger(s[1]) || (s.length === 3 && typeof s[2] !== 'string')) {
        throw new Error(`"spans"[${i}] must be [start, end] with integer UTF-16 offsets (or [start, end, "type"])`);
      }
      const [start, end] = s as [number, number];
      if (start < 0 || end > o.text!.toString().length || start >= end) {
        throw new Error(`"spans"[${i}] = [${start}, ${end}] is outside the text (length ${(o.text as string).length}) or empty`);
      }
      // An offset between the two halves of a surrogate pair (an emoji, say) would cut a
      // character in two: the mention's text would hold half of it.
      const text = o.text as string;
      const splitsPair = (at: number) => at > 0 && at < text.length && isHighSurrogate(text.charCodeAt(at - 1)) && isLowSurrogate(text.charCodeAt(at));
      if (splitsPair(start) || splitsPair(end)) {
        throw new Error(`"spans"[${i}] = [${start}, ${end}] cuts a character in two (offsets count UTF-16 code units; an emoji takes two)`);
      }
      // Blank text names nothing, yet its vector (all context) could rank above every real name.
      if (!/\S/.test(text.slice(start, end))) throw new Error(`"spans"[${i}] = [${start}, ${end}] covers only white space`);
      return [start, end] as [number, number];
    }).filter(([start, end]) => {
      // The same span twice would be the same mention twice, and every search hit on it doubled.
      const key = `${start}:${end}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  return doc;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Key of a corpus document in the store. */
export function corpusDocumentPath(corpusPath: string, id: string): string {
  return `${corpusPath}#${id}`;
}

/**
 * Indexes a .jsonl corpus (one document per line). Documents with `spans` use exactly those
 * spans as mentions; others go through detection. A malformed line is reported with its line
 * number and the other lines are still indexed.
 */
export async function indexCorpus(corpusPath: string, content: string, c: IndexComponents, options: IndexOptions = {}): Promise<IndexReport> {
  const report = emptyReport();
  const queue = new EncodeQueue(c, report, options.encodeBatch ?? 512, options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES, options.token, undefined, options.logger);
  const pipeline = new DocumentPipeline(c, queue, report, options, content.length >= (options.workerMinBytes ?? WORKER_MIN_BYTES) ? c.startBatchDetector : undefined);
  try {
    await indexCorpusLines(corpusPath, content, c, options, report, pipeline);
    await queue.flush();
  } finally {
    await pipeline.close();
  }
  await c.store.checkpoint();
  return report;
}

/** indexCorpus's pass over the lines: each new or changed document goes into `pipeline`. */
async function indexCorpusLines(corpusPath: string, content: string, c: IndexComponents, options: IndexOptions, report: IndexReport, pipeline: DocumentPipeline): Promise<void> {
  // A raw CR cannot stand inside a JSON line (strings escape it), so a lone CR ends a line as LF and CRLF do.
  const lines = content.split(/\r\n|\r|\n/);
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    throwIfCancelled(options.token);
    if (i % 100 === 0) options.progress?.({ what: 'Indexing', done: i, total: lines.length });
    const line = lines[i];
    if (!line.trim()) continue;
    let doc: CorpusDocument;
    try { doc = parseCorpusLine(line); } catch (e) {
      // Reported through report.errors only, as a duplicate id is: the caller prints them (logging
      // here too printed each line twice in the CLI).
      report.errors.push({ path: corpusPath, line: i + 1, message: (e as Error).message });
      continue;
    }
    const path = corpusDocumentPath(corpusPath, doc.id);
    if (seen.has(path)) {
      report.errors.push({ path: corpusPath, line: i + 1, message: `duplicate id "${doc.id}" (line ignored)` });
      continue;
    }
    seen.add(path);
    report.filesSeen++;
    const contentHash = sha1(`${doc.text}\u0000${JSON.stringify(doc.spans ?? null)}`);
    const previous = c.store.getDocument(path);
    if (previous && previous.contentHash === contentHash) { report.filesUnchanged++; continue; }
    const t = performance.now();
    let ingested = ingestText(path, doc.text, 'verbatim');
    if (doc.spans) ingested = withSpansCovered(ingested, doc.spans);
    report.timings.ingestMs += performance.now() - t;
    report.bytesIndexed += Buffer.byteLength(doc.text);
    await pipeline.add(ingested, { contentHash, size: doc.text.length, mtimeMs: 0, docId: doc.id }, previous, doc.spans);
  }
  await pipeline.drain();
  for (const d of [...c.store.documents()]) {
    if (d.docId !== undefined && d.path.startsWith(`${corpusPath}#`) && !seen.has(d.path)) {
      c.store.removeDocument(d.path);
      report.filesRemoved++;
    }
  }
  options.progress?.({ what: 'Indexing', done: lines.length, total: lines.length });
}

/**
 * For each of a document's sentences (in order, as ingest gives them), the indices of the given
 * spans that lie inside it, in the spans' order. One pass over the spans sorted by start: going
 * over all of them for each sentence was quadratic in a long document.
 */
function spansBySentence(spans: Array<[number, number]>, sentences: Sentence[]): number[][] {
  const order = spans.map((_, g) => g).sort((a, b) => spans[a][0] - spans[b][0]);
  let first = 0; // the first span not starting before the sentence: none before it is in a later one
  return sentences.map(({ start, end }) => {
    while (first < order.length && spans[order[first]][0] < start) first++;
    const inside: number[] = [];
    for (let k = first; k < order.length && spans[order[k]][0] <= end; k++) if (spans[order[k]][1] <= end) inside.push(order[k]);
    return inside.sort((a, b) => a - b);
  });
}

/**
 * Given spans must all become mentions even when sentence splitting cuts through one (or a span
 * lies in whitespace the splitter dropped): merge sentences so every span sits inside one. A
 * document with given spans no longer than one sentence may be ({@link MAX_SENTENCE_LENGTH}) is
 * the unit of annotation (a labelled sentence or comment, as in `eval`'s protocol) and is one
 * sentence as a whole: its mentions are encoded with all of it as context, as `eval` encodes them.
 */
function withSpansCovered(doc: IngestedDocument, spans: Array<[number, number]>): IngestedDocument {
  const sentences = doc.paragraphs.flatMap((p) => p.sentences);
  const inSentence = new Uint8Array(spans.length);
  for (const inside of spansBySentence(spans, sentences)) for (const g of inside) inSentence[g] = 1;
  const covered = inSentence.every((x) => x === 1);
  if (covered && (sentences.length <= 1 || doc.text.length > MAX_SENTENCE_LENGTH)) return doc;
  // One sentence spanning the whole text: context is then the full document.
  const text = doc.text;
  return {
    ...doc,
    paragraphs: [{ start: 0, end: text.length, hash: sha1(text), sentences: [{ start: 0, end: text.length, text }] }],
  };
}
