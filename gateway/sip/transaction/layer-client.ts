/**
 * A client transaction as the layer runs it: an ICT or NICT machine
 * (invite-client.ts, non-invite-client.ts) plus what the machine leaves to
 * its driver — the bytes to (re)send, the ACK for a 3xx–6xx (§17.1.1.3),
 * the responses the TU gets in place of a timeout or transport failure
 * (§8.1.3.1), and CANCEL (§9.1).
 */
import { serializeMessage } from '../message/serialize.ts';
import type { HeaderField, SipRequest, SipResponse } from '../message/types.ts';
import type { Clock, TimerHandle } from '../transport/clock.ts';
import type { Destination, SendCallback } from '../transport/types.ts';
import type { Logger } from '../../log.ts';
import { InputQueue, TimerSet, cancelFor, localResponse, non2xxAck } from './layer-support.ts';
import type {
  ClientEffect,
  ClientInput,
  ClientTimer,
  Machine,
  TransactionContext,
} from './types.ts';

/** Where a final response handed to the TU came from. */
export type ResponseSource =
  /** Received from the network. */
  | 'network'
  /** Timer B or F fired: a local 408 (§8.1.3.1). */
  | 'timeout'
  /** The transport failed: a local 503 (§8.1.3.1). */
  | 'transport-error'
  /** CANCELled and no final response within 64·T1: a local 487 (§9.1). */
  | 'cancelled'
  /** Refused before sending: too many transactions, or the stack is closed (local 503). */
  | 'overload';

export interface ClientHandlers {
  /** Each provisional response (100 included), in arrival order. */
  onProvisional?: (response: SipResponse) => void;
  /** The final response: exactly once per transaction. */
  onFinal: (response: SipResponse, source: ResponseSource) => void;
  /**
   * INVITE only: each further 2xx while Accepted — retransmissions and 2xx
   * from other forks (RFC 6026 §8.4). The TU ACKs every one (§13.2.2.4).
   */
  onAdditional2xx?: (response: SipResponse) => void;
}

/** The TU's handle on a request it sent. */
export interface ClientTransaction {
  /** The request as sent, with the layer's Via on top. */
  readonly request: SipRequest;
  readonly destination: Destination;
  /** Branch of our Via (§8.1.1.7). */
  readonly branch: string;
  /** The machine's state name; "Terminated" once destroyed. */
  readonly state: string;
  /**
   * INVITE only (§9.1): sends CANCEL once a provisional response has
   * arrived (at once if one has); no effect after a final response. The
   * INVITE then ends with the server's 487, or a local 487 after 64·T1.
   * `headers` go on the CANCEL (RFC 3326 Reason: "SIP;cause=200;text=…").
   */
  cancel(headers?: readonly HeaderField[]): void;
}

/** What a client transaction needs from the layer. */
export interface ClientHost {
  readonly clock: Clock;
  readonly log: Logger;
  transmit(data: Buffer, dest: Destination, done: SendCallback): boolean;
  /** Sends the CANCEL for this INVITE as a client transaction of its own (§9.1). */
  sendCancel(invite: ClientTx, cancel: SipRequest): void;
  removed(tx: ClientTx): void;
  /** A TU callback threw. */
  report(err: unknown, what: string): void;
}

type Input<T extends ClientTimer> =
  | Exclude<ClientInput<T>, { type: 'response' }>
  | { readonly type: 'response'; readonly status: number; readonly response: SipResponse };

const TRANSPORT_ERROR = { type: 'transport-error' } as const;
const SEND = { type: 'send' } as const;

/** What the layer keeps in its maps, whichever machine runs inside. */
export interface ClientTx extends ClientTransaction {
  readonly key: string;
  readonly alive: boolean;
  readonly awaitingFinal: boolean;
  start(): void;
  receive(response: SipResponse): void;
  transportError(): void;
  abandon(status: number, reason: string, source: ResponseSource): void;
  refuse(reason: string): void;
  /** Drops the transaction without a word (shutdown). */
  discard(): void;
}

export class ClientTxImpl<S extends { readonly name: string }, T extends ClientTimer>
  extends InputQueue<Input<T>>
  implements ClientTx
{
  alive = true;
  private current: S;
  private readonly timers: TimerSet<T>;
  /** The request's bytes, until no retransmission can follow (kept small while completed). */
  private data: Buffer | undefined;
  private ack: Buffer | undefined;
  private finalDelivered = false;
  private provisionalSeen = false;
  private cancelState: 'none' | 'wanted' | 'sent' = 'none';
  private cancelHeaders: readonly HeaderField[] = [];
  /** Inside sendRequest: a final response now (failed send) must wait until the TU has its handle. */
  private starting = false;
  private guard: TimerHandle | undefined;

  constructor(
    private readonly machine: Machine<S, ClientInput<T>, ClientEffect<T>>,
    private readonly ctx: TransactionContext,
    readonly key: string,
    readonly branch: string,
    readonly request: SipRequest,
    readonly destination: Destination,
    private readonly handlers: ClientHandlers,
    private readonly host: ClientHost,
  ) {
    super();
    this.current = machine.initial;
    this.data = serializeMessage(request);
    this.timers = new TimerSet<T>(host.clock, (timer) => {
      this.push({ type: 'timer', timer });
    });
  }

  get state(): string {
    return this.alive ? this.current.name : 'Terminated';
  }

  /** True until a final response (real or local) went to the TU. */
  get awaitingFinal(): boolean {
    return !this.finalDelivered;
  }

  start(): void {
    this.starting = true;
    try {
      this.push(SEND);
    } finally {
      this.starting = false;
    }
  }

  receive(response: SipResponse): void {
    this.push({ type: 'response', status: response.status, response });
  }

  transportError(): void {
    if (this.alive) this.push(TRANSPORT_ERROR);
  }

  cancel(headers: readonly HeaderField[] = []): void {
    if (this.request.method !== 'INVITE' || !this.alive || this.finalDelivered) return;
    if (this.cancelState !== 'none') return;
    this.cancelHeaders = headers;
    if (this.provisionalSeen) this.sendCancel();
    else this.cancelState = 'wanted'; // §9.1: not before a provisional response
  }

  /**
   * Ends the transaction outside its machine, when no response can come any
   * more (the connection it went out on closed; §9.1 64·T1 after CANCEL),
   * and gives the TU a local final response if it has none yet.
   */
  abandon(status: number, reason: string, source: ResponseSource): void {
    if (!this.alive) return;
    this.destroy();
    this.finish(localResponse(this.request, status, reason), source);
  }

  /** Refuses the request before anything is sent; the TU hears of it on the next turn. */
  refuse(reason: string): void {
    this.alive = false;
    this.data = undefined;
    this.host.clock.setTimer(0, () => {
      this.finish(localResponse(this.request, 503, reason), 'overload');
    });
  }

  discard(): void {
    this.alive = false;
    this.timers.clear();
    this.clearGuard();
  }

  /** Completion of a send: a failure reported later counts as a transport error too (§17.1.4). */
  readonly sendDone: SendCallback = (err) => {
    if (err && this.alive) {
      this.host.log.debug({ err, branch: this.branch }, 'client transaction send failed');
      this.push(TRANSPORT_ERROR);
    }
  };

  protected run(input: Input<T>): void {
    if (!this.alive) return;
    const { state, effects } = this.machine.step(this.current, input, this.ctx);
    this.current = state;
    this.applyEffects(
      effects,
      (effect) => this.apply(effect, input),
      TRANSPORT_ERROR,
      () => this.alive,
    );
  }

  /** Applies one effect; false when it was a transmission that failed. */
  private apply(effect: ClientEffect<T>, input: Input<T>): boolean {
    switch (effect.type) {
      case 'start-timer':
        this.timers.start(effect.timer, effect.ms);
        return true;
      case 'cancel-timer':
        this.timers.cancel(effect.timer);
        return true;
      case 'transmit-request':
        return (
          this.data !== undefined && this.host.transmit(this.data, this.destination, this.sendDone)
        );
      case 'transmit-ack':
        return (
          input.type === 'response' &&
          this.host.transmit(this.ackFor(input.response), this.destination, this.sendDone)
        );
      case 'deliver':
        if (input.type === 'response') this.deliver(input.response);
        return true;
      case 'timeout':
        this.finish(localResponse(this.request, 408, 'Request Timeout'), 'timeout');
        return true;
      case 'transport-failure':
        this.finish(localResponse(this.request, 503, 'Service Unavailable'), 'transport-error');
        return true;
      case 'terminated':
        this.destroy();
        return true;
    }
  }

  /** §17.1.1.3: built once; a retransmitted final response gets the same ACK again. */
  private ackFor(response: SipResponse): Buffer {
    this.ack ??= serializeMessage(non2xxAck(this.request, response));
    return this.ack;
  }

  private deliver(response: SipResponse): void {
    if (response.status < 200) {
      this.provisionalSeen = true;
      if (this.cancelState === 'wanted') this.sendCancel();
      this.call('onProvisional', () => this.handlers.onProvisional?.(response));
    } else if (!this.finalDelivered) {
      this.finish(response, 'network');
    } else {
      this.call('onAdditional2xx', () => this.handlers.onAdditional2xx?.(response));
    }
  }

  private finish(response: SipResponse, source: ResponseSource): void {
    if (this.finalDelivered) return;
    this.finalDelivered = true;
    this.data = undefined; // §17.1.1.2, §17.1.2.2: the request is never sent again
    this.clearGuard();
    const deliver = (): void => this.call('onFinal', () => this.handlers.onFinal(response, source));
    // A send that failed inside sendRequest: the TU gets its handle back first.
    if (this.starting) this.host.clock.setTimer(0, deliver);
    else deliver();
  }

  private sendCancel(): void {
    this.cancelState = 'sent';
    const cancel = cancelFor(this.request);
    for (const h of this.cancelHeaders) cancel.headers.push({ ...h });
    this.host.sendCancel(this, cancel);
    // §9.1: no final response 64·T1 after the CANCEL → consider the INVITE cancelled.
    this.guard = this.host.clock.setTimer(64 * this.ctx.timers.t1, () => {
      this.guard = undefined;
      this.abandon(487, 'Request Terminated', 'cancelled');
    });
  }

  private clearGuard(): void {
    if (this.guard === undefined) return;
    this.host.clock.clearTimer(this.guard);
    this.guard = undefined;
  }

  private destroy(): void {
    this.alive = false;
    this.timers.clear();
    this.clearGuard();
    this.host.removed(this);
  }

  private call(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.host.report(err, what);
    }
  }
}
