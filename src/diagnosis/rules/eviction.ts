import type { CauseRule } from '../rule.js';
import { fact } from '../fact.js';
import type { CitedFact } from '../verdict.js';
import { parseQuantity } from '../../util/parse-quantity.js';
import { formatBytes } from '../format-bytes.js';

/** The kubelet evicted the pod: status reason Evicted, an Evicted event, or a kubelet DisruptionTarget condition. */
export const eviction: CauseRule = (c) => {
  const cites: CitedFact[] = [];
  let message: string | undefined;
  if (c.pod?.reason === 'Evicted') {
    cites.push(fact(c.pod, `pod status reason is Evicted${c.pod.message ? `: ${c.pod.message}` : ''}`));
    message = c.pod.message;
  }
  for (const e of c.events) {
    if (e.reason === 'Evicted' || e.reason === 'Evicting') {
      cites.push(fact(e, `event ${e.reason}: ${e.message}`));
      message ??= e.message;
    }
  }
  const cond = c.pod?.conditions?.find((k) => k.type === 'DisruptionTarget' && k.status === 'True' && k.reason === 'TerminationByKubelet');
  if (c.pod && cond && /low on resource/i.test(cond.message ?? '')) {
    cites.push(fact(c.pod, `condition DisruptionTarget: ${cond.message}`));
    message ??= cond.message;
  }
  if (cites.length === 0) return null;
  const resource = /low on resource:\s*([\w-]+)/i.exec(message ?? '')?.[1];
  const using = /Container (\S+) was using ([^\s,]+), request is ([^\s,]+)/i.exec(message ?? '');
  const size = (q: string) => { const b = parseQuantity(q); return b === undefined ? q : formatBytes(b); };
  const detail = using ? ` Container ${using[1]} was using ${size(using[2]!)} against a request of ${size(using[3]!)}.` : '';
  const memory = !resource || resource === 'memory';
  return {
    code: 'eviction',
    confidence: 'high',
    summary: memory
      ? `The kubelet evicted the pod because node ${c.target.node ?? ''} was low on memory.${detail} Pods using more than they request go first: set requests to what the app really uses (requests = limits for Guaranteed QoS).`.replace('node  was', 'the node was')
      : `The kubelet evicted the pod because the node was low on ${resource} (not memory).${detail}`,
    evidence: cites,
  };
};
