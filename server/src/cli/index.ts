// Entry point of the `ner-retriever` command.
import { main } from './main.ts';

// A reader that stops early (`search … | head`) closes the pipe: stop quietly, as a program in a
// pipeline does, instead of dying on an unhandled EPIPE with a stack trace. Output that cannot be
// written (a full disk) is one error line. A failing stderr only loses messages: an `index` run
// goes on and finishes its store.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  process.stderr.write(`error: cannot write the output: ${e.message}\n`);
  process.exit(1);
});
process.stderr.on('error', () => {});

main(process.argv).then((code) => { process.exitCode = code; });
