import type { SlackDeps } from './slack-deps.js';
import { outcomeMessages } from './blocks/outcome-messages.js';

/**
 * Marks open proposals past their expiry as expired (each once, even with several replicas), audits
 * it and says so in the incident's thread. Runs every minute and before a click on an expired button.
 */
export async function announceExpired(deps: SlackDeps): Promise<number> {
  const expired = deps.store.expireProposals(deps.now().toISOString());
  for (const record of expired) {
    const incident = deps.store.getIncident(record.incidentId);
    deps.store.audit({ actor: 'system', action: 'expire', incidentId: record.incidentId, proposalId: record.id, result: 'ok', detail: `expired unapproved at ${record.expiresAt}` });
    if (!incident?.channel || !incident.threadTs) continue;
    const m = outcomeMessages.expired(record, incident.target);
    await deps.web.chat.postMessage({ channel: incident.channel, thread_ts: incident.threadTs, text: m.text, blocks: m.blocks })
      .catch((err: unknown) => deps.logger.warn({ err, proposal: record.id }, 'expiry not announced'));
  }
  return expired.length;
}
