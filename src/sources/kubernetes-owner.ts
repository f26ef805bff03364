import { z } from 'zod';
import type { Source } from './source.js';
import { RemoteAccessError } from '../clients/remote-access-error.js';
import { asRecord } from '../artifacts/kubernetes/as-record.js';
import { kubeRead } from './kubernetes/kube-read.js';
import { kubectlJson } from './kubernetes/kubectl-json.js';
import { ownerReferences, type OwnerRef } from './kubernetes/owner-references.js';
import { podRef } from './kubernetes/pod-ref.js';
import { readWorkload } from './kubernetes/read-workload.js';
import { workloadSummary } from './kubernetes/workload-summary.js';

const NAME = 'kubernetes.owner';
// The owners worth walking past: a ReplicaSet is managed by its Deployment, a Job by its CronJob.
const MANAGED_BY: Record<string, string> = { ReplicaSet: 'Deployment', Job: 'CronJob' };
const params = z.object({}).strict();

/**
 * Walks the pod's controller ownerReferences (ReplicaSet → Deployment, Job → CronJob, StatefulSet, DaemonSet)
 * and writes the workload that manages it, cut to identity, resources and env names → `owner.json`.
 * Facts: workloadKind, workloadName, workloadNamespace, workloadUid, resourceVersion, generation, ownerChain
 * (`ReplicaSet/x`, `Deployment/y`), and unreadOwner when the chain ends at a kind it does not read.
 * A pod without a controller yields no artifact and `ownerChain: []`.
 */
export const kubernetesOwnerSource: Source<z.infer<typeof params>> = {
  name: NAME,
  reads: 'the workload that owns the pod (get replicasets, deployments, statefulsets, daemonsets, jobs, cronjobs)',
  params,
  async collect(ctx) {
    const ref = podRef(NAME, ctx);
    const k = ctx.clients.kubernetes(ref.context);
    let calls = 0;
    let owners = ref.ownerReferences;
    if (!owners) {
      const pod = await kubeRead(ctx.signal, (o) => k.core.readNamespacedPod({ name: ref.pod, namespace: ref.namespace }, o));
      calls++;
      owners = ownerReferences(pod);
    }
    const chain: string[] = [];
    let workload: Record<string, unknown> | undefined;
    let unreadOwner: string | undefined;
    let next = controllerOf(owners);
    while (next) {
      const pending = readWorkload(k, next.kind, ref.namespace, next.name, ctx.signal);
      if (!pending) { unreadOwner = `${next.kind}/${next.name}`; break; }
      const obj = await pending;
      calls++;
      const uid = asRecord(obj.metadata)?.uid;
      if (next.uid !== '' && uid !== next.uid) {
        throw new RemoteAccessError('not_found', `${next.kind} ${ref.namespace}/${next.name} was replaced: it has uid ${String(uid)}, the owner recorded was ${next.uid}`);
      }
      chain.push(`${next.kind}/${next.name}`);
      workload = obj;
      const up = controllerOf(ownerReferences(obj));
      next = up && MANAGED_BY[next.kind] === up.kind ? up : undefined;
      if (up && !next) unreadOwner = `${up.kind}/${up.name}`;
    }
    if (!workload) {
      return { artifacts: [], facts: { ownerChain: chain, ...(unreadOwner ? { unreadOwner } : {}) }, calls };
    }
    const summary = workloadSummary(workload);
    const meta = asRecord(summary.metadata)!;
    return {
      artifacts: [{ name: 'owner.json', content: kubectlJson(summary) }],
      facts: {
        workloadKind: workload.kind,
        workloadName: meta.name,
        workloadNamespace: meta.namespace ?? ref.namespace,
        workloadUid: meta.uid,
        resourceVersion: meta.resourceVersion,
        ...(meta.generation !== undefined ? { generation: meta.generation } : {}),
        ownerChain: chain,
        ...(unreadOwner ? { unreadOwner } : {}),
      },
      calls,
    };
  },
};

/** The managing controller: the reference marked controller, else the only one. */
function controllerOf(refs: OwnerRef[]): OwnerRef | undefined {
  return refs.find((r) => r.controller) ?? (refs.length === 1 ? refs[0] : undefined);
}
