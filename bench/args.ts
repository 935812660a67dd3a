// Command-line options of the bench and research scripts: `--help` prints the script's header
// comment (its usage lines), and an unknown or malformed option says so beside it (exit code 2)
// instead of a stack trace.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The leading comment block of a script, without its comment markers. */
function usageOf(scriptUrl: string): string {
  const lines: string[] = [];
  for (const line of readFileSync(new URL(scriptUrl), 'utf8').split('\n')) {
    if (!line.startsWith('//')) break;
    lines.push(line.replace(/^\/\/ ?/, ''));
  }
  return `${lines.join('\n')}\n`;
}

/** `parseArgs(config)` of `node:util`, with `--help` and readable errors (`scriptUrl`: the script's import.meta.url). */
export function scriptArgs<T extends ParseArgsConfig>(config: T, scriptUrl: string): ReturnType<typeof parseArgs<T>> {
  if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(usageOf(scriptUrl));
    process.exit(0);
  }
  try {
    return parseArgs(config);
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n\n${usageOf(scriptUrl)}`);
    process.exit(2);
  }
}
