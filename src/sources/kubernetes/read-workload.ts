import type { ConfigurationOptions } from '@kubernetes/client-node';
import type { KubernetesClients } from '../../clients/clients.js';
import { kubeRead } from './kube-read.js';

type Reader = (k: KubernetesClients, p: { name: string; namespace: string }, o: ConfigurationOptions) => Promise<unknown>;

const READERS: Record<string, Reader> = {
  ReplicaSet: (k, p, o) => k.apps.readNamespacedReplicaSet(p, o),
  Deployment: (k, p, o) => k.apps.readNamespacedDeployment(p, o),
  StatefulSet: (k, p, o) => k.apps.readNamespacedStatefulSet(p, o),
  DaemonSet: (k, p, o) => k.apps.readNamespacedDaemonSet(p, o),
  Job: (k, p, o) => k.batch.readNamespacedJob(p, o),
  CronJob: (k, p, o) => k.batch.readNamespacedCronJob(p, o),
};

/**
 * Reads one workload (ReplicaSet, Deployment, StatefulSet, DaemonSet, Job, CronJob) raw, as the API server sent
 * it; undefined, without a call, for any other kind (a Node for mirror pods, a custom controller).
 */
export function readWorkload(k: KubernetesClients, kind: string, namespace: string, name: string, signal: AbortSignal): Promise<Record<string, unknown>> | undefined {
  const read = Object.hasOwn(READERS, kind) ? READERS[kind] : undefined;
  return read ? kubeRead(signal, (o) => read(k, { name, namespace }, o)) : undefined;
}
