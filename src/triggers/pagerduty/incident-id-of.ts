import type { PagerDutyWebhookEvent } from './pagerduty-webhook-event.js';

/** The PagerDuty incident an event is about: `data.id` for incident data, `data.incident.id` for notes, responders, status updates. */
export function incidentIdOf(data: PagerDutyWebhookEvent['event']['data']): string | undefined {
  if (data.type === 'incident' && 'id' in data && typeof data.id === 'string') return data.id;
  return (data as { incident?: { id?: string } }).incident?.id;
}
