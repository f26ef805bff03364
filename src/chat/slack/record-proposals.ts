import type { Proposal } from '../../remediation/proposal.js';
import type { Target } from '../../targets/target.js';
import type { SlackDeps } from './slack-deps.js';
import { editReaching } from './edit-reaching.js';
import { oneLine } from './one-line.js';

// Reading a target's current state is one API call; a slow one should not hold the verdict back long.
const SNAPSHOT_TIMEOUT_MS = 15_000;

export interface RecordedProposals {
  /** Stored with a snapshot: these get buttons (value = recordId). */
  buttons: { proposal: Proposal; recordId: string }[];
  /** Executable in principle, but not here: no executor for the platform, or the state could not be read. */
  notApplied: { proposal: Proposal; why: string }[];
}

/**
 * Stores every proposal why137 can apply, each with a snapshot of what its edit would change (read
 * now, compared before applying) and an expiry. A proposal whose snapshot cannot be read gets no
 * button: applying it later could not tell whether the target changed. With the `target` diagnosed,
 * a proposal whose edit would reach another engine, context or region than the one read gets none either.
 */
export async function recordProposals(deps: SlackDeps, incidentId: string, proposals: Proposal[], target?: Target): Promise<RecordedProposals> {
  const out: RecordedProposals = { buttons: [], notApplied: [] };
  const createdAt = deps.now();
  const expiresAt = new Date(createdAt.getTime() + deps.config.slack.proposalTtlMinutes * 60_000).toISOString();
  const results = await Promise.all(proposals.map(async (proposal) => {
    if (!proposal.executable) return undefined;
    if (!proposal.edit) return { proposal, why: 'the plan carries no machine-readable edit for it' };
    // Applied where the diagnosis read (the docker host, the kube context, the region), or not at all.
    const reaching = target ? editReaching(proposal.edit, target, deps.config) : { edit: proposal.edit };
    if ('why' in reaching) return { proposal, why: reaching.why };
    const edit = reaching.edit;
    const executor = deps.executors[edit.platform];
    if (!executor) return { proposal, why: `no executor for ${edit.platform} is installed` };
    try {
      const signal = AbortSignal.any([deps.signal, AbortSignal.timeout(SNAPSHOT_TIMEOUT_MS)]);
      const snapshot = await executor.snapshot(edit, { clients: deps.clients, signal });
      // The stored proposal carries the edit as it will be applied; the message shows the plan's own.
      return { proposal, stored: edit === proposal.edit ? proposal : { ...proposal, edit }, snapshot };
    } catch (err) {
      deps.logger.warn({ err, incidentId, proposal: proposal.id }, 'snapshot failed; proposal shown without a button');
      return { proposal, why: `its current state could not be read: ${oneLine(err, 'snapshot')}` };
    }
  }));
  for (const r of results) {
    if (!r) continue;
    if ('why' in r) { out.notApplied.push({ proposal: r.proposal, why: r.why! }); continue; }
    const record = deps.store.addProposal({ id: deps.newId('prop'), incidentId, proposal: r.stored, snapshot: r.snapshot, createdAt: createdAt.toISOString(), expiresAt });
    out.buttons.push({ proposal: r.proposal, recordId: record.id });
  }
  return out;
}
