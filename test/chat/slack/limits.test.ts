import type { KnownBlock } from '@slack/types';
import { slackLimits } from '../../../src/chat/slack/blocks/limits.js';
import { verdictBlocks } from '../../../src/chat/slack/blocks/verdict-blocks.js';
import { threadMessages } from '../../../src/chat/slack/blocks/thread-messages.js';
import { confirmModal } from '../../../src/chat/slack/blocks/confirm-modal.js';
import { progressBlocks } from '../../../src/chat/slack/blocks/progress-blocks.js';
import type { Verdict } from '../../../src/diagnosis/verdict.js';
import type { Proposal } from '../../../src/remediation/proposal.js';
import type { ProposalRecord } from '../../../src/store/store.js';

/** Every Block Kit limit why137 relies on, checked over a message's or modal's blocks. */
function expectWithinLimits(blocks: KnownBlock[], maxBlocks = 50): void {
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  const texts: string[] = [];
  for (const b of blocks as Record<string, any>[]) {
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
    if (b.type === 'section') {
      if (b.text) { expect(b.text.text.length).toBeLessThanOrEqual(3000); expect(b.text.text.length).toBeGreaterThan(0); texts.push(b.text.text); }
      if (b.fields) { expect(b.fields.length).toBeLessThanOrEqual(10); for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(2000); }
      if (b.accessory?.type === 'button') checkButton(b.accessory);
    }
    if (b.type === 'actions') { expect(b.elements.length).toBeLessThanOrEqual(25); for (const e of b.elements) if (e.type === 'button') checkButton(e); }
    if (b.type === 'context') { expect(b.elements.length).toBeLessThanOrEqual(10); for (const e of b.elements) expect(e.text.length).toBeLessThanOrEqual(3000); }
    if (b.type === 'input') { expect(b.label.text.length).toBeLessThanOrEqual(2000); if (b.element.initial_value) expect(b.element.initial_value.length).toBeLessThanOrEqual(3000); }
  }
  // A cut never leaves a code block open.
  for (const t of texts) expect((t.split('```').length - 1) % 2).toBe(0);
}
function checkButton(e: Record<string, any>): void {
  expect(e.text.text.length).toBeLessThanOrEqual(75);
  expect(e.value.length).toBeLessThanOrEqual(2000);
  expect(e.action_id.length).toBeLessThanOrEqual(255);
}

const long = (n: number, word = 'memory '): string => word.repeat(Math.ceil(n / word.length)).slice(0, n);

function hugeVerdict(): Verdict {
  const cite = (i: number) => ({ file: `source:docker.inspect/${long(300, 'dir/')}${i}`, at: `line ${i}`, claim: `${long(700)} #fact${i}#`, excerpt: `TOKEN=abc${i} ${long(400)}` });
  return {
    cause: 'cgroup_oom', confidence: 'high', summary: long(10_000, 'It ran out. '),
    evidence: Array.from({ length: 300 }, (_, i) => cite(i)),
    factors: Array.from({ length: 40 }, (_, i) => ({ code: 'near_limit' as const, confidence: 'medium' as const, summary: long(2_000), evidence: [cite(i)] })),
    next: Array.from({ length: 20 }, () => ({ why: long(500), command: `dmesg -T | grep ${long(800, '-e x ')}` })),
    setAside: [], unavailable: Array.from({ length: 30 }, (_, i) => ({ source: `ssh.kernel-log-${i}`, detail: long(600), missing: long(200) })),
    target: { platform: 'docker', containerName: long(500, 'name-'), host: 'h' },
  };
}

function hugeProposal(i: number): Proposal {
  return {
    id: `raise_memory_limit:docker:${i}`, action: 'raise_memory_limit', platform: 'docker', target: { platform: 'docker', containerName: 'c' },
    title: `${long(400, 'Raise the limit ')}${i}`, changes: Array.from({ length: 60 }, (_, j) => ({ field: `HostConfig.Memory${j}`, before: long(100), after: `${j}m` })),
    why: long(5_000), risk: long(5_000), command: `docker update ${long(6_000, '--memory 48m ')}`, priority: i, addresses: ['cgroup_oom'], executable: i < 12,
    edit: { platform: 'docker', container: 'c', memoryBytes: 50331648, memorySwapBytes: 50331648 },
  };
}

describe('Block Kit limits', () => {
  test('truncate cuts visibly with …, never splits an emoji, closes a code block it cut open', () => {
    expect(slackLimits.truncate('short', 10)).toBe('short');
    const cut = slackLimits.truncate(long(5000), 3000);
    expect(cut).toHaveLength(3000);
    expect(cut.endsWith('…')).toBe(true);
    const emoji = slackLimits.truncate('ab😀😀😀', 4);
    expect(emoji).toBe('ab…');
    const code = slackLimits.truncate(`see \`\`\`${long(100)}\`\`\``, 50);
    expect(code.length).toBeLessThanOrEqual(50);
    expect(code.endsWith('…\n```')).toBe(true);
  });

  test('split keeps every character, at most max per piece, each with balanced code blocks', () => {
    const text = `intro\n\`\`\`\n${Array.from({ length: 400 }, (_, i) => `line ${i} ${long(30)}`).join('\n')}\n\`\`\`\nafter`;
    const pieces = slackLimits.split(text, 3000);
    expect(pieces.length).toBeGreaterThan(4);
    for (const p of pieces) { expect(p.length).toBeLessThanOrEqual(3000); expect((p.split('```').length - 1) % 2).toBe(0); }
    const lines = (s: string) => s.split('\n').filter((l) => l.startsWith('line '));
    expect(pieces.flatMap(lines)).toEqual(lines(text));
  });

  test('fitBlocks clamps each block and keeps 50, the last saying how many were left out', () => {
    const blocks: KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: long(200) } },
      { type: 'section', text: { type: 'mrkdwn', text: long(5000) }, fields: Array.from({ length: 12 }, () => ({ type: 'mrkdwn' as const, text: long(2500) })), accessory: { type: 'button', text: { type: 'plain_text', text: long(100) }, value: long(3000), action_id: 'a' } },
      { type: 'context', elements: Array.from({ length: 12 }, () => ({ type: 'mrkdwn' as const, text: long(4000) })) },
      ...Array.from({ length: 60 }, (): KnownBlock => ({ type: 'divider' })),
    ];
    const fitted = slackLimits.fitBlocks(blocks);
    expectWithinLimits(fitted);
    expect(fitted).toHaveLength(50);
    expect(JSON.stringify(fitted[49])).toContain('14 more blocks left out');
    expect((fitted[0] as { text: { text: string } }).text.text.endsWith('…')).toBe(true);
  });

  test('a huge verdict: the message, the thread and the modal stay within every limit and fail nothing', () => {
    const verdict = hugeVerdict();
    const proposals = Array.from({ length: 15 }, (_, i) => hugeProposal(i));
    const buttons = proposals.filter((p) => p.executable).map((proposal, i) => ({ proposal, recordId: `prop_${i}_${long(1980, 'x')}` }));
    const steps = Array.from({ length: 80 }, (_, i) => ({ id: `step-${i}`, source: 'ssh.kernel-log', status: 'failed' as const, fault: 'denied', detail: long(1000) }));
    const progress = { target: `docker:${long(300, 'c')}`, requester: 'U1', runbook: 'docker-container', steps };
    const explanation = { verdict, proposals, inputs: [] };

    expectWithinLimits(progressBlocks(progress));
    const message = verdictBlocks({ progress, explanation, buttons, expiresAt: new Date().toISOString() });
    expectWithinLimits(message);
    expect(message.filter((b) => b.type === 'section' && 'accessory' in b && b.accessory)).toHaveLength(5);
    expect(JSON.stringify(message)).toContain('7 more fixes with buttons in the thread');

    const artifacts = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`artifact-${i}.json`, `PASSWORD=sw0rdfish${i}\n${long(100_000, '{"k": 1}\n')}`]));
    const thread = threadMessages({ explanation, artifacts, buttons, notApplied: [{ proposal: proposals[13]!, why: long(3000) }] });
    expect(thread.length).toBeGreaterThan(3);
    for (const m of thread) { expectWithinLimits(m.blocks); expect(m.text.length).toBeLessThanOrEqual(3000); }
    const all = JSON.stringify(thread);
    // Nothing is dropped: every fact, every artifact and every extra button is somewhere in the thread.
    for (let i = 0; i < 300; i += 37) expect(all.includes(`#fact${i}#`)).toBe(true);
    for (let i = 0; i < 200; i += 23) expect(all.includes(`artifact-${i}.json`)).toBe(true);
    for (const b of buttons.slice(5)) expect(all.includes(b.recordId)).toBe(true);
    expect(/sw0rdfish|TOKEN=abc/.test(all)).toBe(false);

    const record: ProposalRecord = { id: 'prop_1', incidentId: 'inc_1', proposal: { ...proposals[0]!, changes: [{ field: long(3000), before: null, after: long(4000) }, ...proposals[0]!.changes] }, createdAt: new Date().toISOString(), expiresAt: new Date().toISOString(), status: 'open' };
    const modal = confirmModal(record, long(500)) as { title: { text: string }; blocks: unknown[]; private_metadata?: string };
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expectWithinLimits(modal.blocks as KnownBlock[], 100);
    expect(modal.private_metadata).toBe('prop_1');
  });
});
