import { invalidValue } from './invalid-value.js';

// A grace period over an hour holds every rollout, drain and scale-in that long per pod or task: a typo, not a fix.
const MAX_GRACE_SECONDS = 3600;

/** A grace period typed as whole seconds (`90`, `90s`), 1 to `max`; anything else is why137_invalid_value. */
export function parseSeconds(typed: string, max = MAX_GRACE_SECONDS): number {
  const m = /^\s*(\d+)\s*s?\s*$/.exec(typed);
  const n = m ? Number(m[1]) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalidValue(typed, `whole seconds from 1 to ${max}, such as 60`);
  return n;
}
