/**
 * INVITE server transaction (IST): RFC 3261 §17.2.1 with the Accepted state
 * and Timer L of RFC 6026 §7.1 / §8.5–§8.7 (its Figure 5 replaces RFC 3261
 * Figure 7) and the transport-error rule of RFC 6026 §8.8.
 *
 *   Idle ─INVITE→ Proceeding ─2xx from TU→ Accepted ─Timer L→ Terminated
 *   Proceeding ─3xx–6xx from TU→ Completed ─ACK→ Confirmed ─Timer I→ Terminated
 *   Completed ─Timer H→ Terminated
 *
 * 100 Trying: §17.2.1 wants one "unless it knows that the TU will generate a
 * provisional or final response within 200 ms". The machine arms the
 * 'trying' timer (TimerConfig.tryingDelay, default 200 ms) and asks for a
 * 100 (`transmit-trying`) only if it fires before the TU has answered, so a
 * TU that rejects at once (401, 403, 486 …) costs one message, not two. With
 * tryingDelay = 0 the 100 goes out as soon as the INVITE arrives.
 *
 * The 2xx is never retransmitted by the transaction: in Accepted the TU (the
 * UAS core, §13.3.1.4) retransmits it through `tu-response`, and the
 * transaction just passes each copy on (RFC 6026 §8.7).
 */
import {
  type IstTimer,
  type Machine,
  type ServerEffect,
  type ServerInput,
  type Step,
  type TransactionContext,
  cancelTimer,
  classifyStatus,
  startTimer,
  timerDuration,
  unchanged,
} from './types.ts';

export type IstState =
  | { readonly name: 'Idle' }
  /**
   * provisional: status of the most recent provisional response sent (the
   * one a retransmitted INVITE gets again), undefined while none was;
   * tryingPending: the 'trying' timer is armed.
   */
  | {
      readonly name: 'Proceeding';
      readonly provisional: number | undefined;
      readonly tryingPending: boolean;
    }
  | { readonly name: 'Accepted' }
  /** status: the final response sent; timerG: interval Timer G is armed with (unreliable only). */
  | { readonly name: 'Completed'; readonly status: number; readonly timerG: number }
  | { readonly name: 'Confirmed' }
  | { readonly name: 'Terminated' };

export type IstInput = ServerInput<IstTimer>;
export type IstEffect = ServerEffect<IstTimer>;
type Result = Step<IstState, IstEffect>;
type Proceeding = Extract<IstState, { name: 'Proceeding' }>;
type Completed = Extract<IstState, { name: 'Completed' }>;

const ACCEPTED: IstState = { name: 'Accepted' };
const CONFIRMED: IstState = { name: 'Confirmed' };
const TERMINATED: IstState = { name: 'Terminated' };
/** Proceeding once a 100 Trying went out. */
const TRYING_SENT: IstState = { name: 'Proceeding', provisional: 100, tryingPending: false };

export function inviteServerStep(
  state: IstState,
  input: IstInput,
  ctx: TransactionContext,
): Result {
  switch (state.name) {
    case 'Idle':
      return idle(state, input, ctx);
    case 'Proceeding':
      return proceeding(state, input, ctx);
    case 'Accepted':
      return accepted(state, input);
    case 'Completed':
      return completed(state, input, ctx);
    case 'Confirmed':
      return confirmed(state, input);
    case 'Terminated':
      // §17.2.1: destroyed the instant it enters Terminated; late inputs find nothing to do.
      return unchanged(state);
  }
}

export const inviteServer: Machine<IstState, IstInput, IstEffect> = {
  initial: { name: 'Idle' },
  step: inviteServerStep,
};

function idle(state: IstState, input: IstInput, ctx: TransactionContext): Result {
  switch (input.type) {
    case 'request': {
      // §17.2.1: the INVITE creates the transaction in Proceeding and goes up
      // to the TU; 100 Trying now or after the 'trying' delay (see top of file).
      const delay = timerDuration('trying', ctx);
      if (delay === 0) {
        return {
          state: TRYING_SENT,
          effects: [{ type: 'deliver-request' }, { type: 'transmit-trying' }],
        };
      }
      return {
        state: { name: 'Proceeding', provisional: undefined, tryingPending: true },
        effects: [{ type: 'deliver-request' }, { type: 'start-timer', timer: 'trying', ms: delay }],
      };
    }
    case 'ack':
    case 'tu-response':
    case 'timer':
    case 'transport-error':
      // Only the INVITE itself can start the transaction.
      return unchanged(state);
  }
}

function proceeding(state: Proceeding, input: IstInput, ctx: TransactionContext): Result {
  switch (input.type) {
    case 'request':
      return proceedingRetransmission(state);
    case 'tu-response':
      return proceedingTuResponse(state, input.status, ctx);
    case 'timer':
      // §17.2.1: the TU stayed silent for 200 ms → send 100 Trying on its behalf.
      return input.timer === 'trying' && state.tryingPending
        ? { state: TRYING_SENT, effects: [{ type: 'transmit-trying' }] }
        : unchanged(state);
    case 'transport-error':
      // RFC 6026 §8.8 (replacing §17.2.4) and Figure 5: inform the TU and
      // remain in the current state, still absorbing retransmissions.
      return { state, effects: [{ type: 'transport-failure' }] };
    case 'ack':
      // No final response was sent, so no ACK can belong here (Figure 5 has no arc).
      return unchanged(state);
  }
}

function proceedingRetransmission(state: Proceeding): Result {
  // §17.2.1: a retransmitted INVITE gets the most recent provisional response again.
  if (state.provisional !== undefined) {
    return { state, effects: [{ type: 'transmit-response', status: state.provisional }] };
  }
  // None sent yet and the 'trying' timer still armed: the client has waited
  // a whole retransmission interval, so the 100 §17.2.1 owes it goes out now.
  return { state: TRYING_SENT, effects: [cancelTimer('trying'), { type: 'transmit-trying' }] };
}

function proceedingTuResponse(state: Proceeding, status: number, ctx: TransactionContext): Result {
  // Any response from the TU makes the 100 Trying unnecessary (§17.2.1).
  const stop: IstEffect[] = state.tryingPending ? [cancelTimer('trying')] : [];
  const send: IstEffect = { type: 'transmit-response', status };
  switch (classifyStatus(status)) {
    case '1xx':
      // §17.2.1: each provisional response from the TU is sent (not
      // retransmitted by the transaction); it becomes the one a
      // retransmitted INVITE gets. No state change.
      return {
        state: { name: 'Proceeding', provisional: status, tryingPending: false },
        effects: [...stop, send],
      };
    case '2xx':
      // RFC 6026 §8.5: the 2xx is sent, not retransmitted by the transaction;
      // → Accepted with Timer L = 64·T1 (§8.7).
      return { state: ACCEPTED, effects: [...stop, send, startTimer('L', ctx)] };
    case '3xx-6xx': {
      // §17.2.1: sent, → Completed; Timer G = T1 on unreliable transports only,
      // Timer H = 64·T1 for all transports.
      const effects: IstEffect[] = [...stop, send];
      if (!ctx.reliable) effects.push(startTimer('G', ctx));
      effects.push(startTimer('H', ctx));
      return { state: { name: 'Completed', status, timerG: timerDuration('G', ctx) }, effects };
    }
    case undefined:
      // Not a SIP status code (§7.2): nothing to send.
      return unchanged(state);
  }
}

function accepted(state: IstState, input: IstInput): Result {
  switch (input.type) {
    case 'request':
      // RFC 6026 §7.1, §8.7: INVITE retransmissions are absorbed, not passed up.
      return unchanged(state);
    case 'ack':
      // RFC 6026 §7.1, §8.7: ACKs arriving in Accepted go up to the TU (matched
      // here when the client reused the INVITE branch or is an RFC 2543 one, §6).
      return { state, effects: [{ type: 'deliver-ack' }] };
    case 'tu-response':
      // RFC 6026 §8.7: each 2xx (retransmission) from the TU is sent; other
      // responses are discarded, the transaction already has its final answer.
      return classifyStatus(input.status) === '2xx'
        ? { state, effects: [{ type: 'transmit-response', status: input.status }] }
        : unchanged(state);
    case 'timer':
      // RFC 6026 §8.7: Timer L fires in Accepted → Terminated. Others are stale.
      return input.timer === 'L'
        ? { state: TERMINATED, effects: [{ type: 'terminated' }] }
        : unchanged(state);
    case 'transport-error':
      // RFC 6026 §8.8 and Figure 5: inform the TU, remain Accepted.
      return { state, effects: [{ type: 'transport-failure' }] };
  }
}

function completed(state: Completed, input: IstInput, ctx: TransactionContext): Result {
  switch (input.type) {
    case 'request':
      // §17.2.1: a retransmitted INVITE gets the final response again.
      return { state, effects: [{ type: 'transmit-response', status: state.status }] };
    case 'ack': {
      // §17.2.1: ACK → Confirmed; G and H stop, Timer I = T4 (unreliable) or 0
      // (reliable). The ACK for a non-2xx is absorbed, not passed up.
      const effects: IstEffect[] = ctx.reliable ? [] : [cancelTimer('G')];
      effects.push(cancelTimer('H'), startTimer('I', ctx));
      return { state: CONFIRMED, effects };
    }
    case 'timer':
      return completedTimer(state, input.timer, ctx);
    case 'tu-response':
      // The final response is sent; later ones from the TU are discarded.
      return unchanged(state);
    case 'transport-error':
      // RFC 6026 §8.8 and Figure 5: inform the TU, remain Completed (Timer H still ends it).
      return { state, effects: [{ type: 'transport-failure' }] };
  }
}

function completedTimer(state: Completed, timer: IstTimer, ctx: TransactionContext): Result {
  switch (timer) {
    case 'G': {
      if (ctx.reliable) return unchanged(state); // never started on reliable transports
      // §17.2.1: retransmit the final response; re-arm with MIN(2·G, T2).
      const next = Math.min(2 * state.timerG, ctx.timers.t2);
      return {
        state: { name: 'Completed', status: state.status, timerG: next },
        effects: [
          { type: 'transmit-response', status: state.status },
          { type: 'start-timer', timer: 'G', ms: next },
        ],
      };
    }
    case 'H': {
      // §17.2.1: no ACK came → Terminated, and the TU MUST learn of the failure.
      // (RFC 6026 Figure 5 labels this arc "-", but the §17.2.1 text it leaves
      // in force requires the indication.)
      const effects: IstEffect[] = ctx.reliable ? [] : [cancelTimer('G')];
      effects.push({ type: 'timeout', timer: 'H' }, { type: 'terminated' });
      return { state: TERMINATED, effects };
    }
    case 'trying':
    case 'I':
    case 'L':
      // Not armed in Completed: stale.
      return unchanged(state);
  }
}

function confirmed(state: IstState, input: IstInput): Result {
  switch (input.type) {
    case 'request':
    case 'ack':
      // §17.2.1: Confirmed absorbs further ACKs (and late INVITE copies).
      return unchanged(state);
    case 'timer':
      // §17.2.1: Timer I fires → Terminated. Others are stale.
      return input.timer === 'I'
        ? { state: TERMINATED, effects: [{ type: 'terminated' }] }
        : unchanged(state);
    case 'tu-response':
    case 'transport-error':
      // Nothing is sent from Confirmed; a late error concerns a copy the ACK already answered.
      return unchanged(state);
  }
}
