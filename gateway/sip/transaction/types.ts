/**
 * Vocabulary shared by the four pure transaction state machines of RFC 3261
 * §17 as updated by RFC 6026: INVITE client (ICT), non-INVITE client (NICT),
 * INVITE server (IST) and non-INVITE server (NIST).
 *
 * A machine is a function `step(state, input, ctx) → { state, effects }`. It
 * performs no I/O, owns no timers and never reads the clock: the transaction
 * layer feeds it facts it extracted from messages ("a 180 arrived", "Timer E
 * fired") and carries out the effects it returns ("retransmit the request",
 * "start Timer E for 1000 ms"). States are immutable values; an input that
 * means nothing in the current state returns that same state object and no
 * effects, so the layer never has to guard against throws.
 *
 * Contract for the layer that runs a machine:
 *  - apply every effect of one step, in order, before stepping the next input
 *    (inputs the TU produces re-entrantly while an effect runs are queued);
 *  - `start-timer` arms (or re-arms) the named timer, `cancel-timer` disarms
 *    it; when an armed timer expires, step `{ type: 'timer', timer }`.
 *    A 0 ms timer (Timers D, I, J, K on reliable transports) fires on the next
 *    turn of the event loop, after any transport error the step's
 *    transmissions raised synchronously has been stepped;
 *  - a transmission that fails is reported by stepping `{ type:
 *    'transport-error' }` once the step's effects have been applied;
 *  - after a `terminated` effect the transaction is destroyed (§17.1.1.2,
 *    §17.2.1: "MUST be destroyed the instant it enters Terminated").
 */
import { LinegateError } from '#shared/errors.ts';

// ---------------------------------------------------------------- timers

/** Base timer values in milliseconds (RFC 3261 §17.1.1.1, Table 4 in Appendix A). */
export interface TimerConfig {
  /** RTT estimate; RFC 3261 default 500 ms. */
  readonly t1: number;
  /** Cap on the retransmit interval of non-INVITE requests and INVITE responses; default 4 s. */
  readonly t2: number;
  /** Maximum time a message stays in the network; default 5 s. */
  readonly t4: number;
  /**
   * Timer D on unreliable transports. §17.1.1.2 asks for "at least 32
   * seconds"; the default is max(32 s, 64·T1) so that it still covers the
   * server's Timer H (64·T1) when T1 is raised. Reliable transports use 0.
   */
  readonly timerD?: number;
  /**
   * How long the IST waits for the TU's first response before sending
   * 100 Trying itself (§17.2.1: "unless it knows that the TU will generate a
   * provisional or final response within 200 ms"); default 200 ms. 0 sends
   * 100 Trying the moment the INVITE arrives.
   */
  readonly tryingDelay?: number;
}

export const DEFAULT_TIMERS: TimerConfig = { t1: 500, t2: 4000, t4: 5000 };

/** §17.2.1: the 200 ms after which the IST answers 100 Trying on the TU's behalf. */
export const DEFAULT_TRYING_DELAY = 200;

/** What the machines need to know about where the transaction runs. */
export interface TransactionContext {
  /**
   * true for WebSocket/TCP/TLS, false for UDP. Reliable transports start no
   * retransmission timers (A, E, G) and use 0 for Timers D, I, J and K
   * (§17.1.1.2, §17.1.2.2, §17.2.1, §17.2.2).
   */
  readonly reliable: boolean;
  readonly timers: TimerConfig;
}

/**
 * Builds a context, filling RFC 3261 defaults. Throws a LinegateError
 * ('config.invalid') for values no timer could honour; this is configuration
 * time, the step functions themselves never throw.
 */
export function transactionContext(
  reliable: boolean,
  timers: Partial<TimerConfig> = {},
): TransactionContext {
  const merged: TimerConfig = { ...DEFAULT_TIMERS, ...timers };
  const positive = (key: string, v: number | undefined, min: number): void => {
    if (v !== undefined && !(Number.isFinite(v) && v >= min)) {
      throw new LinegateError('config.invalid', `SIP timer ${key} must be a number ≥ ${min} ms`, {
        details: { key, value: v },
      });
    }
  };
  positive('t1', merged.t1, 1);
  positive('t2', merged.t2, merged.t1);
  positive('t4', merged.t4, 1);
  positive('timerD', merged.timerD, 0);
  positive('tryingDelay', merged.tryingDelay, 0);
  return { reliable, timers: merged };
}

/** Timers of the INVITE client transaction (§17.1.1.2, RFC 6026 §8.4). */
export type IctTimer = 'A' | 'B' | 'D' | 'M';
/** Timers of the non-INVITE client transaction (§17.1.2.2). */
export type NictTimer = 'E' | 'F' | 'K';
/**
 * Timers of the INVITE server transaction (§17.2.1, RFC 6026 §8.7); 'trying'
 * is the 200 ms wait before the transaction sends 100 Trying itself.
 */
export type IstTimer = 'trying' | 'G' | 'H' | 'I' | 'L';
/** Timer of the non-INVITE server transaction (§17.2.2). */
export type NistTimer = 'J';
export type ClientTimer = IctTimer | NictTimer;
export type ServerTimer = IstTimer | NistTimer;
export type TimerName = ClientTimer | ServerTimer;

/**
 * Duration a timer is first started with. Retransmission timers (A, E, G)
 * then grow as each machine computes; the others are fixed.
 */
export function timerDuration(timer: TimerName, ctx: TransactionContext): number {
  const { t1, t4 } = ctx.timers;
  switch (timer) {
    // §17.1.1.2, §17.1.2.2, §17.2.1: retransmissions start T1 after the first send.
    case 'A':
    case 'E':
    case 'G':
      return t1;
    // §17.1.1.2 (B), §17.1.2.2 (F), §17.2.1 (H), RFC 6026 §8.7 (L) and §8.4 (M): 64·T1 everywhere.
    case 'B':
    case 'F':
    case 'H':
    case 'L':
    case 'M':
      return 64 * t1;
    // §17.1.1.2: at least 32 s for unreliable transports, zero for reliable ones.
    case 'D':
      return ctx.reliable ? 0 : (ctx.timers.timerD ?? Math.max(32_000, 64 * t1));
    // §17.2.1 (I) and §17.1.2.2 (K): T4 for unreliable transports, zero for reliable ones.
    case 'I':
    case 'K':
      return ctx.reliable ? 0 : t4;
    // §17.2.2: 64·T1 for unreliable transports, zero for reliable ones.
    case 'J':
      return ctx.reliable ? 0 : 64 * t1;
    // §17.2.1: 100 Trying unless the TU answers within 200 ms.
    case 'trying':
      return ctx.timers.tryingDelay ?? DEFAULT_TRYING_DELAY;
  }
}

// ---------------------------------------------------------------- inputs

export interface TimerInput<T extends TimerName> {
  readonly type: 'timer';
  readonly timer: T;
}

/** The transport layer could not send something this transaction passed to it (§17.1.4, §17.2.4). */
export interface TransportErrorInput {
  readonly type: 'transport-error';
}

/** Inputs of the client machines. */
export type ClientInput<T extends ClientTimer = ClientTimer> =
  /** The TU hands over the request: start the transaction. */
  | { readonly type: 'send' }
  /** A response the layer matched to this transaction (§17.1.3). */
  | { readonly type: 'response'; readonly status: number }
  | TimerInput<T>
  | TransportErrorInput;

/** Inputs of the server machines. */
export type ServerInput<T extends ServerTimer = ServerTimer> =
  /** The request that creates the transaction, then any retransmission of it (§17.2.3). */
  | { readonly type: 'request' }
  /** An ACK matched to this (INVITE) transaction (§17.2.3, RFC 6026 §6). */
  | { readonly type: 'ack' }
  /** A response the TU asks the transaction to send. */
  | { readonly type: 'tu-response'; readonly status: number }
  | TimerInput<T>
  | TransportErrorInput;

// ---------------------------------------------------------------- effects

export interface StartTimer<T extends TimerName> {
  readonly type: 'start-timer';
  readonly timer: T;
  readonly ms: number;
}
export interface CancelTimer<T extends TimerName> {
  readonly type: 'cancel-timer';
  readonly timer: T;
}
/** Timer B, F or H expired: the TU learns of the failure (§8.1.3.1: it acts as on a 408). */
export interface Timeout<T extends TimerName> {
  readonly type: 'timeout';
  readonly timer: T;
}
/** The transport failed (§17.1.4, §17.2.4); a client TU acts as on a 503 (§8.1.3.1). */
export interface TransportFailure {
  readonly type: 'transport-failure';
}
/** The transaction reached Terminated; the layer destroys it. */
export interface Terminated {
  readonly type: 'terminated';
}

export type ClientEffect<T extends ClientTimer = ClientTimer> =
  | StartTimer<T>
  | CancelTimer<T>
  /** Pass the request (first time or again) to the transport. */
  | { readonly type: 'transmit-request' }
  /** ICT only: send the ACK for a 3xx–6xx the layer builds per §17.1.1.3, or send it again. */
  | { readonly type: 'transmit-ack' }
  /** Pass the response just received up to the TU. */
  | { readonly type: 'deliver'; readonly status: number }
  | Timeout<T>
  | TransportFailure
  | Terminated;

export type ServerEffect<T extends ServerTimer = ServerTimer> =
  | StartTimer<T>
  | CancelTimer<T>
  /**
   * Send a response with this status: the one the TU just passed in when the
   * input was `tu-response`, otherwise the most recent one sent (a
   * retransmission). The layer keeps that message; `status` lets it check.
   */
  | { readonly type: 'transmit-response'; readonly status: number }
  /**
   * IST only: build a 100 Trying from the INVITE (§8.2.6.1) and send it. It
   * becomes the most recent provisional response for later retransmissions.
   */
  | { readonly type: 'transmit-trying' }
  /** Pass the request that created the transaction up to the TU (once). */
  | { readonly type: 'deliver-request' }
  /** IST in Accepted: pass an ACK up to the TU (RFC 6026 §7.1, §8.7). */
  | { readonly type: 'deliver-ack' }
  | Timeout<T>
  | TransportFailure
  | Terminated;

/** Every effect of any machine whose timers are among T (what a generic driver handles). */
export type Effect<T extends TimerName = TimerName> =
  ClientEffect<Extract<T, ClientTimer>> | ServerEffect<Extract<T, ServerTimer>>;

// ---------------------------------------------------------------- machines

export interface Step<S, E> {
  readonly state: S;
  readonly effects: readonly E[];
}

/** A machine as a value, for drivers that run any of the four. */
export interface Machine<S extends { readonly name: string }, I, E> {
  /** Before the first input: the transaction exists but has neither sent nor received anything. */
  readonly initial: S;
  readonly step: (state: S, input: I, ctx: TransactionContext) => Step<S, E>;
}

/** An input that means nothing here: same state, nothing to do. */
export function unchanged<S>(state: S): Step<S, never> {
  return { state, effects: [] };
}

export function startTimer<T extends TimerName>(timer: T, ctx: TransactionContext): StartTimer<T> {
  return { type: 'start-timer', timer, ms: timerDuration(timer, ctx) };
}

export function cancelTimer<T extends TimerName>(timer: T): CancelTimer<T> {
  return { type: 'cancel-timer', timer };
}

/** The response classes the machines branch on (RFC 3261 §7.2, §21). */
export type StatusClass = '1xx' | '2xx' | '3xx-6xx';

/** undefined for anything that is not a SIP status code (100–699); machines ignore those. */
export function classifyStatus(status: number): StatusClass | undefined {
  if (!Number.isInteger(status) || status < 100 || status > 699) return undefined;
  if (status < 200) return '1xx';
  return status < 300 ? '2xx' : '3xx-6xx';
}
