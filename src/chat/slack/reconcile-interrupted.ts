import type { SlackDeps } from './slack-deps.js';

/** The one line audited and said in the thread for each proposal a restart interrupted. */
const INTERRUPTED = 'interrupted by a restart mid-apply; the target may have changed: diagnose again';

/**
 * At start-up: proposals left in 'executing' or 'rolling_back' (the process was killed mid-apply) would
 * stay stuck, their buttons dead. Each moves to 'failed' (once, even with several replicas starting),
 * is audited by `system` as `interrupted`, and the line is said in its incident's thread.
 * NOTE: with several replicas sharing a store, a replica starting also fails an apply another live
 * replica is running; that replica's own transition then loses and it reports the failure it sees.
 */
export async function reconcileInterrupted(deps: Pick<SlackDeps, 'store' | 'web' | 'logger'>): Promise<number> {
  const interrupted = deps.store.failProposals(['executing', 'rolling_back']);
  for (const record of interrupted) {
    deps.store.audit({ actor: 'system', action: 'interrupted', incidentId: record.incidentId, proposalId: record.id, result: 'failed', detail: INTERRUPTED });
    deps.logger.warn({ incident: record.incidentId, proposal: record.id, code: 'why137_execution_interrupted' }, INTERRUPTED);
    const incident = deps.store.getIncident(record.incidentId);
    if (!incident?.channel || !incident.threadTs) continue;
    await deps.web.chat.postMessage({ channel: incident.channel, thread_ts: incident.threadTs, text: `“${record.proposal.title}” was ${INTERRUPTED}.` })
      .catch((err: unknown) => deps.logger.warn({ err, incident: record.incidentId, proposal: record.id }, 'interruption not announced'));
  }
  return interrupted.length;
}
