/** What `why137 diagnose TARGET` (and /why137, and PagerDuty) names. Every name is validated before any API call. */
export type Target =
  | { kind: 'k8s'; context?: string; namespace: string; pod: string; container?: string }
  | { kind: 'k8s-workload'; context?: string; namespace: string; workload: 'deployment' | 'statefulset' | 'daemonset' | 'job'; name: string; container?: string }
  | { kind: 'ecs'; region?: string; cluster: string; task: string }
  | { kind: 'ecs-service'; region?: string; cluster: string; service: string }
  | { kind: 'docker'; host?: string; container: string }
  | { kind: 'lambda'; region?: string; functionName: string; qualifier?: string }
  | { kind: 'host'; name: string };

export type TargetKind = Target['kind'];
