import type { BackoffOptions } from './retry-with-backoff.js';
import type { PagerDutyApiError } from './pagerduty-api-error.js';

/** Backoff for PagerDuty REST calls: retried on 429 (waiting what PagerDuty asked), 5xx and no answer; never on other 4xx. */
export function pagerdutyBackoff(attempts: number, timing: { baseMs?: number; capMs?: number } = {}): BackoffOptions {
  return {
    attempts, baseMs: timing.baseMs ?? 500, capMs: timing.capMs ?? 30_000,
    retryable: (err: unknown) => {
      const e = err as Partial<PagerDutyApiError>;
      return { retry: e.retryable === true, ...(e.retryAfterMs !== undefined ? { afterMs: e.retryAfterMs } : {}) };
    },
  };
}
