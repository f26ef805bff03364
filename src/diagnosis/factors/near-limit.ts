import type { FactorRule } from '../rule.js';
import { fact } from '../fact.js';

// Lambda reports near-OOM above 85%: GC thrash starts there, and one bigger payload ends it.
const NEAR_LIMIT_RATIO = 0.85;

/** A run that survived with a peak of 85% or more of its limit: the next bigger input is a kill. */
export const nearLimit: FactorRule = (c) => {
  const survived = c.invocations.filter((i) => i.maxMemoryUsedMb !== undefined && i.memorySizeMb && !i.errorType && i.status !== 'error' && i.status !== 'timeout'
    && !c.lambdaErrors.some((e) => e.requestId && e.requestId === i.requestId));
  const near = survived.filter((i) => i.maxMemoryUsedMb! >= i.memorySizeMb! * NEAR_LIMIT_RATIO);
  if (near.length > 0) {
    const worst = near.reduce((a, b) => (b.maxMemoryUsedMb! / b.memorySizeMb! > a.maxMemoryUsedMb! / a.memorySizeMb! ? b : a));
    const pct = Math.round((worst.maxMemoryUsedMb! / worst.memorySizeMb!) * 100);
    return {
      code: 'near_limit', confidence: 'high', evidence: [fact(worst, `an invocation that succeeded used ${worst.maxMemoryUsedMb} of ${worst.memorySizeMb} MB (${pct}%)`)],
      summary: `${near.length} invocation${near.length > 1 ? 's' : ''} that survived peaked at ${NEAR_LIMIT_RATIO * 100}% or more of Memory Size (worst ${pct}%): the next bigger payload is a kill.`,
    };
  }
  const samples = c.samples.filter((s) => s.limitBytes && s.usedBytes >= s.limitBytes * NEAR_LIMIT_RATIO && c.platform !== 'lambda');
  if (samples.length === 0 || c.judged?.oomKilled) return null;
  const s = samples[samples.length - 1]!;
  return {
    code: 'near_limit', confidence: 'medium', evidence: [fact(s, `${s.metric} reached ${Math.round((s.usedBytes / s.limitBytes!) * 100)}% of the limit`)],
    summary: `Usage has reached ${NEAR_LIMIT_RATIO * 100}% or more of the limit while running: little headroom is left.`,
  };
};
