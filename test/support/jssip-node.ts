/**
 * JsSIP (the browser SIP stack the PWA uses) running in Node against the
 * gateway's /sip WebSocket. JsSIP's WebSocketInterface uses the global
 * WebSocket of a browser; `ws` provides the same API in Node, so the real
 * JsSIP code (transactions, digest, registrator) runs unmodified.
 */
import { createRequire } from 'node:module';
import { WebSocket } from 'ws';

const require = createRequire(import.meta.url);
// JsSIP ships CommonJS with its own typings.
const JsSIP = require('jssip') as typeof import('jssip');

if (!('WebSocket' in globalThis)) {
  Object.assign(globalThis, { WebSocket });
}

export interface JssipUserOptions {
  /** ws://127.0.0.1:PORT/sip */
  url: string;
  /** Gateway SIP domain used in the AOR (any host: the gateway is the registrar). */
  domain: string;
  username: string;
  password: string;
  /** Digest user name when it is not the AOR's user (a browser session's "~<id>"). */
  authUser?: string;
  register?: boolean;
}

export type JssipUA = InstanceType<typeof JsSIP.UA>;

export function createJssipUA(opts: JssipUserOptions): JssipUA {
  const socket = new JsSIP.WebSocketInterface(opts.url);
  return new JsSIP.UA({
    sockets: [socket],
    uri: `sip:${opts.username}@${opts.domain}`,
    password: opts.password,
    ...(opts.authUser === undefined ? {} : { authorization_user: opts.authUser }),
    register: opts.register ?? false,
    // The tests decide when to connect again; JsSIP would otherwise back off for seconds.
    connection_recovery_min_interval: 1,
    connection_recovery_max_interval: 2,
    user_agent: 'JsSIP (Linegate test)',
  });
}

/** Starts the UA and resolves on "registered", rejects on "registrationFailed" with its cause. */
export function register(ua: JssipUA, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('JsSIP did not register in time')), timeoutMs);
    ua.once('registered', () => {
      clearTimeout(timer);
      resolve();
    });
    ua.once('registrationFailed', (e: { cause?: string; response?: { status_code?: number } }) => {
      clearTimeout(timer);
      reject(
        new Error(
          `registration failed: ${e.cause ?? '?'} (${e.response?.status_code ?? 'no response'})`,
        ),
      );
    });
    ua.start();
    if (ua.isConnected()) ua.register();
    else ua.once('connected', () => ua.register());
  });
}

/** Sends OPTIONS through JsSIP; resolves with the final response's status and Allow header. */
export function sendOptions(
  ua: JssipUA,
  target: string,
): Promise<{ status: number; allow: string | undefined }> {
  return new Promise((resolve, reject) => {
    // UA.sendOptions exists in JsSIP 3.x but is missing from its typings.
    const withOptions = ua as JssipUA & {
      sendOptions(
        target: string,
        body: null,
        options: { eventHandlers: Record<string, (e: never) => void> },
      ): void;
    };
    withOptions.sendOptions(target, null, {
      eventHandlers: {
        succeeded: (e: {
          response: { status_code: number; getHeader: (n: string) => string | undefined };
        }) => resolve({ status: e.response.status_code, allow: e.response.getHeader('Allow') }),
        failed: (e: { cause: string; response?: { status_code: number } | null }) =>
          reject(
            new Error(`OPTIONS failed: ${e.cause} (${e.response?.status_code ?? 'no response'})`),
          ),
      },
    });
  });
}

export function stopUA(ua: JssipUA): Promise<void> {
  return new Promise((resolve) => {
    if (!ua.isConnected()) {
      ua.stop();
      resolve();
      return;
    }
    ua.once('disconnected', () => resolve());
    ua.stop();
    setTimeout(resolve, 3000).unref();
  });
}
