/**
 * Settings a user keeps on the gateway, so they follow them to every
 * browser: today the after-sign-in action (seed 000). One JSON value per
 * user and key; read rarely (at sign-in), so no cache.
 */
import type { AfterSignIn } from '#shared/api.ts';
import type { Db } from './db.ts';

interface Values {
  'after-sign-in': AfterSignIn;
}

export class UserSettings {
  constructor(private readonly db: Db) {}

  get<K extends keyof Values>(user: string, key: K): Values[K] | undefined {
    const row = this.db
      .prepare('SELECT value FROM user_settings WHERE username = ? AND key = ?')
      .get(user, key) as { value: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as Values[K]);
  }

  set<K extends keyof Values>(user: string, key: K, value: Values[K]): void {
    this.db
      .prepare(
        `INSERT INTO user_settings (username, key, value) VALUES (?, ?, ?)
         ON CONFLICT(username, key) DO UPDATE SET value = excluded.value`,
      )
      .run(user, key, JSON.stringify(value));
  }

  afterSignIn(user: string): AfterSignIn {
    return this.get(user, 'after-sign-in') ?? { dial: null };
  }
}
