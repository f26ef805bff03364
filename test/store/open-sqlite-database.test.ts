import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openSqliteDatabase } from '../../src/store/open-sqlite-database.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import { sqliteMigrations } from '../../src/store/sqlite-migrations.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { tempDbPath } from './store-builders.js';

function error(fn: () => unknown): Why137Error {
  try { fn(); } catch (e) { if (e instanceof Why137Error) return e; throw e; }
  throw new Error('expected a Why137Error');
}

describe('opening the SQLite store file', () => {
  test('a new file gets WAL, synchronous=FULL, the busy timeout, foreign keys and every migration, once', () => {
    const file = tempDbPath();
    const db = openSqliteDatabase(file, 1234);
    expect(db.prepare('PRAGMA journal_mode').get()?.journal_mode).toBe('wal');
    // 2 = FULL: the WAL is fsynced at every commit.
    expect(db.prepare('PRAGMA synchronous').get()?.synchronous).toBe(2);
    expect(db.prepare('PRAGMA busy_timeout').get()?.timeout).toBe(1234);
    expect(db.prepare('PRAGMA foreign_keys').get()?.foreign_keys).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all().map((r) => r.name);
    expect(tables).toEqual(['audit', 'events', 'incidents', 'proposals', 'queue', 'schema_version']);
    db.close();
    // Opening again (and from a second connection at the same time) applies nothing twice.
    const a = openSqliteDatabase(file, 1000);
    const b = openSqliteDatabase(file, 1000);
    expect(b.prepare('SELECT version FROM schema_version ORDER BY version').all().map((r) => r.version)).toEqual(sqliteMigrations.map((m) => m.version));
    a.close();
    b.close();
  });

  test(':memory: opens (for other components\' unit tests) without WAL', () => {
    const store = createSqliteStore(':memory:');
    expect(store.recordEvent('s', 'e', null)).toBe(true);
    expect(store.writable()).toBe(true);
    store.close();
  });

  const cases: [string, () => string, RegExp][] = [
    ['a directory that does not exist', () => path.join(path.dirname(tempDbPath()), 'no', 'such', 'dir', 'why137.sqlite'),
      /^(\/\S+\/why137\.sqlite): directory \/\S+\/no\/such\/dir does not exist; expected store\.path to name a why137 store file, or a new file in an existing, writable directory$/],
    ['a path that is a directory', () => { const d = tempDbPath('data'); mkdirSync(d); return d; },
      /^\/\S+\/data: is a directory; expected store\.path to name a why137 store file/],
    ['a parent that is a file', () => { const f = tempDbPath('file'); writeFileSync(f, 'x'); return path.join(f, 'why137.sqlite'); },
      /^\/\S+\/file\/why137\.sqlite: \/\S+\/file is not a directory; expected store\.path/],
    ['a file that is not a database', () => { const f = tempDbPath('notes.txt'); writeFileSync(f, 'these are my notes, not a database\n'.repeat(200)); return f; },
      /^\/\S+\/notes\.txt: not a SQLite database \(file is not a database\); expected store\.path to name a why137 store file/],
    ['a database file with a corrupt header', () => {
      const f = tempDbPath();
      createSqliteStore(f).close();
      const bytes = readFileSync(f);
      bytes.fill(0x5a, 0, 100);
      writeFileSync(f, bytes);
      return f;
    }, /^\/\S+\/why137\.sqlite: not a SQLite database \(file is not a database\); expected store\.path/],
    ['another program\'s database', () => {
      const f = tempDbPath('app.db');
      const other = new DatabaseSync(f);
      other.exec('CREATE TABLE users (id INTEGER PRIMARY KEY); CREATE TABLE orders (id INTEGER PRIMARY KEY)');
      other.close();
      return f;
    }, /^\/\S+\/app\.db: a SQLite database of something else \(tables (users, orders|orders, users)\); expected store\.path/],
    ['a store written by a newer why137', () => {
      const f = tempDbPath();
      createSqliteStore(f).close();
      const db = new DatabaseSync(f);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(999, '2030-01-01T00:00:00.000Z');
      db.close();
      return f;
    }, /^\/\S+\/why137\.sqlite: schema version 999 was written by a newer why137 \(this one knows up to \d+\); expected the why137 release that wrote it, or newer$/],
  ];

  test.each(cases)('%s: why137_config_invalid, one line naming the path and what is expected', (_what, make, expected) => {
    const file = make();
    const e = error(() => createSqliteStore(file));
    expect(e.code).toBe('why137_config_invalid');
    expect(e.message).not.toContain('\n');
    expect(e.message).toMatch(expected);
    expect(e.message.startsWith(path.resolve(file))).toBe(true);
  });
});
