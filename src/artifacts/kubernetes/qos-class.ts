import type { ContainerResources } from './container-resources.js';

type Qos = 'Guaranteed' | 'Burstable' | 'BestEffort';
const RESOURCES = ['cpu', 'memory'] as const;

/**
 * The pod's QoS class by Kubernetes' own rules (pkg/apis/core/helper/qos): only cpu and memory count;
 * Guaranteed when every container (init ones too) has both limits and the summed requests equal the summed
 * limits; BestEffort when nothing is requested or limited; Burstable otherwise. A request left out defaults
 * to the limit, as the API server's defaulting does before `kubectl get` shows a pod.
 */
export function qosClass(containers: readonly ContainerResources[]): Qos {
  const requests: Record<string, number> = {};
  const limits: Record<string, number> = {};
  let guaranteed = true;
  for (const c of containers) {
    for (const r of RESOURCES) {
      const limit = c.limits[r];
      const request = c.requests[r] ?? limit;
      if (request !== undefined && request > 0) requests[r] = (requests[r] ?? 0) + request;
      if (limit !== undefined && limit > 0) limits[r] = (limits[r] ?? 0) + limit;
      else guaranteed = false;
    }
  }
  if (Object.keys(requests).length === 0 && Object.keys(limits).length === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [r, req] of Object.entries(requests)) if (limits[r] !== req) { guaranteed = false; break; }
  }
  return guaranteed && Object.keys(requests).length === Object.keys(limits).length ? 'Guaranteed' : 'Burstable';
}
