import type { Proposal } from '../../remediation/proposal.js';
import type { Edit } from '../../remediation/edit.js';

/**
 * The proposal as approved with a typed value: the executor's revised edit, and the changes shown with
 * the new value wherever the proposed one stood (a docker limit is both Memory and MemorySwap).
 */
export function reviseProposal(p: Proposal, edit: Edit, value: string): Proposal {
  const proposed = p.changes[0]?.after;
  return { ...p, edit, changes: p.changes.map((c) => (c.after === proposed ? { ...c, after: value } : c)) };
}
