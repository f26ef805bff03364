import type { FactorRule } from '../rule.js';
import { fact } from '../fact.js';
import { formatBytes } from '../format-bytes.js';

/** ECS on EC2: only memoryReservation per container and no task-level memory, so one container can starve the host. */
export const softLimitOnly: FactorRule = (c) => {
  if (c.platform !== 'ecs') return null;
  const l = c.containerLimits;
  if (!l || l.memoryLimitBytes !== null || l.memoryReservationBytes === undefined) return null;
  const task = c.groupLimits.find((g) => g.scope === 'task');
  if (task?.memoryLimitBytes || task?.launchType === 'FARGATE' || l.launchType === 'FARGATE' || c.ecsTask?.launchType === 'FARGATE') return null;
  return {
    code: 'soft_limit_only', confidence: 'high',
    evidence: [fact(l, `only memoryReservation ${formatBytes(l.memoryReservationBytes)} (soft) is set; no hard memory`)],
    summary: 'Only a soft memoryReservation is set: on EC2 the container may grow past it until the instance runs out.',
  };
};
