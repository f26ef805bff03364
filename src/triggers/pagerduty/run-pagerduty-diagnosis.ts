import type { KnownBlock } from '@slack/types';
import { formatTarget } from '../../targets/format-target.js';
import { redact } from '../../util/redact.js';
import { escapeMrkdwn } from '../../chat/slack/blocks/escape-mrkdwn.js';
import { slackLimits } from '../../chat/slack/blocks/limits.js';
import { runDiagnosisThread } from '../../chat/slack/run-slack-diagnosis.js';
import type { SlackDeps } from '../../chat/slack/slack-deps.js';
import type { PagerDutyIncidentRef } from './pagerduty-incident-ref.js';
import type { PagerDutyDiagnosisRequest, PagerDutyDiagnosisResult } from './pagerduty-slack.js';

/**
 * The /why137 thread flow for an incident PagerDuty started: runDiagnosisThread, so the same runbook,
 * parsers, diagnose() and plan(), the same progress message updated step by step, the same verdict blocks
 * and buttons (stored proposals, so approval, rollback and expiry are the Slack handlers' own) and the same
 * thread. What differs is the origin: the incident already exists (queued by the webhook), the header
 * names the PagerDuty incident instead of a requester, failures are said in the channel and thrown (there
 * is nobody to tell privately), and it answers with the thread's permalink and the verdict's summary for
 * the PagerDuty note.
 */
export async function runPagerDutyDiagnosis(deps: SlackDeps, req: PagerDutyDiagnosisRequest): Promise<PagerDutyDiagnosisResult> {
  const target = formatTarget(req.target);
  const { permalink, summary } = await runDiagnosisThread(deps, {
    target: req.target,
    channel: req.channel,
    origin: {
      trigger: 'pagerduty',
      incidentId: req.incidentId,
      header: (runbook) => headerBlock(target, req.pagerduty, runbook),
      progressText: `why137 is diagnosing ${target} for PagerDuty ${redact(label(req.pagerduty))}…`,
      logFields: { pagerduty: req.pagerduty.id },
    },
  });
  return { ...(permalink ? { permalink } : {}), ...(summary !== undefined ? { summary } : {}) };
}

function label(pd: PagerDutyIncidentRef): string {
  return `${pd.number !== undefined ? `#${pd.number} ` : ''}${pd.title}`.slice(0, 120);
}

/** The message's first line: what was diagnosed, for which PagerDuty incident (linked), with which runbook. */
function headerBlock(target: string, pd: PagerDutyIncidentRef, runbook: string): KnownBlock {
  const text = escapeMrkdwn(redact(label(pd)));
  const link = pd.url && /^https:\/\//.test(pd.url) ? `<${pd.url.replace(/[<>|]/g, '')}|${text}>` : text;
  return { type: 'context', elements: [{ type: 'mrkdwn', text: slackLimits.truncate(`*why137* \`${escapeMrkdwn(target)}\` for PagerDuty ${link}${pd.service ? ` (${escapeMrkdwn(pd.service)})` : ''} · runbook ${escapeMrkdwn(runbook)}`, slackLimits.text) }] };
}
