/**
 * Via handling that belongs to the transport (RFC 3261 §18): stamping
 * received/rport on requests as they arrive (§18.2.1, RFC 3581 §4), and
 * finding where a response goes (§18.2.2, RFC 3581 §4).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { parseViaList, formatVia } from '../message/via.ts';
import { hostEquals } from '../message/host.ts';
import type { SipMessage, Via } from '../message/types.ts';
import type { Destination, Flow } from './types.ts';

/** §18.2.2, §19.1.2: the port a sent-by without one means for UDP, TCP and WS alike. */
export const DEFAULT_SIP_PORT = 5060;

/** "::ffff:192.0.2.1" (an IPv4 client on a dual-stack socket) → "192.0.2.1". */
export function plainAddress(address: string): string {
  if (address.startsWith('::ffff:')) {
    const v4 = address.slice(7);
    if (isIPv4(v4)) return v4;
  }
  return address;
}

/** An address as a Via/URI host: IPv6 in brackets (RFC 5118 §4.1). */
export function hostForVia(address: string): string {
  const plain = plainAddress(address);
  return isIPv6(plain) ? `[${plain}]` : plain;
}

/** A host or received value as a socket address: brackets and quotes off. */
export function socketHost(host: string): string {
  let h = host;
  if (h.startsWith('"') && h.endsWith('"')) h = h.slice(1, -1);
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

function sameAddress(viaHost: string, address: string): boolean {
  return viaHost.startsWith('[') ? hostEquals(viaHost, `[${address}]`) : viaHost === address;
}

/** Index of the first Via header field; the parser stores it as "Via" (compact "v" included). */
function firstVia(msg: SipMessage): number {
  const headers = msg.headers;
  for (let i = 0; i < headers.length; i++) if (headers[i]?.name === 'Via') return i;
  return -1;
}

/**
 * The top Via of a message the parser accepted (so a Via exists and parses).
 * For a request, stamps it with where it really came from:
 *  - §18.2.1: `received` when the sent-by host is not the source address;
 *  - RFC 3581 §4: an empty `rport` gets the source port, and then `received`
 *    is added even when the host equals the source address.
 * The header field is rewritten only when something was stamped.
 */
export function readTopVia(msg: SipMessage, source: Flow | undefined): Via {
  const index = firstVia(msg);
  const field = msg.headers[index];
  if (field === undefined) throw new Error('message without Via');
  const list = parseViaList(field.value);
  const via = list[0];
  if (via === undefined) throw new Error('empty Via');
  if (source !== undefined && stamp(via, plainAddress(source.remoteAddress), source.remotePort)) {
    field.value = list.length === 1 ? formatVia(via) : list.map(formatVia).join(', ');
  }
  return via;
}

function stamp(via: Via, address: string, port: number): boolean {
  const wantsRport = via.params.get('rport') === null;
  if (!wantsRport && sameAddress(via.host, address)) return false;
  via.params.set('received', address);
  if (wantsRport) via.params.set('rport', String(port));
  return true;
}

/**
 * Where a response to a request with this (stamped) top Via goes.
 * Reliable flows: back over the same connection (§18.2.2, RFC 7118 §5).
 * UDP (§18.2.2 unreliable unicast, RFC 3581 §4): maddr with the sent-by port;
 * else received with rport, or the sent-by port; else the sent-by itself.
 */
export function responseDestination(via: Via, flow: Flow): Destination {
  if (flow.transport !== 'udp') return { kind: 'flow', flow };
  const sentByPort = via.port ?? DEFAULT_SIP_PORT;
  const maddr = via.params.get('maddr');
  if (maddr !== undefined && maddr !== null) {
    return { kind: 'udp', host: socketHost(maddr), port: sentByPort };
  }
  const rportValue = via.params.get('rport');
  const rport = rportValue === undefined || rportValue === null ? undefined : Number(rportValue);
  const received = via.params.get('received');
  const host = received !== undefined && received !== null ? received : via.host;
  return { kind: 'udp', host: socketHost(host), port: rport ?? sentByPort };
}

/** Log fields naming a flow. */
export function flowFields(flow: Flow): Record<string, string | number> {
  const remote = `${hostForVia(flow.remoteAddress)}:${flow.remotePort}`;
  return flow.transport === 'udp'
    ? { transport: 'udp', remote }
    : { transport: flow.transport, remote, conn: flow.connectionId };
}
