// A local stand-in for the Hugging Face hub (plain node:http on 127.0.0.1) that answers the way the
// real one does: /api/models/<id>/revision/<rev> JSON, /resolve/ URLs with X-Repo-Commit and ETag,
// LFS files as a 302 to a second server (another origin, like the CDN) with X-Linked-Etag (SHA-256)
// and X-Linked-Size, Range requests (206), 401 GatedRepo without the token, and X-Error-Code errors.
// Test switches: cut a transfer halfway, serve corrupt bytes. Every request is logged.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface FakeRepoSpec {
  files: Record<string, string | Buffer>;
  /** Files stored with LFS (served through the CDN redirect); default: *.safetensors. */
  lfs?: string[];
  gated?: boolean;
}

interface FakeFile { name: string; data: Buffer; lfs: boolean; sha256: string; gitSha1: string }
interface FakeRepo { id: string; sha: string; gated: boolean; files: Map<string, FakeFile> }

export interface LoggedRequest { server: 'hub' | 'cdn'; method: string; path: string; headers: IncomingHttpHeaders; status?: number }

export const FAKE_TOKEN = 'hf_fake_test_token';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Bytes of a tiny but well-formed safetensors file (one F32 tensor of `n` values). */
export function tinySafetensors(n: number, seed = 1): Buffer {
  const header = Buffer.from(JSON.stringify({ w: { dtype: 'F32', shape: [n], data_offsets: [0, n * 4] } }));
  const body = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) body.writeFloatLE(((i * 7919 + seed * 104729) % 1000) / 1000, i * 4);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([len, header, body]);
}

export class FakeHub {
  readonly requests: LoggedRequest[] = [];
  /** File names whose next transfer is cut after half the bytes (the connection is destroyed). */
  readonly cutOnce = new Set<string>();
  /** File names always served with one byte flipped (checksum failure). */
  readonly corrupt = new Set<string>();
  private readonly repos = new Map<string, FakeRepo>();
  private readonly servers: Server[] = [];
  endpoint = '';
  cdnOrigin = '';

  static async start(): Promise<FakeHub> {
    const hub = new FakeHub();
    hub.endpoint = await hub.listen('hub');
    hub.cdnOrigin = await hub.listen('cdn');
    return hub;
  }

  addRepo(id: string, spec: FakeRepoSpec): { sha: string } {
    const files = new Map<string, FakeFile>();
    for (const [name, content] of Object.entries(spec.files)) {
      const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
      const lfs = spec.lfs ? spec.lfs.includes(name) : name.endsWith('.safetensors');
      const gitSha1 = createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
      files.set(name, { name, data, lfs, sha256: sha256(data), gitSha1 });
    }
    const sha = createHash('sha1').update(`${id}:${[...files.values()].map((f) => f.gitSha1).join()}`).digest('hex');
    this.repos.set(id, { id, sha, gated: Boolean(spec.gated), files });
    return { sha };
  }

  /** GETs that transferred file content (hub 200/206 on resolve, or the CDN). */
  contentRequests(): LoggedRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && (r.server === 'cdn' || (r.path.includes('/resolve/') && (r.status === 200 || r.status === 206))));
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((done) => { s.closeAllConnections(); s.close(() => done()); })));
  }

  private listen(kind: 'hub' | 'cdn'): Promise<string> {
    const server = createServer((req, res) => {
      const entry: LoggedRequest = { server: kind, method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers };
      this.requests.push(entry);
      res.on('finish', () => { entry.status = res.statusCode; });
      try {
        if (kind === 'hub') this.handleHub(req, res);
        else this.handleCdn(req, res);
      } catch (e) {
        res.writeHead(500).end(String(e));
      }
    });
    this.servers.push(server);
    return new Promise((done) => server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  }

  private error(res: ServerResponse, status: number, code: string, message: string): void {
    res.writeHead(status, { 'content-type': 'application/json', 'x-error-code': code, 'x-error-message': message });
    res.end(JSON.stringify({ error: message }));
  }

  private authorized(req: IncomingMessage): boolean {
    return req.headers.authorization === `Bearer ${FAKE_TOKEN}`;
  }

  /** The repo for `id`, or an error answered as the hub does (401 to anonymous callers, 404 otherwise). */
  private repoOr(req: IncomingMessage, res: ServerResponse, id: string, rev: string): FakeRepo | undefined {
    const repo = this.repos.get(id);
    if (!repo) {
      this.error(res, this.authorized(req) ? 404 : 401, 'RepoNotFound', 'Repository not found');
      return undefined;
    }
    if (rev !== 'main' && rev !== repo.sha) {
      this.error(res, 404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
      return undefined;
    }
    return repo;
  }

  private handleHub(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.endpoint);
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    if (parts[0] === 'api' && parts[1] === 'models' && parts[4] === 'revision') {
      const repo = this.repoOr(req, res, `${parts[2]}/${parts[3]}`, parts.slice(5).join('/'));
      if (!repo) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        _id: repo.sha.slice(0, 24), id: repo.id, modelId: repo.id, sha: repo.sha, private: false,
        gated: repo.gated ? 'manual' : false, lastModified: '2025-01-01T00:00:00.000Z',
        siblings: [...repo.files.keys()].map((rfilename) => ({ rfilename })),
      }));
      return;
    }
    if (parts[2] === 'resolve') {
      const repo = this.repoOr(req, res, `${parts[0]}/${parts[1]}`, parts[3]);
      if (!repo) return;
      if (repo.gated && !this.authorized(req)) {
        this.error(res, 401, 'GatedRepo', `Access to model ${repo.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`);
        return;
      }
      const file = repo.files.get(parts.slice(4).join('/'));
      if (!file) { this.error(res, 404, 'EntryNotFound', 'Entry not found'); return; }
      const common = { 'x-repo-commit': repo.sha };
      if (file.lfs) {
        res.writeHead(302, {
          ...common, location: `${this.cdnOrigin}/lfs/${file.sha256}?filename=${encodeURIComponent(file.name)}`,
          'x-linked-etag': `"${file.sha256}"`, 'x-linked-size': String(file.data.length), etag: `"${file.gitSha1}"`,
          'content-type': 'text/plain',
        });
        res.end(req.method === 'HEAD' ? undefined : 'Found. Redirecting');
        return;
      }
      this.serveBytes(req, res, file, { ...common, etag: `"${file.gitSha1}"` });
      return;
    }
    this.error(res, 404, 'NotFound', 'Not found');
  }

  private handleCdn(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.cdnOrigin);
    const sha = url.pathname.split('/')[2];
    for (const repo of this.repos.values()) {
      for (const file of repo.files.values()) {
        if (file.lfs && file.sha256 === sha) { this.serveBytes(req, res, file, { etag: `"${sha}"` }); return; }
      }
    }
    res.writeHead(404).end('NoSuchKey');
  }

  private serveBytes(req: IncomingMessage, res: ServerResponse, file: FakeFile, headers: Record<string, string>): void {
    let data = file.data;
    if (this.corrupt.has(file.name)) { data = Buffer.from(data); data[data.length >> 1] ^= 0xff; }
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let status = 200;
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), data.length - 1) : data.length - 1;
      if (start >= data.length) { res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end(); return; }
      headers['content-range'] = `bytes ${start}-${end}/${data.length}`;
      data = data.subarray(start, end + 1);
      status = 206;
    }
    res.writeHead(status, { ...headers, 'accept-ranges': 'bytes', 'content-length': String(data.length), 'content-type': 'application/octet-stream' });
    if (req.method === 'HEAD') { res.end(); return; }
    if (this.cutOnce.delete(file.name)) {
      res.write(data.subarray(0, data.length >> 1), () => res.socket?.destroy());
      return;
    }
    res.end(data);
  }
}
