import { describeWithComponents } from '../../helpers/component.js';
import { startDockerd, type Dockerd } from '../../helpers/dockerd.js';
import { startHarness, type Harness } from '../../helpers/slack-harness.js';
import type { SlackCall } from '../../fakes/slack-api.js';
import { waitForOomKilled } from '../../helpers/wait-for-oom-killed.js';

const MIB = 1024 * 1024;
const NAME = 'why137-slack-oom';
// Doubles a shell string until the 32 MiB limit is hit (busybox sh, no other tools needed).
const EAT_MEMORY = 'x=0123456789abcdef; while :; do x=$x$x; done';

type Block = { type: string; accessory?: { value?: string; action_id?: string }; elements?: { value?: string; action_id?: string }[]; element?: { initial_value?: string } };
const isVerdict = (c: SlackCall): boolean => ((c.body.blocks as Block[] | undefined) ?? []).some((b) => b.type === 'header');

describeWithComponents('the whole Slack flow on a real dockerd: OOM kill → /why137 → approve → docker update → roll back', ['dockerd', 'docker', 'busybox'], () => {
  let d: Dockerd;
  let h: Harness;
  const docker = async (args: string[]): Promise<string> => {
    const r = await d.docker(args);
    if (r.code !== 0 && args[0] !== 'wait') throw new Error(`docker ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout.trim();
  };
  const limits = async (): Promise<[number, number]> => JSON.parse(await docker(['inspect', '--format', '[{{.HostConfig.Memory}},{{.HostConfig.MemorySwap}}]', NAME])) as [number, number];
  const updates = async (since: number): Promise<number> => {
    const out = await docker(['events', '--since', String(since), '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', `container=${NAME}`, '--filter', 'event=update', '--format', '{{.Action}}']);
    return out.split('\n').filter(Boolean).length;
  };

  beforeAll(async () => {
    d = await startDockerd();
    await docker(['run', '-d', '--name', NAME, '--memory=32m', '--memory-swap=32m', d.image, 'sh', '-c', EAT_MEMORY]);
    await docker(['wait', NAME]);
    await waitForOomKilled(docker, NAME);
    expect(await docker(['inspect', '--format', '{{.State.OOMKilled}} {{.State.ExitCode}}', NAME])).toBe('true 137');
    // Real sources, clients and executors; the docker host is the private dockerd, as DOCKER_HOST names it.
    h = await startHarness({
      configYaml: 'slack:\n  approvers:\n    - match: "docker:*"\n      users: [U0APPROVER, U0APPROVER2]\n',
      env: { DOCKER_HOST: `unix://${d.socket}` },
    });
  });
  afterAll(async () => {
    await h?.close();
    await d?.stop();
  });

  test('diagnose, refuse a bad value in the modal, apply once under concurrent approvals, see the limit change, roll it back', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    await h.command(`docker:${NAME}`, { user: 'U0ONCALL' });
    const verdict = await h.slack.waitFor('chat.update', isVerdict, 60_000);
    expect(JSON.stringify(verdict.body)).toContain('cgroup_oom');
    const button = (verdict.body.blocks as Block[]).find((b) => b.accessory?.action_id?.startsWith('why137_approve'))!.accessory!;
    const record = h.store.getProposal(button.value!)!;
    expect(record.proposal.edit).toMatchObject({ platform: 'docker', memoryBytes: 48 * MIB });
    expect(record.snapshot?.state).toMatchObject({ memoryBytes: 32 * MIB, memorySwapBytes: 32 * MIB });

    await h.click(button.action_id!, button.value!, { user: 'U0APPROVER' });
    const opened = await h.slack.waitFor('views.open');
    expect(((opened.body.view as { blocks: Block[] }).blocks.find((b) => b.type === 'input'))!.element!.initial_value).toBe('48m');

    const bad = await h.submit(record.id, '5m', { user: 'U0APPROVER' });
    expect(JSON.parse(bad.body)).toMatchObject({ response_action: 'errors', errors: { why137_value: expect.stringContaining('at least 6m') } });
    expect(await limits()).toEqual([32 * MIB, 32 * MIB]);

    // A double submit and a second approver at the same moment.
    const answers = await Promise.all([
      h.submit(record.id, '64m', { user: 'U0APPROVER' }),
      h.submit(record.id, '64m', { user: 'U0APPROVER' }),
      h.submit(record.id, '96m', { user: 'U0APPROVER2' }),
    ]);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const applied = await h.slack.waitFor('chat.postMessage', (c) => String(c.body.text).startsWith('✅ Applied'), 60_000);
    const winner = h.store.getProposal(record.id)!;
    expect(winner.status).toBe('executed');
    const want = winner.approver === 'U0APPROVER2' ? 96 * MIB : 64 * MIB;
    expect(await limits()).toEqual([want, want]);

    const rollback = (applied.body.blocks as Block[]).find((b) => b.type === 'actions')!.elements![0]!;
    await h.click(rollback.action_id!, rollback.value!, { user: 'U0APPROVER' });
    await h.slack.waitFor('chat.postMessage', (c) => String(c.body.text).startsWith('↩️ Rolled back'), 60_000);
    expect(await limits()).toEqual([32 * MIB, 32 * MIB]);
    expect(h.store.getProposal(record.id)!.status).toBe('rolled_back');
    // One update to apply, one to roll back: the engine saw exactly two.
    expect(await updates(since)).toBe(2);
    const audit = h.store.listAudit({ proposalId: record.id }).map((a) => [a.action, a.result]);
    expect(audit).toEqual([['approve', 'ok'], ['execute', 'ok'], ['rollback', 'ok']]);
  });
});
