import type { CauseRule } from '../rule.js';
import { fact } from '../fact.js';
import { targetName } from '../build-case.js';
import { capitalize } from '../capitalize.js';
import type { CitedFact } from '../verdict.js';

const LIVENESS_KILL = /failed (liveness|startup) probe, will be restarted/i;
const PROBE_FAILED = /^(Liveness|Startup) probe failed/i;
const ECS_HEALTH = /Task failed (container health checks|ELB health checks)/i;

/** The orchestrator killed the container because its liveness probe / health check failed, and said so. */
export const probeFailure: CauseRule = (c) => {
  const cites: CitedFact[] = [];
  const kills = c.events.filter((e) => e.reason === 'Killing' && LIVENESS_KILL.test(e.message));
  const failures = c.events.filter((e) => e.reason === 'Unhealthy' && PROBE_FAILED.test(e.message));
  for (const k of kills.slice(0, 2)) cites.push(fact(k, `event Killing: ${k.message}${k.count && k.count > 1 ? ` (x${k.count})` : ''}`));
  if (c.ecsTask?.stoppedReason && ECS_HEALTH.test(c.ecsTask.stoppedReason)) {
    cites.push(fact(c.ecsTask, `task stoppedReason: ${c.ecsTask.stoppedReason}${c.ecsTask.stopCode ? ` (stopCode ${c.ecsTask.stopCode})` : ''}`));
  }
  if (cites.length === 0) return null;
  for (const f of failures.slice(0, 2)) cites.push(fact(f, `event Unhealthy: ${f.message}${f.count && f.count > 1 ? ` (x${f.count})` : ''}`));
  const exit = c.judged?.exitCode;
  if (c.judged && exit !== undefined) cites.push(fact(c.judged, `exit code ${exit}${exit === 143 ? ' (SIGTERM, handled)' : exit === 137 ? ' (SIGKILL after the grace period)' : ''}`));
  const ecs = c.platform === 'ecs';
  const elb = ecs && /ELB/.test(c.ecsTask?.stoppedReason ?? '');
  const probe = ecs ? (elb ? 'load balancer health check' : 'container health check') : (/startup/i.test(kills[0]?.message ?? '') ? 'startup probe' : 'liveness probe');
  const detail = failures[0] ? ` Last failure: ${failures[0].message.replace(/^(Liveness|Startup) probe failed:\s*/i, '')}.` : '';
  return {
    code: 'probe_failure', confidence: 'high', evidence: cites,
    summary: `${capitalize(targetName(c))} was killed by ${ecs ? 'ECS' : 'the kubelet'} because its ${probe} failed, not for memory.${detail} Check why it stopped answering (load, GC pauses, a slow dependency) and give the probe a realistic timeout and failure threshold.`,
  };
};
