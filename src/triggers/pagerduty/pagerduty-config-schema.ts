import { z } from 'zod';

/**
 * `pagerduty:` in the config file: which services post where, how a target is read from an incident,
 * storm folding and the runbook cap. Secrets (the webhook signing secret, the REST API token) are
 * never here: they come from PAGERDUTY_WEBHOOK_SECRET and PAGERDUTY_API_TOKEN.
 */

const channel = z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'a Slack channel id such as C0123ABCD (channel name → About → Channel ID; the bot must be a member)');
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function compiles(pattern: string): RegExp | undefined {
  try { return new RegExp(pattern); } catch { return undefined; }
}

export const pagerdutyRuleSchema = z.object({
  /** Where to look: `title`, `body.<path>` (the alert's body) or `custom_details.<path>` (what the monitor sent); `.`-separated, numbers index lists. */
  field: z.string().regex(/^(?:title|(?:body|custom_details)(?:\.[^.\s]+)+)$/, 'title, body.<path> or custom_details.<path> (such as custom_details.firing)'),
  /** A JavaScript regular expression with named groups (`(?<pod>[a-z0-9.-]+)`). */
  pattern: z.string().min(1).refine((p) => compiles(p) !== undefined, 'a valid JavaScript regular expression'),
  /** The target with `{group}` placeholders: `k8s:{namespace}/{pod}`, `ecs:{arn}`, `lambda:{region}/{fn}`. */
  target: z.string().regex(/^[a-z0-9]+:\S+$/, 'a target template such as k8s:{namespace}/{pod}'),
}).strict().superRefine((r, ctx) => {
  const re = compiles(r.pattern);
  if (!re) return;
  const groups = new Set(Object.keys(new RegExp(`${re.source}|`).exec('')?.groups ?? {}));
  for (const [, name] of r.target.matchAll(PLACEHOLDER)) {
    if (!groups.has(name!)) ctx.addIssue({ code: 'custom', path: ['target'], message: `expected a named group (?<${name}>...) in pattern for {${name}}` });
  }
});

export const pagerdutyServiceSchema = z.object({
  /** The PagerDuty service id (P…, from the service's URL). */
  id: z.string().regex(/^P[A-Z0-9]{2,}$/, 'a PagerDuty service id such as PABC123 (from the service URL)').optional(),
  /** Or its name, as PagerDuty shows it (`service.summary` in the webhook). */
  name: z.string().min(1).optional(),
  /** The channel the diagnosis thread is posted in. */
  channel,
  /** Tried in order before the built-in extractors; the first that matches and names a valid target wins. */
  rules: z.array(pagerdutyRuleSchema).default([]),
  /** Whether the built-in extractors (Alertmanager labels, ECS events, CloudWatch alarms, Docker labels, the title) run after the rules. */
  builtins: z.boolean().default(true),
}).strict().refine((s) => s.id !== undefined || s.name !== undefined, { message: 'one of id or name' });

export const pagerdutyConfigSchema = z.object({
  /** Webhook event types that start a diagnosis; others are acknowledged and ignored. */
  eventTypes: z.array(z.string().regex(/^[a-z_]+(?:\.[a-z_]+)+$/, 'a v3 event type such as incident.triggered')).min(1).default(['incident.triggered']),
  services: z.array(pagerdutyServiceSchema).default([]),
  /** Incidents of services not listed are diagnosed here; a target that cannot be found is reported here. */
  fallbackChannel: channel.optional(),
  /** Rules tried for every service after its own (and for the fallback channel). */
  rules: z.array(pagerdutyRuleSchema).default([]),
  /** Triggers for a target that has an incident younger than this fold into its thread. */
  foldWindowMinutes: z.number().positive().max(24 * 60).default(10),
  /** Runbooks running at once; the rest wait in the store (and survive a restart). */
  maxConcurrent: z.number().int().min(1).max(64).default(4),
  /** Attempts at adding the verdict note to the PagerDuty incident (backoff between them). */
  noteAttempts: z.number().int().min(1).max(10).default(5),
}).strict();

export type PagerDutyConfig = z.infer<typeof pagerdutyConfigSchema>;
export type PagerDutyRule = z.infer<typeof pagerdutyRuleSchema>;
export type PagerDutyService = z.infer<typeof pagerdutyServiceSchema>;
