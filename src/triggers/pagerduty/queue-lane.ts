import type { Store } from '../../store/store.js';
import type { PagerDutyLog } from './pagerduty-log.js';

export interface QueueLane {
  /** Claims items while fewer than `concurrency` run. */
  pump(): void;
  stop(): void;
  readonly active: number;
  /** True when the last pump found nothing left to claim. */
  readonly empty: boolean;
  /** Resolves when nothing of this lane runs. */
  idle(): Promise<void>;
}

export interface QueueLaneOptions {
  store: Store;
  kind: string;
  concurrency: number;
  /** Written as the claim's owner. */
  worker: string;
  /** Handles one item and completes it (in the same synchronous step as its last write). */
  handle(id: string, payload: unknown): Promise<void>;
  log: PagerDutyLog;
}

/**
 * One kind of the store's durable queue worked at a bounded concurrency. An item whose handler throws is
 * dropped (completed, logged) while the store can be written; when it cannot (closed, a crash under way)
 * the claim stays, and the next start re-queues it.
 */
export function createQueueLane(o: QueueLaneOptions): QueueLane {
  const running = new Set<Promise<void>>();
  let stopped = false;
  let empty = false;
  const lane: QueueLane = {
    pump() {
      while (!stopped && running.size < o.concurrency) {
        let item: { id: string; payload: unknown } | undefined;
        try { item = o.store.claimNext(o.kind, o.worker); } catch (err) {
          o.log.warn({ err, kind: o.kind }, 'queue claim failed');
          return;
        }
        empty = item === undefined;
        if (!item) return;
        const { id, payload } = item;
        const p: Promise<void> = o.handle(id, payload).catch((err: unknown) => {
          if (stopped || !o.store.writable()) { o.log.warn({ err, kind: o.kind, id }, 'queue item left claimed: re-queued at the next start'); return; }
          o.log.error({ err, kind: o.kind, id }, 'queue item failed; dropped');
          try { o.store.complete(id); } catch { /* the claim stays; re-queued at the next start */ }
        }).finally(() => { running.delete(p); lane.pump(); });
        running.add(p);
      }
    },
    stop() { stopped = true; },
    get active() { return running.size; },
    get empty() { return empty; },
    async idle() { while (running.size > 0) await Promise.allSettled([...running]); },
  };
  return lane;
}
