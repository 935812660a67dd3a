// `ner-retriever model pull | list | rm`: LLM checkpoints from the Hugging Face hub, kept in the
// standard huggingface_hub cache (shared with Python tools). Results on stdout, the rest on stderr.
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { defaultCacheDir } from '../engine/encode/wordVectors.ts';
import { hubCacheDir, listCachedModels, pullModel, removeCachedModel, verifyCachedModels, type CachedModel } from '../engine/llm/hub.ts';
import { ensureValueGraph } from '../engine/llm/graphCache.ts';
import { CancelledError } from '../engine/types.ts';
import { stderrLogger } from './logger.ts';
// main.ts registers these commands; only its Ctrl+C token is used here, at run time (no init cycle).
import { sigintToken } from './main.ts';
import { layerNumber } from './numberOptions.ts';
import { createProgress } from './progress.ts';

/** Where `model pull --layer` puts built value graphs: <cache-dir>/llm-graphs, where the LLM encoder looks. */
export function valueGraphCacheDir(cacheDir?: string): string {
  return join(cacheDir ?? defaultCacheDir(), 'llm-graphs');
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return `${i === 0 ? n : n.toFixed(n >= 100 ? 0 : 1)} ${units[i]}`;
}


function statusOf(m: CachedModel): string {
  const parts: string[] = [];
  if (!m.revisions.length) parts.push('no snapshot');
  for (const r of m.revisions) {
    if (r.missing.length) parts.push(`${r.commit.slice(0, 7)} missing ${r.missing.join(', ')}`);
    if (r.damaged.length) parts.push(`${r.commit.slice(0, 7)} damaged ${r.damaged.join(', ')}`);
  }
  if (m.incompleteDownloads) parts.push(`${m.incompleteDownloads} partial download${m.incompleteDownloads > 1 ? 's' : ''}`);
  return parts.length ? `incomplete (${parts.join('; ')})` : 'complete';
}

function modelTable(models: CachedModel[]): string {
  const rows = [['MODEL', 'REVISIONS', 'SIZE', 'FILES', 'STATUS']];
  for (const m of models) {
    const revisions = m.revisions.map((r) => (r.refs.length ? `${r.refs.join(',')}@${r.commit.slice(0, 7)}` : r.commit.slice(0, 7))).join(' ') || '-';
    const files = new Set(m.revisions.flatMap((r) => r.files)).size;
    rows.push([m.repoId, revisions, formatBytes(m.sizeOnDisk), String(files), statusOf(m)]);
  }
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) => r.map((c, j) => (j === r.length - 1 ? c : c.padEnd(widths[j]))).join('  ')).join('\n');
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function registerModelCommands(program: Command): void {
  const model = program.command('model')
    .description('Download, list and remove LLM checkpoints from the Hugging Face hub (the huggingface_hub cache, shared with Python tools).');

  model.command('pull')
    .description('Download config, tokenizer and safetensors weights of a hub model; files already cached are checked (their size; with --verify their SHA-256 too) and fetched again only when damaged, interrupted downloads resume. Prints the snapshot folder.')
    .argument('<repo>', 'model id, e.g. meta-llama/Llama-3.2-1B')
    .option('--revision <rev>', 'branch, tag or commit hash', 'main')
    .option('--layer <L>', 'then build the truncated value graph up to layer L (0-based)', layerNumber)
    .option('--verify', 'also hash the cached weights against their SHA-256 before keeping them: reads every byte')
    .addHelpText('after', '\nGated models (Llama…): accept the licence on the model page, then set HF_TOKEN to a read token\n(or run `huggingface-cli login`). HF_ENDPOINT picks another hub; HF_HUB_CACHE or HF_HOME move the cache.')
    .action(async (repo: string, opts: { revision: string; layer?: number; verify?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals();
      const logger = stderrLogger(Boolean(g.verbose), Boolean(g.quiet));
      const progress = createProgress(!g.quiet);
      const token = sigintToken();
      let result;
      try {
        result = await pullModel(repo, { revision: opts.revision, logger, progress: progress.sink, token, verify: opts.verify });
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        progress.stop();
        process.stderr.write('Download stopped; run the same command again to resume.\n');
        process.exitCode = token.exitCode;
        return;
      } finally {
        progress.stop();
        token.dispose();
      }
      const fetched = result.files.filter((f) => f.downloaded);
      logger.info(result.offline
        ? `${repo}@${opts.revision}: hub unreachable, using the cached commit ${result.commit.slice(0, 7)}`
        : `${repo}@${opts.revision} (commit ${result.commit.slice(0, 7)}): ${fetched.length} file(s) downloaded ` +
          `(${formatBytes(result.bytesDownloaded)}), ${result.files.length - fetched.length} already cached`);
      if (opts.layer !== undefined) {
        const graph = await ensureValueGraph({ checkpointDir: result.snapshotDir, layer: opts.layer, cacheDir: valueGraphCacheDir(g.cacheDir), logger });
        logger.info(`value graph up to layer ${opts.layer}${graph.built ? '' : ' (already built)'}: ${graph.path}`);
      }
      process.stdout.write(`${result.snapshotDir}\n`);
    });

  model.command('list')
    .description('Models in the Hugging Face cache: revisions, size on disk, files, whether complete.')
    .option('--verify', 'also hash every LFS file (weights) and compare with the SHA-256 its blob is named by: reads every byte')
    .option('--json', 'a JSON array of {repoId, path, sizeOnDisk, revisions: [{commit, refs, snapshotDir, files, complete, missing, damaged}], incompleteDownloads}')
    .addHelpText('after', '\nComplete: every file the LLM encoder needs is there, and each safetensors file is as long as its header\n' +
      'says (a cheap check that catches a truncated copy). --verify also catches corrupted bytes.\n' +
      '`ner-retriever model pull <repo>` downloads damaged files again (it checks cached files before keeping them;\n' +
      '`pull --verify` hashes them too).')
    .action(async (opts: { json?: boolean; verify?: boolean }, cmd: Command) => {
      const models = listCachedModels();
      if (opts.verify) {
        const progress = createProgress(!cmd.optsWithGlobals().quiet);
        try { await verifyCachedModels(models, progress.sink); } finally { progress.stop(); }
      }
      if (opts.json) { process.stdout.write(`${JSON.stringify(models, null, 2)}\n`); return; }
      if (!models.length) {
        process.stderr.write(`No models in ${hubCacheDir()} (download one with \`ner-retriever model pull <org/name>\`).\n`);
        return;
      }
      process.stdout.write(`${modelTable(models)}\n`);
      if (!cmd.optsWithGlobals().quiet) process.stderr.write(`Cache: ${hubCacheDir()}\n`);
    });

  model.command('rm')
    .description('Delete a model (all its revisions) from the Hugging Face cache.')
    .argument('<repo>', 'model id, e.g. meta-llama/Llama-3.2-1B')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (repo: string, opts: { yes?: boolean }) => {
      const found = listCachedModels().find((m) => m.repoId === repo);
      if (!found) throw new Error(`${repo} is not in the Hugging Face cache (${hubCacheDir()}); see \`ner-retriever model list\``);
      if (!opts.yes) {
        if (!process.stdin.isTTY) throw new Error(`refusing to delete ${repo} (${formatBytes(found.sizeOnDisk)}) without confirmation: pass --yes`);
        if (!await confirm(`Delete ${repo} (${formatBytes(found.sizeOnDisk)}) from ${found.path}? [y/N] `)) {
          process.stderr.write('Nothing deleted.\n');
          return;
        }
      }
      const removed = removeCachedModel(repo);
      process.stderr.write(`Deleted ${repo}: ${formatBytes(removed.sizeOnDisk)} freed.\n`);
    });
}
