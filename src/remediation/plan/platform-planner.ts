import type { Proposal } from '../proposal.js';
import type { CauseCode, FactorCode } from '../../diagnosis/verdict.js';
import type { PlanContext } from './plan-context.js';
import type { RuntimeFix } from './runtime.js';

/** A memory change the cause policy asks a platform to express in its own units and commands. */
export interface MemoryIntent {
  /** raise_memory_limit / set_memory_limit / requests_equal_limits; platforms map to their own action (ECS set_hard_memory, Lambda raise_lambda_memory). */
  action: 'raise_memory_limit' | 'set_memory_limit' | 'requests_equal_limits';
  /** The need before rounding (observed × headroom), for notes when the platform had to clamp. */
  needBytes: number;
  /** The new hard limit in bytes, already rounded by `round`. */
  limitBytes: number;
  /** Kubernetes: also set requests to this (requests = limits). Ignored elsewhere. */
  requestsBytes?: number;
  /** Runtime ceilings re-sized for the new limit, applied with it so the ceiling stays at its share. */
  runtime: RuntimeFix[];
  /** Platform-neutral reason and risk; the platform adds its own notes. */
  why: string;
  risk: string;
  addresses: (CauseCode | FactorCode)[];
}

/**
 * One platform's planner: turns the cause policy's intents into typed proposals with the command a
 * person would run. A method returns [] where the platform has no such fix (Lambda has no grace period).
 */
export interface PlatformPlanner {
  /** Rounds a need in bytes up to this platform's clean unit for the target; null when it cannot grow. */
  round(ctx: PlanContext, needBytes: number): number | null;
  memory(ctx: PlanContext, intent: MemoryIntent): Proposal[];
  runtime(ctx: PlanContext, fix: RuntimeFix): Proposal[];
  grace(ctx: PlanContext): Proposal[];
  probe(ctx: PlanContext): Proposal[];
  /** Advice for the host/node when the machine ran out. */
  headroom(ctx: PlanContext): Proposal[];
  /** Wraps a command to run inside the target (`kubectl exec ... -- CMD`), or null where there is nothing to exec into. */
  exec(ctx: PlanContext): ((command: string) => string) | null;
}
