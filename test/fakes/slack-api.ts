import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received, body decoded (form fields holding JSON, like `blocks`, parsed). */
export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
  /** The bearer token sent, if any. */
  token?: string;
  contentType: string;
  /** Milliseconds since the fake started. */
  at: number;
  /** The HTTP status the fake answered. */
  status: number;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  threadTs?: string;
  /** Every version, oldest first (postMessage, then each chat.update). */
  versions: { text?: string; blocks?: unknown[] }[];
  deleted?: boolean;
}

type Canned = { status: number; retryAfter?: number; body?: Record<string, unknown> };

export interface FakeSlack {
  /** Web API base URL, ending in `/api/` (SLACK_API_URL). */
  apiUrl: string;
  /** A response_url the app can POST ephemeral answers to; recorded as method `response_url`. */
  responseUrl(id: string): string;
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  messages: Map<string, StoredMessage>;
  /** Resolves with the first call (past or future) matching, or rejects after `timeoutMs`. */
  waitFor(method: string, match?: (c: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  /** The next call to `method` is answered 429 with Retry-After: `seconds`. */
  rateLimitOnce(method: string, seconds: number): void;
  /** The next call to `method` gets this HTTP status (500: a failed post) or this `{ ok: false, error }`. */
  failOnce(method: string, failure: number | { error: string }): void;
  /** Channels where chat.postMessage answers not_in_channel. */
  notInChannel: Set<string>;
  /** Members of user groups, for usergroups.users.list. */
  groups: Map<string, string[]>;
  /** Milliseconds every answer is held back (a slow Slack). */
  latencyMs: number;
  /** What apps.connections.open hands out to the app token (see slack-socket-mode.ts). */
  socketUrl?: string;
  close(): Promise<void>;
}

export const FAKE_BOT_TOKEN = 'xoxb-1111111111-2222222222-fakefakefakefakefakefake';
export const FAKE_BOT_USER = 'U0WHY137BOT';
export const FAKE_APP_TOKEN = 'xapp-1-A0WHY137-1111-fakefakefakefake';

/**
 * A loopback Slack Web API: chat.postMessage, chat.update, chat.delete, chat.postEphemeral,
 * views.open, views.update, usergroups.users.list, auth.test and apps.connections.open (Socket Mode),
 * plus response_url endpoints. It
 * records every call with its decoded JSON or form body, keeps each message's versions, and can answer
 * 429 with Retry-After, an HTTP failure or a Slack error once for a method.
 */
export async function startFakeSlack(): Promise<FakeSlack> {
  const started = Date.now();
  const calls: SlackCall[] = [];
  const messages = new Map<string, StoredMessage>();
  const canned = new Map<string, Canned[]>();
  const waiters: { method: string; match: (c: SlackCall) => boolean; resolve: (c: SlackCall) => void }[] = [];
  const groups = new Map<string, string[]>();
  const notInChannel = new Set<string>();
  let seq = 0;
  let views = 0;
  const nextTs = (): string => `${1_700_000_000 + Math.floor(seq / 1000)}.${String(100000 + (seq++ % 1000) * 100).padStart(6, '0')}`;

  const fake: FakeSlack = {
    apiUrl: '', calls, messages, groups, notInChannel, latencyMs: 0,
    responseUrl: (id) => `${fake.apiUrl.replace(/api\/$/, '')}response/${encodeURIComponent(id)}`,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitFor(method, match = () => true, timeoutMs = 15_000) {
      const hit = calls.find((c) => c.method === method && match(c));
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { method, match, resolve: (c: SlackCall) => { clearTimeout(timer); resolve(c); } };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no ${method} call matched within ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(', ')}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    rateLimitOnce: (method, seconds) => push(method, { status: 429, retryAfter: seconds }),
    failOnce: (method, failure) => push(method, typeof failure === 'number' ? { status: failure, body: { ok: false, error: 'fake_http_failure' } } : { status: 200, body: { ok: false, error: failure.error } }),
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
  function push(method: string, c: Canned): void {
    canned.set(method, [...(canned.get(method) ?? []), c]);
  }

  const answer = (method: string, body: Record<string, unknown>, token: string | undefined): Record<string, unknown> => {
    if (method === 'apps.connections.open') return token === FAKE_APP_TOKEN && fake.socketUrl ? { ok: true, url: fake.socketUrl } : { ok: false, error: 'invalid_auth' };
    if (method !== 'response_url' && token !== FAKE_BOT_TOKEN) return { ok: false, error: 'invalid_auth' };
    const channel = String(body.channel ?? '');
    switch (method) {
      case 'auth.test': return { ok: true, url: 'https://fake.slack.test/', team: 'Fake', team_id: 'T0FAKE', user: 'why137', user_id: FAKE_BOT_USER, bot_id: 'B0WHY137' };
      case 'chat.postMessage': {
        if (notInChannel.has(channel)) return { ok: false, error: 'not_in_channel' };
        const ts = nextTs();
        const m: StoredMessage = { channel, ts, text: body.text as string, blocks: body.blocks as unknown[], versions: [{ text: body.text as string, blocks: body.blocks as unknown[] }], ...(body.thread_ts ? { threadTs: String(body.thread_ts) } : {}) };
        messages.set(ts, m);
        return { ok: true, channel, ts, message: { text: body.text, ts } };
      }
      case 'chat.update': {
        const m = messages.get(String(body.ts));
        if (!m || m.deleted) return { ok: false, error: 'message_not_found' };
        m.text = body.text as string;
        m.blocks = body.blocks as unknown[];
        m.versions.push({ text: m.text, blocks: m.blocks });
        return { ok: true, channel, ts: m.ts, text: m.text };
      }
      case 'chat.delete': {
        const m = messages.get(String(body.ts));
        if (!m) return { ok: false, error: 'message_not_found' };
        m.deleted = true;
        return { ok: true, channel, ts: m.ts };
      }
      case 'chat.postEphemeral':
        if (notInChannel.has(channel)) return { ok: false, error: 'not_in_channel' };
        return { ok: true, message_ts: nextTs() };
      case 'views.open': return { ok: true, view: { id: `V${String(++views).padStart(8, '0')}`, ...(body.view as object) } };
      case 'views.update': return { ok: true, view: { id: body.view_id, ...(body.view as object) } };
      case 'usergroups.users.list': {
        const users = groups.get(String(body.usergroup));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'response_url': return { ok: true };
      default: return { ok: false, error: 'unknown_method' };
    }
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readAll(req);
      const url = new URL(req.url ?? '/', 'http://x');
      const method = url.pathname.startsWith('/response/') ? 'response_url' : url.pathname.replace(/^\/api\//, '');
      const contentType = String(req.headers['content-type'] ?? '');
      const body = decode(raw, contentType);
      const auth = String(req.headers.authorization ?? '');
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : typeof body.token === 'string' ? body.token : undefined;
      if (fake.latencyMs > 0) await new Promise((r) => setTimeout(r, fake.latencyMs));
      const queued = canned.get(method)?.shift();
      let status = 200;
      let payload: Record<string, unknown>;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (queued) {
        status = queued.status;
        payload = queued.body ?? { ok: false, error: 'ratelimited' };
        if (queued.retryAfter !== undefined) headers['retry-after'] = String(queued.retryAfter);
      } else {
        payload = answer(method, body, token);
      }
      const call: SlackCall = { method, body, ...(token ? { token } : {}), contentType, at: Date.now() - started, status };
      calls.push(call);
      res.writeHead(status, headers);
      res.end(JSON.stringify(payload));
      if (status === 200 && payload.ok !== false) {
        for (const w of [...waiters]) {
          if (w.method === method && w.match(call)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(call); }
        }
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  return fake;
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

/** JSON bodies as they are; form bodies field by field, a field holding a JSON array or object parsed. */
function decode(raw: string, contentType: string): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (/^\s*[[{]/.test(v)) { try { out[k] = JSON.parse(v); continue; } catch { /* keep the string */ } }
    out[k] = v;
  }
  return out;
}
