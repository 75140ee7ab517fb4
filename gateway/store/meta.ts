/** Small key/value facts the gateway keeps across restarts (table meta). */
import { randomBytes } from 'node:crypto';
import type { Db } from './db.ts';

/** A random 32-byte secret created once and then kept (e.g. the digest nonce key). */
export function metaSecret(db: Db, key: string): Buffer {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
    { value: string } | undefined;
  if (row) return Buffer.from(row.value, 'base64');
  const secret = randomBytes(32);
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(key, secret.toString('base64'));
  return secret;
}
