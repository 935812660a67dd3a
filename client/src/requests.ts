// Typed `ner/*` requests over the language client (types from the shared protocol module).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  HighlightsRequest, PauseRequest, ReindexRequest, ResumeRequest, SearchRequest,
  type HighlightsParams, type HighlightsResult, type NerRange, type ReindexParams, type SearchParams, type SearchResult,
} from '../../server/src/protocol.ts';

export const toRange = (r: NerRange) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

// Never pass an undefined token: vscode-jsonrpc would send it as a second positional parameter.
export class NerRequests {
  constructor(private readonly client: LanguageClient) {}
  search(params: SearchParams, token?: vscode.CancellationToken): Promise<SearchResult> {
    return token ? this.client.sendRequest<SearchResult>(SearchRequest.method, params, token) : this.client.sendRequest<SearchResult>(SearchRequest.method, params);
  }
  highlights(params: HighlightsParams, token?: vscode.CancellationToken): Promise<HighlightsResult> {
    return token ? this.client.sendRequest<HighlightsResult>(HighlightsRequest.method, params, token) : this.client.sendRequest<HighlightsResult>(HighlightsRequest.method, params);
  }
  reindex(params: ReindexParams = {}): Promise<null> { return this.client.sendRequest<null>(ReindexRequest.method, params); }
  pause(): Promise<null> { return this.client.sendRequest<null>(PauseRequest.method); }
  resume(): Promise<null> { return this.client.sendRequest<null>(ResumeRequest.method); }
}
