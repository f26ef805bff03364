import { createPagerDutyClient } from '../../../src/triggers/pagerduty/pagerduty-client.js';
import { PagerDutyApiError } from '../../../src/triggers/pagerduty/pagerduty-api-error.js';
import { startFakePagerDutyApi, type FakePagerDutyApi } from '../../fakes/pagerduty-api.js';

let api: FakePagerDutyApi;
beforeEach(async () => { api = await startFakePagerDutyApi(); });
afterEach(async () => { await api.close(); });

async function failure(p: Promise<unknown>): Promise<PagerDutyApiError> {
  try { await p; } catch (e) { if (e instanceof PagerDutyApiError) return e; throw e; }
  throw new Error('expected a PagerDutyApiError');
}

describe('PagerDuty REST client (openapi-fetch, types from openapi/pagerduty.yaml)', () => {
  test('firstAlert asks for the oldest alert, with the token and the v2 Accept header', async () => {
    const id = api.loadAlerts('alerts-cloudwatch-lambda-alarm.json');
    const client = createPagerDutyClient({ token: api.token, fromEmail: api.fromEmail, baseUrl: api.url });
    const alert = await client.firstAlert(id);
    expect(alert?.id).toBe('Q0ALRTLMB00001');
    expect((alert?.body?.details as { AlarmName?: string }).AlarmName).toBe('checkout-fn-errors');
    const [req] = api.requests;
    expect(req).toMatchObject({ method: 'GET', path: `/incidents/${id}/alerts` });
    expect(Object.fromEntries(req!.query)).toEqual({ limit: '1', sort_by: 'created_at:asc' });
    expect(req!.headers.authorization).toBe(`Token token=${api.token}`);
    expect(req!.headers.accept).toBe('application/vnd.pagerduty+json;version=2');
    expect(await client.firstAlert('QNOALERTS')).toBeUndefined();
  });

  test('createNote posts {note:{content}} with From, Authorization and Accept', async () => {
    const client = createPagerDutyClient({ token: api.token, fromEmail: api.fromEmail, baseUrl: `${api.url}/` });
    expect(await client.createNote('Q2K8ZPL9AB3CDE', 'why137: cgroup_oom\nSlack thread: https://x')).toEqual({ id: 'PNOTE001' });
    expect(api.notes).toEqual([{ incidentId: 'Q2K8ZPL9AB3CDE', content: 'why137: cgroup_oom\nSlack thread: https://x', from: api.fromEmail }]);
    const req = api.requests[0]!;
    expect(req.path).toBe('/incidents/Q2K8ZPL9AB3CDE/notes');
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(req.body)).toEqual({ note: { content: 'why137: cgroup_oom\nSlack thread: https://x' } });
  });

  test('errors are one line with the status, what PagerDuty said and where to fix it; 429 keeps Retry-After', async () => {
    const bad = createPagerDutyClient({ token: 'wrong', fromEmail: api.fromEmail, baseUrl: api.url });
    const e401 = await failure(bad.getIncident('Q1'));
    expect(e401.code).toBe('why137_pagerduty_failed');
    expect(e401.message).toBe('PagerDuty GET /incidents/Q1: 401 Unauthorized; expected PAGERDUTY_API_TOKEN to be a valid REST API key (Integrations → API Access Keys)');
    expect(e401.retryable).toBe(false);

    const noFrom = createPagerDutyClient({ token: api.token, fromEmail: 'nobody@example.com', baseUrl: api.url });
    const e400 = await failure(noFrom.createNote('Q1', 'x'));
    expect(e400.message).toBe('PagerDuty POST /incidents/Q1/notes: 400 Invalid Input Provided: A valid `From` header is required (the email of a user in the account); expected PAGERDUTY_FROM_EMAIL to be the email of a PagerDuty user');

    api.fault({ path: /alerts$/, status: 429, retryAfterSeconds: 2, times: 1 });
    const client = createPagerDutyClient({ token: api.token, fromEmail: api.fromEmail, baseUrl: api.url });
    const e429 = await failure(client.firstAlert('Q1'));
    expect(e429).toMatchObject({ status: 429, retryAfterMs: 2000, retryable: true });
  });

  test('no answer in time, or nothing listening: one line naming the URL, retryable', async () => {
    api.fault({ path: /alerts$/, delayMs: 500 });
    const slow = createPagerDutyClient({ token: api.token, fromEmail: api.fromEmail, baseUrl: api.url, timeoutMs: 50 });
    const timeout = await failure(slow.firstAlert('Q1'));
    expect(timeout.message).toBe(`PagerDuty GET /incidents/Q1/alerts: no answer in 50 ms; expected ${api.url} to be reachable`);
    expect(timeout.retryable).toBe(true);
    const closed = await startFakePagerDutyApi();
    await closed.close();
    const down = createPagerDutyClient({ token: api.token, fromEmail: api.fromEmail, baseUrl: closed.url });
    expect((await failure(down.firstAlert('Q1'))).message).toBe(`PagerDuty GET /incidents/Q1/alerts: fetch failed (ECONNREFUSED); expected ${closed.url} to be reachable`);
  });
});
