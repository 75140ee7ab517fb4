/**
 * The JsSIP events of one phone as Node sees them: kept in order, each
 * returned by at most one wait, waits bounded and rejected when the page dies.
 */
import type { CallEvent, CallEventName } from './browser-phone-types.ts';

interface Waiter {
  promise: Promise<CallEvent>;
  test: (e: CallEvent) => boolean;
  resolve: (e: CallEvent) => void;
  reject: (err: Error) => void;
}

export class EventLog {
  private readonly seen: CallEvent[] = [];
  private readonly consumed = new Set<number>();
  private readonly waiters = new Set<Waiter>();
  private dead: string | null = null;

  /** `failure` turns a message into the error to reject with (adds context). */
  constructor(private readonly failure: (message: string) => Error) {}

  all(): CallEvent[] {
    return [...this.seen];
  }

  push(e: CallEvent): void {
    const index = this.seen.push(e) - 1;
    for (const w of this.waiters) {
      if (w.test(e)) {
        this.consumed.add(index);
        this.waiters.delete(w);
        w.resolve(e);
        return;
      }
    }
  }

  /**
   * The oldest unconsumed event with one of `names` that passes `test`, else
   * the next one to come; rejects after timeoutMs or when the log is closed.
   */
  waitFor(
    names: CallEventName[],
    test: (e: CallEvent) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<CallEvent> {
    const match = (e: CallEvent) => names.includes(e.name) && test(e);
    const index = this.seen.findIndex((e, i) => !this.consumed.has(i) && match(e));
    const found = this.seen[index];
    if (found) {
      this.consumed.add(index);
      return Promise.resolve(found);
    }
    if (this.dead !== null) return Promise.reject(this.failure(this.dead));
    let settle!: { resolve: (e: CallEvent) => void; reject: (err: Error) => void };
    const promise = new Promise<CallEvent>((resolve, reject) => (settle = { resolve, reject }));
    const timer = setTimeout(() => {
      this.waiters.delete(waiter);
      settle.reject(this.failure(`no ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const waiter: Waiter = {
      promise,
      test: match,
      resolve: (e) => {
        clearTimeout(timer);
        settle.resolve(e);
      },
      reject: (err) => {
        clearTimeout(timer);
        settle.reject(err);
      },
    };
    this.waiters.add(waiter);
    return promise;
  }

  /**
   * Rejects every pending and future wait. `orderly` (the phone or browser was
   * closed): pending waits reject without counting as unhandled rejections if
   * nobody awaits them any more.
   */
  close(reason: string, orderly: boolean): void {
    this.dead ??= reason;
    for (const w of this.waiters) {
      if (orderly) w.promise.catch(() => undefined);
      w.reject(this.failure(reason));
    }
    this.waiters.clear();
  }
}

/** One line per event for error messages. */
export function describeEvent(e: CallEvent): string {
  const parts: string[] = [e.name];
  if ('session' in e && e.session !== null) parts.push(`#${e.session}`);
  if ('originator' in e) parts.push(e.originator);
  if ('statusCode' in e && e.statusCode !== null) {
    parts.push(`${e.statusCode} ${e.reasonPhrase ?? ''}`);
  }
  if ('method' in e && e.method !== null) parts.push(e.method);
  if ('cause' in e && e.cause !== null) parts.push(`cause=${e.cause}`);
  if (e.name === 'sdp') parts.push(e.type);
  if (e.name === 'ice') parts.push(e.state);
  if (e.name === 'incoming') parts.push(`from ${e.uri}`);
  if (e.name === 'newDTMF') parts.push(e.tone);
  if (e.name === 'error') parts.push(`${e.what}: ${e.message}`);
  if (e.name === 'disconnected') parts.push(`code=${e.code ?? '-'}`);
  return parts.join(' ');
}
