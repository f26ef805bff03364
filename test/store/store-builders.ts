import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Verdict } from '../../src/diagnosis/verdict.js';
import type { Proposal } from '../../src/remediation/proposal.js';
import type { Snapshot, Applied } from '../../src/remediation/execute/executor.js';
import type { ProposalRecord } from '../../src/store/store.js';

/** A store file path in a fresh temp directory (the file itself does not exist yet). */
export function tempDbPath(name = 'why137.sqlite'): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'why137-store-')), name);
}

/** A clock the test moves by hand. */
export function manualClock(start = '2025-06-01T12:00:00.000Z'): { now: () => Date; set(iso: string): void; advance(ms: number): void } {
  let t = Date.parse(start);
  return { now: () => new Date(t), set(iso) { t = Date.parse(iso); }, advance(ms) { t += ms; } };
}

export const verdict: Verdict = {
  cause: 'cgroup_oom', confidence: 'high', summary: 'The container used its whole 512 MiB limit and the kernel killed it.',
  evidence: [{ file: 'pod.json', at: 'status.containerStatuses[0].lastState.terminated.reason', claim: 'reason is OOMKilled' }],
  factors: [], next: [], setAside: [], unavailable: [],
  target: { platform: 'kubernetes', namespace: 'shop', pod: 'web-7d9', containerName: 'app' },
  exitCode: 137, peakBytes: 536870912, limitBytes: 536870912,
};

export const proposal: Proposal = {
  id: 'raise_memory_limit:kubernetes:app', action: 'raise_memory_limit', platform: 'kubernetes',
  target: { platform: 'kubernetes', namespace: 'shop', pod: 'web-7d9', containerName: 'app' },
  title: 'Raise the memory limit of app to 768Mi',
  changes: [{ field: 'spec.template.spec.containers[app].resources.limits.memory', before: '512Mi', after: '768Mi' }],
  why: 'The container was OOM-killed at its limit.', risk: 'Uses 256Mi more per pod.',
  command: 'kubectl -n shop set resources deployment/web -c app --limits=memory=768Mi',
  priority: 2, addresses: ['cgroup_oom'], executable: true,
  edit: { platform: 'kubernetes', namespace: 'shop', workload: { kind: 'Deployment', name: 'web' }, container: 'app', limitsMemory: '768Mi' },
};

export const snapshot: Snapshot = { fingerprint: 'rv:12345', state: { 'limits.memory': '512Mi' } };

export const applied: Applied = {
  before: { 'limits.memory': '512Mi' }, after: { 'limits.memory': '768Mi' },
  detail: 'Deployment shop/web: limits.memory 512Mi → 768Mi (rollout started)', undo: { limitsMemory: '512Mi' },
};

/** The input of addProposal for `id` under `incidentId`, created at `createdAt`, open for `ttlMs`. */
export function proposalInput(id: string, incidentId: string, createdAt: string, ttlMs = 15 * 60_000): Omit<ProposalRecord, 'status'> {
  return { id, incidentId, proposal, snapshot, createdAt, expiresAt: new Date(Date.parse(createdAt) + ttlMs).toISOString() };
}
