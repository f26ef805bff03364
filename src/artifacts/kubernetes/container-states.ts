import type { ContainerStateEvidence, Subject } from '../../diagnosis/evidence.js';
import { asRecord } from './as-record.js';
import { containerId } from './container-id.js';
import { defined } from './defined.js';
import { k8sTime } from './k8s-time.js';

/**
 * `container.state` evidence from one entry of `status.containerStatuses` (or init/ephemeral statuses):
 * the current state, and `lastState.terminated` as a separate item with `previous: true`. Both carry the
 * restart count, the image and the current waiting reason, so a rule reading the previous kill also sees
 * the CrashLoopBackOff it caused.
 */
export function containerStates(status: Record<string, unknown>, at: string, file: string, podSubject: Subject, specImage?: string): ContainerStateEvidence[] {
  const name = typeof status.name === 'string' ? status.name : undefined;
  const state = asRecord(status.state) ?? {};
  const running = asRecord(state.running);
  const waiting = asRecord(state.waiting);
  const terminated = asRecord(state.terminated);
  const last = asRecord(asRecord(status.lastState)?.terminated);
  const common = defined({
    restartCount: typeof status.restartCount === 'number' ? status.restartCount : undefined,
    image: typeof status.image === 'string' && status.image !== '' ? status.image : specImage,
    waitingReason: str(waiting?.reason),
  });
  const subject = (id: unknown): Subject => defined({ ...podSubject, containerName: name, containerId: containerId(id) ?? containerId(status.containerID) });
  const out: ContainerStateEvidence[] = [];

  if (terminated) {
    out.push(defined({ kind: 'container.state' as const, cite: cite(file, `${at}.state.terminated`, terminated), subject: subject(terminated.containerID), status: 'terminated', ...terminatedFields(terminated), ...common }));
  } else if (waiting) {
    out.push(defined({ kind: 'container.state' as const, cite: cite(file, `${at}.state.waiting`, waiting), subject: subject(undefined), status: 'waiting', reason: str(waiting.reason), message: str(waiting.message), ...common }));
  } else if (running) {
    out.push(defined({ kind: 'container.state' as const, cite: cite(file, `${at}.state.running`, running), subject: subject(undefined), status: 'running', startedAt: k8sTime(running.startedAt), ...common }));
  }
  if (last) {
    // The previous run's own container id: the current one belongs to the restarted container.
    out.push(defined({ kind: 'container.state' as const, cite: cite(file, `${at}.lastState.terminated`, last), subject: defined({ ...podSubject, containerName: name, containerId: containerId(last.containerID) }), status: 'terminated', previous: true, ...terminatedFields(last), ...common }));
  }
  return out;
}

function terminatedFields(t: Record<string, unknown>): Partial<ContainerStateEvidence> {
  const reason = str(t.reason);
  return defined({
    exitCode: typeof t.exitCode === 'number' ? t.exitCode : undefined,
    reason,
    oomKilled: reason === 'OOMKilled',
    message: str(t.message),
    startedAt: k8sTime(t.startedAt),
    finishedAt: k8sTime(t.finishedAt),
  });
}

function cite(file: string, path: string, state: Record<string, unknown>): ContainerStateEvidence['cite'] {
  const key = state.reason !== undefined ? 'reason' : state.exitCode !== undefined ? 'exitCode' : state.startedAt !== undefined ? 'startedAt' : undefined;
  const shown: Record<string, unknown> = {};
  for (const k of ['exitCode', 'reason', 'startedAt', 'finishedAt']) if (state[k] !== undefined && state[k] !== null) shown[k] = state[k];
  return { file, at: key ? `${path}.${key}` : path, excerpt: JSON.stringify(shown) };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
