import { Writable } from 'node:stream';
import { createLogger } from '../../src/server/create-logger.js';
import { createMetrics } from '../../src/server/create-metrics.js';
import { startHarness, SIGNING_SECRET, type Harness } from '../helpers/slack-harness.js';
import { FAKE_BOT_TOKEN } from '../fakes/slack-api.js';
import { startFakePagerDutyApi, type FakePagerDutyApi } from '../fakes/pagerduty-api.js';
import { SECRET } from '../helpers/pagerduty-harness.js';
import { postWebhook, signPagerDuty, webhookFixture } from '../helpers/pagerduty-webhooks.js';
import { fakeDockerEngine, fakeDockerSources } from '../chat/slack/docker-fakes.js';
import { httpGet } from '../helpers/http-get.js';

const CONFIG = `
slack:
  approvers: [{ match: "docker:**", users: [U0APPROVER] }]
pagerduty:
  services:
    - { id: PCIHOST, channel: C0CIHOSTS }
`;

const get = httpGet;

async function until<T>(probe: () => Promise<T>, ok: (t: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const t = await probe();
    if (ok(t) || Date.now() > end) return t;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('logs: secrets never reach a line', () => {
  test('a Slack token, a signing secret, a PagerDuty secret and env values are censored', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(c: Buffer, _e, cb) { lines.push(c.toString('utf8')); cb(); } });
    const log = createLogger('info', sink).child({ incident: 'inc_1' });
    log.info({ token: FAKE_BOT_TOKEN, settings: { signingSecret: SIGNING_SECRET, apiToken: 'u+pdRestKey0000001' }, webhookSecrets: [SECRET], env: { SLACK_SIGNING_SECRET: SIGNING_SECRET } }, 'settings');
    log.warn(`auth failed for ${FAKE_BOT_TOKEN}; SLACK_SIGNING_SECRET=${SIGNING_SECRET}`);
    const all = lines.join('');
    expect(lines).toHaveLength(2);
    for (const secret of [FAKE_BOT_TOKEN, SIGNING_SECRET, SECRET, 'u+pdRestKey0000001']) expect(all).not.toContain(secret);
    expect(lines.every((l) => (JSON.parse(l) as { incident?: string }).incident === 'inc_1')).toBe(true);
  });

  test('metrics registries are per app: two can be created in one process', () => {
    const a = createMetrics();
    const b = createMetrics();
    a.approvals.inc();
    expect(a.registry).not.toBe(b.registry);
  });
});

describe('why137 serve: /metrics, /readyz and incident-bound logs', () => {
  let h: Harness;
  let pd: FakePagerDutyApi;

  beforeAll(async () => {
    pd = await startFakePagerDutyApi();
    h = await startHarness({
      configYaml: CONFIG, sources: fakeDockerSources().sources, executors: { docker: fakeDockerEngine().executor }, authCheckMs: 50,
      env: { PAGERDUTY_WEBHOOK_SECRET: SECRET, PAGERDUTY_API_TOKEN: pd.token, PAGERDUTY_FROM_EMAIL: pd.fromEmail, PAGERDUTY_API_URL: pd.url },
    });
  });
  afterAll(async () => { await h.close(); await pd.close(); });

  test('/readyz is 200 with every check passing', async () => {
    const r = await get(`${h.base}/readyz`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ status: 'ready', checks: { slack: true, store: true, config: true } });
  });

  test('a signed /why137 diagnosis: diagnoses_total by cause, a step histogram sample, every diagnosis log line bound to the incident', async () => {
    expect((await h.command('docker:why137-oom')).status).toBe(200);
    await h.slack.waitFor('chat.update', (c) => JSON.stringify(c.body).includes('cgroup_oom'));
    const m = await until(() => get(`${h.base}/metrics`), (r) => r.body.includes('why137_diagnoses_total{cause="cgroup_oom"} 1'));
    expect(m.status).toBe(200);
    expect(m.type).toContain('text/plain');
    expect(m.body).toContain('why137_diagnoses_total{cause="cgroup_oom"} 1');
    expect(m.body).toMatch(/why137_runbook_step_seconds_count\{source="[^"]+"\} [1-9]/);
    expect(m.body).toContain('process_cpu_user_seconds_total');
    const incident = h.store.listIncidents().find((i) => i.trigger === 'slack')!.id;
    const mine = h.logs.map((l) => JSON.parse(l) as { incident?: string; msg: string }).filter((l) => l.msg === 'runbook step finished' || l.msg === 'verdict posted');
    expect(mine.length).toBeGreaterThan(1);
    expect(mine.every((l) => l.incident === incident)).toBe(true);
  });

  test('a mis-signed PagerDuty webhook is counted as a rejection', async () => {
    const body = webhookFixture('webhook-docker-container-exited.json');
    expect((await postWebhook(h.base, body, { 'x-pagerduty-signature': signPagerDuty(body, 'whsec-not-the-secret') })).status).toBe(401);
    expect((await postWebhook(h.base, body)).status).toBe(401);
    const m = await get(`${h.base}/metrics`);
    expect(m.body).toContain('why137_webhook_rejections_total{reason="signature_mismatch"} 1');
    expect(m.body).toContain('why137_webhook_rejections_total{reason="signature_missing"} 1');
  });

  test('/readyz is 503 naming slack while auth.test fails', async () => {
    h.slack.failOnce('auth.test', { error: 'token_revoked' });
    const r = await until(() => get(`${h.base}/readyz`), (x) => x.status === 503);
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body)).toMatchObject({ status: 'not_ready', failed: ['slack'] });
    expect((await until(() => get(`${h.base}/readyz`), (x) => x.status === 200)).status).toBe(200);
  });

  test('/readyz is 503 naming the store once it cannot be written', async () => {
    h.store.close();
    const r = await get(`${h.base}/readyz`);
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body)).toMatchObject({ status: 'not_ready', failed: ['store'] });
  });
});
