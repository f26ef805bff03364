import type { Proposal } from '../../remediation/proposal.js';
import type { Snapshot } from '../../remediation/execute/executor.js';
import type { SlackDeps } from './slack-deps.js';
import { checkApprover } from './approval/check-approver.js';
import { closedReason } from './closed-reason.js';
import { outcomeMessages } from './blocks/outcome-messages.js';
import type { SlackMessage } from './blocks/slack-message.js';
import { refuse } from './refuse.js';
import { tellUser, type Audience } from './tell-user.js';
import { oneLine } from './one-line.js';

// An update through a platform API (a rollout start, a new task definition revision) answers within this.
const EXECUTE_TIMEOUT_MS = 120_000;

export interface ApprovedChange {
  recordId: string;
  user: string;
  /** The proposal as approved: the stored one, or revised to the value typed in the modal. */
  proposal: Proposal;
  /** The value typed in the modal, when it differs from the proposed one. */
  value?: string;
}

/**
 * Executes an approved proposal exactly once. The approver is checked (groups included), then the
 * store's single conditional write open → executing decides the one winner among double clicks,
 * concurrent approvers and retries. The target is re-read and compared with the snapshot taken when
 * the proposal was made; a change refuses (with a Diagnose again button). Every step is audited.
 */
export async function executeApproved(deps: SlackDeps, a: ApprovedChange): Promise<void> {
  const { store } = deps;
  const record = store.getProposal(a.recordId);
  const incident = record ? store.getIncident(record.incidentId) : undefined;
  if (!record || !incident?.channel) { deps.logger.warn({ proposal: a.recordId }, 'approved proposal or its incident is gone'); return; }
  const to: Audience = { channel: incident.channel, user: a.user };
  const ids = { incidentId: record.incidentId, proposalId: record.id };
  const log = deps.logger.child({ ...ids, user: a.user });

  const decision = await checkApprover(deps, { user: a.user, target: incident.target, ...(incident.requester ? { requester: incident.requester } : {}) });
  if (decision.ok !== true) { await refuse(deps, { to, action: 'approve', why: decision.ok === false ? decision.why : 'approval could not be decided', ...ids }); return; }

  // The gate: exactly one caller moves it out of `open`; the rest are told who did.
  if (!store.transitionProposal(record.id, ['open'], 'executing', { approver: a.user, proposal: a.proposal })) {
    const now = store.getProposal(record.id);
    log.info({ status: now?.status }, 'approval lost the race or came late');
    await tellUser(deps, to, closedReason(now, deps.now()) ?? 'This proposal was just taken by someone else. (why137_proposal_closed)');
    return;
  }
  store.audit({ actor: a.user, action: 'approve', ...ids, result: 'ok', detail: `approved “${a.proposal.title}” (${decision.via})${a.value !== undefined ? ` with the value ${a.value}` : ''}` });

  const post = (m: SlackMessage): Promise<unknown> => deps.web.chat.postMessage({ channel: incident.channel!, ...(incident.threadTs ? { thread_ts: incident.threadTs } : {}), text: m.text, blocks: m.blocks })
    .catch((err: unknown) => log.error({ err }, 'outcome not posted'));
  const edit = a.proposal.edit;
  const executor = edit ? deps.executors[edit.platform] : undefined;
  const fail = async (err: unknown, stage: string): Promise<void> => {
    const line = oneLine(err, stage);
    log.error({ err, stage }, 'execution failed');
    store.transitionProposal(record.id, ['executing'], 'failed');
    store.audit({ actor: a.user, action: 'execute', ...ids, result: 'failed', detail: line });
    await post(outcomeMessages.failed(record, 'apply', line, a.user));
  };
  if (!edit || !executor || !record.snapshot) { await fail(new Error(`no ${edit ? `executor for ${edit.platform}` : 'edit'} or no stored snapshot`), 'execute'); return; }

  const ctx = { clients: deps.clients, signal: AbortSignal.any([deps.signal, AbortSignal.timeout(EXECUTE_TIMEOUT_MS)]) };
  let current: Snapshot;
  try { current = await executor.snapshot(edit, ctx); } catch (err) { await fail(err, 'snapshot'); return; }
  if (current.fingerprint !== record.snapshot.fingerprint) {
    const changed = changedKeys(record.snapshot.state, current.state);
    store.transitionProposal(record.id, ['executing'], 'refused');
    store.audit({ actor: a.user, action: 'execute', ...ids, result: 'refused', detail: `target changed since the proposal${changed.length ? ` (${changed.join(', ')})` : ''}`, before: record.snapshot.state, after: current.state });
    await post(outcomeMessages.targetChanged(record, incident.target, changed));
    return;
  }
  let applied;
  try { applied = await executor.apply(edit, record.snapshot, ctx); } catch (err) { await fail(err, 'apply'); return; }
  store.transitionProposal(record.id, ['executing'], 'executed', { applied });
  store.audit({ actor: a.user, action: 'execute', ...ids, result: 'ok', detail: applied.detail, before: applied.before, after: applied.after });
  log.info({ detail: applied.detail }, 'applied');
  await post(outcomeMessages.applied(record, applied, a.user));
}

/** The state keys whose values differ (for the one-line "changed since" message and the audit). */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`);
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? 'unset';
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}
