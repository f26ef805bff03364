import type { Change } from '../proposal.js';
import type { Edit } from '../edit.js';
import type { PlanContext } from './plan-context.js';
import type { PlatformPlanner } from './platform-planner.js';
import type { EnvEdit } from './runtime.js';
import { makeProposal } from './make-proposal.js';
import { withEdit } from './with-edit.js';
import { sigtermProposal } from './sigterm-proposal.js';
import { shellQuote } from './shell-quote.js';
import { DEFAULT_GRACE_SECONDS, DOCKER_STEP_MIB, MIB, PROBE_FAILURE_THRESHOLD, PROBE_TIMEOUT_SECONDS, proposedGraceSeconds, roundUpMiB } from './sizing.js';

const RECREATE_RISK = 'docker update changes the running container at once, without a restart, and lasts until the container is recreated: put the same limit in the compose file (mem_limit, or deploy.resources.limits.memory) or the run command, or the next deploy reverts it.';

/** Docker: `docker update` for memory; env and stop timeout need the container recreated. */
export const docker: PlatformPlanner = {
  round: (_ctx, needBytes) => roundUpMiB(needBytes, DOCKER_STEP_MIB) * MIB,

  memory(ctx, intent) {
    if (intent.action === 'requests_equal_limits') return [];
    const name = containerName(ctx);
    const mem = `${intent.limitBytes / MIB}m`;
    const limits = ctx.containerLimits;
    const changes: Change[] = [
      { field: 'HostConfig.Memory', before: dockerSize(limits?.memoryLimitBytes), after: mem },
      { field: 'HostConfig.MemorySwap', before: dockerSize(limits?.memorySwapBytes), after: mem },
    ];
    const risk = [intent.risk, RECREATE_RISK];
    const hadLimit = ctx.limitBytes !== undefined || (limits?.memoryLimitBytes ?? 0) > 0;
    if (!hadLimit) risk.push('It cannot be rolled back in place: docker update cannot remove a memory limit once set (0 keeps it, -1 is refused); only recreating the container without --memory does.');
    for (const fix of intent.runtime) {
      changes.push(...fix.changes);
      risk.push(`The runtime ceiling cannot be changed by docker update: ${fix.edit ? recreateAdvice(fix.edit) : fix.manual}.`);
    }
    const title = intent.action === 'set_memory_limit' ? `Set a memory limit of ${mem} on ${name}` : `Raise the memory limit of ${name} to ${mem}`;
    return [makeProposal(ctx, {
      action: intent.action,
      title,
      changes,
      why: `${intent.why} --memory-swap equal to --memory means no swap: docker update refuses a limit above the current memory-swap, and swapping would only make it slow before the same kill.`,
      risk: risk.join(' '),
      command: `docker update --memory ${mem} --memory-swap ${mem} ${shellQuote(name)}`,
      addresses: intent.addresses,
      ...withEdit(dockerEdit(ctx, intent.limitBytes)),
    })];
  },

  runtime(ctx, fix) {
    const name = containerName(ctx);
    return [makeProposal(ctx, {
      action: fix.action, title: fix.title, changes: fix.changes, why: fix.why,
      risk: `${fix.risk} Environment and command cannot be changed on an existing container: it must be recreated.`,
      command: fix.edit ? `# docker update cannot change the environment: recreate ${name} with ${recreateAdvice(fix.edit)}` : `# ${fix.manual}`,
      addresses: fix.addresses,
      executable: false,
    })];
  },

  grace(ctx) {
    const name = containerName(ctx);
    const current = ctx.escalationGraceSeconds ?? DEFAULT_GRACE_SECONDS.docker;
    const next = proposedGraceSeconds(current);
    const grace = makeProposal(ctx, {
      action: 'raise_grace_period',
      title: `Give ${name} ${next} s to stop`,
      changes: [{ field: 'Config.StopTimeout', before: ctx.escalationGraceSeconds === undefined ? null : String(current), after: String(next) }],
      why: `Docker sent SIGTERM, waited ${current} s and the container was still running, so it sent SIGKILL (exit 137). ${next} s gives a slow shutdown room to finish.`,
      risk: 'Stops and redeploys wait longer; a process that ignores SIGTERM is still killed, only later (see handle_sigterm). StopTimeout is fixed at creation: it needs the container recreated.',
      command: `docker stop -t ${next} ${shellQuote(name)}   # this stop; to keep it, recreate with --stop-timeout ${next} (compose: stop_grace_period: ${next}s)`,
      addresses: ['stop_timeout'],
      executable: false,
    });
    return [grace, sigtermProposal(ctx, 'docker run --init (compose: init: true)')];
  },

  probe(ctx) {
    const name = containerName(ctx);
    return [makeProposal(ctx, {
      action: 'fix_probe',
      title: 'Loosen the container health check',
      changes: [],
      why: `Docker's HEALTHCHECK only marks a container unhealthy; whatever restarts unhealthy containers (Swarm, an autoheal container) killed it. Give the check --health-start-period for start-up, --health-timeout ${PROBE_TIMEOUT_SECONDS}s and --health-retries ${PROBE_FAILURE_THRESHOLD} to ride out a slow moment, and check only that the process serves.`,
      risk: 'A laxer check takes longer to replace a container that is really stuck.',
      command: `docker inspect --format '{{json .Config.Healthcheck}}' ${shellQuote(name)}   # current values first; change them in the Dockerfile HEALTHCHECK or compose healthcheck`,
      addresses: ['probe_failure'],
      executable: false,
    })];
  },

  headroom(ctx) {
    return [makeProposal(ctx, {
      action: 'add_host_headroom',
      title: `Keep memory free on ${ctx.target.host ?? 'the host'}`,
      changes: [],
      why: 'The host ran out of memory, not a container limit: the kernel picked a victim across the whole machine. Containers without --memory can take everything the host has.',
      risk: 'Limits that add up to less than the host mean fewer containers per host.',
      command: [
        'docker stats --no-stream --format \'table {{.Name}}\\t{{.MemUsage}}\'   # MemUsage without a limit shows the host total',
        '# give every container a --memory limit, and keep their sum below the host\'s memory minus what the OS needs',
      ].join('\n'),
      addresses: [ctx.verdict.cause, ...(ctx.factors.has('node_memory_pressure') ? ['node_memory_pressure' as const] : [])],
      executable: false,
    })];
  },

  exec(ctx) {
    const name = shellQuote(containerName(ctx));
    return (command) => `docker exec ${name} ${command}`;
  },
};

/**
 * `docker update` of memory and memory-swap together. The container is named by its full id where the
 * evidence has one (unambiguous on whichever engine the executor reaches), else by name. No engine name:
 * the verdict's `host` is the kernel's host name, not a docker.hosts entry.
 */
function dockerEdit(ctx: PlanContext, memoryBytes: number): Extract<Edit, { platform: 'docker' }> | undefined {
  const container = ctx.target.containerId ?? ctx.target.containerName;
  if (container === undefined) return undefined;
  return { platform: 'docker', container, memoryBytes, memorySwapBytes: memoryBytes };
}

function containerName(ctx: PlanContext): string {
  return ctx.target.containerName ?? ctx.target.containerId?.slice(0, 12) ?? 'CONTAINER';
}

function dockerSize(bytes: number | null | undefined): string | null {
  if (bytes === null || bytes === undefined || bytes === 0) return null;
  if (bytes < 0) return 'unlimited';
  return bytes % MIB === 0 ? `${bytes / MIB}m` : String(bytes);
}

function recreateAdvice(edit: EnvEdit): string {
  if (edit.mode === 'value' || !edit.exists) return `-e ${edit.variable}=${shellQuote(edit.set)} (compose: environment)`;
  return `${edit.set} added to ${edit.variable}, keeping its other flags (compose: environment)`;
}
