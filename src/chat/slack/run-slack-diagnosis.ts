import type { Target } from '../../targets/target.js';
import { formatTarget } from '../../targets/format-target.js';
import { pickRunbook } from '../../runbooks/pick-runbook.js';
import { runRunbook, type StepReport, type StepStatus } from '../../runbooks/run-runbook.js';
import { explainEvidence } from '../../cli/explain-files.js';
import { targetPlace } from '../../targets/target-place.js';
import { redact } from '../../util/redact.js';
import type { SlackDeps } from './slack-deps.js';
import { progressBlocks, type ProgressView, type StepLine } from './blocks/progress-blocks.js';
import { verdictBlocks } from './blocks/verdict-blocks.js';
import { threadMessages } from './blocks/thread-messages.js';
import { slackLimits } from './blocks/limits.js';
import { causeHeadline } from './blocks/cause-headline.js';
import { createMessageUpdater, type MessageUpdater } from './message-updater.js';
import { recordProposals } from './record-proposals.js';
import { tellUser, type Audience } from './tell-user.js';
import { oneLine } from './one-line.js';

export interface DiagnosisRequest {
  target: Target;
  requester: string;
  channel: string;
  responseUrl?: string;
}

/**
 * The live diagnosis behind /why137 (after the ack): the same runbook, parsers, diagnose() and plan()
 * as `why137 diagnose`. Posts one message, updates it as each step finishes, ends it with the verdict
 * and a button per executable proposal, and puts the details in its thread. A target the bot cannot
 * read at all gets an ephemeral line instead. Returns the incident id.
 */
export async function runSlackDiagnosis(unscoped: SlackDeps, req: DiagnosisRequest): Promise<string> {
  const { store, web, logger } = unscoped;
  const target = formatTarget(req.target);
  const to: Audience = { channel: req.channel, user: req.requester, ...(req.responseUrl ? { responseUrl: req.responseUrl } : {}) };
  const runbook = pickRunbook(unscoped.runbooks, req.target.kind);
  const view: ProgressView = { target, requester: req.requester, runbook: runbook.name, steps: runbook.steps.map((s): StepLine => ({ id: s.id, source: s.source, status: 'waiting' })) };
  const progress = () => ({ text: `why137 is diagnosing ${target}…`, blocks: progressBlocks(view) });
  const record = { id: unscoped.newId('inc'), trigger: 'slack' as const, target, requester: req.requester, channel: req.channel };
  const log = logger.child({ incident: record.id, target });
  // Everything below logs with the incident bound (proposals, message updates, replies to the requester).
  const deps: SlackDeps = { ...unscoped, logger: log };

  // The runbook starts at once, beside the first post: progress waits for the message, not the sources for Slack.
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
    // Updates as each step finishes; a step starting alone is not worth a call.
    if (status !== 'running') updater?.set(progress());
  };
  const running = runRunbook(runbook, {
    target: req.target, sources: deps.sources, clients: deps.clients, window: deps.config.window, signal: AbortSignal.any([deps.signal, stop.signal]), onStep,
    ...(deps.retry ? { retry: deps.retry } : {}),
  });

  // The incident is stored with its message (one write: each store write is an fsync on this thread).
  let ts: string;
  try {
    const posted = await web.chat.postMessage({ channel: req.channel, ...progress() });
    ts = posted.ts!;
  } catch (err) {
    stop.abort(new Error('the progress message could not be posted'));
    await running.catch(() => undefined);
    const code = (err as { data?: { error?: string } }).data?.error;
    log.warn({ err, channel: req.channel }, 'could not post the progress message');
    store.createIncident({ ...record, status: 'failed' });
    store.audit({ actor: req.requester, action: 'diagnose', incidentId: record.id, result: 'failed', detail: `/why137 ${target}: the progress message was refused (${code ?? 'error'})` });
    const hint = code === 'not_in_channel' || code === 'channel_not_found'
      ? 'invite me with `/invite @why137`, or run /why137 in a channel I am in'
      : 'Slack refused or did not answer; try again in a minute';
    await tellUser(deps, to, `I could not post in this channel (${code ?? 'error'}): ${hint}. (why137_slack_failed)`);
    return record.id;
  }
  const incident = store.createIncident({ ...record, status: 'running', messageTs: ts, threadTs: ts });
  store.audit({ actor: req.requester, action: 'diagnose', incidentId: incident.id, result: 'ok', detail: `/why137 ${target} (runbook ${runbook.name})` });
  updater = createMessageUpdater(deps, req.channel, ts);
  // Steps that finished while the first post was on its way.
  if (view.steps.some((s) => s.status !== 'waiting' && s.status !== 'running')) updater.set(progress());
  const result = await running;

  if (result.steps.length > 0 && result.steps.every((s) => s.status !== 'ok')) {
    // Nothing could be read: no verdict for the channel, one line for the person who asked.
    await updater.flush();
    await web.chat.delete({ channel: req.channel, ts }).catch((err: unknown) => log.warn({ err }, 'could not remove the progress message'));
    store.updateIncident(incident.id, { status: 'failed' });
    deps.metrics?.diagnoses.inc({ cause: 'no_verdict' });
    const failed = result.steps.find((s) => s.status === 'failed') ?? result.steps[0]!;
    const line = `why137 cannot read ${target}: ${failed.source} ${failed.fault ?? 'error'}${failed.detail ? ` (${failed.detail.replace(/\s+/g, ' ')})` : ''}; no source could be read, so there is no verdict (why137_source_unavailable)`;
    store.audit({ actor: req.requester, action: 'diagnose', incidentId: incident.id, result: 'failed', detail: redact(line) });
    await tellUser(deps, to, slackLimits.truncate(redact(line), slackLimits.text));
    return incident.id;
  }

  const explanation = explainEvidence(result.evidence, result.inputs, targetPlace(req.target));
  deps.metrics?.diagnoses.inc({ cause: explanation.verdict.cause });
  const { buttons, notApplied } = await recordProposals(deps, incident.id, explanation.proposals, req.target);
  store.updateIncident(incident.id, { status: 'done', verdict: explanation.verdict });
  const expiresAt = buttons.length > 0 ? deps.store.getProposal(buttons[0]!.recordId)?.expiresAt : undefined;
  const final = {
    text: slackLimits.truncate(`${explanation.verdict.cause}: ${causeHeadline[explanation.verdict.cause]} (${target})`, slackLimits.text),
    blocks: verdictBlocks({ progress: view, explanation, buttons, ...(expiresAt ? { expiresAt } : {}) }),
  };
  updater.set(final);
  if (!(await updater.flush())) {
    // The verdict must reach the channel: a new message if the old one cannot be updated.
    try {
      const posted = await web.chat.postMessage({ channel: req.channel, ...final });
      ts = posted.ts!;
      store.updateIncident(incident.id, { messageTs: ts, threadTs: ts });
    } catch (err) {
      log.error({ err }, 'could not post the verdict');
      await tellUser(deps, to, `The verdict for ${target} is ${explanation.verdict.cause}, but Slack refused the message: ${oneLine(err, 'chat.postMessage')}`);
      return incident.id;
    }
  }
  for (const m of threadMessages({ explanation, artifacts: result.artifacts, buttons, notApplied })) {
    try {
      await web.chat.postMessage({ channel: req.channel, thread_ts: ts, text: m.text, blocks: m.blocks });
    } catch (err) {
      log.warn({ err }, 'a thread reply was not posted');
    }
  }
  log.info({ cause: explanation.verdict.cause, proposals: buttons.length }, 'verdict posted');
  return incident.id;
}
