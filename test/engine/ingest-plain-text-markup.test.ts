// Plain-text files written in reStructuredText's conventions: their code (literal blocks, code
// directives, doctests, inline literals, code roles, comments) is not prose, and positions stay exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { maskPlainTextCode, plainTextProse } from '../../server/src/engine/ingest/plainTextMarkup.ts';
import { ingestText } from '../../server/src/engine/ingest/document.ts';
import { components, identityOf, loadDefaultModels, openStore } from '../../server/src/engine/engine.ts';
import { indexWorkspace } from '../../server/src/engine/indexer.ts';
import { NodeFileSystemWorkspace } from '../../server/src/engine/ingest/workspace.ts';
import { mulberry32 } from '../../server/src/engine/random.ts';
import { scratchDir } from '../helpers/scratchDir.ts';
import { assertCostLikeBenign } from '../helpers/costGuard.ts';

/** The words left as prose. */
const proseWords = (text: string) => maskPlainTextCode(text).split(/\s+/).filter(Boolean);

/** Same length, same line breaks, and every other character either kept or blanked. */
function assertMaskShape(text: string, masked: string): void {
  assert.equal(masked.length, text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') assert.equal(masked[i], c, `line break at ${i}`);
    else assert.ok(masked[i] === c || masked[i] === ' ', `character ${i} (${JSON.stringify(c)}) became ${JSON.stringify(masked[i])}`);
  }
}

test('a literal block after "::" is code; the paragraph that introduces it is prose', () => {
  const text = [
    'Policy files ship in the tarball; see the files::',
    '',
    '\tcachefilesd.te',
    '\tcachefilesd.fc',
    '',
    '  def delx(self):',
    '      del self._x',
    '',
    'They are built and installed by Red Hat.',
  ].join('\n');
  const masked = maskPlainTextCode(text);
  assertMaskShape(text, masked);
  assert.deepEqual(proseWords(text), ['Policy', 'files', 'ship', 'in', 'the', 'tarball;', 'see', 'the', 'files::', 'They', 'are', 'built', 'and', 'installed', 'by', 'Red', 'Hat.']);
  // CRLF files: the same words, the same offsets.
  const crlf = text.replace(/\n/g, '\r\n');
  assertMaskShape(crlf, maskPlainTextCode(crlf));
  assert.deepEqual(proseWords(crlf), proseWords(text));
});

test('the literal block ends where the indentation returns to that of the "::" line (a definition list)', () => {
  const text = [
    'Package or module',
    '    If you supply::',
    '',
    '       <name> = <package_or_module>',
    '',
    '    as the entry point, tools in the Python ecosystem import it.',
  ].join('\n');
  assert.deepEqual(proseWords(text), ['Package', 'or', 'module', 'If', 'you', 'supply::', 'as', 'the', 'entry', 'point,', 'tools', 'in', 'the', 'Python', 'ecosystem', 'import', 'it.']);
});

test('"term::" with its definition on the next line (AsciiDoc) and "::" inside prose are left alone', () => {
  const asciidoc = 'git-fast-import::\n\tBackend for fast Git data importers.\n';
  assert.equal(maskPlainTextCode(asciidoc), asciidoc);
  const prose = 'C++ code calls std::\n\nNot indented, so no literal block follows.\n';
  assert.equal(maskPlainTextCode(prose), prose);
});

test('directives: code directives are code, admonitions keep their prose, options are markup', () => {
  const text = [
    '.. code-block:: python',
    '   :linenos:',
    '',
    '   import numpy as np',
    '   Pandas = np.array([1])',
    '',
    '.. note::',
    '   :class: custom',
    '',
    '   Guido van Rossum wrote the first version in Amsterdam.',
    '',
    '.. versionchanged:: 3.8 Added support for Windows.',
    '',
    '.. module:: dbm',
    '   :synopsis: Interfaces to various Unix database formats.',
    '',
    '.. function:: open(file, mode="r")',
    '',
    '   Open a file, as Ken Thompson did.',
  ].join('\n');
  assertMaskShape(text, maskPlainTextCode(text));
  assert.deepEqual(proseWords(text), [
    'Guido', 'van', 'Rossum', 'wrote', 'the', 'first', 'version', 'in', 'Amsterdam.',
    '3.8', 'Added', 'support', 'for', 'Windows.',
    'Interfaces', 'to', 'various', 'Unix', 'database', 'formats.',
    'Open', 'a', 'file,', 'as', 'Ken', 'Thompson', 'did.',
  ]);
});

test('comments, hyperlink targets and footnote markers are markup; a footnote\'s text is prose', () => {
  const text = [
    '.. SPDX-License-Identifier: GPL-2.0',
    '',
    '..',
    '   TODO: mention Microsoft here.',
    '',
    '.. _Python: https://www.python.org/',
    '',
    '.. [1] Written by Ada Lovelace.',
    '',
    'Back to Lisbon.',
  ].join('\n');
  assertMaskShape(text, maskPlainTextCode(text));
  assert.deepEqual(proseWords(text), ['Written', 'by', 'Ada', 'Lovelace.', 'Back', 'to', 'Lisbon.']);
});

test('a doctest session is code', () => {
  const text = 'Try it:\n\n>>> jaws = Movie("Jaws")\n>>> jaws.title\n\'Jaws\'\n\nSteven Spielberg directed it.\n';
  assert.deepEqual(proseWords(text), ['Try', 'it:', 'Steven', 'Spielberg', 'directed', 'it.']);
});

test('inline literals and code roles are code; link and term roles keep their text', () => {
  const text = 'Call ``os.path.join`` or :func:`open` (see :meth:`~Flask.app_context`), read :ref:`the Django tutorial <tutorial>` '
    + 'and :term:`Python`, or visit `Node.js <https://nodejs.org>`_ in Berlin.';
  const masked = maskPlainTextCode(text);
  assertMaskShape(text, masked);
  assert.deepEqual(proseWords(text), ['Call', 'or', '(see', '),', 'read', 'the', 'Django', 'tutorial', 'and', 'Python', ',', 'or', 'visit', 'Node.js', 'in', 'Berlin.']);
  // The kept words sit where they were.
  assert.equal(masked.indexOf('Django'), text.indexOf('Django'));
  assert.equal(masked.indexOf('Node.js'), text.indexOf('Node.js'));
  // An unclosed inline literal does not swallow the next paragraph.
  const unclosed = 'A stray `` here.\n\nMeanwhile in Paris ``x``.';
  assert.deepEqual(proseWords(unclosed), ['A', 'stray', '``', 'here.', 'Meanwhile', 'in', 'Paris', '.']);
});

test('AsciiDoc "----" and "...." blocks are code; reStructuredText transitions and titles are not blocks', () => {
  const asciidoc = [
    '[[clone]]',
    'Clone the mirror on GitHub.',
    '',
    '----',
    '$ git clone https://github.com/git/git Linus',
    '',
    '$ cd git',
    '----',
    '',
    '[source,c]',
    '------------',
    'int Torvalds = 1;',
    '------------',
    '',
    '....',
    'Junio Hamano',
    '....',
    '',
    'Then ask Junio.',
  ].join('\n');
  assertMaskShape(asciidoc, maskPlainTextCode(asciidoc));
  assert.deepEqual(proseWords(asciidoc).filter((w) => /[a-z]/i.test(w)), ['[[clone]]', 'Clone', 'the', 'mirror', 'on', 'GitHub.', '[source,c]', 'Then', 'ask', 'Junio.']);
  // In a reStructuredText file "----" is a transition, an underline or an overline.
  const rst = [
    '.. note:: Read on.',
    '',
    '-----',
    'Intro',
    '-----',
    '',
    'Madrid is in Spain.',
    '',
    '----',
    '',
    'Lisbon is in Portugal.',
    '',
    'Rome',
    '----',
    '',
    'Rome is in Italy.',
  ].join('\n');
  assert.deepEqual(proseWords(rst).filter((w) => /[a-z]/i.test(w)), ['Read', 'on.', 'Intro', 'Madrid', 'is', 'in', 'Spain.', 'Lisbon', 'is', 'in', 'Portugal.', 'Rome', 'Rome', 'is', 'in', 'Italy.']);
  // An unclosed delimiter masks nothing; nor do separators in notes without AsciiDoc's markup.
  const unclosed = '== Intro\n\n----\nBerlin is big.\n';
  assert.equal(maskPlainTextCode(unclosed), unclosed);
  const notes = 'Trip\n\n----\nMeeting with Alice in Paris.\n----\n';
  assert.equal(maskPlainTextCode(notes), notes);
});

test('Perl POD: headings, items and ordinary text are prose; verbatim paragraphs, formatting codes\' code, =begin blocks and Perl code are not', () => {
  const pod = [
    '=head1 NAME', '', 'perlfoo - about Larry Wall', '', '=head2 Incompatible Changes', '',
    'The C<given> construct, see L<perlop/"Range">, L<Larry\'s page|http://x.org>, B<Paris> is bold, C<< $a <=> $b >> too.', '',
    '    my $x = Vienna();', '', '=over 4', '', '=item * Berlin stuff', '', '=back', '', '=begin html', '', '<p>Rome</p>', '', '=end html', '',
    '=cut', '', 'sub Madrid { }', '',
  ].join('\n');
  assertMaskShape(pod, maskPlainTextCode(pod));
  assert.deepEqual(proseWords(pod), ['NAME', 'perlfoo', '-', 'about', 'Larry', 'Wall', 'Incompatible', 'Changes', 'The', 'construct,', 'see', ',',
    'Larry\'s', 'page', ',', 'Paris', 'is', 'bold,', 'too.', 'Berlin', 'stuff']);
  const { blocks } = plainTextProse(pod);
  assert.deepEqual(blocks.map((b) => [pod.slice(b.start, b.end).slice(0, 12), b.heading ?? false]),
    [['NAME', true], ['perlfoo - ab', false], ['Incompatible', true], ['The C<given>', false], ['Berlin stuff', false]]);
  // An unclosed code is text; the codes after it still count.
  assert.deepEqual(proseWords('=pod\n\nA C< B C<x> and C<< y >> c\n'), ['A', 'C<', 'B', 'and', 'c']);
});

test('section titles of plain text (reStructuredText underlines and overlines) are headings; their adornments are blanked', () => {
  const rst = '=================\nInstalling Django\n=================\n\nText about Lisbon.\n\nSetup\n-----\n\nMore.\n';
  const { masked, blocks } = plainTextProse(rst);
  assert.deepEqual(blocks.map((b) => [rst.slice(b.start, b.end), b.heading ?? false]),
    [['Installing Django', true], ['Text about Lisbon.', false], ['Setup', true], ['More.', false]]);
  assertMaskShape(rst, masked);
  assert.doesNotMatch(masked, /[=-]/);
  // A paragraph over a rule, and a rule alone, are not titles.
  const notTitles = 'Two lines of text\nabout Paris.\n-----\n\n-----\n';
  assert.ok(plainTextProse(notTitles).blocks.every((b) => !b.heading));
});

test('bare URLs in plain text are not prose, as in Markdown: a path segment is no name; a paragraph that is only a URL goes', () => {
  const text = [
    'Download it from ftp://metalab.unc.edu/pub/Linux/system/ext2/ or see',
    'www.freedesktop.org/wiki/Software/libmbim (maintained in Berlin).',
    '',
    'https://example.org/Vienna/Danube',
    '',
    '`Digiteq Automotive <https://www.digiteq.com/en>`_ builds it in Prague.',
    '',
  ].join('\r\n');
  const { masked, blocks } = plainTextProse(text);
  assertMaskShape(text, masked);
  const words = masked.split(/\s+/).filter(Boolean);
  for (const gone of ['Linux', 'Software', 'Vienna', 'Danube', 'digiteq.com/en>`_']) assert.ok(!words.some((w) => w.includes(gone)), `${gone} is gone`);
  for (const kept of ['Download', 'Berlin).', 'Automotive', 'Prague.']) assert.ok(words.includes(kept), `${kept} stays`);
  assert.deepEqual(blocks.map((b) => masked.slice(b.start, b.end).replace(/\s+/g, ' ')),
    ['Download it from or see (maintained in Berlin).', 'Digiteq Automotive builds it in Prague.']);
  // The sentence's punctuation after a URL stays ("…/ext2/." keeps its full stop).
  assert.equal(plainTextProse('See https://a.org/x. Then Rome.').masked, 'See                . Then Rome.');
  // Org notes too.
  assert.doesNotMatch(plainTextProse('* Trip\nNotes at https://example.org/Lisbon here.\n').masked, /Lisbon/);
});

test('a line indented deeper than the text above it starts a block: a definition\'s term, a sysctl\'s type; wrapped lines of items, fields and paragraphs stay', () => {
  const blocksOf = (text: string) => { const { masked, blocks } = plainTextProse(text); return blocks.map((b) => masked.slice(b.start, b.end)); };
  assert.deepEqual(blocksOf('.. glossary::\n\n   Zen of Python\n      Listing of Python design principles.\n\n   BDFL\n      Benevolent Dictator For Life, Guido van Rossum.\n'),
    ['Zen of Python', 'Listing of Python design principles.', 'BDFL', 'Benevolent Dictator For Life, Guido van Rossum.']);
  assert.deepEqual(blocksOf('tcp_mtu_probing - INTEGER\n\tControls TCP Packetization-Layer Path MTU Discovery.\n'),
    ['tcp_mtu_probing - INTEGER', 'Controls TCP Packetization-Layer Path MTU Discovery.']);
  assert.deepEqual(blocksOf('Axis X1\n\t 1\nAxis Y1\n\t 2\n'), ['Axis X1', '1', 'Axis Y1', '2'], 'a tab-aligned table: each cell');
  // Indentation as written: the masked role before the term is no indentation of it.
  assert.deepEqual(blocksOf('.. seealso::\n\n   :pep:`318` - Decorators for Functions\n      Written by Kevin D. Smith.\n'),
    ['- Decorators for Functions', 'Written by Kevin D. Smith.']);
  for (const kept of [
    '* The ctypes module now converts None\n  to a NULL pointer.  (Changed by Thomas\n  Heller.)',
    '1. First item that wraps onto\n   the line of Guido van\n   Rossum.',
    ':param to_angle: a number (integer or float) from the\n    Python standard library.',
    'A paragraph that wraps at the margin, as Wolfram\nHumann does.',
    'An indented first line\nwith its paragraph at the margin.',
  ]) assert.deepEqual(blocksOf(`${kept.startsWith('An') ? '    ' : ''}${kept}\n`), [kept]);
  // Offsets are those of the text: a block's text is found where it says.
  const text = 'Intro.\n\n   Term Here\n\t\tIts definition.\n';
  const { blocks } = plainTextProse(text);
  assert.deepEqual(blocks.map((b) => text.slice(b.start, b.end)), ['Intro.', 'Term Here', 'Its definition.']);
});

test('Org notes: blocks, drawers, keywords, comments, planning, ~code~ and link targets are markup; a heading is a block of its own', () => {
  const org = [
    '#+TITLE: Trip to Lisbon', '#+STARTUP: overview', '',
    '* TODO [#A] Book flights to Lisbon   :travel:work:', 'SCHEDULED: <2026-12-10 Wed>',
    ':PROPERTIES:', ':ID: 1234-abcd', ':END:',
    'We fly with TAP from Vienna; see [[https://flytap.com][TAP Air Portugal]] or [[https://x.org]].',
    'Run ~make deploy~ and =config.yml= first.', '',
    '#+BEGIN_SRC python', 'import Madrid', '#+END_SRC', '',
    '#+begin_quote', 'Fernando Pessoa wrote here.', '#+end_quote', '',
    '# a comment about Berlin', ': fixed width Rome', '** Notes on Porto', 'Porto is north, about ~300 km from Lisbon.',
  ].join('\r\n');
  const { masked, blocks } = plainTextProse(org);
  assertMaskShape(org, masked);
  assert.deepEqual(masked.split(/\s+/).filter(Boolean), ['Trip', 'to', 'Lisbon', 'Book', 'flights', 'to', 'Lisbon', 'We', 'fly', 'with', 'TAP', 'from',
    'Vienna;', 'see', 'TAP', 'Air', 'Portugal', 'or', '.', 'Run', 'and', 'first.', 'Fernando', 'Pessoa', 'wrote', 'here.', 'Notes', 'on', 'Porto',
    'Porto', 'is', 'north,', 'about', '~300', 'km', 'from', 'Lisbon.']);
  assert.deepEqual(blocks.map((b) => [masked.slice(b.start, b.end).replace(/\s+/g, ' ').slice(0, 20), b.heading ?? false]), [
    ['Trip to Lisbon', true], ['Book flights to Lisb', true], ['We fly with TAP from', false], ['Fernando Pessoa wrot', false],
    ['Notes on Porto', true], ['Porto is north, abou', false],
  ]);
  // A plain note with "* " bullets and "# " lines is not Org.
  const notes = '* Paris\n* Rome\n\n# Budget\n';
  assert.deepEqual(plainTextProse(notes).masked, notes);
});

// Not a benchmark: each input took minutes or more when some marker was searched for from every
// opener (quadratic); linear reading takes well under a second, so the generous limit only
// catches a return of that.
test('a megabyte of unclosed markers of every kind is read in linear time', { timeout: 60_000 }, () => {
  const units = ['``a ', ':a:`b ', '`a <b ', '.. ', 'C<', '=a ', '[[a ', '[[a]][ ', '[[a][b ', '~a '];
  for (const unit of units) {
    for (const head of ['', '=pod\n\n', '#+TITLE: x\n', '[[x]]\n']) {
      const text = head + unit.repeat(Math.ceil(1e6 / unit.length));
      assertMaskShape(text, plainTextProse(text).masked);
    }
  }
  let delimiters = '[[x]]\n';
  for (let i = 0; i < 1_200; i++) delimiters += `\n${'-'.repeat(4 + i)}\nx\n`;
  assertMaskShape(delimiters, plainTextProse(delimiters).masked);
  const sharedClose = '#+TITLE: x\n' + '[['.repeat(250_000) + 'a][b' + 'x'.repeat(500_000);
  assertMaskShape(sharedClose, plainTextProse(sharedClose).masked);
  const blocks = '#+TITLE: x\n' + '#+BEGIN_SRC c\nx\n:PROPERTIES:\n'.repeat(40_000);
  assertMaskShape(blocks, plainTextProse(blocks).masked);
  // One paragraph of 200,000 lines, each indented deeper than the last or back out (a definition
  // list without blank lines): every line is a block of its own.
  const definitions = 'Term\n\tIts definition.\n'.repeat(100_000);
  assert.equal(plainTextProse(definitions).blocks.length, 200_000);
});

// Not a benchmark either: read from every colon to the chain's end, 300 KB of role names took
// about 30 s; read once, a few milliseconds.
test('a long chain of role names that is no role (":a-:a.:a_:a+…") is read in linear time', { timeout: 120_000 }, async () => {
  const chain = ':a-:a.:a_:a+'.repeat(25_000);
  const text = `See :code:\`x\` here.\n${chain}\n`;
  assert.equal(maskPlainTextCode(text), `See ${' '.repeat(9)} here.\n${chain}\n`);
  const benign = text.replaceAll(':a', 'xa'); // the same length without a colon in the chain
  await assertCostLikeBenign('role chain', () => maskPlainTextCode(text), () => maskPlainTextCode(benign));
  // A chain followed by its text is one role from its first colon, as before.
  assert.equal(maskPlainTextCode(`x :a-:b.:c:\`y\` z`), `x ${' '.repeat(12)} z`);
});

// Nor this: each opener searched the rest of the file for its own kind's end, so 1.3 MB of
// unclosed blocks of ever new kinds took about 30 s; the ends indexed once, a fraction of a second.
test('Org: unclosed blocks of ever new kinds ("#+begin_b0", "#+begin_b1", …) are read in linear time', { timeout: 120_000 }, async () => {
  let text = '#+TITLE: x\n';
  let expected = ' '.repeat(9) + 'x\n'; // the title is prose
  for (let i = 0; i < 40_000; i++) {
    const begin = `#+begin_b${i}`;
    text += `${begin}\nSome prose here.\n`;
    expected += `${' '.repeat(begin.length)}\nSome prose here.\n`;
  }
  // A block that closes still does.
  text += '#+BEGIN_SRC c\nint x;\n#+end_src\n';
  expected += ' '.repeat(13) + '\n' + ' '.repeat(6) + '\n' + ' '.repeat(9) + '\n';
  assert.equal(plainTextProse(text).masked, expected);
  const benign = text.replaceAll('#+begin_b', '%+begin_b'); // the same lines, no block openers
  await assertCostLikeBenign('unclosed Org blocks', () => plainTextProse(text), () => plainTextProse(benign));
});

test('text without any of this markup comes back as it is', () => {
  const text = 'Angela Merkel visited Siemens in Munich.\n\n  Indented prose stays prose: Vienna.\n';
  assert.equal(maskPlainTextCode(text), text);
});

test('random mixtures of markup and prose keep length, line breaks and every unmasked character', () => {
  const pieces = ['Paris is big.', '::', 'see::', '', '----', '....', '[source]', '    code()', '\tmore', '.. note::', '.. code:: c', '   x = 1', '>>> 1 + 1', '..', '``lit``',
    ':func:`f`', ':ref:`T <t>`', '`A <b>`_', '  :opt: v', 'ü 東京 🇯🇵', '\r', '``open', 'x``',
    '#+TITLE: T', '#+BEGIN_SRC c', '#+END_SRC', '** TODO h :t:', ':PROPERTIES:', ':END:', '~c~ and =v=', '[[a][b]]', '=head1 N', 'C<x>', 'https://x.org/Paris', 'www.a.b/C.'];
  const rand = mulberry32(27);
  for (let n = 0; n < 500; n++) {
    const lines = Array.from({ length: 1 + Math.floor(rand() * 14) }, () => pieces[Math.floor(rand() * pieces.length)]);
    const text = lines.join(rand() < 0.3 ? '\r\n' : '\n');
    assertMaskShape(text, maskPlainTextCode(text));
    const { masked, blocks } = plainTextProse(text);
    assertMaskShape(text, masked);
    for (const b of blocks) assert.ok(b.start < b.end && b.end <= text.length && /\S/.test(masked.slice(b.start, b.end)), `block ${b.start}–${b.end}`);
  }
});

test('index: .rst and .org files are indexed by default; their code gives no mentions, their prose keeps exact ranges; .jsonl text stays verbatim', async () => {
  const tmp = scratchDir('ner-rst-');
  try {
    const root = join(tmp, 'docs');
    mkdirSync(root);
    const rst = [
      'Installing',
      '==========',
      '',
      'Guido van Rossum created Python in Amsterdam. Run this::',
      '',
      '    from Flask import Flask',
      '    app = Flask(Vienna)',
      '',
      'Use :func:`Berlin.open` or ``Lisbon.read()`` with care.',
      '',
    ].join('\r\n');
    writeFileSync(join(root, 'guide.rst'), rst);
    const org = '#+TITLE: Lisbon notes\n\n* Trip\nWe met Fernando Pessoa in Lisbon.\n#+BEGIN_SRC sh\nssh Vienna\n#+END_SRC\n';
    writeFileSync(join(root, 'trip.org'), org);
    const models = await loadDefaultModels();
    const store = await openStore(join(tmp, 'store'), models, { rebuild: true });
    try {
      assert.deepEqual(store.identity, identityOf(models), 'the store records the ingest format with the detector');
      assert.match(store.identity.detectorId, /\|ingest-v\d+$/);
      const report = await indexWorkspace(new NodeFileSystemWorkspace([root]), components(models, store));
      assert.equal(report.filesIndexed, 2, JSON.stringify(report.skipped));
      const doc = [...store.documents()].find((d) => d.path.endsWith('guide.rst'))!;
      const orgTexts = [...store.documents()].find((d) => d.path.endsWith('trip.org'))!.paragraphs.flatMap((p) => p.mentions.map((m) => m.text));
      assert.ok(orgTexts.includes('Fernando Pessoa') && !orgTexts.includes('Vienna'), orgTexts.join(', '));
      const mentions = doc.paragraphs.flatMap((p) => p.mentions);
      const texts = mentions.map((m) => m.text);
      for (const code of ['Flask', 'Vienna', 'Berlin', 'Lisbon']) assert.ok(!texts.some((t) => t.includes(code)), `${code} is code: ${texts.join(', ')}`);
      assert.ok(texts.includes('Guido van Rossum') && texts.includes('Amsterdam'), texts.join(', '));
      const amsterdam = mentions.find((m) => m.text === 'Amsterdam')!;
      const line = rst.split('\r\n')[3];
      assert.deepEqual(amsterdam.range, { start: { line: 3, character: line.indexOf('Amsterdam') }, end: { line: 3, character: line.indexOf('Amsterdam') + 9 } });
    } finally {
      await store.close();
    }
    // A .jsonl document's text is indexed verbatim: given spans inside "code" keep their text.
    const verbatim = ingestText('corpus#1', 'Use ``Lisbon`` today.', 'verbatim');
    assert.equal(verbatim.paragraphs.length, 1);
    const plain = ingestText('notes.txt', 'Use ``Lisbon`` today.', 'plaintext');
    assert.equal(plain.paragraphs[0].sentences[0].text.includes('Lisbon'), false);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
