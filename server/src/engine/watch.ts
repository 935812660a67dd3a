// File watching for a WorkspaceIndex without an editor's watcher: chokidar on the workspace
// folders, feeding the index's serial change queue. Used by the language server (when the client
// offers no didChangeWatchedFiles registration) and by `ner-retriever watch`.
import { isAbsolute, relative } from 'node:path';
import { watch as chokidarWatch } from 'chokidar';
import type { Logger } from './types.ts';
import type { WorkspaceIndex } from './workspaceIndex.ts';

export type WatchEvent = 'add' | 'change' | 'unlink' | 'unlinkDir';

export interface WorkspaceWatcher {
  add(paths: string[]): void;
  unwatch(paths: string[]): void;
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
  options: { storeDir: string; logger: Logger; onEvent?: (event: WatchEvent, path: string) => void },
): WorkspaceWatcher {
  const insideStore = (path: string) => {
    const rel = relative(options.storeDir, path);
    return !rel || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  const watcher = chokidarWatch(roots, {
    ignoreInitial: true,
    ignored: (path, stats) => {
      const index = current();
      return insideStore(path) || (stats && index ? index.ignoresForWatch(path, stats.isDirectory()) : false);
    },
  });
  const on = (event: WatchEvent, apply: (index: WorkspaceIndex, path: string) => Promise<void>) => {
    watcher.on(event, (path: string) => {
      const index = current();
      if (!index) return;
      options.onEvent?.(event, path);
      void apply(index, path);
    });
  };
  on('add', (index, path) => index.updateFile(path));
  on('change', (index, path) => index.updateFile(path));
  on('unlink', (index, path) => index.removeFile(path));
  on('unlinkDir', (index, path) => index.removeFile(path));
  watcher.on('error', (e) => options.logger.warn(`File watcher: ${(e as Error).message}`));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    add: (paths) => { if (paths.length) watcher.add(paths); },
    unwatch: (paths) => { if (paths.length) watcher.unwatch(paths); },
    ready,
    close: () => watcher.close(),
  };
}
