import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bolt from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { pino } from 'pino';
import { readConfig } from '../../../src/config/read-config.js';
import { createSqliteStore } from '../../../src/store/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { loadRunbooks } from '../../../src/runbooks/load-runbooks.js';
import type { Clients } from '../../../src/clients/clients.js';
import { actionIds } from '../../../src/chat/slack/action-ids.js';
import { registerSlackHandlers } from '../../../src/chat/slack/register-slack-handlers.js';
import { createGroupMembers } from '../../../src/chat/slack/approval/group-members.js';
import type { SlackDeps } from '../../../src/chat/slack/slack-deps.js';
import { createHttpServer } from '../../../src/server/create-http-server.js';
import { healthz } from '../../../src/server/routes/healthz.js';
import { createTaskTracker } from '../../../src/server/task-tracker.js';
import { pagerdutyForSlack } from '../../../src/triggers/pagerduty/pagerduty-for-slack.js';
import type { PagerDutyTrigger } from '../../../src/triggers/pagerduty/pagerduty-trigger.js';
import { FAKE_BOT_TOKEN, FAKE_BOT_USER, startFakeSlack, type FakeSlack, type SlackCall } from '../../fakes/slack-api.js';
import { startFakePagerDutyApi, type FakePagerDutyApi } from '../../fakes/pagerduty-api.js';
import { fakeDockerEngine, fakeDockerSources, SECRET_IN_ENV } from '../../chat/slack/docker-fakes.js';
import { fixturePath } from '../../helpers/fixture-path.js';
import { buttonClick } from '../../helpers/slack-payloads.js';
import { postSigned as postSlackSigned } from '../../helpers/slack-signing.js';
import { SECRET } from '../../helpers/pagerduty-harness.js';
import { eventId, postSigned, webhookFixture, webhookVariant } from '../../helpers/pagerduty-webhooks.js';

const SIGNING_SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';
const CONFIG = `
docker:
  hosts:
    build-01: { url: "ssh://why137@build-01.internal" }
slack:
  approvers:
    - match: "docker:**"
      users: [U0APPROVER]
pagerduty:
  services:
    - { id: PCIHOST, channel: C0CIHOSTS }
`;

type Block = { type: string; text?: { text: string }; accessory?: { value?: string; action_id?: string }; elements?: { text?: string }[] };
const blocksOf = (c: SlackCall): Block[] => (c.body.blocks as Block[] | undefined) ?? [];
const isVerdict = (c: SlackCall): boolean => blocksOf(c).some((b) => b.type === 'header');

/**
 * The bot as `why137 serve` assembles it (SlackDeps, the Bolt app on an HTTPReceiver with every Slack
 * handler, one HTTP listener with the route registry), plus the PagerDuty trigger's route and worker,
 * against the fake Slack Web API and the fake PagerDuty API, with the Docker runbook's sources faked.
 */
describe('PagerDuty → the real Bolt app → fake Slack and fake PagerDuty', () => {
  let slack: FakeSlack;
  let pd: FakePagerDutyApi;
  let store: Store;
  let server: Server;
  let trigger: PagerDutyTrigger;
  let base: string;
  let fakes: ReturnType<typeof fakeDockerSources>;
  const shutdown = new AbortController();

  beforeEach(async () => {
    slack = await startFakeSlack();
    pd = await startFakePagerDutyApi();
    pd.loadAlerts('alerts-docker-container-exited.json');
    const dir = mkdtempSync(path.join(tmpdir(), 'why137-pd-bolt-'));
    writeFileSync(path.join(dir, 'why137.yaml'), CONFIG);
    const config = readConfig({
      HOME: dir, SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl,
      PAGERDUTY_WEBHOOK_SECRET: SECRET, PAGERDUTY_API_TOKEN: pd.token, PAGERDUTY_FROM_EMAIL: pd.fromEmail, PAGERDUTY_API_URL: pd.url,
    }, path.join(dir, 'why137.yaml'));
    store = createSqliteStore(path.join(dir, 'why137.sqlite'));
    const logger = pino({ level: 'silent' });
    fakes = fakeDockerSources();
    const realWeb = new bolt.webApi.WebClient(FAKE_BOT_TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    // NOTE: the fake Slack has no chat.getPermalink; the permalink is Slack's documented shape for the message.
    const web = new Proxy(realWeb, {
      get(target, prop, receiver) {
        if (prop !== 'chat') return Reflect.get(target, prop, receiver);
        return new Proxy(target.chat, {
          get(chat, name, r) {
            if (name === 'getPermalink') return async (a: { channel: string; message_ts: string }) => ({ ok: true, channel: a.channel, permalink: `https://fake.slack.test/archives/${a.channel}/p${a.message_ts.replace('.', '')}` });
            return Reflect.get(chat, name, r);
          },
        });
      },
    }) as WebClient;
    const tasks = createTaskTracker(logger);
    const deps: SlackDeps = {
      web, store, config, clients: {} as Clients, sources: fakes.sources,
      runbooks: loadRunbooks({ sources: fakes.sources, userDir: undefined }), executors: { docker: fakeDockerEngine().executor },
      logger, tasks, now: () => new Date(), groupMembers: createGroupMembers(web, () => new Date()),
      newId: (prefix) => `${prefix}_${randomUUID()}`, signal: shutdown.signal,
    };
    const receiver = new bolt.HTTPReceiver({ signingSecret: SIGNING_SECRET, endpoints: '/slack/events', processBeforeResponse: false, logLevel: bolt.LogLevel.ERROR });
    const app = new bolt.App({ receiver, token: FAKE_BOT_TOKEN, botId: 'B0WHY137', botUserId: FAKE_BOT_USER, clientOptions: { slackApiUrl: slack.apiUrl }, convoStore: false, logLevel: bolt.LogLevel.ERROR });
    registerSlackHandlers(app, deps);
    trigger = pagerdutyForSlack(deps, { backoff: { baseMs: 5, capMs: 50 }, pollMs: 100, foldDelayMs: 20 })!;
    server = createHttpServer({ routes: [healthz(), trigger.route], slack: receiver.requestListener, logger });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    trigger.start();
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
    await trigger.close(5_000);
    store.close();
    await slack.close();
    await pd.close();
  });

  test('a PagerDuty incident gets the /why137 thread (progress, verdict, the same buttons), a fold, and a note with the permalink', async () => {
    expect((await postSigned(base, webhookFixture('webhook-docker-container-exited.json'), [SECRET])).status).toBe(202);
    const verdict = await slack.waitFor('chat.update', isVerdict, 15_000);
    await trigger.worker.drain();

    // The first message: progress, in the service's channel, naming the PagerDuty incident (no requester).
    const first = slack.callsTo('chat.postMessage').find((c) => c.body.thread_ts === undefined)!;
    expect(first.body.channel).toBe('C0CIHOSTS');
    expect(blocksOf(first)[0]!.elements![0]!.text).toBe('*why137* `docker:build-01/ci-runner-7` for PagerDuty <https://acme.pagerduty.com/incidents/Q5DKR9BLD01ABC|#4824 Container ci-runner-7 on build-01 exited 137> (ci-hosts) · runbook docker-container');
    const incident = store.listIncidents()[0]!;
    expect(incident).toMatchObject({ id: 'pd_01HZX4T5G0J2K4M6N8P0Q2R4SD', trigger: 'pagerduty', externalId: 'Q5DKR9BLD01ABC', status: 'done', threadTs: first.body.ts ?? incident.threadTs });
    // The verdict replaced it in place, with a button carrying a stored proposal of this incident.
    expect(verdict.body.ts).toBe(incident.messageTs);
    const button = blocksOf(verdict).find((b) => b.accessory?.action_id?.startsWith(actionIds.approve))!;
    const proposal = store.getProposal(button.accessory!.value!)!;
    expect(proposal.incidentId).toBe(incident.id);
    // The thread has the evidence; no secret from the container's environment reached Slack.
    expect(slack.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === incident.threadTs).length).toBeGreaterThan(0);
    expect(JSON.stringify(slack.calls)).not.toContain(SECRET_IN_ENV);

    // The note: the verdict in one line and the thread's permalink.
    const [note] = await pd.waitForNotes(1);
    expect(note!.incidentId).toBe('Q5DKR9BLD01ABC');
    expect(note!.content).toMatch(new RegExp(`^why137 diagnosed docker:build-01/ci-runner-7 \\(${incident.verdict!.cause}\\): ${incident.verdict!.cause}: `));
    expect(note!.content).toContain(`\nSlack thread: https://fake.slack.test/archives/C0CIHOSTS/p${incident.threadTs!.replace('.', '')}`);

    // The same target again within the window: folded into the thread, no second diagnosis.
    pd.setAlerts('Q5DKR9BLD02XYZ', (JSON.parse(readFileSync(fixturePath('pagerduty', 'alerts-docker-container-exited.json'), 'utf8')) as { alerts: unknown[] }).alerts);
    await postSigned(base, webhookVariant('webhook-docker-container-exited.json', { eventId: eventId(1), incidentId: 'Q5DKR9BLD02XYZ' }), [SECRET]);
    await trigger.worker.drain();
    const fold = await slack.waitFor('chat.postMessage', (c) => String(c.body.text).startsWith(':repeat:'));
    expect(fold.body).toMatchObject({ channel: 'C0CIHOSTS', thread_ts: incident.threadTs, text: ':repeat: PagerDuty triggered for `docker:build-01/ci-runner-7` 1 more time: folded into this thread, no new diagnosis.' });
    expect(slack.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === undefined)).toHaveLength(1);

    // The button is the /why137 button: an approver's click opens the confirmation modal for that proposal.
    const click = buttonClick({ actionId: button.accessory!.action_id!, value: proposal.id, user: 'U0APPROVER', channel: 'C0CIHOSTS', messageTs: incident.messageTs!, responseUrl: slack.responseUrl('click') });
    expect((await postSlackSigned(`${base}/slack/events`, SIGNING_SECRET, click)).status).toBe(200);
    const modal = await slack.waitFor('views.open');
    expect(JSON.stringify(modal.body.view)).toContain(proposal.id);
  });

  test('nothing can be read: the message says so in the channel (there is no requester to tell privately), the note too', async () => {
    for (const source of ['docker.inspect', 'docker.events']) fakes.deny.add(source);
    await postSigned(base, webhookFixture('webhook-docker-container-exited.json'), [SECRET]);
    const [note] = await pd.waitForNotes(1);
    await trigger.worker.drain();
    const incident = store.listIncidents()[0]!;
    expect(incident.status).toBe('failed');
    const message = slack.messages.get(incident.messageTs!)!;
    expect(message.channel).toBe('C0CIHOSTS');
    expect(message.text).toMatch(/^why137 cannot read docker:build-01\/ci-runner-7: docker\.inspect denied .*\(why137_source_unavailable\)$/);
    expect(slack.callsTo('chat.postEphemeral')).toHaveLength(0);
    expect(note!.content).toMatch(/^why137 could not diagnose docker:build-01\/ci-runner-7: why137 cannot read docker:build-01\/ci-runner-7: docker\.inspect denied/);
    expect(store.listAudit({ incidentId: incident.id }).map((a) => [a.action, a.result])).toEqual([['diagnose', 'ok'], ['diagnose', 'failed'], ['pagerduty_note', 'ok']]);
  });
});
