// CLI logger: everything goes to stderr so stdout carries only results (e.g. --json lines).
import type { Logger } from '../engine/types.ts';
import { forTerminal } from './format.ts';

export function stderrLogger(verbose: boolean, quiet = false): Logger {
  const write = (prefix: string, m: string) => process.stderr.write(`${prefix}${forTerminal(m)}\n`);
  return {
    error: (m) => write('error: ', m),
    warn: (m) => { if (!quiet) write('warning: ', m); },
    info: (m) => { if (!quiet) write('', m); },
    debug: (m) => { if (verbose) write('debug: ', m); },
  };
}
