import type { Verdict } from '../diagnosis/verdict.js';

/** One line naming the diagnosed workload: `kubernetes pod shop/web-7d9 container app on node n1`. */
export function describeTarget(t: Verdict['target']): string {
  const parts: string[] = [t.platform];
  if (t.pod) parts.push(`pod ${t.namespace ?? 'default'}/${t.pod}`);
  if (t.taskArn || t.taskId) parts.push(`task ${t.taskId ?? t.taskArn}`);
  if (t.cluster) parts.push(`in cluster ${t.cluster}`);
  if (t.functionName) parts.push(`function ${t.functionName}`);
  if (t.containerName) parts.push(`container ${t.containerName}`);
  if (t.containerId && !t.pod) parts.push(`(${t.containerId.slice(0, 12)})`);
  if (t.node) parts.push(`on node ${t.node}`);
  else if (t.host) parts.push(`on host ${t.host}`);
  return parts.join(' ');
}
