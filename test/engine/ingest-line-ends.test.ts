// A document reads the same whatever its line ends: "\r\n", "\n" and a lone "\r" each end a line
// (LSP's lines, LineIndex's), so the same text with any of them gives the same paragraphs,
// sentences, headings and case evidence, at the same LSP positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestText } from '../../server/src/engine/ingest/document.ts';
import { LineIndex } from '../../server/src/engine/ingest/positions.ts';

function view(text: string, kind: 'markdown' | 'plaintext'): string[] {
  const doc = ingestText('/notes', text, kind);
  const li = new LineIndex(text);
  const pos = (o: number) => `${li.positionAt(o).line}:${li.positionAt(o).character}`;
  return doc.paragraphs.flatMap((p) => [
    `paragraph ${pos(p.start)}-${pos(p.end)}${p.heading ? ' heading' : ''}${p.casedDocument ? ' cased' : ''} ${p.positionalCapitals ?? ''} ${p.namesInLowerCase ?? ''}`,
    ...p.sentences.map((s) => `  sentence ${pos(s.start)}-${pos(s.end)} ${JSON.stringify(s.text.replace(/\r\n|\r|\n/g, '⏎'))}`),
  ]);
}

/** Each "\n" of `text` as another line end; `mixed` cycles through the three (a "\r" right before an "\n" would make one "\r\n": a "\r\n" there instead). */
function withLineEnds(text: string, style: 'crlf' | 'cr' | 'mixed'): string {
  let k = 0;
  return text.replace(/\n/g, (_, at: number) => {
    if (style !== 'mixed') return style === 'crlf' ? '\r\n' : '\r';
    const end = ['\r', '\n', '\r\n'][k++ % 3];
    return end === '\r' && text[at + 1] === '\n' ? '\r\n' : end;
  });
}

const CASES: Array<[string, 'markdown' | 'plaintext' | 'both', string]> = [
  ['short item lines are one sentence each', 'both', 'item one Paris\nitem two Oslo\nitem three Rome\n\nTHE SOFTWARE IS PROVIDED "AS IS".\nThe Software is by Oracle.\n'],
  ['a table\'s rows in a text file', 'plaintext', '| City\t| River |\n| --- | --- |\n| Vienna\t| Danube |\n'],
  ['a line ended on purpose before a capitalised word', 'both', 'We drove all the way from the coast to the mountains and back again in one long day\nPaul Smith said it was worth it.\n'],
  ['labelled lines', 'both', 'Mia - Tues: drama club after school with the others\nLeo - Sat am football at the park near the station\n'],
  ['a POD heading is the only heading', 'plaintext', '=head1 Danube Notes\n\nThe Volga is long.\n\nHarvard Mark I.\nCall Dr. Okafor in Lagos.\n'],
  ['an inline literal across a line break', 'plaintext', 'Use ``Rhine\nValley`` here, near Basel.\n\nThen ```\n\tThames in fence\n``` ends.\n'],
  ['a reStructuredText literal block after "::"', 'plaintext', 'Intro ``x``, see the files::\n\n    Danube code here\n\nBack to Paris.\n'],
  ['a link title broken across lines', 'plaintext', 'A `Title of Danube\n<http://x.y>`_ link to Vienna.\n'],
  ['a name that opens its line after a list marker', 'both', 'Notes from the trip.\n- Reading: lovely in spring\nReading is a town near London.\n'],
];

for (const [name, kinds, text] of CASES) {
  test(`line ends: ${name}`, () => {
    for (const kind of kinds === 'both' ? (['markdown', 'plaintext'] as const) : [kinds]) {
      const lf = view(text, kind);
      for (const style of ['crlf', 'cr', 'mixed'] as const) assert.deepEqual(view(withLineEnds(text, style), kind), lf, `${kind}, ${style}`);
    }
  });
}
