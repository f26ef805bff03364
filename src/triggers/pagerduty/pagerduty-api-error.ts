import { Why137Error } from '../../errors/why137-error.js';

/** A PagerDuty REST call that failed: `status` is undefined for network failures and timeouts. */
export class PagerDutyApiError extends Why137Error {
  readonly status: number | undefined;
  /** From Retry-After or ratelimit-reset on a 429, when PagerDuty sent one. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super('why137_pagerduty_failed', message, { cause: options.cause });
    this.name = 'PagerDutyApiError';
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Worth another attempt: throttled (429), a PagerDuty-side failure (5xx), or no answer at all. */
  get retryable(): boolean {
    return this.status === undefined || this.status === 429 || this.status >= 500;
  }
}
