/**
 * SIP over WebSocket (RFC 7118), server side: every accepted WebSocket
 * becomes a WsConnection with its own flow. A browser cannot accept
 * connections, so every request to it must go back over the connection it
 * opened (RFC 7118 §5, RFC 5626): the transport remembers which connection
 * uses which `<token>.invalid` host (JsSIP puts it in Via and Contact) and
 * answers connectionFor() with the live one.
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { contacts } from '../message/headers.ts';
import type { SipRequest, Uri } from '../message/types.ts';
import type { Logger } from '../../log.ts';
import { realClock, type Clock } from './clock.ts';
import type { ReceiveContext } from './inbound.ts';
import { LogBudget } from './log-budget.ts';
import { flowFields } from './routing.ts';
import { WsConnection, type KeepAlive } from './ws-connection.ts';
import type {
  FlowClosed,
  FlowClosedHandler,
  Inbound,
  InboundHandler,
  SendCallback,
  WsFlow,
} from './types.ts';

export interface WsOptions {
  /** Milliseconds between WebSocket pings; default 30 000; 0 disables keep-alive. */
  pingIntervalMs?: number;
  /** Milliseconds a pong may take; default 10 000. */
  pongTimeoutMs?: number;
  /** Per-connection send backlog (ws bufferedAmount); default 1 MiB. */
  maxBufferedBytes?: number;
}

export interface WsTransportOptions extends WsOptions {
  log: Logger;
  onMessage: InboundHandler;
  onClosed: FlowClosedHandler;
  clock?: Clock;
}

const DEFAULT_PING_MS = 30_000;
const DEFAULT_PONG_MS = 10_000;
const DEFAULT_BACKLOG = 1024 * 1024;
/** A client gets this many aliases; more would only be a way to grow our tables. */
const MAX_ALIASES = 8;
const INVALID_TLD = '.invalid';

export class WsTransport {
  private readonly connections = new Map<string, WsConnection>();
  /** Lower-cased `.invalid` host → the connection that used it last. */
  private readonly aliases = new Map<string, WsConnection>();
  private readonly keepAlive: KeepAlive;
  private readonly clock: Clock;
  private readonly budget: LogBudget;
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: WsTransportOptions) {
    this.clock = opts.clock ?? realClock;
    this.budget = new LogBudget(opts.log, this.clock);
    this.keepAlive = {
      pingIntervalMs: opts.pingIntervalMs ?? DEFAULT_PING_MS,
      pongTimeoutMs: opts.pongTimeoutMs ?? DEFAULT_PONG_MS,
    };
  }

  /** Number of open connections. */
  get size(): number {
    return this.connections.size;
  }

  /** Takes over an accepted WebSocket (subprotocol "sip", RFC 7118 §4). */
  attach(ws: WebSocket, req: IncomingMessage): WsFlow | undefined {
    if (this.closed) {
      ws.close(1001, 'SIP stack shutting down');
      return undefined;
    }
    const socket = req.socket;
    const secure = 'encrypted' in socket && socket.encrypted === true;
    const flow: WsFlow = {
      transport: secure ? 'wss' : 'ws',
      connectionId: `ws-${this.nextId++}`,
      remoteAddress: socket.remoteAddress ?? '',
      remotePort: socket.remotePort ?? 0,
      localAddress: socket.localAddress ?? '',
      localPort: socket.localPort ?? 0,
    };
    const conn: WsConnection = new WsConnection(flow, ws, {
      clock: this.clock,
      log: this.opts.log,
      keepAlive: this.keepAlive,
      maxBufferedBytes: this.opts.maxBufferedBytes ?? DEFAULT_BACKLOG,
      ctx: this.contextFor((): WsConnection => conn),
      ended: (c, event) => this.ended(c, event),
    });
    this.connections.set(flow.connectionId, conn);
    this.opts.log.info(flowFields(flow), 'SIP WebSocket opened');
    return flow;
  }

  /** Sends over a connection; false when it is gone or over its backlog. */
  send(data: Buffer, connectionId: string, done?: SendCallback): boolean {
    const conn = this.connections.get(connectionId);
    return conn !== undefined && conn.send(data, done);
  }

  /**
   * The live connection to send a request to a WebSocket client over: by a
   * URI whose host is a `.invalid` host the client used (its Contact or
   * Request-URI), or by a flow token (a connection id or such a host).
   */
  connectionFor(target: Uri | string): WsFlow | undefined {
    if (typeof target === 'string') {
      return (this.connections.get(target) ?? this.aliases.get(target.toLowerCase()))?.flow;
    }
    return target.kind === 'sip' ? this.aliases.get(target.host)?.flow : undefined;
  }

  /** Closes every connection (1001) and reports each as 'shutdown'. */
  close(): void {
    this.closed = true;
    for (const conn of [...this.connections.values()]) conn.close('shutdown');
  }

  private contextFor(conn: () => WsConnection): ReceiveContext {
    const onMessage = (inbound: Inbound): void => {
      if (inbound.message.kind === 'request') this.learn(conn(), inbound);
      this.opts.onMessage(inbound);
    };
    return { framing: 'frame', log: this.opts.log, budget: this.budget, onMessage };
  }

  /** Remembers the `.invalid` hosts of a request's top Via and Contacts (RFC 7118 §5, JsSIP). */
  private learn(conn: WsConnection, inbound: Inbound): void {
    this.alias(conn, inbound.topVia.host);
    const msg = inbound.message as SipRequest;
    if (msg.headers.some((h) => h.name === 'Contact')) {
      const list = contacts(msg);
      if (list !== '*')
        for (const c of list) if (c.uri.kind === 'sip') this.alias(conn, c.uri.host);
    }
  }

  private alias(conn: WsConnection, host: string): void {
    if (!host.endsWith(INVALID_TLD) || this.aliases.get(host) === conn) return;
    if (conn.aliases.size >= MAX_ALIASES) {
      this.budget.debug(
        () => ({ ...flowFields(conn.flow), host }),
        'too many .invalid hosts on one connection',
      );
      return;
    }
    // The newest connection wins: a client that reconnects keeps its host (JsSIP does).
    this.aliases.get(host)?.aliases.delete(host);
    this.aliases.set(host, conn);
    conn.aliases.add(host);
  }

  private ended(conn: WsConnection, event: FlowClosed): void {
    this.connections.delete(conn.flow.connectionId);
    for (const host of conn.aliases) if (this.aliases.get(host) === conn) this.aliases.delete(host);
    conn.aliases.clear();
    this.opts.log.info(
      { ...flowFields(conn.flow), reason: event.reason, code: event.code },
      'SIP WebSocket closed',
    );
    try {
      this.opts.onClosed(event);
    } catch (err) {
      this.opts.log.error({ err, ...flowFields(conn.flow) }, 'flow-closed handler failed');
    }
  }
}
