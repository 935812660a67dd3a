// Protocol tests: the real language server process over stdio, driven with JSON-RPC on a temp copy
// of the fixture workspace. Every wait is on a server notification (ner/status quiescence).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ResponseError } from 'vscode-jsonrpc/node';
import { LspTestClient } from './lspClient.ts';
import type { SearchResult } from '../../server/src/protocol.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const fixture = new URL('../fixtures/workspace', import.meta.url).pathname;
const uri = (p: string) => pathToFileURL(p).href;

interface Sym { name: string; kind: number; containerName?: string; location: { uri: string; range: SearchResult['hits'][number]['range'] } }

/** The range of the `nth` occurrence of `text` on the first line containing `lineNeedle`. */
function rangeIn(file: string, lineNeedle: string, text: string) {
  const lines = readFileSync(file, 'utf8').split(/\r\n|\n|\r/);
  const line = lines.findIndex((l) => l.includes(lineNeedle));
  assert.ok(line >= 0, `line with ${lineNeedle}`);
  const character = lines[line].indexOf(text);
  return { start: { line, character }, end: { line, character: character + text.length } };
}

describe('language server over stdio', () => {
  let tmp: string;
  let ws: string;
  let client: LspTestClient;
  const search = (query: string, extra: Record<string, unknown> = {}) =>
    client.request<SearchResult>('ner/search', { query, limit: 200, ...extra });

  before(async () => {
    tmp = scratchDir('ner-lsp-');
    ws = join(tmp, 'ws');
    cpSync(fixture, ws, { recursive: true });
    client = new LspTestClient();
    const init = await client.request<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: [{ uri: uri(ws), name: 'ws' }],
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, symbol: {} },
      },
      initializationOptions: { storagePath: join(tmp, 'storage') },
    });
    assert.equal(init.capabilities.workspaceSymbolProvider, true);
    await client.connection.sendNotification('initialized', {});
    await client.waitUntil('initial indexing to finish', () => client.statuses.some((s) => s.quiescent));
  });

  after(async () => {
    await client?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('initial indexing: work-done progress begins and ends; ner/status reports the index', () => {
    assert.equal(client.progressCreated.length, 1, 'one server-initiated progress');
    const token = client.progressCreated[0];
    const events = client.progress.filter((p) => p.token === token).map((p) => p.value.kind);
    assert.equal(events[0], 'begin');
    assert.equal(events.at(-1), 'end');
    const last = client.statuses.at(-1)!;
    assert.equal(last.quiescent, true);
    assert.ok(last.mentions > 10, `mentions: ${last.mentions}`);
    assert.ok(last.indexedFiles >= 4 && last.indexedFiles === last.totalFiles, JSON.stringify(last));
    assert.ok(['ok', 'warning'].includes(last.health));
    assert.ok(client.registrations.some((r) => (r as { method: string }).method === 'workspace/didChangeWatchedFiles'), 'watchers registered');
  });

  test('ner/search finds Danube and Rhine in rivers.md with exact ranges and previews', async () => {
    const rivers = join(ws, 'rivers.md');
    const res = await search('river');
    assert.equal(res.partial, false);
    const at = (text: string) => res.hits.filter((h) => h.uri === uri(rivers) && h.text === text);
    const danube = at('Danube').find((h) => h.range.start.line === rangeIn(rivers, 'by contrast', 'Danube').start.line);
    assert.deepEqual(danube?.range, rangeIn(rivers, 'by contrast', 'Danube'));
    assert.equal(danube?.preview, readFileSync(rivers, 'utf8').split('\n')[danube!.range.start.line]);
    const rhine = at('Rhine').find((h) => h.range.start.line === rangeIn(rivers, 'Swiss Alps', 'Rhine').start.line);
    assert.deepEqual(rhine?.range, rangeIn(rivers, 'Swiss Alps', 'Rhine'));
    // After an emoji (2 UTF-16 units) and after a non-ASCII letter.
    assert.ok(at('Rhine').some((h) => h.range.start.line === 8 && h.range.start.character === 3));
    assert.deepEqual(at('Vistula')[0]?.range, { start: { line: 21, character: 14 }, end: { line: 21, character: 21 } });
    for (let i = 1; i < res.hits.length; i++) assert.ok(res.hits[i - 1].score >= res.hits[i].score);
  });

  test('ner/search honours limit and scope', async () => {
    const rivers = join(ws, 'rivers.md');
    const res = await search('river', { scope: [uri(rivers)], limit: 5 });
    assert.ok(res.hits.length > 0 && res.hits.length <= 5);
    for (const h of res.hits) assert.equal(h.uri, uri(rivers));
  });

  test('workspace/symbol: mentions matching the query, with exact ranges; container = best type label · file', async () => {
    const syms = await client.request<Sym[]>('workspace/symbol', { query: 'vistula' });
    assert.equal(syms.length, 1, JSON.stringify(syms));
    assert.equal(syms[0].name, 'Vistula');
    assert.equal(syms[0].containerName, 'river · rivers.md');
    assert.deepEqual(syms[0].location, { uri: uri(join(ws, 'rivers.md')), range: { start: { line: 21, character: 14 }, end: { line: 21, character: 21 } } });
  });

  test('workspace/symbol with "type: <entity type>": the mentions of that type, best first, as ner/search ranks them', async () => {
    const syms = await client.request<Sym[]>('workspace/symbol', { query: 'type: European river' });
    const searched = (await search('European river', { limit: 50 })).hits;
    assert.equal(syms.length, searched.length);
    syms.forEach((sym, i) => {
      assert.equal(sym.name, searched[i].text);
      assert.deepEqual(sym.location, { uri: searched[i].uri, range: searched[i].range });
      assert.equal(sym.containerName, `European river ${searched[i].score.toFixed(2)} · ${searched[i].uri.split('/').at(-1)}`);
    });
    const top = syms.slice(0, 5).map((x) => x.name);
    assert.ok(top.includes('Danube') || top.includes('Rhine'), top.join(', '));
    // Case and spacing of the prefix do not matter; a query the encoder cannot read is InvalidParams,
    // as in ner/search; "type:" alone is a plain text query.
    assert.deepEqual((await client.request<Sym[]>('workspace/symbol', { query: '  TYPE:European river' })).map((x) => x.name), syms.map((x) => x.name));
    await assert.rejects(client.request('workspace/symbol', { query: 'type: xqzvw' }), (e: ResponseError<unknown>) => e.code === -32602);
    assert.deepEqual(await client.request<Sym[]>('workspace/symbol', { query: 'type:' }), []);
  });

  test('malformed and unknown requests get error responses and the server stays alive', async () => {
    await assert.rejects(client.request('ner/noSuchMethod', {}), (e: ResponseError<unknown>) => e.code === -32601);
    await assert.rejects(client.request('ner/search', { query: 42 }), (e: ResponseError<unknown>) => e.code === -32602);
    await assert.rejects(client.request('ner/search', { query: '   ' }), (e: ResponseError<unknown>) => e.code === -32602);
    await assert.rejects(client.request('ner/search', { query: 'river', limit: -1 }), (e: ResponseError<unknown>) => e.code === -32602);
    await assert.rejects(client.request('ner/search', { query: 'river', scope: 'x' }), (e: ResponseError<unknown>) => e.code === -32602);
    await assert.rejects(client.request('ner/reindex', { rebuild: 'yes' }), (e: ResponseError<unknown>) => e.code === -32602);
    const res = await search('river');
    assert.ok(res.hits.length > 0);
  });

  test('a file edited on disk: the new mention is found, the removed one is gone', async () => {
    const rivers = join(ws, 'rivers.md');
    const before = readFileSync(rivers, 'utf8');
    const edited = before.replace('In Gdańsk the Vistula meets the Baltic.', 'In Orléans the Loire meets the Atlantic.');
    assert.notEqual(edited, before);
    writeFileSync(rivers, edited);
    await client.settle(() => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(rivers), type: 2 }] }));
    const res = await search('river');
    assert.equal(res.partial, false);
    const mine = res.hits.filter((h) => h.uri === uri(rivers));
    assert.ok(!mine.some((h) => h.text === 'Vistula'), 'Vistula removed');
    const loire = mine.find((h) => h.text === 'Loire');
    assert.deepEqual(loire?.range, rangeIn(rivers, 'Orléans', 'Loire'));
    // Unchanged paragraphs keep their exact ranges.
    assert.ok(mine.some((h) => h.text === 'Danube' && h.range.start.line === rangeIn(rivers, 'by contrast', 'Danube').start.line));
    const syms = await client.request<Sym[]>('workspace/symbol', { query: 'vistula' });
    assert.deepEqual(syms, []);
  });

  test('a created file is indexed; a deleted file leaves the index', async () => {
    const created = join(ws, 'new.md');
    writeFileSync(created, 'The Volga flows into the Caspian Sea.\n');
    await client.settle(() => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(created), type: 1 }] }));
    let res = await search('river');
    assert.deepEqual(res.hits.find((h) => h.uri === uri(created) && h.text === 'Volga')?.range, { start: { line: 0, character: 4 }, end: { line: 0, character: 9 } });

    const london = join(ws, 'travel', 'london.md');
    assert.ok(res.hits.some((h) => h.uri === uri(london)), 'london.md has mentions before deletion');
    const mentionsBefore = client.statuses.at(-1)!.mentions;
    rmSync(london);
    const status = await client.settle(() => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(london), type: 3 }] }));
    res = await search('river');
    assert.ok(!res.hits.some((h) => h.uri === uri(london)), 'no hits in the deleted file');
    assert.ok(status.mentions < mentionsBefore, `${status.mentions} < ${mentionsBefore}`);
    const syms = await client.request<Sym[]>('workspace/symbol', { query: 'Thames' });
    assert.ok(!syms.some((s) => s.location.uri === uri(london)));
  });

  test('a changed .gitignore is applied: the note it now ignores leaves the index, and comes back when the line goes', async () => {
    const created = join(ws, 'ignored-later.md');
    writeFileSync(created, 'The Volga flows into the Caspian Sea.\n');
    await client.settle(() => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(created), type: 1 }] }));
    assert.ok((await search('river')).hits.some((h) => h.uri === uri(created)));
    const gitignore = join(ws, '.gitignore');
    writeFileSync(gitignore, 'ignored-later.md\n');
    await client.settle(() => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(gitignore), type: 1 }] }));
    assert.ok(!(await search('river')).hits.some((h) => h.uri === uri(created)), 'ignored now');
    rmSync(gitignore);
    await client.settle(() => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(gitignore), type: 3 }] }));
    assert.ok((await search('river')).hits.some((h) => h.uri === uri(created)), 'indexed again');
    rmSync(created);
    await client.settle(() => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(created), type: 3 }] }));
  });

  test('an open document that a .gitignore edit brings back is indexed from its buffer, with the edits made while it was ignored', async () => {
    const hidden = join(ws, 'hidden-while-open.md');
    writeFileSync(hidden, 'Marie Curie studied in Paris.\n');
    const gitignore = join(ws, '.gitignore');
    writeFileSync(gitignore, 'hidden-while-open.md\n');
    await client.settle(() => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(gitignore), type: 1 }] }));
    await client.settle(() => client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(hidden), languageId: 'markdown', version: 1, text: 'The Volga flows into the Caspian Sea.\n' },
    }));
    await client.settle(() => client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(hidden), version: 2 }, contentChanges: [{ text: 'In Nantes the Loire meets the Atlantic.\n' }],
    }));
    assert.ok(!(await search('river')).hits.some((h) => h.uri === uri(hidden)), 'ignored while the line stands');
    rmSync(gitignore);
    await client.settle(() => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(gitignore), type: 3 }] }));
    const mine = (await search('river')).hits.filter((h) => h.uri === uri(hidden));
    assert.deepEqual(mine.find((h) => h.text === 'Loire')?.range, { start: { line: 0, character: 14 }, end: { line: 0, character: 19 } }, 'the buffer as last edited');
    assert.ok(!mine.some((h) => h.text === 'Volga'), 'not the text it was opened with');
    await client.settle(() => client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(hidden) } }));
    rmSync(hidden);
    await client.settle(() => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(hidden), type: 3 }] }));
  });

  test('ner/pause holds work, ner/resume applies it; ner/reindex settles', async () => {
    const created = join(ws, 'paused.md');
    writeFileSync(created, 'The Seine crosses Paris.\n');
    await client.request('ner/pause');
    await client.waitUntil('a paused status', () => client.statuses.at(-1)?.paused === true, 10_000);
    assert.equal(client.statuses.at(-1)!.quiescent, false, 'paused is not quiescent');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(created), type: 1 }] });
    let res = await search('river');
    assert.equal(res.partial, true, 'paused with queued work: partial');
    assert.ok(!res.hits.some((h) => h.uri === uri(created)));
    const resumed = await client.settle(() => client.request('ner/resume'));
    assert.equal(resumed.paused, false);
    res = await search('river');
    assert.equal(res.partial, false);
    assert.ok(res.hits.some((h) => h.uri === uri(created) && h.text === 'Seine'));
    const status = await client.settle(() => client.request('ner/reindex'));
    assert.equal(status.quiescent, true);
  });

  test('shutdown and exit end the process with code 0', async () => {
    await client.request('shutdown');
    await client.connection.sendNotification('exit');
    assert.equal(await client.exited, 0);
  });
});
