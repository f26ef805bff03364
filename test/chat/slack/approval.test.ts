import { startHarness, type Harness, type HarnessOptions } from '../../helpers/slack-harness.js';
import type { SlackCall } from '../../fakes/slack-api.js';
import { fakeDockerEngine, fakeDockerSources, type FakeDockerEngine } from './docker-fakes.js';

const MIB = 1024 * 1024;
const config = (extra = '', groups = true) => `
slack:
  approvers:
    - match: "docker:**"
      users: [U0APPROVER, U0APPROVER2, U0ASKER]
${groups ? `    - match: "docker:why137-*"
      groups: [S0SRE]` : ''}
  proposalTtlMinutes: 1
${extra}`;

type Block = { type: string; text?: { text: string }; accessory?: { value?: string; action_id?: string }; elements?: { value?: string; action_id?: string }[]; element?: { initial_value?: string } };
const textOf = (c: SlackCall): string => JSON.stringify(c.body);
const isVerdict = (c: SlackCall): boolean => ((c.body.blocks as Block[] | undefined) ?? []).some((b) => b.type === 'header');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('approval and execution through the Slack app (fake Docker engine)', () => {
  let h: Harness;
  let engine: FakeDockerEngine;
  let t: number;

  const start = async (extra = '', options: HarnessOptions = {}, groups = true) => {
    engine = fakeDockerEngine();
    t = Date.now();
    h = await startHarness({ configYaml: config(extra, groups), sources: fakeDockerSources().sources, executors: { docker: engine.executor }, clock: () => new Date(t), ...options });
  };
  /** /why137 docker:why137-oom as `user`; resolves with the proposal id on the verdict's button. */
  const diagnose = async (user = 'U0ASKER'): Promise<{ proposalId: string; incidentId: string }> => {
    const before = h.slack.callsTo('chat.update').filter(isVerdict).length;
    await h.command('docker:why137-oom', { user });
    let verdict: SlackCall | undefined;
    for (let i = 0; i < 200 && !verdict; i++) {
      verdict = h.slack.callsTo('chat.update').filter(isVerdict)[before];
      if (!verdict) await sleep(25);
    }
    const button = (verdict!.body.blocks as Block[]).find((b) => b.accessory?.action_id?.startsWith('why137_approve'))!.accessory!;
    // The thread replies follow the verdict; wait for them so the flow below is not interleaved with them.
    await h.slack.waitFor('chat.postMessage', (c) => String(c.body.text).startsWith('Fixes') && c.body.thread_ts === verdict!.body.ts);
    return { proposalId: button.value!, incidentId: h.store.getProposal(button.value!)!.incidentId };
  };
  const threadPost = (prefix: string) => h.slack.waitFor('chat.postMessage', (c) => String(c.body.text).startsWith(prefix));
  const ephemeralTo = (user: string) => h.slack.waitFor('chat.postEphemeral', (c) => c.body.user === user);
  const idle = () => h.server.close();

  afterEach(async () => { await h.close(); });

  test('the button opens the exact change at once; a bad value is answered in the modal; a good one applies once; Roll back restores it', async () => {
    await start();
    const { proposalId, incidentId } = await diagnose();
    const click = await h.click('why137_approve:0', proposalId, { user: 'U0APPROVER', triggerId: 'trigger-1' });
    expect(click.status).toBe(200);
    const opened = await h.slack.waitFor('views.open');
    expect(opened.body.trigger_id).toBe('trigger-1');
    const view = opened.body.view as { callback_id: string; private_metadata: string; title: { text: string }; blocks: Block[] };
    expect(view.callback_id).toBe('why137_confirm');
    expect(view.private_metadata).toBe(proposalId);
    const shown = JSON.stringify(view.blocks);
    expect(shown).toContain('docker:why137-oom');
    expect(shown).toContain('`HostConfig.Memory`: 32m → *48m*');
    expect(shown).toContain('docker update --memory 48m --memory-swap 48m why137-oom');
    expect(shown).toContain('*Risk*');
    expect(view.blocks.find((b) => b.type === 'input')!.element!.initial_value).toBe('48m');

    const bad = await h.submit(proposalId, '12 apples', { user: 'U0APPROVER' });
    expect(JSON.parse(bad.body)).toEqual({ response_action: 'errors', errors: { why137_value: expect.stringMatching(/12 apples.*docker memory size of at least 6m.*\(why137_[a-z_]+\)$/) } });
    expect(engine.counts.apply).toBe(0);
    expect(h.store.getProposal(proposalId)!.status).toBe('open');

    const good = await h.submit(proposalId, '64m', { user: 'U0APPROVER' });
    expect(good.status).toBe(200);
    expect(good.body).toBe('');
    const applied = await threadPost('✅ Applied by <@U0APPROVER>');
    expect(applied.body.thread_ts).toBe(h.store.getIncident(incidentId)!.threadTs);
    expect(engine.state.memoryBytes).toBe(64 * MIB);
    expect(engine.state.memorySwapBytes).toBe(64 * MIB);
    const rollback = (applied.body.blocks as Block[]).find((b) => b.type === 'actions')!.elements![0]!;
    expect(rollback).toMatchObject({ action_id: 'why137_rollback:0', value: proposalId });
    expect(h.store.getProposal(proposalId)).toMatchObject({ status: 'executed', approver: 'U0APPROVER' });

    await h.click(rollback.action_id!, rollback.value!, { user: 'U0APPROVER2' });
    await threadPost('↩️ Rolled back by <@U0APPROVER2>');
    expect(engine.state.memoryBytes).toBe(32 * MIB);
    expect(h.store.getProposal(proposalId)!.status).toBe('rolled_back');
    expect(engine.counts.apply).toBe(1);
    expect(engine.counts.rollback).toBe(1);
    const audit = h.store.listAudit({ proposalId }).map((a) => [a.actor, a.action, a.result]);
    expect(audit).toEqual([['U0APPROVER', 'approve', 'ok'], ['U0APPROVER', 'execute', 'ok'], ['U0APPROVER2', 'rollback', 'ok']]);
    const exec = h.store.listAudit({ proposalId }).find((a) => a.action === 'execute')!;
    expect(exec.before).toMatchObject({ memoryBytes: 32 * MIB });
    expect(exec.after).toMatchObject({ memoryBytes: 64 * MIB });
  });

  test('someone who is not an approver: an ephemeral refusal, audited, no modal and no change', async () => {
    // Users only: the refusal needs no lookup, so no modal opens at all.
    await start('', {}, false);
    const { proposalId } = await diagnose();
    await h.click('why137_approve:0', proposalId, { user: 'U0INTERN' });
    const refusal = await ephemeralTo('U0INTERN');
    expect(String(refusal.body.text)).toMatch(/^You cannot approve this: <@U0INTERN> is not an approver for docker:why137-oom .*\(why137_approval_refused\)$/);
    // Submitting a modal anyway (forged or stale) is refused the same way.
    await h.submit(proposalId, '48m', { user: 'U0INTERN' });
    await idle();
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
    expect(engine.counts.apply).toBe(0);
    expect(h.store.getProposal(proposalId)!.status).toBe('open');
    expect(h.store.listAudit({ proposalId }).map((a) => [a.actor, a.action, a.result])).toEqual([['U0INTERN', 'approve', 'refused'], ['U0INTERN', 'approve', 'refused']]);
  });

  test('approver groups are read with usergroups.users.list: a member approves; a non-member sees the modal replaced by the refusal', async () => {
    await start();
    h.slack.groups.set('S0SRE', ['U0SRE1']);
    const { proposalId } = await diagnose();
    await h.click('why137_approve:0', proposalId, { user: 'U0OUTSIDER' });
    await h.slack.waitFor('views.open');
    const replaced = await h.slack.waitFor('views.update');
    expect(JSON.stringify(replaced.body.view)).toContain('not an approver');
    expect(String((await ephemeralTo('U0OUTSIDER')).body.text)).toContain('You cannot approve this');
    expect(h.slack.callsTo('usergroups.users.list')[0]!.body.usergroup).toBe('S0SRE');

    await h.click('why137_approve:0', proposalId, { user: 'U0SRE1' });
    await h.submit(proposalId, '48m', { user: 'U0SRE1' });
    await threadPost('✅ Applied by <@U0SRE1>');
    expect(engine.counts.apply).toBe(1);
    expect(h.store.listAudit({ proposalId }).find((a) => a.action === 'approve' && a.result === 'ok')!.detail).toContain('group S0SRE');
  });

  test('two-person rule: the requester cannot approve their own proposal; another approver can', async () => {
    await start('  twoPersonRule: true');
    const { proposalId } = await diagnose('U0ASKER');
    await h.click('why137_approve:0', proposalId, { user: 'U0ASKER' });
    expect(String((await ephemeralTo('U0ASKER')).body.text)).toContain('two-person rule');
    await h.submit(proposalId, '48m', { user: 'U0ASKER' });
    await sleep(100);
    expect(engine.counts.apply).toBe(0);
    await h.submit(proposalId, '48m', { user: 'U0APPROVER' });
    await threadPost('✅ Applied by <@U0APPROVER>');
    expect(engine.counts.apply).toBe(1);
  });

  test('a proposal expires (slack.proposalTtlMinutes): the click is refused, the expiry announced once and audited', async () => {
    await start('', { sweepMs: 50 });
    const { proposalId } = await diagnose();
    t += 61_000;
    await h.click('why137_approve:0', proposalId, { user: 'U0APPROVER' });
    expect(String((await ephemeralTo('U0APPROVER')).body.text)).toMatch(/expired/);
    const announced = await threadPost('⌛');
    expect(JSON.stringify(announced.body.blocks)).toContain('why137_rediagnose');
    await h.submit(proposalId, '48m', { user: 'U0APPROVER' });
    await sleep(200);
    await idle();
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
    expect(engine.counts.apply).toBe(0);
    expect(h.store.getProposal(proposalId)!.status).toBe('expired');
    expect(h.slack.callsTo('chat.postMessage').filter((c) => String(c.body.text).startsWith('⌛'))).toHaveLength(1);
    expect(h.store.listAudit({ proposalId }).map((a) => [a.actor, a.action])).toEqual([['system', 'expire']]);
  });

  test('double clicks and two approvers submitting at the same moment end in one execution', async () => {
    await start();
    engine.applyMs = 300;
    const { proposalId } = await diagnose();
    await Promise.all([h.click('why137_approve:0', proposalId, { user: 'U0APPROVER' }), h.click('why137_approve:0', proposalId, { user: 'U0APPROVER' })]);
    const answers = await Promise.all([
      h.submit(proposalId, '48m', { user: 'U0APPROVER' }),
      h.submit(proposalId, '48m', { user: 'U0APPROVER' }),
      h.submit(proposalId, '64m', { user: 'U0APPROVER2' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await idle();
    expect(engine.counts.apply).toBe(1);
    expect(h.slack.callsTo('chat.postMessage').filter((c) => String(c.body.text).startsWith('✅ Applied'))).toHaveLength(1);
    const audit = h.store.listAudit({ proposalId });
    expect(audit.filter((a) => a.action === 'execute')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'approve' && a.result === 'ok')).toHaveLength(1);
    // The others are told it is taken: in their modal when it was already taken, else ephemerally.
    const inModal = answers.filter((a) => /being applied|already applied/.test(a.body)).length;
    const ephemeral = h.slack.callsTo('chat.postEphemeral').filter((c) => /being applied|already applied/.test(String(c.body.text))).length;
    expect(inModal + ephemeral).toBe(2);
  });

  test('Slack redelivering the submission (X-Slack-Retry-Num) is acked and ignored: one execution, no second answer', async () => {
    await start();
    const { proposalId } = await diagnose();
    await h.submit(proposalId, '48m', { user: 'U0APPROVER', triggerId: 'same-trigger' });
    const again = await h.submit(proposalId, '48m', { user: 'U0APPROVER', triggerId: 'same-trigger', retryNum: 1 });
    expect(again.status).toBe(200);
    await idle();
    expect(engine.counts.apply).toBe(1);
    expect(h.slack.callsTo('chat.postEphemeral')).toHaveLength(0);
    expect(h.logs.some((l) => l.includes('repeat of a request already taken'))).toBe(true);
  });

  test('a target changed since the proposal is refused with a Diagnose again button, which diagnoses afresh', async () => {
    await start();
    const { proposalId, incidentId } = await diagnose();
    engine.state.memoryBytes = 40 * MIB;
    await h.submit(proposalId, '48m', { user: 'U0APPROVER' });
    const refused = await threadPost('⚠️ Not applied');
    expect(String(refused.body.text)).toContain('memoryBytes: 33554432 → 41943040');
    const button = (refused.body.blocks as Block[]).find((b) => b.type === 'actions')!.elements![0]!;
    expect(button).toMatchObject({ action_id: 'why137_rediagnose:0', value: incidentId });
    expect(engine.counts.apply).toBe(0);
    expect(h.store.getProposal(proposalId)!.status).toBe('refused');
    expect(h.store.listAudit({ proposalId }).map((a) => [a.action, a.result])).toEqual([['approve', 'ok'], ['execute', 'refused']]);

    await h.click(button.action_id!, button.value!, { user: 'U0APPROVER' });
    await h.slack.waitFor('chat.update', (c) => isVerdict(c) && c.body.ts !== h.store.getIncident(incidentId)!.messageTs);
    expect(h.store.listIncidents().filter((i) => i.target === 'docker:why137-oom')).toHaveLength(2);
  });

  test('a restart between the verdict and the click loses nothing: the old buttons work and nothing executes twice', async () => {
    await start();
    const { proposalId } = await diagnose();
    await h.restart();
    await h.click('why137_approve:0', proposalId, { user: 'U0APPROVER', triggerId: 'after-restart' });
    expect((await h.slack.waitFor('views.open', (c) => c.body.trigger_id === 'after-restart')).status).toBe(200);
    await h.submit(proposalId, '48m', { user: 'U0APPROVER', triggerId: 'submit-1' });
    const applied = await threadPost('✅ Applied');
    await h.restart();
    // The same submission redelivered after the restart, and a second click: neither executes again.
    await h.submit(proposalId, '48m', { user: 'U0APPROVER', triggerId: 'submit-1', retryNum: 1 });
    const late = await h.submit(proposalId, '48m', { user: 'U0APPROVER2' });
    expect(JSON.parse(late.body)).toEqual({ response_action: 'errors', errors: { why137_value: expect.stringContaining('was already applied by <@U0APPROVER>') } });
    expect(engine.counts.apply).toBe(1);
    const rollback = (applied.body.blocks as Block[]).find((b) => b.type === 'actions')!.elements![0]!;
    await h.click(rollback.action_id!, rollback.value!, { user: 'U0APPROVER' });
    await threadPost('↩️ Rolled back');
    expect(engine.state.memoryBytes).toBe(32 * MIB);
  });
});
