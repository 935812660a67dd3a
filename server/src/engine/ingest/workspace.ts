// The engine's file-system abstraction: which files to index, and reading them.
import { lstat, readdir, readFile, realpath, stat, access } from 'node:fs/promises';
import { constants as fsConstants, readFileSync, statSync, type Dirent, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { nullLogger, throwIfCancelled, type CancellationToken, type Logger } from '../types.ts';

export interface WorkspaceFile { path: string; size: number; mtimeMs: number }
/** A file or folder left out of the listing, with a human-readable reason. */
export interface SkippedFile { path: string; reason: string }

export interface Workspace {
  /** Root folders (absolute). */
  readonly roots: string[];
  listFiles(token?: CancellationToken): AsyncIterable<WorkspaceFile>;
  readFile(path: string): Promise<Uint8Array>;
  /** Files skipped during the last listing, with why (too large, unreadable; ignored is NOT reported). */
  readonly skipped: SkippedFile[];
}

export interface FileFilter {
  /** Globs (relative to the root, `/`-separated) a file must match; default {@link DEFAULT_INCLUDE}. */
  include?: string[];
  /** Globs (relative to the root, or absolute) excluding files and folders; added to {@link DEFAULT_EXCLUDE}. */
  exclude?: string[];
  /** Bytes; default {@link DEFAULT_MAX_FILE_SIZE}. */
  maxFileSize?: number;
  /** Honour `.gitignore` files at every level (default true). */
  respectGitignore?: boolean;
  /** Absolute folders never listed, whatever the globs (the store's own folder): paths, not globs, so "notes (x)" is literal. */
  excludeFolders?: string[];
}

export const DEFAULT_EXCLUDE = [
  '**/node_modules/**', '**/.git/**', '**/.hg/**', '**/.svn/**', '**/.ner-retriever/**',
  '**/.venv/**', '**/__pycache__/**', '**/.vscode-test/**',
  // Generated copies of a project's own docs: Sphinx's _build holds every page again as _sources/*.txt.
  '**/_build/**', '**/site-packages/**', '**/.tox/**', '**/.mypy_cache/**', '**/.pytest_cache/**',
];
export const DEFAULT_INCLUDE = ['**/*.{md,markdown,mdx,txt,text,rst,org}'];
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

interface IgnoreLayer { base: string; ig: Ignore }

/** Applies .gitignore layers (outermost first; a deeper file's negation can re-include). */
function matchGitignore(layers: IgnoreLayer[], abs: string, isDir: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const rel = toPosix(relative(layer.base, abs));
    if (!rel || isOutside(rel)) continue;
    const r = layer.ig.test(isDir ? rel + '/' : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/**
 * Parsed .gitignore per folder, re-read when its stat changes (single-file checks from watchers):
 * its time, size and inode, so that a rewrite within one timestamp tick (or a file replaced by a
 * rename, as editors save) is still seen when its length or inode differs.
 */
/** A file's modification time, length and inode as one string (a rewrite within one timestamp tick changes the length or inode), or undefined when it cannot be read. */
export function statVersion(path: string): string | undefined {
  try { const st = statSync(path); return `${st.mtimeMs}:${st.size}:${st.ino}`; } catch { return undefined; }
}

const gitignoreCache = new Map<string, { version: string; ig: Ignore } | null>();

function gitignoreLayer(dir: string): IgnoreLayer | undefined {
  const file = join(dir, '.gitignore');
  let version: string;
  const seen = statVersion(file);
  if (seen === undefined) { gitignoreCache.set(dir, null); return undefined; }
  version = seen;
  let entry = gitignoreCache.get(dir);
  if (!entry || entry.version !== version) {
    try { entry = { version, ig: ignore().add(readFileSync(file, 'utf8')) }; } catch { return undefined; }
    if (gitignoreCache.size > 10_000) gitignoreCache.clear();
    gitignoreCache.set(dir, entry);
  }
  return { base: dir, ig: entry.ig };
}

/**
 * Whether the .gitignore files from `root` down to `path` ignore it or one of its folders: the
 * listing's rules, for a single path reported by a file watcher.
 */
export function isGitignoredUnder(root: string, path: string, isDir = false): boolean {
  const rel = relative(root, path);
  if (!rel || isOutside(rel)) return false;
  const parts = rel.split(sep);
  const layers: IgnoreLayer[] = [];
  let dir = root;
  for (let i = 0; i < parts.length; i++) {
    const layer = gitignoreLayer(dir);
    if (layer) layers.push(layer);
    const last = i === parts.length - 1;
    dir = join(dir, parts[i]);
    if (matchGitignore(layers, dir, last ? isDir : true)) return true;
  }
  return false;
}

/** The listing's exclude rule for one path, relative (POSIX) and absolute: a folder also matches as "name/". */
export function matchesExclude(exclude: (p: string) => boolean, rel: string, absPosix: string, isDir: boolean): boolean {
  return exclude(rel) || exclude(absPosix) || (isDir && (exclude(`${rel}/`) || exclude(`${absPosix}/`)));
}

interface DirFrame { dir: string; entries: Dirent[]; index: number; layers: IgnoreLayer[] }

/** Files under folders on disk (or single files), filtered by globs, .gitignore and size. */
export class NodeFileSystemWorkspace implements Workspace {
  readonly roots: string[];
  skipped: SkippedFile[] = [];
  private readonly inputs: string[];
  private readonly include: (p: string) => boolean;
  private readonly exclude: (p: string) => boolean;
  private readonly maxFileSize: number;
  private readonly respectGitignore: boolean;
  private readonly excludeFolders: string[];

  constructor(rootsOrFiles: string[], filter: FileFilter = {}, private readonly logger: Logger = nullLogger) {
    this.inputs = rootsOrFiles.map((p) => resolve(p));
    this.roots = [...this.inputs];
    const include = filter.include?.length ? filter.include : DEFAULT_INCLUDE;
    this.include = picomatch(include, { dot: true });
    this.exclude = picomatch([...DEFAULT_EXCLUDE, ...(filter.exclude ?? []).map(toPosix)], { dot: true });
    this.maxFileSize = filter.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    this.respectGitignore = filter.respectGitignore ?? true;
    this.excludeFolders = (filter.excludeFolders ?? []).map((f) => resolve(f));
  }

  async readFile(path: string): Promise<Uint8Array> {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private skip(path: string, reason: string): void {
    this.skipped.push({ path, reason });
    this.logger.warn(`Skipping ${path}: ${reason}`);
  }

  private isExcluded(root: string, abs: string, isDir: boolean): boolean {
    if (this.excludeFolders.some((f) => isUnder(abs, f))) return true;
    return matchesExclude(this.exclude, toPosix(relative(root, abs)), toPosix(abs), isDir);
  }

  /** Size limit and readability; returns the file or undefined (recorded in `skipped`). */
  private async checkFile(path: string, st: Stats): Promise<WorkspaceFile | undefined> {
    if (st.size > this.maxFileSize) {
      this.skip(path, `larger than ${formatBytes(this.maxFileSize)} limit (${formatBytes(st.size)})`);
      return undefined;
    }
    try {
      await access(path, fsConstants.R_OK);
    } catch (e) {
      this.skip(path, `unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return undefined;
    }
    return { path, size: st.size, mtimeMs: st.mtimeMs };
  }

  private async loadGitignore(dir: string): Promise<IgnoreLayer | undefined> {
    if (!this.respectGitignore) return undefined;
    try {
      const text = await readFile(join(dir, '.gitignore'), 'utf8');
      return { base: dir, ig: ignore().add(text) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.logger.warn(`Cannot read ${join(dir, '.gitignore')}: ${(e as Error).message}`);
      return undefined;
    }
  }

  private async openDir(dir: string, layers: IgnoreLayer[]): Promise<DirFrame | undefined> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      this.skip(dir, `unreadable folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return undefined;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const layer = await this.loadGitignore(dir);
    return { dir, entries, index: 0, layers: layer ? [...layers, layer] : layers };
  }

  async *listFiles(token?: CancellationToken): AsyncIterable<WorkspaceFile> {
    this.skipped = [];
    const seenFiles = new Set<string>();
    const visitedDirs = new Set<string>();
    for (const input of this.inputs) {
      throwIfCancelled(token);
      let st: Stats;
      try {
        st = await stat(input);
      } catch (e) {
        this.skip(input, `cannot access (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        continue;
      }
      if (st.isFile()) {
        // Explicitly named file: no include/exclude globs, only the size and readability checks.
        if (seenFiles.has(input)) continue;
        seenFiles.add(input);
        const f = await this.checkFile(input, st);
        if (f) yield f;
        continue;
      }
      if (!st.isDirectory()) {
        this.skip(input, 'not a regular file or folder (a pipe, socket or device)');
        continue;
      }
      const root = input;
      const realRoot = await realpath(root).catch(() => root);
      if (visitedDirs.has(realRoot)) continue;
      visitedDirs.add(realRoot);
      const first = await this.openDir(root, []);
      if (first) yield* this.walk(root, realRoot, first, seenFiles, visitedDirs, token);
    }
  }

  /**
   * The files listFiles would list under `folder`, a folder inside one of the roots (a folder a
   * watcher reports as created): the same include globs (relative to the root), exclusions,
   * .gitignore files from the root down, size limit and symlink handling. Nothing when the folder
   * or one above it is excluded or ignored.
   */
  async *listFilesUnder(folder: string, token?: CancellationToken): AsyncIterable<WorkspaceFile> {
    this.skipped = [];
    const abs = resolve(folder);
    const root = this.inputs.find((r) => isUnder(abs, r));
    if (!root) return;
    const realRoot = await realpath(root).catch(() => root);
    // The .gitignore layers the walk from the root would have on reaching the folder.
    let layers: IgnoreLayer[] = [];
    let dir = root;
    for (const part of relative(root, abs).split(sep).filter(Boolean)) {
      const layer = await this.loadGitignore(dir);
      if (layer) layers = [...layers, layer];
      dir = join(dir, part);
      if (this.isExcluded(root, dir, true) || matchGitignore(layers, dir, true) || await linkNotFollowed(dir, realRoot)) return;
    }
    const first = await this.openDir(abs, layers);
    if (first) yield* this.walk(root, realRoot, first, new Set(), new Set([await realpath(abs).catch(() => abs)]), token);
  }

  /** Depth-first from an opened folder under `root`: the files to index, in name order. */
  private async *walk(root: string, realRoot: string, first: DirFrame, seenFiles: Set<string>, visitedDirs: Set<string>, token?: CancellationToken): AsyncIterable<WorkspaceFile> {
    const stack: DirFrame[] = [first];
    while (stack.length) {
      throwIfCancelled(token);
      const frame = stack[stack.length - 1];
      if (frame.index >= frame.entries.length) { stack.pop(); continue; }
      const entry = frame.entries[frame.index++];
      const abs = join(frame.dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let entryStat: Stats | undefined;
      if (entry.isSymbolicLink()) {
        try {
          entryStat = await stat(abs);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (this.isExcluded(root, abs, false) || matchGitignore(frame.layers, abs, false)) continue;
          if (!this.include(toPosix(relative(root, abs)))) continue;
          this.skip(abs, code === 'ENOENT' ? 'broken symbolic link' : code === 'ELOOP' ? 'symbolic link loop' : `unreadable (${code ?? (e as Error).message})`);
          continue;
        }
        isDir = entryStat.isDirectory();
        isFile = entryStat.isFile();
      }
      if (isDir) {
        if (this.isExcluded(root, abs, true) || matchGitignore(frame.layers, abs, true)) continue;
        let real: string;
        try { real = await realpath(abs); } catch { real = abs; }
        // A link to a folder inside the root: its files are listed under their own paths, whichever
        // name sorts first ("a -> notes" would otherwise take notes/ over), as a watcher sees them.
        if (entry.isSymbolicLink() && real !== realRoot && isUnder(real, realRoot)) {
          this.logger.debug(`Not descending into ${abs}: a link to ${real}, listed under its own path`);
          continue;
        }
        if (visitedDirs.has(real)) {
          this.logger.debug(`Not descending into ${abs}: already visited (${real})`);
          continue;
        }
        // A link to a folder that holds the root ("up -> ..", "-> /") would index everything
        // around the folder asked for; links elsewhere are followed, as an editor's search does.
        if (entry.isSymbolicLink() && isUnder(realRoot, real)) {
          this.skip(abs, `a link to ${real}, which holds the indexed folder`);
          continue;
        }
        visitedDirs.add(real);
        const sub = await this.openDir(abs, frame.layers);
        if (sub) stack.push(sub);
        continue;
      }
      if (!isFile) continue;
      const rel = toPosix(relative(root, abs));
      if (!this.include(rel) || this.isExcluded(root, abs, false) || matchGitignore(frame.layers, abs, false)) continue;
      let st2 = entryStat;
      if (!st2) {
        try { st2 = await stat(abs); } catch (e) {
          // Names are listed as UTF-8; one that is not comes back with U+FFFD and no longer names the file.
          const code = (e as NodeJS.ErrnoException).code;
          this.skip(abs, code === 'ENOENT' && entry.name.includes('\uFFFD') ? 'its name is not valid UTF-8 (rename the file to index it)' : `unreadable (${code ?? (e as Error).message})`);
          continue;
        }
      }
      // Symlinked files are followed (listed under the link's path, like an editor would).
      if (seenFiles.has(abs)) continue;
      seenFiles.add(abs);
      const f = await this.checkFile(abs, st2);
      if (f) yield f;
    }
  }
}

/**
 * Whether `path` is a link to a folder the walk does not descend into: one that holds the root
 * (`up -> ..`) or lies inside it (its files are listed under their own paths), or a broken one.
 */
async function linkNotFollowed(path: string, realRoot: string): Promise<boolean> {
  if (!(await lstat(path).catch(() => undefined))?.isSymbolicLink()) return false;
  const real = await realpath(path).catch(() => undefined);
  return real === undefined || isUnder(realRoot, real) || isUnder(real, realRoot);
}

/**
 * Whether a folder between `root` and the file `path` is a link the listing does not follow (so
 * the file is not listed): a watcher that followed a link before it was retargeted to ".." goes on
 * reporting files under it.
 */
export async function isBehindLinkNotFollowed(root: string, path: string): Promise<boolean> {
  const parts = relative(root, dirname(path)).split(sep).filter(Boolean);
  if (!parts.length) return false;
  const realRoot = await realpath(root).catch(() => root);
  let dir = root;
  for (const part of parts) {
    dir = join(dir, part);
    if (await linkNotFollowed(dir, realRoot)) return true;
  }
  return false;
}

/** Whether `path` is `root` or lies inside it (both absolute and resolved). */
export function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** A path relative to a base is outside it when it climbs out: "..", "../x" (not "..draft.md"), or another drive. */
export function isOutside(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith('../') || isAbsolute(rel);
}

/** An in-memory workspace (tests, virtual documents). Paths are used as given. */
export class InMemoryWorkspace implements Workspace {
  readonly roots: string[];
  readonly skipped: SkippedFile[] = [];
  private readonly files = new Map<string, { bytes: Uint8Array; mtimeMs: number }>();
  private clock = 1;

  constructor(files: Record<string, string | Uint8Array>, roots?: string[]) {
    for (const [path, content] of Object.entries(files)) this.set(path, content);
    this.roots = roots ?? [...new Set([...this.files.keys()].map((p) => dirname(p)))].sort();
  }

  /** Adds or replaces a file (its mtime advances). */
  set(path: string, content: string | Uint8Array): void {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    this.files.set(path, { bytes, mtimeMs: this.clock++ });
  }

  delete(path: string): boolean { return this.files.delete(path); }

  async *listFiles(token?: CancellationToken): AsyncIterable<WorkspaceFile> {
    for (const path of [...this.files.keys()].sort()) {
      throwIfCancelled(token);
      const f = this.files.get(path);
      if (f) yield { path, size: f.bytes.byteLength, mtimeMs: f.mtimeMs };
    }
  }

  async readFile(path: string): Promise<Uint8Array> {
    const f = this.files.get(path);
    if (!f) {
      const err = new Error(`ENOENT: no such file '${path}'`) as NodeJS.ErrnoException;
      err.code = 'ENOENT';
      throw err;
    }
    return f.bytes;
  }
}
