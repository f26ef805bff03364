import type { KnownBlock } from '@slack/types';
import { redact } from '../../util/redact.js';
import type { PagerDutyIncidentRef } from './pagerduty-incident-ref.js';

// Slack refuses a section text above 3,000 characters.
const SECTION_MAX = 2900;

const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const code = (t: string): string => `\`${esc(t).replace(/`/g, "'")}\``;
const cut = (t: string): string => (t.length > SECTION_MAX ? `${t.slice(0, SECTION_MAX - 1)}…` : t);

/**
 * "No target found" for the fallback channel: which incident, what was tried and why each candidate was
 * refused, and the fields the alert carried (names and short, redacted values), so a rule can be written.
 */
export function noTargetMessage(pd: PagerDutyIncidentRef, seen: { name: string; value: string }[], tried: string[], fetchProblem?: string): { text: string; blocks: KnownBlock[] } {
  const label = redact(`${pd.number !== undefined ? `#${pd.number} ` : ''}${pd.title}`).slice(0, 150);
  const link = pd.url && /^https:\/\//.test(pd.url) ? `<${pd.url.replace(/[<>|]/g, '')}|${esc(label)}>` : esc(label);
  const head = `:mag: *No target found* in PagerDuty incident ${link}${pd.service ? ` (service ${esc(pd.service)})` : ''}: nothing was diagnosed.`;
  const why = [
    ...(fetchProblem ? [`• the alert body could not be fetched: ${esc(fetchProblem)}`] : []),
    ...(tried.length ? tried.map((t) => `• ${esc(t)}`) : ['• no rule or built-in extractor matched']),
  ].join('\n');
  const fields = seen.map((f) => `• ${code(f.name)}: ${code(f.value)}`).join('\n');
  const hint = 'Add a rule under `pagerduty.services[].rules` (field, pattern with named groups, target) to read the target from one of these fields.';
  return {
    text: `No target found in PagerDuty incident ${label}: nothing was diagnosed.`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: cut(head) } },
      { type: 'section', text: { type: 'mrkdwn', text: cut(`*Tried*\n${why}`) } },
      { type: 'section', text: { type: 'mrkdwn', text: cut(`*Fields seen*\n${fields}`) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: hint }] },
    ],
  };
}
