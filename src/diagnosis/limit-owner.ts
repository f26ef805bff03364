import type { Case } from './case.js';
import { sameContainerId, sameUid, lastSegment } from './identity.js';

export type LimitOwner = 'container' | 'pod' | 'task' | 'unit' | 'node' | 'root' | 'other';

// Cgroups above any single workload: the kubelet's allocatable and QoS-tier cgroups, the runtime's
// parent cgroups, systemd's slices. A limit hit there is the machine (or the node's budget) running out.
const NODE_LEVEL = [
  /^\/?kubepods(?:\.slice)?\/?$/,
  /^\/?kubepods(?:\.slice)?\/(?:kubepods-)?(?:burstable|besteffort)(?:\.slice)?\/?$/,
  /^\/?(?:docker|ecs|system\.slice|user\.slice|machine\.slice|init\.scope)\/?$/,
];

/**
 * Whose limit a kernel OOM report names, relative to the diagnosed target. `container`, `pod`, `task`
 * and `unit` are the target's own limit (a cgroup OOM); `node` and `root` mean the machine or the node's
 * budget ran out (a host OOM); `other` is some other workload's cgroup.
 */
export function limitOwner(path: string, c: Case): LimitOwner {
  const p = path.trim();
  if (p === '' || p === '/') return 'root';
  if (NODE_LEVEL.some((re) => re.test(p))) return 'node';
  const ids = [...p.matchAll(/[0-9a-f]{64}/g)].map((m) => m[0]);
  if (ids.some((id) => c.containerIds.some((mine) => sameContainerId(mine, id)) || sameContainerId(c.target.containerId, id))) return 'container';
  const pod = /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/.exec(p)?.[1];
  if (pod && c.target.podUid && sameUid(pod, c.target.podUid)) return ids.length > 0 ? 'container' : 'pod';
  const task = /\/ecs\/([^/]+)/.exec(p)?.[1];
  const myTask = c.target.taskId ?? lastSegment(c.target.taskArn);
  if (task && myTask && task === myTask) return ids.length > 0 || /\/ecs\/[^/]+\/[^/]+/.test(p) ? 'container' : 'task';
  const unit = /([\w@.-]+\.service)/.exec(p)?.[1];
  if (unit && c.target.unit === unit) return 'unit';
  if (c.platform === 'host' || c.platform === 'unknown') return 'container';
  return 'other';
}
