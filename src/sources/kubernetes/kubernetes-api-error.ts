import { asRecord } from '../../artifacts/kubernetes/as-record.js';

/**
 * An API call the server answered with an error status, in one line: `HTTP 403 Forbidden: pods "x" is forbidden:
 * …` from the API's own Status object (client-node's ApiException puts the body and every response header in
 * its message). `code` keeps the HTTP status, as ApiException does, for the fault classifier; 429 and 503
 * keep the server's Retry-After in `retryAfterSeconds`. `body` and `headers` are the ApiException's, for logs
 * (not `cause`, whose message, the same body and headers, would be appended to the one line).
 */
export class KubernetesApiError extends Error {
  readonly code: number;
  readonly reason?: string;
  readonly retryAfterSeconds?: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  constructor(code: number, body: unknown, headers: Record<string, string> | undefined) {
    const status = asRecord(typeof body === 'string' ? parse(body) : body);
    const reason = typeof status?.reason === 'string' && status.reason !== '' ? status.reason : undefined;
    const said = typeof status?.message === 'string' && status.message !== '' ? status.message : undefined;
    super(`HTTP ${code}${reason ? ` ${reason}` : ''}${said ? `: ${said}` : ''}`.replace(/\s*\n\s*/g, ' '));
    this.name = 'KubernetesApiError';
    this.code = code;
    this.body = body;
    this.headers = headers ?? {};
    if (reason) this.reason = reason;
    const retry = Number(headers?.['retry-after']);
    if (Number.isFinite(retry) && retry >= 0) this.retryAfterSeconds = retry;
  }
}

function parse(s: string): unknown {
  try { return JSON.parse(s); } catch { return undefined; }
}
