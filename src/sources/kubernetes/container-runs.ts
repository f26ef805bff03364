import { asRecord } from '../../artifacts/kubernetes/as-record.js';
import { containerId } from '../../artifacts/kubernetes/container-id.js';
import { k8sTime } from '../../artifacts/kubernetes/k8s-time.js';

/** One run of a container as its status shows it (`state` or `lastState`). */
export interface RunFacts {
  status: 'running' | 'waiting' | 'terminated';
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  reason?: string;
  /** Runtime id without its `containerd://` prefix. */
  containerId?: string;
}

/** What a pod's status says of one container: its current run and the one before (`kubectl logs --previous`). */
export interface ContainerRuns {
  name: string;
  type: 'app' | 'init' | 'sidecar';
  restartCount: number;
  state?: RunFacts;
  lastState?: RunFacts;
}

/** Every container's current and previous run from a raw Pod's status (init and sidecar containers included). */
export function containerRuns(pod: Record<string, unknown>): ContainerRuns[] {
  const spec = asRecord(pod.spec);
  const status = asRecord(pod.status);
  const inits = new Map<string, unknown>();
  for (const c of Array.isArray(spec?.initContainers) ? spec.initContainers : []) {
    const r = asRecord(c);
    if (typeof r?.name === 'string') inits.set(r.name, r.restartPolicy);
  }
  const out: ContainerRuns[] = [];
  for (const group of ['initContainerStatuses', 'containerStatuses'] as const) {
    const list = status?.[group];
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const cs = asRecord(raw);
      if (!cs || typeof cs.name !== 'string') continue;
      const type = group === 'containerStatuses' ? 'app' : inits.get(cs.name) === 'Always' ? 'sidecar' : 'init';
      const state = run(cs.state, cs.containerID);
      const lastState = run(cs.lastState, undefined);
      out.push({
        name: cs.name,
        type,
        restartCount: typeof cs.restartCount === 'number' ? cs.restartCount : 0,
        ...(state ? { state } : {}),
        ...(lastState ? { lastState } : {}),
      });
    }
  }
  return out;
}

function run(value: unknown, statusId: unknown): RunFacts | undefined {
  const s = asRecord(value);
  if (!s) return undefined;
  for (const status of ['terminated', 'running', 'waiting'] as const) {
    const r = asRecord(s[status]);
    if (!r) continue;
    const facts: RunFacts = { status };
    const startedAt = k8sTime(r.startedAt);
    const finishedAt = k8sTime(r.finishedAt);
    const id = containerId(r.containerID) ?? (status === 'terminated' ? undefined : containerId(statusId));
    if (startedAt) facts.startedAt = startedAt;
    if (finishedAt) facts.finishedAt = finishedAt;
    if (typeof r.exitCode === 'number') facts.exitCode = r.exitCode;
    if (typeof r.reason === 'string' && r.reason !== '') facts.reason = r.reason;
    if (id) facts.containerId = id;
    return facts;
  }
  return undefined;
}
