import type { View } from '@slack/types';
import type { ProposalRecord } from '../../../store/store.js';
import { actionIds } from '../action-ids.js';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { redactMrkdwn } from './redact-mrkdwn.js';
import { slackLimits } from './limits.js';

/**
 * The confirmation modal a proposal's button opens: the exact change (target, before → after, the
 * equivalent command, the risk) and the new value, editable and prefilled with the proposed one.
 * private_metadata is the proposal id only.
 */
export function confirmModal(record: ProposalRecord, target: string): View {
  const p = record.proposal;
  const first = p.changes[0];
  const md = (text: string) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text: slackLimits.truncate(redactMrkdwn(text), slackLimits.text) } });
  const changes = p.changes.map((c) => `\`${escapeMrkdwn(c.field)}\`: ${escapeMrkdwn(c.before ?? '(unset)')} → *${escapeMrkdwn(c.after)}*`).join('\n');
  const unix = Math.floor(Date.parse(record.expiresAt) / 1000);
  return {
    type: 'modal',
    callback_id: actionIds.confirmView,
    private_metadata: record.id,
    title: { type: 'plain_text', text: slackLimits.truncate('Apply this fix?', slackLimits.modalTitle) },
    submit: { type: 'plain_text', text: 'Apply' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: slackLimits.fitBlocks([
      md(`*${escapeMrkdwn(p.title)}*\nTarget: \`${escapeMrkdwn(target)}\` (${escapeMrkdwn(p.platform)})`),
      md(`*Change*\n${changes || '_no field changes listed_'}`),
      md(`*Equivalent command*\n\`\`\`${escapeMrkdwn(p.command)}\`\`\``),
      md(`*Risk*\n${escapeMrkdwn(p.risk)}`),
      ...(first ? [{
        type: 'input' as const,
        block_id: actionIds.valueBlock,
        label: { type: 'plain_text' as const, text: slackLimits.truncate(`New ${first.field}`, slackLimits.inputLabel) },
        hint: { type: 'plain_text' as const, text: 'Edit to apply a different value; it is checked before anything changes.' },
        element: { type: 'plain_text_input' as const, action_id: actionIds.valueInput, initial_value: slackLimits.truncate(first.after, slackLimits.inputValue) },
      }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `why137 re-reads the target first and refuses if it changed since the diagnosis. Expires <!date^${unix}^{date_short_pretty} {time}|${record.expiresAt}>.` }] },
    ], slackLimits.blocksPerModal),
  };
}
