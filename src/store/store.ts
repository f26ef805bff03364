import type { Verdict } from '../diagnosis/verdict.js';
import type { Proposal } from '../remediation/proposal.js';
import type { Applied, Snapshot } from '../remediation/execute/executor.js';

export type IncidentStatus = 'queued' | 'running' | 'done' | 'failed';

export interface IncidentRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  /** How it started. */
  trigger: 'slack' | 'pagerduty' | 'cli';
  /** The target as typed (`k8s:shop/web-7d9`), normalised. */
  target: string;
  requester?: string;
  channel?: string;
  threadTs?: string;
  /** The message updated in place with progress and the verdict. */
  messageTs?: string;
  status: IncidentStatus;
  verdict?: Verdict;
  /** PagerDuty incident id, when one started it. */
  externalId?: string;
  /** Repeated triggers folded into this incident. */
  triggerCount: number;
}

export type ProposalStatus = 'open' | 'executing' | 'executed' | 'failed' | 'refused' | 'expired' | 'rolling_back' | 'rolled_back';

export interface ProposalRecord {
  /** Opaque id carried by the Slack button (never parameters). */
  id: string;
  incidentId: string;
  proposal: Proposal;
  /** Snapshot of the target when the proposal was made. */
  snapshot?: Snapshot;
  createdAt: string;
  expiresAt: string;
  status: ProposalStatus;
  approver?: string;
  applied?: Applied;
}

export interface AuditEntry {
  at: string;
  /** Slack user id, `pagerduty`, `system`. */
  actor: string;
  /** approve, refuse, execute, rollback, expire, diagnose, reject_webhook, ... */
  action: string;
  incidentId?: string;
  proposalId?: string;
  result: 'ok' | 'refused' | 'failed';
  detail: string;
  before?: unknown;
  after?: unknown;
}

/**
 * Everything that must survive a restart. Every state change that must happen once (a proposal moving
 * from open to executing) is a single conditional write: two callers racing get one winner.
 */
export interface Store {
  createIncident(i: Omit<IncidentRecord, 'createdAt' | 'updatedAt' | 'triggerCount'> & { triggerCount?: number }): IncidentRecord;
  updateIncident(id: string, patch: Partial<Omit<IncidentRecord, 'id' | 'createdAt'>>): IncidentRecord;
  getIncident(id: string): IncidentRecord | undefined;
  /** The newest incident for a target since `since` (storm folding). */
  findRecentIncident(target: string, since: string): IncidentRecord | undefined;
  listIncidents(status?: IncidentStatus): IncidentRecord[];
  /** Adds one to `triggerCount` in a single write (a read-then-update from two replicas would lose one). */
  foldTrigger(id: string): IncidentRecord;

  addProposal(p: Omit<ProposalRecord, 'status'>): ProposalRecord;
  getProposal(id: string): ProposalRecord | undefined;
  listProposals(incidentId: string): ProposalRecord[];
  /** Atomically moves a proposal from one status to another; false if it was not in `from` (someone else won, or it expired). */
  transitionProposal(id: string, from: ProposalStatus[], to: ProposalStatus, patch?: Partial<Pick<ProposalRecord, 'approver' | 'applied' | 'proposal'>>): boolean;
  /**
   * Marks every open proposal whose `expiresAt` is at or before `now` expired and returns those it marked;
   * replicas running it at once each get a disjoint set, so each expiry is announced and audited once.
   * (`transitionProposal` from 'open' already fails past `expiresAt`, whether or not this has run.)
   */
  expireProposals(now: string): ProposalRecord[];
  /**
   * Marks every proposal in one of `from` failed (one statement) and returns those it marked: what a
   * process killed mid-apply left in 'executing' or 'rolling_back'. Replicas get disjoint sets.
   */
  failProposals(from: ProposalStatus[]): ProposalRecord[];

  audit(entry: Omit<AuditEntry, 'at'> & { at?: string }): void;
  listAudit(filter?: { incidentId?: string; proposalId?: string }): AuditEntry[];

  /** Records an inbound event id (webhook delivery); false if it was seen before. */
  recordEvent(source: string, eventId: string, payload: unknown): boolean;
  /** Durable work queue (PagerDuty storms): enqueue, claim the oldest unclaimed, complete. */
  enqueue(kind: string, payload: unknown): string;
  claimNext(kind: string, worker: string): { id: string; payload: unknown } | undefined;
  complete(id: string): void;
  /** Re-queues work claimed by a process that died (claimed before `olderThan`). */
  requeueStale(kind: string, olderThan: string): number;

  /** True when the store can be written (readiness). */
  writable(): boolean;
  close(): void;
}
