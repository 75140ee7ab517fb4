/**
 * Non-INVITE server transaction (NIST): RFC 3261 §17.2.2 (Figure 8), with
 * the transport-error rule of RFC 6026 §8.8.
 *
 *   Idle ─request→ Trying ─1xx from TU→ Proceeding
 *   Trying|Proceeding ─200–699 from TU→ Completed ─Timer J→ Terminated
 *
 * Transport errors: Figure 8 sends Proceeding and Completed to Terminated,
 * but RFC 6026 §8.8 rewrote the text those arcs come from (§17.2.4, which
 * covers every server transaction): the TU is informed and the transaction
 * "MUST remain in the current state", so that it keeps absorbing
 * retransmissions. Completed still ends with Timer J; a Proceeding
 * transaction ends once the TU sends its final response, which §8.2 obliges
 * it to do.
 *
 * Unlike the IST, the NIST never sends 100 Trying on its own (§17.2.2).
 */
import {
  type Machine,
  type NistTimer,
  type ServerEffect,
  type ServerInput,
  type Step,
  type TransactionContext,
  classifyStatus,
  startTimer,
  unchanged,
} from './types.ts';

export type NistState =
  | { readonly name: 'Idle' }
  | { readonly name: 'Trying' }
  /** provisional: status of the most recent provisional response sent. */
  | { readonly name: 'Proceeding'; readonly provisional: number }
  /** status: the final response sent. */
  | { readonly name: 'Completed'; readonly status: number }
  | { readonly name: 'Terminated' };

export type NistInput = ServerInput<NistTimer>;
export type NistEffect = ServerEffect<NistTimer>;
type Result = Step<NistState, NistEffect>;
type Trying = Extract<NistState, { name: 'Trying' }>;
type Proceeding = Extract<NistState, { name: 'Proceeding' }>;
type Completed = Extract<NistState, { name: 'Completed' }>;

const TRYING: NistState = { name: 'Trying' };
const TERMINATED: NistState = { name: 'Terminated' };

export function nonInviteServerStep(
  state: NistState,
  input: NistInput,
  ctx: TransactionContext,
): Result {
  switch (state.name) {
    case 'Idle':
      return idle(state, input);
    case 'Trying':
      return trying(state, input, ctx);
    case 'Proceeding':
      return proceeding(state, input, ctx);
    case 'Completed':
      return completed(state, input);
    case 'Terminated':
      // §17.2.2: destroyed the instant it enters Terminated; late inputs find nothing to do.
      return unchanged(state);
  }
}

export const nonInviteServer: Machine<NistState, NistInput, NistEffect> = {
  initial: { name: 'Idle' },
  step: nonInviteServerStep,
};

function idle(state: NistState, input: NistInput): Result {
  switch (input.type) {
    case 'request':
      // §17.2.2: the request creates the transaction in Trying and goes up to the TU.
      return { state: TRYING, effects: [{ type: 'deliver-request' }] };
    case 'ack':
    case 'tu-response':
    case 'timer':
    case 'transport-error':
      // Only the request itself can start the transaction.
      return unchanged(state);
  }
}

function trying(state: Trying, input: NistInput, ctx: TransactionContext): Result {
  switch (input.type) {
    case 'request':
      // §17.2.2: retransmissions received in Trying are discarded.
      return unchanged(state);
    case 'tu-response':
      return tuResponse(state, input.status, ctx);
    case 'ack':
      // §17.2.3: an ACK only ever matches an INVITE transaction.
      return unchanged(state);
    case 'timer':
      // No timer runs in Trying: stale.
      return unchanged(state);
    case 'transport-error':
      // Nothing has been sent yet, so no error can be ours.
      return unchanged(state);
  }
}

function proceeding(state: Proceeding, input: NistInput, ctx: TransactionContext): Result {
  switch (input.type) {
    case 'request':
      // §17.2.2: a retransmission in Proceeding gets the most recent provisional response.
      return { state, effects: [{ type: 'transmit-response', status: state.provisional }] };
    case 'tu-response':
      return tuResponse(state, input.status, ctx);
    case 'transport-error':
      // RFC 6026 §8.8 (see top of file): inform the TU, remain in Proceeding.
      return { state, effects: [{ type: 'transport-failure' }] };
    case 'ack':
    case 'timer':
      // §17.2.3: ACKs never match a non-INVITE transaction; no timer runs here.
      return unchanged(state);
  }
}

/** A response from the TU in Trying or Proceeding. */
function tuResponse(state: Trying | Proceeding, status: number, ctx: TransactionContext): Result {
  const send: NistEffect = { type: 'transmit-response', status };
  switch (classifyStatus(status)) {
    case '1xx':
      // §17.2.2: a provisional response is sent; Trying → Proceeding (or stay there).
      return { state: { name: 'Proceeding', provisional: status }, effects: [send] };
    case '2xx':
    case '3xx-6xx':
      // §17.2.2: a final response (200–699) is sent; → Completed with Timer J =
      // 64·T1 (unreliable) or 0 (reliable).
      return { state: { name: 'Completed', status }, effects: [send, startTimer('J', ctx)] };
    case undefined:
      // Not a SIP status code (§7.2): nothing to send.
      return unchanged(state);
  }
}

function completed(state: Completed, input: NistInput): Result {
  switch (input.type) {
    case 'request':
      // §17.2.2: a retransmission in Completed gets the final response again.
      return { state, effects: [{ type: 'transmit-response', status: state.status }] };
    case 'tu-response':
      // §17.2.2: further final responses from the TU MUST be discarded.
      return unchanged(state);
    case 'timer':
      // §17.2.2: Timer J fires in Completed → Terminated.
      return { state: TERMINATED, effects: [{ type: 'terminated' }] };
    case 'transport-error':
      // RFC 6026 §8.8 (see top of file): inform the TU, remain Completed until Timer J.
      return { state, effects: [{ type: 'transport-failure' }] };
    case 'ack':
      // §17.2.3: ACKs never match a non-INVITE transaction.
      return unchanged(state);
  }
}
