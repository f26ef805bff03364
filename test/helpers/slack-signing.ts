import { createHmac } from 'node:crypto';
import { request } from 'node:http';

export interface SignOptions {
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Sign with this secret instead (a forged request). */
  secret?: string;
  /** Send this instead of the body that was signed (tampered in transit). */
  tamper?: (rawBody: string) => string;
  /** Leave out the signature headers. */
  unsigned?: boolean;
}

/**
 * Headers exactly as Slack signs a request: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{rawBody}` with
 * the signing secret, in X-Slack-Signature, and the timestamp in X-Slack-Request-Timestamp.
 */
export function slackSignature(secret: string, rawBody: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return { 'x-slack-signature': `v0=${sig}`, 'x-slack-request-timestamp': String(timestamp) };
}

export interface SignedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Wall time from sending to the full response. */
  ms: number;
}

/**
 * POSTs a form-encoded body to the app as Slack does (signed; `retryNum` adds X-Slack-Retry-Num and
 * X-Slack-Retry-Reason as Slack's redeliveries carry them).
 */
export function postSigned(url: string, secret: string, rawBody: string, options: SignOptions & { retryNum?: number } = {}): Promise<SignedResponse> {
  const sent = options.tamper ? options.tamper(rawBody) : rawBody;
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(sent)),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...(options.unsigned ? {} : slackSignature(options.secret ?? secret, rawBody, options.timestamp)),
  };
  if (options.retryNum !== undefined) { headers['x-slack-retry-num'] = String(options.retryNum); headers['x-slack-retry-reason'] = 'http_timeout'; }
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
    });
    req.once('error', reject);
    req.end(sent);
  });
}
