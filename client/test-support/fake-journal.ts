/**
 * The gateway's call journal for component tests (FakePhone.journal): an
 * in-memory list answering queries like GET /api/journal does — newest
 * first, `result` and `line` filters, `before` paging, `next` when a page
 * came back full.
 */
import type { JournalEntry, JournalPage, Phone } from '../phone/types.ts';

export type JournalQuery = NonNullable<Parameters<Phone['journal']>[0]>;

/** What `add` needs; the rest gets defaults (incoming, answered for a minute, on hfo/201). */
export type JournalSeed = Partial<JournalEntry> & { readonly at: number };

export class FakeJournal {
  private list: JournalEntry[] = [];
  private nextId = 1;

  /** Newest first. */
  get entries(): readonly JournalEntry[] {
    return this.list;
  }

  /** Adds entries; an answered call without times lasts a minute. */
  add(...seeds: JournalSeed[]): void {
    for (const seed of seeds) {
      const result = seed.result ?? 'answered';
      const answered =
        result === 'answered' ? { answeredAt: seed.at, endedAt: seed.at + 60_000 } : {};
      const entry: JournalEntry = {
        id: `j-${this.nextId++}`,
        direction: 'incoming',
        line: 'hfo/201',
        remoteNumber: '08912345',
        result,
        ...answered,
        ...seed,
      };
      this.list.push(entry);
    }
    this.list.sort((a, b) => b.at - a.at);
  }

  clear(): void {
    this.list = [];
  }

  query(q: JournalQuery = {}): JournalPage {
    const limit = q.limit ?? 50;
    const entries = this.list
      .filter(
        (e) =>
          (q.result === undefined || e.result === q.result) &&
          (q.line === undefined || e.line === q.line) &&
          (q.before === undefined || e.at < q.before),
      )
      .slice(0, limit);
    const last = entries.at(-1);
    return entries.length === limit && last !== undefined
      ? { entries, next: last.at }
      : { entries };
  }
}
