import { z } from 'zod';
import type { Source } from './source.js';
import type { KubernetesClients } from '../clients/clients.js';
import { RemoteAccessError } from '../clients/remote-access-error.js';
import { asRecord } from '../artifacts/kubernetes/as-record.js';
import { kubeRead } from './kubernetes/kube-read.js';
import { kubernetesTarget } from './kubernetes/kubernetes-target.js';
import { labelSelector } from './kubernetes/label-selector.js';
import { lastKill, type Kill } from './kubernetes/last-kill.js';
import { ownerReferences } from './kubernetes/owner-references.js';
import { readWorkload } from './kubernetes/read-workload.js';

const NAME = 'kubernetes.workload-pod';
const KINDS = { deployment: 'Deployment', statefulset: 'StatefulSet', daemonset: 'DaemonSet', job: 'Job' } as const;
const PAGE = 500;
const params = z.object({
  /** Most pods looked at (a DaemonSet on a large cluster has one per node). */
  maxPods: z.number().int().positive().max(20000).default(5000),
}).strict();

/**
 * For a `k8s-workload` target: lists the workload's pods (its selector, then ownership: a Deployment's pods
 * through its ReplicaSets) and picks the newest whose container exited 137 or was OOMKilled, or that was
 * evicted. No artifact; facts for the pod-level steps: pod, namespace, podUid, nodeName, container,
 * finishedAt (the kill), killReason (OOMKilled | exit137 | Evicted), workloadKind, workloadName, podsChecked,
 * killedPods. None killed: a not_found error. A `k8s` target passes its pod through without a call.
 */
export const kubernetesWorkloadPodSource: Source<z.infer<typeof params>> = {
  name: NAME,
  reads: "the workload and its pods (get deployments|statefulsets|daemonsets|jobs, list replicasets, list pods)",
  params,
  async collect(ctx) {
    const target = kubernetesTarget(NAME, ctx.target);
    if (target.kind === 'k8s') return { artifacts: [], facts: { pod: target.pod, namespace: target.namespace }, calls: 0 };
    const kind = KINDS[target.workload];
    const what = `${target.workload} ${target.namespace}/${target.name}`;
    const k = ctx.clients.kubernetes(target.context);
    const workload = await readWorkload(k, kind, target.namespace, target.name, ctx.signal)!;
    let calls = 1;
    const selector = labelSelector(asRecord(workload.spec)?.selector);
    if (!selector) throw new RemoteAccessError('not_found', `${what} has no pod selector, so it selects no pods`);
    const uid = asRecord(workload.metadata)?.uid;

    let owners = new Set([uid]);
    if (kind === 'Deployment') {
      // NOTE: a Deployment owns ReplicaSets, which own the pods; a selector alone could match another workload's pods.
      const sets = await listAll(k, 'replicasets', target.namespace, selector, ctx.params.maxPods, ctx.signal);
      calls += sets.calls;
      owners = new Set(sets.items.filter((rs) => controllerUid(rs) === uid).map((rs) => asRecord(rs.metadata)?.uid));
    }
    const pods = await listAll(k, 'pods', target.namespace, selector, ctx.params.maxPods, ctx.signal);
    calls += pods.calls;
    const mine = pods.items.filter((p) => { const c = controllerUid(p); return c !== undefined && owners.has(c); });
    const killed = mine.map((pod) => ({ pod, kill: lastKill(pod, target.container) })).filter((c): c is { pod: Record<string, unknown>; kill: Kill } => c.kill !== undefined);
    killed.sort((a, b) => Date.parse(b.kill.at) - Date.parse(a.kill.at));
    const pick = killed[0];
    if (!pick) {
      const which = target.container ? `container ${target.container} in` : 'a container in';
      throw new RemoteAccessError('not_found', `${what}: none of its ${mine.length} pods has ${which} it that exited 137 or was OOMKilled, and none was evicted (pods deleted since are not listed); name a pod instead`);
    }
    const meta = asRecord(pick.pod.metadata)!;
    const nodeName = asRecord(pick.pod.spec)?.nodeName;
    return {
      artifacts: [],
      facts: {
        pod: meta.name,
        namespace: meta.namespace ?? target.namespace,
        ...(typeof meta.uid === 'string' ? { podUid: meta.uid } : {}),
        ...(typeof nodeName === 'string' && nodeName !== '' ? { nodeName } : {}),
        ...(pick.kill.container !== undefined ? { container: pick.kill.container } : {}),
        finishedAt: pick.kill.at,
        killReason: pick.kill.reason,
        workloadKind: kind,
        workloadName: target.name,
        podsChecked: mine.length,
        killedPods: killed.length,
      },
      calls,
    };
  },
};

function controllerUid(obj: Record<string, unknown>): string | undefined {
  return ownerReferences(obj).find((o) => o.controller)?.uid;
}

async function listAll(k: KubernetesClients, what: 'pods' | 'replicasets', namespace: string, selector: string, max: number, signal: AbortSignal): Promise<{ items: Record<string, unknown>[]; calls: number }> {
  const items: Record<string, unknown>[] = [];
  let calls = 0;
  let cont: string | undefined;
  do {
    const q = { namespace, labelSelector: selector, limit: Math.min(PAGE, max - items.length), ...(cont ? { _continue: cont } : {}) };
    const page = await kubeRead(signal, (o) => (what === 'pods' ? k.core.listNamespacedPod(q, o) : k.apps.listNamespacedReplicaSet(q, o)));
    calls++;
    for (const i of Array.isArray(page.items) ? page.items : []) if (asRecord(i)) items.push(i as Record<string, unknown>);
    const next = asRecord(page.metadata)?.continue;
    cont = typeof next === 'string' && next !== '' ? next : undefined;
  } while (cont && items.length < max);
  return { items, calls };
}
