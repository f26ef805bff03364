import type { TargetExtractor } from './target-extractor.js';
import { findObject } from './find-object.js';

const CLUSTER_ARN = /^arn:aws[a-z-]*:ecs:([^:]+):\d{12}:cluster\/(.+)$/;
const TASK_ARN = /^arn:aws[a-z-]*:ecs:[^:]+:\d{12}:task\//;

/**
 * EventBridge "ECS Task State Change" events (forwarded to PagerDuty as custom details): `detail.taskArn`
 * names the task; without it, `detail.clusterArn` and `detail.group` (`service:NAME`) name the service.
 */
export const ecsTaskEvent: TargetExtractor = (fields) => {
  const detail = findObject(fields.customDetails, (o) => str(o.taskArn) !== undefined && TASK_ARN.test(str(o.taskArn)!)
    || (str(o.clusterArn) !== undefined && str(o.group)?.startsWith('service:') === true));
  if (!detail) return undefined;
  const cluster = CLUSTER_ARN.exec(str(detail.clusterArn) ?? '');
  const taskArn = str(detail.taskArn);
  if (taskArn !== undefined && TASK_ARN.test(taskArn)) {
    // An old-format task ARN (task/ID, no cluster) needs the cluster from clusterArn.
    return cluster ? `ecs:${cluster[2]}/${taskArn}` : `ecs:${taskArn}`;
  }
  if (!cluster) return { error: `detail.clusterArn ${JSON.stringify(str(detail.clusterArn)?.slice(0, 80))} is not a cluster ARN` };
  return `ecs:${cluster[1]}/${cluster[2]}/service/${str(detail.group)!.slice('service:'.length)}`;
};

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
