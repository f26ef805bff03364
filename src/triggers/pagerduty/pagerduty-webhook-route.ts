import type { IncomingMessage } from 'node:http';
import type { Route, RouteResponse } from '../../server/route.js';
import type { Store } from '../../store/store.js';
import { incidentIdOf } from './incident-id-of.js';
import type { PagerDutyLog } from './pagerduty-log.js';
import { pagerdutyQueueKinds as kinds } from './pagerduty-queue-kinds.js';
import { pagerdutyWebhookEvent } from './pagerduty-webhook-event.js';
import { verifyPagerDutySignature } from './verify-pagerduty-signature.js';

export interface PagerDutyWebhookRouteDeps {
  store: Store;
  /** Signing secrets; a delivery signed with any of them is accepted. */
  secrets: readonly string[];
  /** Event types that are queued; the rest are answered 200 and dropped. */
  eventTypes: readonly string[];
  /** Called with the queue item after an event was queued (the worker takes it from there). */
  onQueued: (queued: { id: string; payload: unknown }) => void;
  log: PagerDutyLog;
  now?: () => Date;
}

const json = (status: number, body: object): RouteResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * `POST /webhooks/pagerduty` for the server's route registry (served in HTTP and Socket Mode alike; the
 * server hands over the raw body). Verifies X-PagerDuty-Signature first: anything unsigned or mis-signed
 * is a 401 and a reject_webhook audit entry, with nothing of the request echoed. Then stores the event in
 * the durable queue before answering 202, in one synchronous step (well within PagerDuty's 5 s). A
 * delivery id seen before is answered 200 and not queued again (delivery is at-least-once). A store that
 * cannot be written is a 503, which PagerDuty retries.
 */
export function createPagerDutyWebhookRoute(deps: PagerDutyWebhookRouteDeps): Route {
  const { store, log } = deps;
  const types = new Set(deps.eventTypes);
  const now = deps.now ?? (() => new Date());

  return {
    method: 'POST',
    path: '/webhooks/pagerduty',
    handler(req: IncomingMessage, raw: Buffer): RouteResponse {
      const from = req.socket.remoteAddress ?? 'unknown';
      const check = verifyPagerDutySignature(raw, req.headers['x-pagerduty-signature'], deps.secrets);
      if (!check.ok) {
        log.warn({ code: 'why137_webhook_rejected', from }, `pagerduty webhook rejected: ${check.reason}`);
        try {
          store.audit({ actor: 'pagerduty', action: 'reject_webhook', result: 'refused', detail: `${check.reason}; from ${from}, ${raw.length} bytes` });
        } catch (err) { log.error({ err }, 'audit of a rejected webhook failed'); }
        return json(401, { error: 'why137_webhook_rejected' });
      }
      let body: unknown;
      try { body = JSON.parse(raw.toString('utf8')); } catch { body = undefined; }
      const parsed = pagerdutyWebhookEvent.safeParse(body);
      if (!parsed.success) {
        log.warn({ code: 'why137_webhook_rejected', from }, 'pagerduty webhook refused: signed, but not a v3 event ({"event":{"id","event_type","data"}})');
        return json(400, { error: 'expected a PagerDuty v3 webhook event' });
      }
      const event = parsed.data.event;
      if (!types.has(event.event_type)) return json(200, { status: 'ignored' });
      let fresh: boolean;
      let queued: { id: string; payload: unknown };
      try {
        // Queued first, recorded second, in one synchronous step: a crash between the two can only leave a
        // queued event that PagerDuty also redelivers, which processing recognises (its incident id is the event's).
        const payload = { event, receivedAt: now().toISOString() };
        queued = { id: store.enqueue(kinds.event, payload), payload };
        fresh = store.recordEvent(kinds.source, event.id, { type: event.event_type, incident: incidentIdOf(event.data) ?? null });
        if (!fresh) store.complete(queued.id);
      } catch (err) {
        log.error({ err, eventId: event.id }, 'pagerduty webhook not stored; answering 503 so PagerDuty retries');
        return json(503, { error: 'store unavailable' });
      }
      if (fresh) deps.onQueued(queued);
      return json(fresh ? 202 : 200, { status: fresh ? 'accepted' : 'duplicate' });
    },
  };
}
