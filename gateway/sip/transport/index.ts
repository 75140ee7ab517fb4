/**
 * SIP transports (RFC 3261 §18): UDP toward the PBX, WebSocket (RFC 7118)
 * toward browsers. See types.ts for flows and destinations.
 */
export * from './types.ts';
export * from './clock.ts';
export { UdpTransport, MAX_DATAGRAM, type UdpOptions, type UdpTransportOptions } from './udp.ts';
export { WsTransport, type WsOptions, type WsTransportOptions } from './ws.ts';
export { transportLayer, type TransportLayer } from './hub.ts';
export { responseDestination, hostForVia, plainAddress, DEFAULT_SIP_PORT } from './routing.ts';
