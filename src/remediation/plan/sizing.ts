/**
 * Sizing rules for remediation proposals: how much memory, how high a runtime ceiling, how long a grace
 * period. Every number is a named constant with the reason it has that value. All functions are pure.
 */

export const MIB = 1024 * 1024;

// New limit = observed need × 1.5: GC'd runtimes and the page cache need working room above the peak
// seen, and one traffic spike above the peak must not kill it again; more than that doubles the cost
// for no evidence.
export const HEADROOM_FACTOR = 1.5;

// A heap ceiling at 75% of the limit leaves 25% for what is not heap: thread stacks, code, buffers,
// native libraries, the runtime itself. Node's --max-old-space-size and the JVM's MaxRAMPercentage use it.
export const HEAP_SHARE_OF_LIMIT = 0.75;

// GOMEMLIMIT covers all memory the Go runtime manages (not only the heap) and is a soft target, so it can
// sit closer to the limit: 10% is left for cgo, the page cache and goroutine stacks above the target.
export const GOMEMLIMIT_SHARE_OF_LIMIT = 0.9;

// The JVM's default MaxRAMPercentage: a container-aware JVM without flags gets a heap of 25% of the limit,
// the usual cause of java.lang.OutOfMemoryError far below the container limit.
export const JVM_DEFAULT_RAM_PERCENTAGE = 25;

// Java 10 brought container support and -XX:MaxRAMPercentage (backported to 8u191). An older JVM refuses
// to start with an unknown -XX flag, so a known major version below this gets -Xmx instead.
export const JVM_FIRST_MAJOR_WITH_RAM_PERCENTAGE = 10;

// Raising a heap ceiling by under 10% is within GC noise: the same abort comes back, so below this gain
// the planner raises the limit and the ceiling together instead.
export const MIN_CEILING_GAIN = 1.1;

// Kubernetes quantities are rounded up to clean steps a person would write: 64Mi below 1Gi, 128Mi below
// 4Gi, 256Mi above, so limits stay readable and bin-pack onto nodes without odd remainders.
export const K8S_STEPS_MIB: readonly { below: number; step: number }[] = [
  { below: 1024, step: 64 },
  { below: 4096, step: 128 },
  { below: Number.POSITIVE_INFINITY, step: 256 },
];

// ECS counts container memory in whole MiB; multiples of 64 keep task definitions readable and add at
// most 63 MiB to the need.
export const ECS_STEP_MIB = 64;

// Docker takes `m` units (MiB); one MiB is fine-grained enough that rounding adds nothing measurable.
export const DOCKER_STEP_MIB = 1;

// Lambda memory: 128 MB to 10,240 MB in 1 MB steps (AWS Lambda quotas). Lambda's "MB" are MiB.
export const LAMBDA_MIN_MB = 128;
export const LAMBDA_MAX_MB = 10240;
export const LAMBDA_STEP_MB = 1;

// At 1,769 MB a function gets the equivalent of one full vCPU (AWS Lambda docs, "Memory and computing
// power"); CPU share is proportional to memory, so crossing it changes CPU behaviour and cost.
export const LAMBDA_FULL_VCPU_MB = 1769;

// Fargate's valid task sizes (CPU units → memory MiB), from the ECS task definition docs. A task
// definition with any other pair is rejected at registration.
export const FARGATE_TASK_SIZES: readonly { cpu: number; memoryMiB: readonly number[] }[] = [
  { cpu: 256, memoryMiB: [512, 1024, 2048] },
  { cpu: 512, memoryMiB: steps(1024, 4096, 1024) },
  { cpu: 1024, memoryMiB: steps(2048, 8192, 1024) },
  { cpu: 2048, memoryMiB: steps(4096, 16384, 1024) },
  { cpu: 4096, memoryMiB: steps(8192, 30720, 1024) },
  { cpu: 8192, memoryMiB: steps(16384, 61440, 4096) },
  { cpu: 16384, memoryMiB: steps(32768, 122880, 8192) },
];

// Fargate caps a container's stopTimeout at 120 seconds (ECS container definition docs).
export const FARGATE_MAX_STOP_TIMEOUT_SECONDS = 120;

// Defaults when the evidence does not show the grace period: Kubernetes terminationGracePeriodSeconds
// and ECS stopTimeout are 30 s, `docker stop` waits 10 s.
export const DEFAULT_GRACE_SECONDS = { kubernetes: 30, ecs: 30, docker: 10 } as const;

// Doubling the grace period: how long the shutdown really needs is not in the evidence, doubling bounds
// the extra wait, and a second kill says double again.
export const GRACE_GROWTH_FACTOR = 2;

// Never propose less than 30 s: it is Kubernetes' and ECS's default and covers a typical request timeout
// plus load-balancer deregistration; a smaller "raise" after a kill changes nothing.
export const MIN_PROPOSED_GRACE_SECONDS = 30;

// Worker count when the container's CPU limit is unknown: two workers keep one serving while the other
// is busy, and are far below the host's CPU count the workers were sized from.
export const FALLBACK_WORKERS = 2;

// Liveness probe timeout to suggest: the default 1 s is shorter than a GC pause or a cold cache on a
// busy process, so a healthy but busy container fails it.
export const PROBE_TIMEOUT_SECONDS = 5;

// Failures before a restart: the default 3 × 10 s period restarts after 30 s of slowness; 6 rides out a
// minute-long spike without hiding a process that is really stuck.
export const PROBE_FAILURE_THRESHOLD = 6;

// A startup probe with 30 × 10 s allows five minutes to start before the liveness probe takes over.
export const STARTUP_PROBE_FAILURE_THRESHOLD = 30;

// ECS container health check startPeriod maximum (ECS HealthCheck docs) and the service's grace for
// load-balancer health checks to suggest: two minutes covers a JVM or a cache warm-up.
export const ECS_MAX_HEALTH_START_PERIOD_SECONDS = 300;
export const ECS_HEALTH_CHECK_GRACE_SECONDS = 120;

function steps(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/**
 * The memory a new limit must cover, in bytes: the observed need × HEADROOM_FACTOR. When the kill
 * happened at the limit, the limit itself is a lower bound of the need (usage was cut off there), so
 * the need is max(peak, limit). Undefined when nothing shows how much memory it needs.
 */
export function neededBytes(peakBytes: number | undefined, limitBytes: number | undefined, killedAtLimit: boolean): number | undefined {
  const floor = Math.max(peakBytes ?? 0, killedAtLimit ? limitBytes ?? 0 : 0);
  return floor > 0 ? floor * HEADROOM_FACTOR : undefined;
}

/** Rounds bytes up to whole MiB in multiples of `step`. */
export function roundUpMiB(bytes: number, step: number): number {
  return Math.ceil(bytes / MIB / step) * step;
}

/** Rounds bytes up to a Kubernetes step (K8S_STEPS_MIB) and returns MiB. */
export function kubernetesMiB(bytes: number): number {
  for (const { below, step } of K8S_STEPS_MIB) {
    const mib = roundUpMiB(bytes, step);
    if (mib < below) return mib;
  }
  return roundUpMiB(bytes, 256);
}

/** A size in bytes as a Kubernetes quantity: `768Mi`, `2Gi`, or plain bytes when not whole MiB. */
export function kubernetesQuantity(bytes: number): string {
  if (bytes % (1024 * MIB) === 0) return `${bytes / (1024 * MIB)}Gi`;
  if (bytes % MIB === 0) return `${bytes / MIB}Mi`;
  if (bytes % 1024 === 0) return `${bytes / 1024}Ki`;
  return String(bytes);
}

/** Lambda MemorySize for a need in bytes: whole MB, clamped to LAMBDA_MIN_MB..LAMBDA_MAX_MB. */
export function lambdaMb(bytes: number): number {
  const mb = Math.ceil(bytes / MIB / LAMBDA_STEP_MB) * LAMBDA_STEP_MB;
  return Math.min(LAMBDA_MAX_MB, Math.max(LAMBDA_MIN_MB, mb));
}

/** The heap ceiling (Node --max-old-space-size, JVM -Xmx) for a limit, in whole MiB rounded down. */
export function heapCeilingMiB(limitBytes: number): number {
  return Math.floor((limitBytes / MIB) * HEAP_SHARE_OF_LIMIT);
}

/** GOMEMLIMIT for a limit, in whole MiB rounded down. */
export function goMemLimitMiB(limitBytes: number): number {
  return Math.floor((limitBytes / MIB) * GOMEMLIMIT_SHARE_OF_LIMIT);
}

/**
 * The smallest valid Fargate task size with at least `needMiB` memory and at least the current CPU:
 * least memory first, then least CPU. Null when no Fargate size is that big.
 */
export function fargateTaskSize(needMiB: number, currentCpu: number | undefined): { cpu: number; memoryMiB: number } | null {
  let best: { cpu: number; memoryMiB: number } | null = null;
  for (const { cpu, memoryMiB } of FARGATE_TASK_SIZES) {
    if (currentCpu !== undefined && cpu < currentCpu) continue;
    const fit = memoryMiB.find((m) => m >= needMiB);
    if (fit === undefined) continue;
    if (best === null || fit < best.memoryMiB) best = { cpu, memoryMiB: fit };
  }
  return best;
}

/** The grace period to propose after a stop was escalated to SIGKILL, capped where the platform caps it. */
export function proposedGraceSeconds(currentSeconds: number, capSeconds?: number): number {
  const raised = Math.max(currentSeconds * GRACE_GROWTH_FACTOR, MIN_PROPOSED_GRACE_SECONDS);
  return capSeconds === undefined ? raised : Math.min(raised, capSeconds);
}
