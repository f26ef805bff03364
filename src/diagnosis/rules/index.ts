import type { CauseRule } from '../rule.js';
import { eviction } from './eviction.js';
import { lambdaOom } from './lambda-oom.js';
import { kernelReportedOom } from './kernel-reported-oom.js';
import { flaggedOom } from './flagged-oom.js';
import { untiedGlobalOom } from './untied-global-oom.js';
import { runtimeHeapLimit } from './runtime-heap-limit.js';
import { probeFailure } from './probe-failure.js';
import { stopTimeout } from './stop-timeout.js';
import { externalSigkill } from './external-sigkill.js';
import { notAKill } from './not-a-kill.js';

/**
 * Cause rules in the order they are tried; the first that answers decides. Memory evidence comes
 * before probes and stops (a few failed probes beside an OOMKilled reason do not outrank the OOM), and
 * external_sigkill comes last because it needs every other explanation ruled out.
 */
export const causeRules: readonly CauseRule[] = [
  eviction,
  lambdaOom,
  kernelReportedOom,
  flaggedOom,
  untiedGlobalOom,
  runtimeHeapLimit,
  probeFailure,
  stopTimeout,
  externalSigkill,
  notAKill,
];
