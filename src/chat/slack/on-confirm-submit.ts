import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { SlackDeps } from './slack-deps.js';
import { actionIds } from './action-ids.js';
import { closedReason } from './closed-reason.js';
import { noticeModal } from './blocks/notice-modal.js';
import { executeApproved } from './execute-approved.js';
import { reviseProposal } from './revise-proposal.js';
import { oneLine } from './one-line.js';

// Slack shows a field error under the input; a long one is cut.
const ERROR_MAX = 500;

/**
 * The confirmation modal's Apply: a typed value is checked with the executor's revise() and an
 * invalid one answered inside the modal (`response_action: 'errors'`); so is a proposal that closed
 * meanwhile. Then ack (the modal closes) and execute detached: approver, gate, snapshot, apply.
 */
export function onConfirmSubmit(deps: SlackDeps) {
  return async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const record = deps.store.getProposal(view.private_metadata);
    const hasInput = view.state.values[actionIds.valueBlock] !== undefined;
    const answer = async (message: string): Promise<void> => {
      const text = message.length > ERROR_MAX ? `${message.slice(0, ERROR_MAX - 1)}…` : message;
      if (hasInput) await ack({ response_action: 'errors', errors: { [actionIds.valueBlock]: text } });
      else await ack({ response_action: 'update', view: noticeModal('Not applied', text) });
    };
    const closed = closedReason(record, deps.now());
    if (closed || !record) { await answer(closed ?? 'This proposal is not known here.'); return; }

    const typed = view.state.values[actionIds.valueBlock]?.[actionIds.valueInput]?.value?.trim();
    const proposed = record.proposal.changes[0]?.after;
    let proposal = record.proposal;
    let value: string | undefined;
    if (typed !== undefined && typed !== proposed) {
      const edit = proposal.edit;
      const executor = edit ? deps.executors[edit.platform] : undefined;
      if (typed === '') { await answer(`Enter a value (proposed: ${proposed ?? 'none'}), or Cancel.`); return; }
      if (!edit || !executor) { await answer('This proposal cannot be revised here (no executor for it).'); return; }
      try {
        proposal = reviseProposal(proposal, executor.revise(edit, typed), typed);
        value = typed;
      } catch (err) {
        deps.logger.info({ err, proposal: record.id, user: body.user.id }, 'revised value refused');
        await answer(oneLine(err, 'value'));
        return;
      }
    }
    await ack();
    deps.tasks.run('execute', () => executeApproved(deps, { recordId: record.id, user: body.user.id, proposal, ...(value !== undefined ? { value } : {}) }));
  };
}
