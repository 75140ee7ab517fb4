/**
 * Test fixtures for the transaction layer: a fake transport that records
 * what is sent, flows, request/response text builders, and a recording TU.
 * Used by layer*.test.ts; time is a FakeClock, nothing sleeps.
 */
import { getHeader } from '../message/headers.ts';
import { parseMessage } from '../message/parse.ts';
import type { SipMessage, SipRequest } from '../message/types.ts';
import type { TransportLayer } from '../transport/hub.ts';
import { readTopVia } from '../transport/routing.ts';
import type {
  Destination,
  Flow,
  Inbound,
  SendCallback,
  UdpFlow,
  WsFlow,
} from '../transport/types.ts';
import { createLogger } from '../../log.ts';
import { FakeClock } from './layer-clock.ts';
import { TransactionLayer, type LayerOptions, type ServerTransaction } from './layer.ts';

export const UDP: UdpFlow = {
  transport: 'udp',
  remoteAddress: '192.0.2.10',
  remotePort: 5060,
  localAddress: '192.0.2.1',
  localPort: 5060,
};

export const WS: WsFlow = {
  transport: 'ws',
  connectionId: 'ws-1',
  remoteAddress: '192.0.2.20',
  remotePort: 50000,
  localAddress: '192.0.2.1',
  localPort: 8080,
};

export interface Sent {
  readonly message: SipMessage;
  readonly dest: Destination;
  readonly done: SendCallback | undefined;
}

export class FakeTransport implements TransportLayer {
  readonly sent: Sent[] = [];
  /** While false, every send fails synchronously. */
  up = true;

  send(data: Buffer, dest: Destination, done?: SendCallback): boolean {
    if (!this.up) return false;
    const r = parseMessage(data, { framing: 'datagram' });
    if (!r.ok) throw r.error;
    this.sent.push({ message: r.message, dest, done });
    return true;
  }

  via(dest: Destination, branch: string): string {
    const ws = dest.kind === 'flow' && dest.flow.transport !== 'udp';
    return ws
      ? `SIP/2.0/WS 192.0.2.1:8080;branch=${branch}`
      : `SIP/2.0/UDP 192.0.2.1:5060;branch=${branch};rport`;
  }

  /** Start lines of everything sent, e.g. ["SIP/2.0 200", "ACK"]. */
  lines(): string[] {
    return this.sent.map(({ message: m }) =>
      m.kind === 'request' ? m.method : `SIP/2.0 ${m.status}`,
    );
  }

  take(): Sent[] {
    return this.sent.splice(0);
  }
}

export interface RequestSpec {
  branch?: string | null;
  toTag?: string;
  cseq?: number;
  callId?: string;
  via?: string;
  fromTag?: string;
}

export function requestText(method: string, spec: RequestSpec = {}): string {
  const branch = spec.branch === undefined ? 'z9hG4bK-1' : spec.branch;
  const via =
    spec.via ?? `SIP/2.0/UDP 192.0.2.10:5060${branch === null ? '' : `;branch=${branch}`}`;
  return [
    `${method} sip:alice@192.0.2.1 SIP/2.0`,
    `Via: ${via}`,
    'Max-Forwards: 70',
    `From: <sip:bob@example.com>;tag=${spec.fromTag ?? 'f1'}`,
    `To: <sip:alice@example.com>${spec.toTag === undefined ? '' : `;tag=${spec.toTag}`}`,
    `Call-ID: ${spec.callId ?? 'call-1'}`,
    `CSeq: ${spec.cseq ?? 1} ${method}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

export function parse(text: string): SipMessage {
  const r = parseMessage(Buffer.from(text), { framing: 'datagram' });
  if (!r.ok) throw r.error;
  return r.message;
}

export function inbound(text: string, flow: Flow): Inbound {
  const message = parse(text);
  return {
    message,
    flow,
    topVia: readTopVia(message, message.kind === 'request' ? flow : undefined),
  };
}

/** A response to a request we sent, as the peer would send it. */
export function responseTo(req: SipRequest, status: number, toTag?: string): string {
  const to = getHeader(req, 'To') ?? '';
  const lines = [
    `SIP/2.0 ${status} Whatever`,
    `Via: ${getHeader(req, 'Via') ?? ''}`,
    `From: ${getHeader(req, 'From') ?? ''}`,
    `To: ${toTag === undefined || to.includes(';tag=') ? to : `${to};tag=${toTag}`}`,
    `Call-ID: ${getHeader(req, 'Call-ID') ?? ''}`,
    `CSeq: ${getHeader(req, 'CSeq') ?? ''}`,
    'Content-Length: 0',
    '',
    '',
  ];
  return lines.join('\r\n');
}

/** A request the TU could send: no Via (the layer adds it). */
export function outgoing(method: string, cseq = 1): SipRequest {
  const req = parse(requestText(method, { cseq })) as SipRequest;
  req.headers = req.headers.filter((h) => h.name !== 'Via');
  return req;
}

export interface Harness {
  readonly clock: FakeClock;
  readonly transport: FakeTransport;
  readonly layer: TransactionLayer;
  readonly requests: ServerTransaction[];
  readonly acks: { ack: SipRequest; tx: ServerTransaction | undefined }[];
  /** What the TU does with each new request (default: nothing yet). */
  onRequest: (tx: ServerTransaction) => void;
  receive(text: string, flow?: Flow): void;
}

export function harness(opts: Partial<LayerOptions> = {}): Harness {
  const clock = new FakeClock();
  const transport = new FakeTransport();
  const h: Harness = {
    clock,
    transport,
    requests: [],
    acks: [],
    onRequest: () => undefined,
    layer: new TransactionLayer({
      transport,
      log: createLogger('silent'),
      clock,
      tu: {
        request: (tx) => {
          h.requests.push(tx);
          h.onRequest(tx);
        },
        ack: (ack, _flow, tx) => h.acks.push({ ack, tx }),
      },
      ...opts,
    }),
    receive: (text, flow = UDP) => h.layer.receive(inbound(text, flow)),
  };
  return h;
}

export function statusOf(s: Sent | undefined): number | undefined {
  return s?.message.kind === 'response' ? s.message.status : undefined;
}
