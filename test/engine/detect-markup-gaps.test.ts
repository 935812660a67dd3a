// A mention never runs across Markdown markup blanked out of the prose (link targets, image syntax).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDefaultDetector, tokenize } from '../../server/src/engine/detect/index.ts';
import { cutAtWideGap } from '../../server/src/engine/detect/tagger.ts';
import { ingestText } from '../../server/src/engine/ingest/document.ts';
import { detectByParagraph } from '../../server/src/engine/detect/paragraphNames.ts';
import { sentencesToDetect } from '../../server/src/engine/indexer.ts';

test('cutAtWideGap: a span stops at four spaces on one line; single spaces and wrapped lines do not cut', () => {
  const cut = (s: string) => {
    const tokens = tokenize(s);
    const [a, b] = cutAtWideGap(s, tokens, 0, tokens.length);
    return s.slice(tokens[a].start, tokens[b - 1].end);
  };
  assert.equal(cut('chalk                                 - Terminal'), 'chalk');
  assert.equal(cut('emoji-regex    Build status'), 'emoji-regex');
  assert.equal(cut('Internet\n      Explorer'), 'Internet\n      Explorer', 'indentation after a line break is a wrapped name');
  assert.equal(cut('Angela   Merkel'), 'Angela   Merkel', 'three spaces ("**Angela** Merkel") do not cut');
  assert.equal(cut('New York City'), 'New York City');
});

test('mentions in a Markdown document hold no link target or image syntax', () => {
  const md = [
    '# emoji-regex [![Build status](https://travis-ci.org/mathiasbynens/emoji-regex.svg?branch=master)](https://travis-ci.org/mathiasbynens/emoji-regex)',
    '',
    '- [chalk](https://github.com/chalk/chalk) - Terminal string styling done right',
    '- [ansi-styles](https://github.com/chalk/ansi-styles) - ANSI escape codes for styling strings in the terminal',
    '',
    'We sailed down the [Danube](https://en.wikipedia.org/wiki/Danube) River to Vienna with [Angela Merkel](https://example.org/am).',
    '',
    '[![NPM Version][npm-version-image]][npm-url]',
    '[![License][license-image]][license-url]',
    '',
    '[npm-version-image]: https://img.shields.io/npm/v/x.svg',
    '[npm-url]: https://npmjs.org/package/x',
    '[license-image]: https://img.shields.io/npm/l/x.svg',
    '[license-url]: LICENSE',
  ].join('\n');
  const doc = ingestText('/notes/readme.md', md, 'markdown');
  const detector = loadDefaultDetector();
  const mentions: string[] = [];
  for (const para of doc.paragraphs) {
    for (const sentence of para.sentences) {
      for (const span of detector.detect(sentence.text, para.heading ? { heading: true } : undefined)) {
        mentions.push(md.slice(sentence.start + span.start, sentence.start + span.end));
      }
    }
  }
  for (const m of mentions) assert.doesNotMatch(m, /\]\(|\]\[|!\[|https?:|\n/, `mention ${JSON.stringify(m)} runs across markup`);
  for (const name of ['Danube', 'Vienna', 'Angela Merkel']) assert.ok(mentions.includes(name), `${name} in ${JSON.stringify(mentions)}`);
  assert.ok(mentions.some((m) => m === 'chalk' || m === 'ansi-styles' || m === 'emoji-regex'), `a package name in ${JSON.stringify(mentions)}`);
});

test('tab-separated cells and rows: no mention holds a tab or runs from one row into the next', () => {
  const detector = loadDefaultDetector();
  // As `index` detects a document: its sentences, each paragraph together.
  const mentionsOf = (path: string, text: string, kind: 'markdown' | 'plaintext') => {
    const ingested = ingestText(path, text, kind);
    const spans = detectByParagraph(detector, sentencesToDetect(ingested, undefined));
    return ingested.paragraphs.flatMap((p) => p.sentences).flatMap((sentence, k) => spans[k].map((span) => text.slice(sentence.start + span.start, sentence.start + span.end)));
  };
  const tsv = 'Name\tCountry\tRiver\nVienna\tAustria\tDanube\nParis\tFrance\tSeine\n';
  const fromTsv = mentionsOf('/notes/cols.txt', tsv, 'plaintext');
  const fromMd = mentionsOf('/notes/cols.md', 'Capital\tCountry\nVienna\tAustria\nParis\tFrance\n', 'markdown');
  for (const m of [...fromTsv, ...fromMd]) assert.doesNotMatch(m, /[\t\r\n]/, `mention ${JSON.stringify(m)} runs across cells`);
  for (const name of ['Vienna', 'Austria', 'Danube', 'Paris', 'France', 'Seine']) assert.ok(fromTsv.includes(name), `${name} in ${JSON.stringify(fromTsv)}`);
  // Without tabs, a name wrapped at the margin stays one mention.
  assert.ok(mentionsOf('/notes/wrap.txt', 'Last week we flew from Paris to New\nYork with friends.\n', 'plaintext').includes('New\nYork'));
});
