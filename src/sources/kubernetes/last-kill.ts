import { asRecord } from '../../artifacts/kubernetes/as-record.js';
import { k8sTime } from '../../artifacts/kubernetes/k8s-time.js';
import { containerRuns, type RunFacts } from './container-runs.js';

/** Why a pod counts as killed: a container exited 137, was OOMKilled, or the kubelet evicted the pod. */
export interface Kill {
  /** RFC 3339 time of the kill (the run's finishedAt; for an eviction without one, the pod's last condition change). */
  at: string;
  /** The container killed; absent for an eviction that left no container status. */
  container?: string;
  reason: 'OOMKilled' | 'exit137' | 'Evicted';
  run?: RunFacts;
}

/**
 * The newest kill in a raw Pod: the latest terminated run (current or previous) that exited 137 or was
 * OOMKilled, or the eviction. `container` limits it to one container (an eviction kills them all).
 */
export function lastKill(pod: Record<string, unknown>, container?: string): Kill | undefined {
  let best: Kill | undefined;
  const consider = (k: Kill): void => { if (!best || Date.parse(k.at) > Date.parse(best.at)) best = k; };
  const evicted = asRecord(pod.status)?.reason === 'Evicted';
  for (const c of containerRuns(pod)) {
    if (container !== undefined && c.name !== container) continue;
    for (const r of [c.state, c.lastState]) {
      if (r?.status !== 'terminated' || !r.finishedAt) continue;
      if (r.reason === 'OOMKilled') consider({ at: r.finishedAt, container: c.name, reason: 'OOMKilled', run: r });
      else if (r.exitCode === 137) consider({ at: r.finishedAt, container: c.name, reason: evicted ? 'Evicted' : 'exit137', run: r });
    }
  }
  if (evicted && !best) {
    const status = asRecord(pod.status);
    const times = (Array.isArray(status?.conditions) ? status.conditions : [])
      .map((c) => k8sTime(asRecord(c)?.lastTransitionTime))
      .filter((t): t is string => t !== undefined)
      .sort((a, b) => Date.parse(a) - Date.parse(b));
    const at = times.at(-1) ?? k8sTime(status?.startTime) ?? k8sTime(asRecord(pod.metadata)?.creationTimestamp);
    if (at) best = { at, reason: 'Evicted' };
  }
  return best;
}
