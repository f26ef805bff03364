import type { KnownBlock } from '@slack/types';
import { alertFields, type AlertFields } from './alert-fields.js';
import { extractTarget, type ExtractResult } from './extract-target.js';
import { incidentIdOf } from './incident-id-of.js';
import { noTargetMessage } from './no-target-message.js';
import { pagerdutyBackoff } from './pagerduty-backoff.js';
import type { PagerDutyAlert } from './pagerduty-client.js';
import type { PagerDutyDeps } from './pagerduty-deps.js';
import type { PagerDutyIncidentRef } from './pagerduty-incident-ref.js';
import { pagerdutyQueueKinds as kinds } from './pagerduty-queue-kinds.js';
import type { QueuedEvent, QueuedRun } from './pagerduty-queue-items.js';
import type { PagerDutyIncidentData } from './pagerduty-webhook-event.js';
import { retryWithBackoff } from './retry-with-backoff.js';
import { routeService } from './route-service.js';
import { seenFields } from './seen-fields.js';

// Reading the alert is worth a short wait (it is what the target is read from), not a long one.
const FETCH_ATTEMPTS = 3;

export type EventOutcome = 'queued' | 'folded' | 'duplicate' | 'no_target' | 'unrouted' | 'no_incident';

export interface EventHooks {
  /** A trigger was folded into this incident (the thread's count is updated, debounced). */
  folded(incidentId: string): void;
  /** A diagnosis was queued. */
  queued(): void;
  /** "No target found" for this channel; `key` lets repeats of one alert be posted once per window. */
  noTarget(channel: string, key: string, message: { text: string; blocks: KnownBlock[] }): void;
}

/**
 * Turns one accepted delivery into a queued diagnosis or a fold: finds the service's channel and rules,
 * reads the target from the title (rules over the title only) or else from the incident's first alert
 * (fetched from the REST API: v3 webhooks carry the incident, not the alert body), then, in one
 * synchronous step, folds it into a recent incident for the same target in the same channel or creates
 * a why137 incident and queues its diagnosis, and completes the queue item. The incident id is derived
 * from the delivery id, so a delivery processed twice (a crash before `complete`) is recognised.
 */
export async function processPagerDutyEvent(itemId: string, queued: QueuedEvent, deps: PagerDutyDeps, hooks: EventHooks): Promise<EventOutcome> {
  const { store, config, log } = deps;
  const { event } = queued;
  const incidentId = `pd_${event.id}`;
  const done = <T extends EventOutcome>(outcome: T): T => { store.complete(itemId); return outcome; };
  if (store.getIncident(incidentId)) return done('duplicate');

  const pd = await incidentRef(event, deps);
  if (!pd) {
    log.warn({ eventId: event.id, type: event.event_type }, 'pagerduty event names no incident it could read; dropped');
    return done('no_incident');
  }
  const route = routeService(config.pagerduty, { id: pd.serviceId, summary: pd.service });
  if (!route) {
    log.info({ eventId: event.id, service: pd.serviceId, name: pd.service }, 'pagerduty service not in pagerduty.services and no pagerduty.fallbackChannel; ignored');
    return done('unrouted');
  }

  let fields: AlertFields = alertFields(pd.title);
  let result: ExtractResult = extractTarget(fields, config, { rules: route.rules, builtins: route.builtins, titleOnly: true });
  let fetchProblem: string | undefined;
  if (!result.found) {
    if (deps.api) {
      try {
        const alert = await fetchFirstAlert(pd.id, deps);
        fields = alertFields(pd.title, alert);
      } catch (err) {
        fetchProblem = err instanceof Error ? err.message : String(err);
        log.warn({ err, incident: pd.id }, 'pagerduty alert not fetched; reading the title only');
      }
    } else {
      fetchProblem = 'PAGERDUTY_API_TOKEN is not set';
    }
    result = extractTarget(fields, config, { rules: route.rules, builtins: route.builtins });
  }

  // From here on, synchronous: the fold-or-create decision and its writes cannot interleave with another event's.
  if (store.getIncident(incidentId)) return done('duplicate');
  if (!result.found) {
    const detail = `PagerDuty ${pd.id} ${JSON.stringify(pd.title.slice(0, 120))}: no target (${result.tried.join('; ').slice(0, 400) || 'nothing matched'})`;
    store.audit({ actor: 'pagerduty', action: 'no_target', result: 'failed', detail });
    const channel = config.pagerduty.fallbackChannel ?? route.channel;
    hooks.noTarget(channel, `${pd.serviceId ?? pd.service ?? ''}\u0000${pd.title}`, noTargetMessage(pd, seenFields(fields), result.tried, fetchProblem));
    log.info({ incident: pd.id, tried: result.tried }, 'no target found in pagerduty incident');
    return done('no_target');
  }
  const since = new Date(deps.now().getTime() - config.pagerduty.foldWindowMinutes * 60_000).toISOString();
  const recent = store.findRecentIncident(result.target, since);
  if (recent && recent.channel === route.channel) {
    store.foldTrigger(recent.id);
    done('folded');
    hooks.folded(recent.id);
    return 'folded';
  }
  store.createIncident({ id: incidentId, trigger: 'pagerduty', target: result.target, channel: route.channel, status: 'queued', externalId: pd.id });
  store.enqueue(kinds.run, { incidentId, pagerduty: pd } satisfies QueuedRun);
  store.audit({ actor: 'pagerduty', action: 'diagnose', incidentId, result: 'ok', detail: `PagerDuty ${pd.number !== undefined ? `#${pd.number} ` : ''}${pd.id} → ${result.target} (${result.via})` });
  done('queued');
  hooks.queued();
  return 'queued';
}

/** The incident from the event itself, or (for events about a note, a responder, …) from GET /incidents/{id}. */
async function incidentRef(event: QueuedEvent['event'], deps: PagerDutyDeps): Promise<PagerDutyIncidentRef | undefined> {
  const data = event.data;
  if (data.type === 'incident' && typeof (data as { id?: unknown }).id === 'string') {
    const i = data as PagerDutyIncidentData;
    return clean({
      id: i.id, number: i.number ?? undefined, title: i.title, url: i.html_url ?? undefined,
      service: i.service?.summary, serviceId: i.service?.id, urgency: i.urgency ?? undefined,
    });
  }
  const id = incidentIdOf(data);
  if (id === undefined || !deps.api) return undefined;
  const api = deps.api;
  const i = await retryWithBackoff(() => api.getIncident(id), backoff(deps));
  return clean({
    id: i.id, number: i.incident_number, title: i.title ?? i.summary ?? '', url: i.html_url,
    service: i.service?.summary, serviceId: i.service?.id, urgency: i.urgency,
  });
}

function fetchFirstAlert(incidentId: string, deps: PagerDutyDeps): Promise<PagerDutyAlert | undefined> {
  const api = deps.api!;
  return retryWithBackoff(() => api.firstAlert(incidentId), backoff(deps));
}

function backoff(deps: PagerDutyDeps) {
  return pagerdutyBackoff(FETCH_ATTEMPTS, { baseMs: deps.backoff?.baseMs, capMs: deps.backoff?.capMs ?? 5_000 });
}

function clean(ref: PagerDutyIncidentRef): PagerDutyIncidentRef {
  return Object.fromEntries(Object.entries(ref).filter(([, v]) => v !== undefined && v !== null)) as unknown as PagerDutyIncidentRef;
}
