import type { DescribeTasksCommandOutput, Task } from '@aws-sdk/client-ecs';
import { defined } from '../../artifacts/defined.js';
import type { StepOutput } from '../source.js';
import { cliJson } from './cli-json.js';
import { redactEnvValue } from './redact-env-value.js';
import { redact } from '../../util/redact.js';

/** What the tasks steps hand on about each container: never its environment. */
export interface EcsContainerFact {
  name: string;
  runtimeId?: string;
  exitCode?: number;
  reason?: string;
  lastStatus?: string;
}

/**
 * The `ecs-tasks.json` artifact (`aws ecs describe-tasks` output for the given tasks) and the facts later
 * steps read: task definition, launch type, container instance, service group, stop time (stoppedAt, and
 * finishedAt for the engine's incident window), containers.
 * RunTask overrides may carry environment values and commands: they are redacted before anything is kept.
 */
export function ecsTaskOutput(response: DescribeTasksCommandOutput, tasks: Task[], calls: number, extra: Record<string, unknown> = {}): StepOutput {
  const task = tasks[0];
  const artifact = { ...response, tasks: tasks.map(redactOverrides) };
  const containers: EcsContainerFact[] = (task?.containers ?? []).filter((c) => c.name).map((c) => defined({
    name: c.name!, runtimeId: c.runtimeId, exitCode: c.exitCode, reason: c.reason, lastStatus: c.lastStatus,
  }));
  const facts: Record<string, unknown> = defined({
    taskArn: task?.taskArn,
    taskId: task?.taskArn?.split('/').pop(),
    clusterArn: task?.clusterArn,
    cluster: task?.clusterArn?.split('/').pop(),
    taskDefinitionArn: task?.taskDefinitionArn,
    launchType: task?.launchType ?? (task?.capacityProviderName?.toUpperCase().startsWith('FARGATE') ? 'FARGATE' : undefined),
    containerInstanceArn: task?.containerInstanceArn,
    group: task?.group,
    lastStatus: task?.lastStatus,
    stopCode: task?.stopCode,
    stoppedReason: task?.stoppedReason,
    startedAt: task?.startedAt?.toISOString(),
    stoppedAt: task?.stoppedAt?.toISOString(),
    // The runbook engine centres the incident window (the Insights query's range) on `finishedAt`.
    finishedAt: (task?.stoppedAt ?? task?.executionStoppedAt ?? task?.stoppingAt)?.toISOString(),
    containers,
    ...extra,
  });
  return { artifacts: [{ name: 'ecs-tasks.json', content: cliJson(artifact) }], facts, calls };
}

function redactOverrides(task: Task): Task {
  const overrides = task.overrides;
  if (!overrides?.containerOverrides) return task;
  return {
    ...task,
    overrides: {
      ...overrides,
      containerOverrides: overrides.containerOverrides.map((o) => ({
        ...o,
        environment: o.environment?.map((e) => (e.name && e.value !== undefined ? { ...e, value: redactEnvValue(e.name, e.value) } : e)),
        command: o.command?.map(redact),
      })),
    },
  };
}
