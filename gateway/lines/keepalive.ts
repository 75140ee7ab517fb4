/**
 * NAT refresh ("NAT-Refresh", seed 004): keeps the UDP mapping between our
 * socket and the registrar open so that the PBX can still reach our Contact
 * between REGISTER refreshes.
 *
 * All lines share one socket, so toward one registrar there is ONE mapping:
 * the keep-alive is per registrar, not per line, and it is skipped while
 * REGISTERs went there within the interval anyway.
 *
 * It is an OPTIONS to the registrar (RFC 3261 §11), not a CRLF datagram:
 * RFC 5626 §4.4.1 defines CRLF keep-alives for connection-oriented
 * transports only (over UDP it uses STUN, §4.4.2), and a bare CRLF datagram
 * is something some PBXs and SBCs log as a malformed message. Every SIP
 * server answers OPTIONS (even a 401/407 or 404 keeps the mapping), the
 * answer tells us the registrar is alive, and it needs no new transport API.
 */
import type { Logger } from '../log.ts';
import { createRequest } from '../sip/dialog/requests.ts';
import type { SipUri } from '../sip/message/types.ts';
import { udpDestination, type SipStack } from '../sip/stack.ts';
import type { Clock, TimerHandle } from '../sip/transport/clock.ts';
import { LogBudget } from '../sip/transport/log-budget.ts';
import type { Registrar } from './plan.ts';
import { registrarUri } from './register-message.ts';

export interface KeepaliveOptions {
  readonly sip: SipStack;
  readonly clock: Clock;
  readonly log: Logger;
  readonly userAgent: string;
  /** An AOR to send as (a registered line's), or undefined: nothing is registered, no keep-alive. */
  readonly from: () => SipUri | undefined;
}

export class Keepalive {
  readonly #opts: KeepaliveOptions;
  readonly #budget: LogBudget;
  #registrar: Registrar;
  #intervalMs: number;
  #lastSent: number;
  #timer: TimerHandle | undefined;
  #sent = 0;

  constructor(opts: KeepaliveOptions, registrar: Registrar, intervalSeconds: number) {
    this.#opts = opts;
    this.#budget = new LogBudget(opts.log, opts.clock, 5, 60_000);
    this.#registrar = registrar;
    this.#intervalMs = intervalSeconds * 1000;
    this.#lastSent = opts.clock.now();
    this.#arm();
  }

  /** OPTIONS sent so far. */
  get sent(): number {
    return this.#sent;
  }

  /** Something went to the registrar: the mapping was just refreshed. */
  noteSent(): void {
    this.#lastSent = this.#opts.clock.now();
  }

  update(registrar: Registrar, intervalSeconds: number): void {
    this.#registrar = registrar;
    this.#intervalMs = intervalSeconds * 1000;
    this.#arm();
  }

  stop(): void {
    if (this.#timer !== undefined) this.#opts.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#intervalMs = 0;
  }

  #arm(): void {
    if (this.#timer !== undefined) this.#opts.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    if (this.#intervalMs <= 0) return;
    const wait = Math.max(0, this.#lastSent + this.#intervalMs - this.#opts.clock.now());
    this.#timer = this.#opts.clock.setTimer(wait, () => {
      this.#timer = undefined;
      this.#tick();
      this.#arm();
    });
  }

  #tick(): void {
    const now = this.#opts.clock.now();
    if (now - this.#lastSent < this.#intervalMs) return;
    const aor = this.#opts.from();
    if (aor === undefined) {
      this.#lastSent = now; // nothing registered: nobody needs the mapping yet
      return;
    }
    this.#lastSent = now;
    this.#send(aor);
  }

  #send(aor: SipUri): void {
    const { host, port } = this.#registrar;
    const target = registrarUri(this.#registrar);
    const request = createRequest({
      method: 'OPTIONS',
      requestUri: target,
      from: { uri: aor },
      to: { uri: target },
      headers: [
        { name: 'Accept', value: 'application/sdp' },
        { name: 'User-Agent', value: this.#opts.userAgent },
      ],
    });
    this.#sent += 1;
    this.#opts.sip.sendRequest(request, udpDestination(host, port), {
      onFinal: (res, source) => {
        if (source === 'network') {
          this.#opts.log.debug(
            { registrar: `${host}:${port}`, status: res.status },
            'NAT keep-alive answered',
          );
        } else {
          this.#budget.warn(
            () => ({ registrar: `${host}:${port}`, outcome: source }),
            'the registrar did not answer the NAT keep-alive (OPTIONS)',
          );
        }
      },
    });
  }
}
