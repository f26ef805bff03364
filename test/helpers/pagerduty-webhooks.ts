import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fixturePath } from './fixture-path.js';

/** `X-PagerDuty-Signature` as PagerDuty computes it: `v1=<hex HMAC-SHA256(secret, body)>` per secret, comma-separated. */
export function signPagerDuty(body: string | Buffer, ...secrets: string[]): string {
  return secrets.map((s) => `v1=${createHmac('sha256', s).update(body).digest('hex')}`).join(',');
}

/** A webhook fixture's exact bytes (test/fixtures/pagerduty/webhook-*.json). */
export function webhookFixture(name: string): string {
  return readFileSync(fixturePath('pagerduty', name), 'utf8');
}

/** A fixture with its event id, incident and title replaced: a new delivery of the same kind. */
export function webhookVariant(name: string, change: { eventId?: string; incidentId?: string; title?: string; serviceId?: string; eventType?: string }): string {
  const json = JSON.parse(webhookFixture(name)) as { event: { id: string; event_type: string; data: { id: string; title: string; self: string; html_url: string; service: { id: string } } } };
  const e = json.event;
  if (change.eventId) e.id = change.eventId;
  if (change.eventType) e.event_type = change.eventType;
  if (change.incidentId) {
    e.data.id = change.incidentId;
    e.data.self = `https://api.pagerduty.com/incidents/${change.incidentId}`;
    e.data.html_url = `https://acme.pagerduty.com/incidents/${change.incidentId}`;
  }
  if (change.title !== undefined) e.data.title = change.title;
  if (change.serviceId) e.data.service.id = change.serviceId;
  return JSON.stringify(json);
}

/** POSTs a delivery as PagerDuty does (keep-alive off: each delivery is its own connection). */
export function postWebhook(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/webhooks/pagerduty`, {
      method: 'POST', agent: false,
      headers: { 'content-type': 'application/json', 'user-agent': 'PagerDuty-Webhook/V3.0', 'content-length': String(Buffer.byteLength(body)), ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A signed delivery. */
export function postSigned(url: string, body: string, secrets: string[]): Promise<{ status: number; text: string }> {
  return postWebhook(url, body, { 'x-pagerduty-signature': signPagerDuty(body, ...secrets), 'x-webhook-id': `wh-${body.length}` });
}

/** A ULID-looking event id (26 Crockford base32 characters) for generated deliveries. */
export function eventId(n: number): string {
  return `01HZX5${n.toString(32).toUpperCase().padStart(20, '0')}`;
}
