export interface BackoffOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First delay ceiling; doubles per attempt. */
  baseMs?: number;
  capMs?: number;
  /** Whether a failure is worth another attempt, and how long the server asked us to wait. */
  retryable: (err: unknown) => { retry: boolean; afterMs?: number };
  /** Told about each failed attempt that will be retried. */
  onRetry?: (attempt: number, err: unknown, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Runs `fn` until it succeeds, a failure is not retryable, or the attempts are used up; waits with
 * exponential backoff and full jitter (random × min(cap, base × 2^n)), or what the server asked for.
 */
export async function retryWithBackoff<T>(fn: () => Promise<T>, options: BackoffOptions): Promise<T> {
  const { attempts, baseMs = 500, capMs = 30_000, random = Math.random } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms).unref(); }));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const verdict = options.retryable(err);
      if (!verdict.retry || attempt >= attempts) throw err;
      const delay = verdict.afterMs ?? Math.floor(random() * Math.min(capMs, baseMs * 2 ** (attempt - 1)));
      options.onRetry?.(attempt, err, delay);
      await sleep(Math.min(delay, capMs));
    }
  }
}
