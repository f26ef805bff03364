import { randomUUID } from 'node:crypto';
import type { KnownBlock } from '@slack/types';
import { createFoldNotifier } from './fold-notifier.js';
import type { PagerDutyDeps } from './pagerduty-deps.js';
import { pagerdutyQueueKinds as kinds } from './pagerduty-queue-kinds.js';
import type { QueuedEvent, QueuedNote, QueuedRun } from './pagerduty-queue-items.js';
import { processPagerDutyEvent } from './process-pagerduty-event.js';
import { processPagerDutyNote } from './process-pagerduty-note.js';
import { processPagerDutyRun } from './process-pagerduty-run.js';
import { createQueueLane } from './queue-lane.js';

// Turning a delivery into an incident is one REST call at most: several at once keep a storm moving.
const INTAKE_CONCURRENCY = 8;
const NOTE_CONCURRENCY = 2;
// A missed wake-up (another process queued it) costs at most this.
const POLL_MS = 1_000;

export interface PagerDutyWorkerOptions {
  pollMs?: number;
  /** Debounce of fold updates in the thread. */
  foldDelayMs?: number;
  workerId?: string;
}

export interface PagerDutyWorker {
  /** Re-queues what a previous process claimed and did not finish, then starts draining. */
  start(): void;
  /** Hands over an event the route just queued (worked without a claim), or wakes the lanes. */
  kick(queued?: { id: string; payload: unknown }): void;
  /** Stops claiming; what runs finishes (or fails, when the store closes under it). */
  stop(): void;
  /** Waits until every queue is empty, nothing runs and fold updates and fallback posts are sent (tests, bench). */
  drain(timeoutMs?: number): Promise<void>;
  /** Waits until nothing runs, up to `timeoutMs`; returns how many items were still running. */
  idle(timeoutMs: number): Promise<number>;
}

/**
 * Three lanes over the store's durable queue: deliveries (→ incident or fold), diagnoses (at most
 * pagerduty.maxConcurrent runbooks at once) and notes. Everything waiting lives in the store, so a
 * restart loses nothing: at start, claims older than this start belong to a process that died (one bot
 * per store file) and are re-queued.
 */
export function createPagerDutyWorker(deps: PagerDutyDeps, options: PagerDutyWorkerOptions = {}): PagerDutyWorker {
  const { store, log } = deps;
  const worker = options.workerId ?? `pagerduty-${process.pid}-${randomUUID().slice(0, 8)}`;
  const fold = createFoldNotifier(deps, { delayMs: options.foldDelayMs ?? 2_000 });
  const posts = new Set<Promise<void>>();
  const lastNoTarget = new Map<string, number>();
  let interval: NodeJS.Timeout | undefined;

  const noTarget = (channel: string, key: string, message: { text: string; blocks: KnownBlock[] }): void => {
    const now = deps.now().getTime();
    const windowMs = deps.config.pagerduty.foldWindowMinutes * 60_000;
    const last = lastNoTarget.get(key);
    if (last !== undefined && now - last < windowMs) return;
    lastNoTarget.set(key, now);
    for (const [k, at] of lastNoTarget) if (now - at >= windowMs) lastNoTarget.delete(k);
    const p = deps.slack.post(channel, message).catch((err: unknown) => log.warn({ err, channel }, '"no target found" not posted'))
      .finally(() => posts.delete(p));
    posts.add(p);
  };

  const notes = createQueueLane({ store, log, worker, kind: kinds.note, concurrency: NOTE_CONCURRENCY, handle: (id, p) => processPagerDutyNote(id, p as QueuedNote, deps) });
  const runs = createQueueLane({
    store, log, worker, kind: kinds.run, concurrency: deps.config.pagerduty.maxConcurrent,
    handle: (id, p) => processPagerDutyRun(id, p as QueuedRun, deps, { noteQueued: () => notes.pump() }),
  });
  const events = createQueueLane({
    store, log, worker, kind: kinds.event, concurrency: INTAKE_CONCURRENCY,
    handle: async (id, p) => {
      await processPagerDutyEvent(id, p as QueuedEvent, deps, { folded: (i) => fold.folded(i), queued: () => runs.pump(), noTarget });
    },
  });
  const lanes = [events, runs, notes];
  const pumpAll = (): void => { for (const l of lanes) l.pump(); };

  return {
    start() {
      const before = deps.now().toISOString();
      for (const kind of [kinds.event, kinds.run, kinds.note]) {
        const n = store.requeueStale(kind, before);
        if (n > 0) log.info({ kind, requeued: n }, 'pagerduty work left by a previous process re-queued');
      }
      interval = setInterval(pumpAll, options.pollMs ?? POLL_MS);
      interval.unref();
      pumpAll();
    },
    kick(queued) {
      if (queued) events.offer(queued.id, queued.payload); else events.pump();
    },
    stop() {
      if (interval) clearInterval(interval);
      interval = undefined;
      for (const l of lanes) l.stop();
      fold.stop();
    },
    async drain(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        pumpAll();
        await Promise.all(lanes.map((l) => l.idle()));
        await Promise.allSettled([...posts]);
        await fold.flush();
        pumpAll();
        if (lanes.every((l) => l.active === 0 && l.empty) && posts.size === 0) return;
        if (Date.now() > deadline) throw new Error(`pagerduty queues not drained in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async idle(timeoutMs) {
      const all = Promise.all([...lanes.map((l) => l.idle()), Promise.allSettled([...posts])]);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([all, new Promise((r) => { timer = setTimeout(r, timeoutMs); })]);
      clearTimeout(timer);
      return lanes.reduce((n, l) => n + l.active, 0);
    },
  };
}
