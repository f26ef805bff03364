import { startFakePagerDutyApi, type FakePagerDutyApi } from '../../fakes/pagerduty-api.js';
import { fakePagerDutySlack, type FakePagerDutySlack } from '../../helpers/fake-pagerduty-slack.js';
import { PAGERDUTY_CONFIG, SECRET, startPagerDutyHarness, type PagerDutyHarness } from '../../helpers/pagerduty-harness.js';
import { eventId, postSigned, webhookFixture, webhookVariant } from '../../helpers/pagerduty-webhooks.js';

let api: FakePagerDutyApi;
let h: PagerDutyHarness | undefined;
let slack: FakePagerDutySlack;

async function start(o: { configText?: string; slackDelayMs?: number; fail?: boolean } = {}): Promise<PagerDutyHarness> {
  h = await startPagerDutyHarness({
    apiUrl: api.url, ...(o.configText ? { configText: o.configText } : {}),
    slack: (store) => (slack = fakePagerDutySlack(() => store, { delayMs: o.slackDelayMs ?? 0, ...(o.fail ? { fail: () => true } : {}) })),
  });
  return h;
}
beforeEach(async () => {
  api = await startFakePagerDutyApi();
  for (const f of ['alertmanager-kubepodcrashlooping', 'eventbridge-ecs-task-stopped', 'cloudwatch-lambda-alarm', 'docker-container-exited', 'unmatched-error-rate']) {
    api.loadAlerts(`alerts-${f}.json`);
  }
});
afterEach(async () => { await h?.close(); h = undefined; await api.close(); });

describe('from PagerDuty incident to diagnosis, thread and note', () => {
  test.each([
    ['webhook-alertmanager-kubepodcrashlooping.json', 'Q2K8ZPL9AB3CDE', 'C0K8SPROD', 'k8s:prod-eu/shop/web-7d9f8b6c5-x2x9k/app', 'alertmanager-labels'],
    ['webhook-eventbridge-ecs-task-stopped.json', 'Q3ECS7TASK9XYZ', 'C0ECSPROD', 'ecs:eu-west-1/prod/arn:aws:ecs:eu-west-1:123456789012:task/prod/0f3c8f0b3d8a4b6e9c1d2e3f4a5b6c7d', 'ecs-task-event'],
    ['webhook-cloudwatch-lambda-alarm.json', 'Q4LMBDA3ERR0RS', 'C0LAMBDA1', 'lambda:eu-west-1/checkout-fn', 'cloudwatch-alarm'],
    ['webhook-docker-container-exited.json', 'Q5DKR9BLD01ABC', 'C0CIHOSTS', 'docker:build-01/ci-runner-7', 'docker-labels'],
  ])('%s: the first alert is fetched, the target read, the service\'s channel gets the thread, the incident a note', async (fixture, pdId, channel, target, via) => {
    await start();
    expect((await postSigned(h!.url, webhookFixture(fixture), [SECRET])).status).toBe(202);
    await h!.trigger.worker.drain();

    expect(api.requests.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual([`/incidents/${pdId}/alerts`]);
    expect(slack.diagnoses).toHaveLength(1);
    const d = slack.diagnoses[0]!;
    expect({ channel: d.channel, pd: d.pagerduty.id }).toEqual({ channel, pd: pdId });
    const incident = h!.store.getIncident(d.incidentId)!;
    expect(incident).toMatchObject({ trigger: 'pagerduty', target, channel, externalId: pdId, status: 'done', triggerCount: 1 });
    expect(h!.store.listAudit({ incidentId: d.incidentId }).map((a) => [a.actor, a.action, a.result])).toEqual([['pagerduty', 'diagnose', 'ok'], ['system', 'pagerduty_note', 'ok']]);
    expect(h!.store.listAudit({ incidentId: d.incidentId })[0]!.detail).toContain(`→ ${target} (${via})`);

    const [note] = await api.waitForNotes(1);
    expect(note).toEqual({
      incidentId: pdId, from: 'why137-bot@example.com',
      content: `why137 diagnosed ${target}: cgroup_oom: The container used its whole 512 MiB limit and the kernel killed it.\nSlack thread: https://acme.slack.com/archives/${channel}/p1748779201000100`,
    });
    const post = api.requests.find((r) => r.method === 'POST')!;
    expect(post.headers.authorization).toBe('Token token=u+fakeRestApiKey00001');
    expect(post.headers.accept).toBe('application/vnd.pagerduty+json;version=2');
  });

  test('a rule over the title needs no alert: nothing is fetched', async () => {
    await start();
    const body = webhookVariant('webhook-alertmanager-kubepodcrashlooping.json', { serviceId: 'PRULES1', title: 'OOMKilled shop/web-7d9 (3 restarts)' });
    await postSigned(h!.url, body, [SECRET]);
    await h!.trigger.worker.drain();
    expect(api.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
    expect(slack.diagnoses.map((d) => [d.channel, h!.store.getIncident(d.incidentId)!.target])).toEqual([['C0RULES01', 'k8s:shop/web-7d9']]);
  });

  test('no target: "no target found" in the fallback channel with the fields seen (short, redacted); no diagnosis, no note', async () => {
    await start();
    await postSigned(h!.url, webhookFixture('webhook-unmatched-error-rate.json'), [SECRET]);
    await h!.trigger.worker.drain();
    expect(slack.diagnoses).toHaveLength(0);
    expect(api.notes).toHaveLength(0);
    expect(slack.posts).toHaveLength(1);
    const post = slack.posts[0]!;
    expect(post.channel).toBe('C0FALLBACK');
    expect(post.text).toBe('No target found in PagerDuty incident #4825 High 5xx rate on checkout API: nothing was diagnosed.');
    const blocks = JSON.stringify(post.blocks);
    for (const field of ['custom_details.metric', 'custom_details.dashboard', 'custom_details.api_token', 'no rule or built-in extractor matched']) expect(blocks).toContain(field);
    expect(blocks).toContain('<https://acme.pagerduty.com/incidents/Q6NOTGT5XYZ123|#4825 High 5xx rate on checkout API>');
    expect(blocks).not.toMatch(/xoxb-|eyJhbGci/);
    expect(h!.store.listAudit().map((a) => [a.actor, a.action, a.result])).toEqual([['pagerduty', 'no_target', 'failed']]);

    // The same alert again within the window: counted in the audit, not posted again.
    await postSigned(h!.url, webhookVariant('webhook-unmatched-error-rate.json', { eventId: eventId(7), incidentId: 'Q6NOTGT5XYZ123' }), [SECRET]);
    await h!.trigger.worker.drain();
    expect(slack.posts).toHaveLength(1);
  });

  test('alerts cannot be fetched (PagerDuty 500s): retried, then the title alone is read, and the fallback message says why', async () => {
    api.fault({ path: /\/alerts$/, status: 500 });
    await start();
    await postSigned(h!.url, webhookFixture('webhook-alertmanager-kubepodcrashlooping.json'), [SECRET]);
    await h!.trigger.worker.drain();
    expect(api.requests.filter((r) => r.path.endsWith('/alerts'))).toHaveLength(3);
    expect(slack.diagnoses).toHaveLength(0);
    expect(JSON.stringify(slack.posts[0]!.blocks)).toContain('the alert body could not be fetched: PagerDuty GET /incidents/Q2K8ZPL9AB3CDE/alerts: 500 Internal Server Error');
  });

  test('a failed note is retried with backoff and logged; it never holds the Slack answer or a runbook slot', async () => {
    api.fault({ method: 'POST', path: /\/notes$/, status: 503, times: 2 });
    await start({ configText: `${PAGERDUTY_CONFIG}  maxConcurrent: 1\n` });
    await postSigned(h!.url, webhookFixture('webhook-eventbridge-ecs-task-stopped.json'), [SECRET]);
    await h!.trigger.worker.drain();
    expect(api.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(Array(3).fill('/incidents/Q3ECS7TASK9XYZ/notes'));
    expect(api.notes).toHaveLength(1);

    // Notes that hang do not delay the next diagnosis, even with one runbook slot.
    api.fault({ method: 'POST', path: /\/notes$/, delayMs: 1500 });
    const t0 = Date.now();
    await postSigned(h!.url, webhookFixture('webhook-cloudwatch-lambda-alarm.json'), [SECRET]);
    await postSigned(h!.url, webhookFixture('webhook-docker-container-exited.json'), [SECRET]);
    while (slack.finished.length < 3) await new Promise((r) => setTimeout(r, 10));
    expect(Date.now() - t0).toBeLessThan(1000);
    await h!.trigger.worker.drain();
    expect(api.notes).toHaveLength(3);
  });

  test('a note PagerDuty refuses for good (400: From is not a user) is audited as failed after one attempt; the diagnosis stands', async () => {
    await api.close();
    api = await startFakePagerDutyApi({ fromEmail: 'someone-else@example.com' });
    api.loadAlerts('alerts-cloudwatch-lambda-alarm.json');
    await start();
    await postSigned(h!.url, webhookFixture('webhook-cloudwatch-lambda-alarm.json'), [SECRET]);
    await h!.trigger.worker.drain();
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    const incident = h!.store.listIncidents()[0]!;
    expect(incident.status).toBe('done');
    const noteAudit = h!.store.listAudit({ incidentId: incident.id }).find((a) => a.action === 'pagerduty_note')!;
    expect(noteAudit.result).toBe('failed');
    expect(noteAudit.detail).toMatch(/^PagerDuty POST \/incidents\/Q4LMBDA3ERR0RS\/notes: 400 Invalid Input Provided: A valid `From` header is required/);
  });

  test('a diagnosis that fails still gets a note saying so; the incident is failed', async () => {
    await start({ fail: true });
    await postSigned(h!.url, webhookFixture('webhook-docker-container-exited.json'), [SECRET]);
    await h!.trigger.worker.drain();
    expect(h!.store.listIncidents()[0]!.status).toBe('failed');
    const [note] = await api.waitForNotes(1);
    expect(note!.content).toMatch(/^why137 could not diagnose docker:build-01\/ci-runner-7: why137 cannot read pd_\S+: kubernetes\.pod denied \(why137_source_unavailable\)$/);
  });

  test('services not mapped go to the fallback channel; with no fallback they are ignored', async () => {
    await start();
    await postSigned(h!.url, webhookVariant('webhook-cloudwatch-lambda-alarm.json', { serviceId: 'PNOTMAPPED' }), [SECRET]);
    await h!.trigger.worker.drain();
    expect(slack.diagnoses.map((d) => d.channel)).toEqual(['C0LAMBDA1']); // matched by name (serverless-prod)
    await h!.close();
    await start({ configText: PAGERDUTY_CONFIG.replace('  fallbackChannel: C0FALLBACK\n', '') });
    await postSigned(h!.url, webhookVariant('webhook-docker-container-exited.json', { serviceId: 'PNOTMAPPED' }), [SECRET]);
    await h!.trigger.worker.drain();
    expect(slack.diagnoses).toHaveLength(0);
    expect(slack.posts).toHaveLength(0);
  });

  test('an event about a note (incident.annotated) names its incident: the incident is read with GET /incidents/{id}', async () => {
    await start({ configText: `${PAGERDUTY_CONFIG}  eventTypes: [incident.triggered, incident.annotated]\n` });
    api.setIncident({ id: 'Q5DKR9BLD01ABC', type: 'incident', title: 'Container ci-runner-7 on build-01 exited 137', incident_number: 4824, html_url: 'https://acme.pagerduty.com/incidents/Q5DKR9BLD01ABC', service: { id: 'PCIHOST', type: 'service_reference', summary: 'ci-hosts' } });
    const body = JSON.stringify({ event: { id: '01HZX4Z0ANNOTATED000000001', event_type: 'incident.annotated', resource_type: 'incident', occurred_at: '2025-06-01T12:03:00.000Z', agent: null, client: null,
      data: { incident: { html_url: 'https://acme.pagerduty.com/incidents/Q5DKR9BLD01ABC', id: 'Q5DKR9BLD01ABC', self: 'https://api.pagerduty.com/incidents/Q5DKR9BLD01ABC', summary: 'Container ci-runner-7 on build-01 exited 137', type: 'incident_reference' }, id: 'P2LA89X', content: 'rerun why137 please', trimmed: false, type: 'incident_note' } } });
    expect((await postSigned(h!.url, body, [SECRET])).status).toBe(202);
    await h!.trigger.worker.drain();
    expect(api.requests.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual(['/incidents/Q5DKR9BLD01ABC', '/incidents/Q5DKR9BLD01ABC/alerts']);
    expect(slack.diagnoses.map((d) => [d.channel, d.pagerduty.number])).toEqual([['C0CIHOSTS', 4824]]);
  });
});
