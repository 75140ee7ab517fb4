/**
 * Settings of a line that its users change in the PWA and that outlive a
 * restart (issue #7): do-not-disturb. Read on every incoming call, so kept
 * in memory too.
 */
import type { Db } from './db.ts';

export class LineSettings {
  readonly #dnd = new Set<string>();

  constructor(private readonly db: Db) {
    const rows = db.prepare('SELECT line FROM line_settings WHERE dnd = 1').all() as {
      line: string;
    }[];
    for (const r of rows) this.#dnd.add(r.line);
  }

  dnd(line: string): boolean {
    return this.#dnd.has(line);
  }

  setDnd(line: string, on: boolean): void {
    this.db
      .prepare(
        'INSERT INTO line_settings (line, dnd) VALUES (?, ?) ON CONFLICT(line) DO UPDATE SET dnd = excluded.dnd',
      )
      .run(line, on ? 1 : 0);
    if (on) this.#dnd.add(line);
    else this.#dnd.delete(line);
  }
}
