// Capitals that only mark a position: a paragraph's capitalised words that its document writes in
// lower case and never capitalises mid-sentence (ingest/positionalCapitals.ts), the paragraph
// hash that carries that evidence, and the detector dropping such a lone first word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentCaseEvidence, positionalCapitals } from '../../server/src/engine/ingest/positionalCapitals.ts';
import { ingestText } from '../../server/src/engine/ingest/document.ts';
import { sentencesToDetect } from '../../server/src/engine/ingest/paragraphReuse.ts';
import { detectByParagraph } from '../../server/src/engine/detect/paragraphNames.ts';
import { loadDefaultDetector } from '../../server/src/engine/detect/index.ts';
import { TaggerDetector } from '../../server/src/engine/detect/tagger.ts';

/** The positional capitals of each blank-line-separated paragraph of `text`. */
function listsOf(text: string): Array<string[] | undefined> {
  const blocks: Array<{ start: number; end: number }> = [];
  for (const m of text.matchAll(/[^\n]+(?:\n[^\n]+)*/g)) blocks.push({ start: m.index, end: m.index + m[0].length });
  return positionalCapitals(text, blocks);
}

test('positionalCapitals: a capitalised word the document also writes in lower case, and never capitalises mid-sentence', () => {
  assert.deepEqual(listsOf('Servers SHOULD answer.\n\nA client may talk to several servers.'), [['servers'], undefined]);
  // No lower-case use: nothing to go on.
  assert.deepEqual(listsOf('Servers SHOULD answer.\n\nA client may talk to several hosts.'), [undefined, undefined]);
  // Capitalised mid-sentence somewhere ("written in Perl"): a name, whatever else the document does.
  assert.deepEqual(listsOf('Perl is old.\n\nIt is written in Perl, and perl runs it.'), [undefined, undefined]);
  assert.deepEqual(listsOf('Perl is old.\n\nTools, Perl among them, and perl itself.'), [undefined, undefined], 'after a comma');
  // Function words open most sentences and are never names alone: left out of the lists.
  assert.deepEqual(listsOf('The servers answer.\n\nThe client asks the servers.'), [undefined, undefined]);
  // A glued lower-case word is no plain use of the word ("node.js", "user-space").
  assert.deepEqual(listsOf('Node runs it.\n\nInstall node.js first.'), [undefined, undefined]);
  assert.deepEqual(listsOf('User tools run.\n\nSee the user-space tools.'), [undefined, undefined]);
  assert.deepEqual(listsOf('User tools run.\n\nSee the user tools.'), [['user'], undefined]);
  // A capitalised word after a caseless letter stands mid-sentence (CJK prose).
  assert.deepEqual(listsOf('Linux 内核.\n\n使用 Linux 的 linux 版本.'), [undefined, undefined]);
  // Each paragraph lists its own words, sorted and once each.
  assert.deepEqual(listsOf('Users and servers.\n\nServers answer. Users ask.\n\nsome users ask some servers'), [['users'], ['servers', 'users'], undefined]);
  // A Title Case line's capitals count as mid-sentence ones ("the Python Software Foundation")…
  assert.deepEqual(listsOf('Users and Servers\n\nServers answer. Users ask.\n\nsome users ask some servers'), [['users'], ['users'], undefined]);
  // …but not a heading's, capitalised by convention ("Pod Formatting Codes").
  const text = 'Users and Servers\n\nServers answer. Users ask.\n\nsome users ask some servers';
  assert.deepEqual(positionalCapitals(text, [{ start: 0, end: 17, heading: true }, { start: 19, end: 44 }, { start: 46, end: text.length }]), [['users'], ['servers', 'users'], undefined]);
  // A tab opens a table's or definition list's cell: a word after one is not mid-sentence.
  assert.deepEqual(listsOf('temp1_alarm\tChip temperature alarm.\n\nThe chip is hot.'), [['chip'], undefined]);
  // A line break does not end a sentence; a blank line does.
  assert.deepEqual(listsOf('Drivers load.\n\nIt loads the\nDrivers and the drivers.'), [undefined, undefined]);
  assert.deepEqual(listsOf('Drivers load.\n\nIt loads the drivers\n\nDrivers again.'), [['drivers'], undefined, ['drivers']]);
});

test('a term the document defines as licences do, (the "Software"), is listed wherever it is capitalised; the detector drops it alone', () => {
  const mit = 'Permission is granted to any person obtaining a copy of this software (the "Software"), to deal\nin the Software without restriction.\n\nThe Software is provided as is, by Jane Doe.';
  assert.deepEqual(listsOf(mit), [['software'], ['software']]);
  assert.deepEqual(listsOf('It uses the \u201cLicense\u201d terms (the \u201cLicense\u201d).\n\nSee the License of Apache.'), [['license'], ['license']], 'curly quotes');
  assert.deepEqual(listsOf('A tool in Go ("Golang") and Go again.'), [undefined], 'a name in quotes without "the" is no defined term');
  const det = loadDefaultDetector();
  const doc = ingestText('LICENSE.md', mit, 'markdown');
  const found = detectByParagraph(det, sentencesToDetect(doc, [])).flatMap((spans, i) => spans.map((x) => sentencesToDetect(doc, [])[i].text.slice(x.start, x.end)));
  assert.ok(!found.includes('Software'), found.join(' | '));
  assert.ok(found.includes('Jane Doe'), found.join(' | '));
});

test('paragraph hashes carry the evidence: a paragraph is detected again when it changes, and only then', () => {
  const first = 'Servers SHOULD handle all requests to the same location.';
  const before = `${first}\n\nA client may talk to several hosts at once.\n\nNothing else here.\n`;
  const evidence = `${first}\n\nA client may talk to several servers at once.\n\nNothing else here.\n`;
  const unrelated = `${first}\n\nA client may talk to several hosts at once.\n\nNothing more here.\n`;
  const hashes = (text: string) => ingestText('/n.md', text, 'markdown').paragraphs.map((p) => p.hash);
  const detected = (text: string, previous: string) => sentencesToDetect(ingestText('/n.md', text, 'markdown'), hashes(previous)).map((s) => s.text);
  // A lower-case "servers" elsewhere changes what the first paragraph's capital means.
  assert.deepEqual(detected(evidence, before), [first, 'A client may talk to several servers at once.']);
  assert.deepEqual(sentencesToDetect(ingestText('/n.md', evidence, 'markdown'), [])[0].positionalCapitals, ['servers']);
  // An edit that leaves the evidence alone re-detects only itself.
  assert.deepEqual(detected(unrelated, before), ['Nothing more here.']);
  // And taking the evidence away again restores the first paragraph's old hash.
  assert.equal(hashes(before)[0], hashes(`${first}\n\nNo clients.\n`)[0]);
  assert.notEqual(hashes(evidence)[0], hashes(before)[0]);
});

test('the detector drops a lone first word the document writes in lower case, if it is an ordinary word', () => {
  const detector = loadDefaultDetector();
  const spans = (text: string) => {
    const sentences = sentencesToDetect(ingestText('/n.md', text, 'markdown'), []);
    return detectByParagraph(detector, sentences).map((found, i) => found.map((x) => sentences[i].text.slice(x.start, x.end)));
  };
  const first = 'Servers SHOULD handle all requests to the same location.';
  assert.deepEqual(spans(first), [['Servers']], 'the tagger takes it for a name on its own');
  assert.deepEqual(spans(`${first}\n\nA client may talk to several servers at once.`), [[], []]);
  // Mid-sentence capitals elsewhere keep a name ("Shell" the company beside "shell" the word).
  assert.deepEqual(spans('Shell SHOULD handle all requests to the same location.\n\nThe shell of a turtle is hard, and Shell sells fuel.')[1], ['Shell']);
  // A tool written both ways is no ordinary word: it stays ("Setuptools offers …", "install setuptools").
  const tool = spans('Setuptools offers first class support for files.\n\nYou can install setuptools with pip.');
  assert.deepEqual(tool[0], ['Setuptools']);
  // Anywhere in the sentence: a table row's cell after its key (one the table-cell rule leaves:
  // no lower-case word after it).
  const row = 'temp2_input\t\tMeasured (in millidegrees).';
  const measured = (words?: string[]) => detector.detect(row, words ? { positionalCapitals: words } : undefined).map((x) => row.slice(x.start, x.end));
  assert.deepEqual(measured(), ['Measured']);
  assert.deepEqual(measured(['measured']), []);
  // Only a lone word: a longer name that starts with it stays.
  const context = { positionalCapitals: ['servers'] };
  assert.deepEqual(detector.detect(first, context), []);
  const s = 'Users of Windows see this message.';
  assert.ok(detector.detect(s, { positionalCapitals: ['users'] }).some((x) => s.slice(x.start, x.end) === 'Windows'));
  // The rule can be turned off, and says so in the detector's id.
  const off = new TaggerDetector(detector.model, (detector as unknown as { vectors: never }).vectors, { positionalCapitals: false });
  assert.deepEqual(off.detect(first, context).map((x) => first.slice(x.start, x.end)), ['Servers']);
  assert.ok(detector.id.includes('ID') && !off.id.includes('ID'), detector.id);
});

test('a document that writes names with capitals: its sentences without any are read as cased prose', () => {
  const cased = 'We met Anna in Lisbon and flew to Berlin.\n\n- to enable jack injection:\n';
  const lower = 'we met anna in lisbon and flew to berlin.\n\n- to enable jack injection:\n';
  const blocks = (t: string) => { const i = t.indexOf('\n\n'); return [{ start: 0, end: i }, { start: i + 2, end: t.length - 1 }]; };
  assert.equal(documentCaseEvidence(cased, blocks(cased)).cased, true);
  assert.equal(documentCaseEvidence(lower, blocks(lower)).cased, false);
  assert.equal(documentCaseEvidence('Lisbon is far. Berlin too.', [{ start: 0, end: 26 }]).cased, false, 'capitals at sentence starts say nothing');
  // The flag reaches every paragraph (and its hash), and the detector.
  const doc = ingestText('/n.md', cased, 'markdown');
  assert.ok(doc.paragraphs.every((p) => p.casedDocument));
  assert.notEqual(doc.paragraphs[1].hash, ingestText('/n.md', lower, 'markdown').paragraphs[1].hash);
  const detector = loadDefaultDetector();
  const item = 'to enable jack injection and watchdog resets on the hardware:';
  const texts = (casedDocument: boolean) => detector.detect(item, { casedDocument }).map((x) => item.slice(x.start, x.end));
  const off = new TaggerDetector(detector.model, (detector as unknown as { vectors: never }).vectors, { casedDocuments: false });
  const lowerCaseReading = off.detect(item, { casedDocument: true }).map((x) => item.slice(x.start, x.end));
  assert.deepEqual(texts(false), lowerCaseReading, 'without the flag: read as lower-cased text');
  assert.ok(lowerCaseReading.length > 0, 'which finds names among ordinary words here');
  assert.deepEqual(texts(true), [], 'in a cased document its ordinary words are no names');
});

test('lowerCaseNames: a word a paragraph writes in lower case that the document capitalises alone mid-sentence or as a label, no more often in lower case', () => {
  const text = 'Ravi: refund keys merged\n\nreview from Tobias pls\n\nravi: done, pr up\ntobias: staging cache up, ping Worktop Express\n\nthe worktop is oak';
  const blocks: Array<{ start: number; end: number }> = [];
  for (const m of text.matchAll(/[^\n]+(?:\n[^\n]+)*/g)) blocks.push({ start: m.index, end: m.index + m[0].length });
  const { lowerCaseNames } = documentCaseEvidence(text, blocks);
  assert.deepEqual(lowerCaseNames, [undefined, undefined, ['ravi', 'tobias'], undefined], '"Worktop" is a word of a longer name');
  // Written lower case more often than as a name: the document's word.
  const perf = 'use perf to record, then perf report.\n\nrun it as Perf says';
  const perfBlocks = [{ start: 0, end: perf.indexOf('\n') }, { start: perf.lastIndexOf('\n') + 1, end: perf.length }];
  assert.deepEqual(documentCaseEvidence(perf, perfBlocks).lowerCaseNames, [undefined, undefined]);
});

test('the detector finds a lower-case name its document capitalises elsewhere, unless English uses the word; the evidence travels in the paragraph hash', () => {
  const detector = loadDefaultDetector();
  const text = 'Tobias: on-call this week\n\nreview from Tobias pls\n\ntobias: staging cache up, needs hannah sign-off\nnote: audit prep, Hannah from compliance joins Thu';
  const sentences = sentencesToDetect(ingestText('/n.txt', text, 'plaintext'), []);
  const spans = detectByParagraph(detector, sentences).flatMap((found, i) => found.map((x) => sentences[i].text.slice(x.start, x.end)));
  assert.ok(spans.includes('tobias') && spans.includes('hannah'), spans.join(' | '));
  assert.ok(!spans.includes('note'), 'a common word capitalised as a label stays a word');
  const hashes = (t: string) => ingestText('/n.txt', t, 'plaintext').paragraphs.map((p) => p.hash);
  assert.notEqual(hashes(text)[2], hashes(text.replace('review from Tobias pls', 'review pls').replace('Tobias: on-call', 'on-call'))[2]);
  const off = new TaggerDetector(detector.model, (detector as unknown as { vectors: never }).vectors, { documentNames: false });
  assert.ok(!detectByParagraph(off, sentences).flatMap((found, i) => found.map((x) => sentences[i].text.slice(x.start, x.end))).includes('tobias'));
});
