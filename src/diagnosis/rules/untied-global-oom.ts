import type { CauseRule } from '../rule.js';
import { fact } from '../fact.js';
import { targetName } from '../build-case.js';
import { capitalize } from '../capitalize.js';

/**
 * A SIGKILL (137) with a global OOM kill in the kernel log near the exit that nothing ties to any cgroup
 * (old kernels print no cgroup for a global OOM). The host ran out; which process it chose is not proven.
 */
export const untiedGlobalOom: CauseRule = (c) => {
  if (c.judged?.exitCode !== 137) return null;
  const global = c.untiedOoms.filter((o) => o.scope === 'global' || o.constraint === 'CONSTRAINT_NONE' || o.scope === 'oomd');
  if (global.length === 0) return null;
  const o = global[global.length - 1]!;
  return {
    code: 'host_oom', confidence: 'medium',
    evidence: [fact(c.judged, `exit code 137 (SIGKILL) without an OOM flag`), ...global.slice(-3).map((g) => fact(g, `global OOM: the kernel killed ${g.process ?? 'a process'}${g.pid ? ` (pid ${g.pid})` : ''} near the exit, with no cgroup printed to tie it`))],
    summary: `${capitalize(targetName(c))} was SIGKILLed while the host was out of memory: the kernel's global OOM killer killed ${o.process ?? 'a process'}${o.pid ? ` (pid ${o.pid})` : ''} near the exit. The log names no cgroup, so check the pid/process is this container's. The machine, not the container's limit, ran out.`,
    next: [{ why: 'the container’s host pids tie the killed pid to it', command: `docker top ${c.target.containerName ?? c.target.containerId?.slice(0, 12) ?? 'CONTAINER'}` }],
  };
};
