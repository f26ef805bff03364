import type { ProposalRecord } from '../../store/store.js';

/** Why a proposal cannot be approved now (one line), or undefined when it is open and unexpired. */
export function closedReason(record: ProposalRecord | undefined, now: Date): string | undefined {
  if (!record) return 'This proposal is not known here (it may be from another why137 installation). Run /why137 again. (why137_proposal_closed)';
  const by = record.approver ? ` by <@${record.approver}>` : '';
  const what = `“${record.proposal.title}”`;
  switch (record.status) {
    case 'open':
      return Date.parse(record.expiresAt) <= now.getTime() ? `${what} expired at ${record.expiresAt}: diagnose again for a fresh proposal. (why137_proposal_closed)` : undefined;
    case 'executing': return `${what} is being applied${by} right now. (why137_proposal_closed)`;
    case 'executed': return `${what} was already applied${by}; see the thread for its Roll back button. (why137_proposal_closed)`;
    case 'failed': return `${what} was tried${by} and failed; see the thread, then diagnose again. (why137_proposal_closed)`;
    case 'refused': return `${what} was refused because the target changed since the diagnosis: diagnose again. (why137_proposal_closed)`;
    case 'expired': return `${what} expired unapproved: diagnose again for a fresh proposal. (why137_proposal_closed)`;
    case 'rolling_back': return `${what} is being rolled back right now. (why137_proposal_closed)`;
    case 'rolled_back': return `${what} was applied and rolled back: diagnose again if it is still needed. (why137_proposal_closed)`;
  }
}
