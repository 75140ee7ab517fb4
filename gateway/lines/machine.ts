/**
 * Registration of one SIP line at the PBX, as a pure state machine:
 * `step(state, input, ctx) → { state, effects }`. No sockets, no timers, no
 * clock: the line manager feeds it what happened (a final response, a
 * transaction timeout, a due timer) and carries out the effects (send a
 * REGISTER, arm the one timer a line has, report a status change).
 *
 * Digest challenges never reach this machine: the REGISTER client answers
 * 401/407 itself and only reports a final outcome; a challenge it cannot
 * answer (wrong password) arrives here as `auth-failed`.
 */

export interface LineTiming {
  /** The lifetime we ask for ("Reregister nach", seed 004). */
  readonly reregisterSeconds: number;
  /** RFC 5626 §4.5 base time for the retry back-off after failures, seconds. */
  readonly retryBaseSeconds: number;
  /** Upper bound of the back-off, seconds. */
  readonly retryMaxSeconds: number;
  /** Back-off start after an authentication failure: a wrong password must not hammer the PBX. */
  readonly authRetrySeconds: number;
}

export const DEFAULT_TIMING: Omit<LineTiming, 'reregisterSeconds'> = {
  retryBaseSeconds: 30,
  retryMaxSeconds: 1800,
  authRetrySeconds: 300,
};

export interface LineContext {
  readonly timing: LineTiming;
  /** ms clock */
  readonly now: number;
  /** Uniform in [0, 1): back-off jitter, injected for tests. */
  readonly random: () => number;
}

export type FailureReason =
  | { kind: 'timeout' }
  | { kind: 'transport'; detail: string }
  | { kind: 'auth'; detail: string }
  | { kind: 'rejected'; status: number; reason: string }
  | { kind: 'bad-response'; detail: string };

export type LineState =
  | { kind: 'unregistered' }
  | { kind: 'registering'; expires: number; failures: number; refresh: boolean }
  | {
      kind: 'registered';
      /** Absolute ms at which the PBX forgets us. */
      until: number;
      /** When we send the refresh. */
      refreshAt: number;
      /** Contacts the PBX lists for this account besides ours (account not exclusive). */
      foreignContacts: readonly string[];
    }
  | { kind: 'retrying'; at: number; failures: number; reason: FailureReason }
  | { kind: 'unregistering' }
  | { kind: 'stopped' };

export type LineInput =
  | { type: 'start' }
  | { type: 'timer' }
  | { type: 'registered'; expires: number; foreignContacts: readonly string[] }
  /** RFC 3261 §10.2.8: 423 Interval Too Brief with Min-Expires. */
  | { type: 'interval-too-brief'; minExpires: number }
  | { type: 'failed'; reason: FailureReason; retryAfter?: number }
  | { type: 'stop' };

export type LineEffect =
  | { type: 'send-register'; expires: number }
  | { type: 'set-timer'; at: number }
  | { type: 'clear-timer' }
  | { type: 'stopped' };

export interface LineStep {
  readonly state: LineState;
  readonly effects: readonly LineEffect[];
}

export const INITIAL: LineState = { kind: 'unregistered' };

export function lineStep(state: LineState, input: LineInput, ctx: LineContext): LineStep {
  switch (input.type) {
    case 'start':
      return state.kind === 'unregistered' || state.kind === 'stopped'
        ? register(ctx.timing.reregisterSeconds, 0, false)
        : same(state);
    case 'timer':
      return onTimer(state, ctx);
    case 'registered':
      return state.kind === 'registering'
        ? onRegistered(input.expires, input.foreignContacts, ctx)
        : onLateFinal(state);
    case 'interval-too-brief':
      // §10.2.8: retry at once with the registrar's minimum, if it is sane.
      if (state.kind !== 'registering') return onLateFinal(state);
      if (input.minExpires > state.expires && input.minExpires <= 86_400) {
        return register(input.minExpires, state.failures, state.refresh);
      }
      return fail(
        state.failures,
        { kind: 'rejected', status: 423, reason: `Min-Expires ${input.minExpires} unusable` },
        ctx,
      );
    case 'failed':
      if (state.kind === 'unregistering') return finishStop();
      return state.kind === 'registering'
        ? fail(state.failures, input.reason, ctx, input.retryAfter)
        : same(state);
    case 'stop':
      return onStop(state);
  }
}

function same(state: LineState): LineStep {
  return { state, effects: [] };
}

function register(expires: number, failures: number, refresh: boolean): LineStep {
  return {
    state: { kind: 'registering', expires, failures, refresh },
    effects: [{ type: 'clear-timer' }, { type: 'send-register', expires }],
  };
}

function onTimer(state: LineState, ctx: LineContext): LineStep {
  switch (state.kind) {
    case 'registered':
      return ctx.now >= state.refreshAt
        ? register(ctx.timing.reregisterSeconds, 0, true)
        : same(state);
    case 'retrying':
      return ctx.now >= state.at
        ? register(ctx.timing.reregisterSeconds, state.failures, false)
        : same(state);
    default:
      return same(state);
  }
}

function onRegistered(
  expires: number,
  foreignContacts: readonly string[],
  ctx: LineContext,
): LineStep {
  if (!(expires > 0)) {
    return fail(
      0,
      { kind: 'bad-response', detail: 'the 200 OK grants no lifetime to our Contact' },
      ctx,
    );
  }
  const until = ctx.now + expires * 1000;
  const refreshAt = ctx.now + refreshDelaySeconds(expires) * 1000;
  return {
    state: { kind: 'registered', until, refreshAt, foreignContacts },
    effects: [{ type: 'set-timer', at: refreshAt }],
  };
}

/**
 * Refresh ahead of expiry by 10 % of the lifetime, at least 1 s and at most
 * 60 s, so a lost REGISTER still has time for its retransmissions (Timer F,
 * 32 s) before the binding lapses. Lines registered one after another keep
 * their spacing because they all use the same delay.
 */
export function refreshDelaySeconds(expires: number): number {
  const margin = Math.min(60, Math.max(1, expires * 0.1));
  return Math.max(1, expires - margin);
}

/**
 * RFC 5626 §4.5 back-off: wait = min(max, base · 2^failures) · (50–100 %).
 * An authentication failure starts at its own, longer base: the password is
 * wrong until an admin fixes it, and the PBX may lock the account if hammered.
 * A Retry-After from the PBX (503, §20.33) is honoured when longer.
 */
export function backoffSeconds(
  failures: number,
  reason: FailureReason,
  timing: LineTiming,
  random: () => number,
  retryAfter?: number,
): number {
  const base =
    reason.kind === 'auth' || (reason.kind === 'rejected' && reason.status === 403)
      ? timing.authRetrySeconds
      : timing.retryBaseSeconds;
  const ceiling = Math.min(timing.retryMaxSeconds, base * 2 ** Math.min(failures, 20));
  const wait = ceiling * (0.5 + 0.5 * random());
  return Math.max(wait, retryAfter ?? 0);
}

function fail(
  failures: number,
  reason: FailureReason,
  ctx: LineContext,
  retryAfter?: number,
): LineStep {
  const at =
    ctx.now +
    Math.round(backoffSeconds(failures, reason, ctx.timing, ctx.random, retryAfter) * 1000);
  return {
    state: { kind: 'retrying', at, failures: failures + 1, reason },
    effects: [{ type: 'set-timer', at }],
  };
}

/** A final outcome for a REGISTER we no longer wait for: nothing to do. */
function onLateFinal(state: LineState): LineStep {
  if (state.kind === 'unregistering') return finishStop();
  return same(state);
}

/** Clean shutdown: un-REGISTER (expires=0, §10.2.2) only if the PBX may still hold our binding. */
function onStop(state: LineState): LineStep {
  switch (state.kind) {
    case 'registered':
    case 'registering':
      return {
        state: { kind: 'unregistering' },
        effects: [{ type: 'clear-timer' }, { type: 'send-register', expires: 0 }],
      };
    case 'unregistering':
    case 'stopped':
      return same(state);
    case 'unregistered':
    case 'retrying':
      return finishStop();
  }
}

function finishStop(): LineStep {
  return { state: { kind: 'stopped' }, effects: [{ type: 'clear-timer' }, { type: 'stopped' }] };
}
