import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { proseMask, proseBlocks, frontMatterSpan } from '../../server/src/engine/ingest/markdown.ts';
import { assertCostLikeBenign } from '../helpers/costGuard.ts';

/** Asserts the mask keeps `needle` (n-th occurrence) verbatim at its offset. */
function kept(md: string, masked: string, needle: string, nth = 0): void {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = md.indexOf(needle, at + 1);
  assert.ok(at >= 0, `fixture lacks ${needle}`);
  assert.equal(masked.slice(at, at + needle.length), needle, `expected "${needle}" kept at ${at}`);
}
/** Asserts the mask blanks `needle` (n-th occurrence) entirely (line breaks kept). */
function blanked(md: string, masked: string, needle: string, nth = 0): void {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = md.indexOf(needle, at + 1);
  assert.ok(at >= 0, `fixture lacks ${needle}`);
  const expected = needle.replace(/[^\r\n]/g, ' ');
  assert.equal(masked.slice(at, at + needle.length), expected, `expected "${needle}" blanked at ${at}`);
}
function check(md: string): string {
  const m = proseMask(md);
  assert.equal(m.length, md.length);
  for (let i = 0; i < md.length; i++) {
    if (md[i] === '\n' || md[i] === '\r') assert.equal(m[i], md[i], `line break kept at ${i}`);
    else assert.ok(m[i] === md[i] || m[i] === ' ', `char at ${i} is original or space`);
  }
  return m;
}

test('headings: # markers blanked, text kept (ATX, closing #s, setext)', () => {
  const md = '# The Rhine #\n\n### Danube\n\nThames\n======\n';
  const m = check(md);
  assert.equal(m, '  The Rhine  \n\n    Danube\n\nThames\n      \n');
});

test('emphasis and strikethrough delimiters blanked, unmatched and intraword kept', () => {
  const md = 'The **Rhine** and *Danube* and _Elbe_ and ~~Oder~~ but snake_case_word, 5 * 3 and a*b.';
  const m = check(md);
  assert.equal(m, 'The   Rhine   and  Danube  and  Elbe  and   Oder   but snake_case_word, 5 * 3 and a*b.');
  assert.equal(check('***Siemens*** x'), '   Siemens    x');
});

test('inline code, inline HTML, autolinks, entities and bare URLs are blanked', () => {
  const md = 'Run `Siemens --x` with <b>Toyota</b> see <https://x.org/Rhine> or https://example.com/Danube. Also www.elbe.de &amp; done';
  const m = check(md);
  blanked(md, m, '`Siemens --x`');
  blanked(md, m, '<b>');
  blanked(md, m, '</b>');
  kept(md, m, 'Toyota');
  blanked(md, m, '<https://x.org/Rhine>');
  blanked(md, m, 'https://example.com/Danube');
  kept(md, m, '. Also');
  blanked(md, m, 'www.elbe.de');
  blanked(md, m, '&amp;');
  kept(md, m, 'done');
});

test('links: text kept, destination and title blanked; images keep alt', () => {
  const md = 'See [the Danube in Vienna](https://example.com/Danube "Danube guide") and ![Toyota plant](img/toyota.png) and [Merkel][ref] and [Curie].\n\n[ref]: https://example.com/merkel "Merkel"\n[Curie]: <https://curie.example>\n';
  const m = check(md);
  blanked(md, m, '[');
  kept(md, m, 'the Danube in Vienna');
  blanked(md, m, '](https://example.com/Danube "Danube guide")');
  blanked(md, m, '![');
  kept(md, m, 'Toyota plant');
  blanked(md, m, '](img/toyota.png)');
  kept(md, m, 'Merkel');
  blanked(md, m, '][ref]');
  kept(md, m, 'Curie');
  blanked(md, m, '[ref]: https://example.com/merkel "Merkel"');
  blanked(md, m, '[Curie]: <https://curie.example>');
  // Emphasis and code inside link text and alt text
  const md2 = '[**Rhine** `code`](u) ![*Elbe*](p.png)';
  assert.equal(check(md2), '   Rhine                 Elbe         ');
});

test('link targets of every spelling are blanked as written (no URL normalisation), unsafe ones stay text', () => {
  // International domains, spaces in <…>, percent-escapes, non-ASCII paths: the target is only ever blanked.
  const md = 'Trips: [Zürich](https://zürich.example/straße?q=ä#Ort) and [Kyōto](<./notes/kyōto trip.md>) and [Lyon](http://xn--lyon-9ra.example/%C3%A9t%C3%A9) and [mail](mailto:ann@example.com).\r\n\r\n[Oslo][o]\r\n\r\n[o]: https://ösló.example\r\n';
  const m = check(md);
  for (const name of ['Zürich', 'Kyōto', 'Lyon', 'mail', 'Oslo']) kept(md, m, name);
  blanked(md, m, '](https://zürich.example/straße?q=ä#Ort)');
  blanked(md, m, '](<./notes/kyōto trip.md>)');
  blanked(md, m, '](http://xn--lyon-9ra.example/%C3%A9t%C3%A9)');
  blanked(md, m, '[o]: https://ösló.example');
  // A "javascript:" target is no link for markdown-it, in any letter case: its text is left as written.
  for (const target of ['javascript:alert(1)', 'JavaScript:alert(1)']) {
    const bad = `Click [Vienna](${target}) now.`;
    assert.equal(check(bad), bad, target);
  }
  // A long non-prose stretch with line breaks: spaces, every line break where it was.
  const code = 'Intro about Lisbon.\n\n```\nline one\r\nline two\n\n  indented\n```\n\nOutro about Porto.\n';
  const cm = check(code);
  blanked(code, cm, '```\nline one\r\nline two\n\n  indented\n```');
  kept(code, cm, 'Intro about Lisbon.');
  kept(code, cm, 'Outro about Porto.');
});

test('badges: an image inside a link is blanked with its alt text; a standalone image keeps its alt text', () => {
  const md = '# emoji-regex [![Build status](https://travis-ci.org/x.svg?branch=master)](https://travis-ci.org/x)\n\n'
    + '[![NPM Version][npm-version-image]][npm-url] [![Downloads](https://img.shields.io/npm/dm/x.svg)](https://npmjs.org/x)\n\n'
    + '![Map of the Danube](map.png) and [the Rhine ![icon](i.png) guide](u)\n\n'
    + '[npm-version-image]: https://img.shields.io/npm/v/x.svg\n[npm-url]: https://npmjs.org/package/x\n';
  const m = check(md);
  kept(md, m, 'emoji-regex');
  for (const badge of ['[![Build status](https://travis-ci.org/x.svg?branch=master)](https://travis-ci.org/x)', '[![NPM Version][npm-version-image]][npm-url]', '[![Downloads](https://img.shields.io/npm/dm/x.svg)](https://npmjs.org/x)', '![icon](i.png)']) blanked(md, m, badge);
  kept(md, m, 'Map of the Danube');
  kept(md, m, 'the Rhine');
  kept(md, m, 'guide');
});

test('escapes: backslash blanked, escaped char kept', () => {
  const md = 'A \\*literal\\* star and C:\\path';
  assert.equal(check(md), 'A  *literal * star and C:\\path');
});

test('fenced, indented code and HTML blocks are blanked', () => {
  const md = 'Intro Rhine.\n\n```js\nconst Danube = 1;\n```\n\n    indented Thames\n\n<div>\nMicrosoft html\n</div>\n\n~~~\nSiemens\n~~~\n\nOutro Elbe.\n';
  const m = check(md);
  assert.equal(m, 'Intro Rhine.\n\n     \n                 \n   \n\n                   \n\n     \n              \n      \n\n   \n       \n   \n\nOutro Elbe.\n');
});

test('YAML front matter is blanked, including "..." terminator', () => {
  const md = '---\ntitle: Rhine\ntags: [Danube]\n---\nBody Elbe.\n';
  assert.equal(check(md), '   \n            \n              \n   \nBody Elbe.\n');
  assert.deepEqual(frontMatterSpan(md), { start: 0, end: 35 });
  const md2 = '---\r\ntitle: Rhine\r\n...\r\n\r\nBody.';
  assert.equal(check(md2), '   \r\n            \r\n   \r\n\r\nBody.');
  // Not front matter: --- not at the very start, or never closed (then it is a thematic break).
  assert.equal(frontMatterSpan('\n---\na: b\n---\n'), undefined);
  assert.equal(frontMatterSpan('---\nRhine text'), undefined);
});

test('TOML front matter (+++, as Hugo writes it) is blanked like YAML', () => {
  const md = '+++\ntitle = "London Trip"\nauthor = "Boris Johnson"\n+++\nBody Elbe.\n';
  assert.equal(check(md), '   \n                     \n                        \n   \nBody Elbe.\n');
  assert.deepEqual(frontMatterSpan(md), { start: 0, end: 54 });
  const md2 = '+++\r\ntitle = "Rhine"\r\n+++\r\n\r\nBody.';
  assert.equal(check(md2), '   \r\n               \r\n   \r\n\r\nBody.');
  // Closed only by +++ (a YAML terminator inside is TOML text), and only at the very start.
  assert.equal(frontMatterSpan('+++\na = "---"\n---\nRhine text'), undefined);
  assert.equal(frontMatterSpan('\n+++\na = 1\n+++\n'), undefined);
});

test('lists, blockquotes and tables: markers and pipes blanked', () => {
  const md = '- Angela Merkel\n* Marie Curie\n1. Siemens\n\n> Quote about the Rhine\n> > nested Danube\n\n| Person | City |\n|---|:---:|\n| Merkel | Berlin |\n';
  const m = check(md);
  assert.equal(m, '  Angela Merkel\n  Marie Curie\n   Siemens\n\n  Quote about the Rhine\n    nested Danube\n\n  Person   City  \n           \n  Merkel   Berlin  \n');
});

test('table cells holding escaped pipes are kept, each where it stands, and a wide row of them is mapped in linear time', async () => {
  // The backslash is blanked, as an escape in a paragraph is; "y" is the second cell's, not the first's.
  const md = '| a | b | c |\n|---|---|---|\n| x\\|y | y | Rhine \\| Danube |\n';
  assert.equal(check(md), '  a   b   c  \n             \n  x |y   y   Rhine  | Danube  \n');
  // 45,000 columns (675 KB): 25 s when each cell searched the rest of its row for its unescaped
  // text; now about as long as the same table without escapes.
  const n = 45_000;
  const table = (cell: string) => `|${' a |'.repeat(n)}\n|${'---|'.repeat(n)}\n| ${cell.repeat(n)}\n`;
  const wide = table('x\\|y | ');
  assert.equal(proseMask(wide), ` ${' a  '.repeat(n)}\n${' '.repeat(4 * n + 1)}\n  ${'x |y   '.repeat(n)}\n`);
  await assertCostLikeBenign('escaped pipes', () => proseMask(wide), () => proseMask(table('x y | ')));
});

test('multi-line paragraph in list item and blockquote keeps continuation lines', () => {
  const md = '- first line Rhine\n  second line Danube\n\n> quoted Elbe\ncontinued lazily Oder\n';
  const m = check(md);
  assert.equal(m, '  first line Rhine\n  second line Danube\n\n  quoted Elbe\ncontinued lazily Oder\n');
});

test('CRLF and non-ASCII keep offsets 1:1', () => {
  const md = '# Zürich\r\n\r\n🚢 **Rhine** cruise to Gdańsk\r\n';
  const m = check(md);
  assert.equal(m, '  Zürich\r\n\r\n🚢   Rhine   cruise to Gdańsk\r\n');
  const i = md.indexOf('Rhine');
  assert.equal(m.slice(i, i + 5), 'Rhine');
});

test('proseBlocks: one block per paragraph/heading/list item/table cell', () => {
  const md = '# Title\nPara one line\nline two.\n\n- item A\n- item B\n\n| a | b |\n|---|---|\n| c | d |\n';
  const { masked, blocks } = proseBlocks(md);
  assert.deepEqual(blocks.map((b) => masked.slice(b.start, b.end)), ['Title', 'Para one line\nline two.', 'item A', 'item B', 'a', 'b', 'c', 'd']);
  assert.deepEqual(blocks[0], { start: 2, end: 7, heading: true });
  assert.ok(blocks.slice(1).every((b) => !b.heading), 'paragraphs, list items and cells are not headings');
});

test('proseBlocks: ATX and setext headings are flagged, a paragraph of the same words is not', () => {
  const md = '## Browser support\n\nBrowser support\n\nTrip notes\n==========\n\n- Browser support\n';
  const { masked, blocks } = proseBlocks(md);
  assert.deepEqual(blocks.map((b) => [masked.slice(b.start, b.end), !!b.heading]),
    [['Browser support', true], ['Browser support', false], ['Trip notes', true], ['Browser support', false]]);
});

test('masking the fixture file keeps prose and drops code/html/front matter', () => {
  const md = readFileSync(resolve(process.cwd(), 'test/fixtures/workspace/rivers.md'), 'utf8');
  const m = check(md);
  kept(md, m, 'Rivers of', 1);
  for (const s of ['Rhine cruises', ' rises in the Swiss Alps', 'Zürich', 'Gdańsk', 'the Danube in Vienna', 'the office']) kept(md, m, s);
  blanked(md, m, 'tags: [Rhine, Danube]');
  blanked(md, m, 'rivers = ["Thames", "Volga"]  # Siemens code, must not be indexed');
  blanked(md, m, 'Indented code: Mississippi Microsoft');
  blanked(md, m, 'Toyota in an HTML block.');
  blanked(md, m, '`danube --list`');
  blanked(md, m, '(https://example.com/Danube "Danube guide")');
  blanked(md, m, '<https://www.example.org/Elbe>');
  blanked(md, m, '<a href="mailto:x@y.z">');
});

test('lone CR line endings and tab-indented list items', () => {
  const md = '# Rhine\r\rThe *Danube*\rflows.\r';
  assert.equal(check(md), '  Rhine\r\rThe  Danube \rflows.\r');
  assert.deepEqual(proseBlocks(md).blocks.map((b) => md.slice(b.start, b.end)), ['Rhine', 'The *Danube*\rflows.']);
  assert.equal(check('-\tTab item Rhine\n\tcontinued Danube\n'), '  Tab item Rhine\n continued Danube\n');
});

test('HTML comments, nested images in links, hard breaks', () => {
  assert.equal(check('<!-- Rhine -->\n\nText <!-- Danube --> end'), '              \n\nText' + ' '.repeat(17) + 'end');
  // An image inside a link is a badge or button: blanked whole, alt text too.
  assert.equal(check('[x ![y](z)](w) and line\\\nbreak'), ' x' + ' '.repeat(13) + 'and line \nbreak');
});

test('a bracketed label opening a block that is no link is a tag: changelog tags, task boxes, reference numbers', () => {
  const md = [
    '## v1.2.0',
    '',
    '- [meta] update dependencies',
    '- [Refactor] split the parser in Vienna',
    '- [ ] write the Lisbon notes',
    '- [x] book Prague',
    '',
    '[WIP] Some paragraph about Paris.',
    '',
    '[1] Smith, J. Rivers of Europe.',
    '',
    '- [Danube] is a link, and so is [Vienna].',
    '- [[Budapest]] is a wiki link.',
    '- Later [Rhine] inside a line stays.',
    '- [Tag]',
    '',
    '[Danube]: https://danube.example',
    '[Vienna]: https://vienna.example',
  ].join('\r\n');
  const m = check(md);
  for (const tag of ['[meta]', '[Refactor]', '[x]', '[WIP]', '[1]']) blanked(md, m, tag);
  for (const text of ['update dependencies', 'split the parser in Vienna', 'write the Lisbon notes', 'book Prague', 'Some paragraph about Paris.', 'Smith, J.',
    'Danube', 'is a link, and so is', 'Vienna', '[[Budapest]] is a wiki link.', 'Later [Rhine] inside a line stays.', '[Tag]']) kept(md, m, text);
  const blocks = proseBlocks(md).blocks.map((b) => md.slice(b.start, b.end));
  assert.ok(blocks.includes('update dependencies') && blocks.includes('Some paragraph about Paris.'), blocks.join(' | '));
});
