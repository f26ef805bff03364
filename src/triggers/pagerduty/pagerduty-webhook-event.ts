import { z } from 'zod';

const reference = z.looseObject({ id: z.string().min(1), type: z.string().optional(), summary: z.string().optional(), html_url: z.string().nullish() });

/** `event.data` when `data.type` is `incident` (incident.triggered, .acknowledged, .reopened, …). */
const incidentData = z.looseObject({
  id: z.string().min(1),
  type: z.literal('incident'),
  title: z.string().default(''),
  html_url: z.string().nullish(),
  number: z.number().nullish(),
  status: z.string().nullish(),
  incident_key: z.string().nullish(),
  urgency: z.string().nullish(),
  created_at: z.string().nullish(),
  service: reference.nullish(),
});

/**
 * A v3 webhook delivery: exactly one event (developer.pagerduty.com, Webhooks → Overview). Only what
 * why137 reads is checked; every other field is kept as sent. `data` is an incident for incident.*
 * events, or an object naming its incident (`data.incident`) for incident.annotated and the like.
 */
export const pagerdutyWebhookEvent = z.looseObject({
  event: z.looseObject({
    id: z.string().min(1).max(200),
    event_type: z.string().min(1).max(200),
    resource_type: z.string().nullish(),
    occurred_at: z.string().nullish(),
    data: z.union([incidentData, z.looseObject({ type: z.string().optional(), incident: reference.optional() })]),
  }),
});

export type PagerDutyWebhookEvent = z.infer<typeof pagerdutyWebhookEvent>;
export type PagerDutyIncidentData = z.infer<typeof incidentData>;
