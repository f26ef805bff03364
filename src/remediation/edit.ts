/**
 * The machine-readable change a proposal makes, for the executors. `changes` on the proposal is the
 * same change as a person reads it; this is what is applied. Absent on advice-only proposals.
 */
export type EnvEdit =
  /** Set one flag inside a flags variable (NODE_OPTIONS, JAVA_TOOL_OPTIONS), keeping every other flag; `remove` drops conflicting flags (e.g. -Xmx). */
  | { name: string; flag: string; value: string; remove?: string[] }
  /** Set the whole variable (GOMEMLIMIT, WEB_CONCURRENCY). */
  | { name: string; value: string; flag?: undefined };

export type Edit =
  | {
      platform: 'kubernetes';
      /** The kube context to apply through; absent: the default context. */
      context?: string;
      namespace: string;
      workload: { kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob'; name: string };
      container: string;
      limitsMemory?: string;
      requestsMemory?: string;
      env?: EnvEdit[];
      terminationGracePeriodSeconds?: number;
    }
  | {
      platform: 'ecs';
      /** The region the cluster is in; absent: aws.region. */
      region?: string;
      cluster: string;
      service: string;
      /** family:revision the service runs now (the new revision is copied from it). */
      taskDefinition: string;
      container: string;
      memoryMiB?: number;
      memoryReservationMiB?: number;
      /** Task-level size (Fargate), as ECS strings: "1024", "512". */
      taskMemory?: string;
      taskCpu?: string;
      stopTimeout?: number;
      env?: EnvEdit[];
    }
  | { platform: 'lambda'; /** Absent: aws.region. */ region?: string; functionName: string; qualifier?: string; memorySizeMb?: number; env?: EnvEdit[] }
  | { platform: 'docker'; container: string; host?: string; memoryBytes?: number; memorySwapBytes?: number };
