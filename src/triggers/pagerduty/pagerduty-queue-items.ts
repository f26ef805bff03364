import type { PagerDutyIncidentRef } from './pagerduty-incident-ref.js';
import type { PagerDutyWebhookEvent } from './pagerduty-webhook-event.js';

/** A delivery waiting in the `pagerduty.event` queue. */
export interface QueuedEvent {
  event: PagerDutyWebhookEvent['event'];
  receivedAt: string;
}

/** A diagnosis waiting for a runbook slot in the `pagerduty.run` queue. */
export interface QueuedRun {
  incidentId: string;
  pagerduty: PagerDutyIncidentRef;
}

/** A note waiting in the `pagerduty.note` queue. */
export interface QueuedNote {
  incidentId: string;
  /** The PagerDuty incident the note goes on. */
  pagerdutyId: string;
  content: string;
}
