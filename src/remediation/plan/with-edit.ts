import type { Edit } from '../edit.js';
import type { Proposal } from '../proposal.js';

/**
 * `executable` and `edit` for a proposal draft: executable exactly when a complete edit exists (and `ok`,
 * the planner's own condition, holds), so nothing executable ever lacks what the executor applies.
 */
export function withEdit(edit: Edit | undefined, ok = true): Pick<Proposal, 'executable' | 'edit'> {
  return edit !== undefined && ok ? { executable: true, edit } : { executable: false };
}
