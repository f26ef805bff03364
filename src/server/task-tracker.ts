import type { Logger } from 'pino';

/** Work started after an ack (a diagnosis, an execution): tracked so shutdown can wait for it. */
export interface TaskTracker {
  /** Runs `fn` detached, from the next turn of the event loop; a failure is logged with `name`, never thrown into the request. */
  run(name: string, fn: () => Promise<void>): void;
  /** Resolves when nothing runs, or after `timeoutMs` (returning how many were still running). */
  idle(timeoutMs: number): Promise<number>;
  readonly size: number;
}

/** A TaskTracker over a set of promises. */
export function createTaskTracker(logger: Logger): TaskTracker {
  const running = new Set<Promise<void>>();
  return {
    run(name, fn) {
      const p = (async () => {
        // Start after the current I/O phase: the ack just written goes out before this work's store
        // writes (each an fsync) hold the thread, and so do the acks of requests arriving with it.
        await new Promise((resolve) => setImmediate(resolve));
        try { await fn(); } catch (err) { logger.error({ err, task: name }, `${name} failed`); }
      })();
      running.add(p);
      void p.finally(() => running.delete(p));
    },
    async idle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (running.size > 0 && Date.now() < deadline) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled([...running]), new Promise((r) => { timer = setTimeout(r, deadline - Date.now()); })]);
        clearTimeout(timer);
      }
      return running.size;
    },
    get size() { return running.size; },
  };
}
