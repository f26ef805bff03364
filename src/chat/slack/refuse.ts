import type { SlackDeps } from './slack-deps.js';
import { tellUser, type Audience } from './tell-user.js';

export interface Refusal {
  to: Audience;
  /** approve, rollback, execute… as the audit names it. */
  action: string;
  why: string;
  incidentId?: string;
  proposalId?: string;
}

/** Refuses a person: audited (result `refused`) and answered ephemerally in one line. */
export async function refuse(deps: Pick<SlackDeps, 'store' | 'web' | 'logger'>, r: Refusal): Promise<void> {
  deps.store.audit({ actor: r.to.user, action: r.action, result: 'refused', detail: r.why, ...(r.incidentId ? { incidentId: r.incidentId } : {}), ...(r.proposalId ? { proposalId: r.proposalId } : {}) });
  deps.logger.info({ user: r.to.user, action: r.action, proposal: r.proposalId }, 'refused');
  await tellUser(deps, r.to, `You cannot ${r.action === 'rollback' ? 'roll this back' : 'approve this'}: ${r.why}. (why137_approval_refused)`);
}
