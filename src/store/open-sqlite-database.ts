import { statSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Why137Error } from '../errors/why137-error.js';
import { sqliteMigrations } from './sqlite-migrations.js';

const EXPECTED = 'expected store.path to name a why137 store file, or a new file in an existing, writable directory';

/**
 * Opens (creating if absent) the store file with the settings every connection needs, and brings its
 * schema up to date. Throws why137_config_invalid with one line naming the path and what is expected.
 */
export function openSqliteDatabase(file: string, busyTimeoutMs: number): DatabaseSync {
  const memory = file === ':memory:';
  const where = memory ? file : path.resolve(file);
  if (!memory) checkPath(where);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(where, { timeout: busyTimeoutMs, enableForeignKeyConstraints: true });
  } catch (err) {
    throw new Why137Error('why137_config_invalid', `${where}: cannot open (${reason(err)}); ${EXPECTED}`, { cause: err });
  }
  try {
    // NOTE: WAL lets readers run beside the one writer; synchronous=FULL fsyncs the WAL on every commit,
    // so a verdict or a click that returned survives kill -9 and power loss alike (sqlite.org/pragma.html#pragma_synchronous).
    const mode = db.prepare('PRAGMA journal_mode = WAL').get()?.journal_mode;
    if (!memory && mode !== 'wal') throw new Why137Error('why137_config_invalid', `${where}: the filesystem refused WAL mode (got ${String(mode)}); expected store.path on a local disk`);
    db.exec('PRAGMA synchronous = FULL');
    migrate(db, where);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof Why137Error) throw err;
    const notDb = (err as { errcode?: number }).errcode === 26 || (err as { errcode?: number }).errcode === 11;
    const what = notDb ? `not a SQLite database (${reason(err)})` : `cannot use (${reason(err)})`;
    throw new Why137Error('why137_config_invalid', `${where}: ${what}; ${EXPECTED}`, { cause: err });
  }
}

function checkPath(file: string): void {
  const dir = path.dirname(file);
  const dirStat = statSync(dir, { throwIfNoEntry: false });
  if (!dirStat) throw new Why137Error('why137_config_invalid', `${file}: directory ${dir} does not exist; ${EXPECTED}`);
  if (!dirStat.isDirectory()) throw new Why137Error('why137_config_invalid', `${file}: ${dir} is not a directory; ${EXPECTED}`);
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new Why137Error('why137_config_invalid', `${file}: is a directory; ${EXPECTED}`);
}

/** Applies the migrations this file lacks. Reads first, so a file already current needs no write lock. */
function migrate(db: DatabaseSync, where: string): void {
  const latest = sqliteMigrations.at(-1)?.version ?? 0;
  if (currentVersion(db, where) === latest) return;
  // IMMEDIATE takes the write lock before reading, so two processes opening a new file migrate it once.
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = currentVersion(db, where);
    if (current === undefined) db.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT');
    const record = db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)');
    for (const m of sqliteMigrations) {
      if (m.version <= (current ?? 0)) continue;
      db.exec(m.sql);
      record.run(m.version, new Date().toISOString());
    }
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

/** The schema version, undefined for a new (empty) file; refuses other programs' databases and newer schemas. */
function currentVersion(db: DatabaseSync, where: string): number | undefined {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all().map((r) => String(r.name));
  if (!tables.includes('schema_version')) {
    if (tables.length > 0) throw new Why137Error('why137_config_invalid', `${where}: a SQLite database of something else (tables ${tables.slice(0, 3).join(', ')}); ${EXPECTED}`);
    return undefined;
  }
  const version = Number(db.prepare('SELECT max(version) AS v FROM schema_version').get()?.v ?? 0);
  const latest = sqliteMigrations.at(-1)?.version ?? 0;
  if (version > latest) throw new Why137Error('why137_config_invalid', `${where}: schema version ${version} was written by a newer why137 (this one knows up to ${latest}); expected the why137 release that wrote it, or newer`);
  return version;
}

function reason(err: unknown): string {
  const e = err as { errstr?: string; message?: string };
  return (e.errstr ?? e.message ?? String(err)).split('\n')[0] ?? 'error';
}
