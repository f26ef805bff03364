import createClient from 'openapi-fetch';
import type { components, paths } from './pagerduty-api.js';
import { PagerDutyApiError } from './pagerduty-api-error.js';

export type PagerDutyIncident = components['schemas']['Incident'];
export type PagerDutyAlert = components['schemas']['Alert'];

const ACCEPT = 'application/vnd.pagerduty+json;version=2';
const DEFAULT_URL = 'https://api.pagerduty.com';

export interface PagerDutyClientOptions {
  /** A REST API key; sent as `Authorization: Token token=…`. */
  token: string;
  /** A PagerDuty user's email, sent as `From` on writes (account-level keys require it). */
  fromEmail: string;
  /** Default https://api.pagerduty.com (PAGERDUTY_API_URL). */
  baseUrl?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  fetch?: (input: Request) => Promise<Response>;
}

/** The three REST calls why137 makes; each throws PagerDutyApiError (why137_pagerduty_failed) with one line. */
export interface PagerDutyClient {
  getIncident(id: string): Promise<PagerDutyIncident>;
  /** The alert that opened the incident (the oldest), or undefined when it has none. */
  firstAlert(incidentId: string): Promise<PagerDutyAlert | undefined>;
  createNote(incidentId: string, content: string): Promise<{ id: string }>;
}

/** PagerDuty's REST API v2 through openapi-fetch, typed from openapi/pagerduty.yaml (`npm run gen:pagerduty`). */
export function createPagerDutyClient(options: PagerDutyClientOptions): PagerDutyClient {
  const baseUrl = (options.baseUrl ?? DEFAULT_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const client = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Token token=${options.token}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  async function call<T>(what: string, run: (signal: AbortSignal) => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run(AbortSignal.timeout(timeoutMs));
    } catch (err) {
      const detail = /TimeoutError|aborted due to timeout/.test(`${(err as Error).name} ${(err as Error).message}`) ? `no answer in ${timeoutMs} ms` : oneLine(err);
      throw new PagerDutyApiError(`PagerDuty ${what}: ${detail}; expected ${baseUrl} to be reachable`, { cause: err });
    }
    const { data, error, response } = result;
    if (response.ok && data !== undefined) return data;
    const status = response.status;
    const message = (error as { error?: { message?: string; errors?: string[] } } | undefined)?.error;
    const said = [message?.message, ...(message?.errors ?? [])].filter(Boolean).join(': ') || response.statusText;
    throw new PagerDutyApiError(`PagerDuty ${what}: ${status} ${said}; expected ${hint(status)}`, { status, retryAfterMs: retryAfter(response) });
  }

  return {
    getIncident(id) {
      return call(`GET /incidents/${id}`, (signal) => client.GET('/incidents/{id}', { params: { path: { id }, header: { Accept: ACCEPT } }, signal }))
        .then((d) => d.incident);
    },
    firstAlert(incidentId) {
      return call(`GET /incidents/${incidentId}/alerts`, (signal) => client.GET('/incidents/{id}/alerts', {
        params: { path: { id: incidentId }, header: { Accept: ACCEPT }, query: { limit: 1, sort_by: 'created_at:asc' } }, signal,
      })).then((d) => d.alerts[0]);
    },
    createNote(incidentId, content) {
      return call(`POST /incidents/${incidentId}/notes`, (signal) => client.POST('/incidents/{id}/notes', {
        params: { path: { id: incidentId }, header: { Accept: ACCEPT, From: options.fromEmail } }, body: { note: { content } }, signal,
      })).then((d) => ({ id: d.note.id }));
    },
  };
}

function hint(status: number): string {
  if (status === 401) return 'PAGERDUTY_API_TOKEN to be a valid REST API key (Integrations → API Access Keys)';
  if (status === 403) return 'the API key to have access to this incident, and PAGERDUTY_FROM_EMAIL to be a PagerDuty user';
  if (status === 404) return 'the incident to exist in the account of PAGERDUTY_API_TOKEN';
  if (status === 400) return 'PAGERDUTY_FROM_EMAIL to be the email of a PagerDuty user';
  if (status === 429) return 'fewer calls (PagerDuty rate-limits REST API keys)';
  return 'PagerDuty to answer (status.pagerduty.com)';
}

function retryAfter(response: Response): number | undefined {
  const raw = response.headers.get('retry-after') ?? response.headers.get('ratelimit-reset');
  const seconds = raw === null ? NaN : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function oneLine(err: unknown): string {
  // NOTE: fetch wraps the reason (ECONNREFUSED, bad port, a TLS failure) in `cause` under a bare "fetch failed".
  const e = err as { message?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
  const base = typeof e?.message === 'string' ? e.message : String(err);
  const why = typeof e?.cause?.code === 'string' ? e.cause.code : typeof e?.cause?.message === 'string' ? e.cause.message : undefined;
  return (why ? `${base} (${why})` : base).split('\n')[0] ?? 'error';
}
