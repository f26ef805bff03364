import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from './slack-deps.js';
import { checkApprover } from './approval/check-approver.js';
import { closedReason } from './closed-reason.js';
import { announceExpired } from './announce-expired.js';
import { confirmModal } from './blocks/confirm-modal.js';
import { noticeModal } from './blocks/notice-modal.js';
import { refuse } from './refuse.js';
import { tellUser, type Audience } from './tell-user.js';
import { oneLine } from './one-line.js';

/**
 * A proposal's button: ack, load the proposal by the id the button carries, and open the confirmation
 * modal with the trigger_id at once (it is valid for 3 seconds), before any slow work. Who may approve
 * is settled here when no group lookup is needed (a refusal opens no modal); otherwise after the modal
 * opened, replacing it with the refusal. The modal's submission checks everything again.
 */
export function onApproveClick(deps: SlackDeps) {
  return async ({ ack, body, action }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const record = deps.store.getProposal(action.value ?? '');
    const incident = record ? deps.store.getIncident(record.incidentId) : undefined;
    const to: Audience = { channel: body.channel?.id ?? incident?.channel ?? '', user: body.user.id, responseUrl: body.response_url };
    const closed = closedReason(record, deps.now());
    if (closed || !record || !incident) {
      if (record?.status === 'open') await announceExpired(deps);
      await tellUser(deps, to, closed ?? 'This proposal has no incident. (why137_proposal_closed)');
      return;
    }
    const ids = { incidentId: record.incidentId, proposalId: record.id };
    const question = { user: body.user.id, target: incident.target, ...(incident.requester ? { requester: incident.requester } : {}) };
    const quick = await checkApprover(deps, question, { lookups: false });
    if (quick.ok === false) { await refuse(deps, { to, action: 'approve', why: quick.why, ...ids }); return; }

    let viewId: string | undefined;
    try {
      const opened = await deps.web.views.open({ trigger_id: body.trigger_id, view: confirmModal(record, incident.target) });
      viewId = opened.view?.id;
    } catch (err) {
      deps.logger.warn({ err, ...ids }, 'views.open failed');
      await tellUser(deps, to, `The confirmation did not open (${oneLine(err, 'views.open')}); press the button again.`);
      return;
    }
    if (quick.ok !== 'lookup') return;
    const full = await checkApprover(deps, question);
    if (full.ok === true) return;
    const why = full.ok === false ? full.why : 'approval could not be decided';
    if (viewId) {
      await deps.web.views.update({ view_id: viewId, view: noticeModal('Not an approver', `You cannot approve this: ${why}.`) })
        .catch((err: unknown) => deps.logger.warn({ err, ...ids }, 'views.update failed'));
    }
    await refuse(deps, { to, action: 'approve', why, ...ids });
  };
}
