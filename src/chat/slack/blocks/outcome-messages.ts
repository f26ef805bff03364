import type { KnownBlock } from '@slack/types';
import type { ProposalRecord } from '../../../store/store.js';
import type { Applied } from '../../../remediation/execute/executor.js';
import { actionIds } from '../action-ids.js';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { redactMrkdwn } from './redact-mrkdwn.js';
import { slackLimits } from './limits.js';
import type { SlackMessage } from './slack-message.js';

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: slackLimits.truncate(redactMrkdwn(text), slackLimits.text) } });
const plain = (text: string): string => slackLimits.truncate(redactMrkdwn(text), slackLimits.text);
const values = (r: Record<string, unknown>): string => Object.entries(r).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ') || '(none)';

/** Thread replies for what happened to a proposal; buttons carry the proposal's (or incident's) id only. */
export const outcomeMessages = {
  /** Applied: the detail, before → after, and a Roll back button. */
  applied(record: ProposalRecord, applied: Applied, approver: string): SlackMessage {
    const text = `✅ Applied by <@${approver}>: ${escapeMrkdwn(applied.detail)}`;
    return {
      text: plain(text),
      blocks: [
        section(`${text}\n_before:_ ${escapeMrkdwn(values(applied.before))}\n_after:_ ${escapeMrkdwn(values(applied.after))}`),
        { type: 'actions', elements: [{ type: 'button', style: 'danger', text: { type: 'plain_text', text: 'Roll back' }, action_id: `${actionIds.rollback}:0`, value: record.id }] },
      ],
    };
  },

  rolledBack(record: ProposalRecord, restored: Applied, actor: string): SlackMessage {
    const text = `↩️ Rolled back by <@${actor}>: ${escapeMrkdwn(restored.detail)} (${escapeMrkdwn(record.proposal.title)})`;
    return { text: plain(text), blocks: [section(`${text}\n_now:_ ${escapeMrkdwn(values(restored.after))}`)] };
  },

  /** Refused because the target is not what was diagnosed; the button runs the diagnosis again. */
  targetChanged(record: ProposalRecord, target: string, changed: string[]): SlackMessage {
    const text = `⚠️ Not applied: \`${escapeMrkdwn(target)}\` changed since the proposal was made${changed.length ? ` (${escapeMrkdwn(changed.join(', '))})` : ''}. Diagnose it again for a fix that fits what runs now.`;
    return {
      text: plain(text),
      blocks: [
        section(text),
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Diagnose again' }, action_id: `${actionIds.rediagnose}:0`, value: record.incidentId }] },
      ],
    };
  },

  failed(record: ProposalRecord, what: 'apply' | 'roll back', line: string, actor: string): SlackMessage {
    const text = `❌ Could not ${what} “${escapeMrkdwn(record.proposal.title)}” for <@${actor}>: ${escapeMrkdwn(line)}`;
    return { text: plain(text), blocks: [section(text)] };
  },

  expired(record: ProposalRecord, target: string): SlackMessage {
    const text = `⌛ “${escapeMrkdwn(record.proposal.title)}” expired unapproved. Run \`/why137 ${escapeMrkdwn(target)}\` or press the button for a fresh diagnosis.`;
    return {
      text: plain(text),
      blocks: [
        section(text),
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Diagnose again' }, action_id: `${actionIds.rediagnose}:0`, value: record.incidentId }] },
      ],
    };
  },
};
