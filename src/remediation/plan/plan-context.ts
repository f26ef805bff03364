import type {
  EcsTaskEvidence, Evidence, KubeEventEvidence, LambdaConfigEvidence, LimitsEvidence, Platform,
  PodStatusEvidence, RuntimeSettings, Subject,
} from '../../diagnosis/evidence.js';
import { ofKind } from '../../diagnosis/evidence.js';
import type { FactorCode, Verdict } from '../../diagnosis/verdict.js';
import { MIB } from './sizing.js';

/** Everything a planner reads, gathered once from the verdict and the evidence about its target. */
export interface PlanContext {
  verdict: Verdict;
  platform: Platform;
  /** The verdict's target with a concrete platform. */
  target: Subject & { platform: Platform };
  factors: ReadonlySet<FactorCode>;
  /** Evidence about the target (items about other containers, tasks or functions are left out). */
  evidence: readonly Evidence[];
  /** All evidence, for facts about the target's neighbours (other containers of an ECS task). */
  allEvidence: readonly Evidence[];
  /** Observed peak: verdict.peakBytes, else the largest figure in the evidence. */
  peakBytes?: number;
  /** The hard limit that applied (undefined: none, or not known). Lambda: MemorySize in bytes. */
  limitBytes?: number;
  requestBytes?: number;
  reservationBytes?: number;
  /** The container's own limits (scope container), and the task's or pod's. */
  containerLimits?: LimitsEvidence;
  groupLimits?: LimitsEvidence;
  launchType?: 'FARGATE' | 'EC2' | 'EXTERNAL';
  settings: RuntimeSettings;
  command: readonly string[];
  pod?: PodStatusEvidence;
  task?: EcsTaskEvidence;
  lambda?: LambdaConfigEvidence;
  events: readonly KubeEventEvidence[];
  /** Grace period a daemon reported when it escalated the stop to SIGKILL. */
  escalationGraceSeconds?: number;
  /** Heap size the runtime printed before aborting (Node GC trace), MiB. */
  heapUsedMb?: number;
}

const SAME_VALUE_KEYS = ['containerName', 'pod', 'namespace', 'podUid', 'taskArn', 'taskId', 'taskDefinition', 'functionName'] as const;
const PREFIX_KEYS = ['containerId', 'runtimeId'] as const;

/** Builds the plan context, or null when no platform can be told for the target. */
export function planContext(verdict: Verdict, evidence: readonly Evidence[]): PlanContext | null {
  const platform = verdict.target.platform !== 'unknown' ? verdict.target.platform : inferPlatform(evidence);
  if (platform === undefined) return null;
  const target = { ...verdict.target, platform };
  const about = evidence.filter((e) => isAbout(e.subject, target));
  const factors = new Set(verdict.factors.map((f) => f.code));

  const limits = ofKind(about, 'limits');
  const containerLimits = limits.find((l) => l.scope === 'container' || l.scope === 'function');
  const groupLimits = limits.find((l) => l.scope === 'task' || l.scope === 'pod');
  const lambda = ofKind(about, 'lambda.config')[0];
  const invocations = ofKind(about, 'lambda.invocation');

  const settings: RuntimeSettings = {};
  const command: string[] = [];
  for (const r of ofKind(about, 'runtime')) {
    Object.assign(settings, r.settings);
    if (command.length === 0 && r.command) command.push(...r.command);
  }

  const ctx: PlanContext = {
    verdict, platform, target, factors, evidence: about, allEvidence: evidence, settings, command,
    events: ofKind(about, 'k8s.event'),
  };
  const peak = verdict.peakBytes ?? observedPeak(about);
  if (peak !== undefined) ctx.peakBytes = peak;
  const limit = factors.has('no_memory_limit') ? undefined : hardLimit(verdict, platform, containerLimits, groupLimits, lambda?.memorySizeMb ?? invocations.find((i) => i.memorySizeMb)?.memorySizeMb);
  if (limit !== undefined) ctx.limitBytes = limit;
  const request = containerLimits?.memoryRequestBytes ?? groupLimits?.memoryRequestBytes;
  if (request !== undefined) ctx.requestBytes = request;
  const reservation = containerLimits?.memoryReservationBytes ?? groupLimits?.memoryReservationBytes;
  if (reservation !== undefined) ctx.reservationBytes = reservation;
  if (containerLimits) ctx.containerLimits = containerLimits;
  if (groupLimits) ctx.groupLimits = groupLimits;
  const task = ofKind(about, 'ecs.task')[0];
  if (task) ctx.task = task;
  const launchType = groupLimits?.launchType ?? containerLimits?.launchType ?? task?.launchType;
  if (launchType) ctx.launchType = launchType;
  const pod = ofKind(about, 'pod.status')[0];
  if (pod) ctx.pod = pod;
  if (lambda) ctx.lambda = lambda;
  const grace = ofKind(about, 'stop.escalation').find((s) => s.graceSeconds !== undefined)?.graceSeconds;
  if (grace !== undefined) ctx.escalationGraceSeconds = grace;
  const heap = ofKind(about, 'runtime.heap').find((h) => h.heapUsedMb !== undefined)?.heapUsedMb;
  if (heap !== undefined) ctx.heapUsedMb = heap;
  return ctx;
}

/**
 * The hard limit that applied: Lambda's MemorySize; else the verdict's when the target's own limits
 * agree with it (or none are known); else the container's, else the pod's/task's.
 */
function hardLimit(verdict: Verdict, platform: Platform, container?: LimitsEvidence, group?: LimitsEvidence, lambdaMb?: number): number | undefined {
  if (platform === 'lambda' && lambdaMb !== undefined) return lambdaMb * MIB;
  const own = [container?.memoryLimitBytes, group?.memoryLimitBytes].filter((b): b is number => typeof b === 'number');
  if (verdict.limitBytes !== undefined && (own.length === 0 || own.includes(verdict.limitBytes))) return verdict.limitBytes;
  return own[0];
}

/** The largest memory figure in the evidence: kernel OOM RSS, memory samples, Lambda Max Memory Used. */
function observedPeak(evidence: readonly Evidence[]): number | undefined {
  const figures: number[] = [];
  for (const o of ofKind(evidence, 'kernel.oom')) {
    const kb = (o.anonRssKb ?? 0) + (o.fileRssKb ?? 0) + (o.shmemRssKb ?? 0);
    if (kb > 0) figures.push(kb * 1024);
  }
  for (const s of ofKind(evidence, 'memory.sample')) figures.push(s.usedBytes);
  for (const i of ofKind(evidence, 'lambda.invocation')) if (i.maxMemoryUsedMb !== undefined) figures.push(i.maxMemoryUsedMb * MIB);
  return figures.length > 0 ? Math.max(...figures) : undefined;
}

/** True unless an identifier both subjects carry differs (ids compare by prefix: short and full forms). */
function isAbout(subject: Subject, target: Subject): boolean {
  for (const key of SAME_VALUE_KEYS) {
    const a = subject[key];
    const b = target[key];
    if (a !== undefined && b !== undefined && a !== b) return false;
  }
  for (const key of PREFIX_KEYS) {
    const a = subject[key];
    const b = target[key];
    if (a !== undefined && b !== undefined && !a.startsWith(b) && !b.startsWith(a)) return false;
  }
  return true;
}

/** The platform the evidence is about, when the verdict could not name one. */
function inferPlatform(evidence: readonly Evidence[]): Platform | undefined {
  const found = new Set<Platform>();
  for (const e of evidence) if (e.subject.platform && e.subject.platform !== 'host') found.add(e.subject.platform);
  return found.size === 1 ? [...found][0] : undefined;
}
