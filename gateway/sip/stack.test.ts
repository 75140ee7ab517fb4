import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../log.ts';
import { getHeader, topVia } from './message/headers.ts';
import { parseMessage } from './message/parse.ts';
import type { SipMessage, SipRequest, SipResponse } from './message/types.ts';
import { parseUri } from './message/uri.ts';
import {
  answerUnhandled,
  createSipStack,
  udpDestination,
  viaFlow,
  type FlowClosed,
  type SipStack,
} from './stack.ts';
import { harness, outgoing, requestText } from './transaction/layer-testkit.ts';
import { WsClient, startWsServer, type SipWsServer } from './transport/ws-testkit.ts';

function parsed(data: Buffer | string, framing: 'datagram' | 'frame' = 'datagram'): SipMessage {
  const r = parseMessage(Buffer.from(data), { framing });
  if (!r.ok) throw r.error;
  return r.message;
}

function response(data: Buffer | string, framing: 'datagram' | 'frame' = 'datagram'): SipResponse {
  const m = parsed(data, framing);
  assert.equal(m.kind, 'response');
  return m;
}

/** The peer's answer to a request it received: Via, From, To (+tag), Call-ID, CSeq copied. */
function answer(req: SipRequest, status: number): string {
  const h = (n: string): string => getHeader(req, n) ?? '';
  return [
    `SIP/2.0 ${status} OK`,
    `Via: ${h('Via')}`,
    `From: ${h('From')}`,
    `To: ${h('To')};tag=peer`,
    `Call-ID: ${h('Call-ID')}`,
    `CSeq: ${h('CSeq')}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('answerUnhandled (the default core)', () => {
  const cases: [string, number, { toTag?: string }?][] = [
    ['OPTIONS', 200],
    ['INVITE', 480],
    ['BYE', 481],
    ['INFO', 481, { toTag: 'd1' }],
    ['REGISTER', 405],
    ['SUBSCRIBE', 405],
    ['FROBNICATE', 501],
  ];
  for (const [method, status, spec] of cases) {
    it(`${method}${spec?.toTag ? ' in an unknown dialog' : ''} → ${status}`, () => {
      const h = harness();
      h.onRequest = (tx) => answerUnhandled(tx);
      h.receive(requestText(method, spec));
      const res = h.transport.sent[0]?.message;
      assert.equal(res?.kind, 'response');
      assert.equal(res.status, status);
      if (status === 200) {
        assert.equal(getHeader(res, 'Allow'), 'INVITE, ACK, CANCEL, BYE, OPTIONS');
        assert.equal(getHeader(res, 'Accept'), 'application/sdp');
        assert.equal(getHeader(res, 'Supported'), '');
      }
      if (status === 405 || status === 501) assert.ok(getHeader(res, 'Allow'));
    });
  }
});

describe('SIP stack over UDP and WebSocket', () => {
  let stack: SipStack;
  let http: SipWsServer;
  const closed: FlowClosed[] = [];

  before(async () => {
    stack = await createSipStack({
      udp: { host: '127.0.0.1', port: 0 },
      timers: { t1: 500, t2: 4000, t4: 5000 },
      log: createLogger('silent'),
      ws: { pingIntervalMs: 60_000 },
    });
    stack.onFlowClosed((e) => closed.push(e));
    http = await startWsServer((ws, req) => stack.attachWebSocket(ws, req));
  });
  after(async () => {
    await stack.close();
    await http.close();
  });

  it('UDP: OPTIONS → 200 (Allow, Accept, Supported); a retransmission gets the same bytes', async () => {
    const peer = createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
    const got: Buffer[] = [];
    const two = new Promise<void>((r) => peer.on('message', (b) => got.push(b) === 2 && r()));
    const text = requestText('OPTIONS', {
      via: 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-e2e;rport',
    });
    peer.send(text, stack.udpAddress.port, '127.0.0.1');
    peer.send(text, stack.udpAddress.port, '127.0.0.1');
    await two;
    peer.close();
    const res = response(got[0]!);
    assert.equal(res.status, 200);
    assert.ok(getHeader(res, 'Allow'));
    // RFC 3581: the response reached us at the packet's source, not 192.0.2.1:5060.
    assert.match(getHeader(res, 'Via') ?? '', /;rport=\d+;received=127\.0\.0\.1$/);
    assert.deepEqual(got[1], got[0]);
  });

  it('UDP client transaction: our Via (sent-by, rport); the peer answers to it; onFinal', async () => {
    const peer = createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
    peer.on('message', (b, rinfo) => {
      const req = parsed(b) as SipRequest;
      peer.send(answer(req, 200), rinfo.port, rinfo.address);
    });
    const final = await new Promise<{ res: SipResponse; source: string; tx: SipRequest }>(
      (resolve) => {
        const tx = stack.sendRequest(
          outgoing('OPTIONS'),
          udpDestination('127.0.0.1', peer.address().port),
          {
            onFinal: (res, source) => resolve({ res, source, tx: tx.request }),
          },
        );
      },
    );
    peer.close();
    assert.equal(final.res.status, 200);
    assert.equal(final.source, 'network');
    const via = topVia(final.tx);
    assert.equal(`${via.host}:${via.port}`, stack.udpSentBy);
    assert.ok(via.params.has('rport'));
  });

  it('WS: OPTIONS → 200; a request to the client .invalid URI goes back over that connection', async () => {
    const client = await WsClient.connect(http.url);
    const via = 'SIP/2.0/WS r4nd0m.invalid;branch=z9hG4bK-ws1';
    client.send(requestText('OPTIONS', { via }));
    const ok = response(await client.next(), 'frame');
    assert.equal(ok.status, 200);
    const flow = stack.connectionFor(parseUri('sip:u7x@r4nd0m.invalid;transport=ws'));
    assert.ok(flow);
    const final = new Promise<number>((resolve) => {
      stack.sendRequest(outgoing('MESSAGE'), viaFlow(flow), {
        onFinal: (res) => resolve(res.status),
      });
    });
    const req = parsed(await client.next(), 'frame');
    assert.equal(req.kind, 'request');
    assert.equal(req.method, 'MESSAGE');
    assert.match(getHeader(req, 'Via') ?? '', /^SIP\/2\.0\/WS 127\.0\.0\.1:\d+;branch=z9hG4bK/);
    client.send(answer(req, 200));
    assert.equal(await final, 200);
    client.close();
    await client.closed;
  });

  it('WS: an INVITE to a client that disconnects while ringing ends with 503; flow-closed is reported', async () => {
    const client = await WsClient.connect(http.url);
    client.send(requestText('OPTIONS', { via: 'SIP/2.0/WS g0ne.invalid;branch=z9hG4bK-ws2' }));
    await client.next();
    const flow = stack.connectionFor('g0ne.invalid');
    assert.ok(flow);
    const final = new Promise<string>((resolve) => {
      stack.sendRequest(outgoing('INVITE'), viaFlow(flow), {
        onFinal: (res, source) => resolve(`${res.status} ${source}`),
      });
    });
    const invite = parsed(await client.next(), 'frame') as SipRequest;
    client.send(answer(invite, 180));
    await new Promise((r) => setImmediate(r));
    client.close();
    assert.equal(await final, '503 transport-error');
    assert.ok(closed.some((c) => c.flow.connectionId === flow.connectionId));
    assert.equal(stack.connectionFor('g0ne.invalid'), undefined);
  });
});
