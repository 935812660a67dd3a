// The packaged extension (.vsix, installed with code-server --install-extension by the launcher):
// it activates from its own folder and answers a search offline.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SearchResult } from '../../server/src/protocol.ts';
import { activateExtension, EXTENSION_ID } from './helpers.ts';

suite('NER Retriever packaged extension (.vsix)', function () {
  this.timeout(300_000);

  test('the installed extension activates and finds rivers', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.ok(ext, 'installed');
    assert.notEqual(ext.extensionPath, process.env.NER_REPO_ROOT);
    assert.match(ext.extensionPath, /\/extensions\/ner-retriever\.ner-retriever-[\d.]+(-linux-x64)?$/, `runs from ${ext.extensionPath}`);
    // The server starts its span-detector worker from beside its bundle (large workspaces).
    assert.ok(existsSync(join(ext.extensionPath, 'dist', 'detectorWorker.mjs')), 'dist/detectorWorker.mjs packaged');
    const api = await activateExtension();
    await api.waitForStatus((s) => s.quiescent && s.totalFiles >= 3 && s.indexedFiles >= s.totalFiles && s.mentions > 0, 240_000);
    const result = await vscode.commands.executeCommand<SearchResult>('nerRetriever.find', 'river');
    assert.ok(result.hits.length > 0);
    assert.ok(result.hits[0].uri.endsWith('/rivers.md'), result.hits[0].uri);
  });
});
