/**
 * The core that receives every new SIP request from the stack and decides
 * who handles it. Browsers (WebSocket flows) must REGISTER before anything
 * else; the PBX (UDP) side is checked by the lines (lines/inbound.ts: only
 * registrars and trusted addresses, only configured lines). INVITEs and
 * requests within calls go to the B2BUA (b2bua.ts); what no call takes
 * gets the answers of answerUnhandled (481 within a dialog, §12.2.2).
 */
import { randomBytes } from 'node:crypto';
import { createPbxSide } from '../lines/inbound.ts';
import type { InboundMatch } from '../lines/manager.ts';
import type { Logger } from '../log.ts';
import { handleRegister, type RegistrarOptions } from '../registrar/registrar.ts';
import type { BindingStore } from '../registrar/bindings.ts';
import { answerUnhandled, type ServerTransaction, type SipStack } from '../sip/stack.ts';
import { createDigestServer } from '../sip/auth/server.ts';
import { realClock, type Clock } from '../sip/transport/clock.ts';
import { tagOf, to } from '../sip/message/headers.ts';
import type { SipRequest } from '../sip/message/types.ts';
import type { B2bua } from './b2bua.ts';

export interface CoreOptions {
  readonly sip: SipStack;
  readonly bindings: BindingStore;
  /** Digest identities the registrar accepts: users and their browser sessions. */
  readonly credentials: RegistrarOptions['credentials'];
  readonly log: Logger;
  readonly now: () => number;
  /** HMAC key for digest nonces; kept in the database so nonces survive a restart. */
  readonly nonceSecret: Buffer;
  readonly realm?: string;
  /** The SIP lines: who may send on the PBX side, and for which line (default: no lines). */
  readonly lines?: {
    match(address: string, users: readonly string[]): InboundMatch;
    /** Category 'lines.inbound'. */
    readonly log: Logger;
  };
  /** Clock of the refusal log budget. */
  readonly clock?: Clock;
  /** The calls (default: none — INVITEs get 480). */
  readonly b2bua?: B2bua;
}

export interface Core {
  handle(tx: ServerTransaction): void;
  close(): void;
}

/** Methods a browser may use once registered. */
const ALLOW = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER', 'UPDATE', 'INFO'];

export function createCore(opts: CoreOptions): Core {
  const registrar: RegistrarOptions = {
    digest: createDigestServer({
      realm: opts.realm ?? 'linegate',
      now: opts.now,
      random: randomBytes,
      secret: opts.nonceSecret,
    }),
    credentials: opts.credentials,
    bindings: opts.bindings,
    now: opts.now,
  };
  const b2bua = opts.b2bua;
  const unsubscribe = opts.sip.onFlowClosed((e) => {
    const n = opts.bindings.removeFlow(e.flow.connectionId);
    if (n > 0)
      opts.log.info(
        { connection: e.flow.connectionId, removed: n },
        'registrations of a closed WebSocket removed',
      );
    b2bua?.flowClosed(e.flow.connectionId);
  });
  if (b2bua !== undefined) opts.sip.onAck((ack) => b2bua.ack(ack));
  /** Requests either side may send: new calls, and requests within calls. */
  const toCalls = (tx: ServerTransaction, invite: () => void): void => {
    if (b2bua !== undefined && hasToTag(tx.request)) {
      if (!b2bua.inDialog(tx)) answerUnhandled(tx, { allow: ALLOW });
      return;
    }
    if (b2bua !== undefined && tx.method === 'INVITE') invite();
    else answerUnhandled(tx, { allow: ALLOW });
  };
  const lines = opts.lines ?? { match: (): InboundMatch => ({ kind: 'no-lines' }), log: opts.log };
  const pbxSide = createPbxSide({
    match: (address, users) => lines.match(address, users),
    allow: ALLOW,
    log: lines.log,
    clock: opts.clock ?? realClock,
    forLine: (tx, lineId) => toCalls(tx, () => b2bua?.incoming(tx, lineId)),
  });
  // Bindings also lapse when a device stops refreshing (§10.3).
  const expiry = setInterval(() => opts.bindings.expire(opts.now()), 15_000);
  expiry.unref();

  const handle = (tx: ServerTransaction): void => {
    const flow = tx.flow;
    if (flow.transport === 'udp') {
      pbxSide(tx);
      return;
    }
    if (tx.method === 'REGISTER') {
      const r = handleRegister(tx.request, { id: flow.connectionId, reliable: true }, registrar);
      if (r.kind === 'ok')
        opts.log.info({ user: r.username, devices: r.bindings.length }, 'browser registered');
      else if (r.kind === 'refused')
        opts.log.info(
          { status: r.response.status, reason: r.response.reason },
          'registration refused',
        );
      tx.respond(r.response);
      return;
    }
    if (!isAuthenticated(opts.bindings, flow.connectionId)) {
      // An unauthenticated socket can do nothing but authenticate (issue #5).
      tx.reply(403, 'Forbidden - REGISTER first');
      return;
    }
    toCalls(tx, () => b2bua?.outgoing(tx));
  };
  return {
    handle,
    close: () => {
      clearInterval(expiry);
      unsubscribe();
    },
  };
}

function hasToTag(req: SipRequest): boolean {
  try {
    return tagOf(to(req)) !== undefined;
  } catch {
    return false;
  }
}

function isAuthenticated(bindings: BindingStore, connectionId: string): boolean {
  return bindings.hasFlow(connectionId);
}
