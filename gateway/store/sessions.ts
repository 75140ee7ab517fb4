/**
 * Browser sessions (issue #6): signing in with the Linegate password once
 * gives a session; the page keeps only an HttpOnly cookie and asks for the
 * session's own SIP credentials when it starts. The password is never
 * stored in the browser, and a session can be revoked on its own.
 *
 * A session has an id and a 256-bit secret. Kept in SQLite: the SHA-256 of
 * the secret (to check the cookie) and the digest HA1s of the session's SIP
 * identity (RFC 7616 §3.4.2: H(username:realm:secret), MD5 and SHA-256), so
 * the database holds nothing a thief could sign in with directly. The SIP
 * user name of a session is "~<id>": "~" cannot occur in a Linegate
 * username, so session identities and users never collide.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from './db.ts';

export interface SessionRecord {
  readonly id: string;
  readonly username: string;
  /** The digest user name JsSIP authenticates with. */
  readonly authUser: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface NewSession extends SessionRecord {
  /** "<id>.<secret>": the cookie value. */
  readonly token: string;
  /** The digest password of authUser (shown to the page, never stored). */
  readonly secret: string;
}

export interface SessionStoreOptions {
  readonly realm: string;
  readonly now: () => number;
  /** Idle lifetime: each use extends the session to now + ttl (default 30 days). */
  readonly ttlMs?: number;
}

interface Row {
  id: string;
  username: string;
  secret_hash: Buffer;
  ha1_md5: string;
  ha1_sha256: string;
  created_at: number;
  expires_at: number;
}

const DEFAULT_TTL_MS = 30 * 24 * 3600 * 1000;
/** Extending on every request would write on every page load; once an hour is enough. */
const EXTEND_AFTER_MS = 3600 * 1000;
export const SESSION_USER_PREFIX = '~';

export class SessionStore {
  readonly #db: Db;
  readonly #opts: SessionStoreOptions;
  readonly #ttl: number;

  constructor(db: Db, opts: SessionStoreOptions) {
    this.#db = db;
    this.#opts = opts;
    this.#ttl = opts.ttlMs ?? DEFAULT_TTL_MS;
  }

  create(username: string): NewSession {
    const id = randomBytes(12).toString('base64url');
    const secret = randomBytes(32).toString('base64url');
    const authUser = SESSION_USER_PREFIX + id;
    const now = this.#opts.now();
    const expiresAt = now + this.#ttl;
    this.#db
      .prepare(
        `INSERT INTO sessions (id, username, secret_hash, ha1_md5, ha1_sha256, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        username,
        sha256(secret),
        ha1('md5', authUser, this.#opts.realm, secret),
        ha1('sha256', authUser, this.#opts.realm, secret),
        now,
        expiresAt,
      );
    return { id, username, authUser, createdAt: now, expiresAt, token: `${id}.${secret}`, secret };
  }

  /**
   * The live session a cookie or bearer token names, extended on use; its
   * secret comes back too so the page can get its SIP credentials again.
   */
  byToken(token: string): (SessionRecord & { readonly secret: string }) | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0 || token.length > 200) return undefined;
    const id = token.slice(0, dot);
    const secret = token.slice(dot + 1);
    const row = this.#row(id);
    if (row === undefined) return undefined;
    const given = sha256(secret);
    if (given.length !== row.secret_hash.length || !timingSafeEqual(given, row.secret_hash))
      return undefined;
    const now = this.#opts.now();
    let expiresAt = row.expires_at;
    if (now + this.#ttl - expiresAt > EXTEND_AFTER_MS) {
      expiresAt = now + this.#ttl;
      this.#db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(expiresAt, id);
    }
    return { ...record(row), expiresAt, secret };
  }

  /** The digest HA1 of a session's SIP identity ("~<id>"), for the registrar. */
  digest(
    authUser: string,
    hash: 'MD5' | 'SHA-256' | 'SHA-512-256',
  ): { readonly username: string; readonly ha1: string } | undefined {
    if (!authUser.startsWith(SESSION_USER_PREFIX)) return undefined;
    const row = this.#row(authUser.slice(SESSION_USER_PREFIX.length));
    if (row === undefined || hash === 'SHA-512-256') return undefined;
    return { username: row.username, ha1: hash === 'MD5' ? row.ha1_md5 : row.ha1_sha256 };
  }

  revoke(id: string): SessionRecord | undefined {
    const row = this.#row(id);
    this.#db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
    return row === undefined ? undefined : record(row);
  }

  /** Sessions of users that are no longer configured go (config reload). */
  retainUsers(usernames: ReadonlySet<string>): string[] {
    const rows = this.#db.prepare('SELECT id, username FROM sessions').all() as {
      id: string;
      username: string;
    }[];
    const gone = rows.filter((r) => !usernames.has(r.username)).map((r) => r.id);
    const del = this.#db.prepare('DELETE FROM sessions WHERE id = ?');
    for (const id of gone) del.run(id);
    return gone;
  }

  /** Drops expired sessions; returns how many. */
  prune(): number {
    return this.#db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(this.#opts.now())
      .changes;
  }

  #row(id: string): Row | undefined {
    const row = this.#db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as Row | undefined;
    if (row === undefined || row.expires_at <= this.#opts.now()) return undefined;
    return row;
  }
}

function record(row: Row): SessionRecord {
  return {
    id: row.id,
    username: row.username,
    authUser: SESSION_USER_PREFIX + row.id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function ha1(algorithm: 'md5' | 'sha256', user: string, realm: string, secret: string): string {
  return createHash(algorithm).update(`${user}:${realm}:${secret}`).digest('hex');
}
