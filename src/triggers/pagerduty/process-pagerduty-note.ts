import { pagerdutyBackoff } from './pagerduty-backoff.js';
import type { PagerDutyDeps } from './pagerduty-deps.js';
import type { QueuedNote } from './pagerduty-queue-items.js';
import { retryWithBackoff } from './retry-with-backoff.js';

/**
 * Adds one note to its PagerDuty incident, retrying with backoff (pagerduty.noteAttempts) on 429, 5xx
 * and no answer. Runs on its own queue, so a slow or failing PagerDuty never holds the Slack answer or a
 * runbook slot; a note that still fails is logged and audited (pagerduty_note, failed), then dropped.
 */
export async function processPagerDutyNote(itemId: string, note: QueuedNote, deps: PagerDutyDeps): Promise<void> {
  const { store, log, api } = deps;
  if (!api) { store.complete(itemId); return; }
  const options = {
    ...pagerdutyBackoff(deps.config.pagerduty.noteAttempts, { baseMs: deps.backoff?.baseMs ?? 1000, capMs: deps.backoff?.capMs ?? 60_000 }),
    onRetry: (attempt: number, err: unknown, delayMs: number) => log.warn({ err, incident: note.incidentId, pagerduty: note.pagerdutyId, attempt, delayMs }, 'pagerduty note failed; retrying'),
  };
  try {
    const created = await retryWithBackoff(() => api.createNote(note.pagerdutyId, note.content), options);
    store.audit({ actor: 'system', action: 'pagerduty_note', incidentId: note.incidentId, result: 'ok', detail: `note ${created.id} on PagerDuty ${note.pagerdutyId}` });
  } catch (err) {
    const detail = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
    log.error({ err, incident: note.incidentId, pagerduty: note.pagerdutyId }, 'pagerduty note not added');
    store.audit({ actor: 'system', action: 'pagerduty_note', incidentId: note.incidentId, result: 'failed', detail });
  }
  store.complete(itemId);
}
