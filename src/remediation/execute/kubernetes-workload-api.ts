import { PatchStrategy, setHeaderOptions, type ConfigurationOptions } from '@kubernetes/client-node';
import type { KubernetesClients } from '../../clients/clients.js';
import type { Edit } from '../edit.js';
import { kubeRead } from '../../sources/kubernetes/kube-read.js';

type Kind = Extract<Edit, { platform: 'kubernetes' }>['workload']['kind'];
type Ref = { name: string; namespace: string };
type Patcher = (k: KubernetesClients, p: Ref & { body: unknown; fieldManager: string }, o: ConfigurationOptions) => Promise<unknown>;
type Reader = (k: KubernetesClients, p: Ref, o: ConfigurationOptions) => Promise<unknown>;

const READ: Record<Kind, Reader> = {
  Deployment: (k, p, o) => k.apps.readNamespacedDeployment(p, o),
  StatefulSet: (k, p, o) => k.apps.readNamespacedStatefulSet(p, o),
  DaemonSet: (k, p, o) => k.apps.readNamespacedDaemonSet(p, o),
  CronJob: (k, p, o) => k.batch.readNamespacedCronJob(p, o),
};
const PATCH: Record<Kind, Patcher> = {
  Deployment: (k, p, o) => k.apps.patchNamespacedDeployment(p, o),
  StatefulSet: (k, p, o) => k.apps.patchNamespacedStatefulSet(p, o),
  DaemonSet: (k, p, o) => k.apps.patchNamespacedDaemonSet(p, o),
  CronJob: (k, p, o) => k.batch.patchNamespacedCronJob(p, o),
};

// Shows in managedFields, so `kubectl get -o yaml --show-managed-fields` tells why137's change from anyone else's.
const FIELD_MANAGER = 'why137';

/** GET and strategic-merge PATCH of one workload, raw as the API server sends it (KubernetesApiError on an error status). */
export const kubernetesWorkloadApi = {
  read(k: KubernetesClients, kind: Kind, ref: Ref, signal: AbortSignal): Promise<Record<string, unknown>> {
    return kubeRead(signal, (o) => READ[kind](k, ref, o));
  },
  patch(k: KubernetesClients, kind: Kind, ref: Ref, body: unknown, signal: AbortSignal): Promise<Record<string, unknown>> {
    return kubeRead(signal, (o) => PATCH[kind](k, { ...ref, body, fieldManager: FIELD_MANAGER }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch, o)));
  },
};
