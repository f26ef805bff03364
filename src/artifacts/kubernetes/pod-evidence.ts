import type { Evidence, LimitsEvidence, PodStatusEvidence, RuntimeEvidence, Subject } from '../../diagnosis/evidence.js';
import { ArtifactInvalidError } from '../../errors/artifact-invalid-error.js';
import { runtimeSettings } from '../../util/runtime-settings.js';
import { asRecord } from './as-record.js';
import type { ContainerResources } from './container-resources.js';
import { containerStates } from './container-states.js';
import { defined } from './defined.js';
import { k8sTime } from './k8s-time.js';
import { podMemoryLimit } from './pod-memory-limit.js';
import { qosClass } from './qos-class.js';
import { quantityAt } from './quantity-at.js';
import { redactArgs } from './redact-args.js';

const QOS = new Set(['Guaranteed', 'Burstable', 'BestEffort']);

/**
 * Evidence from one Pod object (`kubectl get pod -o json|yaml`, or a manifest): container states, limits per
 * container and for the pod cgroup, runtime settings, and the pod's status. `at` is the JSON path prefix
 * (`items[2].` inside a list). Env values are handed to runtimeSettings and dropped; only names remain.
 */
export function podEvidence(pod: Record<string, unknown>, at: string, file: string, expected: string): Evidence[] {
  const meta = asRecord(pod.metadata);
  const name = meta?.name;
  if (typeof name !== 'string' || name === '') throw new ArtifactInvalidError(file, expected, `a Pod without ${at}metadata.name (is the output cut off?)`);
  const spec = asRecord(pod.spec);
  if (!spec || !Array.isArray(spec.containers) || spec.containers.length === 0) {
    throw new ArtifactInvalidError(file, expected, `Pod ${name} has no ${at}spec.containers (is the output cut off?)`);
  }
  const status = asRecord(pod.status) ?? {};
  const subject: Subject = defined({
    platform: 'kubernetes' as const,
    pod: name,
    namespace: str(meta!.namespace),
    podUid: str(meta!.uid),
    node: str(spec.nodeName),
  });
  const out: Evidence[] = [];
  const resources: ContainerResources[] = [];
  const images = new Map<string, string>();

  for (const group of ['initContainers', 'containers'] as const) {
    const list = spec[group];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new ArtifactInvalidError(file, expected, `${at}spec.${group} is not a list`);
    list.forEach((raw, i) => {
      const path = `${at}spec.${group}[${i}]`;
      const c = asRecord(raw);
      if (!c || typeof c.name !== 'string') throw new ArtifactInvalidError(file, expected, `${path} has no name`);
      if (typeof c.image === 'string') images.set(c.name, c.image);
      const role = group === 'containers' ? 'app' : c.restartPolicy === 'Always' ? 'sidecar' : 'init';
      const r = containerResources(asRecord(c.resources), role, `${path}.resources`, file, expected);
      resources.push(r);
      const res = asRecord(c.resources);
      const limitsRaw = asRecord(res?.limits);
      const cs = defined({ ...subject, containerName: c.name });
      out.push(defined({
        kind: 'limits' as const,
        cite: limitsRaw?.memory !== undefined
          ? { file, at: `${path}.resources.limits.memory`, excerpt: `memory: ${String(limitsRaw.memory)}` }
          : { file, at: `${path}.resources`, excerpt: 'no memory limit' },
        subject: cs,
        scope: 'container' as const,
        memoryLimitBytes: r.limits.memory ?? null,
        memoryRequestBytes: r.requests.memory ?? r.limits.memory,
        cpu: limitsRaw?.cpu !== undefined ? String(limitsRaw.cpu) : undefined,
      }) satisfies LimitsEvidence);
      out.push(runtimeEvidence(c, path, file, cs));
    });
  }

  const podRes = asRecord(spec.resources);
  const podLimit = quantityAt(asRecord(podRes?.limits)?.memory, file, expected, `${at}spec.resources.limits.memory`);
  const overhead = quantityAt(asRecord(spec.overhead)?.memory, file, expected, `${at}spec.overhead.memory`) ?? 0;
  const podLimitBytes = podLimit !== undefined ? podLimit + overhead : podMemoryLimit(resources, overhead);
  if (podLimitBytes !== null) {
    out.push(defined({
      kind: 'limits' as const,
      cite: podLimit !== undefined
        ? { file, at: `${at}spec.resources.limits.memory`, excerpt: `memory: ${String(asRecord(podRes?.limits)?.memory)}` }
        : { file, at: `${at}spec.containers`, excerpt: 'every container has a memory limit: the pod cgroup is limited to their sum' },
      subject,
      scope: 'pod' as const,
      memoryLimitBytes: podLimitBytes,
      memoryRequestBytes: quantityAt(asRecord(podRes?.requests)?.memory, file, expected, `${at}spec.resources.requests.memory`),
    }) satisfies LimitsEvidence);
  }

  for (const group of ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses'] as const) {
    const list = status[group];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new ArtifactInvalidError(file, expected, `${at}status.${group} is not a list`);
    list.forEach((raw, i) => {
      const s = asRecord(raw);
      if (!s) throw new ArtifactInvalidError(file, expected, `${at}status.${group}[${i}] is not an object`);
      out.push(...containerStates(s, `${at}status.${group}[${i}]`, file, subject, typeof s.name === 'string' ? images.get(s.name) : undefined));
    });
  }

  out.push(podStatus(meta!, spec, status, resources, podRes, at, file, expected, subject));
  return out;
}

function containerResources(res: Record<string, unknown> | undefined, role: ContainerResources['role'], path: string, file: string, expected: string): ContainerResources {
  const limits = asRecord(res?.limits);
  const requests = asRecord(res?.requests);
  return {
    role,
    limits: defined({ cpu: quantityAt(limits?.cpu, file, expected, `${path}.limits.cpu`), memory: quantityAt(limits?.memory, file, expected, `${path}.limits.memory`) }),
    requests: defined({ cpu: quantityAt(requests?.cpu, file, expected, `${path}.requests.cpu`), memory: quantityAt(requests?.memory, file, expected, `${path}.requests.memory`) }),
  };
}

function runtimeEvidence(c: Record<string, unknown>, path: string, file: string, subject: Subject): RuntimeEvidence {
  const env: { name: string; value?: string }[] = [];
  if (Array.isArray(c.env)) {
    for (const e of c.env) {
      const r = asRecord(e);
      if (!r || typeof r.name !== 'string') continue;
      // valueFrom (secretKeyRef, configMapKeyRef, fieldRef) has no value here; a literal value is read, never kept.
      env.push(typeof r.value === 'string' && r.valueFrom === undefined ? { name: r.name, value: r.value } : { name: r.name });
    }
  }
  const command = [...strings(c.command), ...strings(c.args)];
  const image = typeof c.image === 'string' ? c.image : undefined;
  return defined({
    kind: 'runtime' as const,
    cite: { file, at: path },
    subject,
    settings: runtimeSettings(defined({ env, command, image })),
    image,
    command: command.length > 0 ? redactArgs(command) : undefined,
  });
}

function podStatus(meta: Record<string, unknown>, spec: Record<string, unknown>, status: Record<string, unknown>,
  resources: ContainerResources[], podRes: Record<string, unknown> | undefined, at: string, file: string, expected: string, subject: Subject): PodStatusEvidence {
  let qos = typeof status.qosClass === 'string' && QOS.has(status.qosClass) ? status.qosClass as PodStatusEvidence['qosClass'] : undefined;
  if (!qos) {
    // Pod-level resources (spec.resources, Kubernetes 1.32+) decide the class when set.
    const podLevel = podRes && (podRes.limits !== undefined || podRes.requests !== undefined);
    qos = qosClass(podLevel ? [containerResources(podRes, 'app', `${at}spec.resources`, file, expected)] : resources);
  }
  const owners = Array.isArray(meta.ownerReferences)
    ? meta.ownerReferences.map(asRecord).filter((o) => o && typeof o.kind === 'string' && typeof o.name === 'string').map((o) => ({ kind: o!.kind as string, name: o!.name as string }))
    : undefined;
  const conditions = Array.isArray(status.conditions)
    ? status.conditions.map(asRecord).filter((c) => c && typeof c.type === 'string').map((c) => defined({ type: c!.type as string, status: String(c!.status ?? ''), reason: str(c!.reason), message: str(c!.message) }))
    : undefined;
  const deletionTimestamp = k8sTime(meta.deletionTimestamp);
  const shown: Record<string, unknown> = {};
  for (const k of ['phase', 'reason']) if (typeof status[k] === 'string') shown[k] = status[k];
  if (deletionTimestamp) shown.deletionTimestamp = deletionTimestamp;
  return defined({
    kind: 'pod.status' as const,
    cite: { file, at: status.reason !== undefined ? `${at}status.reason` : status.phase !== undefined ? `${at}status.phase` : `${at}metadata`, excerpt: Object.keys(shown).length > 0 ? JSON.stringify(shown) : undefined },
    subject,
    phase: str(status.phase),
    qosClass: qos,
    reason: str(status.reason),
    message: str(status.message),
    deletionTimestamp,
    terminating: deletionTimestamp !== undefined ? true : undefined,
    terminationGracePeriodSeconds: typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined,
    deletionGracePeriodSeconds: typeof meta.deletionGracePeriodSeconds === 'number' ? meta.deletionGracePeriodSeconds : undefined,
    startTime: k8sTime(status.startTime),
    owners: owners && owners.length > 0 ? owners : undefined,
    conditions: conditions && conditions.length > 0 ? conditions : undefined,
  });
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
