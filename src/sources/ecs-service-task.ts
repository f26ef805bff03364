import { DescribeTasksCommand, ListTasksCommand, type DescribeTasksCommandOutput, type Task } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import type { Source } from './source.js';
import { AwsSourceError } from './aws/aws-source-error.js';
import { ecsTaskOutput } from './aws/ecs-task-output.js';

// DescribeTasks takes at most 100 tasks per call (ECS API limit).
const DESCRIBE_BATCH = 100;
// ListTasks pages hold at most 100 ARNs; ten pages is 1,000 stopped tasks, more than a service stops in the
// hour ECS remembers them unless it crash-loops hard, and then any of its kills tells the same story.
const MAX_LIST_PAGES = 10;
const SIGKILL_EXIT = 137;
// ECS's own words for a memory kill, in a container's reason or the task's stoppedReason.
const OOM_REASON = /OutOfMemory/i;

const params = z.object({}).strict();

/**
 * For an `ecs-service:` target: `aws ecs list-tasks --desired-status STOPPED --service-name S`, then
 * describe-tasks, and keeps the most recently stopped task with a container that exited 137 or an
 * OutOfMemory reason. Same `ecs-tasks.json` artifact (that one task) and facts as ecs-tasks, plus
 * service, stoppedTasksSeen and matchingTasks.
 */
export const ecsServiceTaskSource: Source<z.infer<typeof params>> = {
  name: 'ecs-service-task',
  reads: 'the service’s recently stopped ECS tasks (ecs:ListTasks, ecs:DescribeTasks): the latest one killed with 137 or OutOfMemory',
  params,
  async collect({ target, clients, signal }) {
    if (target.kind !== 'ecs-service') throw new AwsSourceError('why137_runbook_invalid', 'invalid', `ecs-service-task reads an ecs-service: target, not ${target.kind}`);
    const ecs = clients.ecs(target.region);
    let calls = 0;
    const arns: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const listed = await ecs.send(new ListTasksCommand({ cluster: target.cluster, serviceName: target.service, desiredStatus: 'STOPPED', nextToken }), { abortSignal: signal });
      calls++;
      arns.push(...(listed.taskArns ?? []));
      nextToken = listed.nextToken;
      if (!nextToken) break;
    }

    const described: Task[] = [];
    let last: DescribeTasksCommandOutput | undefined;
    for (let i = 0; i < arns.length; i += DESCRIBE_BATCH) {
      last = await ecs.send(new DescribeTasksCommand({ cluster: target.cluster, tasks: arns.slice(i, i + DESCRIBE_BATCH) }), { abortSignal: signal });
      calls++;
      described.push(...(last.tasks ?? []));
    }

    // A service's tasks carry group `service:NAME`. Checking it costs nothing and keeps out other tasks where the
    // serviceName filter is not applied (NOTE: moto 5.2's ListTasks ignores serviceName, see its list_tasks).
    const group = `service:${target.service.split('/').pop()}`;
    const ofService = described.filter((t) => !t.group || t.group === group);
    const killed = ofService.filter(isKilled).sort((a, b) => stopTime(b) - stopTime(a));
    const picked = killed[0];
    if (!picked || !last) {
      throw new AwsSourceError('why137_source_unavailable', 'not_found',
        `ECS service ${target.service} in cluster ${target.cluster}: none found: no stopped task exited ${SIGKILL_EXIT} or ran out of memory `
        + `(${ofService.length} stopped task${ofService.length === 1 ? '' : 's'} seen; ECS keeps stopped tasks about an hour). `
        + 'Next: query the service’s awslogs group (awslogs-group in its task definition) with Logs Insights for the incident window');
    }
    return ecsTaskOutput({ ...last, tasks: [picked], failures: [] }, [picked], calls, {
      service: target.service, stoppedTasksSeen: ofService.length, matchingTasks: killed.length,
    });
  },
};

function isKilled(task: Task): boolean {
  if (task.stoppedReason && OOM_REASON.test(task.stoppedReason)) return true;
  return (task.containers ?? []).some((c) => c.exitCode === SIGKILL_EXIT || (c.reason !== undefined && OOM_REASON.test(c.reason)));
}

function stopTime(task: Task): number {
  return (task.stoppedAt ?? task.stoppingAt ?? task.executionStoppedAt ?? task.createdAt)?.getTime() ?? 0;
}
