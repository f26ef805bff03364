import {
  DeregisterTaskDefinitionCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand,
  UpdateServiceCommand, type ContainerDefinition, type ECSClient, type RegisterTaskDefinitionCommandInput, type Tag, type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { Edit } from '../edit.js';
import type { Applied, ExecuteContext, Executor } from './executor.js';
import { Why137Error } from '../../errors/why137-error.js';
import { FARGATE_MAX_STOP_TIMEOUT_SECONDS, FARGATE_TASK_SIZES } from '../plan/sizing.js';
import { changedFields } from './changed-fields.js';
import { envState, type EnvState } from './env-state.js';
import { envValue } from './env-value.js';
import { fingerprint } from './fingerprint.js';
import { reviseEcs } from './revise-ecs.js';

type EcsEdit = Extract<Edit, { platform: 'ecs' }>;

interface Current {
  serviceArn: string;
  taskDefinitionArn: string;
  taskDefinition: TaskDefinition;
  tags: Tag[];
  container: ContainerDefinition;
  state: Record<string, unknown>;
}

/**
 * ECS: a new task definition revision copied from the one the service runs, with only the edited fields of
 * one container (memory, memoryReservation, stopTimeout, environment) and the task size changed, then
 * UpdateService to it (a rolling deployment). Rollback points the service back at the previous revision.
 * ECS has no write precondition: the service's task definition is compared right before each write.
 */
export const ecsExecutor: Executor<EcsEdit> = {
  platform: 'ecs',

  async snapshot(edit, ctx) {
    const now = await current(edit, ctx);
    return { fingerprint: fingerprint(now.state), state: now.state };
  },

  async apply(edit, expected, ctx) {
    const ecs = ctx.clients.ecs(edit.region);
    const now = await current(edit, ctx);
    if (fingerprint(now.state) !== expected.fingerprint) {
      const moved = changedFields(expected.state, now.state, ['service', 'container']);
      throw new Why137Error('why137_target_changed', `${name(edit)}: ${moved.join(', ') || 'its task definition'} changed since the proposal was made; nothing was changed, diagnose it again`);
    }
    const input = registration(edit, now);
    checkFargate(edit, input);
    const registered = await ecs.send(new RegisterTaskDefinitionCommand(input), { abortSignal: ctx.signal });
    const newArn = registered.taskDefinition?.taskDefinitionArn;
    if (!newArn) throw new Why137Error('why137_internal', `${name(edit)}: RegisterTaskDefinition returned no task definition ARN`);
    try {
      // The registration took a moment: the service must still run what the edit was copied from.
      await ensureServiceRuns(edit, now.taskDefinitionArn, ctx, 'since the proposal was made; nothing was changed');
      await ecs.send(new UpdateServiceCommand({ cluster: edit.cluster, service: edit.service, taskDefinition: newArn }), { abortSignal: ctx.signal });
    } catch (err) {
      // Leave no unused revision behind when the service was not moved to it.
      await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: newArn }), { abortSignal: ctx.signal }).catch(() => undefined);
      throw err;
    }
    const after = stateOf(edit, newArn, registered.taskDefinition!, input.containerDefinitions!.find((c) => c.name === edit.container)!);
    return applied(edit, now.state, after, { previousTaskDefinitionArn: now.taskDefinitionArn, taskDefinitionArn: newArn });
  },

  async rollback(edit, done, ctx) {
    const undo = done.undo as { previousTaskDefinitionArn: string; taskDefinitionArn: string };
    await ensureServiceRuns(edit, undo.taskDefinitionArn, ctx, 'since why137 applied its edit; nothing was rolled back');
    await ctx.clients.ecs(edit.region).send(new UpdateServiceCommand({ cluster: edit.cluster, service: edit.service, taskDefinition: undo.previousTaskDefinitionArn }), { abortSignal: ctx.signal });
    return applied(edit, done.after, done.before, { previousTaskDefinitionArn: undo.taskDefinitionArn, taskDefinitionArn: undo.previousTaskDefinitionArn }, 'rolled back');
  },

  revise: (edit, value) => reviseEcs(edit, value),
};

function name(edit: EcsEdit): string {
  return `ECS service ${edit.cluster}/${edit.service}`;
}

/** `family:revision` of a task definition ARN. */
function shortName(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

async function describeService(edit: EcsEdit, ecs: ECSClient, signal: AbortSignal): Promise<{ serviceArn: string; taskDefinitionArn: string }> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster: edit.cluster, services: [edit.service] }), { abortSignal: signal });
  const svc = out.services?.[0];
  if (!svc || svc.status !== 'ACTIVE' || !svc.taskDefinition) {
    const why = out.failures?.[0]?.reason ?? (svc ? `status ${svc.status ?? 'unknown'}` : 'not found');
    throw new Why137Error('why137_target_changed', `${name(edit)} is not active any more (${why})`);
  }
  return { serviceArn: svc.serviceArn ?? edit.service, taskDefinitionArn: svc.taskDefinition };
}

async function ensureServiceRuns(edit: EcsEdit, arn: string, ctx: ExecuteContext, when: string): Promise<void> {
  const svc = await describeService(edit, ctx.clients.ecs(edit.region), ctx.signal);
  if (svc.taskDefinitionArn !== arn) {
    throw new Why137Error('why137_target_changed', `${name(edit)} moved from ${shortName(arn)} to ${shortName(svc.taskDefinitionArn)} ${when}`);
  }
}

async function current(edit: EcsEdit, ctx: ExecuteContext): Promise<Current> {
  const ecs = ctx.clients.ecs(edit.region);
  const svc = await describeService(edit, ecs, ctx.signal);
  if (shortName(svc.taskDefinitionArn) !== edit.taskDefinition) {
    throw new Why137Error('why137_target_changed', `${name(edit)} runs ${shortName(svc.taskDefinitionArn)} now, not ${edit.taskDefinition} that was diagnosed; diagnose it again`);
  }
  const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: svc.taskDefinitionArn, include: ['TAGS'] }), { abortSignal: ctx.signal });
  const td = out.taskDefinition;
  const container = td?.containerDefinitions?.find((c) => c.name === edit.container);
  if (!td || !container) throw new Why137Error('why137_target_changed', `${edit.taskDefinition} has no container ${edit.container}`);
  for (const e of edit.env ?? []) {
    if (container.secrets?.some((s) => s.name === e.name)) {
      throw new Why137Error('why137_target_invalid', `${edit.taskDefinition}: ${e.name} in container ${edit.container} comes from a secret (SSM or Secrets Manager): change it there`);
    }
  }
  return { ...svc, taskDefinition: td, tags: out.tags ?? [], container, state: stateOf(edit, svc.taskDefinitionArn, td, container) };
}

/** The edited fields only (and for env, only the edited flags), with the task definition they were read from. */
function stateOf(edit: EcsEdit, arn: string, td: TaskDefinition, c: ContainerDefinition): Record<string, unknown> {
  const state: Record<string, unknown> = { service: `${edit.cluster}/${edit.service}`, taskDefinitionArn: arn, container: edit.container };
  if (edit.memoryMiB !== undefined) state.memoryMiB = c.memory ?? null;
  if (edit.memoryReservationMiB !== undefined) state.memoryReservationMiB = c.memoryReservation ?? null;
  if (edit.stopTimeout !== undefined) state.stopTimeout = c.stopTimeout ?? null;
  if (edit.taskMemory !== undefined) state.taskMemory = td.memory ?? null;
  if (edit.taskCpu !== undefined) state.taskCpu = td.cpu ?? null;
  if (edit.env !== undefined) {
    const env: Record<string, EnvState> = {};
    for (const e of edit.env) {
      const entry = c.environment?.find((v) => v.name === e.name);
      env[e.name] = envState(e, entry === undefined ? undefined : entry.value ?? '');
    }
    state.env = env;
  }
  return state;
}

/** RegisterTaskDefinition input: the current definition without its read-only fields, with the edit applied. */
function registration(edit: EcsEdit, now: Current): RegisterTaskDefinitionCommandInput {
  const {
    taskDefinitionArn: _arn, revision: _revision, status: _status, requiresAttributes: _attrs, compatibilities: _compat,
    registeredAt: _at, registeredBy: _by, deregisteredAt: _dereg, deleteRequestedAt: _del, ...copy
  } = now.taskDefinition;
  const containers = (copy.containerDefinitions ?? []).map((c) => (c.name === edit.container ? edited(edit, c) : c));
  const input: RegisterTaskDefinitionCommandInput = { ...copy, family: copy.family, containerDefinitions: containers };
  if (edit.taskMemory !== undefined) input.memory = edit.taskMemory;
  if (edit.taskCpu !== undefined) input.cpu = edit.taskCpu;
  if (now.tags.length > 0) input.tags = now.tags;
  return input;
}

function edited(edit: EcsEdit, c: ContainerDefinition): ContainerDefinition {
  const out: ContainerDefinition = { ...c };
  if (edit.memoryMiB !== undefined) out.memory = edit.memoryMiB;
  if (edit.memoryReservationMiB !== undefined) out.memoryReservation = edit.memoryReservationMiB;
  if (edit.stopTimeout !== undefined) out.stopTimeout = edit.stopTimeout;
  if (edit.env !== undefined) {
    const env = [...(c.environment ?? [])];
    for (const e of edit.env) {
      const i = env.findIndex((v) => v.name === e.name);
      const value = envValue(e, i >= 0 ? env[i]!.value ?? '' : undefined);
      if (i >= 0) env[i] = { name: e.name, value }; else env.push({ name: e.name, value });
    }
    out.environment = env;
  }
  return out;
}

/** Fargate accepts only its own task sizes and stopTimeout up to 120 s: refuse before registering anything. */
function checkFargate(edit: EcsEdit, input: RegisterTaskDefinitionCommandInput): void {
  if (!input.requiresCompatibilities?.includes('FARGATE')) return;
  const cpu = Number(input.cpu);
  const memory = Number(input.memory);
  if ((edit.taskMemory !== undefined || edit.taskCpu !== undefined) && !FARGATE_TASK_SIZES.some((s) => s.cpu === cpu && s.memoryMiB.includes(memory))) {
    const at = FARGATE_TASK_SIZES.find((s) => s.cpu === cpu)?.memoryMiB;
    throw new Why137Error('why137_invalid_value', `${edit.taskDefinition}: Fargate has no task of cpu ${input.cpu} with ${input.memory} MiB${at ? `; at cpu ${cpu} memory is ${at[0]} to ${at.at(-1)} MiB` : ''}`);
  }
  if (edit.stopTimeout !== undefined && edit.stopTimeout > FARGATE_MAX_STOP_TIMEOUT_SECONDS) {
    throw new Why137Error('why137_invalid_value', `${edit.taskDefinition}: Fargate allows a stopTimeout of at most ${FARGATE_MAX_STOP_TIMEOUT_SECONDS} s, not ${edit.stopTimeout}`);
  }
}

function applied(edit: EcsEdit, before: Record<string, unknown>, after: Record<string, unknown>, undo: { previousTaskDefinitionArn: string; taskDefinitionArn: string }, note = 'deployment started'): Applied {
  const changes = changedFields(before, after, ['service', 'container', 'taskDefinitionArn'], true);
  const from = shortName(undo.previousTaskDefinitionArn);
  const to = shortName(undo.taskDefinitionArn);
  return {
    before,
    after,
    detail: `${name(edit)}: ${from} → ${to}, container ${edit.container}: ${changes.length > 0 ? changes.join(', ') : 'no change'} (${note})`,
    undo,
  };
}
