import type { Cite, Platform, Subject } from './evidence.js';

/** Causes: exactly one per verdict. Public and stable (docs/causes.md); never rename one. */
export const CAUSES = [
  'cgroup_oom',
  'host_oom',
  'eviction',
  'lambda_oom',
  'stop_timeout',
  'probe_failure',
  'external_sigkill',
  'runtime_heap_limit',
  'unknown',
] as const;
export type CauseCode = (typeof CAUSES)[number];

/** Factors: zero or more per verdict. Public and stable. */
export const FACTORS = [
  'no_memory_limit',
  'soft_limit_only',
  'besteffort_qos',
  'burstable_qos',
  'runtime_unaware_of_limit',
  'heap_at_or_above_limit',
  'oom_loop',
  'memory_leak',
  'near_limit',
  'node_memory_pressure',
] as const;
export type FactorCode = (typeof FACTORS)[number];

export type Confidence = 'high' | 'medium' | 'low';

/** A conclusion and the evidence it rests on. */
export interface Finding<C extends string> {
  code: C;
  confidence: Confidence;
  /** One or two sentences a tired person can act on. */
  summary: string;
  /** Each cited fact: file and field or line, with a short claim of what it shows. */
  evidence: CitedFact[];
}

export interface CitedFact extends Cite {
  /** What this fact shows ("State.OOMKilled is true"). */
  claim: string;
}

/** What to collect next when the evidence does not decide it: the why and the exact command. */
export interface NextStep {
  why: string;
  command: string;
}

/** Evidence the correlation left out, and why (a kernel OOM line about another cgroup, say). */
export interface SetAside {
  cite: Cite;
  why: string;
}

export interface Verdict {
  cause: CauseCode;
  confidence: Confidence;
  summary: string;
  /** The evidence the cause rests on. */
  evidence: CitedFact[];
  factors: Finding<FactorCode>[];
  /** For `unknown` (and wherever more would raise confidence): what to run next. */
  next: NextStep[];
  setAside: SetAside[];
  /** Sources that could not be read and what that hides. */
  unavailable: { source: string; detail: string; missing: string }[];
  /** The workload diagnosed, as far as the evidence identifies it. */
  target: Omit<Subject, 'platform'> & { platform: Platform | 'unknown' };
  /** Exit code of the run judged, when known. */
  exitCode?: number;
  /** Observed peak memory in bytes, when any evidence shows one (sizes the proposals). */
  peakBytes?: number;
  /** The hard limit in bytes that applied, when known. */
  limitBytes?: number;
}
