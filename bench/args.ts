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
  // A string option takes the next argument whatever it looks like ("--tag -p64"), as these
  // scripts' documented commands write it; parseArgs wants "--tag=-p64" for a leading dash.
  const args = [...(config.args ?? process.argv.slice(2))];
  for (let i = 0; i < args.length - 1; i++) {
    const name = /^--([^=]+)$/.exec(args[i])?.[1];
    if (name && config.options?.[name]?.type === 'string' && args[i + 1].startsWith('-')) args.splice(i, 2, `${args[i]}=${args[i + 1]}`);
  }
  try {
    return parseArgs({ ...config, args }) as ReturnType<typeof parseArgs<T>>;
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n\n${usageOf(scriptUrl)}`);
    process.exit(2);
  }
}
