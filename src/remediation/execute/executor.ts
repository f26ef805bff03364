import type { Clients } from '../../clients/clients.js';
import type { Edit } from '../edit.js';

/** The target's current state as far as an edit touches it, and a fingerprint to tell if it changed. */
export interface Snapshot {
  /** Stable hash of the state the edit depends on (resourceVersion, task definition revision, RevisionId, docker limits). */
  fingerprint: string;
  /** Human-readable current values, for the audit's before. Never env values other than the flags edited. */
  state: Record<string, unknown>;
}

export interface ExecuteContext {
  clients: Clients;
  signal: AbortSignal;
}

/** What was applied: enough to roll back the same way. */
export interface Applied {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  /** One line for the thread: "Deployment shop/web: limits.memory 512Mi → 768Mi (rollout started)". */
  detail: string;
  /** What rollback needs (e.g. previous task definition ARN, previous resourceVersion-free spec values). */
  undo: Record<string, unknown>;
}

/**
 * Applies an approved proposal's edit on one platform. Writes happen only here, only after a stored
 * approval, and only if `snapshot()` still matches the fingerprint recorded when the proposal was made.
 */
export interface Executor<E extends Edit = Edit> {
  platform: E['platform'];
  /** Read-only: the current state of what `edit` would change. */
  snapshot(edit: E, ctx: ExecuteContext): Promise<Snapshot>;
  /** Applies the edit, with the platform's own precondition (resourceVersion, RevisionId) where it has one. */
  apply(edit: E, expected: Snapshot, ctx: ExecuteContext): Promise<Applied>;
  /** Restores the recorded before-state the same way it was changed. */
  rollback(edit: E, applied: Applied, ctx: ExecuteContext): Promise<Applied>;
  /**
   * Re-sizes the edit to a value a person typed in the approval modal (e.g. "1Gi", "1536"), or throws a
   * Why137Error whose one-line message says what is expected.
   */
  revise(edit: E, value: string): E;
}
