// Runs a value graph (valueGraph.ts) with onnxruntime-node: right-padded batches in, one
// [tokens × kvDim] array per sequence out, on the requested execution provider when available.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readOnnxMetadata } from '../encode/onnxWriter.ts';
import { nullLogger, type Logger } from '../types.ts';

export type ExecutionDevice = 'cpu' | 'cuda' | 'dml' | 'coreml' | 'auto';
type Provider = Exclude<ExecutionDevice, 'auto'>;

export interface ValueRunnerOptions {
  device?: ExecutionDevice;
  threads?: number;
  logger?: Logger;
  /**
   * onnxruntime's CPU worker threads busy-wait between operators by default (default true here
   * too): slightly lower latency, but they burn CPU after each call and slow other processes
   * (and other sessions) sharing the cores. false = block instead.
   */
  spinWait?: boolean;
}

const HOW_TO_ENABLE: Record<Exclude<Provider, 'cpu'>, string> = {
  cuda: 'CUDA needs Linux x64, CUDA 12 + cuDNN 9, and the CUDA provider binaries of onnxruntime-node: '
    + 'run `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` (install scripts allowed; see README "GPU (CUDA)")',
  dml: 'DirectML is only in the Windows build of onnxruntime-node',
  coreml: 'CoreML is only in the macOS build of onnxruntime-node',
};

// Provider binaries onnxruntime-node downloads at install time instead of bundling.
const PROVIDER_LIBRARY: Partial<Record<Provider, string>> = { cuda: 'libonnxruntime_providers_cuda.so' };

function providerAvailable(p: Provider): boolean {
  const backend = ort.listSupportedBackends().find((b) => b.name === p);
  if (!backend) return false;
  if (backend.bundled) return true;
  const lib = PROVIDER_LIBRARY[p];
  if (!lib) return false;
  try {
    const pkgDir = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    return existsSync(join(pkgDir, 'bin', 'napi-v6', process.platform, process.arch, lib));
  } catch {
    return false; // package layout not as expected (bundled differently): treat as missing
  }
}

const warned = new Set<string>();
function warnOnce(logger: Logger, key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  logger.warn(message);
}

/** The provider to try: the requested one, or for 'auto' the first accelerator present. */
function chooseProvider(device: ExecutionDevice, logger: Logger): Provider {
  if (device === 'cpu') return 'cpu';
  if (device === 'auto') return (['cuda', 'dml', 'coreml'] as const).find(providerAvailable) ?? 'cpu';
  if (providerAvailable(device)) return device;
  warnOnce(logger, device, `execution provider "${device}" is not available in this onnxruntime-node; running on CPU. ${HOW_TO_ENABLE[device]}`);
  return 'cpu';
}

export class ValueVectorRunner {
  private constructor(
    private session: ort.InferenceSession,
    readonly kvDim: number,
    readonly device: Provider,
  ) {}

  static async create(graphPath: string, opts: ValueRunnerOptions = {}): Promise<ValueVectorRunner> {
    const logger = opts.logger ?? nullLogger;
    const meta = readOnnxMetadata(readFileSync(graphPath));
    const kvDim = Number(meta.kv_dim);
    if (!(kvDim > 0)) throw new Error(`${graphPath}: not a value graph (no kv_dim metadata)`);
    const base: ort.InferenceSession.SessionOptions = {
      graphOptimizationLevel: 'all',
      ...(opts.threads ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {}),
      ...(opts.spinWait === false ? { extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } } : {}),
    };
    const provider = chooseProvider(opts.device ?? 'auto', logger);
    if (provider !== 'cpu') {
      try {
        const session = await ort.InferenceSession.create(graphPath, { ...base, executionProviders: [provider, 'cpu'] });
        return new ValueVectorRunner(session, kvDim, provider);
      } catch (e) {
        warnOnce(logger, `${provider}-failed`, `execution provider "${provider}" failed to start (${(e as Error).message}); running on CPU`);
      }
    }
    const session = await ort.InferenceSession.create(graphPath, { ...base, executionProviders: ['cpu'] });
    return new ValueVectorRunner(session, kvDim, 'cpu');
  }

  /** All sequences run as one right-padded batch; split large inputs with batchByTokenCount. */
  async run(sequences: number[][]): Promise<Float32Array[]> {
    const batch = sequences.length;
    const tokens = Math.max(0, ...sequences.map((s) => s.length));
    if (batch === 0 || tokens === 0) return sequences.map(() => new Float32Array(0));
    const ids = new BigInt64Array(batch * tokens);
    const mask = new BigInt64Array(batch * tokens);
    sequences.forEach((s, b) => s.forEach((id, t) => { ids[b * tokens + t] = BigInt(id); mask[b * tokens + t] = 1n; }));
    const out = await this.session.run({
      input_ids: new ort.Tensor('int64', ids, [batch, tokens]),
      attention_mask: new ort.Tensor('int64', mask, [batch, tokens]),
    }, ['values']);
    const values = out.values.data as Float32Array;
    const rows = sequences.map((s, b) => values.slice(b * tokens * this.kvDim, (b * tokens + s.length) * this.kvDim));
    out.values.dispose();
    return rows;
  }

  async dispose(): Promise<void> { await this.session.release(); }
}

/**
 * Splits sequences (by their lengths) into batches whose padded size (longest × count) stays within
 * `maxTokensPerBatch`. Sorting by length first keeps padding low; a sequence longer than the budget
 * gets a batch of its own. Returns indices into `lengths`.
 */
export function batchByTokenCount(lengths: number[], maxTokensPerBatch: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  let longest = 0;
  for (const i of order) {
    const len = Math.max(1, lengths[i]);
    const nextLongest = Math.max(longest, len);
    if (current.length && nextLongest * (current.length + 1) > maxTokensPerBatch) {
      batches.push(current);
      current = [];
      longest = 0;
    }
    current.push(i);
    longest = Math.max(longest, len);
  }
  if (current.length) batches.push(current);
  return batches;
}
