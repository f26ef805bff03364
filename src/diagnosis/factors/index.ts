import type { FactorRule } from '../rule.js';
import { noMemoryLimit } from './no-memory-limit.js';
import { softLimitOnly } from './soft-limit-only.js';
import { qosClass } from './qos-class.js';
import { runtimeUnawareOfLimit } from './runtime-unaware-of-limit.js';
import { heapAtOrAboveLimit } from './heap-at-or-above-limit.js';
import { oomLoop } from './oom-loop.js';
import { memoryLeak } from './memory-leak.js';
import { nearLimit } from './near-limit.js';
import { nodeMemoryPressure } from './node-memory-pressure.js';

/** Factor rules; every one that applies is reported. */
export const factorRules: readonly FactorRule[] = [
  noMemoryLimit,
  softLimitOnly,
  qosClass,
  runtimeUnawareOfLimit,
  heapAtOrAboveLimit,
  oomLoop,
  memoryLeak,
  nearLimit,
  nodeMemoryPressure,
];
