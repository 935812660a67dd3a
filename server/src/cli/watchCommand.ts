// `ner-retriever watch <folder>`: index a folder, then keep the index current as files change, with
// the same WorkspaceIndex and chokidar watcher the language server uses without an editor watcher.
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadModelsForStore } from '../engine/engine.ts';
import { watchWorkspace } from '../engine/watch.ts';
import { WorkspaceIndex, type IndexState } from '../engine/workspaceIndex.ts';
import { stderrLogger } from './logger.ts';
import { addFilterOptions, defaultStoreFor, pathValue, STORE_FOLDER, UsageError } from './main.ts';

export function registerWatchCommand(program: Command): void {
  addFilterOptions(program.command('watch')
    .description('Index a folder, then keep its index up to date as files change (Ctrl+C stops). `search` works meanwhile.')
    .argument('<folder>', 'folder to index and watch', pathValue)
    .option('--store <dir>', `index location (default: <folder>/${STORE_FOLDER})`, pathValue))
    .action(async (target: string, opts, cmd: Command) => {
      const g = cmd.optsWithGlobals();
      const logger = stderrLogger(Boolean(g.verbose), Boolean(g.quiet));
      const root = resolve(target);
      if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`${target}: not a folder`);
      const storeDir = resolve(opts.store ?? defaultStoreFor(root));
      // Listened for from the start: a Ctrl+C while the models load or the store opens stops too.
      let stopping = false;
      let stopSignal = 'SIGINT' as NodeJS.Signals; // set by the handler below
      const stopped = new Promise<void>((done) => {
        const stop = (signal: NodeJS.Signals) => { stopSignal = signal; done(); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }).then(() => { stopping = true; });
      // A long-running process, like the language server: word-vector rows are read as needed.
      const models = await loadModelsForStore(storeDir, { cacheDir: g.cacheDir, logger, rowsOnDemand: true });
      let last: IndexState | undefined;
      let lastSaid = '';
      const onState = (state: IndexState) => {
        // One line per settled state (not per progress tick), and not the same line again (a file's
        // event and its re-check settle twice); none once stopping (a cancelled pass settles too).
        if (!stopping && state.quiescent && (!last || !last.quiescent)) {
          const said = `Index up to date: ${state.mentions} mentions in ${state.indexedFiles} files${state.warnings.length ? ` (${state.warnings.length} warnings)` : ''}`;
          if (said !== lastSaid) logger.info(said);
          lastSaid = said;
        }
        last = state;
      };
      const index = await WorkspaceIndex.open({
        roots: [root], storeDir, models, logger, onState,
        filter: { include: opts.include, exclude: opts.exclude, maxFileSize: opts.maxFileSize, respectGitignore: opts.gitignore },
      });
      const watcher = watchWorkspace([root], () => index, {
        storeDir, logger, onEvent: (event, path) => logger.debug(`${event} ${relative(root, path)}`),
      });
      let firstPassDone = false;
      try {
        // The pass starts after the watcher's scan, so no change falls between the two.
        if (!stopping) await Promise.race([watcher.ready.then(() => index.indexAll()).then(() => { firstPassDone = !stopping; }), stopped]);
        if (firstPassDone) {
          logger.info(`Watching ${root} (store ${storeDir}); Ctrl+C stops`);
          await stopped;
        }
      } finally {
        await watcher.close();
        await index.close();
      }
      if (!firstPassDone) {
        // As `index` says when stopped: what was done is kept, the rest is for the next run.
        logger.warn('Stopped before the first pass finished: the index keeps what was indexed so far; run `watch` or `index` again to complete it');
        process.exitCode = stopSignal === 'SIGTERM' ? 143 : 130; // as a shell reports the signal
        return;
      }
      logger.info('Stopped; the index is saved');
    });
}
