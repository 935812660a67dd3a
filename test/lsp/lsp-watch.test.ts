// The server's own file watcher (chokidar), used when the client does not offer dynamic
// workspace/didChangeWatchedFiles registration: edits on disk reach the index with no
// notification from the client. Every wait is on ner/status quiescence.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from './lspClient.ts';
import type { SearchResult } from '../../server/src/protocol.ts';
import { scratchDir } from '../helpers/scratchDir.ts';

const fixture = new URL('../fixtures/workspace', import.meta.url).pathname;
const uri = (p: string) => pathToFileURL(p).href;

describe('language server without client file watching', () => {
  let tmp: string;
  let ws: string;
  let client: LspTestClient;
  const search = (query: string) => client.request<SearchResult>('ner/search', { query, limit: 500 });

  before(async () => {
    tmp = scratchDir('ner-lsp-watch-');
    ws = join(tmp, 'ws');
    cpSync(fixture, ws, { recursive: true });
    client = new LspTestClient();
    // No workspace.didChangeWatchedFiles capability at all; the store lives inside the workspace.
    // verbose: the watcher's events and the re-indexed files are logged, and a timeout reports them.
    await client.start([ws], { storagePath: join(ws, '.store'), verbose: true }, { window: { workDoneProgress: true } });
    await client.initialIndexing();
    assert.equal(client.registrations.length, 0, 'nothing registered with the client');
  });

  after(async () => {
    await client?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('a file edited on disk is re-indexed by the server\'s own watcher', async () => {
    const file = join(ws, 'watched.md');
    await client.settle(() => writeFileSync(file, '# Watched\n\nBarges carry grain down the Zorvakia River to the Danube.\n'));
    let res = await search('river');
    assert.ok(res.hits.some((h) => h.uri === uri(file) && h.text.includes('Zorvakia')), 'new file indexed');

    await client.settle(() => writeFileSync(file, readFileSync(file, 'utf8').replace('Zorvakia River', 'Quelmora River')));
    res = await search('river');
    assert.ok(res.hits.some((h) => h.uri === uri(file) && h.text.includes('Quelmora')), 'new mention found');
    assert.ok(!res.hits.some((h) => h.text.includes('Zorvakia')), 'removed mention gone');

    await client.settle(() => rmSync(file));
    res = await search('river');
    assert.ok(!res.hits.some((h) => h.uri === uri(file)), 'deleted file left the index');
  });
});
