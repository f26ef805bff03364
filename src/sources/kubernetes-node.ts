import { z } from 'zod';
import type { Source } from './source.js';
import { RemoteAccessError } from '../clients/remote-access-error.js';
import { asRecord } from '../artifacts/kubernetes/as-record.js';
import { kubeRead } from './kubernetes/kube-read.js';
import { kubectlJson } from './kubernetes/kubectl-json.js';
import { podRef } from './kubernetes/pod-ref.js';

const NAME = 'kubernetes.node';
const params = z.object({}).strict();

/**
 * `kubectl get node -o json` for the node the pod ran on (the pod step's `nodeName` fact) → `node.json`.
 * Facts: nodeName, kubeletVersion, memoryPressure ('True' | 'False' | 'Unknown').
 */
export const kubernetesNodeSource: Source<z.infer<typeof params>> = {
  name: NAME,
  reads: 'the Node the pod ran on (get nodes)',
  params,
  async collect(ctx) {
    const ref = podRef(NAME, ctx);
    if (!ref.nodeName) {
      throw new RemoteAccessError('not_found', `pod ${ref.namespace}/${ref.pod} names no node (not scheduled, or the pod step did not run before this one), so there is no Node to read`);
    }
    const nodeName = ref.nodeName;
    const { core } = ctx.clients.kubernetes(ref.context);
    const node = await kubeRead(ctx.signal, (options) => core.readNode({ name: nodeName }, options));
    const status = asRecord(node.status);
    const pressure = (Array.isArray(status?.conditions) ? status.conditions : []).map(asRecord).find((c) => c?.type === 'MemoryPressure');
    const kubeletVersion = asRecord(status?.nodeInfo)?.kubeletVersion;
    return {
      artifacts: [{ name: 'node.json', content: kubectlJson(node) }],
      facts: {
        nodeName,
        ...(typeof kubeletVersion === 'string' ? { kubeletVersion } : {}),
        ...(typeof pressure?.status === 'string' ? { memoryPressure: pressure.status } : {}),
      },
      calls: 1,
    };
  },
};
