import { randomUUID } from 'node:crypto';
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import { Why137Error } from '../errors/why137-error.js';
import { openSqliteDatabase } from './open-sqlite-database.js';
import { sqliteRows as rows } from './sqlite-rows.js';
import type { IncidentRecord, ProposalRecord, Store } from './store.js';

export interface SqliteStoreOptions {
  /** The clock that stamps records and decides expiry (tests pass a fixed one). */
  now?: () => Date;
  /** How long a write waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
}

// Writes are single short statements, so a lock held longer than this means a stuck or dead writer.
const DEFAULT_BUSY_TIMEOUT_MS = 5000;

type IncidentPatch = Partial<Omit<IncidentRecord, 'id' | 'createdAt'>>;
const INCIDENT_COLUMNS: Record<keyof IncidentPatch, [string, (v: never) => SQLInputValue]> = {
  updatedAt: ['updated_at', (v: string) => rows.iso(v, 'updatedAt')],
  trigger: ['trigger', (v: string) => v],
  target: ['target', (v: string) => v],
  requester: ['requester', (v: string) => v],
  channel: ['channel', (v: string) => v],
  threadTs: ['thread_ts', (v: string) => v],
  messageTs: ['message_ts', (v: string) => v],
  status: ['status', (v: string) => v],
  verdict: ['verdict', (v: unknown) => rows.json(v)],
  externalId: ['external_id', (v: string) => v],
  triggerCount: ['trigger_count', (v: number) => v],
};

/**
 * The Store on one SQLite file (node:sqlite, no native dependency). Several processes may open the same
 * file: every change that must happen once is a single conditional statement, which SQLite serialises.
 */
export function createSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const db = openSqliteDatabase(path, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
  const clock = options.now ?? (() => new Date());
  const now = (): string => clock().toISOString();
  const cache = new Map<string, StatementSync>();
  const sql = (text: string): StatementSync => {
    let s = cache.get(text);
    if (!s) { s = db.prepare(text); cache.set(text, s); }
    return s;
  };
  const getIncident = (id: string): IncidentRecord | undefined => {
    const r = sql('SELECT * FROM incidents WHERE id = ?').get(id);
    return r ? rows.incident(r) : undefined;
  };
  const getProposal = (id: string): ProposalRecord | undefined => {
    const r = sql('SELECT * FROM proposals WHERE id = ?').get(id);
    return r ? rows.proposal(r) : undefined;
  };

  return {
    createIncident(i) {
      const at = now();
      const r = sql(`INSERT INTO incidents (id, created_at, updated_at, trigger, target, requester, channel, thread_ts, message_ts, status, verdict, external_id, trigger_count)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`).get(
        i.id, at, at, i.trigger, i.target, i.requester ?? null, i.channel ?? null, i.threadTs ?? null, i.messageTs ?? null,
        i.status, rows.json(i.verdict), i.externalId ?? null, i.triggerCount ?? 1);
      return rows.incident(r!);
    },
    updateIncident(id, patch) {
      const sets: string[] = [];
      const values: SQLInputValue[] = [];
      for (const [key, value] of Object.entries(patch)) {
        const column = INCIDENT_COLUMNS[key as keyof IncidentPatch];
        if (value === undefined || !column) continue;
        sets.push(`${column[0]} = ?`);
        values.push(column[1](value as never));
      }
      if (patch.updatedAt === undefined) { sets.push('updated_at = ?'); values.push(now()); }
      const r = sql(`UPDATE incidents SET ${sets.join(', ')} WHERE id = ? RETURNING *`).get(...values, id);
      if (!r) throw new Why137Error('why137_internal', `incident ${id} not found; expected an id from createIncident`);
      return rows.incident(r);
    },
    getIncident,
    findRecentIncident(target, since) {
      const r = sql('SELECT * FROM incidents WHERE target = ? AND created_at >= ? ORDER BY created_at DESC, rowid DESC LIMIT 1').get(target, rows.iso(since, 'since'));
      return r ? rows.incident(r) : undefined;
    },
    listIncidents(status) {
      const found = status === undefined
        ? sql('SELECT * FROM incidents ORDER BY created_at, rowid').all()
        : sql('SELECT * FROM incidents WHERE status = ? ORDER BY created_at, rowid').all(status);
      return found.map(rows.incident);
    },
    foldTrigger(id) {
      const r = sql('UPDATE incidents SET trigger_count = trigger_count + 1, updated_at = ? WHERE id = ? RETURNING *').get(now(), id);
      if (!r) throw new Why137Error('why137_internal', `incident ${id} not found; expected an id from createIncident`);
      return rows.incident(r);
    },

    addProposal(p) {
      const r = sql(`INSERT INTO proposals (id, incident_id, proposal, snapshot, created_at, expires_at, updated_at, status, approver, applied)
        VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) RETURNING *`).get(
        p.id, p.incidentId, rows.json(p.proposal), rows.json(p.snapshot), rows.iso(p.createdAt, 'createdAt'),
        rows.iso(p.expiresAt, 'expiresAt'), now(), p.approver ?? null, rows.json(p.applied));
      return rows.proposal(r!);
    },
    getProposal,
    listProposals(incidentId) {
      return sql('SELECT * FROM proposals WHERE incident_id = ? ORDER BY created_at, rowid').all(incidentId).map(rows.proposal);
    },
    transitionProposal(id, from, to, patch = {}) {
      if (from.length === 0) return false;
      const at = now();
      const sets = ['status = ?', 'updated_at = ?'];
      const values: SQLInputValue[] = [to, at];
      if (patch.approver !== undefined) { sets.push('approver = ?'); values.push(patch.approver); }
      if (patch.applied !== undefined) { sets.push('applied = ?'); values.push(rows.json(patch.applied)); }
      if (patch.proposal !== undefined) { sets.push('proposal = ?'); values.push(rows.json(patch.proposal)); }
      // One statement: the status check, the expiry check and the write cannot be split by another writer.
      const expiry = to === 'expired' ? '' : " AND (status <> 'open' OR expires_at > ?)";
      const text = `UPDATE proposals SET ${sets.join(', ')} WHERE id = ? AND status IN (${from.map(() => '?').join(', ')})${expiry}`;
      const result = sql(text).run(...values, id, ...from, ...(expiry ? [at] : []));
      return Number(result.changes) === 1;
    },
    expireProposals(at) {
      const when = rows.iso(at, 'now');
      const expired = sql("UPDATE proposals SET status = 'expired', updated_at = ? WHERE status = 'open' AND expires_at <= ? RETURNING *").all(now(), when);
      return expired.map(rows.proposal).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    failProposals(from) {
      if (from.length === 0) return [];
      const failed = sql(`UPDATE proposals SET status = 'failed', updated_at = ? WHERE status IN (${from.map(() => '?').join(', ')}) RETURNING *`).all(now(), ...from);
      return failed.map(rows.proposal).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    audit(e) {
      sql(`INSERT INTO audit (at, actor, action, incident_id, proposal_id, result, detail, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        e.at === undefined ? now() : rows.iso(e.at, 'at'), e.actor, e.action, e.incidentId ?? null, e.proposalId ?? null,
        e.result, e.detail, rows.json(e.before), rows.json(e.after));
    },
    listAudit(filter = {}) {
      // Written order (seq), not `at`: a back-dated entry still reads where it was recorded.
      return sql('SELECT * FROM audit WHERE (?1 IS NULL OR incident_id = ?1) AND (?2 IS NULL OR proposal_id = ?2) ORDER BY seq')
        .all(filter.incidentId ?? null, filter.proposalId ?? null).map(rows.audit);
    },

    recordEvent(source, eventId, payload) {
      const r = sql('INSERT INTO events (source, event_id, received_at, payload) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(source, eventId, now(), rows.json(payload));
      return Number(r.changes) === 1;
    },
    enqueue(kind, payload) {
      const id = randomUUID();
      sql('INSERT INTO queue (id, kind, payload, enqueued_at) VALUES (?, ?, ?, ?)').run(id, kind, rows.json(payload), now());
      return id;
    },
    claimNext(kind, worker) {
      const r = sql(`UPDATE queue SET claimed_by = ?, claimed_at = ?
        WHERE seq = (SELECT seq FROM queue WHERE kind = ? AND claimed_by IS NULL ORDER BY seq LIMIT 1) RETURNING id, payload`).get(worker, now(), kind);
      return r ? { id: String(r.id), payload: rows.parse(r.payload) } : undefined;
    },
    complete(id) {
      sql('DELETE FROM queue WHERE id = ?').run(id);
    },
    requeueStale(kind, olderThan) {
      const r = sql('UPDATE queue SET claimed_by = NULL, claimed_at = NULL WHERE kind = ? AND claimed_by IS NOT NULL AND claimed_at < ?').run(kind, rows.iso(olderThan, 'olderThan'));
      return Number(r.changes);
    },

    writable() {
      try {
        db.exec('BEGIN IMMEDIATE');
      } catch {
        return false;
      }
      try {
        sql("INSERT INTO events (source, event_id, received_at) VALUES ('why137.writable', ?, ?)").run(randomUUID(), now());
        return true;
      } catch {
        return false;
      } finally {
        try { db.exec('ROLLBACK'); } catch { /* nothing was written; the next BEGIN reports a broken connection */ }
      }
    },
    close() {
      if (db.isOpen) db.close();
    },
  };
}
