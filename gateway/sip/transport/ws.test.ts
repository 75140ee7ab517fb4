import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import { parseUri } from '../message/uri.ts';
import { createLogger } from '../../log.ts';
import type { FlowClosed, Inbound } from './types.ts';
import { WsTransport } from './ws.ts';
import { WsClient, startWsServer, type SipWsServer } from './ws-testkit.ts';

/** Values delivered by callbacks, awaited in order. */
class Channel<T> {
  private readonly items: T[] = [];
  private waiter: ((t: T) => void) | undefined;
  push = (t: T): void => {
    const w = this.waiter;
    this.waiter = undefined;
    if (w) w(t);
    else this.items.push(t);
  };
  next(): Promise<T> {
    const t = this.items.shift();
    return t !== undefined ? Promise.resolve(t) : new Promise((r) => (this.waiter = r));
  }
  get size(): number {
    return this.items.length;
  }
}

function request(method: string, host: string, extra: string[] = []): string {
  return [
    `${method} sip:gw@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/WS ${host};branch=z9hG4bK-${method}`,
    'From: <sip:alice@example.com>;tag=a1',
    'To: <sip:gw@example.com>',
    'Call-ID: ws-test',
    `CSeq: 1 ${method}`,
    'Max-Forwards: 70',
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('WebSocket transport', () => {
  const messages = new Channel<Inbound>();
  const closures = new Channel<FlowClosed>();
  let transport: WsTransport;
  let server: SipWsServer;

  before(async () => {
    transport = new WsTransport({
      log: createLogger('silent'),
      onMessage: messages.push,
      onClosed: closures.push,
      // Short, but a pong has ample time: only the silent client may miss its deadline.
      pingIntervalMs: 25,
      pongTimeoutMs: 250,
    });
    server = await startWsServer((ws, req) => transport.attach(ws, req));
  });
  after(async () => {
    transport.close();
    await server.close();
  });

  it('frames one message per frame; flow is ws with a connection id; received is stamped', async () => {
    const client = await WsClient.connect(server.url);
    client.send(request('OPTIONS', 'df7jal23ls0d.invalid'));
    const inbound = await messages.next();
    assert.equal(inbound.flow.transport, 'ws');
    assert.match(inbound.flow.connectionId, /^ws-\d+$/);
    assert.equal(inbound.topVia.params.get('received'), '127.0.0.1');
    client.close();
    assert.equal((await closures.next()).reason, 'closed');
  });

  it('routes requests for a .invalid host back over the same connection, until it closes', async () => {
    const client = await WsClient.connect(server.url);
    client.send(
      request('REGISTER', 'k2j3h4.invalid', [
        'Contact: <sip:x9y8@c0ntact.invalid;transport=ws>;expires=600',
      ]),
    );
    const inbound = await messages.next();
    const flow = transport.connectionFor(parseUri('sip:x9y8@k2j3h4.invalid;transport=ws'));
    assert.deepEqual(flow, inbound.flow);
    assert.deepEqual(transport.connectionFor(parseUri('sip:x9y8@c0ntact.invalid')), inbound.flow);
    assert.deepEqual(transport.connectionFor('K2J3H4.invalid'), inbound.flow);
    assert.ok(flow);
    assert.deepEqual(transport.connectionFor(flow.connectionId), flow);
    assert.equal(transport.send(Buffer.from('MESSAGE-ish'), flow.connectionId), true);
    assert.equal(await client.next(), 'MESSAGE-ish');
    client.close();
    const closed = await closures.next();
    assert.equal(closed.flow.connectionId, flow.connectionId);
    assert.equal(transport.connectionFor('k2j3h4.invalid'), undefined);
    assert.equal(transport.send(Buffer.from('late'), flow.connectionId), false);
  });

  it('a reconnecting client takes its .invalid host over', async () => {
    const first = await WsClient.connect(server.url);
    first.send(request('OPTIONS', 'same.invalid'));
    const a = await messages.next();
    const second = await WsClient.connect(server.url);
    second.send(request('OPTIONS', 'same.invalid'));
    const b = await messages.next();
    assert.deepEqual(transport.connectionFor('same.invalid'), b.flow);
    first.close();
    await closures.next();
    assert.deepEqual(
      transport.connectionFor('same.invalid'),
      b.flow,
      'closing the old one keeps the new binding',
    );
    second.close();
    await closures.next();
    assert.notDeepEqual(a.flow, b.flow);
  });

  it('answers a CRLF ping with CRLF, and a malformed request with 400', async () => {
    const client = await WsClient.connect(server.url);
    client.send('\r\n\r\n');
    assert.equal(await client.next(), '\r\n');
    client.send(request('OPTIONS', 'bad.invalid').replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE'));
    assert.match(await client.next(), /^SIP\/2\.0 400 Bad Request - CSeq method/);
    client.close();
    await closures.next();
  });

  it('pings; a client that answers stays, one that does not is dropped and reported', async () => {
    const alive = await WsClient.connect(server.url);
    let pings = 0;
    const pinged = new Promise<void>((r) => alive.ws.on('ping', () => ++pings === 3 && r()));
    const silent = await WsClient.connect(server.url, { autoPong: false });
    const dead = await closures.next();
    assert.equal(dead.reason, 'dead');
    await silent.closed;
    await pinged;
    assert.equal(alive.ws.readyState, 1, 'the answering client is still connected');
    assert.equal(transport.size, 1);
    alive.close();
    await closures.next();
  });

  it('refuses a frame over 64 KiB with close code 1009 and reports it', async () => {
    const client = await WsClient.connect(server.url);
    client.send(Buffer.alloc(70 * 1024, 0x41));
    assert.equal(await client.closed, 1009);
    const closed = await closures.next();
    assert.equal(closed.reason, 'too-large');
    assert.equal(transport.size, 0);
  });
});

/** Enough of a ws WebSocket for the backlog check: nothing is ever written out. */
class StuckSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  terminated = false;
  send(data: Buffer): void {
    this.bufferedAmount += data.length;
  }
  ping(): void {
    /* never answered */
  }
  close(): void {
    this.terminate();
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close', 1006);
  }
}

describe('WebSocket transport backlog', () => {
  it('drops a client that does not read once its backlog is full', () => {
    const closed: FlowClosed[] = [];
    const t = new WsTransport({
      log: createLogger('silent'),
      onMessage: () => undefined,
      onClosed: (e) => closed.push(e),
      pingIntervalMs: 0,
      maxBufferedBytes: 10_000,
    });
    const socket = new StuckSocket();
    const req = {
      socket: {
        remoteAddress: '192.0.2.5',
        remotePort: 4000,
        localAddress: '192.0.2.1',
        localPort: 443,
      },
    };
    const flow = t.attach(socket as unknown as WebSocket, req as unknown as IncomingMessage);
    assert.ok(flow);
    const chunk = Buffer.alloc(4000, 0x41);
    assert.equal(t.send(chunk, flow.connectionId), true);
    assert.equal(t.send(chunk, flow.connectionId), true);
    assert.equal(t.send(chunk, flow.connectionId), false);
    assert.equal(socket.terminated, true);
    assert.deepEqual(
      closed.map((c) => c.reason),
      ['backlog'],
    );
    assert.equal(t.size, 0);
  });
});
