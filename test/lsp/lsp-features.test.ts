// Editor features of the language server, through the real process over stdio: unsaved-edit
// indexing (didOpen/didChange/didClose), inlay hints with type labels, document highlights,
// ner/highlights, and workspace/configuration settings. Every wait is on a server message.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ResponseError } from 'vscode-jsonrpc/node';
import { LspTestClient } from './lspClient.ts';
import { storiesFolder, storiesSkip } from '../engine/llm/storiesModel.ts';
import type { HighlightsResult, NerRange, SearchResult } from '../../server/src/protocol.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const fixture = new URL('../fixtures/workspace', import.meta.url).pathname;
const uri = (p: string) => pathToFileURL(p).href;

interface Hint { position: { line: number; character: number }; label: string; kind?: number; paddingLeft?: boolean }

function rangeIn(file: string, lineNeedle: string, text: string): NerRange {
  const lines = readFileSync(file, 'utf8').split(/\r\n|\n|\r/);
  const line = lines.findIndex((l) => l.includes(lineNeedle));
  assert.ok(line >= 0, `line with ${lineNeedle}`);
  const character = lines[line].indexOf(text);
  assert.ok(character >= 0, `${text} on line ${line}`);
  return { start: { line, character }, end: { line, character: character + text.length } };
}

/** The text a single-line range covers. */
function textAt(file: string, r: NerRange): string {
  assert.equal(r.start.line, r.end.line);
  return readFileSync(file, 'utf8').split(/\r\n|\n|\r/)[r.start.line].slice(r.start.character, r.end.character);
}

const whole = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };

describe('language server editor features', () => {
  let tmp: string;
  let ws: string;
  let rivers: string;
  let client: LspTestClient;
  const search = (query: string) => client.request<SearchResult>('ner/search', { query, limit: 500 });
  const hints = (file: string, range = whole) =>
    client.request<Hint[]>('textDocument/inlayHint', { textDocument: { uri: uri(file) }, range });
  // For the encoder-switch tests: the encoder the store records ('' while it has no readable
  // manifest), the river hits as comparable strings, and the way back to the built-in encoder.
  const storedEncoderId = () => {
    try { return (JSON.parse(readFileSync(join(tmp, 'storage', 'ner-index', 'store.json'), 'utf8')) as { identity: { encoderId: string } }).identity.encoderId; } catch { return ''; }
  };
  const riverHits = async () => (await search('river')).hits.map((h) => `${h.uri}:${h.text}`).sort();
  const backToBuiltIn = async () => {
    client.settings = null;
    await client.settle(() => client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null }), 100_000);
    assert.match(storedEncoderId(), /^static-/);
  };

  before(async () => {
    tmp = scratchDir('ner-lsp-feat-');
    ws = join(tmp, 'ws');
    rivers = join(ws, 'rivers.md');
    cpSync(fixture, ws, { recursive: true });
    client = new LspTestClient();
    const init = await client.start([ws], { storagePath: join(tmp, 'storage') }, {
      window: { workDoneProgress: true },
      workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, configuration: true, inlayHint: { refreshSupport: true } },
      textDocument: { inlayHint: {}, documentHighlight: {}, synchronization: {} },
    });
    assert.equal(init.capabilities.inlayHintProvider, true);
    assert.equal(init.capabilities.documentHighlightProvider, true);
    assert.equal(init.capabilities.hoverProvider, true);
    assert.deepEqual(init.capabilities.textDocumentSync, { openClose: true, change: 2 });
    await client.initialIndexing();
  });

  after(async () => {
    await client?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('ner/search reads a dataset label as its words and says so in searchedAs', async () => {
    const asLabel = await search('BodyOfWater');
    const asWords = await search('body of water');
    assert.equal(asLabel.searchedAs, 'body of water');
    assert.equal(asWords.searchedAs, undefined, 'absent when the query is searched as written');
    assert.equal((await search('  body  of water ')).searchedAs, undefined, 'spacing alone is not a rewrite');
    assert.deepEqual(asLabel.hits, asWords.hits);
    assert.ok(asLabel.hits.length > 0 && ['Danube', 'Rhine', 'Vltava', 'Thames', 'Loire', 'Black Sea', 'North Sea'].includes(asLabel.hits[0].text), asLabel.hits[0]?.text);
  });

  test('ner/search says where a query keeps the names WordNet knows (restrictedTo)', async () => {
    assert.equal((await search('European river')).restrictedTo, 'in Europe');
    assert.equal((await search('rivers in Europe')).restrictedTo, 'in Europe');
    assert.equal((await search('19th-century composer')).restrictedTo, 'active 1801–1900');
    assert.equal((await search('river')).restrictedTo, undefined);
  });

  test('ner/search with names: one hit per name at its best mention, with its mentions and files', async () => {
    const all = (await search('river')).hits;
    const res = await client.request<SearchResult>('ner/search', { query: 'river', limit: 4, names: true });
    assert.equal(res.hits.length, 4);
    assert.equal(res.names?.length, 4);
    const keys = res.names!.map((n) => n.text.toLowerCase());
    assert.deepEqual(keys, [...new Set(all.map((h) => h.text.toLowerCase()))].slice(0, 4), 'the names of the best hits, in their order');
    res.names!.forEach((n, i) => {
      const same = all.filter((h) => h.text.toLowerCase() === n.text.toLowerCase());
      assert.equal(res.hits[i].text, n.text);
      assert.equal(res.hits[i].score, Math.max(...same.map((h) => h.score)), `${n.text}: its best mention`);
      assert.equal(n.mentions, same.length, n.text);
      assert.equal(n.files, new Set(same.map((h) => h.uri)).size, n.text);
    });
    assert.equal((await search('river')).names, undefined, 'absent without names');
  });

  test('unsaved edits of a new document are indexed, and leave the index on close', async () => {
    const draft = join(ws, 'draft.md'); // never written to disk
    const text = '# Draft\n\nIn Orléans the Loire meets the Atlantic.\n';
    await client.settle(() => client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(draft), languageId: 'markdown', version: 1, text },
    }));
    let res = await search('river');
    const loire = res.hits.find((h) => h.uri === uri(draft) && h.text === 'Loire');
    assert.deepEqual(loire?.range, { start: { line: 2, character: 15 }, end: { line: 2, character: 20 } });
    assert.equal(loire?.preview, 'In Orléans the Loire meets the Atlantic.', 'the preview line from the buffer');

    // Incremental change: replace line 2 with another sentence.
    await client.settle(() => client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(draft), version: 2 },
      contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 40 } }, text: 'The Volga flows into the Caspian Sea.' }],
    }));
    res = await search('river');
    const mine = res.hits.filter((h) => h.uri === uri(draft));
    assert.ok(!mine.some((h) => h.text === 'Loire'), 'Loire gone after the edit');
    assert.deepEqual(mine.find((h) => h.text === 'Volga')?.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } });

    await client.settle(() => client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(draft) } }));
    res = await search('river');
    assert.ok(!res.hits.some((h) => h.uri === uri(draft)), 'closed document not on disk: gone');
  });

  test('unsaved edits of a file on disk win while open and revert to the disk content on close', async () => {
    const disk = readFileSync(rivers, 'utf8');
    const edited = disk.replace('In Gdańsk the Vistula meets the Baltic.', 'In Orléans the Loire meets the Atlantic.');
    assert.notEqual(edited, disk);
    await client.settle(() => client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(rivers), languageId: 'markdown', version: 1, text: disk },
    }));
    await client.settle(() => client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(rivers), version: 2 }, contentChanges: [{ text: edited }],
    }));
    let mine = (await search('river')).hits.filter((h) => h.uri === uri(rivers));
    assert.ok(mine.some((h) => h.text === 'Loire' && h.range.start.line === 21), 'Loire from the unsaved buffer');
    assert.equal(mine.find((h) => h.text === 'Loire')?.preview, edited.split('\n')[21], 'the preview line from the buffer, not the disk');
    assert.ok(!mine.some((h) => h.text === 'Vistula'));
    // A full re-scan reads the disk, but the open buffer still wins.
    await client.settle(() => client.request('ner/reindex'));
    mine = (await search('river')).hits.filter((h) => h.uri === uri(rivers));
    assert.ok(mine.some((h) => h.text === 'Loire') && !mine.some((h) => h.text === 'Vistula'), 'buffer kept across ner/reindex');

    await client.settle(() => client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(rivers) } }));
    mine = (await search('river')).hits.filter((h) => h.uri === uri(rivers));
    assert.ok(!mine.some((h) => h.text === 'Loire'), 'reverted: Loire gone');
    assert.deepEqual(mine.find((h) => h.text === 'Vistula')?.range, { start: { line: 21, character: 14 }, end: { line: 21, character: 21 } });
    assert.equal(mine.find((h) => h.text === 'Vistula')?.preview, disk.split('\n')[21]);
  });

  test('previews are the lines the ranges count in: a UTF-16 file decoded as indexed, a buffer\'s U+FEFF kept', async () => {
    // Lone CR line ends, as the ranges count lines.
    const lines = ['In Orléans the Loire meets the Atlantic.', 'The Danube flows through Vienna.'];
    const utf16 = join(ws, 'utf16-notes.md');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join('\r') + '\r', 'utf16le')]));
    await client.settle(() => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(utf16), type: 1 }] }));
    const bom = join(ws, 'bom-draft.md'); // never written to disk: the editor's buffer starts with U+FEFF
    await client.settle(() => client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(bom), languageId: 'markdown', version: 1, text: '\uFEFF' + lines.join('\n') },
    }));
    try {
      const hits = (await search('river')).hits.filter((h) => h.uri === uri(utf16) || h.uri === uri(bom));
      for (const name of ['Loire', 'Danube']) for (const file of [utf16, bom]) assert.ok(hits.some((h) => h.uri === uri(file) && h.text === name), `${name} in ${file}`);
      for (const h of hits) {
        const line = h.uri === uri(bom) && h.range.start.line === 0 ? '\uFEFF' + lines[0] : lines[h.range.start.line];
        assert.equal(h.preview, line, JSON.stringify(h));
        assert.equal(h.preview.slice(h.range.start.character, h.range.end.character), h.text, 'the range\'s characters are the preview\'s');
      }
    } finally {
      await client.settle(() => client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(bom) } }));
      rmSync(utf16);
      await client.settle(() => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(utf16), type: 3 }] }));
    }
  });

  test('a buffer that starts with U+FEFF reads as its file does: a code fence right after the mark stays code', async () => {
    const bom = join(ws, 'bom-fence.md'); // never written to disk
    await client.settle(() => client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(bom), languageId: 'markdown', version: 1, text: '\uFEFF```\nSiemens in code\n```\n\nThe Danube flows past Vienna.\n' },
    }));
    try {
      const found = await client.request<HighlightsResult>('ner/highlights', { uri: uri(bom), query: 'river', minScore: -1 });
      assert.deepEqual(found.highlights.map((h) => `${h.text} ${h.range.start.line}:${h.range.start.character}`).sort(), ['Danube 4:4', 'Vienna 4:22']);
    } finally {
      await client.settle(() => client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(bom) } }));
    }
  });

  test('workspace/symbol matches names as they are shown: wrapped over two lines, or with a combining accent', async () => {
    const notes = join(ws, 'symbol-names.md'); // never written to disk
    await client.settle(() => client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(notes), languageId: 'markdown', version: 1, text: 'In Lisbon we met Jose\u0301 Saramago and talked about Marie\nCurie for an hour.\n' },
    }));
    try {
      const named = async (query: string) => (await client.request<Array<{ name: string; location: { uri: string } }>>('workspace/symbol', { query }))
        .filter((s) => s.location.uri === uri(notes)).map((s) => s.name);
      assert.deepEqual(await named('Marie Curie'), ['Marie Curie']);
      assert.equal((await named('josé saramago')).length, 1, 'the composed query finds the name written with a combining accent');
    } finally {
      await client.settle(() => client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(notes) } }));
    }
  });

  test('a maker name inside a product name ("Canon" of "Canon R7") is one place: listed, labelled and highlighted once', async () => {
    const notes = join(ws, 'camera-notes.md'); // never written to disk
    const text = 'We flew the Embraer E195-E2 to Porto, and I shot the harbour on a Canon R7 with Anna.\n';
    await client.settle(() => client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(notes), languageId: 'markdown', version: 1, text },
    }));
    try {
      const at = (needle: string) => ({ line: 0, character: text.indexOf(needle) });
      const end = (needle: string) => ({ line: 0, character: text.indexOf(needle) + needle.length });
      const overlapping = (ranges: NerRange[]) => ranges.some((a, i) => ranges.some((b, j) => i !== j && a.start.character < b.end.character && b.start.character < a.end.character));
      // Found as the maker: a search may list "Canon" or "Canon R7", never both.
      for (const query of ['camera brand', 'aircraft manufacturer', 'city']) {
        const mine = (await search(query)).hits.filter((h) => h.uri === uri(notes));
        assert.ok(mine.length >= 3, `${query}: ${mine.map((h) => h.text).join(', ')}`);
        assert.ok(!overlapping(mine.map((h) => h.range)), `${query}: ${mine.map((h) => h.text).join(', ')}`);
        const marked = await client.request<HighlightsResult>('ner/highlights', { uri: uri(notes), query, minScore: -1 });
        assert.equal(marked.highlights.length, mine.length, `${query}: every place highlighted once`);
        assert.ok(!overlapping(marked.highlights.map((h) => h.range)));
      }
      const symbols = (await client.request<Array<{ name: string; location: { uri: string } }>>('workspace/symbol', { query: 'canon' }))
        .filter((s) => s.location.uri === uri(notes)).map((s) => s.name);
      assert.deepEqual(symbols, ['Canon R7'], 'the name that holds the maker, once');
      const labels = await hints(notes);
      const hintAt = (p: { line: number; character: number }) => labels.filter((h) => h.position.line === p.line && h.position.character === p.character);
      assert.equal(hintAt(end('Canon R7')).length, 1);
      assert.equal(hintAt(end('Canon')).length, 0, 'no label inside "Canon R7"');
      assert.equal(hintAt(end('Embraer')).length, 0, 'no label inside "Embraer E195-E2"');
      const hover = await client.request<{ range: NerRange } | null>('textDocument/hover', { textDocument: { uri: uri(notes) }, position: at('Canon') });
      assert.deepEqual(hover?.range, { start: at('Canon R7'), end: end('Canon R7') });
    } finally {
      await client.settle(() => client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(notes) } }));
    }
  });

  test('textDocument/inlayHint: a type label at the end of each mention', async () => {
    const all = await hints(rivers);
    assert.ok(all.length > 3, JSON.stringify(all));
    for (const h of all) {
      assert.equal(h.kind, 1, 'InlayHintKind.Type');
      assert.equal(h.paddingLeft, true);
      assert.match(h.label, /^: \S/);
    }
    const danube = rangeIn(rivers, 'by contrast', 'Danube');
    const rhine = rangeIn(rivers, 'Swiss Alps', 'Rhine');
    const at = (r: NerRange) => all.filter((h) => h.position.line === r.end.line && h.position.character === r.end.character);
    assert.equal(at(danube).length, 1, 'one hint right after Danube');
    assert.equal(at(rhine).length, 1, 'one hint right after Rhine');
    assert.ok([': river', ': location'].includes(at(danube)[0].label), at(danube)[0].label);
    assert.ok([': river', ': location'].includes(at(rhine)[0].label), at(rhine)[0].label);
    // Every hint sits at the end of a stored mention.
    const syms = await client.request<Array<{ location: { uri: string; range: NerRange } }>>('workspace/symbol', { query: '' });
    const ends = new Set(syms.filter((s) => s.location.uri === uri(rivers)).map((s) => `${s.location.range.end.line}:${s.location.range.end.character}`));
    for (const h of all) assert.ok(ends.has(`${h.position.line}:${h.position.character}`), JSON.stringify(h));
    // Only the requested range.
    const line = danube.start.line;
    const some = await hints(rivers, { start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
    assert.ok(some.length > 0 && some.length < all.length);
    for (const h of some) assert.equal(h.position.line, line);
    // The type labels were read per resource.
    assert.ok(client.configurationRequests.some((r) => r.section === 'nerRetriever' && r.scopeUri === uri(rivers)));
  });

  test('textDocument/documentHighlight: mentions with the same text as the one under the cursor', async () => {
    const danube = rangeIn(rivers, 'by contrast', 'Danube');
    const res = await client.request<Array<{ range: NerRange; kind: number }>>('textDocument/documentHighlight', {
      textDocument: { uri: uri(rivers) }, position: { line: danube.start.line, character: danube.start.character + 2 },
    });
    assert.ok(res.some((h) => JSON.stringify(h.range) === JSON.stringify(danube)), JSON.stringify(res));
    const syms = await client.request<Array<{ name: string; location: { uri: string; range: NerRange } }>>('workspace/symbol', { query: 'Danube' });
    const expected = syms.filter((s) => s.location.uri === uri(rivers) && s.name === 'Danube').map((s) => s.location.range);
    assert.deepEqual(res.map((h) => h.range), expected);
    for (const h of res) {
      assert.equal(h.kind, 1, 'DocumentHighlightKind.Text');
      assert.equal(textAt(rivers, h.range), 'Danube');
    }
    const none = await client.request<unknown[]>('textDocument/documentHighlight', {
      textDocument: { uri: uri(rivers) }, position: { line: 0, character: 0 },
    });
    assert.deepEqual(none, []);
  });

  test('textDocument/hover: over a mention, its best type labels with their scores; nothing elsewhere or with labels off', async () => {
    const danube = rangeIn(rivers, 'by contrast', 'Danube');
    const hover = (position: { line: number; character: number }) => client.request<{ contents: { kind: string; value: string }; range: NerRange } | null>('textDocument/hover', {
      textDocument: { uri: uri(rivers) }, position,
    });
    const h = await hover({ line: danube.start.line, character: danube.start.character + 3 });
    assert.ok(h, 'a hover over Danube');
    assert.equal(h.contents.kind, 'markdown');
    assert.deepEqual(h.range, danube);
    // "Danube — **river** 0.81 · location 0.66 · …": three labels, best first, the first in bold.
    const m = /^Danube — \*\*([a-z ]+)\*\* (-?\d\.\d\d) · ([a-z ]+) (-?\d\.\d\d) · ([a-z ]+) (-?\d\.\d\d)$/.exec(h.contents.value);
    assert.ok(m, h.contents.value);
    assert.ok(['river', 'location'].includes(m[1]), m[1]);
    assert.ok(Number(m[2]) >= Number(m[4]) && Number(m[4]) >= Number(m[6]), h.contents.value);
    // The inline label is the hover's first label.
    const hint = (await hints(rivers)).find((x) => x.position.line === danube.end.line && x.position.character === danube.end.character);
    assert.equal(hint?.label, `: ${m[1]}`);
    assert.equal(await hover({ line: 0, character: 0 }), null, 'front matter: no mention');
    // A vocabulary of the user's own, and labels turned off (each change applied once the server
    // asks for the hints to be refreshed).
    const change = async (settings: Record<string, unknown> | null) => {
      const refreshes = client.inlayHintRefreshes;
      client.settings = settings;
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await client.waitUntil('inlayHint/refresh', () => client.inlayHintRefreshes > refreshes);
    };
    await change({ typeLabels: ['waterway', 'politician'] });
    assert.match((await hover({ line: danube.start.line, character: danube.start.character }))!.contents.value, /^Danube — \*\*waterway\*\* \S+ · politician \S+$/);
    await change({ typeLabelsEnabled: false });
    assert.equal(await hover({ line: danube.start.line, character: danube.start.character }), null);
    await change(null);
  });

  test('a position past its line\'s end means the line\'s end (LSP), for hover, highlights and hint ranges; past the document, nothing', async () => {
    const ends = join(ws, 'line-ends.md'); // never written to disk; CRLF, each paragraph ending in a name
    await client.settle(() => client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(ends), languageId: 'markdown', version: 1, text: 'Marie Curie moved to Paris\r\n\r\nThe Danube flows through Vienna\r\n' },
    }));
    try {
      const paris = { start: { line: 0, character: 21 }, end: { line: 0, character: 26 } };
      const pastParis = { line: 0, character: 200 };
      const hover = await client.request<{ range: NerRange } | null>('textDocument/hover', { textDocument: { uri: uri(ends) }, position: pastParis });
      assert.deepEqual(hover?.range, paris, 'the cursor right after Paris');
      const highlights = await client.request<Array<{ range: NerRange }>>('textDocument/documentHighlight', { textDocument: { uri: uri(ends) }, position: pastParis });
      assert.deepEqual(highlights.map((h) => h.range), [paris]);
      const fromPastParis = await hints(ends, { start: pastParis, end: { line: 1, character: 0 } });
      assert.deepEqual(fromPastParis.map((h) => h.position), [paris.end], 'Paris\'s hint, at the clamped start');
      for (const position of [{ line: 3, character: 5 }, { line: 1000, character: 0 }]) {
        assert.equal(await client.request('textDocument/hover', { textDocument: { uri: uri(ends) }, position }), null, JSON.stringify(position));
        assert.deepEqual(await client.request('textDocument/documentHighlight', { textDocument: { uri: uri(ends) }, position }), [], JSON.stringify(position));
      }
    } finally {
      await client.settle(() => client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(ends) } }));
    }
  });

  test('right after an edit, hints and highlights follow the editor\'s text, not the last indexed version', async () => {
    const moving = join(ws, 'moving.md'); // never written to disk
    const text = 'The Danube flows through Vienna.\n\nThe Rhine flows past Basel.\n';
    await client.settle(() => client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(moving), languageId: 'markdown', version: 1, text },
    }));
    const lineOf = (hs: Hint[], label: string) => hs.find((h) => h.position.character === text.split('\n')[0].indexOf(label) + label.length);
    assert.equal(lineOf(await hints(moving), 'Danube')?.position.line, 0, 'indexed before the edit');
    // Two lines inserted on top; the requests follow at once, within the server's 150 ms debounce.
    const edited = '# Notes\n\n' + text;
    client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(moving), version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# Notes\n\n' }],
    });
    const [after, highlighted, same] = await Promise.all([
      hints(moving),
      client.request<HighlightsResult>('ner/highlights', { uri: uri(moving), query: 'river', minScore: -1 }),
      client.request<Array<{ range: NerRange }>>('textDocument/documentHighlight', { textDocument: { uri: uri(moving) }, position: { line: 2, character: 6 } }),
    ]);
    const lines = edited.split('\n');
    const ends = (line: number, word: string) => ({ line, character: lines[line].indexOf(word) + word.length });
    assert.deepEqual(after.find((h) => h.position.line === 2 && h.position.character === ends(2, 'Danube').character)?.position, ends(2, 'Danube'), JSON.stringify(after));
    assert.ok(!after.some((h) => h.position.line === 0 && h.position.character > 0 && lines[0].length < h.position.character), 'no hint left at the old place');
    for (const h of highlighted.highlights) {
      assert.equal(h.range.start.line, h.range.end.line);
      assert.equal(lines[h.range.start.line].slice(h.range.start.character, h.range.end.character), h.text, JSON.stringify(h));
    }
    assert.ok(highlighted.highlights.some((h) => h.text === 'Danube' && h.range.start.line === 2), JSON.stringify(highlighted));
    assert.deepEqual(same.map((h) => h.range), [{ start: { line: 2, character: 4 }, end: { line: 2, character: 10 } }], 'the Danube under the cursor, where the editor shows it');
    await client.settle(() => client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(moving) } }));
  });

  test('right after an edit, ner/search and workspace/symbol point where the editor shows the names', async () => {
    const moving = join(ws, 'moving-search.md'); // never written to disk
    const text = 'The Danube flows through Vienna.\n\nThe Rhine flows past Basel.\n';
    await client.settle(() => client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(moving), languageId: 'markdown', version: 1, text },
    }));
    // Two lines inserted on top; the requests follow at once, within the server's 150 ms debounce.
    const lines = ('# Notes\n\n' + text).split('\n');
    client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(moving), version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# Notes\n\n' }],
    });
    const [found, symbols, typed] = await Promise.all([
      client.request<SearchResult>('ner/search', { query: 'river', scope: [uri(moving)], limit: 50 }),
      client.request<Array<{ name: string; location: { uri: string; range: NerRange } }>>('workspace/symbol', { query: 'Danube' }),
      client.request<Array<{ name: string; location: { uri: string; range: NerRange } }>>('workspace/symbol', { query: 'type: river' }),
    ]);
    const at = (r: NerRange) => lines[r.start.line].slice(r.start.character, r.end.character);
    assert.ok(found.hits.some((h) => h.text === 'Danube' && h.range.start.line === 2), JSON.stringify(found.hits));
    for (const h of found.hits) {
      assert.equal(at(h.range), h.text, JSON.stringify(h));
      assert.equal(h.preview, lines[h.range.start.line], 'the preview is the line the range is on');
    }
    const mine = [...symbols, ...typed].filter((s) => s.location.uri === uri(moving));
    assert.ok(mine.some((s) => s.name === 'Danube' && s.location.range.start.line === 2), JSON.stringify(symbols));
    for (const s of mine) assert.equal(at(s.location.range), s.name, JSON.stringify(s));
    await client.settle(() => client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(moving) } }));
  });

  test('ner/highlights: mentions of the document matching a type query', async () => {
    const res = await client.request<HighlightsResult>('ner/highlights', { uri: uri(rivers), query: 'river' });
    assert.equal(res.partial, false);
    const ranges = res.highlights.map((h) => JSON.stringify(h.range));
    assert.ok(ranges.includes(JSON.stringify(rangeIn(rivers, 'by contrast', 'Danube'))), JSON.stringify(res));
    assert.ok(ranges.includes(JSON.stringify(rangeIn(rivers, 'Swiss Alps', 'Rhine'))));
    for (const h of res.highlights) {
      assert.ok(h.score >= 0.4, `${h.text}: ${h.score}`);
      assert.equal(textAt(rivers, h.range), h.text);
    }
    // Same scores as ner/search, for the same mentions.
    const search = (await client.request<SearchResult>('ner/search', { query: 'river', scope: [uri(rivers)], limit: 1000 })).hits;
    const danubeHit = search.find((h) => JSON.stringify(h.range) === JSON.stringify(rangeIn(rivers, 'by contrast', 'Danube')))!;
    const danubeHl = res.highlights.find((h) => JSON.stringify(h.range) === JSON.stringify(danubeHit.range))!;
    assert.ok(Math.abs(danubeHit.score - danubeHl.score) < 1e-4);
    const strict = await client.request<HighlightsResult>('ner/highlights', { uri: uri(rivers), query: 'river', minScore: 1 });
    assert.ok(strict.highlights.length < res.highlights.length);
    const other = await client.request<HighlightsResult>('ner/highlights', { uri: uri(join(ws, 'nowhere.md')), query: 'river' });
    assert.deepEqual(other.highlights, []);
    for (const bad of [{ uri: 'x', query: 'river' }, { uri: uri(rivers), query: ' ' }, { uri: uri(rivers), query: 'river', minScore: 'high' }, null]) {
      await assert.rejects(client.request('ner/highlights', bad), (e: ResponseError<unknown>) => e.code === -32602);
    }
  });

  test('settings: a new typeLabels vocabulary and threshold change the inlay hints', async () => {
    const refreshes = client.inlayHintRefreshes;
    client.settings = (scopeUri) => (scopeUri === uri(rivers) ? { typeLabels: ['waterway', 'stream'], typeLabelThreshold: -1 } : null);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitUntil('inlayHint/refresh', () => client.inlayHintRefreshes > refreshes);
    const all = await hints(rivers);
    assert.ok(all.length > 3);
    for (const h of all) assert.ok([': waterway', ': stream'].includes(h.label), h.label);

    client.settings = { typeLabelThreshold: 1 };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitUntil('inlayHint/refresh', () => client.inlayHintRefreshes > refreshes + 1);
    assert.deepEqual(await hints(rivers), [], 'nothing clears the highest threshold, 1 (1.5 is out of range and ignored)');

    client.settings = null;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitUntil('inlayHint/refresh', () => client.inlayHintRefreshes > refreshes + 2);
    const back = await hints(rivers);
    assert.equal(back.length, all.length);
    assert.ok(back.some((h) => h.label === ': river'));
  });

  test('settings: exclude globs leave files out after the re-scan', async () => {
    const london = join(ws, 'travel', 'london.md');
    assert.ok((await search('river')).hits.some((h) => h.uri === uri(london)));
    client.settings = { exclude: ['travel/**'] };
    await client.settle(() => client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null }));
    assert.ok(!(await search('river')).hits.some((h) => h.uri === uri(london)), 'excluded');
    client.settings = null;
    await client.settle(() => client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null }));
    assert.ok((await search('river')).hits.some((h) => h.uri === uri(london)), 'included again');
  });

  test('settings: device and layer leave the built-in encoder alone (no reload, no rebuild)', async () => {
    const manifest = join(tmp, 'storage', 'ner-index', 'store.json');
    const before = readFileSync(manifest, 'utf8');
    const logs = client.logs.length;
    const pulls = client.configurationRequests.length;
    client.settings = { device: 'cuda', layer: 5 };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitUntil('the new settings pulled', () => client.configurationRequests.length > pulls, 10_000);
    // A switch of encoder would log at once, before loading anything.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(!client.logs.slice(logs).some((m) => /Encoder settings changed/.test(m)), client.logs.slice(logs).join('\n'));
    assert.equal(readFileSync(manifest, 'utf8'), before, 'the store was not reopened or rebuilt');
    assert.ok((await search('river')).hits.length > 0);
    client.settings = null;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  });

  test('settings: a new encoder rebuilds the index with it; a broken one is reported and the old index stays', { skip: storiesSkip, timeout: 120_000 }, async () => {
    assert.match(storedEncoderId(), /^static-/);
    const before = await riverHits();
    // A local Llama checkpoint (the real stories260K) at layer 2.
    client.settings = { encoder: storiesFolder(), layer: 2, device: 'cpu' };
    await client.settle(() => client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null }), 100_000);
    // No trained head for it: the server fitted the whitening head on the workspace's mentions and
    // saved it beside the store, as `index` does.
    assert.match(storedEncoderId(), /^llm-v1\|.*\|L2\|whiten\d+:[0-9a-f]{12}$/);
    assert.ok(existsSync(join(tmp, 'storage', 'ner-index', 'llm-whitening.json')));
    assert.ok(client.statuses.some((s) => /mentions for the LLM encoder's whitening head/.test(s.message)), 'the pre-pass was announced');
    const llmHits = (await search('river')).hits;
    assert.deepEqual(llmHits.map((h) => `${h.uri}:${h.text}`).sort(), before, 'the same mentions, embedded by the LLM encoder');
    // A model that is not there: an error status, and the index keeps answering.
    const statuses = client.statuses.length;
    client.settings = { encoder: join(tmp, 'no-such-model'), layer: 2 };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitUntil('an error status', () => client.statuses.slice(statuses).some((s) => s.health === 'error'), 30_000);
    assert.match(client.statuses.at(-1)!.message, /no-such-model/);
    assert.equal((await search('river')).hits.length, llmHits.length);
    // Back to the built-in encoder.
    await backToBuiltIn();
    assert.deepEqual(await riverHits(), before);
  });

  test('settings: a new encoder whose index does not open is reported, and the next change starts over', { skip: storiesSkip, timeout: 120_000 }, async () => {
    const storeDir = join(tmp, 'storage', 'ner-index');
    const manifest = join(storeDir, 'store.json');
    const before = await riverHits();
    // Something else's manifest appears in the store folder while the server is idle: the switch
    // closes the index, and the new one refuses a folder that is not its own.
    const original = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, JSON.stringify({ format: 'some-other-tool' }));
    const from = client.statuses.length;
    client.settings = { encoder: storiesFolder(), layer: 2, device: 'cpu' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitUntil('an error status', () => client.statuses.slice(from).some((s) => s.health === 'error'), 100_000);
    assert.match(client.statuses.at(-1)!.message, /did not open: .*not a NER Retriever store.*Change the encoder setting/);
    assert.deepEqual((await search('river')).hits, []);
    assert.equal(JSON.parse(readFileSync(manifest, 'utf8')).format, 'some-other-tool', 'the foreign manifest is left alone');
    // The user clears it up and goes back to the built-in encoder: indexed again, no restart.
    writeFileSync(manifest, original);
    client.settings = null;
    const again = client.statuses.length;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitUntil('the index, idle', () => client.statuses.slice(again).some((s) => s.quiescent && s.health === 'ok'), 100_000);
    assert.deepEqual(await riverHits(), before);
  });

  test('ner/reindex {rebuild: true} with an LLM whose whitening head was fitted here: fitted again on the workspace as it is now', { skip: storiesSkip, timeout: 120_000 }, async () => {
    const storeDir = join(tmp, 'storage', 'ner-index');
    const fitOf = () => JSON.parse(readFileSync(join(storeDir, 'llm-whitening.json'), 'utf8')) as { mentionCount: number };
    client.settings = { encoder: storiesFolder(), layer: 2, device: 'cpu' };
    await client.settle(() => client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null }), 100_000);
    const fitted = fitOf().mentionCount;
    assert.equal(fitted, client.statuses.at(-1)!.mentions, 'fitted on the workspace\'s mentions');
    // The workspace grows; a plain pass indexes the new file in the old fit's space.
    const grown = join(ws, 'more-rivers.md');
    writeFileSync(grown, 'The Loire, the Seine and the Garonne cross France; the Ebro and the Tagus cross Spain.\n');
    await client.settle(() => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(grown), type: 1 }] }), 100_000);
    assert.equal(fitOf().mentionCount, fitted, 'no refit on a file change');
    const logs = client.logs.length;
    await client.settle(() => client.request('ner/reindex', { rebuild: true }), 100_000);
    const now = client.statuses.at(-1)!.mentions;
    assert.ok(now > fitted, `${now} mentions now, ${fitted} before`);
    assert.equal(fitOf().mentionCount, now, 'the new fit counts the mentions there are now');
    assert.ok(client.logs.slice(logs).some((m) => /Fitting the whitening head .*rebuild requested/.test(m)), client.logs.slice(logs).join('\n'));
    assert.ok((await search('river')).hits.some((h) => h.uri === uri(grown)));
    rmSync(grown);
    client.settings = null;
    await client.settle(() => client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null }), 100_000);
  });

  test('settings: a new encoder whose store another process holds waits for it, then opens', { skip: storiesSkip, timeout: 120_000 }, async () => {
    const storeDir = join(tmp, 'storage', 'ner-index');
    const before = await riverHits();
    // A live process — this test's — takes the writer lock over while the server runs: the
    // server's close then leaves it, and its new open has to wait.
    writeFileSync(join(storeDir, 'lock'), String(process.pid));
    const from = client.statuses.length;
    client.settings = { encoder: storiesFolder(), layer: 2, device: 'cpu' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitUntil('a waiting status', () => client.statuses.slice(from).some((s) => s.health === 'warning' && /Waiting for the index store/.test(s.message)), 100_000);
    assert.match(client.statuses.at(-1)!.message, new RegExp(`pid ${process.pid}`));
    assert.match(storedEncoderId(), /^static-/, 'the store is not touched while another process holds it');
    rmSync(join(storeDir, 'lock'));
    await client.waitUntil('the LLM index, idle', () => /^llm-v1\|/.test(storedEncoderId()) && client.statuses.at(-1)!.quiescent, 100_000);
    assert.deepEqual(await riverHits(), before);
    await backToBuiltIn();
  });

  test('settings: a new encoder while indexing is paused waits for ner/resume', { skip: storiesSkip, timeout: 120_000 }, async () => {
    const before = await riverHits();
    await client.request('ner/pause');
    await client.waitUntil('paused', () => client.statuses.at(-1)!.paused);
    const from = client.statuses.length;
    client.settings = { encoder: storiesFolder(), layer: 2, device: 'cpu' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitUntil('the LLM store', () => /^llm-v1\|/.test(storedEncoderId()), 100_000);
    await client.waitUntil('a status of the new index', () => client.statuses.length > from && client.statuses.at(-1)!.paused, 30_000);
    assert.equal((await search('river')).hits.length, 0, 'nothing indexed while paused');
    await client.settle(() => client.request('ner/resume'), 100_000);
    assert.deepEqual(await riverHits(), before);
    await backToBuiltIn();
  });

  test('settings: a change that arrives while a new encoder loads is applied after it, not dropped; open documents keep their unsaved text', { skip: storiesSkip, timeout: 120_000 }, async () => {
    assert.match(storedEncoderId(), /^static-/);
    // An open document that exists only in the editor.
    const note = join(ws, 'unsaved-note.md');
    await client.settle(() => client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(note), languageId: 'markdown', version: 1, text: '# Note\n\nThe Vltava flows through Prague.\n' },
    }));
    const before = await riverHits();
    assert.ok(before.includes(`${uri(note)}:Vltava`));
    // The first pull of the global settings after the first change answers the LLM, every later one
    // the built-in encoder: the second change is made while the first one's models still load.
    let globalPulls = 0;
    const llm = { encoder: storiesFolder(), layer: 2, device: 'cpu' };
    client.settings = (scopeUri) => (scopeUri ? null : ++globalPulls === 1 ? llm : null);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitUntil('the LLM encoder', () => /^llm-v1\|/.test(storedEncoderId()), 100_000);
    await client.waitUntil('back to the built-in encoder, idle', () => /^static-/.test(storedEncoderId()) && client.statuses.at(-1)!.quiescent, 100_000);
    client.settings = null;
    // Polled: the re-applied buffer is indexed after its debounce, which sends no status of its own.
    for (let tries = 0; !(await search('river')).hits.some((h) => h.uri === uri(note)); tries++) {
      assert.ok(tries < 300, 'the open document is indexed again from its unsaved text');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(await riverHits(), before);
    await client.settle(() => client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(note) } }));
    assert.ok(!(await search('river')).hits.some((h) => h.uri === uri(note)), 'closed, and not on disk: gone');
  });
});
