// Progress on stderr: a bar on a TTY (cli-progress); otherwise (logs stay parseable) only a line
// when the one-time word-vector conversion starts, which would else look like a hang.
import cliProgress from 'cli-progress';
import { CONVERTING_WORD_VECTORS } from '../engine/encode/wordVectors.ts';
import type { ProgressSink } from '../engine/types.ts';

export interface ProgressReporter { sink: ProgressSink; stop(): void }

export function createProgress(enabled: boolean): ProgressReporter {
  if (!enabled) return { sink: () => {}, stop: () => {} };
  if (!process.stderr.isTTY) {
    let announced = false;
    const sink: ProgressSink = ({ what }) => {
      if (what !== CONVERTING_WORD_VECTORS || announced) return;
      announced = true;
      process.stderr.write('Converting the word vectors once into the cache (about 10 s) …\n');
    };
    return { sink, stop: () => {} };
  }
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
