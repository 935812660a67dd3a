// Incremental prose parsing must give exactly what a full parse gives, edit after edit, on
// documents with the constructs that make Markdown non-local (lists, fences, tables, quotes,
// HTML, setext headings), and it must actually take the fast path for ordinary prose edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IncrementalProse } from '../../server/src/engine/ingest/incrementalProse.ts';
import { parseProse } from '../../server/src/engine/ingest/markdown.ts';
import { mulberry32 } from '../../server/src/engine/random.ts';

const WORDS = ['The', 'Danube', 'flows', 'through', 'Vienna', 'and', 'Budapest', 'while', 'Siemens', 'builds', 'trains', 'in', 'Munich',
  'Angela', 'Merkel', 'visited', 'Paris', 'river', 'barges', 'carry', 'grain', '*emphasis*', '`code`', '[a link](http://x.y/z)', 'https://example.com/a'];

function sentence(rand: () => number): string {
  const n = 5 + Math.floor(rand() * 10);
  const w = Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]);
  return `${w.join(' ')}.`;
}

function block(rand: () => number): string {
  const r = rand();
  if (r < 0.45) return Array.from({ length: 1 + Math.floor(rand() * 3) }, () => sentence(rand)).join(' ');
  if (r < 0.55) return `## ${sentence(rand)}`;
  if (r < 0.65) return Array.from({ length: 2 + Math.floor(rand() * 3) }, () => `- ${sentence(rand)}`).join('\n');
  if (r < 0.7) return `1. ${sentence(rand)}\n2. ${sentence(rand)}\n   - nested ${sentence(rand)}`;
  if (r < 0.77) return '```js\nconst river = "Danube";\n\nconsole.log(river);\n```';
  if (r < 0.83) return `| Person | City |\n|---|---|\n| ${WORDS[13]} ${WORDS[14]} | ${WORDS[15]} |`;
  if (r < 0.88) return `> ${sentence(rand)}\n> ${sentence(rand)}`;
  if (r < 0.92) return `${sentence(rand)}\n---`;
  if (r < 0.95) return '<div>\nSome <b>html</b> Vienna\n</div>';
  return `    indented code Vienna\n    more code`;
}

function document(rand: () => number, blocks: number, crlf: boolean): string {
  const text = Array.from({ length: blocks }, () => block(rand)).join('\n\n') + '\n';
  return crlf ? text.replace(/\n/g, '\r\n') : text;
}

/** A random edit: inside a paragraph, a new block, a deleted block, joined or split blocks, or a non-local construct. */
function edit(text: string, rand: () => number): string {
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const at = Math.floor(rand() * text.length);
  const r = rand();
  if (r < 0.35) return text.slice(0, at) + ` ${sentence(rand)} ` + text.slice(at);
  if (r < 0.5) {
    const cut = text.indexOf(nl + nl, at);
    return cut < 0 ? text + nl + sentence(rand) + nl : text.slice(0, cut) + nl + nl + block(rand).replace(/\n/g, nl) + text.slice(cut);
  }
  if (r < 0.6) { // delete the block around `at`
    const s = text.lastIndexOf(nl + nl, at);
    const e = text.indexOf(nl + nl, at);
    return s < 0 || e < 0 ? text : text.slice(0, s) + text.slice(e);
  }
  if (r < 0.7) { // join two blocks (remove a blank line)
    const s = text.indexOf(nl + nl, at);
    return s < 0 ? text : text.slice(0, s) + nl + text.slice(s + 2 * nl.length);
  }
  if (r < 0.8) { // split a block
    const s = text.indexOf(' ', at);
    return s < 0 ? text : text.slice(0, s) + nl + nl + text.slice(s + 1);
  }
  if (r < 0.85) return text.slice(0, at) + '```' + text.slice(at);
  if (r < 0.9) return text.slice(0, at) + '<span>' + text.slice(at);
  if (r < 0.95) { const e = Math.min(text.length, at + Math.floor(rand() * 200)); return text.slice(0, at) + text.slice(e); }
  return text.slice(0, at) + ' [ref]: http://example.com ' + text.slice(at);
}

for (const crlf of [false, true]) {
  test(`incremental prose parsing equals a full parse after every edit (${crlf ? 'CRLF' : 'LF'})`, () => {
    const rand = mulberry32(crlf ? 11 : 7);
    const inc = new IncrementalProse();
    let text = document(rand, 400, crlf);
    inc.parse('doc.md', text);
    for (let k = 0; k < 300; k++) {
      text = edit(text, rand);
      const got = inc.parse('doc.md', text);
      const want = parseProse(text);
      if (got.masked !== want.masked) {
        const d = [...got.masked].findIndex((c, i) => c !== want.masked[i]);
        assert.fail(`edit ${k}: masks differ at ${d}: ${JSON.stringify(text.slice(Math.max(0, d - 80), d + 80))}`);
      }
      assert.deepEqual(got.blocks, want.blocks, `edit ${k}: blocks`);
      if (JSON.stringify(got.topLevel) !== JSON.stringify(want.topLevel)) { const d = got.topLevel.findIndex((x, i) => JSON.stringify(x) !== JSON.stringify(want.topLevel[i])); assert.fail(`edit ${k}: top-level differ at ${d}: got ${JSON.stringify(got.topLevel.slice(d - 2, d + 3))} want ${JSON.stringify(want.topLevel.slice(d - 2, d + 3))}`); }
    }
    assert.ok(inc.stats.incremental > 80, `fast path taken for ordinary edits (${JSON.stringify(inc.stats)})`);
    assert.ok(inc.stats.full > 1, 'non-local edits fall back to full parses');
  });
}
