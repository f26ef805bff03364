import { asRecord } from '../../artifacts/kubernetes/as-record.js';
import { containerRuns, type ContainerRuns } from './container-runs.js';
import { lastKill } from './last-kill.js';
import { ownerReferences, type OwnerRef } from './owner-references.js';

/**
 * Facts the pod step hands on (StepOutput.facts). Dependants read `pod`, `namespace`, `podUid`, `nodeName`,
 * `ownerReferences`; the engine reads `finishedAt`/`startedAt` for the incident window and `containerIds`
 * for kernel-log correlation.
 */
export interface PodFacts {
  pod: string;
  namespace: string;
  podUid?: string;
  nodeName?: string;
  phase?: string;
  /** status.reason, e.g. Evicted. */
  podReason?: string;
  /** The container judged: the one named by the target, else the one killed last (137, OOMKilled), else the first app container. */
  container?: string;
  /** Runtime ids (no `containerd://`) of every container's current and previous run. */
  containerIds: string[];
  containers: ContainerRuns[];
  /** The judged container's last terminated run: its start, end, exit code and reason. */
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  reason?: string;
  ownerReferences: OwnerRef[];
}

/** The facts of one raw Pod (`kubectl get pod -o json`). */
export function podFacts(pod: Record<string, unknown>, container?: string): PodFacts {
  const meta = asRecord(pod.metadata) ?? {};
  const spec = asRecord(pod.spec) ?? {};
  const status = asRecord(pod.status) ?? {};
  const containers = containerRuns(pod);
  const firstApp = asRecord(Array.isArray(spec.containers) ? spec.containers[0] : undefined)?.name;
  const judged = container ?? lastKill(pod)?.container ?? latestTermination(containers)?.name ?? (typeof firstApp === 'string' ? firstApp : undefined);
  const runs = containers.find((c) => c.name === judged);
  const ended = [runs?.state, runs?.lastState].filter((r) => r?.status === 'terminated' && r.finishedAt).sort((a, b) => Date.parse(b!.finishedAt!) - Date.parse(a!.finishedAt!))[0];
  const ids = new Set<string>();
  for (const c of containers) for (const r of [c.state, c.lastState]) if (r?.containerId) ids.add(r.containerId);
  const facts: PodFacts = {
    pod: String(meta.name),
    namespace: typeof meta.namespace === 'string' ? meta.namespace : 'default',
    containerIds: [...ids],
    containers,
    ownerReferences: ownerReferences(pod),
  };
  if (typeof meta.uid === 'string') facts.podUid = meta.uid;
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') facts.nodeName = spec.nodeName;
  if (typeof status.phase === 'string') facts.phase = status.phase;
  if (typeof status.reason === 'string') facts.podReason = status.reason;
  if (judged !== undefined) facts.container = judged;
  if (ended?.startedAt) facts.startedAt = ended.startedAt;
  if (ended?.finishedAt) facts.finishedAt = ended.finishedAt;
  if (ended?.exitCode !== undefined) facts.exitCode = ended.exitCode;
  if (ended?.reason) facts.reason = ended.reason;
  return facts;
}

function latestTermination(containers: ContainerRuns[]): ContainerRuns | undefined {
  let best: { c: ContainerRuns; t: number } | undefined;
  for (const c of containers) {
    for (const r of [c.state, c.lastState]) {
      if (r?.status !== 'terminated' || !r.finishedAt) continue;
      const t = Date.parse(r.finishedAt);
      if (!best || t > best.t) best = { c, t };
    }
  }
  return best?.c;
}
