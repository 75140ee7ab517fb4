/**
 * The session timer of one leg (RFC 4028 §10): the B2BUA terminates
 * session timers on each leg. As refresher it sends a refresh at half the
 * interval; otherwise it ends the call when no refresh came by
 * interval − min(32 s, interval/3). Every refresh the peer sends restarts
 * it (with the interval that refresh negotiated).
 */
import type { Clock, TimerHandle } from '../sip/transport/clock.ts';
import type { UacSessionTimer, UasSessionTimer } from './sip-helpers/session-timer.ts';

export type SessionTimerPlan =
  | { readonly kind: 'none' }
  | { readonly kind: 'timer'; readonly interval: number; readonly weRefresh: boolean };

/**
 * The plan of a 2xx we received: a malformed Session-Expires there cannot
 * be refused, so we refresh at the RFC 4028 minimum, which no peer can
 * object to (session-timer.ts explains why refreshing is the safe reading).
 */
export function planOfResponse(t: UacSessionTimer): SessionTimerPlan {
  if (t.kind === 'invalid') return { kind: 'timer', interval: 90, weRefresh: true };
  return t.kind === 'none' ? t : { kind: 'timer', interval: t.interval, weRefresh: t.weRefresh };
}

/** The plan of a request we answered 2xx (uasSessionTimer gave 'none' or 'timer'). */
export function planOfRequest(t: UasSessionTimer): SessionTimerPlan {
  return t.kind === 'timer'
    ? { kind: 'timer', interval: t.interval, weRefresh: t.weRefresh }
    : { kind: 'none' };
}

export interface SessionRefreshHooks {
  /** Time to refresh (we are the refresher). */
  refresh(): void;
  /** No refresh came in time (the peer is the refresher). */
  expired(): void;
}

export class SessionRefresh {
  #timer: TimerHandle | undefined;
  #plan: SessionTimerPlan = { kind: 'none' };

  constructor(
    private readonly clock: Clock,
    private readonly hooks: SessionRefreshHooks,
  ) {}

  get plan(): SessionTimerPlan {
    return this.#plan;
  }

  /** (Re)starts the timer for a negotiated plan (or stops it for 'none'). */
  start(plan: SessionTimerPlan): void {
    this.stop();
    this.#plan = plan;
    if (plan.kind === 'none') return;
    const s = plan.interval;
    // §10: refresh at half the interval; the other side gives up at
    // interval − min(32, interval/3) so that a refresh in flight still counts.
    const ms = plan.weRefresh ? (s * 1000) / 2 : (s - Math.min(32, s / 3)) * 1000;
    this.#timer = this.clock.setTimer(ms, () => {
      this.#timer = undefined;
      if (plan.weRefresh) this.hooks.refresh();
      else this.hooks.expired();
    });
  }

  stop(): void {
    if (this.#timer !== undefined) this.clock.clearTimer(this.#timer);
    this.#timer = undefined;
  }
}
