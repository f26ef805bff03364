import type { Config } from '../../config/config-schema.js';
import { Why137Error } from '../../errors/why137-error.js';

/** What the PagerDuty trigger needs from the environment, checked. */
export interface PagerDutySettings {
  webhookSecrets: string[];
  apiToken: string;
  fromEmail: string;
  apiUrl: string;
}

const DEFAULT_API_URL = 'https://api.pagerduty.com';
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const SUBSCRIPTION = 'PagerDuty → Integrations → Generic Webhooks (v3)';

/**
 * The PagerDuty settings, or undefined when PagerDuty is not set up at all (no signing secret and no
 * `pagerduty.services`/`fallbackChannel`): then no webhook route is served. Anything half set up stops
 * `why137 serve` with one line naming where the right value is found.
 */
export function pagerdutySettings(config: Config): PagerDutySettings | undefined {
  const env = config.pagerdutyEnv ?? { webhookSecrets: [] };
  const pd = config.pagerduty;
  const routed = pd.services.length > 0 || pd.fallbackChannel !== undefined;
  if (env.webhookSecrets.length === 0 && !routed) return undefined;
  const fail = (message: string): never => { throw new Why137Error('why137_config_invalid', message); };
  if (env.webhookSecrets.length === 0) {
    fail(`PAGERDUTY_WEBHOOK_SECRET is missing: copy the signing secret shown when the v3 webhook subscription was created (${SUBSCRIPTION}); pagerduty.services is set, so webhooks are expected`);
  }
  if (!routed) {
    fail('pagerduty.services is empty and pagerduty.fallbackChannel is unset: every incident would be ignored; map a service to a channel (services: [{ id: PXXXXXX, channel: C0123ABCD }]) or set fallbackChannel');
  }
  const apiToken = env.apiToken?.trim();
  if (!apiToken) {
    fail('PAGERDUTY_API_TOKEN is missing: create a REST API key under PagerDuty → Integrations → API Access Keys (it reads the alert behind an incident and adds the verdict note)');
  }
  const fromEmail = env.fromEmail?.trim();
  if (!fromEmail || !EMAIL.test(fromEmail)) {
    fail(`PAGERDUTY_FROM_EMAIL ${fromEmail ? 'is not an email address' : 'is missing'}: set the email of a PagerDuty user in your account (sent as From when adding notes)`);
  }
  let apiUrl = DEFAULT_API_URL;
  if (env.apiUrl !== undefined) {
    let url: URL | undefined;
    try { url = new URL(env.apiUrl); } catch { /* reported below */ }
    if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password) {
      fail(`PAGERDUTY_API_URL=${JSON.stringify(env.apiUrl.slice(0, 80))} is not an http(s) URL without credentials: expected ${DEFAULT_API_URL}, or unset it`);
    }
    apiUrl = url!.href.replace(/\/+$/, '');
  }
  return { webhookSecrets: env.webhookSecrets, apiToken: apiToken!, fromEmail: fromEmail!, apiUrl };
}
