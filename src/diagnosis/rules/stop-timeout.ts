import type { CauseRule } from '../rule.js';
import type { Case } from '../case.js';
import { fact } from '../fact.js';
import { targetName } from '../build-case.js';
import { capitalize } from '../capitalize.js';
import type { CitedFact } from '../verdict.js';

// ECS stops that send SIGTERM first and SIGKILL after the stop timeout. Health-check stops also carry
// ServiceSchedulerInitiated, so the stoppedReason text outranks stopCode (probe-failure runs first).
const ECS_STOP_CODES = new Set(['ServiceSchedulerInitiated', 'UserInitiated', 'SpotInterruption', 'TerminationNotice']);
const ECS_STOP_REASONS = /Scaling activity|deployment|Task stopped by user|stopped by user|Spot|Termination ?Notice|draining|scale-?in/i;

/** A graceful stop (SIGTERM) that was not honoured within the grace period and was escalated to SIGKILL. */
export const stopTimeout: CauseRule = (c) => {
  if (c.judged?.exitCode !== 137) return null;
  const cites = stopEvidence(c);
  if (cites.length === 0) return null;
  const grace = graceSeconds(c);
  return {
    code: 'stop_timeout', confidence: 'high',
    evidence: [...cites, fact(c.judged, 'exit code 137: SIGKILL, after the SIGTERM')],
    summary: `${capitalize(targetName(c))} was being stopped and did not exit within the ${grace !== undefined ? `${grace}-second ` : ''}grace period after SIGTERM, so it was SIGKILLed. Handle SIGTERM (run the app as PID 1 or use exec/tini so it receives the signal, then drain and exit) or raise the grace period.`,
  };
};

function stopEvidence(c: Case): CitedFact[] {
  const cites: CitedFact[] = [];
  for (const e of c.escalations) cites.push(fact(e, `${e.by} escalated the stop to SIGKILL${e.graceSeconds !== undefined ? ` after ${e.graceSeconds}s` : ''}`));
  const term = c.dockerEvents.find((e) => e.action === 'kill' && e.signal === 15);
  const kill = c.dockerEvents.find((e) => e.action === 'kill' && e.signal === 9 && (!term || (e.time ?? '') >= (term.time ?? '')));
  if (term && kill) cites.push(fact(term, 'the engine sent signal 15 (SIGTERM) first'), fact(kill, 'then signal 9 (SIGKILL)'));
  else if (term && !kill && c.dockerEvents.some((e) => e.action === 'stop')) cites.push(fact(term, 'docker stop sent SIGTERM; the exit was a SIGKILL'));
  const stopping = c.events.filter((e) => e.reason === 'Killing' && /Stopping container/i.test(e.message) && !/probe/i.test(e.message));
  for (const e of stopping.slice(0, 2)) cites.push(fact(e, `event Killing: ${e.message}`));
  // A forced delete (--grace-period=0) is no graceful stop at all: externalSigkill takes it.
  if (c.pod?.deletionGracePeriodSeconds === 0) return [];
  if (c.pod?.deletionTimestamp || c.pod?.terminating) cites.push(fact(c.pod, `the pod was being deleted${c.pod.deletionTimestamp ? ` (deletionTimestamp ${c.pod.deletionTimestamp})` : ' (Terminating)'}`));
  // Graceful node shutdown terminates pods with SIGTERM and the shutdown grace period, then SIGKILL.
  if (c.pod && /node shutdown|shutting down|NodeShutdown|Terminated/i.test(`${c.pod.reason ?? ''} ${c.pod.message ?? ''}`) && c.pod.reason !== 'Evicted') {
    cites.push(fact(c.pod, `the pod was terminated: ${c.pod.reason ?? ''}${c.pod.message ? ` (${c.pod.message})` : ''}`));
  }
  const preempt = c.pod?.conditions?.find((k) => k.type === 'DisruptionTarget' && k.status === 'True' && k.reason !== 'TerminationByKubelet');
  if (c.pod && preempt) cites.push(fact(c.pod, `condition DisruptionTarget: ${preempt.reason ?? ''} ${preempt.message ?? ''}`.trim()));
  const t = c.ecsTask;
  if (t && ((t.stopCode && ECS_STOP_CODES.has(t.stopCode)) || ECS_STOP_REASONS.test(t.stoppedReason ?? '')) && !/health check/i.test(t.stoppedReason ?? '') && !/OutOfMemory/i.test(t.stoppedReason ?? '')) {
    cites.push(fact(t, `ECS stopped the task: ${t.stopCode ?? ''}${t.stoppedReason ? ` "${t.stoppedReason}"` : ''}`.trim()));
  }
  return cites;
}

function graceSeconds(c: Case): number | undefined {
  return c.escalations.find((e) => e.graceSeconds !== undefined)?.graceSeconds ?? c.pod?.deletionGracePeriodSeconds ?? c.pod?.terminationGracePeriodSeconds;
}
