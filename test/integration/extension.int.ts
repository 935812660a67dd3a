// Integration tests of the VS Code extension in a real VS Code (code-server + chromium, see
// scripts/vscode-host/launch.mjs), with the fixture workspace test/fixtures/vscode-workspace.
// Run: npm run test:integration. Never a fixed sleep: every wait polls a condition.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SearchResult } from '../../server/src/protocol.ts';
import { activateExtension, EXTENSION_ID, screenshot, tokenize, waitUntil, type Api } from './helpers.ts';

const RIVERS = ['Rhine', 'Danube', 'Elbe'];
const PEOPLE = ['Marie Curie', 'Pierre Curie', 'Angela Merkel', 'Albert Einstein'];
let api: Api;
let folder: vscode.Uri;
const fileUri = (name: string) => vscode.Uri.joinPath(folder, name);

async function hintsOf(uri: vscode.Uri): Promise<vscode.InlayHint[]> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const range = new vscode.Range(0, 0, doc.lineCount, 0);
  return (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, range)) ?? [];
}
const labelOf = (h: vscode.InlayHint) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));
const hintsText = (hints: vscode.InlayHint[]) => hints.map((h) => `${h.position.line}:${h.position.character}${labelOf(h)}`).join(', ');

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('nerRetriever').update(key, value, vscode.ConfigurationTarget.Global);
}

suite('NER Retriever extension', function () {
  this.timeout(180_000);

  suiteSetup(async function () {
    this.timeout(300_000);
    folder = vscode.workspace.workspaceFolders![0].uri;
    api = await activateExtension();
    await api.waitForStatus((s) => s.quiescent && s.totalFiles >= 3 && s.indexedFiles >= s.totalFiles && s.mentions > 0, 240_000);
  });

  test('status reports an idle index with its mention count', () => {
    const s = api.status!;
    assert.equal(s.health, 'ok', s.message);
    assert.equal(s.quiescent, true);
    assert.ok(s.mentions >= 10, `mentions: ${s.mentions}`);
  });

  test('find through the API ranks rivers above people for "river"', async () => {
    const result = await vscode.commands.executeCommand<SearchResult>('nerRetriever.find', 'river');
    assert.equal(result.partial, false);
    const texts = result.hits.map((h) => h.text);
    for (const r of RIVERS) assert.ok(texts.includes(r), `${r} missing from ${texts.join(', ')}`);
    assert.ok(result.hits[0].uri.endsWith('/rivers.md'), `top hit ${result.hits[0].text} in ${result.hits[0].uri}`);
    const score = (t: string) => result.hits.find((h) => h.text === t)?.score ?? -1;
    const worstRiver = Math.min(...RIVERS.map(score));
    const bestPerson = Math.max(...PEOPLE.map(score));
    assert.ok(worstRiver > bestPerson, `rivers ${worstRiver} vs people ${bestPerson}`);
    const rhine = result.hits.find((h) => h.text === 'Rhine')!;
    assert.deepEqual(rhine.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } });
  });

  test('the quick pick shows grouped results, previews the active hit and opens it with highlights', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    void vscode.commands.executeCommand('nerRetriever.find', { query: 'river', interactive: true });
    const ui = await waitUntil(() => (api.findUi?.done && api.findUi.value === 'river' && api.findUi.hits > 0 ? api.findUi : undefined), 'quick pick results');
    assert.equal(ui.partial, false);
    // The first hit is active: it is previewed without taking the focus from the picker.
    await waitUntil(() => vscode.window.visibleTextEditors.some((e) => e.document.uri.path.endsWith('/rivers.md')), 'preview of the active hit');
    await screenshot('quick-pick');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const editor = await waitUntil(() => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.path.endsWith('/rivers.md') && !e.selection.isEmpty ? e : undefined;
    }, 'the accepted hit opened with the mention selected');
    assert.ok(RIVERS.includes(editor.document.getText(editor.selection)) || editor.document.getText(editor.selection).length > 0);
    const ranges = await waitUntil(() => api.highlights.get(editor.document.uri.toString()), 'highlights in the editor');
    const highlighted = ranges.map((r) => editor.document.getText(r));
    for (const r of RIVERS) assert.ok(highlighted.includes(r), `${r} not highlighted: ${highlighted.join(', ')}`);
    assert.equal(api.findUi, undefined, 'the picker closed');
  });

  test('the empty picker offers the previous queries', async () => {
    void vscode.commands.executeCommand('nerRetriever.find');
    const ui = await waitUntil(() => (api.findUi?.done && api.findUi.value === '' ? api.findUi : undefined), 'empty picker');
    assert.equal(ui.recent?.[0], 'river', JSON.stringify(ui.recent));
    api.hideFind();
    await waitUntil(() => api.findUi === undefined || undefined, 'picker closed');
  });

  test('Highlight Type in Editor decorates the matches of a type', async () => {
    await vscode.commands.executeCommand('nerRetriever.clearHighlights');
    assert.equal(api.highlights.size, 0);
    const editor = await vscode.window.showTextDocument(fileUri('rivers.md'));
    await vscode.commands.executeCommand('nerRetriever.highlightType', 'river');
    const ranges = await waitUntil(() => api.highlights.get(fileUri('rivers.md').toString()), 'river highlights');
    const texts = ranges.map((r) => editor.document.getText(r));
    for (const r of RIVERS) assert.ok(texts.includes(r), texts.join(', '));
    await vscode.commands.executeCommand('nerRetriever.clearHighlights');
  });

  test('inlay type labels sit at the end of mentions', async () => {
    await vscode.window.showTextDocument(fileUri('rivers.md'));
    const hints = await waitUntil(async () => { const h = await hintsOf(fileUri('rivers.md')); return h.length ? h : undefined; }, 'inlay hints');
    const at = (line: number, character: number) => hints.find((h) => h.position.line === line && h.position.character === character);
    const rhine = at(2, 9);
    const danube = at(3, 33);
    assert.ok(rhine && danube, `hints: ${hintsText(hints)}`);
    assert.match(labelOf(rhine), /^: \S/);
    assert.equal(labelOf(rhine), ': river', hintsText(hints));
    assert.equal(rhine.kind, vscode.InlayHintKind.Type);
    const people = await hintsOf(fileUri('people.md'));
    assert.ok(people.some((h) => h.position.line === 3 && h.position.character === 13 && labelOf(h) === ': person'), hintsText(people)); // Angela Merkel
    // Hovering over the Rhine: its best labels, "river" first (as its inline label), with scores.
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', fileUri('rivers.md'), new vscode.Position(2, 6))) ?? [];
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Rhine — \*\*river\*\* \d\.\d\d · \S/, text);
    await screenshot('type-labels');
  });

  test('settings take effect: label vocabulary, threshold, toggle, search limit', async () => {
    const uri = fileUri('rivers.md');
    try {
      await setSetting('typeLabels', ['company']);
      await setSetting('typeLabelThreshold', -1);
      await waitUntil(async () => { const h = await hintsOf(uri); return h.length >= 3 && h.every((x) => labelOf(x) === ': company') ? h : undefined; }, 'every hint labelled "company"');
      await vscode.commands.executeCommand('nerRetriever.toggleTypeLabels');
      assert.equal(vscode.workspace.getConfiguration('nerRetriever').get('typeLabelsEnabled'), false);
      await waitUntil(async () => ((await hintsOf(uri)).length === 0 ? true : undefined), 'no hints once toggled off');
      await vscode.commands.executeCommand('nerRetriever.toggleTypeLabels');
      await waitUntil(async () => ((await hintsOf(uri)).length > 0 ? true : undefined), 'hints back once toggled on');
      await setSetting('searchLimit', 2);
      await waitUntil(async () => ((await api.find('river')).hits.length === 2 ? true : undefined), 'searchLimit 2 → 2 hits');
    } finally {
      for (const key of ['typeLabels', 'typeLabelThreshold', 'typeLabelsEnabled', 'searchLimit']) await setSetting(key, undefined);
    }
    await waitUntil(async () => { const h = await hintsOf(uri); return h.some((x) => labelOf(x) === ': river') ? h : undefined; }, 'default labels back');
  });

  test('Open Results in Editor: ner-results document with grammar scopes and links', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('nerRetriever.openResults', 'river');
    const doc = await waitUntil(() => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()), 'results document');
    assert.equal(doc.languageId, 'ner-results');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    const text = doc.getText();
    assert.match(text, /^# NER Retriever: \d+ mentions of "river" in \d files/);
    assert.match(text, /^rivers\.md$/m);
    assert.match(text, /^ {2}3:5 +0\.\d\d {2}The «Rhine» flows/m);
    // Which names, before where (ner/search with names): each once, with its count.
    const namesLine = text.split('\n').find((l) => l.startsWith('# Names: '));
    assert.ok(namesLine && /\bRhine ×\d+/.test(namesLine) && namesLine.split('Rhine ×').length === 2, namesLine);

    // Scopes, from VS Code's TextMate engine with the grammar the extension contributes for the language.
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed = (ext.packageJSON.contributes.grammars as Array<{ language: string; scopeName: string; path: string }>).find((g) => g.language === doc.languageId)!;
    const tokens = await tokenize(join(ext.extensionPath, contributed.path), contributed.scopeName, text);
    const scopesOf = (c: string) => tokens.filter((t) => t.text.trim() === c).map((t) => t.scopes.join(' '));
    const has = (c: string, scope: string) => assert.ok(scopesOf(c).some((t) => t.includes(scope)), `"${c}": ${JSON.stringify(scopesOf(c))}`);
    has('rivers.md', 'entity.name.type.filename.ner-results');
    has('Rhine', 'entity.name.tag.mention.ner-results');
    has('3', 'constant.numeric.line-number.ner-results');
    const rhineLine = text.split('\n').find((l) => l.includes('«Rhine»'))!;
    has(/\d\.\d\d/.exec(rhineLine)![0], 'support.constant.score.ner-results');
    has(text.split('\n')[0], 'comment.line.number-sign.ner-results');
    has(namesLine!, 'comment.line.number-sign.ner-results');

    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
    const hits = text.split('\n').filter((l) => /^ {2}\d+:\d+/.test(l)).length;
    assert.equal(links.length, hits);
    const rhineLink = links.find((l) => l.range.start.line === text.split('\n').indexOf(rhineLine))!;
    assert.ok(rhineLink.target?.path.endsWith('/rivers.md'));
    assert.equal(rhineLink.target?.fragment, 'L3,5-L3,10');
  });

  test('Find Entities of Type Here: the picker, a headless find and the results document keep to the chosen file', async () => {
    const people = fileUri('people.md');
    const scope = [people.toString()];
    const scoped = await vscode.commands.executeCommand<SearchResult>('nerRetriever.find', { query: 'river', scope });
    assert.ok(scoped.hits.length > 0, 'the file\'s mentions, however far from the query');
    assert.ok(scoped.hits.every((h) => h.uri === people.toString()), scoped.hits.map((h) => h.uri).join(', '));
    assert.ok(!scoped.hits.some((h) => RIVERS.includes(h.text)));
    // From the explorer's context menu: the picker opens kept to the clicked resource.
    void vscode.commands.executeCommand('nerRetriever.findIn', people, [people]);
    await waitUntil(() => (api.findUi?.done && api.findUi.scope?.[0] === people.toString() ? api.findUi : undefined), 'the picker kept to people.md');
    api.hideFind();
    await waitUntil(() => api.findUi === undefined || undefined, 'picker closed');
    void vscode.commands.executeCommand('nerRetriever.find', { query: 'river', interactive: true, scope });
    const ui = await waitUntil(() => (api.findUi?.done && api.findUi.value === 'river' ? api.findUi : undefined), 'scoped picker results');
    assert.equal(ui.hits, scoped.hits.length);
    api.hideFind();
    await waitUntil(() => api.findUi === undefined || undefined, 'picker closed');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('nerRetriever.openResults', 'river', scope);
    const doc = await waitUntil(() => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()), 'scoped results document');
    const text = doc.getText();
    assert.match(text, /^# NER Retriever: \d+ mentions? of "river" in 1 file \(kept to people\.md\)/);
    assert.doesNotMatch(text, /^rivers\.md$/m);
    assert.match(text, /^people\.md$/m);
  });

  test('a new file is indexed and the open results document follows', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('nerRetriever.openResults', 'river');
    const doc = await waitUntil(() => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()), 'results document');
    assert.ok(!doc.getText().includes('Volga'));
    const file = fileUri('volga.md');
    try {
      await vscode.workspace.fs.writeFile(file, Buffer.from('# The Volga\n\nThe Volga flows through Kazan and Samara into the Caspian Sea.\n'));
      await waitUntil(async () => ((await api.find('river')).hits.some((h) => h.text === 'Volga' && h.uri.endsWith('/volga.md')) ? true : undefined), 'Volga found', 120_000);
      await waitUntil(() => (doc.getText().includes('«Volga»') ? true : undefined), 'the results document refreshed', 60_000);
    } finally {
      await vscode.workspace.fs.delete(file);
    }
    await waitUntil(async () => ((await api.find('river')).hits.some((h) => h.uri.endsWith('/volga.md')) ? undefined : true), 'volga.md left the index', 120_000);
  });

  test('the server restarts after being killed and answers again', async () => {
    const pid = api.serverPid;
    assert.ok(pid, 'server pid');
    const before = api.statusCount;
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => (api.serverPid && api.serverPid !== pid ? api.serverPid : undefined), 'a new server process', 60_000);
    await api.whenRunning();
    await api.waitForStatus((s, n) => n > before && s.quiescent && s.mentions > 0, 120_000);
    const result = await api.find('river');
    assert.ok(result.hits.some((h) => h.text === 'Rhine'), result.hits.map((h) => h.text).join(', '));
  });

  test('after repeated crashes the server stays down until Restart Server', async function () {
    this.timeout(300_000);
    await vscode.commands.executeCommand('nerRetriever.restartServer');   // a fresh crash budget
    await api.whenRunning(120_000);
    for (let crash = 1; crash <= 5; crash++) {
      const pid = await waitUntil(() => api.serverPid, 'server pid', 120_000);
      process.kill(pid, 'SIGKILL');
      if (crash < 5) await waitUntil(() => (api.serverPid && api.serverPid !== pid ? true : undefined), `restart after crash ${crash}`, 120_000);
    }
    await waitUntil(() => (api.clientState === 'stopped' ? true : undefined), 'client stopped after the 5th crash', 60_000);
    assert.equal(api.serverPid, undefined);
    await vscode.commands.executeCommand('nerRetriever.restartServer');
    await api.whenRunning(120_000);
    await api.waitForStatus((s) => s.quiescent && s.mentions > 0, 120_000);
    assert.ok((await api.find('river')).hits.length > 0);
  });

  test('paused indexing holds a change until resumed; reindex returns to idle', async () => {
    const file = fileUri('thames.md');
    await vscode.commands.executeCommand('nerRetriever.pauseIndexing');
    try {
      await vscode.workspace.fs.writeFile(file, Buffer.from('The Thames flows through Oxford and London.\n'));
      const held = await api.waitForStatus((s) => !s.quiescent, 60_000);   // paused with work pending
      assert.match(held.message, /paus/i, held.message);
      assert.ok(!(await api.find('river')).hits.some((h) => h.text === 'Thames'), 'indexed while paused');
    } finally {
      await vscode.commands.executeCommand('nerRetriever.resumeIndexing');
    }
    await waitUntil(async () => ((await api.find('river')).hits.some((h) => h.text === 'Thames') ? true : undefined), 'Thames indexed after resume', 120_000);
    await vscode.workspace.fs.delete(file);
    const before = api.statusCount;
    await vscode.commands.executeCommand('nerRetriever.reindex');
    const s = await api.waitForStatus((st, n) => n > before && st.quiescent);
    assert.equal(s.health, 'ok', s.message);
    assert.ok(!(await api.find('river')).hits.some((h) => h.text === 'Thames'), 'deleted file still indexed');
  });

  test('grammar file patterns are valid JavaScript regular expressions', () => {
    const grammar = JSON.parse(readFileSync(join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'syntaxes', 'ner-results.tmLanguage.json'), 'utf8'));
    assert.equal(grammar.scopeName, 'source.ner-results');
    const hit = new RegExp(grammar.repository.hit.begin);
    assert.ok(hit.test('  3:5      0.61  The «Rhine» flows'));
  });
});
