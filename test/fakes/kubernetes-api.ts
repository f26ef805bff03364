import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { fixturePath } from '../helpers/fixture-path.js';

/** One request the fake received, for assertions (`query` is decoded; `body` is the raw text). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: string;
  headers: IncomingHttpHeaders;
}

/**
 * A fault injected for requests whose path (without query) equals `path` or matches it. `delayMs` holds the
 * response back; `status` answers with a Kubernetes Status of that code (429 adds Retry-After); `reset`
 * resets the TCP connection. `times` limits how many requests it hits (default: all).
 */
export interface KubernetesFault {
  path: string | RegExp;
  method?: string;
  delayMs?: number;
  status?: 400 | 401 | 403 | 404 | 409 | 429 | 500 | 503;
  retryAfterSeconds?: number;
  reset?: boolean;
  times?: number;
}

/** A canned answer for one method and path, overriding the store (e.g. a PATCH's response). */
export interface CannedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FakeKubernetesApi {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** The bearer token requests must carry (401 otherwise); the kubeconfig helper writes it. */
  token: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Requests whose path equals or matches `path`. */
  requestsTo(path: string | RegExp, method?: string): RecordedRequest[];
  /** Stores objects as the API server would hold them: single objects, or Lists (items are unwrapped). events.k8s.io Events are served as core/v1 Events, as the API server converts them. */
  add(...objects: unknown[]): void;
  /** Reads fixture files (JSON or YAML, relative to test/fixtures, e.g. `kubernetes/pod-oomkilled-crashloop.json`) and adds their objects. */
  load(...fixtures: string[]): void;
  /** The stored object at an API path (`/api/v1/namespaces/shop/pods/x`), as served; undefined if none. */
  get(path: string): Record<string, unknown> | undefined;
  fault(fault: KubernetesFault): void;
  respond(method: string, path: string, response: CannedResponse): void;
  /** Drops recorded requests, faults and canned responses (objects stay). */
  reset(): void;
  close(): Promise<void>;
}

type Obj = Record<string, unknown>;

const GROUPS: Record<string, string[]> = {
  v1: ['pods', 'events', 'nodes', 'namespaces'],
  'apps/v1': ['replicasets', 'deployments', 'statefulsets', 'daemonsets'],
  'batch/v1': ['jobs', 'cronjobs'],
};
const CLUSTER_SCOPED = new Set(['nodes', 'namespaces']);
const PLURAL: Record<string, string> = {
  Pod: 'pods', Event: 'events', Node: 'nodes', Namespace: 'namespaces', ReplicaSet: 'replicasets', Deployment: 'deployments',
  StatefulSet: 'statefulsets', DaemonSet: 'daemonsets', Job: 'jobs', CronJob: 'cronjobs',
};
// NOTE: the API server accepts only these field labels per resource (pkg/registry/*/strategy.go); others are a 400.
const FIELD_LABELS: Record<string, string[]> = {
  pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName'],
  events: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  nodes: ['spec.unschedulable'],
  replicasets: ['status.replicas'],
  jobs: ['status.successful'],
};
const VERSION = { major: '1', minor: '29', gitVersion: 'v1.29.4', gitCommit: '55019c83b0fd51ef4ced8c29eec2c4847f896e74', gitTreeState: 'clean', buildDate: '2024-04-16T15:03:27Z', goVersion: 'go1.21.9', compiler: 'gc', platform: 'linux/amd64' };

/**
 * A loopback fake of the Kubernetes API for the real @kubernetes/client-node: GET of pods, events, nodes,
 * namespaces and the apps/batch workloads (single objects, and lists with labelSelector, fieldSelector and
 * limit), PATCH (JSON merge, strategic merge by `name`, JSON patch; a `metadata.resourceVersion` in the body
 * is a precondition, 409 when stale), /version, per-path faults, and a record of every request.
 */
export async function startKubernetesApi(options: { token?: string; objects?: unknown[] } = {}): Promise<FakeKubernetesApi> {
  const token = options.token ?? 'why137-fake-token';
  const store = new Map<string, Obj>();
  const requests: RecordedRequest[] = [];
  let faults: (KubernetesFault & { left: number })[] = [];
  let canned = new Map<string, CannedResponse>();
  const timers = new Set<NodeJS.Timeout>();
  let rv = 1000;

  const add = (...objects: unknown[]): void => {
    for (const raw of objects) {
      const o = raw as Obj;
      if (!o || typeof o !== 'object') throw new Error('fake kubernetes api: not an object');
      if (Array.isArray(o.items)) {
        const itemKind = typeof o.kind === 'string' && o.kind.endsWith('List') && o.kind !== 'List' ? o.kind.slice(0, -4) : undefined;
        add(...o.items.map((i) => ({ ...(itemKind ? { kind: itemKind, apiVersion: o.apiVersion } : {}), ...(i as Obj) })));
        continue;
      }
      const obj = o.apiVersion === 'events.k8s.io/v1' || o.apiVersion === 'events.k8s.io/v1beta1' ? coreEvent(o) : structuredClone(o);
      const path = objectPath(obj);
      const meta = obj.metadata as Obj;
      meta.resourceVersion ??= String(++rv);
      store.set(path, obj);
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
      requests.push(recorded);
      const fault = faults.find((f) => f.left > 0 && (f.method === undefined || f.method === recorded.method) && (typeof f.path === 'string' ? f.path === url.pathname : f.path.test(url.pathname)));
      if (fault) fault.left--;
      const answer = (): void => {
        if (res.destroyed) return;
        if (fault?.reset) { req.socket.resetAndDestroy(); return; }
        if (fault?.status) { sendStatus(res, fault.status, url.pathname, recorded.method, fault.retryAfterSeconds); return; }
        handle(recorded, res);
      };
      if (fault?.delayMs) {
        const t = setTimeout(() => { timers.delete(t); answer(); }, fault.delayMs);
        timers.add(t);
        res.on('close', () => { clearTimeout(t); timers.delete(t); });
      } else {
        answer();
      }
    });
  });

  const handle = (r: RecordedRequest, res: ServerResponse): void => {
    const key = `${r.method} ${r.path}`;
    const c = canned.get(key);
    if (c) { send(res, c.status, c.body, c.headers); return; }
    if (r.headers.authorization !== `Bearer ${token}`) { sendStatus(res, 401, r.path, r.method); return; }
    if (r.method === 'GET' && r.path === '/version') { send(res, 200, VERSION); return; }
    const route = parseRoute(r.path);
    if (!route) { sendStatus(res, 404, r.path, r.method); return; }
    if (route.name === undefined) {
      if (r.method !== 'GET') { sendStatus(res, 405, r.path, r.method); return; }
      list(route, r, res);
      return;
    }
    const obj = store.get(r.path);
    if (r.method === 'GET') {
      if (obj) send(res, 200, obj); else sendStatus(res, 404, r.path, r.method);
      return;
    }
    if (r.method === 'PATCH') {
      if (!obj) { sendStatus(res, 404, r.path, r.method); return; }
      patch(obj, r, res);
      return;
    }
    sendStatus(res, 405, r.path, r.method);
  };

  const list = (route: Route, r: RecordedRequest, res: ServerResponse): void => {
    let fieldMatch: (o: Obj) => boolean;
    let labelMatch: (o: Obj) => boolean;
    try {
      fieldMatch = fieldSelector(r.query.fieldSelector ?? '', route.plural);
      labelMatch = labelSelector(r.query.labelSelector ?? '');
    } catch (err) {
      send(res, 400, status(400, 'BadRequest', (err as Error).message));
      return;
    }
    const prefix = route.namespace !== undefined ? `${route.prefix}/namespaces/${route.namespace}/${route.plural}/` : undefined;
    let items = [...store.entries()]
      .filter(([path, o]) => (prefix ? path.startsWith(prefix) : pluralOf(o) === route.plural && groupVersion(o) === route.groupVersion) && fieldMatch(o) && labelMatch(o))
      .map(([, o]) => o);
    const offset = Number(r.query.continue ?? '0') || 0;
    const limit = Number(r.query.limit ?? '0') || 0;
    const page = limit > 0 ? items.slice(offset, offset + limit) : items.slice(offset);
    const more = limit > 0 && offset + limit < items.length;
    items = page.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    send(res, 200, { apiVersion: route.groupVersion, kind: `${KIND_OF[route.plural]}List`, metadata: { resourceVersion: String(rv), ...(more ? { continue: String(offset + limit) } : {}) }, items });
  };

  const patch = (obj: Obj, r: RecordedRequest, res: ServerResponse): void => {
    let body: unknown;
    try { body = JSON.parse(r.body); } catch { send(res, 400, status(400, 'BadRequest', 'the body of the request was in an unknown format')); return; }
    const type = String(r.headers['content-type'] ?? '').split(';')[0];
    let next: Obj;
    try {
      if (type === 'application/json-patch+json') {
        next = jsonPatch(obj, body);
      } else if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') {
        const want = ((body as Obj)?.metadata as Obj | undefined)?.resourceVersion;
        if (want !== undefined && want !== (obj.metadata as Obj).resourceVersion) { sendStatus(res, 409, r.path, r.method); return; }
        next = mergePatch(obj, body, type === 'application/strategic-merge-patch+json') as Obj;
      } else {
        send(res, 415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`));
        return;
      }
    } catch (err) {
      if ((err as Error).message === 'conflict') { sendStatus(res, 409, r.path, r.method); return; }
      send(res, 422, status(422, 'Invalid', (err as Error).message));
      return;
    }
    const meta = next.metadata as Obj;
    meta.resourceVersion = String(++rv);
    if (JSON.stringify(next.spec) !== JSON.stringify(obj.spec) && typeof meta.generation === 'number') meta.generation += 1;
    store.set(r.path, next);
    send(res, 200, next);
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  if (options.objects) add(...options.objects);

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    requestsTo: (path, method) => requests.filter((q) => (method === undefined || q.method === method) && (typeof path === 'string' ? q.path === path : path.test(q.path))),
    add,
    load: (...fixtures) => { for (const f of fixtures) add(...readFixture(f)); },
    get: (path) => store.get(path),
    fault: (f) => { faults.push({ ...f, left: f.times ?? Number.POSITIVE_INFINITY }); },
    respond: (method, path, response) => { canned.set(`${method} ${path}`, response); },
    reset: () => { requests.length = 0; faults = []; canned = new Map(); },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const KIND_OF: Record<string, string> = Object.fromEntries(Object.entries(PLURAL).map(([k, v]) => [v, k]));

interface Route { prefix: string; groupVersion: string; plural: string; namespace?: string; name?: string }

function parseRoute(path: string): Route | undefined {
  const m = /^(\/api\/v1|\/apis\/([a-z0-9.-]+)\/([a-z0-9]+))\/(.*)$/.exec(path);
  if (!m) return undefined;
  const groupVersion = m[2] ? `${m[2]}/${m[3]}` : 'v1';
  const parts = m[4]!.split('/').filter((p) => p !== '').map(decodeURIComponent);
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    namespace = parts[1];
    parts.splice(0, 2);
  }
  const [plural, name, ...rest] = parts;
  if (!plural || rest.length > 0 || !GROUPS[groupVersion]?.includes(plural)) return undefined;
  if (CLUSTER_SCOPED.has(plural) === (namespace !== undefined)) return undefined;
  return { prefix: m[1]!, groupVersion, plural, namespace, name };
}

function groupVersion(o: Obj): string { return String(o.apiVersion); }
function pluralOf(o: Obj): string { return PLURAL[String(o.kind)] ?? `${String(o.kind).toLowerCase()}s`; }

function objectPath(o: Obj): string {
  const gv = groupVersion(o);
  const meta = o.metadata as Obj | undefined;
  if (!meta || typeof meta.name !== 'string' || typeof o.kind !== 'string') throw new Error(`fake kubernetes api: object without kind or metadata.name (${JSON.stringify(o).slice(0, 80)})`);
  const prefix = gv === 'v1' ? '/api/v1' : `/apis/${gv}`;
  const plural = pluralOf(o);
  if (CLUSTER_SCOPED.has(plural)) return `${prefix}/${plural}/${meta.name}`;
  return `${prefix}/namespaces/${String(meta.namespace ?? 'default')}/${plural}/${meta.name}`;
}

/** The core/v1 view of an events.k8s.io Event, field for field as the API server converts it. */
function coreEvent(e: Obj): Obj {
  const out: Obj = {
    apiVersion: 'v1', kind: 'Event', metadata: e.metadata, involvedObject: e.regarding, related: e.related, message: e.note, reason: e.reason, type: e.type,
    count: e.deprecatedCount, firstTimestamp: e.deprecatedFirstTimestamp, lastTimestamp: e.deprecatedLastTimestamp, source: e.deprecatedSource,
    eventTime: e.eventTime, series: e.series, action: e.action, reportingComponent: e.reportingController, reportingInstance: e.reportingInstance,
  };
  return structuredClone(Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)));
}

function readFixture(rel: string): unknown[] {
  const text = readFileSync(fixturePath(...rel.split('/')), 'utf8');
  if (rel.endsWith('.json')) return [JSON.parse(text)];
  return parseAllDocuments(text).map((d) => d.toJS() as unknown).filter((d) => d !== null && d !== undefined);
}

function at(o: unknown, path: string): unknown {
  let cur = o;
  for (const k of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Obj)[k] : undefined;
  return cur;
}

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) { cur += s[i]! + s[i + 1]!; i++; continue; }
    if (s[i] === sep) { out.push(cur); cur = ''; continue; }
    cur += s[i];
  }
  out.push(cur);
  return out;
}

function fieldSelector(sel: string, plural: string): (o: Obj) => boolean {
  if (sel.trim() === '') return () => true;
  const allowed = new Set(['metadata.name', ...(CLUSTER_SCOPED.has(plural) ? [] : ['metadata.namespace']), ...(FIELD_LABELS[plural] ?? [])]);
  const reqs = splitUnescaped(sel, ',').map((term) => {
    const m = /^([^!=]+)(!=|==|=)(.*)$/.exec(term);
    if (!m) throw new Error(`invalid selector: '${sel}'; can't understand '${term}'`);
    const label = m[1]!.trim();
    if (!allowed.has(label)) throw new Error(`field label not supported: ${label}`);
    const value = m[3]!.replace(/\\(.)/g, '$1');
    return { label, neg: m[2] === '!=', value };
  });
  return (o) => reqs.every(({ label, neg, value }) => {
    const v = label === 'source' ? at(o, 'source.component') : at(o, label);
    const s = v === undefined || v === null ? '' : String(v);
    return neg ? s !== value : s === value;
  });
}

function labelSelector(sel: string): (o: Obj) => boolean {
  if (sel.trim() === '') return () => true;
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of sel) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { terms.push(cur); cur = ''; continue; }
    cur += ch;
  }
  terms.push(cur);
  const reqs = terms.map((t) => {
    const term = t.trim();
    let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) {
      const values = m[3]!.split(',').map((v) => v.trim());
      const key = m[1]!;
      return m[2] === 'in' ? (l: Obj) => typeof l[key] === 'string' && values.includes(l[key]) : (l: Obj) => !(typeof l[key] === 'string' && values.includes(l[key]));
    }
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(term);
    if (m) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      return op === '!=' ? (l: Obj) => l[key] !== value : (l: Obj) => l[key] === value;
    }
    m = /^(!?)([\w./-]+)$/.exec(term);
    if (m) {
      const key = m[2]!;
      return m[1] ? (l: Obj) => !(key in l) : (l: Obj) => key in l;
    }
    throw new Error(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
  });
  return (o) => {
    const labels = ((o.metadata as Obj | undefined)?.labels ?? {}) as Obj;
    return reqs.every((r) => r(labels));
  };
}

function mergePatch(target: unknown, patch: unknown, strategic: boolean): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    if (strategic && Array.isArray(patch) && Array.isArray(target) && patch.every((p) => p && typeof p === 'object' && typeof (p as Obj).name === 'string')) {
      // Strategic merge: lists of named objects (containers, env) merge by name.
      const out = target.map((t) => structuredClone(t) as unknown);
      for (const p of patch as Obj[]) {
        const i = out.findIndex((t) => (t as Obj)?.name === p.name);
        if (i >= 0) out[i] = mergePatch(out[i], p, true); else out.push(structuredClone(p));
      }
      return out;
    }
    return structuredClone(patch);
  }
  const out: Obj = target && typeof target === 'object' && !Array.isArray(target) ? structuredClone(target as Obj) : {};
  for (const [k, v] of Object.entries(patch as Obj)) {
    if (v === null) delete out[k]; else out[k] = mergePatch(out[k], v, strategic);
  }
  return out;
}

function jsonPatch(obj: Obj, ops: unknown): Obj {
  if (!Array.isArray(ops)) throw new Error('a JSON patch is a list of operations');
  const doc = structuredClone(obj);
  for (const op of ops as Obj[]) {
    const parts = String(op.path).split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    let parent: unknown = doc;
    for (const p of parts) parent = (parent as Obj)?.[p];
    if (!parent || typeof parent !== 'object') throw new Error(`path ${String(op.path)} does not exist`);
    const container = parent as Obj;
    switch (op.op) {
      case 'test':
        if (JSON.stringify(container[last]) !== JSON.stringify(op.value)) throw new Error('conflict');
        break;
      case 'remove':
        if (Array.isArray(container)) (container as unknown[]).splice(Number(last), 1); else delete container[last];
        break;
      case 'add':
        if (Array.isArray(container)) (container as unknown[]).splice(last === '-' ? (container as unknown[]).length : Number(last), 0, op.value); else container[last] = op.value;
        break;
      case 'replace':
        if (!(last in container)) throw new Error(`path ${String(op.path)} does not exist`);
        container[last] = op.value;
        break;
      default:
        throw new Error(`unsupported JSON patch operation ${String(op.op)}`);
    }
  }
  return doc;
}

function status(code: number, reason: string, message: string, details?: Obj): Obj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** A Status as kube-apiserver words it for this code and path. */
function sendStatus(res: ServerResponse, code: number, path: string, method: string, retryAfterSeconds = 1): void {
  const route = parseRoute(path);
  const plural = route?.plural ?? 'resources';
  const name = route?.name;
  const group = route && route.groupVersion.includes('/') ? route.groupVersion.split('/')[0]! : '';
  const verb = method === 'PATCH' ? 'patch' : name ? 'get' : 'list';
  const details: Obj = { ...(name ? { name } : {}), ...(group ? { group } : {}), kind: plural };
  const where = route?.namespace ? ` in the namespace "${route.namespace}"` : route ? ' at the cluster scope' : '';
  switch (code) {
    case 401: send(res, 401, status(401, 'Unauthorized', 'Unauthorized')); return;
    case 403: send(res, 403, status(403, 'Forbidden', `${plural}${name ? ` "${name}"` : ''} is forbidden: User "system:serviceaccount:why137:why137" cannot ${verb} resource "${plural}" in API group "${group}"${where}`, details)); return;
    case 404: send(res, 404, route ? status(404, 'NotFound', `${plural} "${name ?? ''}" not found`, details) : status(404, 'NotFound', 'the server could not find the requested resource', { causes: [{ reason: 'UnexpectedServerResponse', message: '404 page not found' }] })); return;
    case 405: send(res, 405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, details)); return;
    case 409: send(res, 409, status(409, 'Conflict', `Operation cannot be fulfilled on ${plural}${group ? `.${group}` : ''} "${name ?? ''}": the object has been modified; please apply your changes to the latest version and try again`, details)); return;
    case 429: send(res, 429, status(429, 'TooManyRequests', 'Too many requests, please try again later.', { ...details, retryAfterSeconds }), { 'Retry-After': String(retryAfterSeconds) }); return;
    case 503: send(res, 503, status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request', details), { 'Retry-After': String(retryAfterSeconds) }); return;
    case 400: send(res, 400, status(400, 'BadRequest', 'the server rejected our request for an unknown reason', details)); return;
    default: send(res, code, status(code, 'InternalError', `Internal error occurred: etcdserver: request timed out`, { causes: [{ message: 'etcdserver: request timed out' }] })); return;
  }
}

function send(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Audit-Id': crypto.randomUUID(), 'Cache-Control': 'no-cache, private', ...headers });
  res.end(text);
}

