/**
 * INVITE client transaction (ICT): RFC 3261 §17.1.1 with the Accepted state
 * and Timer M of RFC 6026 §7.2 / §8.4 (its Figure 3 replaces RFC 3261
 * Figure 5).
 *
 *   Idle ─send→ Calling ─1xx→ Proceeding
 *   Calling|Proceeding ─2xx→ Accepted ─Timer M→ Terminated
 *   Calling|Proceeding ─3xx–6xx→ Completed ─Timer D→ Terminated
 *   Calling ─Timer B | transport error→ Terminated
 *   Completed ─transport error→ Terminated
 *
 * The ACK for a 2xx is not this machine's business: the TU sends it in a
 * transaction of its own (§13.2.2.4; RFC 6026 §8.4 "MUST NOT generate an
 * ACK to any 2xx response on its own").
 */
import {
  type ClientEffect,
  type ClientInput,
  type IctTimer,
  type Machine,
  type Step,
  type TransactionContext,
  cancelTimer,
  classifyStatus,
  startTimer,
  timerDuration,
  unchanged,
} from './types.ts';

export type IctState =
  | { readonly name: 'Idle' }
  /** timerA: the interval Timer A is currently armed with (unused on reliable transports). */
  | { readonly name: 'Calling'; readonly timerA: number }
  | { readonly name: 'Proceeding' }
  | { readonly name: 'Completed' }
  | { readonly name: 'Accepted' }
  | { readonly name: 'Terminated' };

export type IctInput = ClientInput<IctTimer>;
export type IctEffect = ClientEffect<IctTimer>;
type Result = Step<IctState, IctEffect>;
type Calling = Extract<IctState, { name: 'Calling' }>;
type Proceeding = Extract<IctState, { name: 'Proceeding' }>;

const PROCEEDING: IctState = { name: 'Proceeding' };
const COMPLETED: IctState = { name: 'Completed' };
const ACCEPTED: IctState = { name: 'Accepted' };
const TERMINATED: IctState = { name: 'Terminated' };

export function inviteClientStep(
  state: IctState,
  input: IctInput,
  ctx: TransactionContext,
): Result {
  switch (state.name) {
    case 'Idle':
      return idle(state, input, ctx);
    case 'Calling':
      return calling(state, input, ctx);
    case 'Proceeding':
      return proceeding(state, input, ctx);
    case 'Completed':
      return completed(state, input);
    case 'Accepted':
      return accepted(state, input);
    case 'Terminated':
      // §17.1.1.2: destroyed the instant it enters Terminated; a late input finds nothing to do.
      return unchanged(state);
  }
}

export const inviteClient: Machine<IctState, IctInput, IctEffect> = {
  initial: { name: 'Idle' },
  step: inviteClientStep,
};

function idle(state: IctState, input: IctInput, ctx: TransactionContext): Result {
  switch (input.type) {
    case 'send': {
      // §17.1.1.2: the INVITE goes to the transport; Timer A = T1 on unreliable
      // transports only ("SHOULD NOT start timer A" on reliable ones); Timer B = 64·T1 always.
      const effects: IctEffect[] = [{ type: 'transmit-request' }];
      if (!ctx.reliable) effects.push(startTimer('A', ctx));
      effects.push(startTimer('B', ctx));
      return { state: { name: 'Calling', timerA: timerDuration('A', ctx) }, effects };
    }
    case 'response':
    case 'timer':
    case 'transport-error':
      // Nothing was sent yet, so nothing can answer, expire or fail.
      return unchanged(state);
  }
}

/** Timers armed in Calling, cancelled when it is left (§17.1.1.2: A only while Calling, B only matters there). */
function leaveCalling(ctx: TransactionContext): IctEffect[] {
  return ctx.reliable ? [cancelTimer('B')] : [cancelTimer('A'), cancelTimer('B')];
}

function calling(state: Calling, input: IctInput, ctx: TransactionContext): Result {
  switch (input.type) {
    case 'response':
      return beforeFinal(state, input.status, ctx);
    case 'timer':
      return callingTimer(state, input.timer, ctx);
    case 'transport-error':
      // §17.1.1.2 (Figure 5) and §17.1.4: inform the TU (§8.1.3.1: it acts as on a 503), Terminated.
      return {
        state: TERMINATED,
        effects: [...leaveCalling(ctx), { type: 'transport-failure' }, { type: 'terminated' }],
      };
    case 'send':
      // Already sent; the TU does not start a transaction twice.
      return unchanged(state);
  }
}

function callingTimer(state: Calling, timer: IctTimer, ctx: TransactionContext): Result {
  switch (timer) {
    case 'A': {
      // §17.1.1.2: retransmit and re-arm A with twice the interval; the
      // doubling has no cap, Timer B ends it (7 transmissions over 64·T1).
      if (ctx.reliable) return unchanged(state); // never started on reliable transports
      const next = state.timerA * 2;
      return {
        state: { name: 'Calling', timerA: next },
        effects: [{ type: 'transmit-request' }, { type: 'start-timer', timer: 'A', ms: next }],
      };
    }
    case 'B': {
      // §17.1.1.2: still Calling when B fires → inform the TU of the timeout
      // (§8.1.3.1: it acts as on a 408), no ACK, Terminated.
      const effects: IctEffect[] = ctx.reliable ? [] : [cancelTimer('A')];
      effects.push({ type: 'timeout', timer: 'B' }, { type: 'terminated' });
      return { state: TERMINATED, effects };
    }
    case 'D':
    case 'M':
      // Not armed in Calling: a stale expiry the layer failed to cancel.
      return unchanged(state);
  }
}

function proceeding(state: Proceeding, input: IctInput, ctx: TransactionContext): Result {
  switch (input.type) {
    case 'response':
      return beforeFinal(state, input.status, ctx);
    case 'timer':
      // No timer runs in Proceeding (§17.1.1.2: A stops, B only acts in Calling).
      return unchanged(state);
    case 'transport-error':
      // Figure 5 (RFC 6026 Figure 3) has no transport-error arc here: the
      // transaction sends nothing in Proceeding, so an error can only concern an
      // earlier transmission whose answer has already arrived.
      return unchanged(state);
    case 'send':
      return unchanged(state);
  }
}

/** A response while no final one has arrived yet (Calling or Proceeding). */
function beforeFinal(state: Calling | Proceeding, status: number, ctx: TransactionContext): Result {
  const leave = state.name === 'Calling' ? leaveCalling(ctx) : [];
  switch (classifyStatus(status)) {
    case '1xx':
      // §17.1.1.2: Calling → Proceeding, retransmissions stop; every
      // provisional response (100 included) goes up to the TU.
      return { state: PROCEEDING, effects: [...leave, { type: 'deliver', status }] };
    case '2xx':
      // RFC 6026 §8.4: → Accepted, the 2xx goes up to the TU, Timer M = 64·T1;
      // the TU, not the transaction, acknowledges it.
      return {
        state: ACCEPTED,
        effects: [...leave, { type: 'deliver', status }, startTimer('M', ctx)],
      };
    case '3xx-6xx':
      // §17.1.1.2: → Completed; ACK even on reliable transports (§17.1.1.3),
      // response up to the TU, Timer D (≥ 32 s unreliable, 0 reliable).
      return {
        state: COMPLETED,
        effects: [
          ...leave,
          { type: 'transmit-ack' },
          { type: 'deliver', status },
          startTimer('D', ctx),
        ],
      };
    case undefined:
      // Not a SIP status code (§7.2): the parser should not let it through; ignore.
      return unchanged(state);
  }
}

function completed(state: IctState, input: IctInput): Result {
  switch (input.type) {
    case 'response':
      // §17.1.1.2: a retransmitted final response is ACKed again but NOT passed
      // up; 1xx and 2xx cannot belong to this transaction any more.
      return classifyStatus(input.status) === '3xx-6xx'
        ? { state, effects: [{ type: 'transmit-ack' }] }
        : unchanged(state);
    case 'timer':
      // §17.1.1.2: Timer D fires in Completed → Terminated. Others are stale.
      return input.timer === 'D'
        ? { state: TERMINATED, effects: [{ type: 'terminated' }] }
        : unchanged(state);
    case 'transport-error':
      // §17.1.1.2 (Figure 5 / RFC 6026 Figure 3): sending the ACK failed →
      // inform the TU, Terminated. The TU already holds its final response.
      return {
        state: TERMINATED,
        effects: [cancelTimer('D'), { type: 'transport-failure' }, { type: 'terminated' }],
      };
    case 'send':
      return unchanged(state);
  }
}

function accepted(state: IctState, input: IctInput): Result {
  switch (input.type) {
    case 'response':
      // RFC 6026 §8.4: each 2xx received in Accepted — retransmissions and 2xx
      // from other branches of a fork — goes up to the TU, which ACKs it; the
      // transaction stays Accepted. Anything else is absorbed.
      return classifyStatus(input.status) === '2xx'
        ? { state, effects: [{ type: 'deliver', status: input.status }] }
        : unchanged(state);
    case 'timer':
      // RFC 6026 §8.4: Timer M fires in Accepted → Terminated. Others are stale.
      return input.timer === 'M'
        ? { state: TERMINATED, effects: [{ type: 'terminated' }] }
        : unchanged(state);
    case 'transport-error':
      // Nothing is sent by the transaction in Accepted (the 2xx ACK belongs to
      // the TU, RFC 6026 §8.4), so no error can be its own.
      return unchanged(state);
    case 'send':
      return unchanged(state);
  }
}
