/**
 * A local stand-in for the part of the GitHub REST API the entry check uses, on 127.0.0.1, for
 * tests: it answers with the shapes GitHub documents (docs.github.com/rest) and records every
 * request, so a test can prove which endpoints were called and that the PR's code was never
 * asked for. Anything it does not know answers 404 like GitHub does. Not used by podium itself.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded request. */
export interface SeenRequest {
  readonly method: string;
  /** Path and query, e.g. `/repos/o/r/contents/a.json?ref=abc`. */
  readonly url: string;
  readonly authorization: string | null;
}

/** A file in the PR: its diff status and (unless removed) its content at the head. */
export interface PrFile {
  readonly filename: string;
  readonly status: 'added' | 'modified' | 'removed' | 'renamed';
  readonly previous_filename?: string;
  readonly content?: Uint8Array;
  /** 'symlink' or 'submodule' to return that contents type instead of a file. */
  readonly type?: 'file' | 'symlink' | 'submodule';
}

interface Comment {
  id: number;
  body: string;
  login: string;
  created_at: string;
  updated_at: string;
}

/** The fake's state; tests change `head` and `files` between "pushes". */
export interface LocalGitHub {
  readonly baseUrl: string;
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  head: { sha: string; files: PrFile[] };
  readonly requests: SeenRequest[];
  readonly comments: Comment[];
  readonly labels: Set<string>;
  readonly statuses: {
    sha: string;
    state: string;
    context: string;
    description: string;
    target_url: string | null;
  }[];
  /** Adds a comment as another user (e.g. a human quoting the marker). */
  addComment(login: string, body: string): void;
  close(): Promise<void>;
}

/** Starts the fake for PR `number` of `owner/repo`; `botLogin` authors comments made with a token. */
export async function startLocalGitHub(
  options: {
    owner?: string;
    repo?: string;
    number?: number;
    botLogin?: string;
  } = {},
): Promise<LocalGitHub> {
  const owner = options.owner ?? 'podium-subnet';
  const repo = options.repo ?? 'podium';
  const number = options.number ?? 7;
  const botLogin = options.botLogin ?? 'github-actions[bot]';
  let nextId = 1000;
  const state = {
    head: { sha: '0'.repeat(40), files: [] as PrFile[] },
    requests: [] as SeenRequest[],
    comments: [] as Comment[],
    labels: new Set<string>(),
    statuses: [] as LocalGitHub['statuses'],
  };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      state.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization ?? null,
      });
      const ctx = {
        req,
        res,
        body,
        owner,
        repo,
        number,
        botLogin,
        state,
        nextId: () => (nextId += 1),
      };
      if (!req.headers.authorization) return send(res, 401, { message: 'Requires authentication' });
      route(ctx);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    owner,
    repo,
    number,
    get head() {
      return state.head;
    },
    set head(value) {
      state.head = value;
    },
    requests: state.requests,
    comments: state.comments,
    labels: state.labels,
    statuses: state.statuses,
    addComment(login, body) {
      const now = new Date().toISOString();
      state.comments.push({ id: (nextId += 1), body, login, created_at: now, updated_at: now });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  body: string;
  owner: string;
  repo: string;
  number: number;
  botLogin: string;
  state: {
    head: { sha: string; files: PrFile[] };
    comments: Comment[];
    labels: Set<string>;
    statuses: LocalGitHub['statuses'];
  };
  nextId(): number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function send(res: ServerResponse, status: number, data: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(data === undefined ? '' : JSON.stringify(data));
}

function notFound(res: ServerResponse): void {
  send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
}

function route(ctx: Ctx): void {
  const url = new URL(ctx.req.url ?? '/', 'http://local');
  const base = `/repos/${ctx.owner}/${ctx.repo}`;
  const p = decodeURIComponent(url.pathname);
  const m = ctx.req.method;
  const issue = `${base}/issues/${ctx.number}`;
  if (m === 'GET' && p === `${base}/pulls/${ctx.number}/files`) return listFiles(ctx);
  if (m === 'GET' && p.startsWith(`${base}/contents/`)) {
    return contents(ctx, p.slice(`${base}/contents/`.length), url.searchParams.get('ref'));
  }
  if (p === `${issue}/comments` && m === 'GET')
    return send(
      ctx.res,
      200,
      ctx.state.comments.map((c) => commentJson(ctx, c)),
    );
  if (p === `${issue}/comments` && m === 'POST') return createComment(ctx);
  const edit = new RegExp(`^${escape(base)}/issues/comments/(\\d+)$`).exec(p);
  if (edit && m === 'PATCH') return updateComment(ctx, Number(edit[1]));
  if (p === `${issue}/labels` && m === 'GET') return send(ctx.res, 200, labelsJson(ctx));
  if (p === `${issue}/labels` && m === 'POST') {
    for (const name of (JSON.parse(ctx.body) as { labels: string[] }).labels)
      ctx.state.labels.add(name);
    return send(ctx.res, 200, labelsJson(ctx));
  }
  const label = new RegExp(`^${escape(issue)}/labels/(.+)$`).exec(p);
  if (label && m === 'DELETE') {
    if (!ctx.state.labels.delete(label[1] as string)) return notFound(ctx.res);
    return send(ctx.res, 200, labelsJson(ctx));
  }
  const status = new RegExp(`^${escape(base)}/statuses/([0-9a-f]{40})$`).exec(p);
  if (status && m === 'POST') return createStatus(ctx, status[1] as string);
  notFound(ctx.res);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function listFiles(ctx: Ctx): void {
  const base = `https://github.com/${ctx.owner}/${ctx.repo}`;
  send(
    ctx.res,
    200,
    ctx.state.head.files.map((f) => ({
      sha: blobSha(f.content),
      filename: f.filename,
      status: f.status,
      additions: 1,
      deletions: 0,
      changes: 1,
      blob_url: `${base}/blob/${ctx.state.head.sha}/${f.filename}`,
      raw_url: `${base}/raw/${ctx.state.head.sha}/${f.filename}`,
      contents_url: `https://api.github.com/repos/${ctx.owner}/${ctx.repo}/contents/${f.filename}?ref=${ctx.state.head.sha}`,
      patch: '@@ -0,0 +1 @@',
      ...(f.previous_filename !== undefined ? { previous_filename: f.previous_filename } : {}),
    })),
  );
}

function blobSha(content: Uint8Array | undefined): string {
  return Buffer.from(content ?? new Uint8Array())
    .toString('hex')
    .padEnd(40, '0')
    .slice(0, 40);
}

function contents(ctx: Ctx, path: string, ref: string | null): void {
  const file = ctx.state.head.files.find((f) => f.filename === path && f.status !== 'removed');
  if (ref !== ctx.state.head.sha || file === undefined || file.content === undefined)
    return notFound(ctx.res);
  const bytes = Buffer.from(file.content);
  const type = file.type ?? 'file';
  const large = bytes.length > 1024 * 1024;
  const b64 = bytes.toString('base64').replace(/(.{60})/g, '$1\n');
  send(ctx.res, 200, {
    type,
    encoding: large ? 'none' : 'base64',
    size: bytes.length,
    name: path.split('/').at(-1),
    path,
    content: large ? '' : b64,
    sha: blobSha(file.content),
    url: `${ctx.req.headers.host}/repos/${ctx.owner}/${ctx.repo}/contents/${path}?ref=${ref}`,
    git_url: null,
    html_url: null,
    download_url: null,
    _links: { self: '', git: null, html: null },
  });
}

function commentJson(ctx: Ctx, c: Comment) {
  const html = `https://github.com/${ctx.owner}/${ctx.repo}/pull/${ctx.number}#issuecomment-${c.id}`;
  return {
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `https://api.github.com/repos/${ctx.owner}/${ctx.repo}/issues/comments/${c.id}`,
    html_url: html,
    body: c.body,
    user: { login: c.login, id: 41898282, type: c.login.endsWith('[bot]') ? 'Bot' : 'User' },
    created_at: c.created_at,
    updated_at: c.updated_at,
    issue_url: `https://api.github.com/repos/${ctx.owner}/${ctx.repo}/issues/${ctx.number}`,
    author_association: 'NONE',
  };
}

function createComment(ctx: Ctx): void {
  const now = new Date().toISOString();
  const c = {
    id: ctx.nextId(),
    body: (JSON.parse(ctx.body) as { body: string }).body,
    login: ctx.botLogin,
    created_at: now,
    updated_at: now,
  };
  ctx.state.comments.push(c);
  send(ctx.res, 201, commentJson(ctx, c));
}

function updateComment(ctx: Ctx, id: number): void {
  const c = ctx.state.comments.find((x) => x.id === id);
  if (c === undefined) return notFound(ctx.res);
  if (c.login !== ctx.botLogin)
    return send(ctx.res, 403, { message: 'Resource not accessible by integration' });
  c.body = (JSON.parse(ctx.body) as { body: string }).body;
  c.updated_at = new Date().toISOString();
  send(ctx.res, 200, commentJson(ctx, c));
}

function labelsJson(ctx: Ctx) {
  return [...ctx.state.labels].map((name, i) => ({
    id: i + 1,
    node_id: `LA_${i + 1}`,
    url: `https://api.github.com/repos/${ctx.owner}/${ctx.repo}/labels/${encodeURIComponent(name)}`,
    name,
    description: null,
    color: 'ededed',
    default: false,
  }));
}

function createStatus(ctx: Ctx, sha: string): void {
  const body = JSON.parse(ctx.body) as {
    state: string;
    context: string;
    description: string;
    target_url?: string;
  };
  ctx.state.statuses.push({
    sha,
    state: body.state,
    context: body.context,
    description: body.description,
    target_url: body.target_url ?? null,
  });
  send(ctx.res, 201, {
    url: `https://api.github.com/repos/${ctx.owner}/${ctx.repo}/statuses/${sha}`,
    id: ctx.state.statuses.length,
    node_id: `SC_${ctx.state.statuses.length}`,
    state: body.state,
    description: body.description,
    target_url: body.target_url ?? null,
    context: body.context,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    creator: { login: ctx.botLogin, id: 41898282, type: 'Bot' },
  });
}
