import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfig } from '../../../src/config/read-config.js';
import { Why137Error } from '../../../src/errors/why137-error.js';
import { pagerdutySettings } from '../../../src/triggers/pagerduty/pagerduty-settings.js';

const dir = mkdtempSync(path.join(tmpdir(), 'why137-pd-cfg-'));
let n = 0;
const file = (text: string): string => { const f = path.join(dir, `c${++n}.yaml`); writeFileSync(f, text); return f; };
function error(fn: () => unknown): Why137Error {
  try { fn(); } catch (e) { if (e instanceof Why137Error) return e; throw e; }
  throw new Error('expected a Why137Error');
}
const ROUTED = 'pagerduty:\n  services:\n    - { id: PK8SPRD, channel: C0K8SPROD }\n';
const ENV = { PAGERDUTY_WEBHOOK_SECRET: 'a', PAGERDUTY_API_TOKEN: 't', PAGERDUTY_FROM_EMAIL: 'bot@example.com' };

describe('pagerduty config', () => {
  test('defaults: incident.triggered, a 10-minute fold window, 4 runbooks at once', () => {
    const c = readConfig({}, file(''));
    expect(c.pagerduty).toEqual({ eventTypes: ['incident.triggered'], services: [], rules: [], foldWindowMinutes: 10, maxConcurrent: 4, noteAttempts: 5 });
    expect(pagerdutySettings(c)).toBeUndefined();
  });

  test('secrets: a comma-separated list plus PAGERDUTY_WEBHOOK_SECRET_PREVIOUS; nothing of it is enumerable', () => {
    const c = readConfig({ ...ENV, PAGERDUTY_WEBHOOK_SECRET: ' s3cr3t-new1 , s3cr3t-new2,', PAGERDUTY_WEBHOOK_SECRET_PREVIOUS: 's3cr3t-prev', PAGERDUTY_API_URL: 'http://127.0.0.1:8080/' }, file(ROUTED));
    expect(pagerdutySettings(c)).toEqual({ webhookSecrets: ['s3cr3t-new1', 's3cr3t-new2', 's3cr3t-prev'], apiToken: 't', fromEmail: 'bot@example.com', apiUrl: 'http://127.0.0.1:8080' });
    expect(JSON.stringify(c)).not.toMatch(/s3cr3t|bot@example/);
    expect(pagerdutySettings(readConfig(ENV, file(ROUTED)))?.apiUrl).toBe('https://api.pagerduty.com');
  });

  test.each([
    [{ ...ENV, PAGERDUTY_WEBHOOK_SECRET: '' }, ROUTED, /^PAGERDUTY_WEBHOOK_SECRET is missing: copy the signing secret shown when the v3 webhook subscription was created/],
    [ENV, '', /^pagerduty\.services is empty and pagerduty\.fallbackChannel is unset/],
    [{ ...ENV, PAGERDUTY_API_TOKEN: '' }, ROUTED, /^PAGERDUTY_API_TOKEN is missing: create a REST API key under PagerDuty → Integrations → API Access Keys/],
    [{ ...ENV, PAGERDUTY_FROM_EMAIL: 'bot' }, ROUTED, /^PAGERDUTY_FROM_EMAIL is not an email address: set the email of a PagerDuty user/],
    [{ ...ENV, PAGERDUTY_API_URL: 'ftp://x' }, ROUTED, /^PAGERDUTY_API_URL="ftp:\/\/x" is not an http\(s\) URL without credentials/],
  ])('half a set-up stops start-up with the fix (%#)', (env, text, message) => {
    const e = error(() => pagerdutySettings(readConfig(env, file(text))));
    expect(e.code).toBe('why137_config_invalid');
    expect(e.message).toMatch(message);
  });

  test.each([
    ['pagerduty:\n  services:\n    - { id: PK8SPRD, channel: general }\n', /^.*: pagerduty\.services\[0\]\.channel: expected a Slack channel id such as C0123ABCD/],
    ['pagerduty:\n  services:\n    - { channel: C0K8SPROD }\n', /pagerduty\.services\[0\]: expected one of id or name/],
    ['pagerduty:\n  rules:\n    - { field: title, pattern: "(?<ns>x)", target: "k8s:{ns}/{pod}" }\n', /pagerduty\.rules\[0\]\.target: expected a named group \(\?<pod>\.\.\.\) in pattern for \{pod\}$/],
    ['pagerduty:\n  maxConcurrent: 0\n', /pagerduty\.maxConcurrent: expected/],
    ['pagerduty:\n  secret: abc\n', /pagerduty\.secret: unknown key; secrets are never inline/],
  ])('bad pagerduty config is one line naming the field (%#)', (text, message) => {
    expect(error(() => readConfig({}, file(text))).message).toMatch(message);
  });
});
