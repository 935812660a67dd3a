// Headless CLI on the same engine as the language server.
// Contract used by external evaluation (keep exactly): `index <path> --store <dir>`,
// `search <query> --store <dir> [--limit N] [--json] [--queries <file>]`, `eval <file>`.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { components, openStore, openStoreForSearch } from '../engine/engine.ts';
import { describeFileCounts, indexCorpus, indexWorkspace, isUnder, type IndexComponents, type IndexReport } from '../engine/indexer.ts';
import { NodeFileSystemWorkspace, DEFAULT_INCLUDE, DEFAULT_MAX_FILE_SIZE } from '../engine/ingest/workspace.ts';
import { decodeLoosely, decodeText } from '../engine/ingest/decode.ts';
import { StoreError, type StoredDocument } from '../engine/index/store.ts';
import { DEFAULT_SEARCH_LIMIT, MAX_NAMES_POOL, QueryError, checkQuery, readDifferently, searchMentions, searchNames, type NameHit, type SearchHit } from '../engine/query/search.ts';
import { CancelledError, type CancellationToken, type Logger } from '../engine/types.ts';
import { formatHit, formatName, forTerminal, hitToJson, LinePreviewer, nameToJson } from './format.ts';
import { megabytes, positiveInt, scoreBound } from './numberOptions.ts';
import { stderrLogger } from './logger.ts';
import { createProgress } from './progress.ts';
import { registerEvalCommand, registerTrainCommands } from './research.ts';
import { registerModelCommands } from './modelCommands.ts';
import { registerWatchCommand } from './watchCommand.ts';
import { addEncoderOptions, loadIndexModels, loadSearchModels, registerEmbedCommand } from './embedCommand.ts';
import packageJson from '../../../package.json' with { type: 'json' };

export const STORE_FOLDER = '.ner-retriever';

/** User-facing failure: printed as `error: message` with exit code 1 (no stack trace). */
export class UsageError extends Error {}


/**
 * A file the user named (`--queries`, `--descriptions`, an `eval` file), read whole. A missing file
 * or a folder fails in one line that names it: Node's EISDIR message names no path.
 */
export function readNamedFile(path: string, option = ''): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const { code, message } = e as NodeJS.ErrnoException;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : message;
    throw new UsageError(`${option ? `${option} ` : ''}${path}: ${why}`);
  }
}

/** The file filter options shared by `index` and `watch`. */
export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--include <glob>', 'only index matching files (repeatable; relative to the folder, so "*.md" is its top level only and "**/*.md" any depth; default Markdown and text files)', collectGlob)
    .option('--exclude <glob>', 'skip matching files (repeatable; relative to the folder, as --include)', collectGlob)
    .option('--max-file-size <MB>', `skip larger files (default ${DEFAULT_MAX_FILE_SIZE / 1024 / 1024} MB)`, megabytes)
    .option('--no-gitignore', 'do not respect .gitignore files');
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * A path argument or option. An empty one (`"$NOTES"` with the variable unset) resolves to the
 * current folder, which `index` would then index and `--in` keep the hits to: refused instead.
 */
export function pathValue(value: string): string {
  if (!value) throw new InvalidArgumentError('an empty path (an unset shell variable?); for the current folder give "."');
  return value;
}

function collectPath(value: string, previous: string[] = []): string[] {
  return collect(pathValue(value), previous);
}

function collectGlob(value: string, previous: string[] = []): string[] {
  if (!value.trim()) throw new InvalidArgumentError('an empty glob matches nothing; give a pattern such as "**/*.md"');
  return collect(value, previous);
}

/** Default store: a folder under the indexed root (for a file or corpus: beside it). */
export function defaultStoreFor(target: string): string {
  const abs = resolve(target);
  const isDir = existsSync(abs) && statSync(abs).isDirectory();
  return join(isDir ? abs : dirname(abs), STORE_FOLDER);
}

/** For `search` without --store: the nearest `.ner-retriever` folder from the current directory up. */
function findStore(): string | undefined {
  let dir = process.cwd();
  for (;;) {
    const candidate = join(dir, STORE_FOLDER);
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The exit status of a run a signal cancelled: 128 + the signal's number, as a shell reports it. */
let cancelledExitCode = 130;

/**
 * Cancelled by Ctrl+C or SIGTERM (`timeout`, a service manager, a CI job stopped): the work done
 * is kept and the store closed (its lock released); the same signal again exits at once.
 * `exitCode`: the status to exit with once cancelled (130 for SIGINT, 143 for SIGTERM).
 */
export function sigintToken(): CancellationToken & { dispose(): void; readonly exitCode: number } {
  const state = { isCancellationRequested: false, exitCode: 130 };
  const onSignal = (signal: NodeJS.Signals) => {
    const exitCode = signal === 'SIGTERM' ? 143 : 130;
    if (state.isCancellationRequested) process.exit(exitCode);
    state.isCancellationRequested = true;
    state.exitCode = cancelledExitCode = exitCode;
    process.stderr.write(`\nStopping after the current batch (${signal === 'SIGTERM' ? 'SIGTERM' : 'Ctrl+C'} again to abort)…\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return Object.assign(state, { dispose: () => { process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); } });
}

function printReport(report: IndexReport, seconds: number, quiet: boolean): void {
  // Without --quiet the engine's logger already warned about each skipped file as it went.
  if (quiet) for (const s of report.skipped) process.stderr.write(`skipped ${forTerminal(`${s.path}: ${s.reason}`)}\n`);
  for (const e of report.errors) process.stderr.write(`error: ${forTerminal(`${e.path}${e.line ? `:${e.line}` : ''}: ${e.message}`)}\n`);
  if (!quiet) process.stderr.write(`${indexSummary(report, seconds)}\n`);
}

/** `index`'s closing line. */
export function indexSummary(report: IndexReport, seconds: number): string {
  const size = report.bytesIndexed >= 1e6 ? `${(report.bytesIndexed / 1e6).toFixed(2)} MB` : `${(report.bytesIndexed / 1e3).toFixed(1)} KB`;
  return `Indexed ${report.filesIndexed} of ${report.filesSeen} documents (${describeFileCounts(report)}): ${report.mentionsEmbedded} new mentions ` +
    `embedded, ${report.paragraphsReused} paragraphs reused, ${size} in ${seconds.toFixed(1)} s.`;
}

/** --store and --cache-dir may name a folder that does not exist yet, but not a file (else: a raw ENOTDIR / EEXIST). */
function refuseFiles(command: Command): void {
  const { store, cacheDir } = command.optsWithGlobals();
  // The environment's cache folder is checked as the option is (it failed after a minute's conversion).
  const envCache = cacheDir === undefined ? process.env.NER_RETRIEVER_CACHE : undefined;
  for (const [option, dir] of [['--store', store], ['--cache-dir', cacheDir], ['NER_RETRIEVER_CACHE', envCache]]) {
    if (typeof dir === 'string' && existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${option} ${dir} is a file, not a folder`);
  }
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('ner-retriever')
    .description('Find every mention of a free-text entity type ("European river", "pharmaceutical drug") in your notes.')
    .version(packageJson.version, '-V, --version', 'print the version')
    .option('--cache-dir <dir>', 'where converted word vectors and models are cached (default: $NER_RETRIEVER_CACHE or ~/.cache/ner-retriever)', pathValue)
    .option('-v, --verbose', 'debug logging on stderr')
    .option('-q, --quiet', 'no progress or summary on stderr')
    // Every command takes these: `<command> --help` lists them too, under "Global Options".
    .configureHelp({ showGlobalOptions: true })
    .hook('preAction', (_program, command) => refuseFiles(command));

  const indexCmd = addEncoderOptions(program.command('index'))
    .description('Index a folder, a file, or a .jsonl corpus ({"id","text","spans"?} per line). Re-running re-embeds only what changed.')
    .argument('<path>', 'folder, file or .jsonl corpus', pathValue)
    .option('--store <dir>', `index location (default: <path>/${STORE_FOLDER}, or beside a file)`, pathValue)
    .option('--rebuild', 'delete the existing index (only if it is one) and start over')
    .option('--no-worker', 'detect spans on the indexing thread instead of a worker thread (which overlaps detection with indexing on 2+ cores)');
  addFilterOptions(indexCmd)
    .action(async (target: string, opts, cmd: Command) => {
      const g = cmd.optsWithGlobals();
      const logger = stderrLogger(Boolean(g.verbose), Boolean(g.quiet));
      const abs = resolve(target);
      if (!existsSync(abs)) throw new UsageError(`${target}: no such file or folder`);
      const storeDir = resolve(opts.store ?? defaultStoreFor(abs));
      const progress = createProgress(!g.quiet);
      const token = sigintToken();
      const started = performance.now();
      const indexWith = (c: IndexComponents, show = true): Promise<IndexReport> => {
        const o = { logger, progress: show ? progress.sink : undefined, token };
        if (abs.endsWith('.jsonl') && statSync(abs).isFile()) return indexCorpus(abs, decodeLoosely(readFileSync(abs)), c, o);
        const workspace = new NodeFileSystemWorkspace([abs], {
          include: opts.include, exclude: opts.exclude, excludeFolders: [storeDir],
          maxFileSize: opts.maxFileSize, respectGitignore: opts.gitignore,
        }, logger);
        return indexWorkspace(workspace, c, o);
      };
      try {
        const { models, afterOpen } = await loadIndexModels(storeDir, opts, { cacheDir: g.cacheDir, logger, progress: progress.sink }, (c) => indexWith(c, false));
        const store = await openStore(storeDir, models, { rebuild: opts.rebuild, rebuildOnMismatch: true, logger });
        try {
          afterOpen();
          const c = components(models, store, { detectorWorker: opts.worker, cacheDir: g.cacheDir, logger });
          const report = await indexWith(c);
          progress.stop();
          printReport(report, (performance.now() - started) / 1000, Boolean(g.quiet));
          // "Indexed 0 of 0 documents" alone left a folder of .docx or .html files unexplained.
          if (!report.filesSeen && statSync(abs).isDirectory()) {
            logger.warn(`no file to index under ${target}: ${opts.include ? `none matches --include ${opts.include.join(' ')}` : `the default --include takes ${DEFAULT_INCLUDE[0]}`}, and .gitignore or --exclude may leave files out`);
          }
          if (!g.quiet) process.stderr.write(`Store: ${forTerminal(storeDir)} (${store.mentionCount} mention${store.mentionCount === 1 ? '' : 's'} in ${store.documentCount} document${store.documentCount === 1 ? '' : 's'})\n`);
          if (report.errors.length) process.exitCode = 2;
        } finally {
          await store.close();
        }
      } finally {
        progress.stop();
        token.dispose();
      }
    });

  addEncoderOptions(program.command('search'))
    .description('Find mentions of an entity type, best first.')
    .argument('[query]', 'a free-text entity type, e.g. "European river"')
    .option('--store <dir>', `index location (default: the nearest ${STORE_FOLDER} folder from here up)`, pathValue)
    .option('--limit <N>', `hits per query (default ${DEFAULT_SEARCH_LIMIT})`, positiveInt)
    .option('--min-score <x>', 'drop hits scoring below x (-1..1)', scoreBound)
    .option('--queries <file>', 'answer every query in this file (one per line; blank lines and lines starting with # are skipped) in one process; "-" reads them from standard input')
    .option('--in <path>', 'only hits in this file, under this folder, or in this .jsonl corpus (repeatable)', collectPath)
    .option('--json', 'one JSON object per hit per line: query, score, text, path, range, docId')
    .option('--names', `one line per name (case aside) instead of per mention, best first: its best mention, and its mentions and files among the query's best mentions (up to ${MAX_NAMES_POOL.toLocaleString('en')}; with --json as mentions, documents)`)
    .addOption(new Option('--color <when>', 'colour the readable output').choices(['auto', 'always', 'never']).default('auto'))
    .allowExcessArguments() // checked below: the words of an unquoted query get a message that says so
    .action(async (query: string | undefined, opts, cmd: Command) => {
      const g = cmd.optsWithGlobals();
      if (cmd.args.length > 1) {
        throw new UsageError(`a query of several words goes in quotes, e.g. ner-retriever search "European river" (got ${cmd.args.length} arguments: ${cmd.args.map((a) => JSON.stringify(a)).join(' ')}); several queries: --queries <file>`);
      }
      const logger = stderrLogger(Boolean(g.verbose), Boolean(g.quiet));
      const queries: string[] = [];
      if (query !== undefined) queries.push(query);
      if (opts.queries) {
        // "-": the queries come on standard input (`… | ner-retriever search --queries -`).
        const bytes = opts.queries === '-' ? readFileSync(0) : readNamedFile(opts.queries, '--queries');
        const valid = decodeText(bytes).ok;
        decodeLoosely(bytes).split(/\r\n|\r|\n/).forEach((line, i) => {
          const q = line.trim();
          if (!q || q.startsWith('#')) return;
          // A Latin-1 "café" would otherwise be searched as "caf\uFFFD", without a word said.
          if (!valid && q.includes('\uFFFD')) logger.warn(`--queries ${opts.queries}:${i + 1}: not valid UTF-8, so its undecodable bytes are read as "\uFFFD" (save the file as UTF-8)`);
          queries.push(q);
        });
      }
      if (!queries.length) throw new UsageError(opts.queries ? `--queries ${opts.queries} holds no query (blank lines and lines starting with # are skipped)` : 'give a query, e.g. ner-retriever search "European river", or --queries <file>');
      const storeDir = opts.store ? resolve(opts.store) : findStore();
      if (!storeDir || !existsSync(storeDir) || readdirSync(storeDir).length === 0) {
        throw new UsageError(`no index at ${storeDir ?? `./${STORE_FOLDER} nor in a folder above`}: run \`ner-retriever index <folder>\` first (or pass --store)`);
      }
      // `--store notes` for `--store notes/.ner-retriever` is the likeliest slip: name the store it holds.
      const heldStore = join(storeDir, STORE_FOLDER);
      if (!existsSync(join(storeDir, 'store.json')) && existsSync(join(heldStore, 'store.json'))) {
        throw new UsageError(`${storeDir} is an indexed folder, not its store: search with --store ${heldStore} (or, inside the folder, without --store)`);
      }
      const progress = createProgress(!g.quiet);
      const { models, store } = await openStoreForSearch(storeDir, () => loadSearchModels(storeDir, opts, { cacheDir: g.cacheDir, logger, progress: progress.sink }), logger)
        .finally(() => progress.stop());
      try {
        const scope = searchScope(opts.in, store.documents(), logger);
        const color = opts.color === 'always' || (opts.color === 'auto' && process.stdout.isTTY && !process.env.NO_COLOR);
        const previewer = new LinePreviewer();
        const out: string[] = [];
        for (const q of queries) {
          let hits: SearchHit[];
          let names: NameHit[] | undefined;
          try {
            const { description, unknown } = checkQuery(q, models.encoder);
            const quoted = JSON.stringify(q.trim()); // control characters escaped, not sent to the terminal
            if (readDifferently(q, description)) logger.info(`${quoted} is searched as ${JSON.stringify(description)}`);
            if (unknown.length) logger.warn(`${quoted}: ${unknown.map((w) => JSON.stringify(w)).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not in the built-in encoder's vocabulary and ${unknown.length > 1 ? 'were' : 'was'} ignored`);
            const restriction = models.encoder.typeMembership?.(description)?.restriction;
            if (restriction) logger.info(`${quoted}: the names WordNet knows are kept to those ${restriction}`);
            if (opts.names) {
              const found = await searchNames(q, models.encoder, store, { limit: opts.limit, minScore: opts.minScore, scope });
              names = found.names;
              logger.debug(`${JSON.stringify(q.trim())}: ${names.length} names among the best ${found.pool} mentions`);
              hits = names.map((n) => n.best);
            } else {
              hits = await searchMentions(q, models.encoder, store, { limit: opts.limit, minScore: opts.minScore, scope });
            }
          } catch (e) {
            // A description of unknown words has no answer, which is not a failure of the run: the
            // other lines of a --queries file are still answered, and scripts see exit code 0.
            if (!(e instanceof QueryError) || !q.trim()) throw e;
            logger.warn(e.message);
            hits = [];
            names = opts.names ? [] : undefined;
          }
          if (opts.json) {
            if (names) for (const n of names) out.push(nameToJson(n));
            else for (const h of hits) out.push(hitToJson(h));
            continue;
          }
          if (queries.length > 1) out.push(`${color ? '\x1b[1m' : ''}${q}${color ? '\x1b[0m' : ''}`);
          if (!hits.length) out.push(store.mentionCount ? '  (no hits)' : '  (no mentions indexed)');
          if (names) for (const n of names) out.push(formatName(n, previewer, Boolean(color)));
          else for (const h of hits) out.push(formatHit(h, previewer, Boolean(color)));
          if (queries.length > 1) out.push('');
          if (out.length > 1000) { process.stdout.write(`${out.join('\n')}\n`); out.length = 0; }
        }
        if (out.length) process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        await store.close();
      }
    });

  registerEvalCommand(program);
  registerTrainCommands(program);
  registerModelCommands(program);
  registerWatchCommand(program);
  registerEmbedCommand(program);
  pointToHelpAfterErrors(program, program.name());
  return program;
}

/**
 * A mistyped option or a missing argument gets its error and one line naming the command's help:
 * the whole help after it (40 lines for `search`) pushed the error itself off the screen.
 */
function pointToHelpAfterErrors(cmd: Command, commandLine: string): void {
  cmd.showHelpAfterError(`hint: see \`${commandLine} --help\``);
  for (const sub of cmd.commands) pointToHelpAfterErrors(sub, `${commandLine} ${sub.name()}`);
}

/**
 * `--in` paths as a search scope: a document counts when its path is one of them or lies under
 * one (a .jsonl corpus's documents lie under the corpus file). Each path that holds no indexed
 * document gets a warning, since its hits would silently be none.
 */
function searchScope(paths: string[] | undefined, documents: Iterable<StoredDocument>, logger: Logger): ((path: string) => boolean) | undefined {
  if (!paths?.length) return undefined;
  const roots = paths.map((p) => resolve(p));
  const holds = (root: string, path: string) => isUnder(path, root) || path.startsWith(`${root}#`);
  const empty = new Set(roots);
  for (const d of documents) {
    for (const r of empty) if (holds(r, d.path)) empty.delete(r);
    if (!empty.size) break;
  }
  for (const r of empty) logger.warn(`--in ${r}: no indexed document there`);
  return (path) => roots.some((r) => holds(r, path));
}

/**
 * What to do about a failed write the system reports (a full or read-only disk fails deep inside a
 * write, with a bare errno message); the store's journal keeps every document committed before.
 */
export function systemErrorHint(e: unknown): string | undefined {
  const { code, path } = (e ?? {}) as NodeJS.ErrnoException;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'the disk is full. Every document indexed before the failure is kept; free some space and re-run the same command to finish.';
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return `${path ?? 'a file'} cannot be written there; choose a writable --store (or --cache-dir).`;
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof StoreError) {
      process.stderr.write(`error: ${forTerminal(e.message)}\n`);
      if (e instanceof StoreError && (e.code === 'corrupt' || e.code === 'mismatch')) {
        process.stderr.write('hint: re-run `ner-retriever index <path> --rebuild` to recreate the index.\n');
      }
      if (e instanceof StoreError && e.code === 'foreign') {
        // --rebuild would not help: it never deletes a folder that is not a store.
        process.stderr.write('hint: that folder is not a ner-retriever store; choose another --store (to index, a new or empty folder).\n');
      }
      return 1;
    }
    if (e instanceof CancelledError) { process.stderr.write('Cancelled; what was indexed so far is kept.\n'); return cancelledExitCode; }
    process.stderr.write(`error: ${forTerminal((e as Error).message ?? String(e))}\n`);
    const hint = systemErrorHint(e);
    if (hint) process.stderr.write(`hint: ${hint}\n`);
    if (process.env.NER_RETRIEVER_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
}
