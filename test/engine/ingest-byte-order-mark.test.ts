// A buffer that starts with U+FEFF (an editor that keeps a file's byte-order mark) reads as the
// file does once decoded (the mark stripped): the same paragraphs, sentences and headings, each
// one character further on, since the buffer's offsets count the mark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestText } from '../../server/src/engine/ingest/document.ts';

/** Paragraphs and sentences as offsets into the text after the first `shift` characters. */
function view(text: string, kind: 'markdown' | 'plaintext', shift = 0): string[] {
  return ingestText('/notes', text, kind).paragraphs.flatMap((p) => [
    `paragraph ${p.start - shift}-${p.end - shift}${p.heading ? ' heading' : ''}`,
    ...p.sentences.map((s) => `  sentence ${s.start - shift}-${s.end - shift} ${JSON.stringify(s.text)}`),
  ]);
}

const CASES: Array<[string, 'markdown' | 'plaintext', string]> = [
  ['front matter', 'markdown', '---\ntitle: Volga trip\nauthor: Marie Curie\n---\n\nThe Danube flows past Vienna.\n'],
  ['a code fence on the first line', 'markdown', '```\nToyota in code\n```\n\nThe Danube flows past Vienna.\n'],
  ['indented code on the first line', 'markdown', '    Toyota code block\n\nThe Danube flows past Vienna.\n'],
  ['an HTML block on the first line', 'markdown', '<div>\nSiemens in html\n</div>\n\nThe Danube flows past Vienna.\n'],
  ['a heading on the first line', 'markdown', '# Toyota and Nagoya\n\nThe Danube flows past Vienna.\n'],
  ['an Org keyword line', 'plaintext', '#+TITLE: Volga\n* Toyota heading\nThe Danube flows past Vienna.\n'],
  ['a reStructuredText title', 'plaintext', 'Toyota\n======\n\nThe Danube flows past Vienna.\n'],
];

for (const [name, kind, text] of CASES) {
  test(`a leading byte-order mark: ${name}`, () => {
    assert.deepEqual(view('\uFEFF' + text, kind, 1), view(text, kind));
  });
}
