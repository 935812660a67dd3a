// File watching for a WorkspaceIndex without an editor's watcher: chokidar on the workspace
// folders, feeding the index's serial change queue. Used by the language server (when the client
// offers no didChangeWatchedFiles registration) and by `ner-retriever watch`.
import { accessSync, constants as fsConstants, existsSync, readdirSync, readlinkSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isOutside, isUnder, statVersion } from './ingest/workspace.ts';
import { watch as chokidarWatch } from 'chokidar';
import type { Logger } from './types.ts';
import type { WorkspaceIndex } from './workspaceIndex.ts';

export type WatchEvent = 'add' | 'change' | 'unlink' | 'unlinkDir';

/** How long after a file's last event the watcher checks its stat once more. */
const RECHECK_MS = 500;

export interface WorkspaceWatcher {
  add(paths: string[]): void;
  unwatch(paths: string[]): void;
  /** Watches again the folders turned away that the index's include/exclude settings (`setFilter`) no longer hide. */
  filterChanged(): void;
  /** Resolves once chokidar has scanned the folders (events before that may be missed). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Watches `roots` and queues every change into the index. `current` is read at each event, so the
 * caller may replace the index (e.g. after an encoder change). The store folder is never watched.
 */
export function watchWorkspace(
  roots: string[],
  current: () => WorkspaceIndex | undefined,
  options: { storeDir: string; logger: Logger; onEvent?: (event: WatchEvent, path: string) => void; recheckMs?: number },
): WorkspaceWatcher {
  const insideStore = (path: string) => {
    const rel = relative(options.storeDir, path);
    return !rel || !isOutside(rel);
  };
  // Folders turned away below (chokidar then neither watches nor re-reads them): a changed
  // .gitignore may let them in again, and chokidar re-reads only the .gitignore's own folder.
  const skippedFolders = new Set<string>();
  /** The watched workspace folders (not the folders above them, which chokidar watches too). */
  const folders = new Set(roots);
  /**
   * What a symbolic link leads to, as the listing follows links: a folder outside the workspace
   * folders is watched as a folder; one inside them (its files are watched under their own paths)
   * or holding one (a loop) is not followed, nor a link loop. Undefined for a link to a file, or a broken link.
   */
  const linkedFolder = (path: string): 'folder' | 'not followed' | undefined => {
    let real: string;
    try {
      if (!statSync(path).isDirectory()) return undefined;
      real = realpathSync(path);
    } catch (e) {
      // A loop ("a.md -> a.md") can never be read: the pass names it; chokidar would warn of ELOOP.
      return (e as NodeJS.ErrnoException).code === 'ELOOP' ? 'not followed' : undefined;
    }
    const realRoots = [...folders].map((r) => { try { return realpathSync(r); } catch { return r; } });
    return realRoots.some((r) => isUnder(real, r) || isUnder(r, real)) ? 'not followed' : 'folder';
  };
  // A broken link ("notes.md -> ../shared/notes.md" before that file exists): chokidar cannot
  // watch what it leads to, and the link itself does not change when the target appears. The
  // nearest existing folder above each target is watched, down the path to it and no further.
  const brokenLinks = new Map<string, Set<string>>();
  // Initial events on: a target created before its watch is set up is reported as found.
  const targetWatcher = chokidarWatch([], {
    ignoreInitial: false,
    followSymlinks: false,
    ignored: (path) => ![...brokenLinks.keys()].some((target) => isUnder(target, path)),
  });
  const watchIfBroken = (link: string) => {
    let target: string;
    try {
      if (existsSync(link)) return;
      target = resolve(dirname(link), readlinkSync(link));
    } catch { return; }
    const links = brokenLinks.get(target);
    if (links) { links.add(link); return; }
    brokenLinks.set(target, new Set([link]));
    let folder = dirname(target);
    while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
    targetWatcher.add(folder);
  };
  const targetAppeared = (target: string) => {
    const links = brokenLinks.get(target);
    const index = current();
    if (!links || !index) return;
    brokenLinks.delete(target);
    for (const link of links) {
      // Watched again: chokidar now follows the link to its target.
      watcher.unwatch(link).add(link);
      void index.updateFile(link);
      scheduleRecheck(link);
    }
  };
  // 'change' too: a target created while its watch was being set up is seen at its next write.
  for (const event of ['add', 'addDir', 'change'] as const) targetWatcher.on(event, targetAppeared);
  const watcher = chokidarWatch(roots, {
    ignoreInitial: true,
    ignored: (path, stats) => {
      const index = current();
      if (insideStore(path)) return true;
      // A .gitignore is no note, but what it says decides which notes are indexed.
      if (isGitignore(path) && !stats?.isDirectory()) return false;
      if (!stats || !index) return false;
      // Chokidar lists folders with lstat: a link to a folder comes as a link, not a folder.
      const linked = stats.isSymbolicLink() ? linkedFolder(path) : undefined;
      if (linked === 'not followed') return true;
      // Whatever it is to lead to (a note, a folder of notes), the index decides once it exists.
      if (stats.isSymbolicLink() && linked === undefined) watchIfBroken(path);
      const isDirectory = stats.isDirectory() || linked === 'folder';
      // A folder that cannot be listed is left out, as the listing leaves it: turned away here,
      // chokidar sees it as new (and reads it) when its parent reports a permission change.
      if (isDirectory && !canList(path)) return true;
      const skip = index.ignoresForWatch(path, isDirectory);
      if (skip && isDirectory) skippedFolders.add(path);
      return skip;
    },
  });
  /** Watches the folders turned away below `base` (all of them without one) that the index's filters no longer hide. */
  const watchUnhidden = (index: WorkspaceIndex, base?: string) => {
    for (const folder of skippedFolders) {
      if ((base !== undefined && isOutside(relative(base, folder))) || index.ignoresForWatch(folder, true)) continue;
      skippedFolders.delete(folder);
      try { if (statSync(folder).isDirectory()) watcher.add(folder); } catch { /* gone */ }
    }
    // Files turned away too (not covered then: `*.txt` before `include` took it in). Chokidar keeps
    // no watch on them, so their deletion went unseen and left them indexed. They are not kept in
    // a set (every non-note file of a code repository would be): the watched folders are read again.
    for (const [dir, names] of Object.entries(watcher.getWatched())) {
      if ((base !== undefined && isOutside(relative(base, dir))) || ![...folders].some((r) => !isOutside(relative(r, dir)))) continue;
      const known = new Set(names);
      let entries: Dirent[];
      try { entries = readdirSync(dir, { withFileTypes: true }); } catch { continue; }
      const files = entries.filter((e) => e.isFile() && !known.has(e.name)).map((e) => join(dir, e.name))
        .filter((path) => !insideStore(path) && !index.ignoresForWatch(path, false));
      if (files.length) watcher.add(files);
    }
  };
  // A second look at each file a little after its last event: under load chokidar now and then
  // reports nothing for a write that quickly follows another (seen in test/lsp/lsp-watch: add +
  // change for the first write, no event for the second), which would leave the file stale until
  // the next pass. Its per-file throttle and access-time check are plausible causes.
  const rechecks = new Map<string, NodeJS.Timeout>();
  const later = (path: string, check: () => void) => {
    clearTimeout(rechecks.get(path));
    const timer = setTimeout(() => { rechecks.delete(path); check(); }, options.recheckMs ?? RECHECK_MS);
    timer.unref();
    rechecks.set(path, timer);
  };
  const scheduleRecheck = (path: string) => later(path, () => {
    void current()?.recheckFile(path).then((queued) => { if (queued) options.logger.debug(`File watcher: ${path} changed without an event`); });
  });
  // A .gitignore too: a pass that read its first write would otherwise stay in force. Its stat at
  // the event (time, size, inode: what the listing's .gitignore cache keys on) is compared.
  const gitignorePass = (path: string, index: WorkspaceIndex) => {
    watchUnhidden(index, dirname(path));
    void index.indexAll();
    const seen = statVersion(path);
    later(path, () => {
      const now = current();
      if (now && statVersion(path) !== seen) { options.logger.debug(`File watcher: ${path} changed without an event`); gitignorePass(path, now); }
    });
  };
  const on = (event: WatchEvent, apply: (index: WorkspaceIndex, path: string) => Promise<void>) => {
    watcher.on(event, (path: string) => {
      const index = current();
      if (!index) return;
      options.onEvent?.(event, path);
      // A changed .gitignore may take in or leave out files anywhere below it: a pass over the
      // folders (incremental: only what it changes is read) applies it, as a fresh index would.
      if (isGitignore(path)) { gitignorePass(path, index); return; }
      void apply(index, path);
      if (event !== 'unlinkDir') scheduleRecheck(path);
    });
  };
  // A file replaced by a folder of its name can be reported as a change of the file; chokidar then
  // does not watch the folder, and edits inside it would go unseen. It also keeps its watch on the
  // deleted file, which add() would reuse (files created in the folder went unseen): unwatch first.
  const watchIfFolder = (path: string) => void stat(path).then((st) => { if (st.isDirectory()) watcher.unwatch(path).add(path); }, () => {});
  on('add', (index, path) => index.updateFile(path));
  on('change', (index, path) => { watchIfFolder(path); return index.updateFile(path); });
  on('unlink', (index, path) => { watchIfBroken(path); return index.removeFile(path); });
  on('unlinkDir', (index, path) => index.removeFile(path));
  watcher.on('error', (e) => {
    // A file or folder without read permission: the index says so when it reads it.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') options.logger.debug(`File watcher: ${(e as Error).message}`);
    else options.logger.warn(`File watcher: ${(e as Error).message}`);
  });
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    add: (paths) => { for (const p of paths) folders.add(p); if (paths.length) watcher.add(paths); },
    unwatch: (paths) => { for (const p of paths) folders.delete(p); if (paths.length) watcher.unwatch(paths); },
    filterChanged: () => { const index = current(); if (index) watchUnhidden(index); },
    ready,
    close: () => {
      for (const timer of rechecks.values()) clearTimeout(timer);
      rechecks.clear();
      return Promise.all([watcher.close(), targetWatcher.close()]).then(() => {});
    },
  };
}

function canList(folder: string): boolean {
  try { accessSync(folder, fsConstants.R_OK | fsConstants.X_OK); return true; } catch { return false; }
}

function isGitignore(path: string): boolean {
  return basename(path) === '.gitignore';
}
