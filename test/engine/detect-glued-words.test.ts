// A mention's edges are at spaces, not inside words glued by a hyphen or slash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDefaultDetector } from '../../server/src/engine/detect/index.ts';
import { TaggerDetector } from '../../server/src/engine/detect/tagger.ts';
import { loadWordVectors } from '../../server/src/engine/encode/wordVectors.ts';
import { adjustGluedSpans } from '../../server/src/engine/detect/gluedWords.ts';
import type { OffsetSpan } from '../../server/src/engine/types.ts';

/** Spans given by their texts (first occurrence each), adjusted, back to texts. */
function adjust(sentence: string, words: string[], cased = true): string[] {
  const spans: OffsetSpan[] = words.map((w) => {
    const start = sentence.indexOf(w);
    assert.ok(start >= 0, w);
    return { start, end: start + w.length };
  }).sort((a, b) => a.start - b.start);
  const ordinary = new Set(['based', 'formatted', 'man', 'spider', 'counter', 'revolutionary', 'style']);
  return adjustGluedSpans(sentence, spans, { cased, isOrdinary: (w) => ordinary.has(w.toLowerCase()) }).map((x) => sentence.slice(x.start, x.end));
}

test('adjustGluedSpans: a number glued to a name joins it; a score does not', () => {
  assert.deepEqual(adjust('The COVID-19 pandemic', ['COVID']), ['COVID-19']);
  assert.deepEqual(adjust('Fixed in CVE-2019-9513 today', ['CVE']), ['CVE-2019-9513']);
  assert.deepEqual(adjust('Use HTTP/2 and UTF-8 please', ['HTTP', 'UTF']), ['HTTP/2', 'UTF-8']);
  assert.deepEqual(adjust('Python 3.5-3.8 and x86-64', ['Python 3.5', 'x86']), ['Python 3.5', 'x86-64'], 'after a number alone nothing is added');
  assert.deepEqual(adjust('Juventus beat Ajax 2-0 in Rome', ['Ajax 2']), ['Ajax 2'], 'a score stays outside');
  assert.deepEqual(adjust('the covid-19 wave', ['covid'], false), ['covid-19'], 'in lower-cased text too');
});

test('adjustGluedSpans: capitalised parts glued by a hyphen are one name; a slash keeps alternatives apart', () => {
  assert.deepEqual(adjust('Convert from Node-API value', ['Node', 'API']), ['Node-API']);
  assert.deepEqual(adjust('an empty Content-Transfer-Encoding header', ['Transfer']), ['Content-Transfer-Encoding']);
  assert.deepEqual(adjust('They use SSL/TLS here', ['SSL', 'TLS']), ['SSL', 'TLS']);
  assert.deepEqual(adjust('press shift-TAB now', ['TAB']), ['TAB'], 'a lower-case prefix is not joined');
  assert.deepEqual(adjust('The Super I/O chips', ['Super I', 'O']), ['Super I/O'], 'two single letters are one word');
  assert.deepEqual(adjust('all I/O devices', ['O']), ['I/O']);
  assert.deepEqual(adjust('a H/W Reset here', ['H', 'W Reset']), ['H/W Reset']);
  assert.deepEqual(adjust('in C/C++ code', ['C']), ['C'], 'C or C++');
  assert.deepEqual(adjust('pins A/B/C are', ['A']), ['A'], 'a list of three');
});

test('adjustGluedSpans: an ordinary word after a name\'s hyphen is left out, unless the first part is ordinary too', () => {
  assert.deepEqual(adjust('a London-based firm sold JSON-formatted data', ['London-based', 'JSON-formatted']), ['London', 'JSON']);
  assert.deepEqual(adjust('the Spider-man film', ['Spider-man']), ['Spider-man']);
  assert.deepEqual(adjust('He was accused of Counter-revolutionary acts', ['Counter-revolutionary']), ['Counter-revolutionary']);
  assert.deepEqual(adjust('a london-based firm', ['london-based'], false), ['london-based'], 'only where capitals carry information');
});

test('adjustGluedSpans: a piece of a lower-case identifier is no mention in cased text; in lower-cased text it stays', () => {
  assert.deepEqual(adjust('(merge c49904e fc/remote-seturl-usage-fix later to Maint)', ['fc', 'Maint']), ['Maint']);
  assert.deepEqual(adjust('python-build: Add CPython 3.5', ['python', 'CPython']), ['CPython']);
  assert.deepEqual(adjust('See doc/api/fs.md in Node.js', ['fs.md', 'Node.js']), ['Node.js']);
  assert.deepEqual(adjust('python-build: add cpython', ['python'], false), ['python']);
  assert.deepEqual(adjust('(merge e20b419 jk/proto-v2-hidden-refs-fix later to maint)', ['jk/proto-v2'], false), [], 'a slash marks an identifier in any casing');
  assert.deepEqual(adjust('the controls are fly-by-wire now', ['fly'], false), [], 'so do two glue characters');
  assert.deepEqual(adjust('the JavaScript-value and Foo/bar', ['JavaScript', 'Foo']), ['JavaScript', 'Foo'], 'an identifier with capitals keeps its names');
});

test('adjustGluedSpans: a piece of a file path is no mention, whatever its capitals; alternatives are names', () => {
  assert.deepEqual(adjust('See Documentation/core-api/dma-api.rst for Linux', ['Documentation', 'Linux']), ['Linux']);
  assert.deepEqual(adjust('in Documentation/ABI/testing/sysfs-class-power now', ['Documentation', 'ABI']), []);
  assert.deepEqual(adjust('read /sys/class/power_supply/BAT0 here', ['BAT0']), [], 'a leading slash');
  assert.deepEqual(adjust('the Bt848/Bt848a/Bt849 chips', ['Bt848', 'Bt848a', 'Bt849']), ['Bt848', 'Bt848a', 'Bt849']);
  assert.deepEqual(adjust('for LAN/SCSI/etc devices', ['LAN', 'SCSI']), ['LAN', 'SCSI'], 'one lower-case segment is no path');
  assert.deepEqual(adjust('sold by Lifetec/Medion/Tevion/Aldi stores', ['Lifetec', 'Aldi']), ['Lifetec', 'Aldi']);
  assert.deepEqual(adjust('see Documentation/hwmon for more', ['Documentation']), ['Documentation'], 'one slash without a file name: too little to tell');
});

test('the committed detector applies the rule, and names it in its id', () => {
  const vectors = loadWordVectors();
  const det = loadDefaultDetector(vectors);
  const without = new TaggerDetector(det.model, vectors, { terms: det.terms, nameAdjectives: det.nameAdjectives, gluedWords: false });
  const texts = (d: TaggerDetector, s: string) => d.detect(s).map((x) => s.slice(x.start, x.end));
  const covid = 'The COVID-19 pandemic hit Rolls-Royce hard .';
  assert.ok(texts(det, covid).includes('COVID-19'));
  assert.ok(texts(without, covid).includes('COVID'), 'without the rule the number is cut off');
  assert.ok(texts(det, 'Convert from a Node-API value to a primitive C type .').includes('Node-API'));
  assert.ok(!texts(det, 'python-build: Add CPython 3.5.5').includes('python'));
  assert.ok(texts(det, 'a London-based firm bought the shares .').includes('London'));
  assert.match(det.id, /Pj/);
  assert.doesNotMatch(without.id, /Pj/);
});
