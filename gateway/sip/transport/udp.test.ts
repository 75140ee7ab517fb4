import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { getHeader } from '../message/headers.ts';
import { parseMessage } from '../message/parse.ts';
import type { SipMessage } from '../message/types.ts';
import { createLogger } from '../../log.ts';
import type { Inbound } from './types.ts';
import { MAX_DATAGRAM, UdpTransport } from './udp.ts';

/** A peer socket whose datagrams are awaited one by one. */
class Peer {
  readonly socket: Socket = createSocket('udp4');
  private readonly inbox: Buffer[] = [];
  private waiter: ((b: Buffer) => void) | undefined;

  async open(): Promise<this> {
    this.socket.on('message', (b) => {
      const w = this.waiter;
      this.waiter = undefined;
      if (w) w(b);
      else this.inbox.push(b);
    });
    await new Promise<void>((r) => this.socket.bind(0, '127.0.0.1', () => r()));
    return this;
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(text: string | Buffer, port: number): void {
    this.socket.send(typeof text === 'string' ? Buffer.from(text) : text, port, '127.0.0.1');
  }

  next(): Promise<Buffer> {
    const b = this.inbox.shift();
    if (b) return Promise.resolve(b);
    return new Promise((r) => (this.waiter = r));
  }

  close(): void {
    this.socket.close();
  }
}

function options(via: string): string {
  return [
    'OPTIONS sip:gw@127.0.0.1 SIP/2.0',
    `Via: ${via}`,
    'From: <sip:pbx@example.com>;tag=a',
    'To: <sip:gw@example.com>',
    'Call-ID: udp-test',
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function parsed(b: Buffer): SipMessage {
  const r = parseMessage(b, { framing: 'datagram' });
  if (!r.ok) throw r.error;
  return r.message;
}

describe('UDP transport on loopback', () => {
  const received: Inbound[] = [];
  let waiting: ((i: Inbound) => void) | undefined;
  const nextInbound = (): Promise<Inbound> => {
    const i = received.shift();
    return i ? Promise.resolve(i) : new Promise((r) => (waiting = r));
  };
  let udp: UdpTransport;
  let peer: Peer;

  before(async () => {
    udp = await UdpTransport.open({
      host: '127.0.0.1',
      port: 0,
      publicAddress: '198.51.100.7',
      log: createLogger('silent'),
      onMessage: (i) => {
        const w = waiting;
        waiting = undefined;
        if (w) w(i);
        else received.push(i);
      },
    });
    peer = await new Peer().open();
  });
  after(async () => {
    peer.close();
    await udp.close();
  });

  it('binds to an OS-chosen port; Via sent-by is the public address', () => {
    assert.ok(udp.address.port > 0);
    assert.equal(udp.sentBy, `198.51.100.7:${udp.address.port}`);
  });

  it('stamps received and fills an empty rport (RFC 3581 §4)', async () => {
    peer.send(options('SIP/2.0/UDP 192.0.2.99:5099;branch=z9hG4bK-u1;rport'), udp.address.port);
    const inbound = await nextInbound();
    assert.equal(inbound.flow.transport, 'udp');
    assert.equal(inbound.flow.remotePort, peer.port);
    assert.equal(inbound.topVia.params.get('received'), '127.0.0.1');
    assert.equal(inbound.topVia.params.get('rport'), String(peer.port));
    assert.equal(
      getHeader(inbound.message, 'Via'),
      `SIP/2.0/UDP 192.0.2.99:5099;branch=z9hG4bK-u1;rport=${peer.port};received=127.0.0.1`,
    );
  });

  it('leaves a Via alone that names the source and asks for no rport (§18.2.1)', async () => {
    const via = `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-u2`;
    peer.send(options(via), udp.address.port);
    const inbound = await nextInbound();
    assert.equal(getHeader(inbound.message, 'Via'), via);
  });

  it('answers a double-CRLF ping with a CRLF pong (RFC 5626 §4.4.1)', async () => {
    peer.send('\r\n\r\n', udp.address.port);
    assert.equal((await peer.next()).toString(), '\r\n');
  });

  it('answers a malformed request 400 with the parse error as reason, copying Via/From/To/Call-ID/CSeq', async () => {
    const bad = options('SIP/2.0/UDP 192.0.2.99;branch=z9hG4bK-bad').replace(
      'Max-Forwards: 70',
      'Max-Forwards: many',
    );
    peer.send(bad, udp.address.port);
    const res = parsed(await peer.next());
    assert.equal(res.kind, 'response');
    assert.equal(res.status, 400);
    assert.match(res.reason, /^Bad Request - .*Max-Forwards/);
    assert.equal(getHeader(res, 'Call-ID'), 'udp-test');
    assert.equal(getHeader(res, 'From'), '<sip:pbx@example.com>;tag=a');
    assert.equal(getHeader(res, 'CSeq'), '1 OPTIONS');
    assert.equal(getHeader(res, 'Via'), 'SIP/2.0/UDP 192.0.2.99;branch=z9hG4bK-bad');
    assert.match(getHeader(res, 'To') ?? '', /;tag=/);
  });

  it('a request too broken to copy from (no Call-ID) still gets its 400', async () => {
    const bad = options('SIP/2.0/UDP 192.0.2.99;branch=z9hG4bK-nocid').replace(
      'Call-ID: udp-test\r\n',
      '',
    );
    peer.send(bad, udp.address.port);
    const text = (await peer.next()).toString();
    assert.match(text, /^SIP\/2\.0 400 Bad Request - Missing Call-ID\r\n/);
    assert.match(text, /\r\nCSeq: 1 OPTIONS\r\n/);
  });

  it('drops a malformed response and garbage without answering', async () => {
    peer.send('SIP/2.0 200 OK\r\nVia: nonsense\r\n\r\n', udp.address.port);
    peer.send('hello world', udp.address.port);
    peer.send('\r\n\r\n', udp.address.port);
    // The first thing back is the pong: nothing answered the two before it.
    assert.equal((await peer.next()).toString(), '\r\n');
    assert.equal(received.length, 0);
  });

  it('refuses to send a message over the UDP limit', () => {
    assert.equal(udp.send(Buffer.alloc(MAX_DATAGRAM + 1, 0x41), '127.0.0.1', peer.port), false);
    assert.equal(udp.send(Buffer.from('\r\n'), '127.0.0.1', peer.port), true);
  });

  it('reports a failed send through the callback (unresolvable host)', async () => {
    const err = await new Promise<Error | null | undefined>((resolve) => {
      udp.send(Buffer.from('x'), 'no-such-host.invalid', 5060, resolve);
    });
    assert.ok(err instanceof Error);
  });
});
