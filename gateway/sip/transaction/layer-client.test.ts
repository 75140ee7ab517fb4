import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cseq, getHeader, getHeaders, tagOf, to, topVia } from '../message/headers.ts';
import type { SipRequest } from '../message/types.ts';
import type { Destination } from '../transport/types.ts';
import type { ClientHandlers, ResponseSource } from './layer.ts';
import {
  UDP,
  WS,
  harness,
  outgoing,
  requestText,
  responseTo,
  type Harness,
} from './layer-testkit.ts';

const T1 = 500;
const TO_PBX: Destination = { kind: 'udp', host: '192.0.2.10', port: 5060 };
const TO_BROWSER: Destination = { kind: 'flow', flow: WS };

interface Outcome {
  provisional: number[];
  finals: { status: number; source: ResponseSource }[];
  extra2xx: number[];
  handlers: ClientHandlers;
}

function outcome(): Outcome {
  const o: Outcome = {
    provisional: [],
    finals: [],
    extra2xx: [],
    handlers: {
      onProvisional: (r) => o.provisional.push(r.status),
      onFinal: (r, source) => o.finals.push({ status: r.status, source }),
      onAdditional2xx: (r) => o.extra2xx.push(r.status),
    },
  };
  return o;
}

/** The request the layer sent (first one of that method). */
function sentRequest(h: Harness, method: string): SipRequest {
  const s = h.transport.sent.find(
    (x) => x.message.kind === 'request' && x.message.method === method,
  );
  assert.ok(s, `no ${method} sent`);
  return s.message as SipRequest;
}

describe('layer: non-INVITE client transactions', () => {
  it('UDP: our Via with branch and rport; Timer E retransmits; the final goes up once; Timer K ends it', () => {
    const h = harness();
    const o = outcome();
    const tx = h.layer.sendRequest(outgoing('OPTIONS'), TO_PBX, o.handlers);
    const via = topVia(tx.request);
    assert.equal(via.params.get('branch'), tx.branch);
    assert.ok(via.params.has('rport'), 'RFC 3581 §3');
    assert.equal(getHeaders(tx.request, 'Via').length, 1);
    h.clock.advance(T1); // retransmission 1 at 500
    h.clock.advance(2 * T1); // retransmission 2 at 1500
    assert.equal(h.transport.sent.length, 3);
    assert.deepEqual(h.transport.sent[0]!.dest, TO_PBX);
    h.receive(responseTo(tx.request, 100));
    h.receive(responseTo(tx.request, 200, 'pbx'));
    h.receive(responseTo(tx.request, 200, 'pbx'));
    assert.deepEqual(o.provisional, [100]);
    assert.deepEqual(o.finals, [{ status: 200, source: 'network' }]);
    h.clock.advance(4 * T1);
    assert.equal(h.transport.sent.length, 3, 'no retransmission after the final response');
    assert.equal(h.layer.size, 1);
    h.clock.advance(5000); // Timer K = T4
    assert.equal(h.layer.size, 0);
    assert.equal(h.clock.pending, 0);
  });

  it('Timer F: a local 408 (§8.1.3.1) after 64·T1 and 11 transmissions', () => {
    const h = harness();
    const o = outcome();
    h.layer.sendRequest(outgoing('REGISTER'), TO_PBX, o.handlers);
    h.clock.advance(64 * T1);
    assert.deepEqual(o.finals, [{ status: 408, source: 'timeout' }]);
    // 0, 500, 1500, 3500, 7500, then every T2: 11500 … 31500.
    assert.equal(h.transport.sent.length, 11);
    assert.equal(h.layer.size, 0);
  });

  it('WS: nothing is retransmitted; a send that fails is a local 503 (§8.1.3.1)', () => {
    const h = harness();
    const o = outcome();
    h.transport.up = false;
    const tx = h.layer.sendRequest(outgoing('MESSAGE'), TO_BROWSER, o.handlers);
    assert.match(getHeader(tx.request, 'Via') ?? '', /^SIP\/2\.0\/WS /);
    assert.deepEqual(o.finals, [], 'not before sendRequest has returned the handle');
    h.clock.flush();
    assert.deepEqual(o.finals, [{ status: 503, source: 'transport-error' }]);
    assert.equal(h.layer.size, 0);
  });

  it('a failure reported after the send (UDP DNS, socket error) is a 503 too', () => {
    const h = harness();
    const o = outcome();
    h.layer.sendRequest(outgoing('OPTIONS'), TO_PBX, o.handlers);
    h.transport.sent[0]!.done?.(new Error('getaddrinfo ENOTFOUND'));
    assert.deepEqual(o.finals, [{ status: 503, source: 'transport-error' }]);
  });

  it('a response matching no transaction is dropped (RFC 6026 §8.9)', () => {
    const h = harness();
    const o = outcome();
    const tx = h.layer.sendRequest(outgoing('OPTIONS'), TO_PBX, o.handlers);
    const other = responseTo(tx.request, 200).replace(tx.branch, 'z9hG4bK-other');
    h.receive(other);
    assert.deepEqual(o.finals, []);
  });

  it('over maxTransactions: nothing sent, a local 503 on the next turn', () => {
    const h = harness({ maxTransactions: 1 });
    const o = outcome();
    h.layer.sendRequest(outgoing('OPTIONS'), TO_PBX, outcome().handlers);
    h.layer.sendRequest(outgoing('OPTIONS'), TO_PBX, o.handlers);
    assert.equal(h.transport.sent.length, 1);
    assert.deepEqual(o.finals, []);
    h.clock.flush();
    assert.deepEqual(o.finals, [{ status: 503, source: 'overload' }]);
  });

  it('a TU resending its request object gets one fresh Via, not two', () => {
    const h = harness();
    const req = outgoing('REGISTER');
    const first = h.layer.sendRequest(req, TO_PBX, outcome().handlers);
    const second = h.layer.sendRequest(req, TO_PBX, outcome().handlers);
    assert.notEqual(first.branch, second.branch);
    assert.equal(getHeaders(req, 'Via').length, 1);
  });
});

describe('layer: INVITE client transactions', () => {
  it('UDP: 180 up, 486 ACKed per §17.1.1.3, its retransmission ACKed again but not passed up', () => {
    const h = harness();
    const o = outcome();
    const tx = h.layer.sendRequest(outgoing('INVITE'), TO_PBX, o.handlers);
    h.clock.advance(T1);
    assert.equal(h.transport.sent.length, 2, 'Timer A');
    h.receive(responseTo(tx.request, 180, 'pbx'));
    h.clock.advance(10 * T1);
    assert.equal(h.transport.sent.length, 2, 'Proceeding: no retransmission');
    h.receive(responseTo(tx.request, 486, 'pbx'));
    h.receive(responseTo(tx.request, 486, 'pbx'));
    assert.deepEqual(o.provisional, [180]);
    assert.deepEqual(o.finals, [{ status: 486, source: 'network' }]);
    assert.deepEqual(h.transport.lines(), ['INVITE', 'INVITE', 'ACK', 'ACK']);
    const ack = h.transport.sent[2]!.message as SipRequest;
    assert.equal(
      getHeader(ack, 'Via'),
      getHeader(tx.request, 'Via'),
      'the INVITE top Via, same branch',
    );
    assert.equal(tagOf(to(ack)), 'pbx', 'To of the response');
    assert.deepEqual(cseq(ack), { seq: 1, method: 'ACK' });
    assert.equal(getHeader(ack, 'Call-ID'), getHeader(tx.request, 'Call-ID'));
    h.clock.advance(32_000); // Timer D
    assert.equal(h.layer.size, 0);
  });

  it('2xx → Accepted: retransmitted 2xx go to the TU for its ACK; after Timer M they are strays', () => {
    const h = harness();
    const o = outcome();
    const tx = h.layer.sendRequest(outgoing('INVITE'), TO_PBX, o.handlers);
    h.receive(responseTo(tx.request, 200, 'pbx'));
    h.receive(responseTo(tx.request, 200, 'pbx'));
    assert.deepEqual(o.finals, [{ status: 200, source: 'network' }]);
    assert.deepEqual(o.extra2xx, [200]);
    assert.deepEqual(h.transport.lines(), ['INVITE'], 'the layer never ACKs a 2xx');
    h.clock.advance(64 * T1);
    assert.equal(h.layer.size, 0);
    h.receive(responseTo(tx.request, 200, 'pbx'));
    assert.deepEqual(o.extra2xx, [200]);
  });

  it('Timer B: a local 408 when nothing answers', () => {
    const h = harness();
    const o = outcome();
    h.layer.sendRequest(outgoing('INVITE'), TO_PBX, o.handlers);
    h.clock.advance(64 * T1);
    assert.deepEqual(o.finals, [{ status: 408, source: 'timeout' }]);
    assert.equal(h.transport.sent.length, 7, '0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s');
  });

  it('cancel() waits for a provisional, then sends CANCEL (§9.1); the 487 is ACKed', () => {
    const h = harness();
    const o = outcome();
    const tx = h.layer.sendRequest(outgoing('INVITE'), TO_PBX, o.handlers);
    tx.cancel();
    assert.deepEqual(h.transport.lines(), ['INVITE']);
    h.receive(responseTo(tx.request, 180, 'pbx'));
    assert.deepEqual(h.transport.lines(), ['INVITE', 'CANCEL']);
    const cancel = sentRequest(h, 'CANCEL');
    assert.equal(getHeader(cancel, 'Via'), getHeader(tx.request, 'Via'));
    assert.deepEqual(cseq(cancel), { seq: 1, method: 'CANCEL' });
    assert.equal(tagOf(to(cancel)), undefined, 'To of the INVITE');
    h.receive(responseTo(cancel, 200, 'pbx'));
    h.receive(responseTo(tx.request, 487, 'pbx'));
    assert.deepEqual(o.finals, [{ status: 487, source: 'network' }]);
    assert.deepEqual(h.transport.lines(), ['INVITE', 'CANCEL', 'ACK']);
    h.clock.runAll();
    assert.equal(h.layer.size, 0);
  });

  it('cancelled but never answered: a local 487 64·T1 after the CANCEL (§9.1)', () => {
    const h = harness();
    const o = outcome();
    const tx = h.layer.sendRequest(outgoing('INVITE'), TO_PBX, o.handlers);
    h.receive(responseTo(tx.request, 183, 'pbx'));
    tx.cancel();
    h.clock.advance(64 * T1);
    assert.deepEqual(o.finals, [{ status: 487, source: 'cancelled' }]);
    assert.equal(tx.state, 'Terminated');
  });

  it('cancel() after the final response does nothing', () => {
    const h = harness();
    const tx = h.layer.sendRequest(outgoing('INVITE'), TO_PBX, outcome().handlers);
    h.receive(responseTo(tx.request, 603, 'pbx'));
    tx.cancel();
    assert.deepEqual(h.transport.lines(), ['INVITE', 'ACK']);
  });

  it('WS: the connection closes while ringing → a local 503, nothing left behind', () => {
    const h = harness();
    const o = outcome();
    const tx = h.layer.sendRequest(outgoing('INVITE'), TO_BROWSER, o.handlers);
    h.receive(responseTo(tx.request, 180, 'b'), WS);
    h.layer.flowClosed(WS.connectionId);
    assert.deepEqual(o.finals, [{ status: 503, source: 'transport-error' }]);
    assert.equal(h.layer.size, 0);
    assert.equal(h.clock.pending, 0);
  });

  it('WS: a 486 is still ACKed (§17.1.1.3) and Timer D is 0', () => {
    const h = harness();
    const tx = h.layer.sendRequest(outgoing('INVITE'), TO_BROWSER, outcome().handlers);
    h.receive(responseTo(tx.request, 486, 'b'), WS);
    assert.deepEqual(h.transport.lines(), ['INVITE', 'ACK']);
    h.clock.flush();
    assert.equal(h.layer.size, 0);
  });
});

describe('layer: stateless ACK, close', () => {
  it('sendAck puts a fresh Via on the 2xx ACK and sends it without a transaction', () => {
    const h = harness();
    const tx = h.layer.sendRequest(outgoing('INVITE'), TO_PBX, outcome().handlers);
    const ack = outgoing('ACK');
    assert.equal(h.layer.sendAck(ack, TO_PBX), true);
    assert.notEqual(topVia(ack).params.get('branch'), tx.branch);
    assert.equal(h.layer.size, 1);
  });

  it('close() drops everything silently and refuses new requests', () => {
    const h = harness();
    const o = outcome();
    h.layer.sendRequest(outgoing('INVITE'), TO_PBX, o.handlers);
    h.receive(requestText('OPTIONS'), UDP);
    h.layer.close();
    assert.equal(h.layer.size, 0);
    assert.equal(h.clock.pending, 0);
    h.clock.advance(64 * T1);
    assert.deepEqual(o.finals, []);
    const late = outcome();
    h.layer.sendRequest(outgoing('OPTIONS'), TO_PBX, late.handlers);
    h.clock.flush();
    assert.deepEqual(late.finals, [{ status: 503, source: 'overload' }]);
  });
});
