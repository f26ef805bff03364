import type { FactorRule } from '../rule.js';
import { fact } from '../fact.js';
import { toEpochMs } from '../time.js';

// Three restarts is where the kubelet's back-off is already in minutes: it is a loop, not a blip.
const OOM_LOOP_MIN_RESTARTS = 3;
// Dying within this long of starting is dying in warm-up (caches, JIT, connection pools filling).
const WARM_UP_SECONDS = 600;
const OOM_CAUSES = new Set(['cgroup_oom', 'host_oom']);

/** Repeated OOM kills soon after start (CrashLoopBackOff, many restarts, short uptime): it dies in warm-up. */
export const oomLoop: FactorRule = (c, cause) => {
  if (!OOM_CAUSES.has(cause) || !c.judged) return null;
  const j = c.judged;
  const restarts = Math.max(...c.states.map((s) => s.restartCount ?? 0), 0);
  const up = (toEpochMs(j.finishedAt) ?? NaN) - (toEpochMs(j.startedAt) ?? NaN);
  const short = !Number.isNaN(up) && up >= 0 && up <= WARM_UP_SECONDS * 1000;
  const backoff = c.states.find((s) => s.waitingReason === 'CrashLoopBackOff');
  const repeatedKernel = new Set(c.kernelOoms.map((o) => `${o.pid}`)).size >= 2 ? c.kernelOoms : [];
  if (!((restarts >= OOM_LOOP_MIN_RESTARTS && (short || backoff)) || repeatedKernel.length >= OOM_LOOP_MIN_RESTARTS)) return null;
  const cites = [fact(j, `restarted ${restarts} times${short ? `; the last run lasted ${Math.round(up / 1000)}s` : ''}`)];
  if (backoff) cites.push(fact(backoff, 'waiting in CrashLoopBackOff'));
  if (repeatedKernel.length >= OOM_LOOP_MIN_RESTARTS) cites.push(fact(repeatedKernel[0]!, `${repeatedKernel.length} OOM kills of this target in the kernel log`));
  return {
    code: 'oom_loop', confidence: 'high', evidence: cites,
    summary: `It is OOM-killed again and again soon after starting (${restarts} restarts): it needs more memory than the limit just to warm up, so restarting will not help.`,
  };
};
