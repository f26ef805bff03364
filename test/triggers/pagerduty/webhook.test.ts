import { startFakePagerDutyApi, type FakePagerDutyApi } from '../../fakes/pagerduty-api.js';
import { fakePagerDutySlack, type FakePagerDutySlack } from '../../helpers/fake-pagerduty-slack.js';
import { OLD_SECRET, SECRET, startPagerDutyHarness, type PagerDutyHarness } from '../../helpers/pagerduty-harness.js';
import { eventId, postSigned, postWebhook, signPagerDuty, webhookFixture, webhookVariant } from '../../helpers/pagerduty-webhooks.js';

let api: FakePagerDutyApi;
let h: PagerDutyHarness;
let slack: FakePagerDutySlack;
const K8S = 'webhook-alertmanager-kubepodcrashlooping.json';

async function start(env: Record<string, string> = {}): Promise<void> {
  h = await startPagerDutyHarness({ apiUrl: api.url, env, slack: (store) => (slack = fakePagerDutySlack(() => store)) });
}
beforeEach(async () => {
  api = await startFakePagerDutyApi();
  api.loadAlerts('alerts-alertmanager-kubepodcrashlooping.json');
});
afterEach(async () => { await h.close(); await api.close(); });

describe('POST /webhooks/pagerduty: signatures', () => {
  beforeEach(() => start());

  test('forged, unsigned and tampered deliveries get 401, nothing of the request echoed, each audited as reject_webhook; nothing runs', async () => {
    const body = webhookFixture(K8S);
    const forged = await postWebhook(h.url, body, { 'x-pagerduty-signature': signPagerDuty(body, 'someone-elses-secret') });
    const unsigned = await postWebhook(h.url, body);
    const tampered = await postWebhook(h.url, body.replace('web-7d9f8b6c5-x2x9k', 'api-0'), { 'x-pagerduty-signature': signPagerDuty(body, SECRET) });
    for (const r of [forged, unsigned, tampered]) {
      expect(r).toEqual({ status: 401, text: '{"error":"why137_webhook_rejected"}' });
    }
    await h.trigger.worker.drain();
    expect(slack.diagnoses).toHaveLength(0);
    expect(api.requests).toHaveLength(0);
    const audit = h.store.listAudit().filter((a) => a.action === 'reject_webhook');
    expect(audit.map((a) => [a.actor, a.result, a.detail.replace(/from \S+, \d+ bytes/, 'from ADDR')])).toEqual([
      ['pagerduty', 'refused', 'no v1 signature matched (1 given, 1 secret); from ADDR'],
      ['pagerduty', 'refused', 'X-PagerDuty-Signature missing; from ADDR'],
      ['pagerduty', 'refused', 'no v1 signature matched (1 given, 1 secret); from ADDR'],
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/web-7d9|KubePodCrashLooping/);
  });

  test('a signed delivery is stored before the 202, answered within a second, and diagnosed once', async () => {
    const t0 = Date.now();
    const r = await postSigned(h.url, webhookFixture(K8S), [SECRET]);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r).toEqual({ status: 202, text: '{"status":"accepted"}' });
    // Recorded already: the same id is a duplicate from now on, whether or not the worker has run.
    expect(h.store.recordEvent('pagerduty', '01HZX4Q8W2B7K9M3N5P6R8T0VA', null)).toBe(false);
    await h.trigger.worker.drain();
    expect(slack.diagnoses.map((d) => [d.incidentId, d.channel])).toEqual([['pd_01HZX4Q8W2B7K9M3N5P6R8T0VA', 'C0K8SPROD']]);
  });

  test('the same event id delivered again (at-least-once) is a 200 and never runs twice', async () => {
    const body = webhookFixture(K8S);
    const answers = await Promise.all([1, 2, 3].map(() => postSigned(h.url, body, [SECRET])));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 202]);
    await h.trigger.worker.drain();
    expect((await postSigned(h.url, body, [SECRET])).text).toBe('{"status":"duplicate"}');
    await h.trigger.worker.drain();
    expect(slack.diagnoses).toHaveLength(1);
    expect(h.store.listIncidents()).toHaveLength(1);
    expect(h.store.listIncidents()[0]!.triggerCount).toBe(1);
  });

  test('event types not configured are acknowledged and ignored; a signed body that is not a v3 event is a 400', async () => {
    expect(await postSigned(h.url, webhookFixture('webhook-incident-acknowledged.json'), [SECRET])).toEqual({ status: 200, text: '{"status":"ignored"}' });
    const junk = '{"messages":[{"event":"incident.trigger"}]}';
    expect((await postSigned(h.url, junk, [SECRET])).status).toBe(400);
    await h.trigger.worker.drain();
    expect(slack.diagnoses).toHaveLength(0);
  });

  test('the listener serves /healthz beside the webhook (the Socket Mode listener serves only these)', async () => {
    const r = await fetch(`${h.url}/healthz`);
    expect(r.status).toBe(200);
    expect((await fetch(`${h.url}/webhooks/pagerduty`)).status).toBe(405);
  });
});

describe('POST /webhooks/pagerduty: secret rotation', () => {
  beforeEach(() => start({ PAGERDUTY_WEBHOOK_SECRET_PREVIOUS: OLD_SECRET }));

  test('signed with the old secret, the new one, or both: accepted; with neither: 401', async () => {
    const body = (n: number) => webhookVariant(K8S, { eventId: eventId(n) });
    expect((await postSigned(h.url, body(1), [OLD_SECRET])).status).toBe(202);
    expect((await postSigned(h.url, body(2), [SECRET])).status).toBe(202);
    expect((await postSigned(h.url, body(3), [OLD_SECRET, SECRET])).status).toBe(202);
    expect((await postSigned(h.url, body(4), ['whsec-retired'])).status).toBe(401);
  });
});
