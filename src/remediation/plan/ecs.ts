import type { Change } from '../proposal.js';
import type { Edit } from '../edit.js';
import { ofKind } from '../../diagnosis/evidence.js';
import type { PlanContext } from './plan-context.js';
import type { PlatformPlanner } from './platform-planner.js';
import { ecsRefs, regionFlag, type EcsRefs } from './ecs-refs.js';
import { ecsEnvEdit, taskDefinitionCommand } from './ecs-task-definition-command.js';
import { makeProposal } from './make-proposal.js';
import { withEdit } from './with-edit.js';
import { sigtermProposal } from './sigterm-proposal.js';
import { shellQuote } from './shell-quote.js';
import {
  DEFAULT_GRACE_SECONDS, ECS_HEALTH_CHECK_GRACE_SECONDS, ECS_MAX_HEALTH_START_PERIOD_SECONDS, ECS_STEP_MIB,
  FARGATE_MAX_STOP_TIMEOUT_SECONDS, MIB, PROBE_FAILURE_THRESHOLD, PROBE_TIMEOUT_SECONDS, fargateTaskSize,
  proposedGraceSeconds, roundUpMiB,
} from './sizing.js';

const DEPLOY_RISK = 'Registers a new task definition revision and replaces the service\'s tasks in a rolling deployment. If the task definition comes from Terraform, CloudFormation or CDK, change it there or the next deploy reverts it.';

/** ECS: edit the task definition (jq), register it, and point the service at the new revision. */
export const ecs: PlatformPlanner = {
  round(ctx, needBytes) {
    if (limitLevel(ctx) === 'task' && ctx.launchType === 'FARGATE') {
      const size = fargateTaskSize(roundUpMiB(needBytes, 1), taskCpu(ctx));
      return size ? size.memoryMiB * MIB : null;
    }
    return roundUpMiB(needBytes, ECS_STEP_MIB) * MIB;
  },

  memory(ctx, intent) {
    if (intent.action === 'requests_equal_limits') return [];
    const refs = ecsRefs(ctx);
    const c = refs.container ?? 'CONTAINER';
    const action = intent.action === 'set_memory_limit' ? 'set_hard_memory' : 'raise_memory_limit';
    const newMiB = intent.limitBytes / MIB;
    const taskMiB = bytesToMiB(ctx.groupLimits?.memoryLimitBytes);
    const changes: Change[] = [];
    const edits: string[] = [];
    const fields: EcsFields = {};
    const why: string[] = [intent.why];
    const risk: string[] = [intent.risk];
    let fits = true;

    const growTask = (requiredMiB: number, because: string): void => {
      const cpu = taskCpu(ctx);
      if (ctx.launchType !== 'FARGATE') {
        const mem = roundUpMiB(requiredMiB * MIB, ECS_STEP_MIB);
        changes.push({ field: 'memory', before: taskMiB === undefined ? null : String(taskMiB), after: String(mem) });
        edits.push(`.memory = ${JSON.stringify(String(mem))}`);
        fields.taskMemory = String(mem);
        why.push(`${because} The task memory grows to ${mem} MiB.`);
        return;
      }
      const size = fargateTaskSize(requiredMiB, cpu);
      if (size === null) {
        fits = false;
        why.push(`${because} That is more than Fargate's largest task (120 GB): the work must be split or moved to EC2.`);
        return;
      }
      changes.push({ field: 'memory', before: taskMiB === undefined ? null : String(taskMiB), after: String(size.memoryMiB) });
      edits.push(`.memory = ${JSON.stringify(String(size.memoryMiB))}`);
      fields.taskMemory = String(size.memoryMiB);
      if (cpu !== size.cpu) {
        changes.push({ field: 'cpu', before: cpu === undefined ? null : String(cpu), after: String(size.cpu) });
        edits.push(`.cpu = ${JSON.stringify(String(size.cpu))}`);
        fields.taskCpu = String(size.cpu);
        risk.push(cpu === undefined
          ? `The task CPU is not in the evidence: ${size.cpu} is the smallest CPU Fargate allows with ${size.memoryMiB} MiB.`
          : `Fargate has no ${size.memoryMiB} MiB size at cpu ${cpu}: the CPU step to ${size.cpu} raises the cost more than the memory alone.`);
      }
      why.push(`${because} The task grows to ${size.memoryMiB} MiB${cpu !== size.cpu ? ` with cpu ${size.cpu}` : ''}, the next valid Fargate size.`);
    };

    if (action === 'set_hard_memory' || limitLevel(ctx) === 'container') {
      const hard = bytesToMiB(ctx.containerLimits?.memoryLimitBytes);
      changes.push({ field: `containerDefinitions[${c}].memory`, before: hard === undefined ? null : String(hard), after: String(newMiB) });
      edits.push(`(.containerDefinitions[] | select(.name == ${JSON.stringify(c)}) | .memory) = ${newMiB}`);
      fields.memoryMiB = newMiB;
      if (action === 'set_hard_memory') {
        why.push(`A hard \`memory\` makes the container's own cgroup stop it at ${newMiB} MiB${ctx.reservationBytes !== undefined ? `; its memoryReservation (${bytesToMiB(ctx.reservationBytes)} MiB) stays the soft share used for placement` : ''}.`);
      }
      if (taskMiB !== undefined) {
        const others = otherContainersMiB(ctx, c);
        if (newMiB + others > taskMiB) {
          growTask(newMiB + others, `The task has ${taskMiB} MiB for all its containers; ${c} needs ${newMiB} MiB${others > 0 ? ` and the others reserve ${others} MiB` : ''}.`);
        }
      }
    } else {
      growTask(newMiB, `The task-level memory (${taskMiB ?? '?'} MiB) is the limit that was hit.`);
    }

    for (const fix of intent.runtime) {
      changes.push(...fix.changes);
      if (fix.edit) edits.push(ecsEnvEdit(c, fix.edit));
      else if (fix.manual) risk.push(`Not automatic: ${fix.manual}.`);
      if (fix.env) (fields.env ??= []).push(fix.env);
    }
    if (intent.runtime.length > 0) why.push('The runtime ceiling moves with it, to stay at its share of the new limit.');
    const { command, deployable } = taskDefinitionCommand(refs, edits);
    const title = action === 'set_hard_memory' ? `Set a hard memory limit of ${newMiB} MiB on ${c}` : `Raise the memory of ${c} to ${newMiB} MiB`;
    return [makeProposal(ctx, {
      action, title, changes, why: why.join(' '), risk: [...risk, DEPLOY_RISK].join(' '), command,
      addresses: intent.addresses, ...withEdit(ecsEdit(refs, fields), fits && deployable),
    })];
  },

  runtime(ctx, fix) {
    const refs = ecsRefs(ctx);
    const c = refs.container ?? 'CONTAINER';
    const { command, deployable } = fix.edit ? taskDefinitionCommand(refs, [ecsEnvEdit(c, fix.edit)]) : { command: `# ${fix.manual}`, deployable: false };
    return [makeProposal(ctx, {
      action: fix.action, title: fix.title, changes: fix.changes, why: fix.why, risk: `${fix.risk} ${DEPLOY_RISK}`,
      command, addresses: fix.addresses, ...withEdit(fix.env ? ecsEdit(refs, { env: [fix.env] }) : undefined, deployable),
    })];
  },

  grace(ctx) {
    const refs = ecsRefs(ctx);
    const c = refs.container ?? 'CONTAINER';
    const fargate = ctx.launchType === 'FARGATE';
    const current = ctx.escalationGraceSeconds ?? DEFAULT_GRACE_SECONDS.ecs;
    const next = proposedGraceSeconds(current, fargate ? FARGATE_MAX_STOP_TIMEOUT_SECONDS : undefined);
    const sigterm = sigtermProposal(ctx, '"initProcessEnabled": true in the container\'s linuxParameters (ECS runs an init as PID 1 that forwards signals)');
    if (next <= current) {
      sigterm.why += ` stopTimeout is already at Fargate's maximum of ${FARGATE_MAX_STOP_TIMEOUT_SECONDS} s: the process must exit sooner.`;
      return [sigterm];
    }
    const spot = /spot/i.test(ctx.task?.stoppedReason ?? '') ? ' A Spot interruption gives two minutes\' notice, so nothing beyond 120 s helps there.' : '';
    const agent = fargate ? '' : ' On EC2, without stopTimeout the agent\'s ECS_CONTAINER_STOP_TIMEOUT (default 30 s) applies.';
    const { command, deployable } = taskDefinitionCommand(refs, [`(.containerDefinitions[] | select(.name == ${JSON.stringify(c)}) | .stopTimeout) = ${next}`]);
    const grace = makeProposal(ctx, {
      action: 'raise_grace_period',
      title: `Raise stopTimeout of ${c} to ${next} s`,
      changes: [{ field: `containerDefinitions[${c}].stopTimeout`, before: ctx.escalationGraceSeconds === undefined ? null : String(current), after: String(next) }],
      why: `ECS sent SIGTERM, waited ${current} s and the container was still running, so it sent SIGKILL (exit 137). ${next} s gives a slow shutdown room to finish${fargate ? ` (Fargate allows at most ${FARGATE_MAX_STOP_TIMEOUT_SECONDS} s)` : ''}.${agent}${spot}`,
      risk: `Deployments and scale-in wait up to ${next} s per task; a process that ignores SIGTERM is still killed, only later (see handle_sigterm). ${DEPLOY_RISK}`,
      command,
      addresses: ['stop_timeout'],
      ...withEdit(ecsEdit(refs, { stopTimeout: next }), deployable),
    });
    return [grace, sigterm];
  },

  probe(ctx) {
    const refs = ecsRefs(ctx);
    const reason = ctx.task?.stoppedReason ?? '';
    const base = refs.family ? `${refs.family}${refs.revision ? `:${refs.revision}` : ''}` : 'FAMILY';
    const elb = /ELB health checks/i.test(reason);
    const why = elb
      ? `ECS stopped the task because the load balancer marked it unhealthy (${reason}). A service health-check grace period of ${ECS_HEALTH_CHECK_GRACE_SECONDS} s ignores the load balancer while the task starts; the target group's timeout and unhealthy threshold decide how fast a busy task is given up.`
      : `ECS stopped the task because its container health check failed${reason ? ` (${reason})` : ''}. Check the healthCheck: startPeriod (up to ${ECS_MAX_HEALTH_START_PERIOD_SECONDS} s) covers start-up, timeout (try ${PROBE_TIMEOUT_SECONDS} s) and retries (try ${PROBE_FAILURE_THRESHOLD}) ride out a slow moment; the check should test only that the process serves, not its dependencies.`;
    const command = elb
      ? [
        `aws ecs describe-services --cluster ${shellQuote(refs.cluster ?? 'CLUSTER')} --services ${shellQuote(refs.service ?? 'SERVICE')} --query 'services[0].[healthCheckGracePeriodSeconds,loadBalancers]'${regionFlag(refs)}`,
        `aws ecs update-service --cluster ${shellQuote(refs.cluster ?? 'CLUSTER')} --service ${shellQuote(refs.service ?? 'SERVICE')} --health-check-grace-period-seconds ${ECS_HEALTH_CHECK_GRACE_SECONDS}${regionFlag(refs)}`,
        `# and on the target group: aws elbv2 modify-target-group --target-group-arn ARN --health-check-timeout-seconds N --unhealthy-threshold-count N${regionFlag(refs)}`,
      ].join('\n')
      : `aws ecs describe-task-definition --task-definition ${shellQuote(base)} --query ${shellQuote(`taskDefinition.containerDefinitions[?name=='${refs.container ?? 'CONTAINER'}'].healthCheck`)}${regionFlag(refs)}   # current values first`;
    const pressure = ctx.factors.has('near_limit') ? ' Memory was near the limit (near_limit): a process thrashing in GC answers health checks late, so it needs memory headroom too.' : '';
    return [makeProposal(ctx, {
      action: 'fix_probe', title: elb ? 'Give the load balancer health check room' : 'Loosen the container health check',
      changes: [], why: why + pressure, risk: 'A laxer check takes longer to replace a task that is really stuck.',
      command, addresses: ['probe_failure'], executable: false,
    })];
  },

  headroom(ctx) {
    if (ctx.launchType === 'FARGATE') return [];
    return [makeProposal(ctx, {
      action: 'add_host_headroom',
      title: 'Keep memory free on the container instance',
      changes: [],
      why: 'The EC2 instance ran out of memory, not a container limit: containers with only a memoryReservation (soft) can take all the instance has, and the kernel then kills whatever it picks.',
      risk: 'Reserved memory is not offered to tasks: fewer tasks fit per instance.',
      command: [
        '# on each container instance, /etc/ecs/ecs.config: ECS_RESERVED_MEMORY=256 (MiB kept for the OS and the agent), then restart the agent',
        '# give every container a hard `memory`, so the sum of hard limits fits the instance',
      ].join('\n'),
      addresses: [ctx.verdict.cause, ...(ctx.factors.has('soft_limit_only') ? ['soft_limit_only' as const] : [])],
      executable: false,
    })];
  },

  exec(ctx) {
    const refs = ecsRefs(ctx);
    return (command) => `aws ecs execute-command --cluster ${shellQuote(refs.cluster ?? 'CLUSTER')} --task ${shellQuote(refs.taskId ?? 'TASK')} --container ${shellQuote(refs.container ?? 'CONTAINER')} --interactive${regionFlag(refs)} --command ${shellQuote(command)}`;
  },
};

type EcsEdit = Extract<Edit, { platform: 'ecs' }>;
type EcsFields = Pick<EcsEdit, 'memoryMiB' | 'memoryReservationMiB' | 'taskMemory' | 'taskCpu' | 'stopTimeout' | 'env'>;

/**
 * The edit of the service's task definition, or undefined when a name it needs is not in the evidence: the
 * cluster, the service (a task not started by a service has nothing to update), family:revision, container.
 */
function ecsEdit(refs: EcsRefs, fields: EcsFields): EcsEdit | undefined {
  const { cluster, service, family, revision, container } = refs;
  if (!cluster || !service || !family || !revision || !container) return undefined;
  return { platform: 'ecs', ...(refs.region !== undefined ? { region: refs.region } : {}), cluster, service, taskDefinition: `${family}:${revision}`, container, ...fields };
}

/** Which limit was hit: the container's own hard memory, or the task's (Fargate task memory, or no container limit). */
function limitLevel(ctx: PlanContext): 'container' | 'task' {
  const container = ctx.containerLimits?.memoryLimitBytes ?? null;
  const task = ctx.groupLimits?.memoryLimitBytes ?? null;
  if (container === null) return task !== null ? 'task' : 'container';
  if (task !== null && ctx.verdict.limitBytes === task && task !== container) return 'task';
  return 'container';
}

/** Task CPU units from the limits evidence (`256`, `1024`, `1 vCPU`). */
function taskCpu(ctx: PlanContext): number | undefined {
  const raw = ctx.groupLimits?.cpu?.trim();
  if (!raw) return undefined;
  const vcpu = /^(\d+(?:\.\d+)?)\s*vcpu$/i.exec(raw);
  if (vcpu) return Math.round(Number(vcpu[1]) * 1024);
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** Memory the task's other containers hold (hard memory, else their reservation), in MiB. */
function otherContainersMiB(ctx: PlanContext, container: string): number {
  const t = ctx.target;
  let sum = 0;
  for (const l of ofKind(ctx.allEvidence, 'limits')) {
    const s = l.subject;
    if (l.scope !== 'container' || s.containerName === undefined || s.containerName === container) continue;
    if ((t.taskArn && s.taskArn && s.taskArn !== t.taskArn) || (t.taskId && s.taskId && s.taskId !== t.taskId)) continue;
    sum += (l.memoryLimitBytes ?? l.memoryReservationBytes ?? 0) / MIB;
  }
  return Math.ceil(sum);
}

function bytesToMiB(bytes: number | null | undefined): number | undefined {
  return bytes === null || bytes === undefined ? undefined : Math.round(bytes / MIB);
}
