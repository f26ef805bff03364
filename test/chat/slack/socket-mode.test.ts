import { startHarness, type Harness } from '../../helpers/slack-harness.js';
import { FAKE_APP_TOKEN } from '../../fakes/slack-api.js';
import { startFakeSocketMode, type FakeSocketMode } from '../../fakes/slack-socket-mode.js';
import { fakeDockerEngine, fakeDockerSources } from './docker-fakes.js';
import { httpGet } from '../../helpers/http-get.js';

// Status and body only: these tests compare the whole answer.
const get = async (url: string): Promise<{ status: number; body: string }> => { const { status, body } = await httpGet(url); return { status, body }; };

describe('Socket Mode (SLACK_APP_TOKEN set): no public URL, the routes still served over HTTP', () => {
  let h: Harness;
  let socket: FakeSocketMode;

  beforeAll(async () => {
    // The harness's fake Slack must know the socket before the app asks apps.connections.open for it.
    h = await startHarness({
      configYaml: 'slack:\n  approvers: [{ match: "docker:**", users: [U0APPROVER] }]\n',
      sources: fakeDockerSources().sources, executors: { docker: fakeDockerEngine().executor },
      env: { SLACK_APP_TOKEN: FAKE_APP_TOKEN },
      beforeStart: async (slack) => { socket = await startFakeSocketMode(slack); },
    });
    await socket.connected;
  });
  afterAll(async () => { await h.close(); await socket.close(); });

  test('connects with the app token, acks a slash command envelope, diagnoses, and serves /healthz; /slack/events is not served', async () => {
    expect(h.server.mode).toBe('socket');
    expect(h.slack.callsTo('apps.connections.open')[0]!.token).toBe(FAKE_APP_TOKEN);
    const ack = await socket.send('slash_commands', {
      token: 'legacy', team_id: 'T0FAKE', channel_id: 'C0INCIDENT', user_id: 'U0ONCALL', command: '/why137', text: 'help',
      response_url: h.slack.responseUrl('s'), trigger_id: '1.2.abc', api_app_id: 'A0WHY137',
    });
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('/why137 <k8s:ns/pod') });
    await socket.send('slash_commands', {
      token: 'legacy', team_id: 'T0FAKE', channel_id: 'C0INCIDENT', user_id: 'U0ONCALL', command: '/why137', text: 'docker:why137-oom',
      response_url: h.slack.responseUrl('s'), trigger_id: '1.2.def', api_app_id: 'A0WHY137',
    });
    const verdict = await h.slack.waitFor('chat.update', (c) => JSON.stringify(c.body).includes('cgroup_oom'));
    expect(verdict.status).toBe(200);
    expect(await get(`${h.base}/healthz`)).toEqual({ status: 200, body: 'ok' });
    expect((await get(`${h.base}/slack/events`)).status).toBe(404);
  });
});
