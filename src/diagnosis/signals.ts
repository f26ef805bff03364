import type { Case } from './case.js';
import type { Evidence, KernelOomEvidence } from './evidence.js';
import { toEpochMs } from './time.js';
import { sameContainerId } from './identity.js';

// A kernel kill counts as this exit's when it is this close to it; earlier ones are of earlier runs.
const KILL_BEFORE_EXIT_MS = 10 * 60_000;
const KILL_AFTER_EXIT_MS = 60_000;

/** Evidence that the orchestrator or runtime flagged an OOM kill of the target (not the kernel log). */
export function oomFlags(c: Case): Evidence[] {
  const out: Evidence[] = [];
  if (c.judged?.oomKilled) out.push(c.judged);
  for (const e of c.dockerEvents) if (e.action === 'oom') out.push(e);
  if (c.ecsTask?.stoppedReason && /OutOfMemory/i.test(c.ecsTask.stoppedReason)) out.push(c.ecsTask);
  for (const e of c.events) if (e.reason === 'OOMKilling' || (e.reason === 'OOMKilled')) out.push(e);
  return out;
}

/**
 * Tied kernel OOM kills near the judged exit (or all of them when times cannot be compared). When none is
 * near but one names the judged run's own container id, that one still counts: `dmesg -T` prints local,
 * drifting wall-clock time with no zone, so its clock can be hours off the orchestrator's UTC, while a
 * container id names one run (Docker keeps the id across restarts, so there only a run never restarted).
 */
export function killsNearExit(c: Case, ooms: KernelOomEvidence[] = c.kernelOoms): KernelOomEvidence[] {
  const exit = toEpochMs(c.judged?.finishedAt);
  if (exit === undefined) return ooms;
  const near = ooms.filter((o) => {
    const at = toEpochMs(o.time);
    return at === undefined || (at >= exit - KILL_BEFORE_EXIT_MS && at <= exit + KILL_AFTER_EXIT_MS);
  });
  if (near.length > 0) return near;
  const judged = c.judged!;
  const sameRun = judged.subject.containerId !== undefined && (c.platform !== 'docker' || (judged.restartCount ?? 0) === 0);
  return sameRun ? ooms.filter((o) => sameContainerId(o.subject.containerId, judged.subject.containerId)) : [];
}

/** True when the kernel log's span includes the judged exit, or cannot be placed in time at all. */
export function kernelLogCoversExit(c: Case): 'yes' | 'no' | 'unplaceable' {
  const cov = c.kernelCoverage;
  if (!cov) return 'no';
  const exit = toEpochMs(c.judged?.finishedAt);
  const first = toEpochMs(cov.firstTime);
  const last = toEpochMs(cov.lastTime);
  if (exit === undefined || first === undefined || last === undefined) return 'unplaceable';
  return first <= exit && exit <= last + KILL_AFTER_EXIT_MS ? 'yes' : 'no';
}

/** The exit code of the run judged, when known. */
export function exitCode(c: Case): number | undefined {
  return c.judged?.exitCode;
}
