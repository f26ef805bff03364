import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../helpers/fixture-path.js';

/** One request the fake received (`body` is the raw text). */
export interface PagerDutyRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A note the fake accepted, with the headers it came with. */
export interface AcceptedNote {
  incidentId: string;
  content: string;
  from: string;
}

/** Answers `status` (with PagerDuty's error body; 429 adds Retry-After) to matching requests, `times` times (default: all); `delayMs` holds the answer back. */
export interface PagerDutyFault {
  method?: string;
  path: RegExp;
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  times?: number;
}

export interface FakePagerDutyApi {
  /** `http://127.0.0.1:PORT` (PAGERDUTY_API_URL). */
  url: string;
  token: string;
  fromEmail: string;
  requests: PagerDutyRequest[];
  notes: AcceptedNote[];
  /** Serves `alerts` (a GET /incidents/{id}/alerts answer, as in test/fixtures/pagerduty/alerts-*.json) for the incident. */
  setAlerts(incidentId: string, alerts: unknown[]): void;
  /** Reads an alerts-*.json fixture and serves it for the incident it names. */
  loadAlerts(fixture: string): string;
  setIncident(incident: { id: string } & Record<string, unknown>): void;
  fault(f: PagerDutyFault): void;
  /** Resolves when `n` notes were accepted. */
  waitForNotes(n: number, timeoutMs?: number): Promise<AcceptedNote[]>;
  close(): Promise<void>;
}

const ACCEPT = 'application/vnd.pagerduty+json;version=2';

/**
 * A loopback stand-in for PagerDuty's REST API v2 (the three endpoints why137 calls). It checks what the
 * real one checks and the note contract: `Authorization: Token token=…` (401 otherwise), the v2 Accept
 * header, and for POST /incidents/{id}/notes a `From` header with the user's email and a JSON body
 * `{"note":{"content":"…"}}` (400 with PagerDuty's error object otherwise).
 */
export async function startFakePagerDutyApi(options: { token?: string; fromEmail?: string } = {}): Promise<FakePagerDutyApi> {
  const token = options.token ?? 'u+fakeRestApiKey00001';
  const fromEmail = options.fromEmail ?? 'why137-bot@example.com';
  const alerts = new Map<string, unknown[]>();
  const incidents = new Map<string, Record<string, unknown>>();
  const faults: PagerDutyFault[] = [];
  const requests: PagerDutyRequest[] = [];
  const notes: AcceptedNote[] = [];
  const waiters: (() => void)[] = [];
  let noteSeq = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const record: PagerDutyRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(record);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      };
      const error = (status: number, message: string, code: number, errors: string[] = []): void => send(status, { error: { message, code, errors } });

      const fault = faults.find((f) => f.path.test(record.path) && (f.method === undefined || f.method === record.method) && (f.times === undefined || f.times > 0));
      const answer = (): void => {
        if (fault?.status !== undefined) {
          if (fault.times !== undefined) fault.times--;
          const headers: Record<string, string> = fault.status === 429 ? { 'retry-after': String(fault.retryAfterSeconds ?? 0) } : {};
          send(fault.status, { error: { message: fault.status === 429 ? 'Rate Limit Exceeded' : 'Internal Server Error', code: fault.status === 429 ? 2020 : 2001 } }, headers);
          return;
        }
        if (req.headers.authorization !== `Token token=${token}`) { error(401, 'Unauthorized', 2006); return; }
        if (req.headers.accept !== ACCEPT) { error(406, 'Not Acceptable', 2001, [`Accept must be ${ACCEPT}`]); return; }
        let m = /^\/incidents\/([A-Z0-9]+)$/.exec(record.path);
        if (m && record.method === 'GET') {
          const incident = incidents.get(m[1]!);
          if (!incident) { error(404, 'Not Found', 2100); return; }
          send(200, { incident });
          return;
        }
        m = /^\/incidents\/([A-Z0-9]+)\/alerts$/.exec(record.path);
        if (m && record.method === 'GET') {
          const all = [...(alerts.get(m[1]!) ?? [])] as { created_at?: string }[];
          if (record.query.get('sort_by') === 'created_at:desc') all.reverse();
          const limit = Number(record.query.get('limit') ?? 25);
          send(200, { alerts: all.slice(0, limit), limit, offset: 0, more: all.length > limit, total: null });
          return;
        }
        m = /^\/incidents\/([A-Z0-9]+)\/notes$/.exec(record.path);
        if (m && record.method === 'POST') {
          const from = req.headers.from;
          if (typeof from !== 'string' || from !== fromEmail) { error(400, 'Invalid Input Provided', 2001, ['A valid `From` header is required (the email of a user in the account)']); return; }
          if (!/^application\/json/.test(req.headers['content-type'] ?? '')) { error(400, 'Invalid Input Provided', 2001, ['Content-Type must be application/json']); return; }
          let parsed: unknown;
          try { parsed = JSON.parse(record.body); } catch { error(400, 'Invalid Input Provided', 2001, ['body is not JSON']); return; }
          const content = (parsed as { note?: { content?: unknown } }).note?.content;
          const keys = Object.keys(parsed as object);
          if (typeof content !== 'string' || content === '' || keys.length !== 1 || keys[0] !== 'note') { error(400, 'Invalid Input Provided', 2001, ['note.content is required']); return; }
          notes.push({ incidentId: m[1]!, content, from });
          for (const w of waiters.splice(0)) w();
          send(201, { note: { id: `PNOTE${String(++noteSeq).padStart(3, '0')}`, content, created_at: new Date().toISOString(), user: { id: 'PBOTUSR', type: 'user_reference', summary: 'why137 bot' } } });
          return;
        }
        error(404, 'Not Found', 2100);
      };
      if (fault?.delayMs) setTimeout(answer, fault.delayMs); else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url, token, fromEmail, requests, notes,
    setAlerts(id, list) { alerts.set(id, list); },
    loadAlerts(fixture) {
      const answer = JSON.parse(readFileSync(fixturePath('pagerduty', fixture), 'utf8')) as { alerts: { incident: { id: string } }[] };
      const id = answer.alerts[0]!.incident.id;
      alerts.set(id, answer.alerts);
      return id;
    },
    setIncident(incident) { incidents.set(incident.id, incident); },
    fault(f) { faults.push({ ...f }); },
    async waitForNotes(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (notes.length < n) {
        if (Date.now() > deadline) throw new Error(`fake PagerDuty: ${notes.length} notes after ${timeoutMs} ms, expected ${n}`);
        await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 50); });
      }
      return notes;
    },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
