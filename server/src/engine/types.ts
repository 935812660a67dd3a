// Core types shared along the data flow: ingest → detect → encode → index → query.
import { resolve } from 'node:path';

// Nothing here (or anywhere under engine/) may import from `vscode` or `vscode-languageserver`.

/** LSP-style position: 0-based line, UTF-16 code-unit character offset within the line. */
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

/** Half-open [start, end) span of UTF-16 offsets into some string. */
export interface OffsetSpan { start: number; end: number }

/** A sentence inside a document: offsets into the document's full text. */
export interface Sentence extends OffsetSpan { text: string }

/** A block of prose (Markdown paragraph, heading, list item, table cell row…). Unit of re-embedding. */
export interface Paragraph extends OffsetSpan {
  /** Content hash of the paragraph's prose text (and of its being a heading); equal hashes are never re-embedded. */
  hash: string;
  sentences: Sentence[];
  /** A Markdown heading (ATX or setext). */
  heading?: boolean;
  /**
   * Capitalised words of the paragraph (lower-cased) that its document uses in lower case and
   * never capitalises mid-sentence: opening a sentence here, such a word is no name
   * (ingest/positionalCapitals.ts).
   */
  positionalCapitals?: readonly string[];
  /** Its document writes names with capitals, so a sentence without any is no lower-cased text (ingest/positionalCapitals.ts). */
  casedDocument?: boolean;
  /**
   * Words the paragraph writes in lower case that its document capitalises alone mid-sentence or
   * as a line's label, and no less often than it writes them in lower case ("tobias: …" beside
   * "review from Tobias"; ingest/positionalCapitals.ts).
   */
  namesInLowerCase?: readonly string[];
}

export interface IngestedDocument {
  /** Path as given by the workspace (absolute file path, or `docId` for .jsonl corpora). */
  path: string;
  /** The document's full text exactly as decoded (offsets and ranges refer to it). */
  text: string;
  paragraphs: Paragraph[];
}

/** A mention to encode: a span inside its sentence (offsets into `sentence`). */
export interface MentionInput { sentence: string; start: number; end: number }

/** Detects untyped entity spans in one sentence. Offsets are into the sentence text. */
/** Where a sentence stands, when that changes what counts as a name. */
export interface SentenceContext {
  /** The sentence is a Markdown heading: its capitals are there by convention. */
  heading?: boolean;
  /** Its paragraph's {@link Paragraph.positionalCapitals}: a lone word among them is no name. */
  positionalCapitals?: readonly string[];
  /** Its document writes names with capitals ({@link Paragraph.casedDocument}). */
  casedDocument?: boolean;
  /** Its paragraph's {@link Paragraph.namesInLowerCase}. */
  namesInLowerCase?: readonly string[];
}

export interface SpanDetector {
  /** Stable identifier stored in the index; a change forces re-detection. */
  readonly id: string;
  detect(sentence: string, context?: SentenceContext): OffsetSpan[];
  /**
   * Spans of one paragraph's sentences, where the detector uses the paragraph (a name found in
   * one sentence is one in the others). Without it, each sentence is detected on its own.
   */
  detectParagraph?(sentences: SentenceToDetect[]): OffsetSpan[][];
}

/** A sentence to detect in, with its context. */
export interface SentenceToDetect extends SentenceContext {
  text: string;
  /** Index of its paragraph in the document: consecutive sentences with the same index are detected together (SpanDetector.detectParagraph). */
  paragraph?: number;
}

/**
 * A SpanDetector's work done elsewhere (a worker thread), many sentences per call, so that the
 * caller's thread can encode and index meanwhile. Same `id`, same spans as the detector it mirrors.
 */
export interface BatchSpanDetector {
  readonly id: string;
  /** Milliseconds spent detecting so far, on the other thread's clock. */
  readonly busyMs: number;
  /** Milliseconds spent ingesting (ingestAndDetect) so far, on the other thread's clock. */
  readonly ingestBusyMs?: number;
  detectMany(sentences: SentenceToDetect[]): Promise<OffsetSpan[][]>;
  /**
   * Ingests a document there too (Markdown or plain text into paragraphs and sentences), then
   * detects the sentences of its new paragraphs (those whose hash `previousHashes`, the stored
   * version's paragraph hashes, lacks) in the order the indexer expects them. Optional: without
   * it, the indexer ingests on its own thread.
   */
  ingestAndDetect?(document: DocumentToIngest): Promise<{ ingested: IngestedDocument; spans: OffsetSpan[][] }>;
  /**
   * The indexing encoder running beside the detector (same thread), when it could be loaded
   * there: the indexer then encodes each batch of mentions off its own thread while it stores the
   * previous batch.
   */
  readonly encoder?: BatchMentionEncoder;
  close(): Promise<void>;
}

/**
 * How a text's prose is found: Markdown (its code, front matter, HTML and link targets blanked),
 * a plain-text file (the code of reStructuredText, AsciiDoc and POD blanked: plainTextMarkup.ts,
 * podMarkup.ts) or verbatim (every
 * character is prose: a `.jsonl` corpus's documents, whose given spans may lie anywhere, and
 * evaluations on labelled sentences).
 */
export type DocumentKind = 'markdown' | 'plaintext' | 'verbatim';

/** A decoded document to ingest elsewhere (BatchSpanDetector.ingestAndDetect). */
export interface DocumentToIngest { path: string; text: string; kind: DocumentKind; previousHashes: string[] }

/** A MentionEncoder's mention encoding done elsewhere (a worker thread): same `id`, same vectors. */
export interface BatchMentionEncoder {
  readonly id: string;
  /** Milliseconds spent encoding so far, on the other thread's clock. */
  readonly busyMs: number;
  encodeMentions(mentions: MentionInput[]): Promise<Float32Array[]>;
}

/**
 * Maps mentions (in their sentence) and free-text type descriptions into one vector space
 * where cosine similarity means "this mention is of this type".
 */
export interface MentionEncoder {
  /** Stable identifier stored in the index; a change forces re-embedding. */
  readonly id: string;
  readonly dimension: number;
  encodeMentions(mentions: MentionInput[], token?: CancellationToken): Promise<Float32Array[]>;
  /** The type query is embedded as the bare description, one span covering all of it. */
  encodeQuery(description: string): Promise<Float32Array>;
  /**
   * The words of a description and those of them the encoder has no representation for (a
   * static vocabulary's unknown words), with each word's frequency rank in that vocabulary where
   * it has one (0 = most frequent, −1 = unknown; glued words are split by it: query/description.ts).
   * Encoders that can represent any text leave it out.
   */
  queryWords?(description: string): { words: string[]; unknown: string[]; ranks?: number[] };
  /**
   * Evidence for a type query beside the vectors (query/typeMembership.ts): which mention texts
   * are known members of the type. Encoders whose scores it was not tuned for leave it out.
   */
  typeMembership?(description: string): TypeMembership | undefined;
  dispose?(): Promise<void>;
}

/** A type query's membership test: a mention's score s becomes s + weight · fraction(text) · (1 − s), or lower where the mention names the type. */
export interface TypeMembership {
  readonly weight: number;
  /** 0..1: how much of the mention text's meaning falls under the type (0: unknown or not a member). */
  fraction(mentionText: string): number;
  /** Where the query keeps members to a place or time, how: "in Europe", "active 1801–1900" (for messages). */
  readonly restriction?: string;
  /**
   * Whether a mention text names the type itself or a broader kind rather than a member ("License"
   * for "open source license", "Language" for "programming language"): its score s becomes
   * s − weight · (1 + s) (0.8 → 0.08 at weight 0.4), far below the members it outscored.
   */
  namesType?(mentionText: string): boolean;
}

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export interface CancellationToken { readonly isCancellationRequested: boolean }

export class CancelledError extends Error {
  constructor() { super('Operation cancelled'); this.name = 'CancelledError'; }
}

export function throwIfCancelled(token?: CancellationToken): void {
  if (token?.isCancellationRequested) throw new CancelledError();
}

export const nullLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };

/** Progress reporting: `done` of `total` units of `what`. */
export type ProgressSink = (p: { what: string; done: number; total: number; message?: string }) => void;

/** Location of the shared data folder (never copied into the repo). */
export function sharedDir(): string {
  return process.env.NER_SHARED_DIR ?? resolve(process.cwd(), '../shared');
}

/**
 * Cooperative time slicing for long synchronous work on a shared event loop (the language server
 * answers requests on the same thread that indexes). `maybeYield()` returns undefined while the
 * current slice is within budget, else a promise that resolves on the next event-loop turn, after
 * pending I/O (incoming requests) had its chance.
 */
export interface Yielder { maybeYield(): Promise<void> | undefined }

export function timeSlicer(budgetMs = 8): Yielder {
  let sliceStart = performance.now();
  return {
    maybeYield() {
      if (performance.now() - sliceStart < budgetMs) return undefined;
      return new Promise((resolve) => setImmediate(() => { sliceStart = performance.now(); resolve(); }));
    },
  };
}
