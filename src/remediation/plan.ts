import type { Evidence, Platform } from '../diagnosis/evidence.js';
import type { Verdict } from '../diagnosis/verdict.js';
import type { Proposal } from './proposal.js';
import type { PlatformPlanner } from './plan/platform-planner.js';
import { causePolicies } from './plan/cause-policies.js';
import { planContext } from './plan/plan-context.js';
import { planners } from './plan/index.js';

/**
 * The fixes for a verdict, best first: typed proposals with the change (before → after), why, risk and
 * the command a person would run. Pure and deterministic: the same verdict and evidence give the same
 * proposals, with ids stable enough for a button to carry.
 */
export function plan(verdict: Verdict, evidence: Evidence[]): Proposal[] {
  const ctx = planContext(verdict, evidence);
  if (ctx === null) return [];
  const registry: Partial<Record<Platform, PlatformPlanner>> = planners;
  const planner = registry[ctx.platform];
  if (planner === undefined) return [];
  const seen = new Set<string>();
  const ordered: Proposal[] = [];
  for (const p of causePolicies[verdict.cause](ctx, planner)) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    ordered.push({ ...p, priority: ordered.length + 1 });
  }
  return ordered;
}
