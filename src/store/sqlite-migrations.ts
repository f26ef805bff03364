/**
 * The SQLite schema, as numbered migrations applied in order at open, each in one transaction with its
 * row in `schema_version`. Append a migration to change the schema; never edit one that has shipped.
 * Timestamps are ISO-8601 UTC strings from `Date.toISOString()` (so they sort as text); JSON columns
 * hold the verdict, proposal, snapshot, applied, audit before/after and payloads.
 */
export const sqliteMigrations: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE incidents (
  id            TEXT PRIMARY KEY,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  trigger       TEXT NOT NULL CHECK (trigger IN ('slack', 'pagerduty', 'cli')),
  target        TEXT NOT NULL,
  requester     TEXT,
  channel       TEXT,
  thread_ts     TEXT,
  message_ts    TEXT,
  status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  verdict       TEXT CHECK (verdict IS NULL OR json_valid(verdict)),
  external_id   TEXT,
  trigger_count INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX incidents_by_target ON incidents (target, created_at);
CREATE INDEX incidents_by_status ON incidents (status, created_at);

CREATE TABLE proposals (
  id          TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  proposal    TEXT NOT NULL CHECK (json_valid(proposal)),
  snapshot    TEXT CHECK (snapshot IS NULL OR json_valid(snapshot)),
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('open', 'executing', 'executed', 'failed', 'refused', 'expired', 'rolling_back', 'rolled_back')),
  approver    TEXT,
  applied     TEXT CHECK (applied IS NULL OR json_valid(applied))
) STRICT;
CREATE INDEX proposals_by_incident ON proposals (incident_id, created_at);
CREATE INDEX proposals_by_expiry ON proposals (status, expires_at);

CREATE TABLE audit (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  incident_id TEXT,
  proposal_id TEXT,
  result      TEXT NOT NULL CHECK (result IN ('ok', 'refused', 'failed')),
  detail      TEXT NOT NULL,
  before      TEXT CHECK (before IS NULL OR json_valid(before)),
  after       TEXT CHECK (after IS NULL OR json_valid(after))
) STRICT;
CREATE INDEX audit_by_incident ON audit (incident_id, seq);
CREATE INDEX audit_by_proposal ON audit (proposal_id, seq);

CREATE TABLE events (
  source      TEXT NOT NULL,
  event_id    TEXT NOT NULL,
  received_at TEXT NOT NULL,
  payload     TEXT CHECK (payload IS NULL OR json_valid(payload)),
  PRIMARY KEY (source, event_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE queue (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  id          TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL,
  payload     TEXT CHECK (payload IS NULL OR json_valid(payload)),
  enqueued_at TEXT NOT NULL,
  claimed_by  TEXT,
  claimed_at  TEXT
) STRICT;
CREATE INDEX queue_by_kind ON queue (kind, claimed_by, seq);
`,
  },
];
