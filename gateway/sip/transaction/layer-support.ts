/**
 * Machinery every transaction of the layer shares: its armed timers, the
 * input queue that keeps one step's effects together (types.ts contract:
 * inputs produced re-entrantly while an effect runs wait their turn), and
 * the messages the layer builds itself (§17.1.1.3 ACK, §9.1 CANCEL,
 * §8.1.3.1 local responses).
 */
import { createResponse } from '../message/build.ts';
import { cseq, getHeader, getHeaders } from '../message/headers.ts';
import type { HeaderField, SipRequest, SipResponse } from '../message/types.ts';
import type { Clock, TimerHandle } from '../transport/clock.ts';
import type { TimerName } from './types.ts';

/**
 * The timers one transaction has armed, by name (a transaction arms at most
 * three at once, so a plain object beats a Map on memory per transaction).
 */
export class TimerSet<T extends TimerName> {
  private armed: Partial<Record<T, TimerHandle>> = {};

  constructor(
    private readonly clock: Clock,
    private readonly fire: (timer: T) => void,
  ) {}

  /** Arms (or re-arms) a timer. */
  start(timer: T, ms: number): void {
    const old = this.armed[timer];
    if (old !== undefined) this.clock.clearTimer(old);
    this.armed[timer] = this.clock.setTimer(ms, () => {
      this.armed[timer] = undefined;
      this.fire(timer);
    });
  }

  cancel(timer: T): void {
    const handle = this.armed[timer];
    if (handle === undefined) return;
    this.clock.clearTimer(handle);
    this.armed[timer] = undefined;
  }

  clear(): void {
    for (const handle of Object.values<TimerHandle | undefined>(this.armed)) {
      if (handle !== undefined) this.clock.clearTimer(handle);
    }
    this.armed = {};
  }
}

/**
 * Runs inputs one at a time: an input pushed while another is being stepped
 * (a TU answering from inside its request callback) waits until the current
 * step's effects are all applied (types.ts contract). Subclassed by the
 * transactions themselves, to spare an object per transaction.
 */
export abstract class InputQueue<I> {
  private waiting: I[] | undefined;
  private busy = false;

  protected abstract run(input: I): void;

  protected push(input: I): void {
    if (this.busy) {
      (this.waiting ??= []).push(input);
      return;
    }
    this.busy = true;
    try {
      this.run(input);
      for (let next = this.waiting?.shift(); next !== undefined; next = this.waiting?.shift()) {
        this.run(next);
      }
    } finally {
      this.busy = false;
      this.waiting = undefined;
    }
  }

  /** Queues an input to run right after the current step, before anything else waiting. */
  protected pushFirst(input: I): void {
    if (this.busy) (this.waiting ??= []).unshift(input);
    else this.push(input);
  }

  /**
   * Applies one step's effects in order (`apply` returns false for a failed
   * transmission). types.ts contract: a failed transmission is stepped as
   * `transportError` once all the effects are applied, unless they ended the
   * transaction (`alive`).
   */
  protected applyEffects<E>(
    effects: readonly E[],
    apply: (effect: E) => boolean,
    transportError: I,
    alive: () => boolean,
  ): void {
    let failed = false;
    for (const effect of effects) if (!apply(effect)) failed = true;
    if (failed && alive()) this.pushFirst(transportError);
  }
}

const EMPTY = Buffer.alloc(0);

function copy(req: SipRequest, name: string): HeaderField[] {
  return getHeaders(req, name).map((f) => ({ ...f }));
}

/** The request's top Via value as one field (it is the layer's own: sendRequest put it there). */
function topViaField(req: SipRequest): HeaderField {
  return { name: 'Via', value: getHeader(req, 'Via') ?? '' };
}

/**
 * §17.1.1.3: the ACK for a 3xx–6xx to an INVITE. Request-URI, Call-ID, From
 * and CSeq number of the INVITE, To of the response (with its tag), one Via
 * equal to the INVITE's top Via, the INVITE's Route header fields.
 */
export function non2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers: HeaderField[] = [topViaField(invite), ...copy(invite, 'Route')];
  headers.push({ name: 'Max-Forwards', value: '70' }, ...copy(invite, 'From'));
  headers.push({ name: 'To', value: getHeader(response, 'To') ?? getHeader(invite, 'To') ?? '' });
  headers.push(...copy(invite, 'Call-ID'), { name: 'CSeq', value: `${cseq(invite).seq} ACK` });
  return { kind: 'request', method: 'ACK', uri: invite.uri, headers, body: EMPTY };
}

/**
 * §9.1: CANCEL for an INVITE: same Request-URI, Call-ID, To, From and CSeq
 * number, one Via equal to the INVITE's top Via (same branch, so it reaches
 * the same server transaction, §9.2), the INVITE's Route header fields.
 */
export function cancelFor(invite: SipRequest): SipRequest {
  const headers: HeaderField[] = [topViaField(invite), ...copy(invite, 'Route')];
  headers.push(
    { name: 'Max-Forwards', value: '70' },
    ...copy(invite, 'From'),
    ...copy(invite, 'To'),
  );
  headers.push(...copy(invite, 'Call-ID'), { name: 'CSeq', value: `${cseq(invite).seq} CANCEL` });
  return { kind: 'request', method: 'CANCEL', uri: invite.uri, headers, body: EMPTY };
}

/**
 * A response the layer makes up for the TU (§8.1.3.1: a timeout acts as
 * 408, a transport failure as 503; §9.1: an INVITE cancelled without answer
 * as 487). It has no To tag: no dialog came of it.
 */
export function localResponse(req: SipRequest, status: number, reason: string): SipResponse {
  return createResponse(req, status, reason);
}
