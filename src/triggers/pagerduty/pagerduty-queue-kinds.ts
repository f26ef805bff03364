/** The store's durable queue kinds the PagerDuty trigger uses, and the `recordEvent` source for deliveries. */
export const pagerdutyQueueKinds = {
  /** Accepted webhook deliveries waiting to be turned into an incident (or folded into one). */
  event: 'pagerduty.event',
  /** Incidents waiting for a runbook slot (at most pagerduty.maxConcurrent run at once). */
  run: 'pagerduty.run',
  /** Notes waiting to be added to PagerDuty incidents. */
  note: 'pagerduty.note',
  /** `recordEvent(source, event.id)`: a delivery id seen once is never queued again. */
  source: 'pagerduty',
} as const;
