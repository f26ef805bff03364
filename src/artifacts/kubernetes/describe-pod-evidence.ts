import type { ContainerStateEvidence, Evidence, KubeEventEvidence, LimitsEvidence, PodStatusEvidence, Subject } from '../../diagnosis/evidence.js';
import { parseQuantity } from '../../util/parse-quantity.js';
import type { ContainerResources } from './container-resources.js';
import { containerFromEvent } from './container-from-event.js';
import { containerId } from './container-id.js';
import { defined } from './defined.js';
import { describeTime } from './describe-time.js';
import type { DescribedContainer, DescribedPod, DescribedState } from './described-pod.js';
import { pidFromEvent } from './pid-from-event.js';
import { podMemoryLimit } from './pod-memory-limit.js';
import { qosClass } from './qos-class.js';
import { redactArgs } from './redact-args.js';

const QOS = new Set(['Guaranteed', 'Burstable', 'BestEffort']);

/**
 * The same evidence the pod parser gives, from `kubectl describe pod`, plus one `k8s.event` per Events row.
 * Describe shows no pod UID and only the current container's id; event ages are relative, so events have
 * no timestamps, and `(x5 over 10m)` gives the count.
 */
export function describePodEvidence(pod: DescribedPod, file: string): Evidence[] {
  const subject: Subject = defined({ platform: 'kubernetes' as const, pod: pod.name, namespace: pod.namespace, node: pod.node });
  const out: Evidence[] = [];
  const resources: ContainerResources[] = [];
  const cite = (line: number, excerpt?: string) => defined({ file, at: `line ${line}`, excerpt: excerpt?.slice(0, 300) });

  for (const c of pod.containers) {
    const cs: Subject = defined({ ...subject, containerName: c.name, containerId: containerId(c.containerId) });
    const common = defined({ restartCount: c.restartCount, image: c.image, waitingReason: c.state?.status === 'Waiting' ? c.state.reason : undefined });
    if (c.state) out.push(stateEvidence(c.state, cite(c.state.line, c.state.excerpt), cs, common, false));
    // Describe shows only the current container id; while waiting it is still the id of the run that ended.
    if (c.last) out.push(stateEvidence(c.last, cite(c.last.line, c.last.excerpt), c.state?.status === 'Waiting' ? cs : defined({ ...cs, containerId: undefined }), common, true));
    if (c.group === 'ephemeral') continue;

    const r = resourcesOf(c);
    resources.push(r);
    const limitLine = c.limitsLine ?? c.line;
    out.push(defined({
      kind: 'limits' as const,
      cite: cite(limitLine, c.limits.memory !== undefined ? `memory: ${c.limits.memory}` : 'no memory limit'),
      subject: defined({ ...cs, containerId: undefined }),
      scope: 'container' as const,
      memoryLimitBytes: r.limits.memory ?? null,
      memoryRequestBytes: r.requests.memory ?? r.limits.memory,
      cpu: c.limits.cpu,
    }) satisfies LimitsEvidence);
    const command = [...c.command, ...c.args];
    out.push(defined({
      kind: 'runtime' as const,
      cite: cite(c.envLine ?? c.line),
      subject: defined({ ...cs, containerId: undefined }),
      settings: c.settings ?? { envNames: c.env.map((e) => e.name) },
      image: c.image,
      command: command.length > 0 ? redactArgs(command) : undefined,
    }));
  }

  const podLimitText = pod.podLimits.memory;
  const podLimit = podLimitText !== undefined ? parseQuantity(podLimitText) : podMemoryLimit(resources);
  if (podLimit !== undefined && podLimit !== null) {
    out.push(defined({
      kind: 'limits' as const,
      cite: podLimitText !== undefined ? cite(pod.podResourcesLine ?? pod.nameLine, `memory: ${podLimitText}`) : cite(pod.nameLine, 'every container has a memory limit: the pod cgroup is limited to their sum'),
      subject,
      scope: 'pod' as const,
      memoryLimitBytes: podLimit,
      memoryRequestBytes: pod.podRequests.memory !== undefined ? parseQuantity(pod.podRequests.memory) : undefined,
    }) satisfies LimitsEvidence);
  }

  out.push(podStatus(pod, resources, subject, cite));
  for (const e of pod.events) out.push(eventEvidence(e, pod, subject, cite));
  return out;
}

function stateEvidence(s: DescribedState, cite: ContainerStateEvidence['cite'], subject: Subject, common: Partial<ContainerStateEvidence>, previous: boolean): ContainerStateEvidence {
  const status = s.status.toLowerCase();
  return defined({
    kind: 'container.state' as const,
    cite,
    subject,
    status,
    previous: previous ? true : undefined,
    exitCode: s.exitCode,
    reason: s.reason,
    oomKilled: status === 'terminated' ? s.reason === 'OOMKilled' : undefined,
    message: s.message,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    ...common,
  });
}

function resourcesOf(c: DescribedContainer): ContainerResources {
  const q = (v: string | undefined) => (v === undefined ? undefined : parseQuantity(v));
  // Describe does not print an init container's restartPolicy; one still running beside the app is a sidecar.
  const role = c.group === 'app' ? 'app' : c.state?.status === 'Running' ? 'sidecar' : 'init';
  return {
    role,
    limits: defined({ cpu: q(c.limits.cpu), memory: q(c.limits.memory) }),
    requests: defined({ cpu: q(c.requests.cpu), memory: q(c.requests.memory) }),
  };
}

function podStatus(pod: DescribedPod, resources: ContainerResources[], subject: Subject, cite: (line: number, excerpt?: string) => PodStatusEvidence['cite']): PodStatusEvidence {
  const text = pod.status?.text ?? '';
  const terminating = /^Terminating\b/.test(text);
  // kubectl before 1.16 printed `Terminating (expires <time>)`, the deletion timestamp itself.
  const expires = /^Terminating \(expires (.+)\)$/.exec(text);
  const declared = pod.qosClass?.text;
  const slash = pod.controlledBy?.indexOf('/') ?? -1;
  return defined({
    kind: 'pod.status' as const,
    cite: cite(pod.status?.line ?? pod.nameLine, pod.status ? `Status: ${text}${pod.reason ? `; Reason: ${pod.reason}` : ''}` : undefined),
    subject,
    phase: text !== '' && !terminating ? text : undefined,
    qosClass: declared && QOS.has(declared) ? declared as PodStatusEvidence['qosClass'] : qosClass(resources),
    reason: pod.reason,
    message: pod.message,
    deletionTimestamp: expires ? describeTime(expires[1]) : undefined,
    terminating: terminating ? true : undefined,
    deletionGracePeriodSeconds: pod.deletionGracePeriodSeconds,
    startTime: pod.startTime,
    owners: pod.controlledBy && slash > 0 ? [{ kind: pod.controlledBy.slice(0, slash), name: pod.controlledBy.slice(slash + 1) }] : undefined,
    conditions: pod.conditions.length > 0 ? pod.conditions : undefined,
  });
}

function eventEvidence(e: DescribedPod['events'][number], pod: DescribedPod, subject: Subject, cite: (line: number, excerpt?: string) => KubeEventEvidence['cite']): KubeEventEvidence {
  const count = /\(x(\d+) over [^)]*\)/.exec(e.age);
  // Old kubectl printed `kubelet, <node>` in From.
  const [component, host] = e.from.split(/,\s*/);
  const pid = /SystemOOM|OOMKilling/.test(e.reason) ? pidFromEvent(e.message) : undefined;
  return defined({
    kind: 'k8s.event' as const,
    cite: cite(e.line, `${e.reason}: ${e.message}`),
    subject: defined({ ...subject, node: subject.node ?? host, containerName: containerFromEvent(undefined, e.message), pid }),
    reason: e.reason,
    message: e.message,
    type: e.type,
    count: count ? Number(count[1]) : 1,
    involvedKind: 'Pod',
    component: component && component !== '' ? component : undefined,
  });
}
