import { DescribeTaskDefinitionCommand, type ContainerDefinition, type TaskDefinition } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { defined } from '../artifacts/defined.js';
import type { Source } from './source.js';
import { AwsSourceError } from './aws/aws-source-error.js';
import { cliJson } from './aws/cli-json.js';
import { needFact } from './aws/need-fact.js';
import { redactEnvValue } from './aws/redact-env-value.js';
import { redact } from '../util/redact.js';

const UNKNOWN_DEFINITION = /Unable to describe task definition/i;

const params = z.object({
  /** `family:revision` or an ARN, when no tasks step says which (e.g. the service's current definition). */
  taskDefinition: z.string().min(1).optional(),
}).strict();

/** Where a container's awslogs driver writes: what the Logs Insights step queries. */
export interface AwslogsFact {
  container: string;
  group: string;
  region?: string;
  streamPrefix?: string;
}

/**
 * `aws ecs describe-task-definition --task-definition ARN` for the task a tasks step found (its
 * `taskDefinitionArn` fact) → `ecs-task-definition.json`, environment values redacted (memory settings
 * kept). Facts: taskDefinitionArn, family, revision, requiresCompatibilities, awslogs[] (container,
 * group, region, streamPrefix) from each container's awslogs logConfiguration.
 */
export const ecsTaskDefinitionSource: Source<z.infer<typeof params>> = {
  name: 'ecs-task-definition',
  reads: 'the task definition (ecs:DescribeTaskDefinition): memory, memoryReservation, runtime settings and log configuration',
  params,
  async collect({ target, params: p, needs, clients, signal }) {
    if (target.kind !== 'ecs' && target.kind !== 'ecs-service') throw new AwsSourceError('why137_runbook_invalid', 'invalid', `ecs-task-definition reads an ecs: or ecs-service: target, not ${target.kind}`);
    const taskDefinition = needFact(needs, 'taskDefinitionArn', isString) ?? p.taskDefinition;
    if (!taskDefinition) {
      throw new AwsSourceError('why137_runbook_invalid', 'invalid', 'ecs-task-definition: no task definition to read: it needs a tasks step (taskDefinitionArn fact) or params.taskDefinition');
    }
    const response = await clients.ecs(target.region).send(new DescribeTaskDefinitionCommand({ taskDefinition }), { abortSignal: signal }).catch((err: unknown) => {
      // NOTE: ECS answers a missing definition with a generic ClientException "Unable to describe task definition."
      if ((err as Error).name === 'ClientException' && UNKNOWN_DEFINITION.test((err as Error).message)) {
        throw new AwsSourceError('why137_source_unavailable', 'not_found', `ECS task definition ${taskDefinition}: not found (${(err as Error).message})`, { cause: err });
      }
      throw err;
    });
    const td = response.taskDefinition;
    if (!td) throw new AwsSourceError('why137_source_unavailable', 'not_found', `ECS task definition ${taskDefinition}: not found`);
    const awslogs: AwslogsFact[] = (td.containerDefinitions ?? []).flatMap((c) => {
      const o = c.logConfiguration?.logDriver === 'awslogs' ? c.logConfiguration.options ?? {} : {};
      const group = o['awslogs-group'];
      return c.name && group ? [defined({ container: c.name, group, region: o['awslogs-region'], streamPrefix: o['awslogs-stream-prefix'] })] : [];
    });
    return {
      artifacts: [{ name: 'ecs-task-definition.json', content: cliJson({ ...response, taskDefinition: redactDefinition(td) }) }],
      facts: defined({
        taskDefinitionArn: td.taskDefinitionArn, family: td.family, revision: td.revision,
        requiresCompatibilities: td.requiresCompatibilities, awslogs,
      }),
      calls: 1,
    };
  },
};

function redactDefinition(td: TaskDefinition): TaskDefinition {
  return { ...td, containerDefinitions: td.containerDefinitions?.map(redactContainer) };
}

function redactContainer(c: ContainerDefinition): ContainerDefinition {
  return {
    ...c,
    environment: c.environment?.map((e) => (e.name && e.value !== undefined ? { ...e, value: redactEnvValue(e.name, e.value) } : e)),
    command: c.command?.map(redact),
    entryPoint: c.entryPoint?.map(redact),
  };
}

function isString(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}
