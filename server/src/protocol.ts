// The language server's custom protocol: every `ner/*` method with its params and results, shared
// by the server and the VS Code client (and documented in docs/lsp-extensions.md).
// No imports at all: the server (vscode-languageserver) and the client (vscode-languageclient) ship
// different vscode-jsonrpc versions whose RequestType classes are not interchangeable, so each
// message is a method name carrying its param/result types; `Params<T>`/`Result<T>` recover them.

/** A request: `method` plus phantom param/result types. */
export interface RequestDef<P, R> { readonly method: string; readonly kind: 'request'; readonly _types?: [P, R] }
/** A notification: `method` plus a phantom param type. */
export interface NotificationDef<P> { readonly method: string; readonly kind: 'notification'; readonly _types?: [P] }
export type Params<T> = T extends RequestDef<infer P, unknown> ? P : T extends NotificationDef<infer P> ? P : never;
export type Result<T> = T extends RequestDef<unknown, infer R> ? R : never;
const request = <P, R>(method: string): RequestDef<P, R> => ({ method, kind: 'request' });
const notification = <P>(method: string): NotificationDef<P> => ({ method, kind: 'notification' });

/** LSP position: 0-based line, UTF-16 code-unit offset within the line. */
export interface NerPosition { line: number; character: number }
export interface NerRange { start: NerPosition; end: NerPosition }

// ---------------------------------------------------------------- ner/search

export interface SearchParams {
  /** Free-text entity type, e.g. "European river". Must not be empty. */
  query: string;
  /** Maximum number of hits (default: the `searchLimit` setting, 50; at most 1000). */
  limit?: number;
  /** Only hits in these documents or under these folders (file URIs). */
  scope?: string[];
  /**
   * One hit per name (case and spacing aside) instead of per mention: `limit` names, each at its
   * best mention, and `names` in the result says how many mentions and files each has.
   */
  names?: boolean;
}

export interface SearchHit {
  /** File URI of the document. */
  uri: string;
  /** Exact range of the mention (UTF-16, like every LSP range). */
  range: NerRange;
  /** The mention text. */
  text: string;
  /** Similarity of the mention and the type query: mention vector · query vector (higher is better). */
  score: number;
  /** The full text of the line the mention starts on, for display. */
  preview: string;
}

export interface SearchResult {
  hits: SearchHit[];
  /** True when indexing is still running (or paused): the hits come from what is indexed so far. */
  partial: boolean;
  /** The description the query was searched as, when that is not the query as written ("CarManufacturer" → "car manufacturer"). */
  searchedAs?: string;
  /** Where the query keeps the names WordNet knows to a place or time, how ("European river": "in Europe"; "19th-century composer": "active 1801–1900"). */
  restrictedTo?: string;
  /** With `names: true`: one entry per hit, in the same order. */
  names?: NameSummary[];
}

/** A name among the query's best mentions (up to 64,000 of them): how often and where it occurs there. */
export interface NameSummary {
  /** The name as its best mention (the hit at the same index) writes it. */
  text: string;
  mentions: number;
  /** Files its mentions are in. */
  files: number;
}

export const SearchRequest = request<SearchParams, SearchResult>('ner/search');

// ---------------------------------------------------------------- ner/status

export type Health = 'ok' | 'warning' | 'error';

export interface StatusParams {
  health: Health;
  /** True when no indexing work is running or queued, and indexing is not paused. */
  quiescent: boolean;
  /** Indexing is paused (`ner/pause`) until `ner/resume`; work that arrives meanwhile is held. */
  paused: boolean;
  /** Files indexed so far (during indexing: files processed of `totalFiles`). */
  indexedFiles: number;
  /** Files the index covers: those a full pass lists (kept up to date by file events between passes), plus
   *  unsaved open documents it covers (0 before the first listing); when quiescent, `indexedFiles` ≤ `totalFiles` (a binary
   *  file counts only here). */
  totalFiles: number;
  /** Entity mentions in the index. */
  mentions: number;
  /** Human-readable state, e.g. "Indexing 12/40 files" or "Index up to date". */
  message: string;
}

export const StatusNotification = notification<StatusParams>('ner/status');

// ---------------------------------------------------------------- ner/reindex, ner/pause, ner/resume

export interface ReindexParams {
  /** Wipe the index and rebuild it from scratch (default: incremental re-scan). */
  rebuild?: boolean;
}

/** Re-scans the workspace; resolves once the re-scan has been queued (watch `ner/status` for completion). */
export const ReindexRequest = request<ReindexParams | null | undefined, null>('ner/reindex');

/** Stops indexing work (the running pass is interrupted; file changes are queued) until `ner/resume`. */
export const PauseRequest = request<void, null>('ner/pause');

/** Resumes indexing: an interrupted pass restarts (incrementally) and queued changes are applied. */
export const ResumeRequest = request<void, null>('ner/resume');

// ---------------------------------------------------------------- ner/highlights

export interface HighlightsParams {
  /** File URI of the document. */
  uri: string;
  /** Free-text entity type, e.g. "river". Must not be empty. */
  query: string;
  /** Minimum score (default 0.4, -1..1). */
  minScore?: number;
}

export interface Highlight {
  range: NerRange;
  text: string;
  score: number;
}

export interface HighlightsResult {
  /** Matching mentions of the document, in document order. */
  highlights: Highlight[];
  /** True while indexing is running (or paused): the document may not be indexed in its latest state yet. */
  partial: boolean;
}

/** The mentions of one document that match a type query, for the client to decorate. */
export const HighlightsRequest = request<HighlightsParams, HighlightsResult>('ner/highlights');

// ---------------------------------------------------------------- settings

/** `workspace/configuration` section read by the server (per resource for the type-label settings). */
export const SETTINGS_SECTION = 'nerRetriever';

export interface NerSettings {
  /** Type vocabulary for inlay hints (default: person, organization, location, … software). */
  typeLabels?: string[];
  /** Minimum score for an inlay hint label (default 0.35). */
  typeLabelThreshold?: number;
  /** Files larger than this many bytes are skipped (default 5 MiB). */
  maxFileSize?: number;
  /** Globs (relative to a workspace folder) of files to index (default Markdown and text files). */
  include?: string[];
  /** Globs of files to leave out (added to the built-in node_modules, .git, … exclusions). */
  exclude?: string[];
  /** Default `ner/search` limit when the request gives none (default 50). */
  searchLimit?: number;
  /** Inlay type labels on/off (default true; false: no hints, as with an empty `typeLabels`). */
  typeLabelsEnabled?: boolean;
  /** Mention encoder: "static" (built in) or a Hugging Face model id / local checkpoint folder for the LLM encoder. */
  encoder?: string;
  /** Execution device for the LLM encoder. */
  device?: 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml';
  /** Transformer layer whose v_proj output the LLM encoder reads (default: the model manifest's, e.g. 17 for Llama-3.1-8B). */
  layer?: number;
}

// ---------------------------------------------------------------- initialization

/** `initializationOptions` the server understands. */
export interface InitializationOptions {
  /** Folder for the index (the client's workspace storage); default a per-user cache folder. */
  storagePath?: string;
  /** Word-vector cache folder (default $NER_RETRIEVER_CACHE, else $XDG_CACHE_HOME/ner-retriever, else ~/.cache/ner-retriever). */
  cacheDir?: string;
  /** Log debug messages too (as `trace: "verbose"` in `initialize` does). */
  verbose?: boolean;
}

/** File globs the server indexes (and asks the client to watch). */
export const WATCH_GLOB = '**/*.{md,markdown,mdx,txt,text,rst,org}';

/** .gitignore files, also watched: a change to one can take in or leave out notes anywhere below it. */
export const GITIGNORE_GLOB = '**/.gitignore';
