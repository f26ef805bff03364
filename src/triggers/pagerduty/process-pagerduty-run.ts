import { parseTarget } from '../../targets/parse-target.js';
import { noteContent } from './note-content.js';
import type { PagerDutyDeps } from './pagerduty-deps.js';
import { pagerdutyQueueKinds as kinds } from './pagerduty-queue-kinds.js';
import type { QueuedNote, QueuedRun } from './pagerduty-queue-items.js';
import type { PagerDutyDiagnosisResult } from './pagerduty-slack.js';

/**
 * Runs one queued diagnosis (a runbook slot is held while it runs): marks the incident running, runs the
 * Slack thread flow, marks it done (or failed), and queues the PagerDuty note with the verdict and the
 * thread's permalink, completing the run in the same step. A run found already finished is dropped; one
 * left `running` by a process that died is run again (its queue claim was re-queued at start-up).
 */
export async function processPagerDutyRun(itemId: string, run: QueuedRun, deps: PagerDutyDeps, hooks: { noteQueued(): void }): Promise<void> {
  const { store, log } = deps;
  const incident = store.getIncident(run.incidentId);
  if (!incident || incident.status === 'done' || incident.status === 'failed') { store.complete(itemId); return; }
  store.updateIncident(incident.id, { status: 'running' });
  let result: PagerDutyDiagnosisResult = {};
  let failure: string | undefined;
  try {
    const target = parseTarget(incident.target, { kubeContexts: deps.config.kubernetes.contexts });
    result = await deps.slack.diagnose({ incidentId: incident.id, target, channel: incident.channel!, pagerduty: run.pagerduty });
  } catch (err) {
    failure = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
    log.error({ err, incident: incident.id }, 'pagerduty diagnosis failed');
  }
  const after = store.getIncident(incident.id) ?? incident;
  const finished = after.status === 'running' || after.status === 'queued'
    ? store.updateIncident(incident.id, { status: failure === undefined ? 'done' : 'failed' })
    : after;
  if (deps.api) {
    const note: QueuedNote = { incidentId: incident.id, pagerdutyId: run.pagerduty.id, content: noteContent(finished, { ...result, ...(failure !== undefined ? { failure } : {}) }) };
    store.enqueue(kinds.note, note);
  }
  store.complete(itemId);
  if (deps.api) hooks.noteQueued();
}
