import { startHarness, type Harness } from '../../helpers/slack-harness.js';
import type { SlackCall } from '../../fakes/slack-api.js';
import { fakeDockerEngine, fakeDockerSources, SECRET_IN_ENV, type FakeDockerEngine, type FakeDockerSources } from './docker-fakes.js';
import { slashCommand } from '../../helpers/slack-payloads.js';
import { httpGet } from '../../helpers/http-get.js';

const APPROVERS = `
slack:
  approvers:
    - match: "docker:**"
      users: [U0APPROVER]
`;

type Block = { type: string; text?: { text: string }; accessory?: { value?: string; action_id?: string }; elements?: { text?: string; value?: string }[] };
const blocksOf = (c: SlackCall): Block[] => (c.body.blocks as Block[] | undefined) ?? [];
const textOf = (c: SlackCall): string => JSON.stringify(c.body);
const isVerdict = (c: SlackCall): boolean => blocksOf(c).some((b) => b.type === 'header');

// Status and body only: these tests compare the whole answer.
const get = async (url: string): Promise<{ status: number; body: string }> => { const { status, body } = await httpGet(url); return { status, body }; };

describe('/why137 on the real Bolt app against a fake Slack', () => {
  let h: Harness;
  let fakes: FakeDockerSources;
  let engine: FakeDockerEngine;

  beforeEach(async () => {
    fakes = fakeDockerSources();
    engine = fakeDockerEngine();
    h = await startHarness({ configYaml: APPROVERS, sources: fakes.sources, executors: { docker: engine.executor } });
  });
  afterEach(async () => { await h.close(); });

  test('serves /healthz (200 ok) beside Slack, 404 elsewhere, 405 for GET /slack/events', async () => {
    expect(await get(`${h.base}/healthz`)).toEqual({ status: 200, body: 'ok' });
    expect((await get(`${h.base}/nope`)).status).toBe(404);
    expect((await get(`${h.base}/slack/events`)).status).toBe(405);
  });

  test('a bad signature, a stale timestamp (over 5 minutes) or another secret get 401 and do nothing', async () => {
    const body = slashCommand({ text: 'docker:why137-oom' });
    expect((await h.post(body, { secret: '00000000000000000000000000000000' })).status).toBe(401);
    expect((await h.post(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    expect((await h.post(body, { tamper: (raw) => raw.replace('why137-oom', 'why137-oom%3Bevil') })).status).toBe(401);
    expect((await h.post(body, { unsigned: true })).status).toBe(401);
    // Just inside the five minutes is still accepted (the clock skew Slack allows).
    expect((await h.post(slashCommand({ text: 'help' }), { timestamp: Math.floor(Date.now() / 1000) - 4 * 60 })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.slack.callsTo('chat.postMessage').filter((c) => String(c.body.text).includes('why137-oom'))).toHaveLength(0);
  });

  test('help, or nothing, answers the usage with examples ephemerally in the ack itself', async () => {
    for (const text of ['help', '']) {
      const res = await h.command(text);
      expect(res.status).toBe(200);
      const answer = JSON.parse(res.body) as { response_type: string; text: string; blocks: Block[] };
      expect(answer.response_type).toBe('ephemeral');
      expect(answer.text).toContain('/why137 <k8s:ns/pod | ecs:cluster/task | docker:container | lambda:function | help>');
      expect(answer.blocks[0]!.text!.text).toContain('/why137 k8s:shop/checkout');
    }
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  test('a bad target gets one ephemeral line naming the problem, and nothing in the channel', async () => {
    const res = await h.command('docker:bad/name/here', { user: 'U0ASKER' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const eph = await h.slack.waitFor('chat.postEphemeral');
    expect(eph.body.user).toBe('U0ASKER');
    expect(String(eph.body.text)).toMatch(/^target "docker:bad\/name\/here": docker: takes \[host\/\]container, got 3 segments; .*\(why137_target_invalid\)$/);
    expect(String(eph.body.text)).not.toContain('\n');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  test('acks before the runbook finishes, updates the message as each step finishes, ends with the verdict and details in the thread', async () => {
    const release = fakes.hold('docker.events');
    const res = await h.command('docker:why137-oom', { user: 'U0ASKER' });
    // Order, not timing: the HTTP answer came while a step was still held.
    expect(res.status).toBe(200);
    expect(fakes.finished).not.toContain('docker.events');
    const first = await h.slack.waitFor('chat.postMessage');
    expect(textOf(first)).toContain('docker:why137-oom');
    expect(textOf(first)).toContain('waiting');
    // inspect done and kernel-log unavailable while events still runs.
    await h.slack.waitFor('chat.update', (c) => textOf(c).includes('✅ `inspect`') && textOf(c).includes('⚠️ `kernel-log`') && textOf(c).includes('⏳ `events`'));
    expect(fakes.finished).not.toContain('docker.events');
    release();
    const verdict = await h.slack.waitFor('chat.update', isVerdict);
    const ts = String(first.body.ts ?? verdict.body.ts);
    const blocks = blocksOf(verdict);
    expect(blocks.find((b) => b.type === 'header')!.text!.text).toMatch(/^cgroup_oom: /);
    expect(textOf(verdict)).toContain('✅ `events`');
    expect(textOf(verdict)).toMatch(/unavailable \(denied/);
    const button = blocks.find((b) => b.accessory?.action_id?.startsWith('why137_approve'))!.accessory!;
    // The button carries the stored proposal id and nothing else.
    expect(button.value).toMatch(/^prop_[0-9a-f-]{36}$/);
    const record = h.store.getProposal(button.value!)!;
    expect(record.status).toBe('open');
    expect(record.snapshot?.fingerprint).toBe(JSON.stringify(engine.state));
    expect(record.proposal.action).toBe('raise_memory_limit');
    const incident = h.store.getIncident(record.incidentId)!;
    expect(incident).toMatchObject({ target: 'docker:why137-oom', requester: 'U0ASKER', channel: 'C0INCIDENT', status: 'done', messageTs: verdict.body.ts, threadTs: verdict.body.ts });
    expect(incident.verdict?.cause).toBe('cgroup_oom');

    const thread = await h.slack.waitFor('chat.postMessage', (c) => String(c.body.text).startsWith('Fixes and the equivalent commands'));
    const replies = h.slack.callsTo('chat.postMessage').filter((c) => c.body.thread_ts !== undefined);
    expect(replies.every((c) => c.body.thread_ts === thread.body.thread_ts)).toBe(true);
    expect(replies.map((c) => String(c.body.text))).toEqual(['Evidence', 'Raw excerpts (secrets redacted)', 'Fixes and the equivalent commands']);
    expect(textOf(thread)).toContain('docker update --memory');
    expect(textOf(replies[1]!)).toContain('DB_PASSWORD=&lt;redacted&gt;');
    void ts;
    // The password in the container's environment reached neither Slack nor the log.
    expect(h.slack.calls.some((c) => textOf(c).includes(SECRET_IN_ENV))).toBe(false);
    expect(h.logs.some((l) => l.includes(SECRET_IN_ENV))).toBe(false);
    expect(h.store.listAudit({ incidentId: record.incidentId })).toEqual([expect.objectContaining({ actor: 'U0ASKER', action: 'diagnose', result: 'ok' })]);
  });

  test('a target the bot cannot read at all: one ephemeral line, the progress message removed', async () => {
    fakes.deny.add('docker.inspect');
    await h.command('docker:nope', { user: 'U0ASKER' });
    const eph = await h.slack.waitFor('chat.postEphemeral');
    expect(String(eph.body.text)).toMatch(/^why137 cannot read docker:nope: docker\.inspect denied \(.*\); no source could be read, so there is no verdict \(why137_source_unavailable\)$/);
    const del = await h.slack.waitFor('chat.delete');
    expect(h.slack.messages.get(String(del.body.ts))?.deleted).toBe(true);
    expect(h.slack.callsTo('chat.update').some(isVerdict)).toBe(false);
  });

  test('a channel the bot is not in: the answer goes to the response_url, saying how to invite it', async () => {
    h.slack.notInChannel.add('C0PRIVATE');
    await h.command('docker:why137-oom', { channel: 'C0PRIVATE' });
    const answer = await h.slack.waitFor('response_url');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer.body.text)).toContain('/invite @why137');
  });

  test('Slack redelivering the same command (X-Slack-Retry-Num) is acked and ignored: one diagnosis', async () => {
    const body = slashCommand({ text: 'docker:why137-oom', responseUrl: h.slack.responseUrl('x') });
    // Slack redelivers only after the first delivery went unanswered (3 s) or failed: after it, not beside it.
    const a = await h.post(body);
    const b = await h.post(body, { retryNum: 1 });
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.slack.waitFor('chat.update', isVerdict);
    await h.server.close();
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === undefined)).toHaveLength(1);
  });

  test('a 429 on chat.update is waited out (Retry-After) and the update lands; an HTTP 500 on a post is retried', async () => {
    h.slack.rateLimitOnce('chat.update', 1);
    h.slack.failOnce('chat.postMessage', 500);
    await h.command('docker:why137-oom');
    const verdict = await h.slack.waitFor('chat.update', isVerdict);
    const updates = h.slack.callsTo('chat.update');
    const limited = updates.find((c) => c.status === 429)!;
    const next = updates[updates.indexOf(limited) + 1]!;
    expect(next.status).toBe(200);
    expect(next.at - limited.at).toBeGreaterThanOrEqual(950);
    expect(verdict.status).toBe(200);
    const posts = h.slack.callsTo('chat.postMessage');
    expect(posts[0]!.status).toBe(500);
    expect(posts[1]!.status).toBe(200);
    expect(posts[1]!.body.text).toBe(posts[0]!.body.text);
  });
});
