import type { Target } from '../../targets/target.js';
import { Why137Error } from '../../errors/why137-error.js';

export type KubernetesTarget = Extract<Target, { kind: 'k8s' | 'k8s-workload' }>;

/** The target, when it is a Kubernetes one; a runbook wiring a Kubernetes source to another platform is a runbook bug. */
export function kubernetesTarget(source: string, target: Target): KubernetesTarget {
  if (target.kind === 'k8s' || target.kind === 'k8s-workload') return target;
  throw new Why137Error('why137_runbook_invalid', `${source}: reads the Kubernetes API, but the target is ${target.kind}; use it only in Kubernetes runbooks`);
}
