import type { SlackDeps } from './slack-deps.js';
import { checkApprover } from './approval/check-approver.js';
import { outcomeMessages } from './blocks/outcome-messages.js';
import type { SlackMessage } from './blocks/slack-message.js';
import { refuse } from './refuse.js';
import { tellUser, type Audience } from './tell-user.js';
import { oneLine } from './one-line.js';

const ROLLBACK_TIMEOUT_MS = 120_000;

/**
 * The Roll back button: an approver for the target (the two-person rule does not apply to undoing)
 * restores the recorded before-state the same way it was changed (executor.rollback), exactly once
 * (executed → rolling_back is the gate), audited with before and after. A failed rollback returns the
 * proposal to `executed` so it can be tried again.
 */
export async function rollbackExecuted(deps: SlackDeps, recordId: string, to: Audience): Promise<void> {
  const { store } = deps;
  const record = store.getProposal(recordId);
  const incident = record ? store.getIncident(record.incidentId) : undefined;
  if (!record || !incident) { await tellUser(deps, to, 'This change is not known here. (why137_proposal_closed)'); return; }
  const ids = { incidentId: record.incidentId, proposalId: record.id };
  if (record.status !== 'executed' || !record.applied) {
    await tellUser(deps, to, `“${record.proposal.title}” is ${record.status.replace('_', ' ')}, not applied: there is nothing to roll back. (why137_proposal_closed)`);
    return;
  }
  const decision = await checkApprover(deps, { user: to.user, target: incident.target });
  if (decision.ok !== true) { await refuse(deps, { to, action: 'rollback', why: decision.ok === false ? decision.why : 'approval could not be decided', ...ids }); return; }
  if (!store.transitionProposal(record.id, ['executed'], 'rolling_back')) {
    await tellUser(deps, to, `“${record.proposal.title}” is already being rolled back. (why137_proposal_closed)`);
    return;
  }
  const log = deps.logger.child({ ...ids, user: to.user });
  const post = (m: SlackMessage): Promise<unknown> => deps.web.chat.postMessage({ channel: incident.channel ?? to.channel, ...(incident.threadTs ? { thread_ts: incident.threadTs } : {}), text: m.text, blocks: m.blocks })
    .catch((err: unknown) => log.error({ err }, 'rollback outcome not posted'));
  const edit = record.proposal.edit;
  const executor = edit ? deps.executors[edit.platform] : undefined;
  try {
    if (!edit || !executor) throw new Error(`no executor for ${edit?.platform ?? 'this proposal'}`);
    const restored = await executor.rollback(edit, record.applied, { clients: deps.clients, signal: AbortSignal.any([deps.signal, AbortSignal.timeout(ROLLBACK_TIMEOUT_MS)]) });
    store.transitionProposal(record.id, ['rolling_back'], 'rolled_back');
    store.audit({ actor: to.user, action: 'rollback', ...ids, result: 'ok', detail: restored.detail, before: restored.before, after: restored.after });
    log.info({ detail: restored.detail }, 'rolled back');
    await post(outcomeMessages.rolledBack(record, restored, to.user));
  } catch (err) {
    const line = oneLine(err, 'rollback');
    log.error({ err }, 'rollback failed');
    store.transitionProposal(record.id, ['rolling_back'], 'executed');
    store.audit({ actor: to.user, action: 'rollback', ...ids, result: 'failed', detail: line });
    await post(outcomeMessages.failed(record, 'roll back', line, to.user));
  }
}
