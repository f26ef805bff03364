import type { PlanContext } from './plan-context.js';

/** The object a Kubernetes change must be made on: the pod's controller, or why none can be patched. */
export interface KubernetesWorkload {
  /** `deployment/web`, `statefulset/db`, `cronjob/report`, `pod/x`. */
  ref: string;
  /** Where the pod spec sits in that object: `spec.template.spec`, `spec.jobTemplate.spec.template.spec`, `spec`. */
  podSpecPath: string;
  /** A change to it reaches new pods (false: bare pod, Job, unknown owner). */
  patchable: boolean;
  /** What a person must know when it is not patchable, or a caveat when it is. */
  note?: string;
  /** The workload an executor patches: only controllers whose pod template it can change (not a bare ReplicaSet). */
  editable?: { kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob'; name: string };
}

// NOTE: the Deployment controller names ReplicaSets `<deployment>-<pod-template-hash>`, the hash written
// with the alphabet of k8s.io/apimachinery/pkg/util/rand.SafeEncodeString (no vowels, no 0/1/3).
const POD_TEMPLATE_HASH = /^(.+)-[bcdfghjklmnpqrstvwxz2456789]{5,10}$/;
// NOTE: the CronJob controller names Jobs `<cronjob>-<scheduled time in minutes since the epoch>`.
const CRONJOB_JOB = /^(.+)-\d{8,}$/;

/** Resolves the workload to patch from pod.status owners (ownerReferences). */
export function kubernetesWorkload(ctx: PlanContext): KubernetesWorkload {
  const pod = ctx.target.pod ?? ctx.pod?.subject.pod ?? 'POD';
  const owners = ctx.pod?.owners;
  if (owners === undefined) {
    return { ref: `pod/${pod}`, podSpecPath: 'spec', patchable: false, note: `the owner of pod ${pod} is not in the evidence: make the change on the workload that owns it (kubectl get pod ${pod} -o jsonpath='{.metadata.ownerReferences}')` };
  }
  const owner = owners.find((o) => o.kind !== 'Node') ?? owners[0];
  if (owner === undefined) {
    return { ref: `pod/${pod}`, podSpecPath: 'spec', patchable: false, note: `pod ${pod} has no controller: a pod's resources cannot be changed in place, so it must be recreated from its manifest with the change` };
  }
  switch (owner.kind) {
    case 'ReplicaSet': {
      const m = POD_TEMPLATE_HASH.exec(owner.name);
      if (m) return { ref: `deployment/${m[1]}`, podSpecPath: 'spec.template.spec', patchable: true, editable: { kind: 'Deployment', name: m[1]! } };
      return { ref: `replicaset/${owner.name}`, podSpecPath: 'spec.template.spec', patchable: true, note: 'a bare ReplicaSet does not replace running pods: delete them after the change' };
    }
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Deployment':
      return { ref: `${owner.kind.toLowerCase()}/${owner.name}`, podSpecPath: 'spec.template.spec', patchable: true, editable: { kind: owner.kind as 'Deployment' | 'StatefulSet' | 'DaemonSet', name: owner.name } };
    case 'Job': {
      const m = CRONJOB_JOB.exec(owner.name);
      if (m) return { ref: `cronjob/${m[1]}`, podSpecPath: 'spec.jobTemplate.spec.template.spec', patchable: true, note: 'the change applies from the next scheduled run', editable: { kind: 'CronJob', name: m[1]! } };
      return { ref: `job/${owner.name}`, podSpecPath: 'spec.template.spec', patchable: false, note: `a Job's pod template cannot be changed: recreate job ${owner.name} from its manifest with the change` };
    }
    default:
      return { ref: `${owner.kind.toLowerCase()}/${owner.name}`, podSpecPath: 'spec.template.spec', patchable: false, note: `pod ${pod} is owned by ${owner.kind} ${owner.name}: make the change where that controller takes its pod template from` };
  }
}
