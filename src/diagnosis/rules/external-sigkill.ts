import type { CauseRule } from '../rule.js';
import { fact } from '../fact.js';
import { hardLimit, targetName } from '../build-case.js';
import { kernelLogCoversExit } from '../signals.js';
import { formatBytes } from '../format-bytes.js';
import { capitalize } from '../capitalize.js';
import type { CitedFact } from '../verdict.js';

/**
 * SIGKILL (137) from outside, with proof memory was not it: a hard limit in place (a cgroup OOM would
 * have been flagged), or a kernel log covering the exit with no OOM for the target. The earlier rules
 * have already ruled out OOM flags, probes and stops.
 */
export const externalSigkill: CauseRule = (c) => {
  if (c.judged?.exitCode !== 137 || c.judged.oomKilled) return null;
  if (c.untiedOoms.length > 0) return null; // an OOM we could not tie may still be this one
  const cites: CitedFact[] = [fact(c.judged, `exit code 137 (SIGKILL)${c.judged.oomKilled === false ? ', OOMKilled false' : ''}`)];
  const directKill = c.dockerEvents.find((e) => e.action === 'kill' && e.signal === 9) && !c.dockerEvents.some((e) => e.action === 'kill' && e.signal === 15);
  if (directKill) cites.push(fact(c.dockerEvents.find((e) => e.action === 'kill' && e.signal === 9)!, 'the engine sent signal 9 directly, with no SIGTERM first (docker kill)'));
  const forced = c.pod?.deletionGracePeriodSeconds === 0 ? c.pod : undefined;
  if (forced) cites.push(fact(forced, 'the pod was deleted with a grace period of 0 (kubectl delete --force --grace-period=0): SIGKILL with no SIGTERM'));
  const limit = hardLimit(c);
  if (limit) cites.push(fact(limit, `a hard memory limit of ${formatBytes(limit.memoryLimitBytes!)} was in place and no OOM was flagged`));
  const coverage = kernelLogCoversExit(c);
  if (c.kernelCoverage && coverage !== 'no') cites.push(fact(c.kernelCoverage, `the kernel log${coverage === 'yes' ? ' covering the exit' : ''} shows no OOM kill of this target (${c.kernelCoverage.lines} lines)`));
  const proof = limit !== undefined || (c.kernelCoverage !== undefined && coverage !== 'no');
  if (!proof && !directKill && !forced) return null;
  const confidence = directKill || forced || coverage === 'yes' ? 'high' : 'medium';
  return {
    code: 'external_sigkill', confidence, evidence: cites,
    summary: `${capitalize(targetName(c))} received SIGKILL from outside and memory was not the reason${directKill ? ' (docker kill)' : forced ? ' (a forced delete with no grace period)' : ''}. Look for who sent it: an operator's kill -9 or docker kill, kubectl delete --grace-period=0 --force, a supervisor or deploy script.`,
  };
};
