/**
 * The SIP stack as the rest of the gateway uses it: UDP toward the PBX and
 * WebSocket toward browsers (transport/), the transaction layer on top
 * (transaction/layer.ts), and one place to register the core that answers
 * requests. The B2BUA, the registrar and the line registration manager
 * build on this.
 *
 *   const sip = await createSipStack({ udp: config.sip, timers: config.sip.timers, log });
 *   sip.onRequest(answerUnhandled);                 // until calls exist
 *   http: onSipSocket: (ws, req) => sip.attachWebSocket(ws, req)
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { category, type Logger } from '../log.ts';
import { tagOf, to } from './message/headers.ts';
import type { HeaderField, SipRequest, SipResponse, Uri } from './message/types.ts';
import { realClock, type Clock } from './transport/clock.ts';
import { transportLayer } from './transport/hub.ts';
import { flowFields } from './transport/routing.ts';
import type {
  Destination,
  Flow,
  FlowClosed,
  FlowClosedHandler,
  Inbound,
  WsFlow,
} from './transport/types.ts';
import { UdpTransport, type UdpOptions } from './transport/udp.ts';
import { WsTransport, type WsOptions } from './transport/ws.ts';
import {
  TransactionLayer,
  type ClientHandlers,
  type ClientTransaction,
  type ServerTransaction,
} from './transaction/layer.ts';
import type { TimerConfig } from './transaction/types.ts';

export type {
  ClientHandlers,
  ClientTransaction,
  ResponseSource,
  ServerFailure,
  ServerTransaction,
} from './transaction/layer.ts';
export type { Destination, Flow, FlowClosed, UdpFlow, WsFlow } from './transport/types.ts';
export { udpDestination, viaFlow } from './transport/types.ts';

export interface SipStackOptions {
  udp: UdpOptions;
  /** RFC 3261 §17.1.1.1 T1, T2, T4 (ms), and optionally Timer D and the 100 Trying delay. */
  timers: Partial<TimerConfig>;
  /** Root logger: the stack logs under 'sip.transport' and 'sip.transaction'. */
  log: Logger;
  clock?: Clock;
  /** Live transactions at most (default 100 000); beyond it requests get 503 + Retry-After. */
  maxTransactions?: number;
  /** WebSocket keep-alive and backlog settings. */
  ws?: WsOptions;
}

export type RequestHandler = (tx: ServerTransaction) => void;
export type AckHandler = (ack: SipRequest, flow: Flow, tx: ServerTransaction | undefined) => void;

export interface SipStack {
  /** The bound UDP socket address (port 0 in the config: the one the OS chose). */
  readonly udpAddress: { readonly address: string; readonly port: number };
  /** host:port our Via carries on UDP (sip.publicAddress or the bound address): use it in Contact. */
  readonly udpSentBy: string;
  /** Live transactions. */
  readonly transactions: number;
  /** Hands an accepted WebSocket (/sip, subprotocol sip) to the stack. */
  attachWebSocket(ws: WebSocket, req: IncomingMessage): void;
  /** The core for new requests (one handler; default: answerUnhandled). */
  onRequest(handler: RequestHandler): void;
  /** ACKs for the core: 2xx ACKs and strays (default: swallowed). */
  onAck(handler: AckHandler): void;
  /** A WebSocket flow ended; drop what is bound to it. Returns an unsubscribe function. */
  onFlowClosed(handler: FlowClosedHandler): () => void;
  /** Starts a client transaction; see TransactionLayer.sendRequest. */
  sendRequest(req: SipRequest, dest: Destination, handlers: ClientHandlers): ClientTransaction;
  /** Sends the ACK of a 2xx (§13.2.2.4): new branch, no transaction. False if it could not be sent. */
  sendAck(ack: SipRequest, dest: Destination): boolean;
  /** Sends a response on a server transaction (same as tx.respond). */
  respond(tx: ServerTransaction, response: SipResponse): void;
  /** The live WebSocket flow for a `.invalid` URI or flow token (RFC 7118 §5). */
  connectionFor(target: Uri | string): WsFlow | undefined;
  /** Stops everything: closes the sockets, drops the transactions silently. */
  close(): Promise<void>;
}

export async function createSipStack(opts: SipStackOptions): Promise<SipStack> {
  const tlog = category(opts.log, 'sip.transport');
  const xlog = category(opts.log, 'sip.transaction');
  const clock = opts.clock ?? realClock;
  let requestHandler: RequestHandler = answerUnhandled;
  let ackHandler: AckHandler = (_ack, flow) =>
    xlog.debug(flowFields(flow), 'ACK not taken by anyone');
  const closedHandlers = new Set<FlowClosedHandler>();
  // The transports exist before the layer they deliver to: nothing arrives before it is set.
  const up: { layer?: TransactionLayer } = {};
  const onMessage = (inbound: Inbound): void => up.layer?.receive(inbound);
  const onClosed = (event: FlowClosed): void => {
    up.layer?.flowClosed(event.flow.connectionId);
    for (const handler of closedHandlers) handler(event);
  };
  const udp = await UdpTransport.open({ ...opts.udp, log: tlog, onMessage, clock });
  const ws = new WsTransport({ ...opts.ws, log: tlog, onMessage, onClosed, clock });
  const txLayer = new TransactionLayer({
    transport: transportLayer(udp, ws),
    tu: { request: (tx) => requestHandler(tx), ack: (ack, flow, tx) => ackHandler(ack, flow, tx) },
    log: xlog,
    clock,
    timers: opts.timers,
    ...(opts.maxTransactions === undefined ? {} : { maxTransactions: opts.maxTransactions }),
  });
  up.layer = txLayer;
  return {
    udpAddress: udp.address,
    udpSentBy: udp.sentBy,
    get transactions() {
      return txLayer.size;
    },
    attachWebSocket: (socket, req) => void ws.attach(socket, req),
    onRequest: (handler) => (requestHandler = handler),
    onAck: (handler) => (ackHandler = handler),
    onFlowClosed: (handler) => {
      closedHandlers.add(handler);
      return () => closedHandlers.delete(handler);
    },
    sendRequest: (req, dest, handlers) => txLayer.sendRequest(req, dest, handlers),
    sendAck: (ack, dest) => txLayer.sendAck(ack, dest),
    respond: (tx, response) => tx.respond(response),
    connectionFor: (target) => ws.connectionFor(target),
    close: async () => {
      txLayer.close();
      ws.close();
      await udp.close();
    },
  };
}

// ------------------------------------------------------------ default core

/** What the gateway implements today; answerUnhandled advertises it (§20.5). */
export const UNHANDLED_ALLOW = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS'];

/** Methods of RFC 3261 and the extensions a gateway meets: 405 for these, 501 for the rest (§8.2.1). */
const KNOWN_METHODS = new Set([
  ...UNHANDLED_ALLOW,
  'REGISTER',
  'PRACK',
  'SUBSCRIBE',
  'NOTIFY',
  'PUBLISH',
  'INFO',
  'REFER',
  'MESSAGE',
  'UPDATE',
]);

export interface UnhandledOptions {
  allow?: readonly string[];
  /** Accept of the OPTIONS answer (§11.2); default application/sdp. */
  accept?: readonly string[];
  /** Supported option tags (§11.2, §20.37); default none, sent as an empty list. */
  supported?: readonly string[];
}

/**
 * A core for while there are no calls: OPTIONS → 200 with Allow, Accept and
 * Supported (§11.2); INVITE → 480; anything inside a dialog we do not have,
 * and BYE, → 481 (§12.2.2, §15.1.2); other known methods → 405 with Allow
 * (§8.2.1); unknown methods → 501 (§21.5.2). CANCEL and ACK never get here:
 * the layer answers CANCEL (§9.2), the default ACK handler swallows ACKs.
 */
export function answerUnhandled(tx: ServerTransaction, opts: UnhandledOptions = {}): void {
  const allow: HeaderField = { name: 'Allow', value: (opts.allow ?? UNHANDLED_ALLOW).join(', ') };
  const method = tx.request.method;
  if (method === 'BYE' || hasToTag(tx.request)) {
    tx.reply(481, 'Call/Transaction Does Not Exist');
  } else if (method === 'OPTIONS') {
    tx.reply(200, 'OK', {
      headers: [
        allow,
        { name: 'Accept', value: (opts.accept ?? ['application/sdp']).join(', ') },
        { name: 'Supported', value: (opts.supported ?? []).join(', ') },
      ],
    });
  } else if (method === 'INVITE') {
    tx.reply(480, 'Temporarily Unavailable');
  } else if (KNOWN_METHODS.has(method)) {
    tx.reply(405, 'Method Not Allowed', { headers: [allow] });
  } else {
    tx.reply(501, 'Not Implemented', { headers: [allow] });
  }
}

function hasToTag(req: SipRequest): boolean {
  try {
    return tagOf(to(req)) !== undefined;
  } catch {
    return false;
  }
}
