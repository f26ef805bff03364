import type {
  Evidence, LimitsEvidence, PodStatusEvidence, RuntimeSettings, Subject, EcsTaskEvidence, LambdaConfigEvidence,
} from '../../src/diagnosis/evidence.js';
import type { CauseCode, FactorCode, Verdict } from '../../src/diagnosis/verdict.js';
import type { Change, Proposal } from '../../src/remediation/proposal.js';
import type { Edit } from '../../src/remediation/edit.js';
import { plan } from '../../src/remediation/plan.js';

/** Builders for planner tests: verdicts and evidence built directly, no parser involved. */
export const MiB = 1024 * 1024;
const cite = { file: 'test', at: 'line 1' };

export function verdict(
  cause: CauseCode,
  target: Verdict['target'],
  extra: { factors?: FactorCode[]; peakBytes?: number; limitBytes?: number; exitCode?: number } = {},
): Verdict {
  const v: Verdict = {
    cause, confidence: 'high', summary: cause, evidence: [],
    factors: (extra.factors ?? []).map((code) => ({ code, confidence: 'high' as const, summary: code, evidence: [] })),
    next: [], setAside: [], unavailable: [], target,
  };
  if (extra.peakBytes !== undefined) v.peakBytes = extra.peakBytes;
  if (extra.limitBytes !== undefined) v.limitBytes = extra.limitBytes;
  if (extra.exitCode !== undefined) v.exitCode = extra.exitCode;
  return v;
}

export function limits(subject: Subject, memoryLimitBytes: number | null, fields: Partial<LimitsEvidence> = {}): LimitsEvidence {
  return { kind: 'limits', cite, subject, scope: 'container', memoryLimitBytes, ...fields };
}

export function runtime(subject: Subject, settings: RuntimeSettings, command?: string[]): Evidence {
  return command ? { kind: 'runtime', cite, subject, settings, command } : { kind: 'runtime', cite, subject, settings };
}

/** Pod-level status: its subject names the pod, not a container (as the pod parser writes it). */
export function pod(subject: Subject, fields: Partial<PodStatusEvidence> = {}): PodStatusEvidence {
  const { containerName: _container, ...podSubject } = subject;
  return { kind: 'pod.status', cite, subject: podSubject, ...fields };
}

export function event(subject: Subject, reason: string, message: string): Evidence {
  return { kind: 'k8s.event', cite, subject, reason, message };
}

export function kernelOom(subject: Subject, anonRssKb: number, fileRssKb = 0, shmemRssKb = 0): Evidence {
  return { kind: 'kernel.oom', cite, subject, scope: 'global', anonRssKb, fileRssKb, shmemRssKb };
}

export function sample(subject: Subject, usedBytes: number): Evidence {
  return { kind: 'memory.sample', cite, subject, usedBytes, metric: 'cgroup usage' };
}

export function escalation(subject: Subject, by: 'dockerd' | 'kubelet' | 'ecs-agent', graceSeconds: number): Evidence {
  return { kind: 'stop.escalation', cite, subject, by, graceSeconds };
}

export function ecsTask(subject: Subject, fields: Partial<EcsTaskEvidence> = {}): EcsTaskEvidence {
  return { kind: 'ecs.task', cite, subject, ...fields };
}

export function lambdaConfig(subject: Subject, memorySizeMb: number, fields: Partial<LambdaConfigEvidence> = {}): LambdaConfigEvidence {
  return { kind: 'lambda.config', cite, subject, functionName: subject.functionName ?? 'fn', memorySizeMb, ...fields };
}

export function invocation(subject: Subject, maxMemoryUsedMb: number, memorySizeMb: number): Evidence {
  return { kind: 'lambda.invocation', cite, subject, maxMemoryUsedMb, memorySizeMb };
}

export function heapAbort(subject: Subject, heapUsedMb?: number): Evidence {
  const e: Evidence = { kind: 'runtime.heap', cite, subject, runtime: 'node', message: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory' };
  return heapUsedMb === undefined ? e : { ...e, heapUsedMb };
}

/** What a table row expects of one proposal; strings in arrays must each be contained. */
export interface Expected {
  id: string;
  executable?: boolean;
  changes?: Change[];
  command?: string[];
  notCommand?: string[];
  why?: string[];
  risk?: string[];
  /** The exact edit an executor would apply; null: none. */
  edit?: Edit | null;
}

export interface Case {
  name: string;
  verdict: Verdict;
  evidence: Evidence[];
  expect: Expected[];
}

/** Runs `plan` and checks the table row: ids in order, priorities 1..n, and each expected detail. */
export function checkCase(c: Case): Proposal[] {
  const proposals = plan(c.verdict, c.evidence);
  expect(proposals.map((p) => p.id)).toEqual(c.expect.map((e) => e.id));
  expect(proposals.map((p) => p.priority)).toEqual(proposals.map((_, i) => i + 1));
  c.expect.forEach((e, i) => {
    const p = proposals[i]!;
    expect(p.id.startsWith(`${p.action}:${p.platform}`)).toBe(true);
    // Executable exactly when there is a complete edit to apply.
    expect({ id: p.id, executable: p.executable, edit: p.edit !== undefined }).toEqual({ id: p.id, executable: p.executable, edit: p.executable });
    if (e.edit !== undefined) expect({ id: p.id, edit: p.edit ?? null }).toEqual({ id: e.id, edit: e.edit });
    if (e.executable !== undefined) expect({ id: p.id, executable: p.executable }).toEqual({ id: e.id, executable: e.executable });
    if (e.changes) expect(p.changes).toEqual(e.changes);
    for (const s of e.command ?? []) expect(p.command).toContain(s);
    for (const s of e.notCommand ?? []) expect(p.command).not.toContain(s);
    for (const s of e.why ?? []) expect(p.why).toContain(s);
    for (const s of e.risk ?? []) expect(p.risk).toContain(s);
  });
  return proposals;
}
