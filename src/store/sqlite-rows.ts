import type { SQLOutputValue } from 'node:sqlite';
import { Why137Error } from '../errors/why137-error.js';
import type { AuditEntry, IncidentRecord, ProposalRecord } from './store.js';

type Row = Record<string, SQLOutputValue>;

/** Conversions between store records and SQLite rows: JSON columns, ISO timestamps, NULL for absent. */
export const sqliteRows = {
  /** A JSON column's value; SQL NULL stands for undefined, so a stored JSON `null` stays null. */
  json: (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value)),
  /** Timestamps are stored in one form (toISOString) so that text order is time order. */
  iso(value: string, field: string): string {
    const t = Date.parse(value);
    if (Number.isNaN(t)) throw new Why137Error('why137_internal', `${field} ${JSON.stringify(value)} is not a timestamp; expected an ISO-8601 time`);
    return new Date(t).toISOString();
  },
  incident(r: Row): IncidentRecord {
    return defined({
      id: String(r.id),
      createdAt: String(r.created_at),
      updatedAt: String(r.updated_at),
      trigger: String(r.trigger) as IncidentRecord['trigger'],
      target: String(r.target),
      requester: text(r.requester),
      channel: text(r.channel),
      threadTs: text(r.thread_ts),
      messageTs: text(r.message_ts),
      status: String(r.status) as IncidentRecord['status'],
      verdict: parse(r.verdict) as IncidentRecord['verdict'],
      externalId: text(r.external_id),
      triggerCount: Number(r.trigger_count),
    });
  },
  proposal(r: Row): ProposalRecord {
    return defined({
      id: String(r.id),
      incidentId: String(r.incident_id),
      proposal: parse(r.proposal) as ProposalRecord['proposal'],
      snapshot: parse(r.snapshot) as ProposalRecord['snapshot'],
      createdAt: String(r.created_at),
      expiresAt: String(r.expires_at),
      status: String(r.status) as ProposalRecord['status'],
      approver: text(r.approver),
      applied: parse(r.applied) as ProposalRecord['applied'],
    });
  },
  audit(r: Row): AuditEntry {
    return defined({
      at: String(r.at),
      actor: String(r.actor),
      action: String(r.action),
      incidentId: text(r.incident_id),
      proposalId: text(r.proposal_id),
      result: String(r.result) as AuditEntry['result'],
      detail: String(r.detail),
      before: parse(r.before),
      after: parse(r.after),
    });
  },
  parse,
};

function parse(v: SQLOutputValue | undefined): unknown {
  return v === null || v === undefined ? undefined : JSON.parse(String(v));
}

function text(v: SQLOutputValue | undefined): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}

/** Drops absent optional fields, so a record read back equals the one written. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
