import type { FactorRule } from '../rule.js';
import { fact } from '../fact.js';

/** Kubernetes QoS class BestEffort or Burstable: killed or evicted before Guaranteed pods under node pressure. */
export const qosClass: FactorRule = (c) => {
  const q = c.pod?.qosClass;
  if (!c.pod || (q !== 'BestEffort' && q !== 'Burstable')) return null;
  if (q === 'BestEffort') {
    return { code: 'besteffort_qos', confidence: 'high', evidence: [fact(c.pod, 'QoS class BestEffort (no requests or limits)')], summary: 'QoS class BestEffort: first to be OOM-killed or evicted when the node is short of memory.' };
  }
  return { code: 'burstable_qos', confidence: 'high', evidence: [fact(c.pod, 'QoS class Burstable (requests below limits)')], summary: 'QoS class Burstable: requests are below limits, so the node can be overcommitted and this pod is evicted before Guaranteed ones.' };
};
