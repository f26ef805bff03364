import { startHarness, type Harness } from '../helpers/slack-harness.js';
import { startFakePagerDutyApi, type FakePagerDutyApi } from '../fakes/pagerduty-api.js';
import { SECRET } from '../helpers/pagerduty-harness.js';
import { postSigned, postWebhook, webhookFixture } from '../helpers/pagerduty-webhooks.js';
import { fakeDockerEngine, fakeDockerSources } from '../chat/slack/docker-fakes.js';

const CONFIG = `
docker:
  hosts:
    build-01: { url: "ssh://why137@build-01.internal" }
slack:
  approvers: [{ match: "docker:**", users: [U0APPROVER] }]
pagerduty:
  services:
    - { id: PCIHOST, channel: C0CIHOSTS }
`;

describe('why137 serve with PagerDuty set up: POST /webhooks/pagerduty beside Slack', () => {
  let h: Harness;
  let pd: FakePagerDutyApi;

  beforeAll(async () => {
    pd = await startFakePagerDutyApi();
    h = await startHarness({
      configYaml: CONFIG, sources: fakeDockerSources().sources, executors: { docker: fakeDockerEngine().executor },
      env: { PAGERDUTY_WEBHOOK_SECRET: SECRET, PAGERDUTY_API_TOKEN: pd.token, PAGERDUTY_FROM_EMAIL: pd.fromEmail, PAGERDUTY_API_URL: pd.url },
    });
  });
  afterAll(async () => { await h.close(); await pd.close(); });

  test('a signed delivery is answered 202 and queued; an unsigned one 401 and audited', async () => {
    const body = webhookFixture('webhook-docker-container-exited.json');
    const signed = await postSigned(h.base, body, [SECRET]);
    expect(signed.status).toBe(202);
    const unsigned = await postWebhook(h.base, body);
    expect(unsigned.status).toBe(401);
    expect(unsigned.text).not.toContain('event');
    expect(h.store.listAudit().some((e) => e.action === 'reject_webhook' && e.result === 'refused')).toBe(true);
  });
});

describe('why137 serve without PagerDuty: no webhook route', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ sources: fakeDockerSources().sources }); });
  afterAll(async () => { await h.close(); });

  test('POST /webhooks/pagerduty is a 404', async () => {
    expect((await postWebhook(h.base, '{}')).status).toBe(404);
  });
});
