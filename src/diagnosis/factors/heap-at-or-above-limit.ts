import type { FactorRule } from '../rule.js';
import { fact } from '../fact.js';
import { hardLimit } from '../build-case.js';
import { formatBytes } from '../format-bytes.js';

const MIB = 1024 * 1024;

/** An explicit runtime heap ceiling at or above the hard limit: the kernel kills before the runtime collects. */
export const heapAtOrAboveLimit: FactorRule = (c) => {
  if (!c.runtime) return null;
  const limitBytes = hardLimit(c)?.memoryLimitBytes ?? (c.lambdaConfig?.memorySizeMb ? c.lambdaConfig.memorySizeMb * MIB : undefined);
  if (!limitBytes) return null;
  const s = c.runtime.settings;
  const src = s.settingSources ?? {};
  const limit = formatBytes(limitBytes);
  let claim: string | undefined;
  if (s.nodeMaxOldSpaceMb !== undefined && s.nodeMaxOldSpaceMb * MIB >= limitBytes) claim = `--max-old-space-size=${s.nodeMaxOldSpaceMb} (${src.nodeMaxOldSpaceMb ?? 'NODE_OPTIONS'}) is at or above the ${limit} limit`;
  else if (s.jvmXmxBytes !== undefined && s.jvmXmxBytes >= limitBytes) claim = `-Xmx ${formatBytes(s.jvmXmxBytes)} (${src.jvmXmxBytes ?? 'JVM options'}) is at or above the ${limit} limit`;
  else if (s.jvmMaxRamPercentage !== undefined && s.jvmMaxRamPercentage >= 100) claim = `-XX:MaxRAMPercentage=${s.jvmMaxRamPercentage} gives the heap the whole ${limit} limit`;
  else if (s.goMemLimitBytes !== undefined && s.goMemLimitBytes >= limitBytes) claim = `GOMEMLIMIT ${formatBytes(s.goMemLimitBytes)} is at or above the ${limit} limit`;
  if (!claim) return null;
  return {
    code: 'heap_at_or_above_limit', confidence: 'high', evidence: [fact(c.runtime, claim)],
    summary: `The runtime's heap ceiling is at or above the memory limit (${claim}); heap plus everything off-heap cannot fit, so a 137 is guaranteed under load. Put the ceiling at about 75% of the limit.`,
  };
};
