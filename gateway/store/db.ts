/**
 * The embedded SQLite database (better-sqlite3, WAL). Schema changes are
 * numbered migrations applied in one transaction at open, so a half-migrated
 * database never exists.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { LinegateError } from '#shared/errors.ts';

export type Db = Database.Database;

/** Append only: a released migration is never edited. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;`,
  // Browser sessions (store/sessions.ts): hashes only, never the secret itself.
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     username TEXT NOT NULL,
     secret_hash BLOB NOT NULL,
     ha1_md5 TEXT NOT NULL,
     ha1_sha256 TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX sessions_username ON sessions (username);`,
  // The call journal (store/journal.ts).
  `CREATE TABLE journal (
  id TEXT PRIMARY KEY,
  direction TEXT NOT NULL,
  line TEXT NOT NULL,
  username TEXT,
  remote_number TEXT NOT NULL,
  remote_name TEXT,
  called_number TEXT,
  diverted_from TEXT,
  started_at INTEGER NOT NULL,
  answered_at INTEGER,
  ended_at INTEGER,
  result TEXT,
  status INTEGER,
  stats TEXT
) STRICT;
CREATE INDEX journal_line_started ON journal (line, started_at);
CREATE INDEX journal_user_started ON journal (username, started_at);`,
  // Per-line settings users change in the PWA (store/line-settings.ts).
  `CREATE TABLE line_settings (line TEXT PRIMARY KEY, dnd INTEGER NOT NULL DEFAULT 0) STRICT;`,
  // Forwarding rules per user (store/forwarding.ts), and where the journal's forwarded calls went.
  `CREATE TABLE forwarding (username TEXT PRIMARY KEY, rules TEXT NOT NULL) STRICT;
   ALTER TABLE journal ADD COLUMN forwarded_to TEXT;`,
  // Settings each user keeps on the gateway (store/user-settings.ts: the after-sign-in
  // action), and who forwarded or picked up a call in the journal.
  `CREATE TABLE user_settings (
     username TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (username, key)
   ) STRICT;
   ALTER TABLE journal ADD COLUMN forwarded_by TEXT;
   ALTER TABLE journal ADD COLUMN picked_up INTEGER NOT NULL DEFAULT 0;`,
];

export interface Store {
  readonly db: Db;
  readonly path: string;
  close(): void;
}

/** Opens (creating if needed) `<dataDir>/linegate.db`; `:memory:` for tests. */
export function openStore(dataDir: string): Store {
  const path = dataDir === ':memory:' ? ':memory:' : join(resolve(dataDir), 'linegate.db');
  let db: Db;
  try {
    if (path !== ':memory:') mkdirSync(resolve(dataDir), { recursive: true });
    db = new Database(path);
  } catch (cause) {
    throw new LinegateError(
      'config.invalid',
      `data: cannot open the database at ${path}: ${String(cause)}`,
      {
        cause,
        details: { key: 'data' },
      },
    );
  }
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 2000');
  migrate(db);
  return {
    db,
    path,
    close: () => {
      if (db.open) db.close();
    },
  };
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new LinegateError(
      'internal',
      `the database was written by a newer Linegate (schema ${current}, this version knows ${MIGRATIONS.length})`,
    );
  }
  db.transaction(() => {
    for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v] ?? '');
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}
