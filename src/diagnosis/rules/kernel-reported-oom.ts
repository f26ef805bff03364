import type { CauseRule } from '../rule.js';
import { fact } from '../fact.js';
import { limitOwner } from '../limit-owner.js';
import { describeCgroup } from '../describe-cgroup.js';
import { killsNearExit, oomFlags } from '../signals.js';
import { hardLimit, targetName } from '../build-case.js';
import { formatBytes } from '../format-bytes.js';
import { capitalize } from '../capitalize.js';
import type { KernelOomEvidence } from '../evidence.js';

/**
 * The kernel's own OOM report about the target decides between cgroup and host OOM by which limit it
 * names: the container's, pod's, task's or unit's own cgroup → cgroup_oom; a node-level cgroup, a global
 * OOM (CONSTRAINT_NONE) or systemd-oomd → host_oom. "Memory cgroup" alone does not decide.
 */
export const kernelReportedOom: CauseRule = (c) => {
  const kills = killsNearExit(c);
  if (kills.length === 0) return null;
  const oom = latest(kills);
  const who = `${oom.process ?? 'a process'}${oom.pid ? ` (pid ${oom.pid})` : ''}`;
  const rss = oom.anonRssKb !== undefined ? `, anon-rss ${formatBytes(oom.anonRssKb * 1024)}` : '';
  // With only a kernel log, the victim's own cgroup names what died.
  const name = c.platform === 'host' || c.platform === 'unknown'
    ? `${oom.taskCgroup && oom.taskCgroup !== '/' ? describeCgroup(oom.taskCgroup) : `process ${who}`}${c.target.host ? ` on host ${c.target.host}` : ''}`
    : targetName(c);
  if (oom.scope === 'oomd') {
    return {
      code: 'host_oom', confidence: 'high', evidence: [fact(oom, `systemd-oomd killed ${oom.taskCgroup ?? who} because of memory pressure`)],
      summary: `systemd-oomd (user-space, acting on memory pressure) killed ${name}: the machine was short of memory, not the workload over its own limit. Give the host headroom or lower what runs on it.`,
    };
  }
  if (oom.scope === 'global' || oom.constraint === 'CONSTRAINT_NONE') {
    return {
      code: 'host_oom', confidence: 'high', evidence: [fact(oom, `global OOM (${oom.constraint ?? 'Out of memory'}): the kernel killed ${who}${rss}`)],
      summary: `The host ran out of memory and the kernel's global OOM killer chose ${who} in ${name}. This was not the container's own limit: set hard limits on what runs there and leave the host headroom.`,
    };
  }
  const limitPath = oom.limitCgroup ?? oom.taskCgroup;
  const owner = limitPath ? limitOwner(limitPath, c) : 'container';
  const limit = oom.cgroupLimitKb !== undefined ? ` of ${formatBytes(oom.cgroupLimitKb * 1024)}` : '';
  if (owner === 'container' || owner === 'pod' || owner === 'task' || owner === 'unit') {
    const whose = owner === 'container' ? 'its own' : `its ${owner}'s`;
    const hard = hardLimit(c);
    return {
      code: 'cgroup_oom', confidence: oom.limitCgroup ? 'high' : 'medium',
      evidence: [
        fact(oom, `memory cgroup OOM: limit${limit} of ${limitPath ? describeCgroup(limitPath) : 'its cgroup'} hit; killed ${who}${rss}`),
        ...oomFlags(c).slice(0, 2).map((e) => fact(e, e.kind === 'container.state' ? `the orchestrator flagged it: ${e.reason && e.reason !== 'OOMKilled' ? `reason ${e.reason}` : 'OOMKilled'}, exit code ${e.exitCode ?? '?'}` : e.kind === 'docker.event' ? 'the engine emitted an oom event' : 'the orchestrator reported an OOM')),
        ...(hard ? [fact(hard, `hard memory limit ${formatBytes(hard.memoryLimitBytes!)} (${hard.scope})`)] : []),
      ],
      summary: `${capitalize(name)} exceeded ${whose} memory limit${limit} and the kernel's cgroup OOM killer killed ${who}. Raise the limit to what it needs or cap the runtime below it.`,
    };
  }
  return {
    code: 'host_oom', confidence: owner === 'other' ? 'medium' : 'high',
    evidence: [fact(oom, `memory cgroup OOM at ${describeCgroup(limitPath!)}${limit}, above ${name}: killed ${who}${rss}`)],
    summary: `The limit hit was ${describeCgroup(limitPath!)}${limit}, shared by everything under it, not ${name}'s own: the node's budget ran out and the kernel chose ${who}. Set requests = limits and leave the node headroom.`,
  };
};

function latest(ooms: KernelOomEvidence[]): KernelOomEvidence {
  return ooms.reduce((a, b) => ((b.uptimeSeconds ?? 0) >= (a.uptimeSeconds ?? 0) && (b.time ?? '') >= (a.time ?? '') ? b : a));
}

