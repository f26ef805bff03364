import type { FactorRule } from '../rule.js';
import { fact } from '../fact.js';
import type { CitedFact } from '../verdict.js';

const PRESSURE_EVENTS = new Set(['NodeHasInsufficientMemory', 'EvictionThresholdMet', 'SystemOOM']);

/** The node or host itself is short of memory: MemoryPressure, a global OOM, systemd-oomd, node events. */
export const nodeMemoryPressure: FactorRule = (c, cause) => {
  const cites: CitedFact[] = [];
  if (c.node?.memoryPressure) cites.push(fact(c.node, `node ${c.node.name} condition MemoryPressure=True`));
  for (const e of c.nodeEvents.filter((x) => PRESSURE_EVENTS.has(x.reason)).slice(0, 2)) cites.push(fact(e, `node event ${e.reason}: ${e.message}`));
  for (const o of c.kernelOoms.filter((k) => k.scope === 'global' || k.scope === 'oomd').slice(0, 1)) cites.push(fact(o, o.scope === 'oomd' ? 'systemd-oomd acted on memory pressure' : 'a global OOM: the machine ran out'));
  if (cause === 'eviction' && c.pod?.message && /low on resource: memory/i.test(c.pod.message)) cites.push(fact(c.pod, 'the eviction message says the node was low on memory'));
  if (cites.length === 0) return null;
  return {
    code: 'node_memory_pressure', confidence: 'high', evidence: cites,
    summary: 'The node itself is under memory pressure: workloads there are packed past what it has.',
  };
};
