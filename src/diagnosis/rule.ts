import type { Case } from './case.js';
import type { CauseCode, FactorCode, Finding, NextStep } from './verdict.js';

/** A cause rule's answer: the cause, and what to fetch next where that would raise confidence. */
export interface CauseFinding extends Finding<CauseCode> {
  next?: NextStep[];
}

/** An ordered, pure check for a cause. Returns null when it does not apply. */
export type CauseRule = (c: Case) => CauseFinding | null;

/** A pure check for a factor, given the cause already decided. */
export type FactorRule = (c: Case, cause: CauseCode) => Finding<FactorCode> | null;
