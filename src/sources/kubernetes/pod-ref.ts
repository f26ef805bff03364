import type { CollectContext } from '../source.js';
import { Why137Error } from '../../errors/why137-error.js';
import { kubernetesTarget } from './kubernetes-target.js';
import type { OwnerRef } from './owner-references.js';

/** The pod a Kubernetes step is about, and what earlier steps learnt of it. */
export interface PodRef {
  context?: string;
  namespace: string;
  pod: string;
  podUid?: string;
  nodeName?: string;
  container?: string;
  ownerReferences?: OwnerRef[];
}

/**
 * The pod from the facts of a step this one needs (the pod step's `pod`, `namespace`, `podUid`, `nodeName`,
 * `ownerReferences`; or the workload-pod step's `pod`, `namespace`), else the `k8s` target's own pod.
 */
export function podRef(source: string, ctx: CollectContext<unknown>): PodRef {
  const target = kubernetesTarget(source, ctx.target);
  const outputs = Object.values(ctx.needs).map((o) => o.facts);
  const named = outputs.filter((f) => typeof f.pod === 'string' && typeof f.namespace === 'string');
  // The pod step's own facts (it lists containerIds) are fresher than the workload-pod step's pick.
  const facts = named.find((f) => Array.isArray(f.containerIds)) ?? named.find((f) => typeof f.podUid === 'string') ?? named[0];
  const ref: PodRef = facts
    ? { namespace: facts.namespace as string, pod: facts.pod as string }
    : target.kind === 'k8s'
      ? { namespace: target.namespace, pod: target.pod }
      : fail(source, target.workload, target.name);
  if (target.context !== undefined) ref.context = target.context;
  if (typeof facts?.podUid === 'string') ref.podUid = facts.podUid;
  if (typeof facts?.nodeName === 'string') ref.nodeName = facts.nodeName;
  if (Array.isArray(facts?.ownerReferences)) ref.ownerReferences = facts.ownerReferences as OwnerRef[];
  const container = target.container ?? (typeof facts?.container === 'string' ? facts.container : undefined);
  if (container !== undefined) ref.container = container;
  return ref;
}

function fail(source: string, workload: string, name: string): never {
  throw new Why137Error('why137_runbook_invalid', `${source}: the target is ${workload} ${name}, not a pod, and no step it needs names one; add kubernetes.workload-pod to its needs`);
}
