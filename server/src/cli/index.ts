// Entry point of the `ner-retriever` command.
import { main } from './main.ts';

// A reader that stops early (`search … | head`) closes the pipe: stop quietly, as a program in a
// pipeline does, instead of dying on an unhandled EPIPE with a stack trace. A closed stderr
// (`2>&1 | head`) only loses messages: an `index` run goes on and finishes its store.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });
process.stderr.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') throw e; });

main(process.argv).then((code) => { process.exitCode = code; });
