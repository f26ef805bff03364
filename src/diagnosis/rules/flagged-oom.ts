import type { CauseRule } from '../rule.js';
import type { Case } from '../case.js';
import { fact } from '../fact.js';
import { hardLimit, targetName } from '../build-case.js';
import { oomFlags } from '../signals.js';
import { formatBytes } from '../format-bytes.js';
import { capitalize } from '../capitalize.js';
import { kernelLogCommand } from '../kernel-log-command.js';
import type { CitedFact } from '../verdict.js';
import type { KubeEventEvidence } from '../evidence.js';

// Kubelets up to 1.20 labelled every OOM kill on the node SystemOOM, container limits included.
const LAST_KUBELET_MINOR_WITH_NOISY_SYSTEM_OOM = 20;

/**
 * The orchestrator says OOM (Docker OOMKilled or an `oom` event, Kubernetes OOMKilled, ECS
 * OutOfMemoryError) and the kernel log does not tie a kill to the target. With no hard limit the
 * machine ran out (host_oom); with one, node pressure or a countable SystemOOM points to the host,
 * otherwise the container hit its own limit.
 */
export const flaggedOom: CauseRule = (c) => {
  const flags = oomFlags(c);
  if (flags.length === 0) return null;
  const cites: CitedFact[] = flags.slice(0, 3).map((e) => fact(e, flagClaim(c, e)));
  const limit = hardLimit(c);
  const name = targetName(c);
  const exit = c.judged?.exitCode;
  const child = exit !== undefined && exit !== 137 && c.judged?.oomKilled
    ? ` The main process exited ${exit}, not 137: a child process was OOM-killed and the main one exited after it.` : '';

  if (!limit) {
    const none = c.containerLimits ?? c.groupLimits[0];
    if (none) cites.push(fact(none, 'no hard memory limit is set'));
    return {
      code: 'host_oom', confidence: none ? 'high' : 'medium', evidence: cites,
      summary: `${capitalize(name)} was OOM-killed with no hard memory limit, so it was the machine that ran out, not a limit of its own.${child} Set a hard limit at what it needs and keep the host's headroom.`,
      next: none ? [] : [{ why: 'the limits decide between the container’s own limit and the host running out', command: limitsCommand(c) }],
    };
  }
  const pressure: CitedFact[] = [];
  if (c.node?.memoryPressure) pressure.push(fact(c.node, `node ${c.node.name} has MemoryPressure=True${c.node.memoryPressureMessage ? ` (${c.node.memoryPressureMessage})` : ''}`));
  for (const ev of countableSystemOoms(c)) pressure.push(fact(ev, `node event SystemOOM: ${ev.message}`));
  if (pressure.length > 0) {
    return {
      code: 'host_oom', confidence: 'medium', evidence: [...cites, ...pressure],
      summary: `${capitalize(name)} was OOM-killed while its node was itself short of memory: the node ran out before the ${formatBytes(limit.memoryLimitBytes!)} limit mattered.${child} Set requests = limits so the scheduler stops overpacking the node.`,
      next: [{ why: 'the node kernel log names the limit that was hit (container cgroup or node)', command: kernelLogCommand(c) }],
    };
  }
  cites.push(fact(limit, `hard memory limit ${formatBytes(limit.memoryLimitBytes!)} (${limit.scope})`));
  return {
    code: 'cgroup_oom', confidence: 'high', evidence: cites,
    summary: `${capitalize(name)} exceeded its ${formatBytes(limit.memoryLimitBytes!)} memory limit and was OOM-killed by the kernel.${child} Raise the limit to what it needs, or cap the runtime below it.`,
  };
};

function flagClaim(c: Case, e: { kind: string }): string {
  if (e === c.judged) return `${c.platform === 'kubernetes' ? 'reason OOMKilled' : c.platform === 'ecs' ? `container reason ${c.judged.reason ?? 'OutOfMemoryError'}` : 'State.OOMKilled is true'}, exit code ${c.judged.exitCode ?? '?'}`;
  if (e.kind === 'docker.event') return 'the engine emitted an oom event for the container';
  if (e.kind === 'ecs.task') return `task stoppedReason: ${c.ecsTask?.stoppedReason}`;
  return `event ${(e as KubeEventEvidence).reason}: ${(e as KubeEventEvidence).message}`;
}

/** SystemOOM events that really mean the node ran out (see LAST_KUBELET_MINOR_WITH_NOISY_SYSTEM_OOM). */
function countableSystemOoms(c: Case): KubeEventEvidence[] {
  const events = c.nodeEvents.filter((e) => e.reason === 'SystemOOM');
  if (events.length === 0) return [];
  const memcgPids = new Set(c.all.filter((e) => e.kind === 'kernel.oom' && e.scope === 'cgroup').map((e) => e.subject.pid));
  const minor = Number(/v?1\.(\d+)/.exec(c.node?.kubeletVersion ?? '')?.[1] ?? NaN);
  const noisy = !Number.isNaN(minor) && minor <= LAST_KUBELET_MINOR_WITH_NOISY_SYSTEM_OOM;
  const haveKernel = c.kernelCoverage !== undefined;
  return events.filter((e) => {
    const pid = Number(/pid:?\s*(\d+)/.exec(e.message)?.[1] ?? e.subject.pid ?? NaN);
    if (!Number.isNaN(pid) && memcgPids.has(pid)) return false;
    return !noisy || haveKernel;
  });
}

function limitsCommand(c: Case): string {
  const t = c.target;
  if (c.platform === 'kubernetes') return `kubectl get pod ${t.pod ?? 'POD'} -n ${t.namespace ?? 'default'} -o yaml`;
  if (c.platform === 'ecs') return `aws ecs describe-task-definition --task-definition ${c.ecsTask?.taskDefinitionArn ?? 'FAMILY:REVISION'}`;
  return `docker inspect ${t.containerName ?? t.containerId ?? 'CONTAINER'}`;
}
