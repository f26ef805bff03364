import { classifyFault } from './classify-fault.js';

export interface RetryOptions {
  /** The step's signal: no attempt starts and no wait outlasts it. */
  signal: AbortSignal;
  /** First backoff ceiling; doubles per attempt (AWS's recommended base is 100 ms). */
  baseMs?: number;
  /** Largest backoff ceiling. */
  capMs?: number;
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  /** Injectable for tests: resolves after `ms`, rejects with the signal's reason when it aborts first. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Injectable for tests: a number in [0, 1). */
  random?: () => number;
  /** Told about each attempt's start and each throttled failure, so the caller can count calls. */
  onAttempt?: (attempt: number) => void;
  onThrottled?: (attempt: number, err: unknown, delayMs: number) => void;
}

/**
 * Runs `fn` and retries it while it fails with a throttling fault (429, ThrottlingException, Rate
 * exceeded), sleeping with exponential backoff and full jitter (delay = random × min(cap, base × 2^n),
 * per the AWS Architecture Blog's "Exponential Backoff And Jitter"), always inside the step's timeout:
 * when the signal aborts during a wait, the last throttling error is thrown, marked `gaveUp`.
 * Any other failure is thrown at once.
 */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { signal, baseMs = 100, capMs = 5000, maxAttempts = 8, sleep = abortableSleep, random = Math.random } = options;
  for (let attempt = 1; ; attempt++) {
    signal.throwIfAborted();
    options.onAttempt?.(attempt);
    try {
      return await fn();
    } catch (err) {
      if (signal.aborted || classifyFault(err).fault !== 'throttled' || attempt >= maxAttempts) throw err;
      const delay = Math.floor(random() * Math.min(capMs, baseMs * 2 ** (attempt - 1)));
      options.onThrottled?.(attempt, err, delay);
      try {
        await sleep(delay, signal);
      } catch {
        throw Object.assign(err instanceof Error ? err : new Error(String(err)), { gaveUp: true, attempts: attempt });
      }
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) { reject(signal.reason); return; }
    const onAbort = (): void => { clearTimeout(timer); reject(signal.reason); };
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
