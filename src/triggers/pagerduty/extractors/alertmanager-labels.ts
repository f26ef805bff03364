import type { TargetExtractor } from './target-extractor.js';
import { collectLabels } from './collect-labels.js';

/**
 * Prometheus/Alertmanager alerts about a pod (KubePodCrashLooping, KubeContainerOOMKilled, …): labels
 * `namespace` and `pod`, plus `container`, plus `cluster` (or `context`) as the kube context when
 * kubernetes.contexts lists it. With no contexts configured the cluster label is not used: a label is
 * not a kubeconfig context name, and a wrong one would fail every diagnosis.
 */
export const alertmanagerLabels: TargetExtractor = (fields, ctx) => {
  const l = collectLabels(fields);
  const namespace = l.namespace ?? l.kubernetes_namespace;
  const pod = l.pod ?? l.pod_name ?? l.kubernetes_pod_name;
  if (!namespace || !pod) return undefined;
  const container = l.container ?? l.container_name;
  const cluster = l.context ?? l.cluster;
  let context: string | undefined;
  if (cluster && ctx.kubeContexts.length > 0) {
    if (!ctx.kubeContexts.includes(cluster)) return { error: `label cluster=${cluster} is not one of kubernetes.contexts (${ctx.kubeContexts.join(', ')})` };
    context = cluster;
  }
  const segments = [context, namespace, pod, container && container !== 'POD' ? container : undefined].filter((s) => s !== undefined);
  return `k8s:${segments.join('/')}`;
};
