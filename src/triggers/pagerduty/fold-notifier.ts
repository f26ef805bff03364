import type { Store } from '../../store/store.js';
import type { PagerDutyLog } from './pagerduty-log.js';
import type { PagerDutySlack } from './pagerduty-slack.js';

export interface FoldNotifier {
  /** A trigger was folded into this incident; its thread is updated within `delayMs`. */
  folded(incidentId: string): void;
  /** Sends what is pending now (for tests and shutdown). */
  flush(): Promise<void>;
  stop(): void;
}

/**
 * Debounces fold updates: a storm of 500 triggers becomes one thread reply per incident, edited at most
 * once per `delayMs` with the latest count (chat.update is rate-limited per channel). An incident whose
 * diagnosis has not posted its thread yet waits until it has (up to `maxWaitMs`).
 */
export function createFoldNotifier(deps: { store: Store; slack: PagerDutySlack; log: PagerDutyLog; now(): Date }, options: { delayMs?: number; maxWaitMs?: number } = {}): FoldNotifier {
  const delayMs = options.delayMs ?? 2_000;
  const maxWaitMs = options.maxWaitMs ?? 15 * 60_000;
  const pending = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const run = async (): Promise<void> => {
    for (const [id, since] of [...pending]) {
      let incident;
      try { incident = deps.store.getIncident(id); } catch (err) { deps.log.warn({ err, incident: id }, 'fold update skipped'); pending.delete(id); continue; }
      if (!incident || (!incident.threadTs && deps.now().getTime() - since > maxWaitMs)) { pending.delete(id); continue; }
      if (!incident.threadTs) continue;
      pending.delete(id);
      await deps.slack.showFolded(incident).catch((err: unknown) => deps.log.warn({ err, incident: id }, 'fold count not shown in the thread'));
    }
  };
  const schedule = (): void => {
    if (timer || stopped || pending.size === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      running ??= run().finally(() => { running = undefined; schedule(); });
    }, delayMs);
    timer.unref();
  };
  return {
    folded(id) {
      if (!pending.has(id)) pending.set(id, deps.now().getTime());
      schedule();
    },
    async flush() {
      if (timer) { clearTimeout(timer); timer = undefined; }
      while (running) await running;
      await run();
      schedule();
    },
    stop() { stopped = true; if (timer) clearTimeout(timer); timer = undefined; },
  };
}
