import type { KnownBlock } from '@slack/types';
import { explainEvidence } from '../../cli/explain-files.js';
import { targetPlace } from '../../targets/target-place.js';
import { pickRunbook } from '../../runbooks/pick-runbook.js';
import { runRunbook, type StepReport, type StepStatus } from '../../runbooks/run-runbook.js';
import { formatTarget } from '../../targets/format-target.js';
import { redact } from '../../util/redact.js';
import { causeHeadline } from '../../chat/slack/blocks/cause-headline.js';
import { escapeMrkdwn } from '../../chat/slack/blocks/escape-mrkdwn.js';
import { slackLimits } from '../../chat/slack/blocks/limits.js';
import { progressBlocks, type ProgressView, type StepLine } from '../../chat/slack/blocks/progress-blocks.js';
import { threadMessages } from '../../chat/slack/blocks/thread-messages.js';
import { verdictBlocks } from '../../chat/slack/blocks/verdict-blocks.js';
import { createMessageUpdater, type MessageUpdater } from '../../chat/slack/message-updater.js';
import { recordProposals } from '../../chat/slack/record-proposals.js';
import type { SlackDeps } from '../../chat/slack/slack-deps.js';
import type { PagerDutyIncidentRef } from './pagerduty-incident-ref.js';
import type { PagerDutyDiagnosisRequest, PagerDutyDiagnosisResult } from './pagerduty-slack.js';

/**
 * The /why137 thread flow for an incident PagerDuty started: the same runbook, parsers, diagnose() and
 * plan(), the same progress message updated step by step, the same verdict blocks and buttons (stored
 * proposals, so approval, rollback and expiry are the Slack handlers' own) and the same thread. What
 * differs: the incident already exists (queued by the webhook), the header names the PagerDuty incident
 * instead of a requester, failures are said in the channel (there is nobody to tell privately), and it
 * answers with the thread's permalink and the verdict's summary for the PagerDuty note.
 * NOTE: this mirrors src/chat/slack/run-slack-diagnosis.ts step for step; when that accepts an existing
 * incident and a non-Slack origin, this becomes a call to it.
 */
export async function runPagerDutyDiagnosis(unscoped: SlackDeps, req: PagerDutyDiagnosisRequest): Promise<PagerDutyDiagnosisResult> {
  const { store, web, logger } = unscoped;
  const target = formatTarget(req.target);
  const log = logger.child({ incident: req.incidentId, target, pagerduty: req.pagerduty.id });
  // Everything below logs with the incident bound (proposals, message updates).
  const deps: SlackDeps = { ...unscoped, logger: log };
  const runbook = pickRunbook(deps.runbooks, req.target.kind);

  const view: ProgressView = { target, requester: 'pagerduty', runbook: runbook.name, steps: runbook.steps.map((s): StepLine => ({ id: s.id, source: s.source, status: 'waiting' })) };
  const header = headerBlock(target, req.pagerduty, runbook.name);
  const withHeader = (blocks: KnownBlock[]): KnownBlock[] => [header, ...blocks.slice(1)];
  const progress = () => ({ text: `why137 is diagnosing ${target} for PagerDuty ${redact(label(req.pagerduty))}…`, blocks: withHeader(progressBlocks(view)) });

  // As /why137 does: the runbook starts beside the first post, and progress waits for the message.
  const stop = new AbortController();
  let updater: MessageUpdater | undefined;
  const onStep = (id: string, status: 'running' | StepStatus, report?: StepReport): void => {
    const line = view.steps.find((s) => s.id === id);
    if (!line) return;
    line.status = status;
    if (report) {
      line.ms = report.ms; line.fault = report.fault; line.detail = report.detail;
      deps.metrics?.step(report);
      log.debug({ step: id, source: report.source, status, ms: report.ms, calls: report.calls, fault: report.fault }, 'runbook step finished');
    }
    if (status !== 'running') updater?.set(progress());
  };
  const running = runRunbook(runbook, {
    target: req.target, sources: deps.sources, clients: deps.clients, window: deps.config.window, signal: AbortSignal.any([deps.signal, stop.signal]), onStep,
    ...(deps.retry ? { retry: deps.retry } : {}),
  });
  let ts: string;
  try {
    ts = (await web.chat.postMessage({ channel: req.channel, ...progress() })).ts!;
  } catch (err) {
    stop.abort(new Error('the progress message could not be posted'));
    await running.catch(() => undefined);
    throw err;
  }
  // The incident is already running (the worker marked it): one write for the message.
  store.updateIncident(req.incidentId, { messageTs: ts, threadTs: ts });
  updater = createMessageUpdater(deps, req.channel, ts);
  if (view.steps.some((s) => s.status !== 'waiting' && s.status !== 'running')) updater.set(progress());
  const result = await running;

  if (result.steps.length > 0 && result.steps.every((s) => s.status !== 'ok')) {
    const failed = result.steps.find((s) => s.status === 'failed') ?? result.steps[0]!;
    const line = redact(`why137 cannot read ${target}: ${failed.source} ${failed.fault ?? 'error'}${failed.detail ? ` (${failed.detail.replace(/\s+/g, ' ')})` : ''}; no source could be read, so there is no verdict (why137_source_unavailable)`);
    updater.set({ text: slackLimits.truncate(line, slackLimits.text), blocks: withHeader([...progressBlocks(view), { type: 'section', text: { type: 'mrkdwn', text: slackLimits.truncate(escapeMrkdwn(line), slackLimits.text) } }]) });
    await updater.flush();
    store.updateIncident(req.incidentId, { status: 'failed' });
    deps.metrics?.diagnoses.inc({ cause: 'no_verdict' });
    store.audit({ actor: 'pagerduty', action: 'diagnose', incidentId: req.incidentId, result: 'failed', detail: line });
    throw new Error(line);
  }

  const explanation = explainEvidence(result.evidence, result.inputs, targetPlace(req.target));
  deps.metrics?.diagnoses.inc({ cause: explanation.verdict.cause });
  const { buttons, notApplied } = await recordProposals(deps, req.incidentId, explanation.proposals, req.target);
  store.updateIncident(req.incidentId, { status: 'done', verdict: explanation.verdict });
  const expiresAt = buttons.length > 0 ? store.getProposal(buttons[0]!.recordId)?.expiresAt : undefined;
  const final = {
    text: slackLimits.truncate(`${explanation.verdict.cause}: ${causeHeadline[explanation.verdict.cause]} (${target})`, slackLimits.text),
    blocks: withHeader(verdictBlocks({ progress: view, explanation, buttons, ...(expiresAt ? { expiresAt } : {}) })),
  };
  updater.set(final);
  if (!(await updater.flush())) {
    const again = await web.chat.postMessage({ channel: req.channel, ...final });
    ts = again.ts!;
    store.updateIncident(req.incidentId, { messageTs: ts, threadTs: ts });
  }
  for (const m of threadMessages({ explanation, artifacts: result.artifacts, buttons, notApplied })) {
    await web.chat.postMessage({ channel: req.channel, thread_ts: ts, text: m.text, blocks: m.blocks })
      .catch((err: unknown) => log.warn({ err }, 'a thread reply was not posted'));
  }
  let permalink: string | undefined;
  try {
    permalink = (await web.chat.getPermalink({ channel: req.channel, message_ts: ts })).permalink;
  } catch (err) {
    log.warn({ err }, 'chat.getPermalink failed; the PagerDuty note goes without the link');
  }
  log.info({ cause: explanation.verdict.cause, proposals: buttons.length }, 'pagerduty verdict posted');
  return { ...(permalink ? { permalink } : {}), summary: `${explanation.verdict.cause}: ${explanation.verdict.summary}` };
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
