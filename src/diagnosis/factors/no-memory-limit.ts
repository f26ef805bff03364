import type { FactorRule } from '../rule.js';
import { fact } from '../fact.js';
import { hardLimit } from '../build-case.js';

/** No hard limit on the container, its pod or its task (Fargate task memory is a hard limit; Lambda always has one). */
export const noMemoryLimit: FactorRule = (c) => {
  if (c.platform === 'lambda' || c.platform === 'host') return null;
  if (hardLimit(c)) return null;
  const l = c.containerLimits;
  if (!l || l.memoryLimitBytes !== null) return null;
  if (c.groupLimits.some((g) => g.launchType === 'FARGATE')) return null;
  return {
    code: 'no_memory_limit', confidence: 'high', evidence: [fact(l, 'no hard memory limit on the container' + (c.groupLimits.length ? ' or its ' + c.groupLimits[0]!.scope : ''))],
    summary: 'No hard memory limit is set: it can take the whole machine, and the host OOM killer decides who dies.',
  };
};
