/**
 * An established B2BUA call: the browser leg, the PBX leg and the media
 * between them. Each leg's signalling ends at the gateway — offers are
 * answered by the media engine, not relayed — and what matters to the
 * other side is carried over:
 *
 * - BYE on either leg ends the call and sends BYE on the other (§15.1);
 * - hold and resume: a re-INVITE or UPDATE whose offer changes the
 *   direction (RFC 3264 §8.4, sendonly/inactive) is answered at once and
 *   then offered to the other leg the same way; glare is retried after a
 *   random 2.1–4 s (§14.1);
 * - session refreshes (RFC 4028) are answered on each leg and enforced by
 *   session-refresh.ts;
 * - SIP INFO application/dtmf-relay from the browser becomes RFC 4733
 *   toward the PBX (the media engine relays RFC 4733 itself); INFO from the
 *   PBX is passed to the browser.
 */
import { randomInt } from 'node:crypto';
import type { Logger } from '../log.ts';
import type { CallMedia, MediaDirection, MediaEvent } from '../media/index.ts';
import { offerDirection } from '../media/index.ts';
import type { HeaderField, SipRequest } from '../sip/message/types.ts';
import { createResponse } from '../sip/message/build.ts';
import type { ServerTransaction } from '../sip/stack.ts';
import { Leg, type LegEnv, type LegSide } from './leg.ts';
import {
  SessionRefresh,
  planOfRequest,
  planOfResponse,
  type SessionTimerPlan,
} from './session-refresh.ts';
import {
  finishTransfers,
  passInfo,
  passNotify,
  passRefer,
  referIds,
  type ReferIds,
} from './passing-on.ts';
import { uacSessionTimer, uasSessionTimer } from './sip-helpers/session-timer.ts';
import { q850 } from './sip-helpers/reason.ts';

export type EndCause =
  | { readonly kind: 'bye'; readonly by: LegSide }
  | { readonly kind: 'no-ack'; readonly leg: LegSide }
  | { readonly kind: 'media'; readonly detail: string }
  | { readonly kind: 'client-gone' }
  | { readonly kind: 'session-expired'; readonly leg: LegSide }
  | { readonly kind: 'dialog-gone'; readonly leg: LegSide }
  | { readonly kind: 'shutdown' };

export interface CallEnv extends LegEnv {
  readonly log: Logger;
  /** Allow of our answers (§20.5). */
  readonly allow: string;
  /** Our Contact toward each side (target of the peer's requests). */
  readonly contact: Readonly<Record<LegSide, string>>;
  /** Seed 003 "Funktionen" of the call's line, read when used (config reloads apply). */
  readonly functions: () => { hold: boolean; transfer: boolean; dtmf: boolean };
  /** Refer-To of a transfer toward the PBX for a dialled number (the line's registrar domain). */
  readonly referTarget: (number: string) => string;
  /** The call is over; drop it from every index. */
  readonly ended: (call: Call, cause: EndCause, stats: unknown) => void;
}

export interface CallInfo {
  readonly id: string;
  readonly direction: 'incoming' | 'outgoing';
  /** "<group>/<username>". */
  readonly line: string;
  readonly user: string;
  /** The other party's number, as known at setup. */
  readonly remote: string;
}

const MIN_SE = 90;
/** §14.1: the UAC that does not own the Call-ID retries after 0–2 s, the owner after 2.1–4 s; we always wait the longer. */
const GLARE_RETRY_MS: readonly [number, number] = [2100, 4000];

export class Call {
  readonly info: CallInfo;
  readonly client: Leg;
  readonly pbx: Leg;
  readonly media: CallMedia;
  readonly #env: CallEnv;
  readonly #log: Logger;
  #state: 'active' | 'ending' | 'ended' = 'active';
  /** What each peer last offered (RFC 3264 §6.1). */
  readonly #offered: Record<LegSide, MediaDirection> = { client: 'sendrecv', pbx: 'sendrecv' };
  /** What we want toward each peer: its partner's offer, mirrored (hold carried over). */
  readonly #toward: Record<LegSide, MediaDirection> = { client: 'sendrecv', pbx: 'sendrecv' };
  readonly #wanted: Record<LegSide, MediaDirection | undefined> = {
    client: undefined,
    pbx: undefined,
  };
  readonly #reoffering: Record<LegSide, boolean> = { client: false, pbx: false };
  readonly #timers: Record<LegSide, SessionRefresh>;
  readonly #refers: ReferIds = referIds();

  constructor(info: CallInfo, client: Leg, pbx: Leg, media: CallMedia, env: CallEnv) {
    this.info = info;
    this.client = client;
    this.pbx = pbx;
    this.media = media;
    this.#env = env;
    this.#log = env.log.child({ call: info.id });
    const timer = (side: LegSide) =>
      new SessionRefresh(env.clock, {
        refresh: () => void this.#refresh(side),
        expired: () => void this.end({ kind: 'session-expired', leg: side }),
      });
    this.#timers = { client: timer('client'), pbx: timer('pbx') };
  }

  get active(): boolean {
    return this.#state === 'active';
  }

  /** Session timer of a leg as negotiated by the dialog-forming exchange. */
  startSessionTimer(side: LegSide, plan: SessionTimerPlan): void {
    if (this.#state === 'active') this.#timers[side].start(plan);
  }

  /** A media event of this call's media (worker crash, ICE/DTLS failure). */
  mediaEvent(e: MediaEvent): void {
    if (e.type === 'ended') void this.end({ kind: 'media', detail: 'media worker exited' });
    else if (e.type === 'client-state' && e.state === 'failed')
      void this.end({ kind: 'media', detail: 'ICE/DTLS failed' });
  }

  /** A request within one of the call's dialogs (not ACK or CANCEL). */
  onRequest(leg: Leg, tx: ServerTransaction): void {
    this.#log.debug({ leg: leg.side, method: tx.method }, 'request in the call');
    const verdict = leg.receive(tx.request);
    if (!verdict.ok) {
      tx.reply(verdict.status, verdict.reason);
      return;
    }
    switch (tx.method) {
      case 'BYE':
        tx.reply(200, 'OK');
        void this.end({ kind: 'bye', by: leg.side });
        return;
      case 'INVITE':
      case 'UPDATE':
        void this.#offerOrRefresh(leg, tx).catch((err: unknown) => {
          this.#log.warn({ err, leg: leg.side }, `${tx.method} in the call failed`);
          if (tx.state !== 'Terminated') tx.reply(500, 'Server Internal Error');
        });
        return;
      case 'INFO':
        if (leg.side === 'client' && !this.#env.functions().dtmf && tx.request.body.length > 0) {
          tx.reply(403, 'Forbidden - DTMF is switched off for this line');
          return;
        }
        void passInfo(tx, leg.side, this.client, this.media, this.#log);
        return;
      case 'REFER':
        if (leg.side === 'client' && !this.#env.functions().transfer)
          tx.reply(403, 'Forbidden - transfer is switched off for this line');
        else if (leg.side === 'client')
          void passRefer(tx, this.pbx, this.#env.referTarget, this.#refers, this.#log);
        else tx.reply(403, 'Forbidden - transfer requests from the PBX side are not taken');
        return;
      case 'NOTIFY':
        // Progress of a transfer we passed on (RFC 3515 §2.4.4): for the browser.
        if (leg.side === 'pbx') passNotify(tx, this.client, this.#refers);
        else tx.reply(481, 'Subscription Does Not Exist');
        return;
      case 'OPTIONS':
        tx.reply(200, 'OK', { headers: [{ name: 'Allow', value: this.#env.allow }] });
        return;
      case 'PRACK':
        // We never send reliable provisional responses (RFC 3262 §4).
        tx.reply(481, 'Call/Transaction Does Not Exist');
        return;
      default:
        tx.reply(405, 'Method Not Allowed', {
          headers: [{ name: 'Allow', value: this.#env.allow }],
        });
    }
  }

  /** An ACK in one of the call's dialogs. */
  onAck(leg: Leg, ack: SipRequest): void {
    leg.ack(ack);
  }

  /**
   * Ends the call: BYE on every leg still up (with an RFC 3326 Reason),
   * media closed, ports returned. Idempotent; never rejects.
   */
  async end(cause: EndCause): Promise<void> {
    if (this.#state !== 'active') return;
    this.#state = 'ending';
    this.#timers.client.stop();
    this.#timers.pbx.stop();
    const reason: HeaderField = { name: 'Reason', value: q850(cause) };
    if (cause.kind === 'bye' && cause.by === 'pbx') finishTransfers(this.#refers, this.client);
    const byes = [this.client, this.pbx]
      .filter((leg) => !leg.ended)
      .map((leg) => leg.request('BYE', { headers: [reason] }));
    this.client.close();
    this.pbx.close();
    const stats = await this.media.stats().catch(() => undefined);
    await this.media.close().catch(() => undefined);
    this.#state = 'ended';
    this.#env.ended(this, cause, stats);
    this.#log.info({ cause, stats }, 'call ended');
    await Promise.allSettled(byes);
  }

  async #offerOrRefresh(leg: Leg, tx: ServerTransaction): Promise<void> {
    const side = leg.side;
    // §14.2: a re-INVITE while ours is pending → 491; while the peer's
    // previous INVITE still waits for its ACK → 500 with Retry-After.
    if (leg.busy) {
      if (tx.method === 'INVITE' && !this.#reoffering[side]) {
        tx.reply(500, 'Server Internal Error', { headers: [{ name: 'Retry-After', value: '1' }] });
      } else tx.reply(491, 'Request Pending');
      return;
    }
    // A CANCEL of a re-INVITE changes nothing: the answer is a moment away (§9.2 allows the final response).
    tx.onCancel = () => undefined;
    const plan = uasSessionTimer(tx.request, { minSE: MIN_SE });
    if (plan.kind === 'too-small' || plan.kind === 'invalid') {
      tx.reply(plan.status, plan.reason, {
        headers: plan.kind === 'too-small' ? plan.responseHeaders : [],
      });
      return;
    }
    const headers: HeaderField[] = [
      { name: 'Contact', value: this.#env.contact[side] },
      { name: 'Allow', value: this.#env.allow },
      ...(plan.kind === 'timer' ? plan.responseHeaders : []),
    ];
    const offer = tx.request.body.length > 0 ? tx.request.body.toString('utf8') : undefined;
    if (side === 'client' && offer !== undefined && !this.#env.functions().hold) {
      const wanted = offerDirection(offer);
      if (wanted === 'sendonly' || wanted === 'inactive') {
        tx.reply(403, 'Forbidden - hold is switched off for this line');
        return;
      }
    }
    let answer: string | undefined;
    if (offer !== undefined) {
      answer = await this.#answer(side, offer);
    } else if (tx.method === 'INVITE') {
      // §14.2 late offer: our offer goes in the 2xx, the answer comes in the ACK.
      answer = await this.#offer(side, this.#toward[side]);
    }
    if (this.#state !== 'active') {
      tx.reply(481, 'Call/Transaction Does Not Exist');
      return;
    }
    const body = answer === undefined ? undefined : Buffer.from(answer);
    if (body !== undefined) headers.push({ name: 'Content-Type', value: 'application/sdp' });
    const response = createResponse(tx.request, 200, 'OK', {
      toTag: tx.toTag,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    this.#timers[side].start(planOfRequest(plan));
    if (tx.method === 'UPDATE') {
      leg.sent(response);
      tx.respond(response);
    } else {
      const ack = await leg.respond2xx(tx, response);
      if (ack === undefined) {
        void this.end({ kind: 'no-ack', leg: side });
        return;
      }
      if (offer === undefined && ack.body.length > 0) await this.#setAnswer(side, ack.body);
    }
    if (offer !== undefined) this.#carryDirection(side, offerDirection(offer));
  }

  /** A changed direction in a peer's offer is offered to the other peer (hold/resume). */
  #carryDirection(from: LegSide, direction: MediaDirection): void {
    if (direction === this.#offered[from]) return;
    this.#offered[from] = direction;
    const to = other(from);
    this.#log.info({ from, direction }, direction === 'sendrecv' ? 'resumed' : 'held');
    this.#wanted[to] = direction;
    void this.#reoffer(to);
  }

  async #reoffer(side: LegSide): Promise<void> {
    if (this.#reoffering[side]) return;
    this.#reoffering[side] = true;
    try {
      for (;;) {
        const want = this.#wanted[side];
        if (this.#state !== 'active' || want === undefined) return;
        this.#wanted[side] = undefined;
        const r = await this.#sendOffer(side, want);
        if (r === 'retry') {
          this.#wanted[side] ??= want;
          await this.#pause(randomInt(GLARE_RETRY_MS[0], GLARE_RETRY_MS[1]));
        }
      }
    } catch (err) {
      this.#log.warn({ err, leg: side }, 'could not carry hold/resume over');
    } finally {
      this.#reoffering[side] = false;
    }
  }

  /** A re-INVITE with our offer; 'retry' after glare or while the leg is busy. */
  async #sendOffer(side: LegSide, direction: MediaDirection): Promise<'done' | 'retry'> {
    const leg = this.#leg(side);
    if (leg.busy) return 'retry';
    const sdp = await this.#offer(side, direction);
    const r = await leg.request('INVITE', {
      body: Buffer.from(sdp),
      contentType: 'application/sdp',
      headers: [{ name: 'Allow', value: this.#env.allow }],
    });
    const res = r.response;
    if (res.status >= 200 && res.status < 300) {
      if (res.body.length > 0) await this.#setAnswer(side, res.body);
      this.#toward[side] = direction;
      const plan = planOfResponse(uacSessionTimer(res));
      if (plan.kind === 'timer') this.#timers[side].start(plan);
      return 'done';
    }
    if (res.status === 491) return 'retry';
    if (res.status === 481 || res.status === 408 || r.source !== 'network') {
      void this.end({ kind: 'dialog-gone', leg: side });
      return 'done';
    }
    this.#log.info({ leg: side, status: res.status }, 're-INVITE refused; media stays as it was');
    return 'done';
  }

  /** We are the refresher of `side` (RFC 4028 §10): UPDATE without SDP when allowed, else re-INVITE. */
  async #refresh(side: LegSide): Promise<void> {
    const leg = this.#leg(side);
    if (this.#state !== 'active') return;
    if (leg.busy) {
      this.#timers[side].start({ kind: 'timer', interval: 10, weRefresh: true });
      return;
    }
    const r = await leg.request('UPDATE', {
      headers: [
        {
          name: 'Session-Expires',
          value: `${timerInterval(this.#timers[side].plan)};refresher=uac`,
        },
      ],
    });
    const res = r.response;
    if (res.status >= 200 && res.status < 300) {
      const plan = planOfResponse(uacSessionTimer(res));
      this.#timers[side].start(plan.kind === 'timer' ? plan : this.#timers[side].plan);
      return;
    }
    if (res.status === 501 || res.status === 405) {
      // The peer does not know UPDATE: refresh with a re-INVITE of the current direction.
      this.#wanted[side] = this.#toward[side];
      this.#timers[side].start(this.#timers[side].plan);
      await this.#reoffer(side);
      return;
    }
    if (res.status === 481 || res.status === 408 || r.source !== 'network')
      await this.end({ kind: 'session-expired', leg: side });
    else this.#timers[side].start(this.#timers[side].plan);
  }

  #answer(side: LegSide, offer: string): Promise<string> {
    const opts = { direction: this.#toward[side] };
    return side === 'client'
      ? this.media.clientAnswer(offer, opts)
      : this.media.pbxAnswer(offer, opts);
  }

  #offer(side: LegSide, direction: MediaDirection): Promise<string> {
    return side === 'client'
      ? this.media.clientOffer({ direction })
      : this.media.pbxOffer({ direction });
  }

  #setAnswer(side: LegSide, body: Buffer): Promise<void> {
    const sdp = body.toString('utf8');
    return side === 'client' ? this.media.setClientAnswer(sdp) : this.media.setPbxAnswer(sdp);
  }

  #leg(side: LegSide): Leg {
    return side === 'client' ? this.client : this.pbx;
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => this.#env.clock.setTimer(ms, resolve));
  }
}

function other(side: LegSide): LegSide {
  return side === 'client' ? 'pbx' : 'client';
}

function timerInterval(plan: SessionTimerPlan): number {
  return plan.kind === 'timer' ? plan.interval : MIN_SE;
}
