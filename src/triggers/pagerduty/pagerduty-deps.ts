import type { Config } from '../../config/config-schema.js';
import type { Store } from '../../store/store.js';
import type { PagerDutyClient } from './pagerduty-client.js';
import type { PagerDutyLog } from './pagerduty-log.js';
import type { PagerDutySlack } from './pagerduty-slack.js';

/** Everything the PagerDuty trigger uses, injected (tests pass a fake PagerDuty API, a fake Slack, a temp store). */
export interface PagerDutyDeps {
  store: Store;
  config: Config;
  /** The REST API (alerts, notes); undefined without PAGERDUTY_API_TOKEN, and then titles alone are read. */
  api?: PagerDutyClient;
  slack: PagerDutySlack;
  log: PagerDutyLog;
  now(): Date;
  /** Backoff of REST calls and notes (tests shorten it). */
  backoff?: { baseMs?: number; capMs?: number };
}
