// Progress on stderr: a bar on a TTY (cli-progress), nothing otherwise (logs stay parseable).
import cliProgress from 'cli-progress';
import type { ProgressSink } from '../engine/types.ts';

export interface ProgressReporter { sink: ProgressSink; stop(): void }

export function createProgress(enabled: boolean): ProgressReporter {
  if (!enabled || !process.stderr.isTTY) return { sink: () => {}, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  let current = '';
  const sink: ProgressSink = ({ what, done, total, message }) => {
    if (what !== current) {
      bar?.stop();
      current = what;
      bar = new cliProgress.SingleBar({
        stream: process.stderr,
        format: `${what.padEnd(26)} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} {file}`,
        hideCursor: true, clearOnComplete: false, etaBuffer: 50,
      }, cliProgress.Presets.shades_classic);
      bar.start(Math.max(total, 1), done, { file: '' });
    }
    bar?.setTotal(Math.max(total, 1));
    bar?.update(done, { file: message ? shorten(message, 40) : '' });
  };
  return { sink, stop: () => { bar?.stop(); bar = undefined; current = ''; } };
}

function shorten(s: string, n: number): string {
  return s.length <= n ? s : `…${s.slice(s.length - n + 1)}`;
}
