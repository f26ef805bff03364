import type { Config } from '../../config/config-schema.js';
import type { Route } from '../../server/route.js';
import type { Store } from '../../store/store.js';
import { createPagerDutyClient } from './pagerduty-client.js';
import type { PagerDutyLog } from './pagerduty-log.js';
import { pagerdutySettings } from './pagerduty-settings.js';
import type { PagerDutySlack } from './pagerduty-slack.js';
import { createPagerDutyWebhookRoute } from './pagerduty-webhook-route.js';
import { createPagerDutyWorker, type PagerDutyWorker, type PagerDutyWorkerOptions } from './pagerduty-worker.js';

export interface PagerDutyTriggerOptions extends PagerDutyWorkerOptions {
  config: Config;
  store: Store;
  slack: PagerDutySlack;
  log: PagerDutyLog;
  now?: () => Date;
  /** For the REST client (tests point it at a fake through PAGERDUTY_API_URL instead, so this stays unset). */
  fetch?: (input: Request) => Promise<Response>;
  /** REST and note backoff (tests shorten it). */
  backoff?: { baseMs?: number; capMs?: number };
}

export interface PagerDutyTrigger {
  /** `POST /webhooks/pagerduty`, for the server's route registry. */
  route: Route;
  worker: PagerDutyWorker;
  /** Re-queues what a previous process left, then works the queues. */
  start(): void;
  /** Stops taking work and waits up to `graceMs` for what runs; what is left stays queued for the next start. */
  close(graceMs?: number): Promise<number>;
}

/**
 * The PagerDuty trigger, or undefined when PagerDuty is not set up (see pagerdutySettings; half a
 * set-up throws why137_config_invalid with the fix). `why137 serve` adds `route` to its listener and
 * calls start() once Slack is up, close() on shutdown.
 */
export function createPagerDutyTrigger(o: PagerDutyTriggerOptions): PagerDutyTrigger | undefined {
  const settings = pagerdutySettings(o.config);
  if (!settings) return undefined;
  const now = o.now ?? (() => new Date());
  const api = createPagerDutyClient({ token: settings.apiToken, fromEmail: settings.fromEmail, baseUrl: settings.apiUrl, ...(o.fetch ? { fetch: o.fetch } : {}) });
  const worker = createPagerDutyWorker({ store: o.store, config: o.config, api, slack: o.slack, log: o.log, now, ...(o.backoff ? { backoff: o.backoff } : {}) }, o);
  const route = createPagerDutyWebhookRoute({
    store: o.store, secrets: settings.webhookSecrets, eventTypes: o.config.pagerduty.eventTypes, onQueued: (queued) => worker.kick(queued), log: o.log, now,
  });
  return {
    route,
    worker,
    start: () => worker.start(),
    async close(graceMs = 10_000) {
      worker.stop();
      return worker.idle(graceMs);
    },
  };
}
