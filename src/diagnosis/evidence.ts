/**
 * Normalised evidence: what every parser produces and every rule reads.
 *
 * Each item says where it came from (`cite`: the file, and the field or line), which workload it is
 * about (`subject`), and one platform fact. Rules never see raw artifacts, so the live path and the
 * pasted-file path are diagnosed by exactly the same code.
 */

/** Where a fact was read: the input's name and the JSON path / line number inside it. */
export interface Cite {
  /** File path, `-` for standard input, or `source:<name>` for a live source. */
  file: string;
  /** A field path (`containers[0].reason`) or a line (`line 214`). */
  at: string;
  /** A short verbatim excerpt, secrets already redacted. */
  excerpt?: string;
}

export type Platform = 'docker' | 'kubernetes' | 'ecs' | 'lambda' | 'host';

/**
 * Identity of the workload a fact is about. Every field is optional; correlation joins evidence on
 * whichever identifiers two items share (container id, pod UID, task ARN, function name, PID, ...).
 */
export interface Subject {
  platform?: Platform;
  /** Full or short (12+ hex) container runtime id, without `docker://`/`containerd://`. */
  containerId?: string;
  /** Container name (Docker name without the leading `/`, K8s container name, ECS container name). */
  containerName?: string;
  pod?: string;
  namespace?: string;
  /** Pod UID with dashes, e.g. `1b4e28ba-2fa1-11d2-883f-0016d3cca427`. */
  podUid?: string;
  node?: string;
  /** Host name as the kernel log prints it. */
  host?: string;
  cluster?: string;
  taskArn?: string;
  /** The last path element of the task ARN. */
  taskId?: string;
  /** ECS `runtimeId` of a container (`<taskId>-<n>`), the cgroup leaf under /ecs/<taskId>/. */
  runtimeId?: string;
  functionName?: string;
  /** ECS task definition as `family:revision` (the last element of its ARN), joining task-definition and task evidence. */
  taskDefinition?: string;
  pid?: number;
  /** A systemd unit (`foo.service`) when the process ran as one. */
  unit?: string;
  /** The kube context the target was read through (`k8s:CTX/ns/pod`); absent: the default context. */
  context?: string;
  /** The AWS region the target was read in (`ecs:REGION/…`, `lambda:REGION/…`); absent: aws.region. */
  region?: string;
}

/** Memory-related runtime settings found in env, command and args. Values, never the raw env. */
export interface RuntimeSettings {
  /** Which runtime the image/command suggests. */
  runtime?: 'node' | 'jvm' | 'go' | 'python' | 'dotnet' | 'ruby' | 'unknown';
  /** Major version when known (e.g. from the image tag `node:14` or Lambda `nodejs18.x`). */
  runtimeVersion?: number;
  /** `--max-old-space-size` in MiB, from NODE_OPTIONS or args. */
  nodeMaxOldSpaceMb?: number;
  /** `-Xmx` in bytes, from JAVA_TOOL_OPTIONS / JAVA_OPTS / _JAVA_OPTIONS / JDK_JAVA_OPTIONS or args. */
  jvmXmxBytes?: number;
  /** `-XX:MaxRAMPercentage`. */
  jvmMaxRamPercentage?: number;
  /** `-XX:-UseContainerSupport` was given. */
  jvmContainerSupportDisabled?: boolean;
  /** Java 8's update number (8u181 → 181): container support arrived in 8u191. */
  jvmUpdate?: number;
  /** `-XX:+UseCGroupMemoryLimitForHeap` (8u131–8u190's experimental container awareness). */
  jvmCgroupHeapFlag?: boolean;
  /** GOMEMLIMIT in bytes (`off` is recorded as undefined with goMemLimitOff). */
  goMemLimitBytes?: number;
  goMemLimitOff?: boolean;
  /** Explicit worker count (gunicorn `-w`/`--workers`, WEB_CONCURRENCY, ...). */
  workers?: number;
  /** Worker count derived from the CPU count (`multiprocessing.cpu_count()`, gunicorn config default). */
  workersFromCpuCount?: boolean;
  /** Names of every environment variable (values are never kept). */
  envNames?: string[];
  /** Which env var or arg each setting came from, for citing. */
  settingSources?: Record<string, string>;
}

interface Base {
  cite: Cite;
  subject: Subject;
}

/** The state of one container/task container/process as the orchestrator reports it. */
export interface ContainerStateEvidence extends Base {
  kind: 'container.state';
  /** running, exited, terminated, waiting, stopped, ... as the platform says it. */
  status?: string;
  exitCode?: number;
  /** Docker State.OOMKilled, or K8s reason OOMKilled, ECS reason containing OutOfMemoryError. */
  oomKilled?: boolean;
  /** Platform reason: `OOMKilled`, `Error`, `Completed`, `CrashLoopBackOff`, ECS container reason. */
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  restartCount?: number;
  /** The state described is a previous run (K8s lastState), not the current one. */
  previous?: boolean;
  /** Current waiting reason (CrashLoopBackOff) when the container is waiting. */
  waitingReason?: string;
  image?: string;
  /** Container health as the orchestrator reports it (ECS `healthStatus`: HEALTHY, UNHEALTHY, UNKNOWN). */
  healthStatus?: string;
}

/** Memory limits of one container, pod, task or function. Sizes in bytes. */
export interface LimitsEvidence extends Base {
  kind: 'limits';
  /** What the limit applies to. */
  scope: 'container' | 'pod' | 'task' | 'function' | 'host';
  /** Hard limit; null when explicitly unset (Docker `Memory: 0`, no K8s limit, no ECS `memory`). */
  memoryLimitBytes: number | null;
  /** Soft limit / reservation (ECS memoryReservation, Docker MemoryReservation). */
  memoryReservationBytes?: number;
  /** K8s requests.memory. */
  memoryRequestBytes?: number;
  memorySwapBytes?: number;
  /** ECS launch type / requiresCompatibilities, K8s node, etc. */
  launchType?: 'FARGATE' | 'EC2' | 'EXTERNAL';
  cpu?: string;
}

/** Runtime settings of one container or function. */
export interface RuntimeEvidence extends Base {
  kind: 'runtime';
  settings: RuntimeSettings;
  image?: string;
  command?: string[];
}

/** Pod-level status. */
export interface PodStatusEvidence extends Base {
  kind: 'pod.status';
  phase?: string;
  qosClass?: 'Guaranteed' | 'Burstable' | 'BestEffort';
  /** `Evicted`, ... */
  reason?: string;
  message?: string;
  deletionTimestamp?: string;
  /**
   * The pod is being deleted: `metadata.deletionTimestamp` is set, or `kubectl describe` says
   * `Status: Terminating (lasts 12s)`, which shows no timestamp.
   */
  terminating?: boolean;
  /** `spec.terminationGracePeriodSeconds`: the grace a stop gets unless the deletion asked for another. */
  terminationGracePeriodSeconds?: number;
  /**
   * `metadata.deletionGracePeriodSeconds` (`Termination Grace Period:` in `kubectl describe`): the grace this
   * deletion actually got; 0 for `kubectl delete --force --grace-period=0`.
   */
  deletionGracePeriodSeconds?: number;
  startTime?: string;
  /** `ownerReferences` of the pod. */
  owners?: { kind: string; name: string }[];
  /** Pod conditions such as DisruptionTarget with their reasons (e.g. TerminationByKubelet). */
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

/** One Kubernetes event (or an event line of `kubectl describe`). */
export interface KubeEventEvidence extends Base {
  kind: 'k8s.event';
  reason: string;
  message: string;
  type?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  involvedKind?: string;
  /** `spec.containers{app}` */
  fieldPath?: string;
  component?: string;
}

/** A node's memory condition and size. */
export interface NodeEvidence extends Base {
  kind: 'node';
  name: string;
  memoryPressure?: boolean;
  memoryPressureSince?: string;
  memoryPressureMessage?: string;
  capacityBytes?: number;
  allocatableBytes?: number;
  kubeletVersion?: string;
}

/** One OOM kill reported by the kernel (or by systemd-oomd). */
export interface KernelOomEvidence extends Base {
  kind: 'kernel.oom';
  /** cgroup: a memcg limit was hit; global: the machine ran out; oomd: systemd-oomd acted. */
  scope: 'cgroup' | 'global' | 'oomd';
  /** Timestamp as printed: ISO time when known, else kernel seconds since boot. */
  time?: string;
  uptimeSeconds?: number;
  pid?: number;
  process?: string;
  anonRssKb?: number;
  fileRssKb?: number;
  shmemRssKb?: number;
  totalVmKb?: number;
  oomScoreAdj?: number;
  /** `constraint=` of the oom-kill summary line. */
  constraint?: string;
  /** The cgroup whose limit was hit (`oom_memcg=`, or "limit of <path>"/"Task in ... killed as a result of limit of X"). */
  limitCgroup?: string;
  /** The cgroup the killed task was in (`task_memcg=`, "Task in X"). */
  taskCgroup?: string;
  /** `memory: usage N kB, limit N kB` of the limit cgroup. */
  cgroupUsageKb?: number;
  cgroupLimitKb?: number;
  /** The process that triggered the OOM (`X invoked oom-killer`). */
  invokedBy?: string;
  /** `cpuset=` of old kernels' invoked line. */
  cpuset?: string;
}

/** A daemon saying it escalated a graceful stop to SIGKILL (dockerd, systemd, containerd). */
export interface StopEscalationEvidence extends Base {
  kind: 'stop.escalation';
  by: 'dockerd' | 'systemd' | 'containerd' | 'kubelet' | 'ecs-agent';
  graceSeconds?: number;
  time?: string;
}

/** A Docker engine event (`docker events`, or the engine API's /events). */
export interface DockerEventEvidence extends Base {
  kind: 'docker.event';
  /** oom, kill, die, stop, start, restart, destroy, ... */
  action: string;
  signal?: number;
  exitCode?: number;
  time?: string;
}

/** ECS task-level facts. */
export interface EcsTaskEvidence extends Base {
  kind: 'ecs.task';
  lastStatus?: string;
  desiredStatus?: string;
  stopCode?: string;
  stoppedReason?: string;
  launchType?: 'FARGATE' | 'EC2' | 'EXTERNAL';
  taskDefinitionArn?: string;
  group?: string;
  startedBy?: string;
  createdAt?: string;
  startedAt?: string;
  stoppingAt?: string;
  stoppedAt?: string;
  healthStatus?: string;
}

/** One Lambda invocation's REPORT line (or an Insights row built from one). */
export interface LambdaInvocationEvidence extends Base {
  kind: 'lambda.invocation';
  requestId?: string;
  time?: string;
  durationMs?: number;
  billedDurationMs?: number;
  memorySizeMb?: number;
  maxMemoryUsedMb?: number;
  initDurationMs?: number;
  /** `Status: error` / `Error Type: Runtime.OutOfMemory` fields some runtimes add to REPORT. */
  status?: string;
  errorType?: string;
}

/** A Lambda platform error line: the sandbox was killed or the runtime exited. */
export interface LambdaErrorEvidence extends Base {
  kind: 'lambda.error';
  requestId?: string;
  time?: string;
  /** `signal: killed`, `exit status 137`, `Runtime.ExitError`, `timeout`, ... */
  signal?: string;
  exitStatus?: number;
  errorType?: string;
  message: string;
}

/** A Lambda function's configuration. */
export interface LambdaConfigEvidence extends Base {
  kind: 'lambda.config';
  functionName: string;
  functionArn?: string;
  memorySizeMb?: number;
  runtime?: string;
  timeoutSeconds?: number;
  architectures?: string[];
  revisionId?: string;
  lastModified?: string;
  packageType?: string;
}

/** A language runtime reporting it ran out of heap on its own (not a kernel kill). */
export interface RuntimeHeapEvidence extends Base {
  kind: 'runtime.heap';
  runtime: 'node' | 'jvm' | 'python' | 'go' | 'dotnet' | 'ruby';
  message: string;
  time?: string;
  /** For Node: the heap size printed in the GC trace before the abort, in MB. */
  heapUsedMb?: number;
}

/** A memory figure at a point in time (for leak and near-limit analysis). */
export interface MemorySampleEvidence extends Base {
  kind: 'memory.sample';
  time?: string;
  /** Seconds since the process started, where known. */
  uptimeSeconds?: number;
  usedBytes: number;
  limitBytes?: number;
  /** What the figure is: Lambda max memory used, cgroup usage, RSS, ... */
  metric: string;
}

/** A live source that could not be read, and why. */
export interface SourceUnavailableEvidence extends Base {
  kind: 'source.unavailable';
  source: string;
  fault: 'timeout' | 'denied' | 'not_found' | 'unreachable' | 'throttled' | 'invalid' | 'error';
  detail: string;
  /** What the verdict cannot see because of it. */
  missing: string;
}

/** The span a log covers, so rules can say whether the log covers the exit. */
export interface LogCoverageEvidence extends Base {
  kind: 'log.coverage';
  log: 'kernel' | 'lambda' | 'container';
  firstTime?: string;
  lastTime?: string;
  lines: number;
  /** Kernel lines that were not about this target (filled by correlation). */
  setAside?: number;
  /** A Logs Insights query that had not completed (`Running`, `Timeout`, ...): the rows are partial. */
  queryStatus?: string;
  /** A long log was thinned to bound memory: REPORTs seen and kept (evenly spaced; errors and the peak always kept). */
  thinned?: { seen: number; kept: number };
  /** Kernel seconds since boot of the first and last line, for dmesg output that prints no wall-clock time. */
  firstUptimeSeconds?: number;
  lastUptimeSeconds?: number;
}

export type Evidence =
  | ContainerStateEvidence
  | LimitsEvidence
  | RuntimeEvidence
  | PodStatusEvidence
  | KubeEventEvidence
  | NodeEvidence
  | KernelOomEvidence
  | StopEscalationEvidence
  | DockerEventEvidence
  | EcsTaskEvidence
  | LambdaInvocationEvidence
  | LambdaErrorEvidence
  | LambdaConfigEvidence
  | RuntimeHeapEvidence
  | MemorySampleEvidence
  | SourceUnavailableEvidence
  | LogCoverageEvidence;

export type EvidenceKind = Evidence['kind'];

/** Narrow an evidence list to one kind. */
export function ofKind<K extends EvidenceKind>(evidence: readonly Evidence[], kind: K): Extract<Evidence, { kind: K }>[] {
  return evidence.filter((e): e is Extract<Evidence, { kind: K }> => e.kind === kind);
}
