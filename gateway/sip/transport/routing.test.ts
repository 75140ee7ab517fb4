import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getHeader } from '../message/headers.ts';
import { parseMessage } from '../message/parse.ts';
import { parseVia } from '../message/via.ts';
import { hostForVia, readTopVia, responseDestination } from './routing.ts';
import type { UdpFlow, WsFlow } from './types.ts';

const udp = (remoteAddress: string, remotePort: number): UdpFlow => ({
  transport: 'udp',
  remoteAddress,
  remotePort,
  localAddress: '0.0.0.0',
  localPort: 5060,
});
const ws: WsFlow = { ...udp('192.0.2.7', 40000), transport: 'wss', connectionId: 'ws-9' };

function request(via: string): ReturnType<typeof parseMessage> {
  const text = [
    'OPTIONS sip:gw@example.com SIP/2.0',
    `Via: ${via}`,
    'From: <sip:a@example.com>;tag=1',
    'To: <sip:gw@example.com>',
    'Call-ID: r',
    'CSeq: 1 OPTIONS',
    '',
    '',
  ].join('\r\n');
  return parseMessage(Buffer.from(text), { framing: 'datagram' });
}

describe('response destination (RFC 3261 §18.2.2, RFC 3581 §4)', () => {
  const dest = (via: string) => responseDestination(parseVia(via), udp('198.51.100.1', 1234));

  it('sent-by, with 5060 when no port', () => {
    assert.deepEqual(dest('SIP/2.0/UDP pbx.example.com;branch=z9hG4bK1'), {
      kind: 'udp',
      host: 'pbx.example.com',
      port: 5060,
    });
    assert.deepEqual(dest('SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1'), {
      kind: 'udp',
      host: '192.0.2.1',
      port: 5070,
    });
  });

  it('received, with rport when it has a value, else the sent-by port', () => {
    assert.deepEqual(dest('SIP/2.0/UDP 10.0.0.1:5070;received=198.51.100.1;rport=1234'), {
      kind: 'udp',
      host: '198.51.100.1',
      port: 1234,
    });
    assert.deepEqual(dest('SIP/2.0/UDP 10.0.0.1:5070;received=198.51.100.1'), {
      kind: 'udp',
      host: '198.51.100.1',
      port: 5070,
    });
  });

  it('maddr wins, with the sent-by port', () => {
    assert.deepEqual(
      dest('SIP/2.0/UDP 10.0.0.1:5070;maddr=239.1.1.1;received=198.51.100.1;rport=1'),
      {
        kind: 'udp',
        host: '239.1.1.1',
        port: 5070,
      },
    );
  });

  it('IPv6 hosts lose their brackets for the socket', () => {
    assert.deepEqual(dest('SIP/2.0/UDP [2001:db8::1]:5062;branch=z9hG4bK1'), {
      kind: 'udp',
      host: '2001:db8::1',
      port: 5062,
    });
  });

  it('WebSocket: back over the connection, whatever the Via says', () => {
    assert.deepEqual(responseDestination(parseVia('SIP/2.0/WSS abc.invalid;branch=z9hG4bK1'), ws), {
      kind: 'flow',
      flow: ws,
    });
  });
});

describe('received/rport stamping (§18.2.1, RFC 3581 §4)', () => {
  it('IPv6 source equal to a bracketed sent-by: nothing added', () => {
    const r = request('SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1');
    assert.ok(r.ok);
    readTopVia(r.message, udp('2001:db8:0:0::1', 5060));
    assert.equal(getHeader(r.message, 'Via'), 'SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1');
  });

  it('IPv4-mapped source and an empty rport: received is the plain IPv4 address', () => {
    const r = request('SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;rport');
    assert.ok(r.ok);
    const via = readTopVia(r.message, udp('::ffff:198.51.100.9', 6000));
    assert.equal(via.params.get('received'), '198.51.100.9');
    assert.equal(via.params.get('rport'), '6000');
  });

  it('only the top value of a comma-separated Via is stamped', () => {
    const r = request('SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2');
    assert.ok(r.ok);
    readTopVia(r.message, udp('198.51.100.9', 5060));
    assert.equal(
      getHeader(r.message, 'Via'),
      'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;received=198.51.100.9, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2',
    );
  });

  it('hosts for our own Via', () => {
    assert.equal(hostForVia('::1'), '[::1]');
    assert.equal(hostForVia('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(hostForVia('192.0.2.1'), '192.0.2.1');
  });
});
