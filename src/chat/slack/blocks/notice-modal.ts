import type { View } from '@slack/types';
import { slackLimits } from './limits.js';

/** A modal that only says something (a refusal replacing the confirmation): no submit button. */
export function noticeModal(title: string, text: string): View {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: slackLimits.truncate(title, slackLimits.modalTitle) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: slackLimits.truncate(text, slackLimits.text) } }],
  };
}
