/**
 * The transports as the transaction layer sees them: send bytes to a
 * Destination, and the Via a request to that destination carries
 * (RFC 3261 §18.1.1). The layer talks to this interface only, so its tests
 * run against a fake.
 */
import type { UdpTransport } from './udp.ts';
import type { WsTransport } from './ws.ts';
import { hostForVia, socketHost } from './routing.ts';
import type { Destination, SendCallback } from './types.ts';

export interface TransportLayer {
  /**
   * False when the message could not be handed to a socket (connection gone,
   * backlog full, too large for UDP); otherwise true, and `done` learns of a
   * later failure.
   */
  send(data: Buffer, dest: Destination, done?: SendCallback): boolean;
  /**
   * The top Via value for a request sent to `dest` with this branch: the
   * transport's name and our sent-by (§18.1.1), and for UDP an empty rport
   * (RFC 3581 §3) so that responses come back to the port we sent from.
   */
  via(dest: Destination, branch: string): string;
}

export function transportLayer(udp: UdpTransport, ws: WsTransport): TransportLayer {
  return {
    send(data, dest, done) {
      if (dest.kind === 'udp') return udp.send(data, socketHost(dest.host), dest.port, done);
      const flow = dest.flow;
      switch (flow.transport) {
        case 'udp':
          return udp.send(data, flow.remoteAddress, flow.remotePort, done);
        case 'ws':
        case 'wss':
          return ws.send(data, flow.connectionId, done);
      }
    },
    via(dest, branch) {
      if (dest.kind === 'udp' || dest.flow.transport === 'udp') {
        return `SIP/2.0/UDP ${udp.sentBy};branch=${branch};rport`;
      }
      const flow = dest.flow;
      const sentBy = `${hostForVia(flow.localAddress)}:${flow.localPort}`;
      return `SIP/2.0/${flow.transport === 'wss' ? 'WSS' : 'WS'} ${sentBy};branch=${branch}`;
    },
  };
}
