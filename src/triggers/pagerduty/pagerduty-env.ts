/**
 * PagerDuty settings from the environment, never from the file (they are secrets or per-deployment):
 * readConfig copies them, and `createPagerDutyTrigger` checks them at start-up.
 */
export interface PagerDutyEnv {
  /**
   * Signing secrets of the v3 webhook subscription: PAGERDUTY_WEBHOOK_SECRET (comma-separated for a
   * rotation) plus PAGERDUTY_WEBHOOK_SECRET_PREVIOUS. A delivery signed by any of them is accepted.
   */
  webhookSecrets: string[];
  /** PAGERDUTY_API_TOKEN: a REST API key (Integrations → API Access Keys), sent as `Token token=…`. */
  apiToken?: string;
  /** PAGERDUTY_API_URL: the REST API base URL (default https://api.pagerduty.com; tests point it at a fake). */
  apiUrl?: string;
  /** PAGERDUTY_FROM_EMAIL: a PagerDuty user's email, sent as `From` on writes (notes). */
  fromEmail?: string;
}
