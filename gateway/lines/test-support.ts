/**
 * Test doubles for the line manager's unit tests: a virtual clock that lets
 * promise continuations run between timers (REGISTER exchanges are async),
 * and a SIP stack whose "network" is a scripted registrar with real digest
 * authentication (sip/auth/server.ts). No sockets, no sleeping.
 */
import { randomBytes } from 'node:crypto';
import { createResponse } from '../sip/message/build.ts';
import { contacts, cseq, getHeader, to } from '../sip/message/headers.ts';
import { formatUri } from '../sip/message/uri.ts';
import type { HeaderField, SipRequest, SipResponse } from '../sip/message/types.ts';
import { createDigestServer } from '../sip/auth/server.ts';
import type {
  ClientHandlers,
  ClientTransaction,
  Destination,
  ResponseSource,
  SipStack,
} from '../sip/stack.ts';
import { FakeClock } from '../sip/transaction/layer-clock.ts';
import type { Clock, TimerHandle } from '../sip/transport/clock.ts';

/**
 * Virtual time (the transaction layer's FakeClock) whose `advance` lets
 * promise continuations settle after every timer: REGISTER exchanges are async.
 */
export class TestClock implements Clock {
  readonly #clock = new FakeClock();

  now(): number {
    return this.#clock.now();
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    return this.#clock.setTimer(ms, fn);
  }

  clearTimer(handle: TimerHandle): void {
    this.#clock.clearTimer(handle);
  }

  get pending(): number {
    return this.#clock.pending;
  }

  async advance(ms: number): Promise<void> {
    const end = this.#clock.now() + ms;
    await settle();
    while (this.#clock.fireNext(end)) await settle();
    this.#clock.advance(end - this.#clock.now());
    await settle();
  }
}

/** Lets pending promise continuations run (a few macrotask turns, no time passes). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export type Answer =
  | {
      readonly kind: 'reply';
      readonly status: number;
      readonly reason?: string;
      readonly headers?: readonly HeaderField[];
    }
  /** No answer: Timer F fires after 32 s (RFC 3261 §17.1.2.2 with T1 = 500 ms). */
  | { readonly kind: 'drop' }
  | { readonly kind: 'transport-error' };

export interface Sent {
  readonly at: number;
  readonly request: SipRequest;
  readonly dest: Destination;
}

export interface RegistrarOptions {
  /** Passwords by auth user; default: "pw" + user. */
  password?: (user: string) => string | undefined;
  /** Lifetime granted (default: what was asked). */
  grant?: (asked: number) => number;
  /** Extra contacts listed in the 200 (another device on the account). */
  foreign?: (user: string) => readonly string[];
  /** Extra headers of every 200. */
  okHeaders?: readonly HeaderField[];
  /** Proxy-Authenticate / 407 instead of 401. */
  proxy?: boolean;
}

/**
 * A registrar with digest auth: challenges, verifies, keeps bindings and
 * answers 200 with the contact and its expires; `override` scripts
 * anything else, request by request.
 */
export class FakeRegistrar {
  readonly bindings = new Map<string, { contact: string; expires: number }>();
  override: ((req: SipRequest) => Answer | undefined) | undefined;
  #digest = createDigestServer({ realm: 'fake', now: Date.now, random: randomBytes });
  readonly #opts: RegistrarOptions;

  constructor(opts: RegistrarOptions = {}) {
    this.#opts = opts;
  }

  /** Forgets nonces and bindings, like a PBX that restarted. */
  restart(): void {
    this.#digest = createDigestServer({ realm: 'fake', now: Date.now, random: randomBytes });
    this.bindings.clear();
  }

  answer(req: SipRequest): Answer {
    const scripted = this.override?.(req);
    if (scripted !== undefined) return scripted;
    if (req.method !== 'REGISTER') return { kind: 'reply', status: 200 };
    const header = getHeader(
      req,
      this.#opts.proxy === true ? 'Proxy-Authorization' : 'Authorization',
    );
    const verdict =
      header === undefined
        ? undefined
        : this.#digest.verify({
            header,
            method: req.method,
            lookup: (u) => (this.#opts.password ?? ((x) => `pw${x}`))(u),
          });
    if (verdict?.ok !== true) {
      const name = this.#opts.proxy === true ? 'Proxy-Authenticate' : 'WWW-Authenticate';
      const stale = verdict !== undefined && verdict.stale;
      return {
        kind: 'reply',
        status: this.#opts.proxy === true ? 407 : 401,
        headers: this.#digest.challenge({ stale }).map((value) => ({ name, value })),
      };
    }
    return this.#ok(req);
  }

  #ok(req: SipRequest): Answer {
    const user = (() => {
      const u = to(req).uri;
      return u.kind === 'sip' ? (u.user ?? '') : '';
    })();
    const list = contacts(req);
    const mine = list === '*' ? undefined : list[0];
    const asked = Number(mine?.params.get('expires') ?? getHeader(req, 'Expires') ?? 3600);
    const granted = asked === 0 ? 0 : (this.#opts.grant ?? ((a) => a))(asked);
    if (mine === undefined || granted === 0) this.bindings.delete(user);
    else this.bindings.set(user, { contact: formatUri(mine.uri), expires: granted });
    const headers: HeaderField[] = [];
    if (mine !== undefined && granted > 0) {
      headers.push({ name: 'Contact', value: `<${formatUri(mine.uri)}>;expires=${granted}` });
    }
    for (const f of this.#opts.foreign?.(user) ?? [])
      headers.push({ name: 'Contact', value: `<${f}>;expires=300` });
    headers.push(...(this.#opts.okHeaders ?? []));
    return { kind: 'reply', status: 200, headers };
  }
}

export interface FakeSip {
  readonly stack: SipStack;
  readonly sent: Sent[];
  /** REGISTERs sent (each challenge round counts). */
  registers(filter?: (s: Sent) => boolean): Sent[];
}

/** A SipStack whose requests are answered by `registrar` after `rttMs` of virtual time. */
export function fakeSip(clock: TestClock, registrar: FakeRegistrar, rttMs = 5): FakeSip {
  const sent: Sent[] = [];
  const sendRequest = (
    request: SipRequest,
    dest: Destination,
    handlers: ClientHandlers,
  ): ClientTransaction => {
    sent.push({ at: clock.now(), request: structuredClone(request), dest });
    const a = registrar.answer(request);
    const finish = (res: SipResponse, source: ResponseSource) => handlers.onFinal(res, source);
    switch (a.kind) {
      case 'reply':
        clock.setTimer(rttMs, () =>
          finish(
            createResponse(request, a.status, a.reason, {
              toTag: true,
              headers: [...(a.headers ?? [])],
            }),
            'network',
          ),
        );
        break;
      case 'drop':
        clock.setTimer(32_000, () =>
          finish(createResponse(request, 408, 'Request Timeout'), 'timeout'),
        );
        break;
      case 'transport-error':
        clock.setTimer(1, () =>
          finish(createResponse(request, 503, 'Service Unavailable'), 'transport-error'),
        );
        break;
    }
    return {
      request,
      destination: dest,
      branch: 'z9hG4bKfake',
      state: 'Trying',
      cancel: () => undefined,
    };
  };
  const stack: SipStack = {
    udpAddress: { address: '192.0.2.10', port: 5062 },
    udpSentBy: '192.0.2.10:5062',
    transactions: 0,
    attachWebSocket: () => undefined,
    onRequest: () => undefined,
    onAck: () => undefined,
    onFlowClosed: () => () => undefined,
    sendRequest,
    sendAck: () => true,
    respond: () => undefined,
    connectionFor: () => undefined,
    close: () => Promise.resolve(),
  };
  return {
    stack,
    sent,
    registers: (filter = () => true) =>
      sent.filter((s) => s.request.method === 'REGISTER' && filter(s)),
  };
}

/** The user of a request's To (the line a REGISTER is for). */
export function lineOf(s: Sent): string {
  const u = to(s.request).uri;
  return u.kind === 'sip' ? (u.user ?? '') : '';
}

export function expiresOf(s: Sent): number {
  return Number(getHeader(s.request, 'Expires'));
}

export function cseqOf(s: Sent): number {
  return cseq(s.request).seq;
}

export function hasCredentials(s: Sent): boolean {
  return (
    getHeader(s.request, 'Authorization') !== undefined ||
    getHeader(s.request, 'Proxy-Authorization') !== undefined
  );
}
