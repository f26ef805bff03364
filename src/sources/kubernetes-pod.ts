import { z } from 'zod';
import type { Source } from './source.js';
import { RemoteAccessError } from '../clients/remote-access-error.js';
import { asRecord } from '../artifacts/kubernetes/as-record.js';
import { kubeRead } from './kubernetes/kube-read.js';
import { kubectlJson } from './kubernetes/kubectl-json.js';
import { podFacts } from './kubernetes/pod-facts.js';
import { podRef } from './kubernetes/pod-ref.js';

const NAME = 'kubernetes.pod';
const params = z.object({}).strict();

/**
 * `kubectl get pod -o json` for the target's pod (or the one the workload-pod step picked) → `pod.json`.
 * Facts (PodFacts): pod, namespace, podUid, nodeName, container, containerIds, containers (state/lastState
 * with startedAt/finishedAt), startedAt/finishedAt/exitCode/reason of the judged container, ownerReferences.
 */
export const kubernetesPodSource: Source<z.infer<typeof params>> = {
  name: NAME,
  reads: 'the Pod object (get pods)',
  params,
  async collect(ctx) {
    const ref = podRef(NAME, ctx);
    const { core } = ctx.clients.kubernetes(ref.context);
    const pod = await kubeRead(ctx.signal, (options) => core.readNamespacedPod({ name: ref.pod, namespace: ref.namespace }, options));
    const names = containerNames(pod);
    if (ref.container !== undefined && !names.includes(ref.container)) {
      throw new RemoteAccessError('not_found', `container ${ref.container} is not in pod ${ref.namespace}/${ref.pod}; it has ${names.join(', ')}`);
    }
    return {
      artifacts: [{ name: 'pod.json', content: kubectlJson(pod) }],
      facts: { ...podFacts(pod, ref.container) },
      calls: 1,
    };
  },
};

function containerNames(pod: Record<string, unknown>): string[] {
  const spec = asRecord(pod.spec);
  return ['initContainers', 'containers', 'ephemeralContainers']
    .flatMap((g) => (Array.isArray(spec?.[g]) ? spec[g] : []) as unknown[])
    .map((c) => asRecord(c)?.name)
    .filter((n): n is string => typeof n === 'string');
}
