import type {
  ContainerStateEvidence, DockerEventEvidence, EcsTaskEvidence, Evidence, KernelOomEvidence, KubeEventEvidence,
  LambdaConfigEvidence, LambdaErrorEvidence, LambdaInvocationEvidence, LimitsEvidence, LogCoverageEvidence,
  MemorySampleEvidence, NodeEvidence, Platform, PodStatusEvidence, RuntimeEvidence, RuntimeHeapEvidence,
  SourceUnavailableEvidence, StopEscalationEvidence, Subject,
} from './evidence.js';
import type { SetAside } from './verdict.js';

/**
 * Everything known about the one workload being diagnosed, after correlation: evidence about other
 * containers, pods, tasks or cgroups is not here (kernel lines among it are listed in `setAside`).
 * Rules read only this.
 */
export interface Case {
  platform: Platform | 'unknown';
  target: Subject;
  /** The run being judged: the terminated state that best explains a death (OOM > 137 > other exits). */
  judged?: ContainerStateEvidence;
  /** Every state seen of the target container (current and previous runs). */
  states: ContainerStateEvidence[];
  /** Container ids known for the target container, across restarts. */
  containerIds: string[];
  containerLimits?: LimitsEvidence;
  /** Pod-, task- or function-level limits. */
  groupLimits: LimitsEvidence[];
  runtime?: RuntimeEvidence;
  pod?: PodStatusEvidence;
  /** Events about the target pod or container. */
  events: KubeEventEvidence[];
  /** Events about the target's node (SystemOOM, NodeHasInsufficientMemory, ...). */
  nodeEvents: KubeEventEvidence[];
  node?: NodeEvidence;
  /** Kernel OOM kills tied to the target by cgroup, scope, pod UID, task or unit. */
  kernelOoms: KernelOomEvidence[];
  /** Kernel OOM kills with nothing to tie them to any workload, near the exit (or not placeable in time). */
  untiedOoms: KernelOomEvidence[];
  kernelCoverage?: LogCoverageEvidence;
  escalations: StopEscalationEvidence[];
  dockerEvents: DockerEventEvidence[];
  ecsTask?: EcsTaskEvidence;
  lambdaConfig?: LambdaConfigEvidence;
  invocations: LambdaInvocationEvidence[];
  lambdaErrors: LambdaErrorEvidence[];
  heapErrors: RuntimeHeapEvidence[];
  samples: MemorySampleEvidence[];
  unavailable: SourceUnavailableEvidence[];
  setAside: SetAside[];
  /** Everything, before correlation. */
  all: Evidence[];
}
