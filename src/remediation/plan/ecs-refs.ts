import type { PlanContext } from './plan-context.js';
import { shellQuote } from './shell-quote.js';

/** The names an ECS command needs, as far as the evidence gives them. */
export interface EcsRefs {
  container?: string;
  family?: string;
  revision?: string;
  cluster?: string;
  service?: string;
  taskId?: string;
  /** The region the target named (absent: aws.region). */
  region?: string;
}

/** Container, task definition family:revision, cluster, service (from the task's `service:NAME` group) and task id. */
export function ecsRefs(ctx: PlanContext): EcsRefs {
  const refs: EcsRefs = {};
  const t = ctx.target;
  if (t.containerName) refs.container = t.containerName;
  // `arn:...:task-definition/api:42`, or the `family:revision` subjects carry.
  const td = (ctx.task?.taskDefinitionArn ?? t.taskDefinition ?? ctx.groupLimits?.subject.taskDefinition ?? ctx.containerLimits?.subject.taskDefinition)?.split('/').pop();
  const m = td ? /^([A-Za-z0-9_-]+)(?::(\d+))?$/.exec(td) : null;
  if (m) { refs.family = m[1]!; if (m[2]) refs.revision = m[2]; }
  const taskArn = t.taskArn ?? ctx.task?.subject.taskArn;
  const cluster = t.cluster ?? (taskArn ? /:task\/([^/]+)\/[^/]+$/.exec(taskArn)?.[1] : undefined);
  if (cluster) refs.cluster = cluster;
  const service = /^service:(.+)$/.exec(ctx.task?.group ?? '')?.[1];
  if (service) refs.service = service;
  const taskId = t.taskId ?? taskArn?.split('/').pop();
  if (taskId) refs.taskId = taskId;
  if (t.region !== undefined) refs.region = t.region;
  return refs;
}

/** ` --region R` when the target named one: the command goes where the diagnosis read. */
export function regionFlag(refs: EcsRefs): string {
  return refs.region !== undefined ? ` --region ${shellQuote(refs.region)}` : '';
}
