import { DescribeTasksCommand } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import type { Source } from './source.js';
import { AwsSourceError } from './aws/aws-source-error.js';
import { ecsTaskOutput } from './aws/ecs-task-output.js';

const params = z.object({}).strict();

/**
 * `aws ecs describe-tasks --cluster C --tasks T` for an `ecs:` target → `ecs-tasks.json`. Facts: taskArn,
 * taskId, cluster, clusterArn, taskDefinitionArn, launchType, containerInstanceArn, group (`service:NAME`),
 * lastStatus, stopCode, stoppedReason, startedAt, stoppedAt, finishedAt (what the engine centres the incident
 * window on), containers[] (name, runtimeId, exitCode, reason, lastStatus).
 */
export const ecsTasksSource: Source<z.infer<typeof params>> = {
  name: 'ecs-tasks',
  reads: 'the ECS task (ecs:DescribeTasks): its containers’ exit codes and reasons, stop code, launch type and limits',
  params,
  async collect({ target, clients, signal }) {
    if (target.kind !== 'ecs') throw new AwsSourceError('why137_runbook_invalid', 'invalid', `ecs-tasks reads an ecs: target, not ${target.kind}`);
    const response = await clients.ecs(target.region).send(new DescribeTasksCommand({ cluster: target.cluster, tasks: [target.task] }), { abortSignal: signal });
    const task = response.tasks?.[0];
    if (!task) {
      const reason = response.failures?.map((f) => f.reason).filter(Boolean).join(', ');
      throw new AwsSourceError('why137_source_unavailable', 'not_found',
        `ECS task ${target.task} in cluster ${target.cluster}: not found${reason ? ` (${reason})` : ''}; ECS keeps a stopped task only about an hour after it stops: `
        + 'read the container’s awslogs group with Logs Insights, or an EventBridge "ECS Task State Change" event you keep');
    }
    return ecsTaskOutput(response, [task], 1);
  },
};
