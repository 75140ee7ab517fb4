/**
 * The call journal (seed 003 "Journal für alle Leitungen aktivieren",
 * issue #7): one row per call, written when things happen — offered,
 * answered, ended — so a crash loses at most the end time of the calls
 * that were up. Those are repaired at the next start: their end becomes
 * the last heartbeat the gateway wrote (every 15 s) and their result
 * "interrupted".
 */
import type { JournalResult } from '#shared/api.ts';
import type { Db } from './db.ts';

export type JournalDirection = 'incoming' | 'outgoing';

export type { JournalResult } from '#shared/api.ts';

/** How a call ended (written by ended()). */
export interface JournalEnd {
  readonly at: number;
  readonly result: JournalResult;
  readonly status?: number | undefined;
  readonly stats?: unknown;
  /** Where a forwarded call went. */
  readonly forwardedTo?: string | undefined;
  /** Whose forwarding rule or mailbox sent it there. */
  readonly forwardedBy?: string | undefined;
}

/** How an incoming call was answered (written by answered()). */
export interface JournalAnswer {
  readonly user: string;
  readonly at: number;
  /** Taken from a colleague's line by gateway-side pickup. */
  readonly pickedUp?: boolean | undefined;
}

export interface JournalOffer {
  readonly id: string;
  readonly direction: JournalDirection;
  readonly line: string;
  /** Outgoing: the caller; incoming: undefined until someone answers. */
  readonly user: string | undefined;
  readonly remoteNumber: string;
  readonly remoteName: string | undefined;
  readonly calledNumber: string | undefined;
  readonly divertedFrom: string | undefined;
  readonly at: number;
}

export interface JournalEntry extends JournalOffer {
  readonly answeredAt: number | undefined;
  readonly endedAt: number | undefined;
  readonly result: JournalResult | undefined;
  readonly status: number | undefined;
  /** Where a forwarded call went. */
  readonly forwardedTo: string | undefined;
  readonly forwardedBy: string | undefined;
  readonly pickedUp: boolean;
  /** Media statistics of the call (JSON as the media engine reported it). */
  readonly stats: unknown;
}

export interface JournalQuery {
  /** Lines whose calls to show (the user's lines). */
  readonly lines: readonly string[];
  /** And the calls this user made or answered on lines they no longer own. */
  readonly user: string;
  readonly result?: JournalResult | undefined;
  readonly line?: string | undefined;
  /** Entries that started before this (paging), newest first. */
  readonly before?: number | undefined;
  readonly limit: number;
}

interface Row {
  id: string;
  direction: string;
  line: string;
  username: string | null;
  remote_number: string;
  remote_name: string | null;
  called_number: string | null;
  diverted_from: string | null;
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  result: string | null;
  status: number | null;
  stats: string | null;
  forwarded_to: string | null;
  forwarded_by: string | null;
  picked_up: number;
}

export class Journal {
  constructor(private readonly db: Db) {}

  offered(o: JournalOffer): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO journal (id, direction, line, username, remote_number, remote_name,
           called_number, diverted_from, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        o.id,
        o.direction,
        o.line,
        o.user ?? null,
        o.remoteNumber,
        o.remoteName ?? null,
        o.calledNumber ?? null,
        o.divertedFrom ?? null,
        o.at,
      );
  }

  answered(id: string, a: JournalAnswer): void {
    this.db
      .prepare('UPDATE journal SET answered_at = ?, username = ?, picked_up = ? WHERE id = ?')
      .run(a.at, a.user, a.pickedUp === true ? 1 : 0, id);
  }

  ended(id: string, e: JournalEnd): void {
    this.db
      .prepare(
        `UPDATE journal SET ended_at = ?, result = ?, status = ?, stats = ?, forwarded_to = ?,
           forwarded_by = ? WHERE id = ? AND ended_at IS NULL`,
      )
      .run(
        e.at,
        e.result,
        e.status ?? null,
        e.stats === undefined ? null : JSON.stringify(e.stats),
        e.forwardedTo ?? null,
        e.forwardedBy ?? null,
        id,
      );
  }

  /** Written every 15 s (gateway.ts); what a crash repair takes as the end of open calls. */
  heartbeat(at: number): void {
    this.db
      .prepare(
        "INSERT INTO meta (key, value) VALUES ('journal-heartbeat', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      )
      .run(String(at));
  }

  /**
   * At start: calls a crash left open end at the last heartbeat, "interrupted"
   * — but never before they were answered (the answer may be newer than the
   * last heartbeat) nor after now (a clock set back).
   */
  repair(now: number): number {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'journal-heartbeat'").get() as
      { value: string } | undefined;
    const beat = row === undefined ? now : Number(row.value);
    return this.db
      .prepare(
        `UPDATE journal SET ended_at = MAX(COALESCE(answered_at, started_at), MIN(?, ?)), result = 'interrupted'
         WHERE ended_at IS NULL`,
      )
      .run(beat, now).changes;
  }

  /** Entries older than `before` go (retention). */
  prune(before: number): number {
    return this.db.prepare('DELETE FROM journal WHERE started_at < ?').run(before).changes;
  }

  /**
   * One page, newest first, and the `before` of the next page when there
   * is one. `before` is exclusive, so a page never ends inside a group of
   * calls that started in the same millisecond: such a group is taken whole
   * (the page may then hold a few more than `limit`), or the next page
   * would skip the rest of it.
   */
  page(q: JournalQuery): { entries: JournalEntry[]; next?: number } {
    const limit = Math.max(1, Math.min(q.limit, 500));
    const rows = this.list({ ...q, limit: limit + 1 });
    if (rows.length <= limit) return { entries: rows };
    const entries = rows.slice(0, limit);
    const last = entries[limit - 1];
    if (last !== undefined && rows[limit]?.at === last.at) {
      const seen = new Set(entries.map((e) => e.id));
      const same = this.list({ ...q, before: last.at + 1, limit: 500 }).filter(
        (e) => e.at === last.at && !seen.has(e.id),
      );
      entries.push(...same);
    }
    const end = entries.at(-1);
    return end === undefined ? { entries } : { entries, next: end.at };
  }

  list(q: JournalQuery): JournalEntry[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const lines = q.line === undefined ? q.lines : q.lines.filter((l) => l === q.line);
    where.push(
      `(line IN (${lines.map(() => '?').join(', ') || "''"}) OR (username = ?${q.line === undefined ? '' : ' AND line = ?'}))`,
    );
    args.push(...lines, q.user);
    if (q.line !== undefined) args.push(q.line);
    if (q.result !== undefined) {
      where.push('result = ?');
      args.push(q.result);
    }
    if (q.before !== undefined) {
      where.push('started_at < ?');
      args.push(q.before);
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM journal WHERE ${where.join(' AND ')} ORDER BY started_at DESC, id LIMIT ?`,
      )
      .all(...args, Math.max(1, Math.min(q.limit, 500))) as Row[];
    return rows.map(entry);
  }
}

function entry(r: Row): JournalEntry {
  return {
    id: r.id,
    direction: r.direction === 'outgoing' ? 'outgoing' : 'incoming',
    line: r.line,
    user: r.username ?? undefined,
    remoteNumber: r.remote_number,
    remoteName: r.remote_name ?? undefined,
    calledNumber: r.called_number ?? undefined,
    divertedFrom: r.diverted_from ?? undefined,
    at: r.started_at,
    answeredAt: r.answered_at ?? undefined,
    endedAt: r.ended_at ?? undefined,
    result: (r.result ?? undefined) as JournalResult | undefined,
    status: r.status ?? undefined,
    forwardedTo: r.forwarded_to ?? undefined,
    forwardedBy: r.forwarded_by ?? undefined,
    pickedUp: r.picked_up === 1,
    stats: r.stats === null ? undefined : (JSON.parse(r.stats) as unknown),
  };
}
