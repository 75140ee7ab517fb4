/**
 * The timer facility the transaction layer runs on (see transport/clock.ts
 * for the interface) and FakeClock, its virtual-time stand-in for tests:
 * nothing fires until the test advances time, timers due at the same
 * instant fire in the order they were set, and 0 ms timers fire on the next
 * advance — like setTimeout(fn, 0) on the next turn of the event loop.
 */
import type { Clock, TimerHandle } from '../transport/clock.ts';

export { realClock, type Clock, type TimerHandle } from '../transport/clock.ts';

interface FakeTimer {
  readonly due: number;
  readonly seq: number;
  readonly fn: () => void;
}

export class FakeClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly timers = new Map<number, FakeTimer>();

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { due: this.time + Math.max(0, ms), seq: id, fn });
    return id;
  }

  clearTimer(handle: TimerHandle): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /** Number of armed timers. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by ms, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    while (this.fireNext(end));
    this.time = end;
  }

  /**
   * Fires the earliest timer due at or before `until` (moving time to it);
   * false when none is. For drivers that must run other work between timers.
   */
  fireNext(until: number): boolean {
    const next = this.next(until);
    if (next === undefined) return false;
    this.timers.delete(next[0]);
    this.time = next[1].due;
    next[1].fn();
    return true;
  }

  /** Fires what is due now (the 0 ms timers of reliable transports). */
  flush(): void {
    this.advance(0);
  }

  /** Fires timers until none is left, within `limit` ms; returns the time it took. */
  runAll(limit = 3_600_000): number {
    const start = this.time;
    for (let next = this.next(start + limit); next !== undefined; next = this.next(start + limit)) {
      this.advance(next[1].due - this.time);
    }
    if (this.timers.size > 0) throw new Error(`timers still armed after ${limit} ms`);
    return this.time - start;
  }

  private next(until: number): [number, FakeTimer] | undefined {
    let best: [number, FakeTimer] | undefined;
    for (const entry of this.timers) {
      const t = entry[1];
      if (t.due > until) continue;
      if (
        best === undefined ||
        t.due < best[1].due ||
        (t.due === best[1].due && t.seq < best[1].seq)
      ) {
        best = entry;
      }
    }
    return best;
  }
}
