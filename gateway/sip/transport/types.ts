/**
 * The transport layer's vocabulary (RFC 3261 §18; RFC 7118 for WebSocket):
 * where a message came from (its Flow), where one goes (a Destination), and
 * what a transport hands up (an Inbound message with its parsed top Via).
 */
import type { SipMessage, Via } from '../message/types.ts';

interface FlowBase {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
}

/** A datagram's source and the socket that received it. */
export interface UdpFlow extends FlowBase {
  readonly transport: 'udp';
}

/** One WebSocket connection (RFC 7118): everything to that client goes back over it. */
export interface WsFlow extends FlowBase {
  readonly transport: 'ws' | 'wss';
  /** Unique for the life of the process: "ws-17". Also a flow token for connectionFor(). */
  readonly connectionId: string;
}

export type Flow = UdpFlow | WsFlow;

/**
 * Where to send: back along a flow (responses; requests over a client's
 * WebSocket or to the PBX address a request came from), or to a UDP
 * address (host may be a name: it is resolved by the OS on each send).
 */
export type Destination =
  | { readonly kind: 'flow'; readonly flow: Flow }
  | { readonly kind: 'udp'; readonly host: string; readonly port: number };

export function viaFlow(flow: Flow): Destination {
  return { kind: 'flow', flow };
}

export function udpDestination(host: string, port: number): Destination {
  return { kind: 'udp', host, port };
}

/** RFC 3261 §18 "reliable": WebSocket runs over TCP; UDP does not. */
export function isReliable(dest: Destination): boolean {
  return dest.kind === 'flow' && dest.flow.transport !== 'udp';
}

/**
 * A parsed message with the flow it arrived on and its top Via, already
 * parsed (and for requests stamped with received/rport, RFC 3261 §18.2.1,
 * RFC 3581 §4) so that the layers above need not parse it again.
 */
export interface Inbound {
  readonly message: SipMessage;
  readonly flow: Flow;
  readonly topVia: Via;
}

export type InboundHandler = (inbound: Inbound) => void;

/** Why a WebSocket flow ended. */
export type FlowCloseReason =
  /** The peer (or we) closed it normally. */
  | 'closed'
  /** No pong within the deadline after a ping. */
  | 'dead'
  /** A frame over 64 KiB (close code 1009). */
  | 'too-large'
  /** The client did not read fast enough: its send backlog hit the limit. */
  | 'backlog'
  /** A socket error. */
  | 'error'
  /** The stack is shutting down. */
  | 'shutdown';

export interface FlowClosed {
  readonly flow: WsFlow;
  readonly reason: FlowCloseReason;
  /** WebSocket close code, when one was received or sent (RFC 6455 §7.4). */
  readonly code: number | undefined;
}

export type FlowClosedHandler = (event: FlowClosed) => void;

/**
 * Completion of a send that was accepted: `err` is set when it failed later
 * (UDP DNS failure, socket error, WebSocket closed mid-write).
 */
export type SendCallback = (err: Error | null | undefined) => void;
