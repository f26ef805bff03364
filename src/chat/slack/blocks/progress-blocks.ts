import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { slackLimits } from './limits.js';

/** One runbook step as the message shows it while the diagnosis runs. */
export interface StepLine {
  id: string;
  source: string;
  status: 'waiting' | 'running' | 'ok' | 'failed' | 'skipped';
  ms?: number;
  fault?: string;
  detail?: string;
}

/** What the top of the message says: who asked about what, and each source's state. */
export interface ProgressView {
  target: string;
  requester: string;
  runbook: string;
  steps: StepLine[];
}

const ICON: Record<StepLine['status'], string> = { waiting: '◻️', running: '⏳', ok: '✅', failed: '⚠️', skipped: '⏭' };
// A step's failure detail is one line from the source; the thread has the rest.
const DETAIL_MAX = 160;

/** The progress part of the message: a context line and one line per step (⏳ running / ✅ done / ⚠️ unavailable (why) / ⏭ skipped). */
export function progressBlocks(view: ProgressView): KnownBlock[] {
  const lines = view.steps.map((s) => {
    const head = `${ICON[s.status]} \`${escapeMrkdwn(s.id)}\` ${escapeMrkdwn(s.source)}`;
    const why = (text?: string): string => (text ? escapeMrkdwn(slackLimits.truncate(text.replace(/\s+/g, ' '), DETAIL_MAX)) : '');
    switch (s.status) {
      case 'waiting': return `${head}: waiting`;
      case 'running': return `${head}: running`;
      case 'ok': return `${head}: done${s.ms !== undefined ? ` in ${s.ms} ms` : ''}`;
      case 'failed': return `${head}: unavailable (${s.fault ?? 'error'}${s.detail ? `: ${why(s.detail)}` : ''})`;
      case 'skipped': return `${head}: skipped${s.detail ? ` (${why(s.detail)})` : ''}`;
    }
  });
  return [
    { type: 'context', elements: [{ type: 'mrkdwn', text: `*why137* \`${escapeMrkdwn(view.target)}\` for <@${view.requester}> · runbook ${escapeMrkdwn(view.runbook)}` }] },
    { type: 'section', text: { type: 'mrkdwn', text: slackLimits.truncate(lines.join('\n') || 'No steps.', slackLimits.text) } },
  ];
}
