/**
 * A server transaction as the layer runs it: an IST or NIST machine
 * (invite-server.ts, non-invite-server.ts) plus the messages it sends — the
 * TU's responses, kept for retransmission, and the 100 Trying it builds
 * itself (§8.2.6.1, §17.2.1) — and CANCEL of an INVITE (§9.2).
 */
import { createResponse, generateTag, type ResponseOptions } from '../message/build.ts';
import { tagOf, to } from '../message/headers.ts';
import { serializeMessage } from '../message/serialize.ts';
import type { SipRequest, SipResponse } from '../message/types.ts';
import type { Clock } from '../transport/clock.ts';
import type { Destination, Flow, SendCallback } from '../transport/types.ts';
import type { Logger } from '../../log.ts';
import { InputQueue, TimerSet } from './layer-support.ts';
import { type LegacyKeyFields, legacyAckKey } from './keys.ts';
import type {
  Machine,
  ServerEffect,
  ServerInput,
  ServerTimer,
  TransactionContext,
} from './types.ts';

/** Why a server transaction failed after the TU answered (§17.2.1 Timer H, §17.2.4). */
export type ServerFailure = 'timeout' | 'transport-error';

/** The TU's handle on a request it received. */
export interface ServerTransaction {
  readonly request: SipRequest;
  readonly method: string;
  /** Where the request came from; requests back to that peer can use it. */
  readonly flow: Flow;
  /** The machine's state name; "Terminated" once destroyed. */
  readonly state: string;
  /**
   * The To tag for this transaction's responses: the one the TU's first
   * tagged response carried, else a fresh one. reply() uses it, and so does
   * the 200 the layer sends to a CANCEL (§9.2: "SHOULD be the same").
   */
  readonly toTag: string;
  /** A CANCEL matched this INVITE before its final response (§9.2). */
  readonly cancelled: boolean;
  /**
   * Called when a CANCEL arrives (the layer has answered it 200); the TU
   * then ends the INVITE with 487 (§9.2). Without a handler the layer sends
   * the 487 itself.
   */
  onCancel: ((cancel: SipRequest) => void) | undefined;
  /** Timer H fired without an ACK, or a response could not be sent. */
  onFailure: ((reason: ServerFailure) => void) | undefined;
  /** Sends a response built by the TU (createResponse(tx.request, …)). */
  respond(response: SipResponse): void;
  /** Builds the response (with toTag) and sends it. */
  reply(status: number, reason?: string, opts?: Omit<ResponseOptions, 'toTag'>): void;
}

/** What a server transaction needs from the layer. */
export interface ServerHost {
  readonly clock: Clock;
  readonly log: Logger;
  transmit(data: Buffer, dest: Destination, done: SendCallback): boolean;
  deliverAck(ack: SipRequest, tx: ServerTx): void;
  /** RFC 2543 INVITE: an ACK must now find this transaction under `key` too (keys.ts). */
  fileAlias(tx: ServerTx, key: string): void;
  removed(tx: ServerTx): void;
  /** A TU callback threw. */
  report(err: unknown, what: string): void;
}

type Input<T extends ServerTimer> =
  | Exclude<ServerInput<T>, { type: 'ack' } | { type: 'tu-response' }>
  | { readonly type: 'ack'; readonly ack: SipRequest }
  | {
      readonly type: 'tu-response';
      readonly status: number;
      readonly data: Buffer;
      readonly response: SipResponse;
    };

const TRANSPORT_ERROR = { type: 'transport-error' } as const;
const REQUEST = { type: 'request' } as const;

/** What the layer keeps in its maps, whichever machine runs inside. */
export interface ServerTx extends ServerTransaction {
  readonly key: string;
  readonly alive: boolean;
  /** Extra keys it is filed under (RFC 2543 ACK matching); the layer adds to it. */
  readonly aliases: string[];
  start(): void;
  retransmission(): void;
  ack(ack: SipRequest): void;
  cancelledBy(cancel: SipRequest): void;
  /** Drops the transaction without a word (shutdown). */
  discard(): void;
}

export class ServerTxImpl<S extends { readonly name: string }, T extends ServerTimer>
  extends InputQueue<Input<T>>
  implements ServerTx
{
  alive = true;
  cancelled = false;
  onCancel: ((cancel: SipRequest) => void) | undefined = undefined;
  onFailure: ((reason: ServerFailure) => void) | undefined = undefined;
  readonly aliases: string[] = [];
  readonly method: string;
  private current: S;
  private readonly timers: TimerSet<T>;
  /** The most recent response sent: what a retransmitted request gets again. */
  private last: Buffer | undefined;
  private tag: string | undefined;

  constructor(
    private readonly machine: Machine<S, ServerInput<T>, ServerEffect<T>>,
    private readonly ctx: TransactionContext,
    readonly key: string,
    readonly request: SipRequest,
    readonly flow: Flow,
    /** Where responses go (§18.2.2), fixed when the request arrived. */
    private readonly dest: Destination,
    /** Set for RFC 2543 requests (no magic cookie): ACKs are matched on these. */
    private readonly legacy: LegacyKeyFields | undefined,
    private readonly deliver: (tx: ServerTx) => void,
    private readonly host: ServerHost,
  ) {
    super();
    this.method = request.method;
    this.current = machine.initial;
    this.timers = new TimerSet<T>(host.clock, (timer) => {
      this.push({ type: 'timer', timer });
    });
  }

  get state(): string {
    return this.alive ? this.current.name : 'Terminated';
  }

  get toTag(): string {
    this.tag ??= generateTag();
    return this.tag;
  }

  start(): void {
    this.push(REQUEST);
  }

  retransmission(): void {
    this.push(REQUEST);
  }

  ack(ack: SipRequest): void {
    this.push({ type: 'ack', ack });
  }

  respond(response: SipResponse): void {
    if (!this.alive) {
      this.host.log.debug(
        { status: response.status, method: this.method },
        'response after the transaction ended: not sent',
      );
      return;
    }
    const data = serializeMessage(response);
    this.push({ type: 'tu-response', status: response.status, data, response });
  }

  reply(status: number, reason?: string, opts: Omit<ResponseOptions, 'toTag'> = {}): void {
    const options: ResponseOptions = status === 100 ? opts : { ...opts, toTag: this.toTag };
    this.respond(createResponse(this.request, status, reason, options));
  }

  /** §9.2: a CANCEL only matters while no final response was sent. */
  cancelledBy(cancel: SipRequest): void {
    if (!this.alive || this.current.name !== 'Proceeding') return;
    this.cancelled = true;
    const handler = this.onCancel;
    if (handler === undefined) {
      this.reply(487);
      return;
    }
    try {
      handler(cancel);
    } catch (err) {
      this.host.report(err, 'onCancel');
      this.reply(487);
    }
  }

  discard(): void {
    this.alive = false;
    this.timers.clear();
  }

  /** Completion of a send: a later failure is a transport error too (§17.2.4, RFC 6026 §8.8). */
  private readonly sendDone: SendCallback = (err) => {
    if (err && this.alive) {
      this.host.log.debug({ err, method: this.method }, 'server transaction send failed');
      this.push(TRANSPORT_ERROR);
    }
  };

  protected run(input: Input<T>): void {
    if (!this.alive) return;
    const { state, effects } = this.machine.step(this.current, input, this.ctx);
    this.current = state;
    if (input.type === 'tu-response' && effects.length === 0) {
      this.host.log.debug(
        { status: input.status, state: state.name, method: this.method },
        'response discarded by the transaction',
      );
    }
    this.applyEffects(
      effects,
      (effect) => this.apply(effect, input),
      TRANSPORT_ERROR,
      () => this.alive,
    );
  }

  private apply(effect: ServerEffect<T>, input: Input<T>): boolean {
    switch (effect.type) {
      case 'start-timer':
        this.timers.start(effect.timer, effect.ms);
        return true;
      case 'cancel-timer':
        this.timers.cancel(effect.timer);
        return true;
      case 'transmit-response':
        if (input.type === 'tu-response') this.sent(input.response, input.data);
        return this.last === undefined || this.host.transmit(this.last, this.dest, this.sendDone);
      case 'transmit-trying':
        // §8.2.6.1: built from the INVITE, Timestamp copied.
        this.last = serializeMessage(createResponse(this.request, 100));
        return this.host.transmit(this.last, this.dest, this.sendDone);
      case 'deliver-request':
        this.deliver(this);
        return true;
      case 'deliver-ack':
        if (input.type === 'ack') this.host.deliverAck(input.ack, this);
        return true;
      case 'timeout':
        this.fail('timeout');
        return true;
      case 'transport-failure':
        this.fail('transport-error');
        return true;
      case 'terminated':
        this.alive = false;
        this.timers.clear();
        this.host.removed(this);
        return true;
    }
  }

  /** Keeps what a later retransmission, CANCEL or RFC 2543 ACK needs from a response sent. */
  private sent(response: SipResponse, data: Buffer): void {
    this.last = data;
    if (this.method !== 'INVITE' || response.status === 100) return;
    const toTag =
      this.tag === undefined || this.legacy !== undefined ? readToTag(response) : undefined;
    this.tag ??= toTag;
    if (this.legacy !== undefined && response.status >= 200) {
      // keys.ts: an RFC 2543 ACK carries the To tag of the final response.
      this.host.fileAlias(this, legacyAckKey(this.legacy, toTag));
    }
  }

  private fail(reason: ServerFailure): void {
    const handler = this.onFailure;
    if (handler === undefined) {
      this.host.log.debug({ reason, method: this.method }, 'server transaction failed');
      return;
    }
    try {
      handler(reason);
    } catch (err) {
      this.host.report(err, 'onFailure');
    }
  }
}

function readToTag(response: SipResponse): string | undefined {
  try {
    return tagOf(to(response));
  } catch {
    return undefined;
  }
}
