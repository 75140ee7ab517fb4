/**
 * Non-INVITE client transaction (NICT): RFC 3261 §17.1.2 (Figure 6).
 *
 *   Idle ─send→ Trying ─1xx→ Proceeding
 *   Trying|Proceeding ─200–699→ Completed ─Timer K→ Terminated
 *   Trying|Proceeding ─Timer F | transport error→ Terminated
 *
 * Timer E paces retransmissions on unreliable transports: T1, doubling up to
 * T2 while Trying; fixed at T2 once Proceeding (§17.1.2.2).
 */
import {
  type ClientEffect,
  type ClientInput,
  type Machine,
  type NictTimer,
  type Step,
  type TransactionContext,
  cancelTimer,
  classifyStatus,
  startTimer,
  timerDuration,
  unchanged,
} from './types.ts';

export type NictState =
  | { readonly name: 'Idle' }
  /** timerE: the interval Timer E is currently armed with (unused on reliable transports). */
  | { readonly name: 'Trying'; readonly timerE: number }
  | { readonly name: 'Proceeding' }
  | { readonly name: 'Completed' }
  | { readonly name: 'Terminated' };

export type NictInput = ClientInput<NictTimer>;
export type NictEffect = ClientEffect<NictTimer>;
type Result = Step<NictState, NictEffect>;
type Trying = Extract<NictState, { name: 'Trying' }>;
type Proceeding = Extract<NictState, { name: 'Proceeding' }>;

const PROCEEDING: NictState = { name: 'Proceeding' };
const COMPLETED: NictState = { name: 'Completed' };
const TERMINATED: NictState = { name: 'Terminated' };

export function nonInviteClientStep(
  state: NictState,
  input: NictInput,
  ctx: TransactionContext,
): Result {
  switch (state.name) {
    case 'Idle':
      return idle(state, input, ctx);
    case 'Trying':
    case 'Proceeding':
      return waiting(state, input, ctx);
    case 'Completed':
      return completed(state, input);
    case 'Terminated':
      // §17.1.2.2: destroyed the instant it enters Terminated; late inputs find nothing to do.
      return unchanged(state);
  }
}

export const nonInviteClient: Machine<NictState, NictInput, NictEffect> = {
  initial: { name: 'Idle' },
  step: nonInviteClientStep,
};

function idle(state: NictState, input: NictInput, ctx: TransactionContext): Result {
  switch (input.type) {
    case 'send': {
      // §17.1.2.2: the request goes to the transport; Timer F = 64·T1 always,
      // Timer E = T1 on unreliable transports only.
      const effects: NictEffect[] = [{ type: 'transmit-request' }, startTimer('F', ctx)];
      if (!ctx.reliable) effects.push(startTimer('E', ctx));
      return { state: { name: 'Trying', timerE: timerDuration('E', ctx) }, effects };
    }
    case 'response':
    case 'timer':
    case 'transport-error':
      // Nothing was sent yet, so nothing can answer, expire or fail.
      return unchanged(state);
  }
}

/** Timers armed in Trying and Proceeding, cancelled when they are left. */
function leaveWaiting(ctx: TransactionContext): NictEffect[] {
  return ctx.reliable ? [cancelTimer('F')] : [cancelTimer('E'), cancelTimer('F')];
}

/** Trying and Proceeding differ only in how Timer E is re-armed (§17.1.2.2). */
function waiting(state: Trying | Proceeding, input: NictInput, ctx: TransactionContext): Result {
  switch (input.type) {
    case 'response':
      return waitingResponse(state, input.status, ctx);
    case 'timer':
      return waitingTimer(state, input.timer, ctx);
    case 'transport-error':
      // §17.1.2.2 (Figure 6) and §17.1.4: inform the TU (§8.1.3.1: it acts as
      // on a 503), Terminated.
      return {
        state: TERMINATED,
        effects: [...leaveWaiting(ctx), { type: 'transport-failure' }, { type: 'terminated' }],
      };
    case 'send':
      // Already sent.
      return unchanged(state);
  }
}

function waitingResponse(
  state: Trying | Proceeding,
  status: number,
  ctx: TransactionContext,
): Result {
  switch (classifyStatus(status)) {
    case '1xx':
      // §17.1.2.2: a provisional response goes up to the TU; Trying → Proceeding.
      // Timer E keeps running (it now re-arms with T2).
      return { state: PROCEEDING, effects: [{ type: 'deliver', status }] };
    case '2xx':
    case '3xx-6xx':
      // §17.1.2.2: a final response (200–699) goes up to the TU, → Completed,
      // Timer K = T4 (unreliable) or 0 (reliable) to absorb retransmissions.
      return {
        state: COMPLETED,
        effects: [...leaveWaiting(ctx), { type: 'deliver', status }, startTimer('K', ctx)],
      };
    case undefined:
      // Not a SIP status code (§7.2): ignore.
      return unchanged(state);
  }
}

function waitingTimer(
  state: Trying | Proceeding,
  timer: NictTimer,
  ctx: TransactionContext,
): Result {
  switch (timer) {
    case 'E': {
      if (ctx.reliable) return unchanged(state); // never started on reliable transports
      // §17.1.2.2: retransmit; in Trying re-arm with MIN(2·E, T2), in
      // Proceeding with T2.
      const next =
        state.name === 'Trying' ? Math.min(2 * state.timerE, ctx.timers.t2) : ctx.timers.t2;
      const nextState: NictState =
        state.name === 'Trying' ? { name: 'Trying', timerE: next } : state;
      return {
        state: nextState,
        effects: [{ type: 'transmit-request' }, { type: 'start-timer', timer: 'E', ms: next }],
      };
    }
    case 'F': {
      // §17.1.2.2: Timer F in Trying or Proceeding → inform the TU of the
      // timeout (§8.1.3.1: it acts as on a 408), Terminated.
      const effects: NictEffect[] = ctx.reliable ? [] : [cancelTimer('E')];
      effects.push({ type: 'timeout', timer: 'F' }, { type: 'terminated' });
      return { state: TERMINATED, effects };
    }
    case 'K':
      // Not armed before Completed: stale.
      return unchanged(state);
  }
}

function completed(state: NictState, input: NictInput): Result {
  switch (input.type) {
    case 'response':
      // §17.1.2.2: Completed buffers (absorbs) response retransmissions.
      return unchanged(state);
    case 'timer':
      // §17.1.2.2: Timer K fires in Completed → Terminated. Others are stale.
      return input.timer === 'K'
        ? { state: TERMINATED, effects: [{ type: 'terminated' }] }
        : unchanged(state);
    case 'transport-error':
      // Figure 6: no arc; nothing is sent in Completed, so no error can be ours.
      return unchanged(state);
    case 'send':
      return unchanged(state);
  }
}
