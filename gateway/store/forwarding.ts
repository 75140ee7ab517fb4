/** Each user's forwarding rules (calls/forwarding.ts), kept across restarts; read on every call. */
import type { ForwardRule } from '#shared/api.ts';
import type { Db } from './db.ts';

export class ForwardingStore {
  readonly #rules = new Map<string, readonly ForwardRule[]>();

  constructor(private readonly db: Db) {
    const rows = db.prepare('SELECT username, rules FROM forwarding').all() as {
      username: string;
      rules: string;
    }[];
    for (const r of rows) this.#rules.set(r.username, JSON.parse(r.rules) as ForwardRule[]);
  }

  rules(user: string): readonly ForwardRule[] {
    return this.#rules.get(user) ?? [];
  }

  set(user: string, rules: readonly ForwardRule[]): void {
    this.db
      .prepare(
        'INSERT INTO forwarding (username, rules) VALUES (?, ?) ON CONFLICT(username) DO UPDATE SET rules = excluded.rules',
      )
      .run(user, JSON.stringify(rules));
    this.#rules.set(user, rules);
  }
}
