/**
 * The client's own call history, kept in localStorage on this device: who,
 * when, which line, how it ended. No secrets, capped in size.
 */
import type { CallDirection, CallView, EndReason } from '../phone/types.ts';

export interface HistoryEntry {
  readonly id: string;
  readonly direction: CallDirection;
  /** "" when the caller withheld the number. */
  readonly number: string;
  readonly name?: string;
  readonly line?: string;
  readonly startedAt: number;
  readonly answeredAt?: number;
  readonly endedAt: number;
  readonly reason: EndReason;
  readonly status?: number;
}

export interface Suggestion {
  readonly number: string;
  readonly name?: string;
}

const DIRECTIONS: readonly string[] = ['incoming', 'outgoing'];

function isEntry(v: unknown): v is HistoryEntry {
  if (!v || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.id === 'string' &&
    typeof e.direction === 'string' &&
    DIRECTIONS.includes(e.direction) &&
    typeof e.number === 'string' &&
    typeof e.startedAt === 'number' &&
    typeof e.endedAt === 'number' &&
    typeof e.reason === 'string'
  );
}

/** An ended call as a history entry. */
export function entryOf(call: CallView): HistoryEntry {
  const name = call.remote.anonymous ? undefined : call.remote.name?.trim();
  return {
    id: call.id,
    direction: call.direction,
    number: call.remote.anonymous ? '' : call.remote.number,
    ...(name ? { name } : {}),
    ...(call.line !== undefined ? { line: call.line } : {}),
    startedAt: call.startedAt,
    ...(call.answeredAt !== undefined ? { answeredAt: call.answeredAt } : {}),
    endedAt: call.endedAt ?? Date.now(),
    reason: call.end?.reason ?? 'failed',
    ...(call.end?.status !== undefined ? { status: call.end.status } : {}),
  };
}

/** An incoming call nobody here or elsewhere took, and we did not refuse. */
export function isMissed(e: HistoryEntry): boolean {
  return (
    e.direction === 'incoming' &&
    e.answeredAt === undefined &&
    e.reason !== 'answered-elsewhere' &&
    e.reason !== 'declined' &&
    e.reason !== 'local-hangup'
  );
}

export class CallHistory {
  private list: HistoryEntry[] | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly key = 'linegate.history',
    private readonly max = 200,
  ) {}

  /** Newest first. */
  get entries(): readonly HistoryEntry[] {
    this.list ??= this.load();
    return this.list;
  }

  add(entry: HistoryEntry): void {
    if (this.entries.some((e) => e.id === entry.id)) return;
    this.list = [entry, ...this.entries].slice(0, this.max);
    this.save();
  }

  clear(): void {
    this.list = [];
    this.save();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The number dialled last, for redial. */
  get lastDialled(): string | undefined {
    return this.entries.find((e) => e.direction === 'outgoing' && e.number)?.number;
  }

  /** Numbers from the history that contain `typed`, most recent first, each once. */
  suggest(typed: string, max = 5): Suggestion[] {
    if (!typed) return [];
    const out: Suggestion[] = [];
    const seen = new Set<string>();
    for (const e of this.entries) {
      if (!e.number || seen.has(e.number) || e.number === typed) continue;
      if (!e.number.includes(typed)) continue;
      seen.add(e.number);
      out.push(e.name ? { number: e.number, name: e.name } : { number: e.number });
      if (out.length >= max) break;
    }
    return out;
  }

  private load(): HistoryEntry[] {
    try {
      const v: unknown = JSON.parse(localStorage.getItem(this.key) ?? '[]');
      return Array.isArray(v) ? v.filter(isEntry) : [];
    } catch {
      return [];
    }
  }

  private save(): void {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.entries));
    } catch {
      // Full or disabled storage: the history lasts for this page.
    }
    for (const l of this.listeners) l();
  }
}
