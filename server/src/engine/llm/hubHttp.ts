// HTTP side of the Hugging Face hub client: endpoint, token, requests with manual redirects (the
// Authorization header never leaves the hub's origin) and clear errors for gated / missing repos.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';

export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';
const MAX_REDIRECTS = 10;
const USER_AGENT = `ner-retriever/0.1; node/${process.versions.node}`;

export type HubErrorCode = 'gated' | 'not-found' | 'unauthorized' | 'checksum' | 'network' | 'http' | 'not-cached' | 'invalid' | 'disk';

export class HubError extends Error {
  constructor(readonly code: HubErrorCode, message: string, readonly status?: number) {
    super(message);
    this.name = 'HubError';
  }
}

export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.HF_ENDPOINT || DEFAULT_HF_ENDPOINT).replace(/\/+$/, '');
}

/** HF_HOME (default ~/.cache/huggingface, or $XDG_CACHE_HOME/huggingface), as huggingface_hub does. */
export function hfHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HOME) return env.HF_HOME;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'huggingface');
}

/** Token for gated / private repos: HF_TOKEN, HUGGING_FACE_HUB_TOKEN, then the file `huggingface-cli login` writes. */
export function hfToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN;
  if (fromEnv?.trim()) return fromEnv.trim();
  const file = env.HF_TOKEN_PATH || join(hfHome(env), 'token');
  try {
    if (existsSync(file)) return readFileSync(file, 'utf8').trim() || undefined;
  } catch { /* unreadable token file: behave as anonymous */ }
  return undefined;
}

export interface HubRequestOptions {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** Bearer token; sent only to `authOrigin` (the hub), never to a redirect target elsewhere. */
  authToken?: string;
  authOrigin?: string;
  /** Stop at the first redirect that leaves the current origin (metadata HEADs); default follows all. */
  followCrossOrigin?: boolean;
  signal?: AbortSignal;
  /** Fail when the connection stays silent this long (default 60 s). */
  idleTimeoutMs?: number;
}

/** A response whose body is a Node stream: every chunk received is seen before a cut connection errors. */
export interface HubResponse {
  status: number;
  statusText: string;
  url: string;
  header(name: string): string | undefined;
  body: IncomingMessage;
  text(): Promise<string>;
  discard(): void;
}

function once(url: URL, opts: HubRequestOptions, headers: Record<string, string>): Promise<HubResponse> {
  return new Promise((resolveRes, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: opts.method ?? 'GET', headers, signal: opts.signal }, (res) => {
      const header = (name: string) => { const v = res.headers[name.toLowerCase()]; return Array.isArray(v) ? v.join(', ') : v; };
      resolveRes({
        status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', url: url.href, header, body: res,
        text: async () => { let s = ''; res.setEncoding('utf8'); for await (const c of res) s += c; return s; },
        discard: () => { res.resume(); res.destroy(); },
      });
    });
    req.setTimeout(opts.idleTimeoutMs ?? 60_000, () => req.destroy(new Error(`no answer for ${Math.round((opts.idleTimeoutMs ?? 60_000) / 1000)} s`)));
    req.on('error', (e) => reject(opts.signal?.aborted ? e : new HubError('network', `cannot reach ${url.origin}: ${describeCause(e)}`)));
    req.end();
  });
}

/** One request with redirects followed by hand; returns the final response (or the cross-origin 3xx). */
export async function hubRequest(url: string, opts: HubRequestOptions = {}): Promise<HubResponse> {
  let current = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, 'accept-encoding': 'identity', ...opts.headers };
    if (opts.authToken && current.origin === opts.authOrigin) headers.authorization = `Bearer ${opts.authToken}`;
    const res = await once(current, opts, headers);
    const location = res.header('location');
    if (res.status < 300 || res.status >= 400 || !location) return res;
    const next = new URL(location, current);
    if (next.origin !== current.origin && opts.followCrossOrigin === false) return res;
    res.discard();
    current = next;
  }
  throw new HubError('network', `too many redirects for ${url}`);
}

export function describeCause(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

export interface ErrorContext { repoId: string; revision: string; file?: string; endpoint: string; hadToken: boolean }

/** Maps a failed hub response to a HubError that says what to do (gated: HF_TOKEN + accept the licence). */
export async function hubErrorFor(res: HubResponse, ctx: ErrorContext): Promise<HubError> {
  const code = res.header('x-error-code') ?? '';
  let serverMessage = res.header('x-error-message') ?? '';
  if (serverMessage) res.discard();
  else {
    const body = await res.text().catch(() => '');
    try { serverMessage = String((JSON.parse(body) as { error?: string }).error ?? ''); } catch { serverMessage = body.slice(0, 200); }
  }
  const what = ctx.file ? `${ctx.file} of ${ctx.repoId}` : ctx.repoId;
  const page = `${ctx.endpoint}/${ctx.repoId}`;
  const detail = serverMessage ? ` (hub says: ${serverMessage.trim()})` : '';
  if (code === 'GatedRepo' || ((res.status === 401 || res.status === 403) && code !== 'RepoNotFound')) {
    const how = ctx.hadToken
      ? `your token (HF_TOKEN) does not give access to it: accept the licence on ${page} with the same account (access may need approval), or use a token with read access`
      : `set HF_TOKEN to a read token from ${ctx.endpoint}/settings/tokens (or run \`huggingface-cli login\`), after accepting the licence on ${page}`;
    return new HubError('gated', `${what}: model is gated or private (HTTP ${res.status}): ${how}${detail}`, res.status);
  }
  if (code === 'RevisionNotFound') {
    return new HubError('not-found', `revision ${ctx.revision} of ${ctx.repoId} not found (HTTP ${res.status})${detail}`, res.status);
  }
  if (code === 'RepoNotFound' || (res.status === 404 && !ctx.file && code !== 'EntryNotFound')) {
    const hint = ctx.hadToken ? 'check the id' : 'check the id; if it is private or gated, set HF_TOKEN';
    return new HubError('not-found', `model ${ctx.repoId} not found on ${ctx.endpoint} (HTTP ${res.status}): ${hint}${detail}`, res.status);
  }
  if (res.status === 404) {
    return new HubError('not-found', `${what} not found at revision ${ctx.revision} (HTTP 404)${detail}`, 404);
  }
  return new HubError('http', `${what}: HTTP ${res.status} ${res.statusText}${detail}`, res.status);
}
