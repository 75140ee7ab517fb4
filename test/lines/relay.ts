/**
 * A UDP relay between the gateway and Kamailio that notes every request on
 * the wire: the registrar's view of what the gateway sent and when (order
 * and spacing of REGISTERs, how many a wrong password causes). The gateway
 * registers at the relay's port; Kamailio answers the relay (RFC 3581
 * rport), which passes the answer back.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { getHeader, to, cseq, callId } from '../../gateway/sip/message/headers.ts';
import { parseMessage } from '../../gateway/sip/message/parse.ts';

export interface SeenRequest {
  /** performance.now() when the relay received it. */
  readonly at: number;
  readonly method: string;
  /** To user (the line a REGISTER is for). */
  readonly user: string;
  readonly expires: number | undefined;
  readonly cseq: number;
  readonly callId: string;
  readonly authorized: boolean;
}

export interface Relay {
  readonly port: number;
  readonly seen: SeenRequest[];
  /** One entry per REGISTER transaction (the first datagram): UDP retransmissions (Timer E) repeat CSeq and Call-ID and are not counted — a loaded machine sends them. */
  registers(user?: string): SeenRequest[];
  close(): Promise<void>;
}

export async function startRelay(target: { host: string; port: number }): Promise<Relay> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const seen: SeenRequest[] = [];
  let client: RemoteInfo | undefined;
  socket.on('message', (data, from) => {
    if (from.address === target.host && from.port === target.port) {
      if (client !== undefined) socket.send(data, client.port, client.address);
      return;
    }
    client = from;
    note(data, seen);
    socket.send(data, target.port, target.host);
  });
  return {
    port: socket.address().port,
    seen,
    registers: (user) => {
      const keys = new Set<string>();
      return seen.filter((s) => {
        if (s.method !== 'REGISTER' || (user !== undefined && s.user !== user)) return false;
        const key = `${s.callId} ${s.cseq}`;
        if (keys.has(key)) return false;
        keys.add(key);
        return true;
      });
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

function note(data: Buffer, seen: SeenRequest[]): void {
  const r = parseMessage(data, { framing: 'datagram' });
  if (!r.ok || r.message.kind !== 'request') return;
  const m = r.message;
  const t = to(m).uri;
  const exp = getHeader(m, 'Expires');
  seen.push({
    at: performance.now(),
    method: m.method,
    user: t.kind === 'sip' ? (t.user ?? '') : '',
    expires: exp === undefined ? undefined : Number(exp),
    cseq: cseq(m).seq,
    callId: callId(m),
    authorized: getHeader(m, 'Authorization') !== undefined,
  });
}
