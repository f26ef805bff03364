import type { Verdict } from '../diagnosis/verdict.js';
import type { Proposal } from '../remediation/proposal.js';

/** What every surface renders: the verdict, its proposals and the inputs it came from. */
export interface Explanation {
  verdict: Verdict;
  proposals: Proposal[];
  inputs: { file: string; kind: string }[];
}
