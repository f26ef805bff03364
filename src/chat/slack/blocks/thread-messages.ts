import type { KnownBlock } from '@slack/types';
import type { Explanation } from '../../../surfaces/explanation.js';
import type { Proposal } from '../../../remediation/proposal.js';
import type { CitedFact } from '../../../diagnosis/verdict.js';
import { redact } from '../../../util/redact.js';
import { redactMrkdwn } from './redact-mrkdwn.js';
import { actionIds } from '../action-ids.js';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { slackLimits } from './limits.js';
import { sectionsToMessages } from './sections-to-messages.js';
import type { SlackMessage } from './slack-message.js';
import { BUTTONS_IN_MESSAGE } from './verdict-blocks.js';

export interface ThreadView {
  explanation: Explanation;
  /** The raw objects the runbook collected, by name. */
  artifacts: Record<string, string>;
  buttons: { proposal: Proposal; recordId: string }[];
  /** Executable proposals without a button, and why (no executor, snapshot unreadable). */
  notApplied: { proposal: Proposal; why: string }[];
}

// A raw excerpt is the start of the object; `why137 diagnose --save-artifacts` keeps the whole of it.
const EXCERPT_LINES = 25;
const EXCERPT_CHARS = 1500;

/** The thread under the verdict: full evidence, raw excerpts (secrets redacted), the commands, advice as text. */
export function threadMessages(view: ThreadView): SlackMessage[] {
  const { verdict: v, proposals } = view.explanation;
  const fact = (e: CitedFact): string => `• ${escapeMrkdwn(e.claim)}\n    \`${escapeMrkdwn(e.file)}\` ${escapeMrkdwn(e.at)}${e.excerpt ? `\n    > ${escapeMrkdwn(e.excerpt)}` : ''}`;

  const evidence: string[] = [];
  if (v.evidence.length) evidence.push(`*Why ${v.cause}*\n${v.evidence.map(fact).join('\n')}`);
  for (const f of v.factors) evidence.push(`*Factor \`${f.code}\`* (${f.confidence}): ${escapeMrkdwn(f.summary)}\n${f.evidence.map(fact).join('\n')}`);
  if (v.next.length) evidence.push(`*Next*\n${v.next.map((n) => `• ${escapeMrkdwn(n.why)}\n\`\`\`${escapeMrkdwn(n.command)}\`\`\``).join('\n')}`);
  if (v.setAside.length) evidence.push(`*Set aside (not about this target)*\n${v.setAside.map((s) => `• ${escapeMrkdwn(s.why)} (\`${escapeMrkdwn(s.cite.file)}\` ${escapeMrkdwn(s.cite.at)})`).join('\n')}`);
  if (v.unavailable.length) evidence.push(`*Could not see*\n${v.unavailable.map((u) => `• ${escapeMrkdwn(u.source)}: ${escapeMrkdwn(u.detail)}; missing ${escapeMrkdwn(u.missing)}`).join('\n')}`);
  if (evidence.length === 0) evidence.push('_No evidence was collected._');

  const excerpts = Object.entries(view.artifacts).map(([name, content]) => {
    const lines = escapeMrkdwn(redact(content)).split('\n');
    let head = lines.slice(0, EXCERPT_LINES).join('\n');
    if (head.length > EXCERPT_CHARS) head = `${head.slice(0, EXCERPT_CHARS)}…`;
    const more = lines.length > EXCERPT_LINES || head.endsWith('…') ? `\n_first ${Math.min(lines.length, EXCERPT_LINES)} of ${lines.length} lines_` : '';
    // Inside ``` Slack shows text as is: only a fence in the content could end the block early.
    return `*${escapeMrkdwn(name)}*\n\`\`\`${head.replace(/```/g, "'''")}\`\`\`${more}`;
  });

  const withButton = new Set(view.buttons.map((b) => b.proposal));
  const notApplied = new Map(view.notApplied.map((n) => [n.proposal, n.why]));
  const commands = proposals.map((p, i) => {
    const kind = withButton.has(p) ? '' : notApplied.has(p) ? ` _(why137 cannot apply this one: ${escapeMrkdwn(notApplied.get(p)!)})_` : ' _(advice: why137 does not apply this)_';
    const changes = p.changes.map((c) => `${escapeMrkdwn(c.field)}: ${escapeMrkdwn(c.before ?? '(unset)')} → ${escapeMrkdwn(c.after)}`).join('\n');
    return `*${i + 1}. ${escapeMrkdwn(p.title)}*${kind}\n${changes ? `${changes}\n` : ''}_Why:_ ${escapeMrkdwn(p.why)}\n_Risk:_ ${escapeMrkdwn(p.risk)}\n\`\`\`${escapeMrkdwn(p.command)}\`\`\``;
  });

  const extraButtons: KnownBlock[] = view.buttons.slice(BUTTONS_IN_MESSAGE).map(({ proposal, recordId }, i) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: slackLimits.truncate(redactMrkdwn(`*${escapeMrkdwn(proposal.title)}*`), slackLimits.text) },
    accessory: { type: 'button', text: { type: 'plain_text', text: 'Review and apply…' }, action_id: `${actionIds.approve}:t${i}`, value: recordId },
  }));

  // Every text is redacted before it is split: a cut never lands between a secret's name and its value.
  return [
    ...sectionsToMessages('Evidence', evidence.map(redactMrkdwn)),
    ...(excerpts.length ? sectionsToMessages('Raw excerpts (secrets redacted)', excerpts.map(redactMrkdwn)) : []),
    ...(proposals.length ? sectionsToMessages('Fixes and the equivalent commands', commands.map(redactMrkdwn), extraButtons.slice(0, slackLimits.blocksPerMessage - 2)) : []),
  ];
}
