// Entry point of the `ner-retriever` command.
import { main } from './main.ts';

main(process.argv).then((code) => { process.exitCode = code; });
