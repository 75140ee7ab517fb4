/**
 * One signed-in session's JsSIP UA: its WebSocket to the gateway and its
 * registration, kept alive.
 *
 * * JsSIP reconnects the WebSocket by itself (2–20 s back-off) and
 *   registers on every new connection; this class registers explicitly on
 *   'connected' as well, so a gateway restart always ends registered.
 * * JsSIP does not retry a REGISTER that failed on a live socket (a 5xx, a
 *   timeout): this class does, with RFC 5626 back-off; a timeout on a
 *   WebSocket means the socket is dead, so that one reconnects instead.
 * * A REGISTER refused with 401/403/407 goes to the phone (authRejected),
 *   which asks the API whether the session still exists.
 * * kick(): the network came back or the machine woke up — reconnect now
 *   instead of after JsSIP's back-off; while calls are up, only
 *   re-register (a dead socket then shows as a timeout).
 */
import { UA, WebSocketInterface } from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession.js';
import type { IncomingRequest, IncomingResponse } from 'jssip/lib/SIPMessage.js';
import type { RTCSessionEvent, UnRegisteredEvent } from 'jssip/lib/UA.js';
import type { Session } from '#shared/api.ts';
import { retryDelayMs } from './connection-state.ts';
import { originator } from './call.ts';
import { Cause } from './end-reason.ts';
import { uaSettings, type UaSettings } from './ua-config.ts';

export interface ConnectionEvents {
  /** registered or troubled changed. */
  changed(): void;
  /** An incoming call (INVITE) arrived. */
  incoming(session: RTCSession, request: IncomingRequest): void;
  /** The WebSocket closed: calls over it are gone (the gateway ends them too). */
  lost(): void;
  /** The gateway refused our credentials (401/407) or us (403). */
  authRejected(status: number): void;
}

/** JsSIP's Transport as far as this class drives it (UA#transport, not in its typings). */
interface JsSipTransport {
  isConnected(): boolean;
  isConnecting(): boolean;
  connect(): void;
  disconnect(): void;
}

/** A connection attempt hanging this long is abandoned by kick(). */
const STUCK_CONNECTING_MS = 10_000;

export class SipConnection {
  readonly settings: UaSettings;
  readonly session: Session;
  readonly #ua: UA;
  readonly #events: ConnectionEvents;
  #registered = false;
  #troubled = false;
  #stopped = false;
  #attempts = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #connectingSince: number | undefined;

  constructor(session: Session, origin: string, instanceId: string, events: ConnectionEvents) {
    this.session = session;
    this.settings = uaSettings(session, origin, instanceId);
    this.#events = events;
    this.#ua = new UA({
      ...this.settings.config,
      sockets: [new WebSocketInterface(this.settings.wsUrl)],
    });
    this.#wire();
  }

  get ua(): UA {
    return this.#ua;
  }

  get registered(): boolean {
    return this.#registered;
  }

  /** Registered once, or failed once, since start: "reconnecting" rather than "connecting". */
  get troubled(): boolean {
    return this.#troubled;
  }

  start(): void {
    this.#ua.start();
  }

  /** Un-REGISTERs, ends the UA's calls and closes the socket (JsSIP waits up to 2 s for answers). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#registered = false;
    this.#ua.stop();
  }

  /** Check the connection now (network back, woke up); see the file comment. */
  kick(liveCalls: boolean): void {
    if (this.#stopped) return;
    const transport = this.#transport();
    if (transport?.isConnected()) {
      if (liveCalls) this.register();
      else this.#reconnect();
      return;
    }
    const since = this.#connectingSince;
    const stuck = since !== undefined && Date.now() - since > STUCK_CONNECTING_MS;
    if (!transport?.isConnecting() || stuck) this.#reconnect();
  }

  /** Registers now (a refresh when registered already). */
  register(): void {
    if (this.#stopped) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#ua.register();
  }

  /** Tries the REGISTER again after the back-off. */
  registerLater(): void {
    if (this.#stopped) return;
    clearTimeout(this.#retryTimer);
    this.#attempts += 1;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#transport()?.isConnected() ?? this.#ua.isConnected()) this.register();
    }, retryDelayMs(this.#attempts));
  }

  #wire(): void {
    const ua = this.#ua;
    ua.on('connecting', () => {
      this.#connectingSince ??= Date.now();
    });
    ua.on('connected', () => {
      this.#connectingSince = undefined;
      if (this.#stopped) return;
      // JsSIP registers on connect too; the first of the two calls sends
      // the REGISTER, the other finds it under way.
      this.register();
    });
    ua.on('disconnected', () => {
      this.#connectingSince = undefined;
      this.#registered = false;
      if (this.#stopped) return;
      this.#troubled = true;
      this.#events.changed();
      this.#events.lost();
    });
    ua.on('registered', () => {
      this.#attempts = 0;
      this.#registered = true;
      this.#troubled = true;
      this.#events.changed();
    });
    ua.on('unregistered', () => {
      if (!this.#registered) return;
      this.#registered = false;
      this.#events.changed();
    });
    ua.on('registrationFailed', (e: UnRegisteredEvent) => this.#failed(e));
    ua.on('newRTCSession', (e: RTCSessionEvent) => {
      if (originator(e) !== 'remote' || this.#stopped) return;
      this.#events.incoming(e.session, e.request as IncomingRequest);
    });
  }

  #failed(e: UnRegisteredEvent): void {
    if (this.#stopped) return;
    this.#registered = false;
    this.#troubled = true;
    this.#events.changed();
    const response = e.response as IncomingResponse | null | undefined;
    const status = response?.status_code;
    if (status === 401 || status === 403 || status === 407) {
      this.#events.authRejected(status);
      return;
    }
    const cause = String(e.cause);
    // The socket went: JsSIP reconnects and registers on 'connected'.
    if (cause === Cause.CONNECTION_ERROR) return;
    // No answer at all over a reliable transport: the socket is dead.
    if (cause === Cause.REQUEST_TIMEOUT) {
      this.#reconnect();
      return;
    }
    this.registerLater();
  }

  #transport(): JsSipTransport | undefined {
    const t = (this.#ua as unknown as { transport?: Partial<JsSipTransport> | null }).transport;
    return typeof t?.connect === 'function' &&
      typeof t.disconnect === 'function' &&
      typeof t.isConnected === 'function' &&
      typeof t.isConnecting === 'function'
      ? (t as JsSipTransport)
      : undefined;
  }

  /**
   * A new WebSocket now, skipping JsSIP's back-off. The old socket's
   * binding goes with it at the gateway, and the REGISTER on the new one
   * carries the same +sip.instance, so it replaces the binding even if the
   * gateway has not noticed the old socket die yet.
   */
  #reconnect(): void {
    const transport = this.#transport();
    this.#connectingSince = undefined;
    if (transport !== undefined) {
      transport.disconnect();
      if (!this.#stopped) transport.connect();
      return;
    }
    // Without access to the transport: a full restart (un-REGISTERs first).
    this.#ua.stop();
    this.#ua.start();
  }
}
