import type { Proposal } from '../proposal.js';
import type { CauseCode, FactorCode } from '../../diagnosis/verdict.js';
import type { PlanContext } from './plan-context.js';
import type { PlatformPlanner } from './platform-planner.js';
import { formatMiB } from './format.js';
import { leakProposal } from './leak-proposal.js';
import { heapRaise, limitFixes, rescaledFixes } from './runtime.js';
import { HEADROOM_FACTOR, MIB, neededBytes } from './sizing.js';

/** What one cause calls for, in order: runtime fixes before limits where a limit only moves the cliff. */
type CausePolicy = (ctx: PlanContext, planner: PlatformPlanner) => Proposal[];

/**
 * The fix policy per cause. Explicit so every cause is decided here: external_sigkill and unknown
 * propose nothing, since no evidence says memory (or a stop, or a probe) was the reason.
 */
export const causePolicies = {
  cgroup_oom: killedAtLimit,
  lambda_oom: killedAtLimit,
  host_oom: hostOom,
  eviction,
  runtime_heap_limit: runtimeHeapLimit,
  stop_timeout: (ctx, planner) => planner.grace(ctx),
  probe_failure: (ctx, planner) => planner.probe(ctx),
  external_sigkill: () => [],
  unknown: () => [],
} satisfies Record<CauseCode, CausePolicy>;

/** cgroup_oom / lambda_oom: runtime fixes (if the factors say so), leak advice, then max(peak, limit) × 1.5. */
function killedAtLimit(ctx: PlanContext, planner: PlatformPlanner): Proposal[] {
  const limit = ctx.limitBytes;
  const fixes = limit !== undefined ? limitFixes(ctx, limit) : [];
  const out = fixes.flatMap((f) => planner.runtime(ctx, f));
  if (ctx.factors.has('memory_leak')) out.push(leakProposal(ctx, planner));
  const need = neededBytes(ctx.peakBytes, limit, true);
  if (need === undefined) return out;
  const newLimit = planner.round(ctx, need);
  if (newLimit === null || (limit !== undefined && newLimit <= limit)) return out;
  const peak = ctx.peakBytes !== undefined ? ` (peak ${formatMiB(ctx.peakBytes)})` : '';
  const base = limit !== undefined
    ? `It was killed at ${limitName(ctx, limit)}${peak}. A kill at the limit means the real need is at least the limit, so the new size is max(peak, limit) × 1.5, rounded up.`
    : `It was killed by its memory limit at a peak of ${formatMiB(ctx.peakBytes ?? 0)}; the new limit is the peak × 1.5, rounded up.`;
  const qos = qosFactors(ctx);
  out.push(...planner.memory(ctx, {
    action: 'raise_memory_limit',
    needBytes: need,
    limitBytes: newLimit,
    ...(qos.length > 0 ? { requestsBytes: newLimit } : {}),
    runtime: rescaledFixes(ctx, fixes, newLimit),
    why: [base, ...cliffNotes(ctx)].join(' '),
    risk: cliffRisk(ctx),
    addresses: [ctx.verdict.cause, ...qos, ...present(ctx, 'near_limit', 'oom_loop')],
  }));
  return out;
}

/** host_oom: a hard limit where there is none (or only a soft one), requests = limits, and host headroom. */
function hostOom(ctx: PlanContext, planner: PlatformPlanner): Proposal[] {
  const limit = ctx.limitBytes;
  const fromPeak = neededBytes(ctx.peakBytes, undefined, false);
  // The soft share it already has (ECS/Docker memoryReservation, K8s request): a hard limit below it would
  // be rejected (ECS) and starve what was reserved. Without a peak it is the only size in the evidence.
  const soft = ctx.reservationBytes ?? ctx.requestBytes;
  const unverified = fromPeak === undefined;
  const need = fromPeak !== undefined ? Math.max(fromPeak, soft ?? 0) : soft !== undefined ? soft * HEADROOM_FACTOR : undefined;
  const newLimit = limit === undefined && need !== undefined ? planner.round(ctx, need) : null;
  // Runtime ceilings are sized only against a limit that is real or sized from observed usage.
  const base = limit ?? (unverified ? null : newLimit) ?? undefined;
  const fixes = base !== undefined ? limitFixes(ctx, base, limit === undefined) : [];
  const out = fixes.flatMap((f) => planner.runtime(ctx, f));
  if (ctx.factors.has('memory_leak')) out.push(leakProposal(ctx, planner));
  const qos = qosFactors(ctx);
  if (newLimit !== null && need !== undefined) {
    const missing = ctx.factors.has('soft_limit_only') ? 'only a soft memoryReservation is set' : 'it has no hard memory limit';
    const sized = unverified
      ? `No memory figure for it is in the evidence, so the limit is its soft share (${formatMiB(soft ?? 0)}) × 1.5.`
      : `A hard limit of the peak (${formatMiB(ctx.peakBytes ?? 0)}) × 1.5`;
    const proposals = planner.memory(ctx, {
      action: 'set_memory_limit',
      needBytes: need,
      limitBytes: newLimit,
      requestsBytes: newLimit,
      runtime: [],
      why: `The machine ran out of memory, not this container's limit: ${missing}, so nothing stopped it taking the host's memory. ${unverified ? `${sized} A hard limit` : sized} confines the next overrun to its own cgroup, so the kernel stops this container instead of picking any process on the host. The host also needs headroom (see add_host_headroom).`,
      risk: unverified
        ? 'Sized from configuration, not from usage: check its real peak (e.g. Container Insights MemoryUtilized, docker stats, kubectl top) before applying, or it may be OOM-killed at the new limit.'
        : 'If the peak seen was not its real peak, the container now gets OOM-killed at the new limit: a visible cgroup_oom instead of a host-wide one.',
      addresses: ['host_oom', ...present(ctx, 'no_memory_limit', 'soft_limit_only'), ...qos],
    });
    // Never an executable limit change without a usage figure behind it.
    out.push(...(unverified ? proposals.map(({ edit: _edit, ...p }) => ({ ...p, executable: false })) : proposals));
  } else if (limit !== undefined && qos.length > 0) {
    out.push(...planner.memory(ctx, {
      action: 'requests_equal_limits',
      needBytes: limit,
      limitBytes: limit,
      requestsBytes: limit,
      runtime: [],
      why: `The node ran out of memory while this pod's memory request was below its ${formatMiB(limit)} limit, so the scheduler placed more on the node than it can hold. The node also needs headroom (see add_host_headroom).`,
      risk: 'The pod reserves its whole limit on the node: fewer pods fit per node.',
      addresses: ['host_oom', ...qos],
    }));
  }
  out.push(...planner.headroom(ctx));
  return out;
}

/** eviction: requests = limits (Guaranteed), with the request raised to cover the observed usage. */
function eviction(ctx: PlanContext, planner: PlatformPlanner): Proposal[] {
  const limit = ctx.limitBytes;
  const fromPeak = neededBytes(ctx.peakBytes, undefined, false);
  const rounded = fromPeak !== undefined ? planner.round(ctx, fromPeak) : null;
  const value = Math.max(limit ?? 0, rounded ?? 0);
  const out: Proposal[] = [];
  if (value > 0) {
    const fixes = limitFixes(ctx, value);
    out.push(...fixes.flatMap((f) => planner.runtime(ctx, f)));
    if (ctx.factors.has('memory_leak')) out.push(leakProposal(ctx, planner));
    const usage = ctx.peakBytes !== undefined ? `It used ${formatMiB(ctx.peakBytes)}` : 'It used more than it requested';
    const request = ctx.requestBytes !== undefined ? `its request of ${formatMiB(ctx.requestBytes)}` : 'no memory request';
    out.push(...planner.memory(ctx, {
      action: 'requests_equal_limits',
      needBytes: fromPeak ?? value,
      limitBytes: value,
      requestsBytes: value,
      runtime: value !== limit ? rescaledFixes(ctx, fixes, value) : [],
      why: `The kubelet evicted the pod when the node ran low on memory. ${usage} against ${request}: pods above their request are evicted first. A request covering the usage (peak × 1.5, and never below the limit) equal to the limit stops that.`,
      risk: 'The pod reserves the whole amount on the node at scheduling: fewer pods fit per node, and it stays Pending if no node has that much free.',
      addresses: ['eviction', ...qosFactors(ctx)],
    }));
  } else if (ctx.factors.has('memory_leak')) {
    out.push(leakProposal(ctx, planner));
  }
  out.push(...planner.headroom(ctx));
  return out;
}

/** runtime_heap_limit: raise the ceiling toward 75% of the limit, or, if it is there already, raise both. */
function runtimeHeapLimit(ctx: PlanContext, planner: PlatformPlanner): Proposal[] {
  const out: Proposal[] = [];
  if (ctx.factors.has('memory_leak')) out.push(leakProposal(ctx, planner));
  const limit = ctx.limitBytes;
  if (limit === undefined) return out;
  const raise = heapRaise(ctx, limit);
  if (raise === null) return out;
  if (raise.kind === 'ceiling') {
    out.push(...planner.runtime(ctx, raise.fix));
    return out;
  }
  const newLimit = planner.round(ctx, raise.needBytes);
  if (newLimit === null || newLimit <= limit) return out;
  const runtime = raise.runtimeAt(newLimit);
  const qos = qosFactors(ctx);
  const already = `The runtime ran out of heap with its ceiling already at about 75% of the ${formatMiB(limit)} limit or more, so the heap needs more:`;
  const why = runtime.length > 0
    ? `${already} the limit and the ceiling grow together (the ceiling × 1.5, kept at 75% of the new limit).`
    : ctx.settings.runtime === 'jvm'
      ? `${already} the limit grows (the heap × 1.5), and MaxRAMPercentage grows the heap with it.`
      : `The runtime ran out of memory with no ceiling to raise inside the ${formatMiB(limit)} limit: the limit grows by 1.5.`;
  out.push(...planner.memory(ctx, {
    action: 'raise_memory_limit',
    needBytes: raise.needBytes,
    limitBytes: newLimit,
    ...(qos.length > 0 ? { requestsBytes: newLimit } : {}),
    runtime,
    why: [why, ...cliffNotes(ctx)].join(' '),
    risk: cliffRisk(ctx),
    addresses: ['runtime_heap_limit', ...qos],
  }));
  return out;
}

/** `its 512 MiB limit`, or for Lambda `its 1024 MB MemorySize` (Lambda's MB are MiB). */
function limitName(ctx: PlanContext, bytes: number): string {
  return ctx.platform === 'lambda' ? `its ${Math.round(bytes / MIB)} MB MemorySize` : `its ${formatMiB(bytes)} limit`;
}

/** Factors under which a bigger limit only moves the cliff, in words for the limit proposal. */
function cliffNotes(ctx: PlanContext): string[] {
  const notes: string[] = [];
  if (ctx.factors.has('memory_leak')) notes.push('Memory keeps growing (memory_leak): a bigger limit only moves the cliff and buys time between kills.');
  if (ctx.factors.has('runtime_unaware_of_limit')) notes.push('The runtime sizes itself from the host, not the limit (runtime_unaware_of_limit): it grows into a bigger limit too, so a bigger limit alone only moves the cliff; the runtime setting comes first.');
  if (ctx.factors.has('heap_at_or_above_limit')) notes.push('The heap ceiling is at or above the limit (heap_at_or_above_limit): a bigger limit alone only moves the cliff; the ceiling comes first.');
  if (ctx.factors.has('oom_loop')) notes.push('It dies soon after every start (oom_loop): the warm-up itself needs this memory.');
  return notes;
}

function cliffRisk(ctx: PlanContext): string {
  const cliff = ctx.factors.has('memory_leak') || ctx.factors.has('runtime_unaware_of_limit') || ctx.factors.has('heap_at_or_above_limit');
  const cost = 'More memory per instance costs more and needs room where it runs.';
  return cliff ? `Alone, this only moves the cliff: apply the fixes listed before it first, and raise the limit if it still dies. ${cost}` : cost;
}

function qosFactors(ctx: PlanContext): FactorCode[] {
  if (ctx.platform !== 'kubernetes') return [];
  return present(ctx, 'burstable_qos', 'besteffort_qos');
}

function present(ctx: PlanContext, ...codes: FactorCode[]): FactorCode[] {
  return codes.filter((c) => ctx.factors.has(c));
}
