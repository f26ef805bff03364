import type { KnownBlock } from '@slack/types';
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
import { escapeMrkdwn } from './blocks/escape-mrkdwn.js';
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
 * Who the diagnosis is for. `slack`: a person ran /why137; the incident is created here, the header names
 * them, and failures are told to them privately. Any other trigger: the incident already exists (queued and
 * marked running by its worker), there is no requester (the header is the trigger's own), failures are said
 * in the channel and thrown, and the answer carries the thread's permalink.
 */
export type DiagnosisOrigin =
  | { trigger: 'slack'; requester: string; responseUrl?: string }
  | {
    trigger: 'pagerduty';
    /** The incident, already in the store (status running, channel). */
    incidentId: string;
    /** The message's first line, in place of the requester's (given the runbook's name). */
    header: (runbook: string) => KnownBlock;
    /** The progress message's text. */
    progressText: string;
    /** Bound to every log line beside the incident and the target. */
    logFields?: Record<string, unknown>;
  };

export interface DiagnosisThreadRequest {
  target: Target;
  /** The channel the progress message is posted in; its thread gets the details. */
  channel: string;
  origin: DiagnosisOrigin;
}

export interface DiagnosisOutcome {
  incidentId: string;
  /** chat.getPermalink of the thread's first message (origins other than slack only). */
  permalink?: string;
  /** The verdict in one line; undefined when there is none. */
  summary?: string;
}

/**
 * The live diagnosis behind /why137 (after the ack): the same runbook, parsers, diagnose() and plan()
 * as `why137 diagnose`. Posts one message, updates it as each step finishes, ends it with the verdict
 * and a button per executable proposal, and puts the details in its thread. A target the bot cannot
 * read at all gets an ephemeral line instead. Returns the incident id.
 */
export async function runSlackDiagnosis(unscoped: SlackDeps, req: DiagnosisRequest): Promise<string> {
  const origin: DiagnosisOrigin = { trigger: 'slack', requester: req.requester, ...(req.responseUrl ? { responseUrl: req.responseUrl } : {}) };
  return (await runDiagnosisThread(unscoped, { target: req.target, channel: req.channel, origin })).incidentId;
}

/**
 * The thread flow both /why137 and the triggers (PagerDuty) run; see DiagnosisOrigin for what differs.
 * For origins other than slack, a progress message Slack refuses, a target nothing could be read from
 * (said in the message first) and a verdict that cannot be posted are thrown.
 */
export async function runDiagnosisThread(unscoped: SlackDeps, req: DiagnosisThreadRequest): Promise<DiagnosisOutcome> {
  const { store, web, logger } = unscoped;
  const { origin } = req;
  const target = formatTarget(req.target);
  const actor = origin.trigger === 'slack' ? origin.requester : origin.trigger;
  const to: Audience | undefined = origin.trigger === 'slack'
    ? { channel: req.channel, user: origin.requester, ...(origin.responseUrl ? { responseUrl: origin.responseUrl } : {}) }
    : undefined;
  const runbook = pickRunbook(unscoped.runbooks, req.target.kind);
  const view: ProgressView = { target, requester: actor, runbook: runbook.name, steps: runbook.steps.map((s): StepLine => ({ id: s.id, source: s.source, status: 'waiting' })) };
  const header = origin.trigger === 'slack' ? undefined : origin.header(runbook.name);
  const dress = (blocks: KnownBlock[]): KnownBlock[] => (header ? [header, ...blocks.slice(1)] : blocks);
  const progress = () => ({ text: origin.trigger === 'slack' ? `why137 is diagnosing ${target}…` : origin.progressText, blocks: dress(progressBlocks(view)) });
  const incidentId = origin.trigger === 'slack' ? unscoped.newId('inc') : origin.incidentId;
  const log = logger.child({ incident: incidentId, target, ...(origin.trigger === 'slack' ? {} : origin.logFields) });
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

  // A new incident is stored with its message (one write: each store write is an fsync on this thread).
  const record = origin.trigger === 'slack' ? { id: incidentId, trigger: 'slack' as const, target, requester: origin.requester, channel: req.channel } : undefined;
  let ts: string;
  try {
    const posted = await web.chat.postMessage({ channel: req.channel, ...progress() });
    ts = posted.ts!;
  } catch (err) {
    stop.abort(new Error('the progress message could not be posted'));
    await running.catch(() => undefined);
    if (!record || !to) throw err;
    const code = (err as { data?: { error?: string } }).data?.error;
    log.warn({ err, channel: req.channel }, 'could not post the progress message');
    store.createIncident({ ...record, status: 'failed' });
    store.audit({ actor, action: 'diagnose', incidentId, result: 'failed', detail: `/why137 ${target}: the progress message was refused (${code ?? 'error'})` });
    const hint = code === 'not_in_channel' || code === 'channel_not_found'
      ? 'invite me with `/invite @why137`, or run /why137 in a channel I am in'
      : 'Slack refused or did not answer; try again in a minute';
    await tellUser(deps, to, `I could not post in this channel (${code ?? 'error'}): ${hint}. (why137_slack_failed)`);
    return { incidentId };
  }
  if (record) {
    store.createIncident({ ...record, status: 'running', messageTs: ts, threadTs: ts });
    store.audit({ actor, action: 'diagnose', incidentId, result: 'ok', detail: `/why137 ${target} (runbook ${runbook.name})` });
  } else {
    // The incident is already running (the worker marked it): one write for the message.
    store.updateIncident(incidentId, { messageTs: ts, threadTs: ts });
  }
  updater = createMessageUpdater(deps, req.channel, ts);
  // Steps that finished while the first post was on its way.
  if (view.steps.some((s) => s.status !== 'waiting' && s.status !== 'running')) updater.set(progress());
  const result = await running;

  if (result.steps.length > 0 && result.steps.every((s) => s.status !== 'ok')) {
    // Nothing could be read: no verdict. /why137 tells the person who asked (and removes the message);
    // without one, the message says it.
    const failed = result.steps.find((s) => s.status === 'failed') ?? result.steps[0]!;
    const line = redact(`why137 cannot read ${target}: ${failed.source} ${failed.fault ?? 'error'}${failed.detail ? ` (${failed.detail.replace(/\s+/g, ' ')})` : ''}; no source could be read, so there is no verdict (why137_source_unavailable)`);
    if (to) {
      await updater.flush();
      await web.chat.delete({ channel: req.channel, ts }).catch((err: unknown) => log.warn({ err }, 'could not remove the progress message'));
    } else {
      updater.set({ text: slackLimits.truncate(line, slackLimits.text), blocks: dress([...progressBlocks(view), { type: 'section', text: { type: 'mrkdwn', text: slackLimits.truncate(escapeMrkdwn(line), slackLimits.text) } }]) });
      await updater.flush();
    }
    store.updateIncident(incidentId, { status: 'failed' });
    deps.metrics?.diagnoses.inc({ cause: 'no_verdict' });
    store.audit({ actor, action: 'diagnose', incidentId, result: 'failed', detail: line });
    if (!to) throw new Error(line);
    await tellUser(deps, to, slackLimits.truncate(line, slackLimits.text));
    return { incidentId };
  }

  const explanation = explainEvidence(result.evidence, result.inputs, targetPlace(req.target));
  deps.metrics?.diagnoses.inc({ cause: explanation.verdict.cause });
  const { buttons, notApplied } = await recordProposals(deps, incidentId, explanation.proposals, req.target);
  store.updateIncident(incidentId, { status: 'done', verdict: explanation.verdict });
  const expiresAt = buttons.length > 0 ? store.getProposal(buttons[0]!.recordId)?.expiresAt : undefined;
  const final = {
    text: slackLimits.truncate(`${explanation.verdict.cause}: ${causeHeadline[explanation.verdict.cause]} (${target})`, slackLimits.text),
    blocks: dress(verdictBlocks({ progress: view, explanation, buttons, ...(expiresAt ? { expiresAt } : {}) })),
  };
  const summary = `${explanation.verdict.cause}: ${explanation.verdict.summary}`;
  updater.set(final);
  if (!(await updater.flush())) {
    // The verdict must reach the channel: a new message if the old one cannot be updated.
    try {
      const posted = await web.chat.postMessage({ channel: req.channel, ...final });
      ts = posted.ts!;
      store.updateIncident(incidentId, { messageTs: ts, threadTs: ts });
    } catch (err) {
      if (!to) throw err;
      log.error({ err }, 'could not post the verdict');
      await tellUser(deps, to, `The verdict for ${target} is ${explanation.verdict.cause}, but Slack refused the message: ${oneLine(err, 'chat.postMessage')}`);
      return { incidentId, summary };
    }
  }
  for (const m of threadMessages({ explanation, artifacts: result.artifacts, buttons, notApplied })) {
    try {
      await web.chat.postMessage({ channel: req.channel, thread_ts: ts, text: m.text, blocks: m.blocks });
    } catch (err) {
      log.warn({ err }, 'a thread reply was not posted');
    }
  }
  if (to) {
    log.info({ cause: explanation.verdict.cause, proposals: buttons.length }, 'verdict posted');
    return { incidentId, summary };
  }
  // Without a requester, the trigger links to the thread (PagerDuty's note).
  let permalink: string | undefined;
  try {
    permalink = (await web.chat.getPermalink({ channel: req.channel, message_ts: ts })).permalink;
  } catch (err) {
    log.warn({ err }, 'chat.getPermalink failed; the PagerDuty note goes without the link');
  }
  log.info({ cause: explanation.verdict.cause, proposals: buttons.length }, `${origin.trigger} verdict posted`);
  return { incidentId, ...(permalink ? { permalink } : {}), summary };
}
