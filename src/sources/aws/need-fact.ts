import type { StepOutput } from '../source.js';

/**
 * The first value of a fact among the outputs of the steps this one needs. Step ids are the runbook's
 * choice, so sources look facts up by name, not by step id.
 */
export function needFact<T>(needs: Record<string, StepOutput>, key: string, guard: (v: unknown) => v is T): T | undefined {
  for (const output of Object.values(needs)) {
    const value = output.facts[key];
    if (guard(value)) return value;
  }
  return undefined;
}
