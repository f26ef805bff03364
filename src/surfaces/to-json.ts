import type { Explanation } from './explanation.js';
import { redact } from '../util/redact.js';

/**
 * The public JSON shape of `why137 explain --json`. `cause`, `factors`, `confidence`, `summary`,
 * `evidence` and `proposals` are the contract: fields may be added, never renamed.
 */
export function toJson(x: Explanation): string {
  const v = x.verdict;
  const out = {
    cause: v.cause,
    confidence: v.confidence,
    summary: v.summary,
    evidence: v.evidence,
    factors: v.factors.map((f) => ({ code: f.code, confidence: f.confidence, summary: f.summary, evidence: f.evidence })),
    proposals: x.proposals,
    next: v.next,
    setAside: v.setAside,
    unavailable: v.unavailable,
    target: v.target,
    exitCode: v.exitCode ?? null,
    peakBytes: v.peakBytes ?? null,
    limitBytes: v.limitBytes ?? null,
    inputs: x.inputs,
  };
  return redact(JSON.stringify(out, null, 2));
}
