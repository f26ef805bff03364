import type { KnownBlock } from '@slack/types';
import type { Explanation } from '../../../surfaces/explanation.js';
import type { Proposal } from '../../../remediation/proposal.js';
import { describeTarget } from '../../../surfaces/describe-target.js';
import { redactMrkdwn } from './redact-mrkdwn.js';
import { actionIds } from '../action-ids.js';
import { causeHeadline } from './cause-headline.js';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { slackLimits } from './limits.js';
import { progressBlocks, type ProgressView } from './progress-blocks.js';

/** The finished message: progress, then the verdict, with a button per executable proposal (value = stored id). */
export interface VerdictView {
  progress: ProgressView;
  explanation: Explanation;
  /** Proposals why137 can apply, each with its stored id; the first few get buttons here, the rest in the thread. */
  buttons: { proposal: Proposal; recordId: string }[];
  expiresAt?: string;
}

/** Buttons in the channel message; more go to the thread with their own (a plan rarely has more than three). */
export const BUTTONS_IN_MESSAGE = 5;
const KEY_EVIDENCE = 4;

/** The verdict message's blocks: cause as the headline, summary, key evidence, factors, buttons. Always within Block Kit's limits. */
export function verdictBlocks(view: VerdictView): KnownBlock[] {
  const { verdict: v, proposals } = view.explanation;
  const md = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: slackLimits.truncate(redactMrkdwn(text), slackLimits.text) } });
  const blocks: KnownBlock[] = [...progressBlocks(view.progress), { type: 'divider' }];
  blocks.push({ type: 'header', text: { type: 'plain_text', text: slackLimits.truncate(`${v.cause}: ${causeHeadline[v.cause]}`, slackLimits.header), emoji: true } });
  const exit = v.exitCode !== undefined ? `, exit code ${v.exitCode}` : '';
  blocks.push(md(`*${escapeMrkdwn(describeTarget(v.target))}*${exit} · confidence ${v.confidence}\n${escapeMrkdwn(v.summary)}`));

  if (v.evidence.length > 0) {
    const shown = v.evidence.slice(0, KEY_EVIDENCE).map((e) => `• ${escapeMrkdwn(e.claim)} (\`${escapeMrkdwn(e.file)}\` ${escapeMrkdwn(e.at)})`);
    const more = v.evidence.length - shown.length;
    blocks.push(md(`*Key evidence*\n${shown.join('\n')}${more > 0 ? `\n_…and ${more} more in the thread_` : ''}`));
  }
  if (v.factors.length > 0) {
    blocks.push(md(`*Factors*\n${v.factors.map((f) => `• \`${f.code}\` ${escapeMrkdwn(f.summary)}`).join('\n')}`));
  }

  view.buttons.slice(0, BUTTONS_IN_MESSAGE).forEach(({ proposal, recordId }, i) => {
    const changes = proposal.changes.map((c) => `${escapeMrkdwn(c.field)}: ${escapeMrkdwn(c.before ?? '(unset)')} → ${escapeMrkdwn(c.after)}`).join('\n');
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: slackLimits.truncate(redactMrkdwn(`*${i + 1}. ${escapeMrkdwn(proposal.title)}*${changes ? `\n${changes}` : ''}`), slackLimits.text) },
      accessory: { type: 'button', text: { type: 'plain_text', text: 'Review and apply…' }, style: 'primary', action_id: `${actionIds.approve}:${i}`, value: recordId },
    });
  });

  const notes: string[] = [];
  const extraButtons = view.buttons.length - BUTTONS_IN_MESSAGE;
  if (extraButtons > 0) notes.push(`${extraButtons} more fix${extraButtons === 1 ? '' : 'es'} with buttons in the thread`);
  const advice = proposals.length - view.buttons.length;
  if (advice > 0) notes.push(`${advice} more proposal${advice === 1 ? '' : 's'} as advice in the thread`);
  if (v.unavailable.length > 0) notes.push(`could not see: ${v.unavailable.map((u) => escapeMrkdwn(u.source)).join(', ')}`);
  if (view.buttons.length > 0 && view.expiresAt) {
    const unix = Math.floor(Date.parse(view.expiresAt) / 1000);
    notes.push(`buttons expire <!date^${unix}^{time}|${view.expiresAt}>`);
  }
  notes.push('full evidence and raw excerpts in the thread');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: slackLimits.truncate(notes.join(' · '), slackLimits.text) }] });
  return slackLimits.fitBlocks(blocks, slackLimits.blocksPerMessage);
}
