import type { Case } from './case.js';

/** The command that shows the target's own output from the run that ended. */
export function logsCommand(c: Pick<Case, 'platform' | 'target'>): string {
  const t = c.target;
  if (c.platform === 'kubernetes') return `kubectl logs ${t.pod ?? 'POD'} -n ${t.namespace ?? 'default'}${t.containerName ? ` -c ${t.containerName}` : ''} --previous --tail=200`;
  if (c.platform === 'ecs') return `aws logs tail <the container's awslogs group> --since 1h`;
  if (c.platform === 'lambda') return `aws logs tail /aws/lambda/${t.functionName ?? 'FUNCTION'} --since 1h`;
  return `docker logs --tail 200 ${t.containerName ?? t.containerId?.slice(0, 12) ?? 'CONTAINER'}`;
}
