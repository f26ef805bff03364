import type { Store } from '../../store/store.js';
import type { PagerDutyLog } from './pagerduty-log.js';

export interface QueueLane {
  /** Claims items while fewer than `concurrency` run. */
  pump(): void;
  /**
   * Hands over an item this process just queued, so it is worked without a claim (one fsync'd write
   * fewer per item). It stays unclaimed in the store until completed, so a crash leaves it for the next
   * start; and while any handed-over item is pending, this lane claims nothing (the oldest unclaimed rows
   * would be those very items).
   */
  offer(id: string, payload: unknown): void;
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
  const inbox: { id: string; payload: unknown }[] = [];
  // Handed-over items not yet finished (in the inbox or running).
  let offered = 0;
  let stopped = false;
  let empty = false;
  const lane: QueueLane = {
    offer(id, payload) {
      inbox.push({ id, payload });
      offered++;
      lane.pump();
    },
    pump() {
      while (!stopped && running.size < o.concurrency) {
        let item: { id: string; payload: unknown } | undefined = inbox.shift();
        const handedOver = item !== undefined;
        if (!item) {
          if (offered > 0) return;
          try { item = o.store.claimNext(o.kind, o.worker); } catch (err) {
            o.log.warn({ err, kind: o.kind }, 'queue claim failed');
            return;
          }
          empty = item === undefined;
          if (!item) return;
        }
        const { id, payload } = item;
        const p: Promise<void> = o.handle(id, payload).catch((err: unknown) => {
          if (stopped || !o.store.writable()) { o.log.warn({ err, kind: o.kind, id }, 'queue item left claimed: re-queued at the next start'); return; }
          o.log.error({ err, kind: o.kind, id }, 'queue item failed; dropped');
          try { o.store.complete(id); } catch { /* the claim stays; re-queued at the next start */ }
        }).finally(() => { running.delete(p); if (handedOver) offered--; lane.pump(); });
        running.add(p);
      }
    },
    stop() { stopped = true; },
    get active() { return running.size; },
    get empty() { return empty && offered === 0; },
    async idle() { while (running.size > 0) await Promise.allSettled([...running]); },
  };
  return lane;
}
