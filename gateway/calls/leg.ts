/**
 * One side of a B2BUA call: the dialog with one peer (the PBX over UDP, or
 * one browser over its WebSocket), and the UA duties RFC 3261 leaves to
 * the core rather than the transaction layer:
 *
 * - requests within the dialog (§12.2.1.1), with the line's digest
 *   credentials toward the PBX (§22.2: a PBX may challenge a BYE too);
 * - the ACK of every 2xx to our INVITEs, retransmitted 2xx included
 *   (§13.2.2.4);
 * - our own 2xx to the peer's INVITEs, retransmitted over UDP from T1
 *   doubling up to T2 until the ACK arrives, given up after 64·T1
 *   (§13.3.1.4) — the transaction layer hands this to the TU (RFC 6026).
 *
 * The Leg never decides anything about the call: call.ts does.
 */
import { createResponse } from '../sip/message/build.ts';
import { cseq } from '../sip/message/headers.ts';
import type { SipRequest, SipResponse } from '../sip/message/types.ts';
import {
  createAck,
  createInDialogRequest,
  dialogKey,
  nextHop,
  updateFromRequest,
  updateFromResponse,
  type Dialog,
  type InDialogOptions,
  type RequestVerdict,
} from '../sip/dialog/index.ts';
import type { ClientAuthState } from '../sip/auth/client-state.ts';
import {
  udpDestination,
  viaFlow,
  type ClientHandlers,
  type Destination,
  type ResponseSource,
  type ServerTransaction,
  type SipStack,
} from '../sip/stack.ts';
import type { Clock, TimerHandle } from '../sip/transport/clock.ts';
import { sendWithAuth } from '../sip/uac.ts';

export type LegSide = 'client' | 'pbx';

export interface LegEnv {
  readonly sip: SipStack;
  readonly clock: Clock;
  /** §17.1.1.1 T1 and T2 (ms). */
  readonly t1: number;
  readonly t2: number;
}

/** Where a leg's requests go. */
export type LegRoute =
  /** A browser: always over the WebSocket its registration (or INVITE) came on (RFC 7118 §5). */
  | { readonly kind: 'flow'; readonly connectionId: string }
  /** The PBX: the next hop of each request (§8.1.2: top loose Route, else Request-URI). */
  | {
      readonly kind: 'pbx';
      readonly fallback: { readonly host: string; readonly port: number };
      readonly auth: ClientAuthState;
    };

export interface LegResult {
  readonly response: SipResponse;
  readonly source: ResponseSource;
}

interface Pending2xx {
  readonly tx: ServerTransaction;
  readonly response: SipResponse;
  readonly seq: number;
  /** The give-up timer and the retransmission timers armed so far. */
  readonly timers: TimerHandle[];
  readonly done: (ack: SipRequest | undefined) => void;
}

export interface LegRequestOptions extends InDialogOptions {
  /**
   * Sees the request as it goes out (its CSeq), before any answer can come:
   * what the peer sends next may refer to it before its response is handled.
   */
  readonly beforeSend?: (request: SipRequest) => void;
}

export class Leg {
  #dialog: Dialog;
  readonly side: LegSide;
  readonly #env: LegEnv;
  readonly #route: LegRoute;
  /** The ACK we sent for each 2xx of our INVITEs (by CSeq), repeated for retransmissions. */
  readonly #acks = new Map<number, SipRequest>();
  #pending: Pending2xx | undefined;
  /** An INVITE or UPDATE of ours awaits its final response (§14.1 glare, RFC 3311 §5.1). */
  #offering = false;

  constructor(side: LegSide, dialog: Dialog, route: LegRoute, env: LegEnv) {
    this.side = side;
    this.#dialog = dialog;
    this.#route = route;
    this.#env = env;
  }

  get dialog(): Dialog {
    return this.#dialog;
  }

  get key(): string {
    return dialogKey(this.#dialog.id);
  }

  get connectionId(): string | undefined {
    return this.#route.kind === 'flow' ? this.#route.connectionId : undefined;
  }

  /** Our offer is out (re-INVITE/UPDATE), or the peer's INVITE waits for its ACK. */
  get busy(): boolean {
    return this.#offering || this.#pending !== undefined;
  }

  get ended(): boolean {
    return this.#dialog.state === 'terminated';
  }

  /** §12.2.2: checks a request the peer sent in this dialog and applies it. */
  receive(request: SipRequest): RequestVerdict {
    const verdict = updateFromRequest(this.#dialog, request);
    this.#dialog = verdict.dialog;
    return verdict;
  }

  /** Records a response we sent in this dialog (target refresh of our own Contact, §12.2.2). */
  sent(response: SipResponse): void {
    this.#dialog = updateFromResponse(this.#dialog, response);
  }

  /**
   * Sends a request within the dialog and resolves with its final response
   * (a local 408/503 when none came). An INVITE's 2xx is ACKed here, with
   * `ackBody` when the 2xx carried the offer (§13.2.1). Never rejects.
   */
  async request(
    method: string,
    opts: LegRequestOptions = {},
    ackBody?: Buffer,
  ): Promise<LegResult> {
    if (this.ended) return local(method, this.#dialog, 481, 'Call/Transaction Does Not Exist');
    const built = createInDialogRequest(this.#dialog, method, opts);
    this.#dialog = built.dialog;
    opts.beforeSend?.(built.request);
    const offers = method === 'INVITE' || (method === 'UPDATE' && (opts.body?.length ?? 0) > 0);
    if (offers) this.#offering = true;
    try {
      const result = await this.#send(built.request, (res) => this.#ack2xx(built.request, res));
      // The 2xx confirms the remote target; a 481/408 ends the dialog (§12.2.1.2).
      this.#dialog = updateFromResponse(this.#dialog, result.response);
      if (method === 'INVITE' && isSuccess(result.response)) {
        this.#ack2xx(result.request, result.response, ackBody);
      }
      return { response: result.response, source: result.source };
    } finally {
      if (offers) this.#offering = false;
    }
  }

  /**
   * Sends our 2xx to the peer's INVITE and resolves with the peer's ACK, or
   * undefined after 64·T1 without one (§13.3.1.4: the session should then
   * end). Over UDP the 2xx is sent again at T1, 2·T1 … T2 until then.
   */
  respond2xx(tx: ServerTransaction, response: SipResponse): Promise<SipRequest | undefined> {
    this.#settle(undefined);
    this.sent(response);
    tx.respond(response);
    return new Promise((done) => {
      const { t1, t2, clock } = this.#env;
      const pending: Pending2xx = {
        tx,
        response,
        seq: cseq(tx.request).seq,
        timers: [],
        done,
      };
      this.#pending = pending;
      pending.timers.push(clock.setTimer(64 * t1, () => this.#settle(undefined)));
      if (tx.flow.transport !== 'udp') return;
      let interval = t1;
      const retransmit = () => {
        if (this.#pending !== pending) return;
        tx.respond(response);
        interval = Math.min(2 * interval, t2);
        pending.timers.push(clock.setTimer(interval, retransmit));
      };
      pending.timers.push(clock.setTimer(interval, retransmit));
    });
  }

  /** An ACK arrived in this dialog; true when it acknowledged our pending 2xx. */
  ack(ack: SipRequest): boolean {
    const p = this.#pending;
    if (p === undefined || cseq(ack).seq !== p.seq) return false;
    this.#settle(ack);
    return true;
  }

  /** Re-sends the ACK of a retransmitted 2xx (§13.2.2.4); a 2xx of a dialog we never took gets none here. */
  resendAck(response: SipResponse): void {
    const ack = this.#acks.get(cseq(response).seq);
    const dest = this.#destinationFor(ack);
    if (ack !== undefined && dest !== undefined) this.#env.sip.sendAck(ack, dest);
  }

  /** Sends the ACK for the 2xx that created this dialog (the call setup's INVITE). */
  ackInvite(invite: SipRequest, response: SipResponse, body?: Buffer): void {
    this.#dialog = updateFromResponse(this.#dialog, response);
    this.#ack2xx(invite, response, body);
  }

  /** Stops retransmitting and waiting: the call is over. */
  close(): void {
    this.#settle(undefined);
  }

  #settle(ack: SipRequest | undefined): void {
    const p = this.#pending;
    if (p === undefined) return;
    this.#pending = undefined;
    for (const t of p.timers) this.#env.clock.clearTimer(t);
    p.done(ack);
  }

  #ack2xx(invite: SipRequest, response: SipResponse, body?: Buffer): void {
    if (invite.method !== 'INVITE' || !isSuccess(response)) return;
    const seq = cseq(invite).seq;
    let ack = this.#acks.get(seq);
    if (ack === undefined) {
      ack = createAck(this.#dialog, seq, {
        invite,
        ...(body !== undefined && body.length > 0 ? { body, contentType: 'application/sdp' } : {}),
      });
      this.#acks.set(seq, ack);
      // Only the latest INVITE's 2xx can still be retransmitted to us.
      for (const k of this.#acks.keys()) if (k !== seq) this.#acks.delete(k);
    }
    const dest = this.#destinationFor(ack);
    if (dest !== undefined) this.#env.sip.sendAck(ack, dest);
  }

  async #send(
    request: SipRequest,
    onAdditional2xx: (res: SipResponse) => void,
  ): Promise<{ response: SipResponse; source: ResponseSource; request: SipRequest }> {
    const dest = this.#destinationFor(request);
    if (dest === undefined) {
      return { ...local(request.method, this.#dialog, 503, 'Service Unavailable'), request };
    }
    if (this.#route.kind === 'pbx') {
      return sendWithAuth(this.#env.sip, request, dest, this.#route.auth, { onAdditional2xx });
    }
    return new Promise((resolve) => {
      const handlers: ClientHandlers = {
        onFinal: (response, source) => resolve({ response, source, request }),
        onAdditional2xx,
      };
      this.#env.sip.sendRequest(request, dest, handlers);
    });
  }

  #destinationFor(request: SipRequest | undefined): Destination | undefined {
    const route = this.#route;
    if (route.kind === 'flow') {
      const flow = this.#env.sip.connectionFor(route.connectionId);
      return flow === undefined ? undefined : viaFlow(flow);
    }
    const hop = request === undefined ? undefined : safeNextHop(request);
    if (hop === undefined) return udpDestination(route.fallback.host, route.fallback.port);
    return udpDestination(hop.host, hop.port ?? 5060);
  }
}

function safeNextHop(request: SipRequest): ReturnType<typeof nextHop> {
  try {
    return nextHop(request);
  } catch {
    return undefined;
  }
}

function isSuccess(res: SipResponse): boolean {
  return res.status >= 200 && res.status < 300;
}

/** A response made up locally (§8.1.3.1) for a request that could not be sent. */
function local(method: string, dialog: Dialog, status: number, reason: string): LegResult {
  const request = createInDialogRequest(
    { ...dialog, state: 'confirmed' },
    method === 'ACK' ? 'INFO' : method,
  ).request;
  return {
    response: createResponse(request, status, reason),
    source: 'transport-error',
  };
}
