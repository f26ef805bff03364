import type { Target } from './target.js';

/**
 * The canonical string for a target: what the store keys incidents by, what `slack.approvers[].match`
 * globs over, and what `parseTarget` reads back to the same Target (`k8s:shop/web-7d9`, `docker:oom`).
 */
export function formatTarget(t: Target): string {
  const join = (...parts: (string | undefined)[]): string => parts.filter((p) => p !== undefined).join('/');
  switch (t.kind) {
    case 'k8s': return `k8s:${join(t.context, t.namespace, t.pod, t.container)}`;
    case 'k8s-workload': return `k8s:${join(t.context, t.namespace, t.workload, t.name, t.container)}`;
    case 'ecs': return `ecs:${join(t.region, t.cluster, t.task)}`;
    case 'ecs-service': return `ecs:${join(t.region, t.cluster, 'service', t.service)}`;
    case 'docker': return `docker:${join(t.host, t.container)}`;
    case 'lambda': return `lambda:${join(t.region, `${t.functionName}${t.qualifier !== undefined ? `:${t.qualifier}` : ''}`)}`;
    case 'host': return `host:${t.name}`;
  }
}
