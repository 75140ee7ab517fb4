import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../log.ts';
import { parseMessage } from '../sip/message/parse.ts';
import type { SipRequest } from '../sip/message/types.ts';
import type { ServerTransaction } from '../sip/stack.ts';
import { FakeClock } from '../sip/transaction/layer-clock.ts';
import { createPbxSide, usersOf } from './inbound.ts';
import type { InboundMatch } from './manager.ts';

function request(method: string, ruri: string, toUri: string, toTag = ''): SipRequest {
  const text =
    `${method} ${ruri} SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\n` +
    `From: <sip:caller@pbx>;tag=f\r\nTo: <${toUri}>${toTag}\r\nCall-ID: c1\r\nCSeq: 1 ${method}\r\n` +
    `Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n`;
  const r = parseMessage(Buffer.from(text), { framing: 'datagram' });
  assert.ok(r.ok && r.message.kind === 'request');
  return r.message;
}

function tx(req: SipRequest, from = '192.0.2.1') {
  const replies: number[] = [];
  const t: ServerTransaction = {
    request: req,
    method: req.method,
    flow: {
      transport: 'udp',
      remoteAddress: from,
      remotePort: 5060,
      localAddress: '192.0.2.10',
      localPort: 5062,
    },
    state: 'Trying',
    toTag: 'tt',
    cancelled: false,
    onCancel: undefined,
    onFailure: undefined,
    reply: (status) => void replies.push(status),
    respond: (res) => void replies.push(res.status),
  };
  return { t, replies };
}

function side(match: (address: string, users: readonly string[]) => InboundMatch) {
  return createPbxSide({
    match,
    allow: ['INVITE', 'OPTIONS'],
    log: createLogger('silent'),
    clock: new FakeClock(),
  });
}

describe('requests from the PBX side', () => {
  it('finds the users: Request-URI first, then To', () => {
    assert.deepEqual(usersOf(request('INVITE', 'sip:201@192.0.2.10:5062', 'sip:+4989123201@pbx')), [
      '201',
      '+4989123201',
    ]);
    assert.deepEqual(usersOf(request('OPTIONS', 'sip:192.0.2.10:5062', 'sip:192.0.2.10')), []);
  });

  it('refuses untrusted sources with 403 before looking at the line', () => {
    const seen: string[] = [];
    const handle = side((address) => (seen.push(address), { kind: 'untrusted' }));
    const { t, replies } = tx(
      request('INVITE', 'sip:201@192.0.2.10', 'sip:201@pbx'),
      '203.0.113.66',
    );
    handle(t);
    assert.deepEqual(replies, [403]);
    assert.deepEqual(seen, ['203.0.113.66']);
  });

  it('404 for a user that is no line; a ping without a user gets 200', () => {
    const handle = side(() => ({ kind: 'unknown-user' }));
    const a = tx(request('INVITE', 'sip:999@192.0.2.10', 'sip:999@pbx'));
    handle(a.t);
    assert.deepEqual(a.replies, [404]);
    const b = tx(request('OPTIONS', 'sip:192.0.2.10', 'sip:192.0.2.10'));
    handle(b.t);
    assert.deepEqual(b.replies, [200]);
  });

  it('a line without a call handler (forLine): INVITE 480, OPTIONS 200, BYE 481', () => {
    const handle = side(() => ({ kind: 'line', id: 'hfo/201', registered: true }));
    for (const [method, status, tag] of [
      ['INVITE', 480, ''],
      ['OPTIONS', 200, ''],
      ['BYE', 481, ';tag=x'],
    ] as const) {
      const x = tx(request(method, 'sip:201@192.0.2.10', 'sip:201@pbx', tag));
      handle(x.t);
      assert.deepEqual(x.replies, [status], method);
    }
  });

  it('without line groups the PBX side answers as before (nothing to protect)', () => {
    const handle = side(() => ({ kind: 'no-lines' }));
    const x = tx(
      request('OPTIONS', 'sip:gateway@192.0.2.10', 'sip:gateway@192.0.2.10'),
      '203.0.113.66',
    );
    handle(x.t);
    assert.deepEqual(x.replies, [200]);
  });
});
