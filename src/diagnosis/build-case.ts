import type { Case } from './case.js';
import type { ContainerStateEvidence, Evidence, KernelOomEvidence, LimitsEvidence, Platform, Subject } from './evidence.js';
import { ofKind } from './evidence.js';
import { lastSegment, sameContainerId, sameUid } from './identity.js';
import { describeCgroup } from './describe-cgroup.js';
import { toEpochMs } from './time.js';

// A kernel line with no cgroup to tie it is only considered near an exit within this window:
// dmesg -T clocks drift from wall time over uptime, so minutes, not seconds.
const UNTIED_WINDOW_BEFORE_MS = 10 * 60_000;
const UNTIED_WINDOW_AFTER_MS = 60_000;

/** Joins evidence from every input about one incident into the Case of the workload that died. */
export function buildCase(all: Evidence[]): Case {
  const states = ofKind(all, 'container.state');
  const judged = pickJudged(states);
  const platform = pickPlatform(all, judged);
  const target: Subject = { ...(judged?.subject ?? {}), platform: platform === 'unknown' ? undefined : platform } as Subject;
  if (!judged) fillTargetWithoutState(all, target);

  const pod = ofKind(all, 'pod.status').find((p) => samePod(p.subject, target));
  if (pod && !target.node && pod.subject.node) target.node = pod.subject.node;
  if (pod && !target.podUid && pod.subject.podUid) target.podUid = pod.subject.podUid;
  const task = ofKind(all, 'ecs.task').find((t) => sameTask(t.subject, target));
  if (task && !target.cluster && task.subject.cluster) target.cluster = task.subject.cluster;
  if (task && !target.taskDefinition && task.subject.taskDefinition) target.taskDefinition = task.subject.taskDefinition;

  const targetStates = judged ? states.filter((s) => sameContainer(s.subject, target)) : [];
  const containerIds = [...new Set(targetStates.map((s) => s.subject.containerId).filter((x): x is string => !!x))];
  const otherIds = states.filter((s) => !targetStates.includes(s)).map((s) => s.subject.containerId).filter((x): x is string => !!x);

  const c: Case = {
    platform, target, judged, states: targetStates, containerIds,
    groupLimits: [], events: [], nodeEvents: [], kernelOoms: [], untiedOoms: [], escalations: [], dockerEvents: [],
    invocations: [], lambdaErrors: [], heapErrors: [], samples: [], unavailable: [], setAside: [], all,
  };

  for (const e of all) {
    if (otherTaskDefinition(e.subject, target) && !c.setAside.some((x) => x.cite.file === e.cite.file)) {
      c.setAside.push({ cite: e.cite, why: `task definition ${e.subject.taskDefinition} is not the one task ${target.taskId ?? ''} ran (${target.taskDefinition})`.replace('  ', ' ') });
    }
  }
  const limits = ofKind(all, 'limits').filter((l) => belongsToWorkload(l.subject, target));
  c.containerLimits = pickContainerScoped(limits.filter((l) => l.scope === 'container'), target);
  c.groupLimits = limits.filter((l) => l.scope !== 'container' && l.scope !== 'host');
  c.runtime = pickContainerScoped(ofKind(all, 'runtime').filter((r) => belongsToWorkload(r.subject, target)), target);
  c.pod = pod;
  for (const ev of ofKind(all, 'k8s.event')) {
    if (ev.involvedKind === 'Node' || (ev.subject.node && !ev.subject.pod)) {
      if (!target.node || !ev.subject.node || ev.subject.node === target.node) c.nodeEvents.push(ev);
    } else if (belongsToWorkload(ev.subject, target) && (!ev.subject.containerName || !target.containerName || ev.subject.containerName === target.containerName)) {
      c.events.push(ev);
    }
  }
  c.node = ofKind(all, 'node').find((n) => !target.node || n.name === target.node);
  c.kernelCoverage = ofKind(all, 'log.coverage').find((l) => l.log === 'kernel');
  c.escalations = ofKind(all, 'stop.escalation').filter((e) => belongsToWorkload(e.subject, target) && matchesContainer(e.subject, c));
  c.dockerEvents = ofKind(all, 'docker.event').filter((e) => !e.subject.containerId || matchesContainer(e.subject, c));
  c.ecsTask = task;
  c.lambdaConfig = ofKind(all, 'lambda.config').find((l) => !target.functionName || l.functionName === target.functionName);
  c.invocations = ofKind(all, 'lambda.invocation').filter((e) => belongsToWorkload(e.subject, target));
  c.lambdaErrors = ofKind(all, 'lambda.error').filter((e) => belongsToWorkload(e.subject, target));
  c.heapErrors = ofKind(all, 'runtime.heap').filter((e) => belongsToWorkload(e.subject, target));
  c.samples = ofKind(all, 'memory.sample').filter((e) => belongsToWorkload(e.subject, target));
  c.unavailable = ofKind(all, 'source.unavailable');

  for (const oom of ofKind(all, 'kernel.oom')) {
    const verdict = tieOom(oom, c, otherIds);
    if (verdict === 'tied') c.kernelOoms.push(oom);
    else if (verdict === 'untied') c.untiedOoms.push(oom);
    else c.setAside.push({ cite: oom.cite, why: verdict });
  }
  return c;
}

function score(s: ContainerStateEvidence): number {
  let n = 0;
  if (s.oomKilled) n = 100;
  else if (s.exitCode === 137) n = 90;
  else if (s.exitCode === 134 || s.exitCode === 139) n = 60;
  else if (s.exitCode !== undefined && s.exitCode !== 0 && s.exitCode !== 143) n = 50;
  else if (s.exitCode === 143) n = 40;
  else if (s.exitCode === 0) n = 10;
  return n;
}

function pickJudged(states: ContainerStateEvidence[]): ContainerStateEvidence | undefined {
  let best: ContainerStateEvidence | undefined;
  for (const s of states) {
    if (!best) { best = s; continue; }
    const d = score(s) - score(best);
    if (d > 0 || (d === 0 && (toEpochMs(s.finishedAt) ?? 0) > (toEpochMs(best.finishedAt) ?? 0))) best = s;
  }
  return best;
}

function pickPlatform(all: Evidence[], judged?: ContainerStateEvidence): Platform | 'unknown' {
  if (judged?.subject.platform) return judged.subject.platform;
  const kinds = new Set(all.map((e) => e.kind));
  if (kinds.has('lambda.config') || kinds.has('lambda.invocation') || kinds.has('lambda.error')) return 'lambda';
  if (kinds.has('ecs.task')) return 'ecs';
  if (kinds.has('pod.status')) return 'kubernetes';
  if (kinds.has('kernel.oom') || kinds.has('log.coverage') || kinds.has('stop.escalation')) return 'host';
  const p = all.find((e) => e.subject.platform)?.subject.platform;
  return p ?? 'unknown';
}

function fillTargetWithoutState(all: Evidence[], target: Subject): void {
  const fn = ofKind(all, 'lambda.config')[0]?.functionName ?? all.find((e) => e.subject.functionName)?.subject.functionName;
  if (fn) target.functionName = fn;
  const pod = ofKind(all, 'pod.status')[0];
  if (pod) Object.assign(target, { pod: pod.subject.pod, namespace: pod.subject.namespace, podUid: pod.subject.podUid, node: pod.subject.node });
  const task = ofKind(all, 'ecs.task')[0];
  if (task) Object.assign(target, { taskArn: task.subject.taskArn, taskId: task.subject.taskId, cluster: task.subject.cluster });
  if (!target.host) { const h = all.find((e) => e.subject.host)?.subject.host; if (h) target.host = h; }
}

function samePod(s: Subject, t: Subject): boolean {
  if (s.podUid && t.podUid) return sameUid(s.podUid, t.podUid);
  if (s.pod && t.pod) return s.pod === t.pod && (s.namespace ?? 'default') === (t.namespace ?? 'default');
  return !t.pod && !t.podUid;
}

function sameTask(s: Subject, t: Subject): boolean {
  const a = s.taskId ?? lastSegment(s.taskArn);
  const b = t.taskId ?? lastSegment(t.taskArn);
  return !a || !b || a === b;
}

function otherTaskDefinition(s: Subject, t: Subject): boolean {
  return !!s.taskDefinition && !!t.taskDefinition && s.taskDefinition !== t.taskDefinition;
}

/** Same pod / task / function / docker container as the target (any container of it). */
function belongsToWorkload(s: Subject, t: Subject): boolean {
  if (otherTaskDefinition(s, t)) return false;
  if ((s.pod || s.podUid) && (t.pod || t.podUid) && !samePod(s, t)) return false;
  if (!sameTask(s, t)) return false;
  if (s.functionName && t.functionName && s.functionName !== t.functionName) return false;
  if (t.platform === 'docker' && s.containerId && t.containerId && !sameContainerId(s.containerId, t.containerId)) return false;
  return true;
}

/** Same container of the workload (by name inside a pod/task, or by id). */
function sameContainer(s: Subject, t: Subject): boolean {
  if (!belongsToWorkload(s, t)) return false;
  if (s.containerName && t.containerName) return s.containerName === t.containerName;
  if (s.containerId && t.containerId) return sameContainerId(s.containerId, t.containerId);
  return true;
}

function pickContainerScoped<T extends { subject: Subject }>(items: T[], t: Subject): T | undefined {
  const named = items.filter((i) => sameContainer(i.subject, t));
  return named[0] ?? (items.length === 1 && !t.containerName ? items[0] : undefined);
}

function matchesContainer(s: Subject, c: Case): boolean {
  if (!s.containerId) return !s.containerName || !c.target.containerName || s.containerName === c.target.containerName;
  return c.containerIds.some((id) => sameContainerId(id, s.containerId)) || (c.containerIds.length === 0 && !c.target.containerId);
}

/** Decides whether a kernel OOM kill is about the target: 'tied', 'untied' (could be), or why it was set aside. */
function tieOom(oom: KernelOomEvidence, c: Case, otherIds: string[]): 'tied' | 'untied' | string {
  const s = oom.subject;
  const t = c.target;
  const what = `kernel OOM kill of ${oom.process ?? 'a process'}${oom.pid ? ` (pid ${oom.pid})` : ''}`;
  if (c.platform === 'host' || c.platform === 'unknown') {
    if (t.host && s.host && t.host !== s.host) return `${what} was logged by host ${s.host}, not ${t.host}`;
    return 'tied';
  }
  const where = oom.taskCgroup ?? oom.limitCgroup;
  const elsewhere = `${what} in ${where ? describeCgroup(where) : 'another cgroup'} is about another workload, not ${targetName(c)}`;
  const cpusetId = oom.cpuset && /[0-9a-f]{64}/.exec(oom.cpuset)?.[0];
  const oomIds = [s.containerId, cpusetId].filter((x): x is string => !!x);
  if (oomIds.length > 0) {
    if (oomIds.some((id) => c.containerIds.some((mine) => sameContainerId(mine, id)))) return 'tied';
    if (oomIds.some((id) => otherIds.some((o) => sameContainerId(o, id)))) return `${what} is about another container of the same ${c.platform === 'ecs' ? 'task' : 'pod'}, not ${targetName(c)}`;
  }
  if (s.podUid || s.taskId || s.unit) {
    if (s.podUid && t.podUid && sameUid(s.podUid, t.podUid)) {
      // Same pod, a container id we have not seen: an earlier instance of the container if the pod has one container.
      const containersInPod = new Set(c.all.filter((e) => e.kind === 'container.state' && samePod(e.subject, t)).map((e) => e.subject.containerName));
      return oomIds.length === 0 || containersInPod.size <= 1 ? 'tied' : 'untied';
    }
    if (s.taskId && (t.taskId ?? lastSegment(t.taskArn)) === s.taskId) return 'tied';
    if (s.unit && t.unit === s.unit) return 'tied';
    return elsewhere;
  }
  if (oomIds.length > 0) return elsewhere;
  if (s.host && t.host && s.host !== t.host) return `${what} was logged by host ${s.host}, not ${t.host}`;
  // Nothing ties the line to any cgroup (old kernels print none for a global OOM): judge by time.
  const exit = toEpochMs(c.judged?.finishedAt);
  const at = toEpochMs(oom.time);
  if (exit !== undefined && at !== undefined) {
    if (at < exit - UNTIED_WINDOW_BEFORE_MS || at > exit + UNTIED_WINDOW_AFTER_MS) return `${what} at ${oom.time} is not near the exit at ${c.judged?.finishedAt}`;
  }
  return 'untied';
}

export function targetName(c: Pick<Case, 'target' | 'platform'>): string {
  const t = c.target;
  if (t.pod) return `pod ${t.namespace ?? 'default'}/${t.pod}${t.containerName ? ` container ${t.containerName}` : ''}`;
  if (t.taskArn || t.taskId) return `task ${t.taskId ?? lastSegment(t.taskArn)}${t.containerName ? ` container ${t.containerName}` : ''}`;
  if (t.functionName) return `function ${t.functionName}`;
  if (t.containerName || t.containerId) return `container ${t.containerName ?? t.containerId!.slice(0, 12)}`;
  if (t.host) return `host ${t.host}`;
  return c.platform === 'lambda' ? 'the Lambda function' : 'the process';
}

/** Limits that are hard: the container's own, else the pod's/task's/function's. */
export function hardLimit(c: Case): LimitsEvidence | undefined {
  if (c.containerLimits?.memoryLimitBytes) return c.containerLimits;
  return c.groupLimits.find((l) => l.memoryLimitBytes);
}
