import type { SlackDeps } from '../slack-deps.js';
import { targetGlob } from '../../../util/target-glob.js';

export type ApproverDecision =
  | { ok: true; via: string }
  | { ok: false; why: string }
  /** Only a user-group lookup can decide (asked with `lookups: false`). */
  | { ok: 'lookup' };

export interface ApproverQuestion {
  user: string;
  /** The incident's normalised target (`docker:oom`), which `slack.approvers[].match` globs over. */
  target: string;
  /** Who ran /why137 (the two-person rule refuses them). */
  requester?: string;
}

/**
 * May `user` approve a change to `target`? Every slack.approvers entry whose match covers the target
 * adds its users and groups; no entry means nobody may. Under slack.twoPersonRule the requester may
 * not. Groups are asked with usergroups.users.list; a failed lookup refuses (fail closed).
 */
export async function checkApprover(deps: Pick<SlackDeps, 'config' | 'groupMembers' | 'logger'>, q: ApproverQuestion, options: { lookups: boolean } = { lookups: true }): Promise<ApproverDecision> {
  const { approvers, twoPersonRule } = deps.config.slack;
  if (twoPersonRule && q.requester !== undefined && q.user === q.requester) {
    return { ok: false, why: `the two-person rule (slack.twoPersonRule) needs someone other than <@${q.requester}>, who asked for this diagnosis, to approve` };
  }
  const rules = approvers.filter((r) => targetGlob(r.match, q.target));
  if (rules.length === 0) return { ok: false, why: `no slack.approvers entry matches ${q.target}, so nobody may approve changes to it` };
  const direct = rules.find((r) => r.users.includes(q.user));
  if (direct) return { ok: true, via: `slack.approvers ${direct.match}` };
  const groups = [...new Set(rules.flatMap((r) => r.groups))];
  if (groups.length > 0 && !options.lookups) return { ok: 'lookup' };
  for (const group of groups) {
    let members: string[];
    try {
      members = await deps.groupMembers(group);
    } catch (err) {
      deps.logger.warn({ err, group }, 'usergroups.users.list failed');
      return { ok: false, why: `the approver group <!subteam^${group}> could not be read (${(err as { data?: { error?: string } }).data?.error ?? 'Slack error'}), so approval is refused to be safe` };
    }
    if (members.includes(q.user)) return { ok: true, via: `group ${group}` };
  }
  return { ok: false, why: `<@${q.user}> is not an approver for ${q.target} (slack.approvers entries matching it: ${rules.map((r) => r.match).join(', ')})` };
}
