import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received. */
export interface RecordedCall {
  /** `DescribeTasks` for AWS JSON calls (from x-amz-target); `GET /2015-03-31/functions/f/configuration` for REST calls. */
  operation: string;
  /** x-amz-target's prefix (`AmazonEC2ContainerServiceV20141113`, `Logs_20140328`); '' for REST. */
  service: string;
  method: string;
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** Date.now() when the request arrived. */
  at: number;
}

/**
 * What to answer. `cli` is a recorded `aws ...` output (fixtures are CLI output): its ISO timestamps go back
 * to the epoch seconds AWS JSON puts on the wire. `error` is an AWS error (`{__type, message}` and
 * x-amzn-errortype, 400 unless `status` says otherwise). `reset` drops the connection, `hang` never answers.
 * `delayMs` waits before answering.
 */
export type Reply =
  | { json: unknown; status?: number; delayMs?: number }
  | { cli: unknown; delayMs?: number }
  | { error: string; message?: string; status?: number; delayMs?: number }
  | { reset: true; delayMs?: number }
  | { hang: true };

export type Responder = Reply | ((call: RecordedCall) => Reply);

export interface AwsRecordedFake {
  /** `http://127.0.0.1:PORT`: pass as a client's `endpoint`, or in AWS_ENDPOINT_URL_<SERVICE>. */
  endpoint: string;
  /** Every request, in arrival order. */
  calls: RecordedCall[];
  callsTo(operation: string): RecordedCall[];
  /** Queues replies for an operation: each call takes the next one, and the last one repeats. */
  reply(operation: string, ...replies: Responder[]): AwsRecordedFake;
  stop(): Promise<void>;
}

// ISO-8601 with a zone, as the CLI prints timestamps; Insights' zone-less `2024-05-01 10:00:00.000` is a string field and stays.
const CLI_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * A loopback AWS endpoint answering recorded responses: AWS JSON 1.1 (ECS, CloudWatch Logs; operation
 * from x-amz-target) and REST JSON (Lambda; operation `METHOD /path`). Records every call and injects
 * faults (delay, throttling, access denied, 5xx, connection reset). Unrecorded operations get a 501
 * `UnrecordedOperation` error naming the operation.
 */
export async function startAwsRecordedFake(): Promise<AwsRecordedFake> {
  const calls: RecordedCall[] = [];
  const queues = new Map<string, Responder[]>();
  const server = createServer((req, res) => { void handle(req, res); });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const target = header(req.headers['x-amz-target']);
    const [service, op] = target ? splitTarget(target) : ['', `${req.method} ${decodeURIComponent(url.pathname)}`];
    let body: unknown;
    try { body = text ? JSON.parse(text) : undefined; } catch { body = text; }
    const call: RecordedCall = { operation: op, service, method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body, headers: req.headers, at: Date.now() };
    calls.push(call);

    const queue = queues.get(op);
    const next = queue && queue.length > 1 ? queue.shift()! : queue?.[0];
    const reply: Reply = next === undefined
      ? { error: 'UnrecordedOperation', message: `the fake has no recorded reply for ${op}`, status: 501 }
      : typeof next === 'function' ? next(call) : next;

    if ('hang' in reply) return;
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed || req.socket.destroyed) return;
    if ('reset' in reply) { req.socket.destroy(); return; }
    const requestId = `fake-${calls.length}`;
    const contentType = target ? 'application/x-amz-json-1.1' : 'application/json';
    if ('error' in reply) {
      const payload = JSON.stringify({ __type: reply.error, message: reply.message ?? reply.error });
      res.writeHead(reply.status ?? 400, { 'content-type': contentType, 'x-amzn-requestid': requestId, 'x-amzn-errortype': reply.error, 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
      return;
    }
    const doc = 'cli' in reply ? (target ? toWire(reply.cli) : reply.cli) : reply.json;
    const payload = JSON.stringify(doc ?? {});
    res.writeHead('status' in reply && reply.status ? reply.status : 200, { 'content-type': contentType, 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  }

  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', () => resolve()); });
  const { port } = server.address() as AddressInfo;
  const fake: AwsRecordedFake = {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (operation) => calls.filter((c) => c.operation === operation),
    reply(operation, ...replies) {
      queues.set(operation, [...replies]);
      return fake;
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return fake;
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function splitTarget(target: string): [string, string] {
  const dot = target.lastIndexOf('.');
  return dot < 0 ? ['', target] : [target.slice(0, dot), target.slice(dot + 1)];
}

/** CLI output back to AWS JSON's wire form: timestamps as epoch seconds. */
function toWire(value: unknown): unknown {
  if (typeof value === 'string' && CLI_TIMESTAMP.test(value)) {
    const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isNaN(ms) ? value : ms / 1000;
  }
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  return value;
}
