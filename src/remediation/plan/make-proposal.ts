import type { Proposal } from '../proposal.js';
import type { PlanContext } from './plan-context.js';

/** The proposal fields a planner decides; id, platform, target and priority are filled the same way for all. */
export type ProposalDraft = Omit<Proposal, 'id' | 'platform' | 'target' | 'priority'>;

/**
 * Completes a draft: id `<action>:<platform>[:<container>]` (stable for a verdict, so a button can carry it),
 * the target subject, and priority 0 until `plan` numbers the final order.
 */
export function makeProposal(ctx: PlanContext, draft: ProposalDraft): Proposal {
  const container = ctx.platform === 'lambda' ? undefined : ctx.target.containerName ?? ctx.target.containerId?.slice(0, 12);
  const id = [draft.action, ctx.platform, ...(container ? [container] : [])].join(':');
  return { id, platform: ctx.platform, target: ctx.target, ...draft, priority: 0 };
}
