import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getHeader, tagOf, to } from '../message/headers.ts';
import type { SipResponse } from '../message/types.ts';
import { WS, harness, requestText, statusOf } from './layer-testkit.ts';

const T1 = 500;

function toTagOf(res: SipResponse): string | undefined {
  return tagOf(to(res));
}

describe('layer: non-INVITE server transactions', () => {
  it('UDP: request up once, retransmissions absorbed then answered again, Timer J ends it', () => {
    const h = harness();
    h.receive(requestText('OPTIONS'));
    assert.equal(h.requests.length, 1);
    // §17.2.2: retransmission in Trying is absorbed, nothing sent.
    h.clock.advance(T1);
    h.receive(requestText('OPTIONS'));
    assert.equal(h.transport.sent.length, 0);
    h.requests[0]!.reply(200);
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 200']);
    // §18.2.2 / RFC 3581: to the Via's sent-by (received equals it here).
    assert.deepEqual(h.transport.sent[0]!.dest, { kind: 'udp', host: '192.0.2.10', port: 5060 });
    h.receive(requestText('OPTIONS'));
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 200', 'SIP/2.0 200']);
    assert.equal(h.requests.length, 1);
    assert.equal(h.layer.size, 1);
    h.clock.advance(64 * T1);
    assert.equal(h.layer.size, 0);
    assert.equal(h.clock.pending, 0);
  });

  it('WS: Timer J is 0, so the transaction ends on the next turn', () => {
    const h = harness();
    h.receive(requestText('OPTIONS', { via: 'SIP/2.0/WS abc.invalid;branch=z9hG4bK-ws' }), WS);
    h.requests[0]!.reply(200);
    assert.deepEqual(h.transport.sent[0]!.dest, { kind: 'flow', flow: WS });
    assert.equal(h.layer.size, 1);
    h.clock.flush();
    assert.equal(h.layer.size, 0);
  });

  it('a TU that answers from inside its callback is queued after the step (types.ts contract)', () => {
    const h = harness();
    h.onRequest = (tx) => {
      tx.reply(100);
      tx.reply(200);
    };
    h.receive(requestText('REGISTER'));
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 100', 'SIP/2.0 200']);
    // §8.2.6.2: the final response has a To tag, the 100 none.
    assert.equal(toTagOf(h.transport.sent[0]!.message as SipResponse), undefined);
    assert.equal(toTagOf(h.transport.sent[1]!.message as SipResponse), h.requests[0]!.toTag);
  });

  it('a TU that throws gets a 500 sent on its behalf', () => {
    const h = harness();
    h.onRequest = () => {
      throw new Error('boom');
    };
    h.receive(requestText('MESSAGE'));
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 500']);
  });

  it('a response sent after the transaction ended is dropped quietly', () => {
    const h = harness();
    h.receive(requestText('OPTIONS', { via: 'SIP/2.0/WS abc.invalid;branch=z9hG4bK-x' }), WS);
    const tx = h.requests[0]!;
    tx.reply(404);
    h.clock.flush();
    tx.reply(200);
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 404']);
    assert.equal(tx.state, 'Terminated');
  });

  it('transport failure while answering is reported to the TU (RFC 6026 §8.8)', () => {
    const h = harness();
    const failures: string[] = [];
    h.onRequest = (tx) => (tx.onFailure = (r) => failures.push(r));
    h.receive(requestText('OPTIONS'));
    h.transport.up = false;
    h.requests[0]!.reply(200);
    assert.deepEqual(failures, ['transport-error']);
  });
});

describe('layer: INVITE server transactions', () => {
  it('UDP: 100 Trying after 200 ms, 486 retransmitted by Timer G, ACK absorbed, Timer I ends it', () => {
    const h = harness();
    h.receive(requestText('INVITE'));
    assert.equal(h.requests.length, 1);
    h.clock.advance(199);
    assert.deepEqual(h.transport.lines(), []);
    h.clock.advance(1);
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 100']);
    // A retransmitted INVITE gets the latest provisional again (§17.2.1).
    h.receive(requestText('INVITE'));
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 100', 'SIP/2.0 100']);
    h.transport.take();
    h.requests[0]!.reply(486);
    h.clock.advance(T1);
    h.clock.advance(2 * T1);
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 486', 'SIP/2.0 486', 'SIP/2.0 486']);
    h.receive(requestText('ACK', { toTag: h.requests[0]!.toTag }));
    h.clock.advance(10 * T1);
    assert.equal(h.transport.sent.length, 3, 'no retransmission after the ACK');
    assert.equal(h.acks.length, 0, 'the ACK of a non-2xx stays in the transaction');
    assert.equal(h.layer.size, 0, 'Timer I (T4) has fired');
  });

  it('UDP: a TU answering within 200 ms spares the 100 Trying', () => {
    const h = harness();
    h.onRequest = (tx) => tx.reply(480);
    h.receive(requestText('INVITE'));
    h.clock.advance(250);
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 480']);
  });

  it('WS: no Timer G; the ACK ends it at once (Timer I = 0)', () => {
    const h = harness();
    const via = 'SIP/2.0/WS abc.invalid;branch=z9hG4bK-inv';
    h.onRequest = (tx) => tx.reply(603);
    h.receive(requestText('INVITE', { via }), WS);
    h.clock.advance(10 * T1);
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 603']);
    h.receive(requestText('ACK', { via, toTag: h.requests[0]!.toTag }), WS);
    h.clock.flush();
    assert.equal(h.layer.size, 0);
  });

  it('2xx → Accepted: INVITE copies absorbed, the 2xx ACK (new branch) goes to the TU, Timer L ends it', () => {
    const h = harness();
    h.onRequest = (tx) => tx.reply(200);
    h.receive(requestText('INVITE'));
    h.receive(requestText('INVITE'));
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 200']);
    const tag = h.requests[0]!.toTag;
    // The TU (UAS core, §13.3.1.4) retransmits its 2xx itself.
    h.requests[0]!.reply(200);
    assert.equal(h.transport.sent.length, 2);
    h.receive(requestText('ACK', { branch: 'z9hG4bK-ack', toTag: tag }));
    assert.equal(h.acks.length, 1);
    assert.equal(h.acks[0]!.tx, undefined);
    h.clock.advance(64 * T1);
    assert.equal(h.layer.size, 0);
  });

  it('an ACK reusing the INVITE branch in Accepted reaches the TU with the transaction (RFC 6026 §7.1)', () => {
    const h = harness();
    h.onRequest = (tx) => tx.reply(200);
    h.receive(requestText('INVITE'));
    h.receive(requestText('ACK', { toTag: h.requests[0]!.toTag }));
    assert.equal(h.acks.length, 1);
    assert.equal(h.acks[0]!.tx, h.requests[0]);
  });

  it('Timer H: no ACK for the final response → the TU hears of the timeout', () => {
    const h = harness();
    const failures: string[] = [];
    h.onRequest = (tx) => {
      tx.onFailure = (r) => failures.push(r);
      tx.reply(486);
    };
    h.receive(requestText('INVITE'));
    h.clock.advance(64 * T1);
    assert.deepEqual(failures, ['timeout']);
    assert.equal(h.layer.size, 0);
    // §17.2.1: G doubles up to T2: 500, 1000, 2000, 4000, 4000 … within 64·T1.
    assert.equal(h.transport.sent.length, 1 + 10);
  });
});

describe('layer: CANCEL (§9.2)', () => {
  it('matches the INVITE: 200 for the CANCEL with the INVITE To tag, TU told, its 487 follows', () => {
    const h = harness();
    const cancels: string[] = [];
    h.onRequest = (tx) => {
      tx.reply(180);
      tx.onCancel = () => {
        cancels.push(tx.method);
        tx.reply(487);
      };
    };
    h.receive(requestText('INVITE'));
    h.receive(requestText('CANCEL'));
    assert.deepEqual(cancels, ['INVITE']);
    assert.equal(h.requests[0]!.cancelled, true);
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 180', 'SIP/2.0 200', 'SIP/2.0 487']);
    const [ringing, ok, terminated] = h.transport.sent.map((s) => s.message as SipResponse);
    assert.equal(getHeader(ok!, 'CSeq'), '1 CANCEL');
    assert.equal(toTagOf(ok!), toTagOf(ringing!));
    assert.equal(toTagOf(terminated!), toTagOf(ringing!));
    assert.equal(h.requests.length, 1, 'the CANCEL itself is not a TU request');
    // A retransmitted CANCEL gets its 200 again.
    h.receive(requestText('CANCEL'));
    assert.deepEqual(h.transport.lines().slice(3), ['SIP/2.0 200']);
  });

  it('without an onCancel handler the layer sends the 487 itself', () => {
    const h = harness();
    h.receive(requestText('INVITE'));
    h.receive(requestText('CANCEL'));
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 200', 'SIP/2.0 487']);
    const [ok, terminated] = h.transport.sent.map((s) => s.message as SipResponse);
    assert.equal(toTagOf(ok!), toTagOf(terminated!));
    assert.equal(getHeader(terminated!, 'CSeq'), '1 INVITE');
  });

  it('after the final response: 200 for the CANCEL and nothing else', () => {
    const h = harness();
    let told = false;
    h.onRequest = (tx) => {
      tx.onCancel = () => (told = true);
      tx.reply(486);
    };
    h.receive(requestText('INVITE'));
    h.receive(requestText('CANCEL'));
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 486', 'SIP/2.0 200']);
    assert.equal(told, false);
  });

  it('no matching INVITE → 481, statelessly', () => {
    const h = harness();
    h.receive(requestText('CANCEL', { branch: 'z9hG4bK-none' }));
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 481']);
    assert.equal(h.layer.size, 0);
  });
});

describe('layer: RFC 2543 requests (no magic cookie, §17.2.3)', () => {
  const via = 'SIP/2.0/UDP 192.0.2.10:5060';

  it('retransmissions match on the legacy key; the ACK for the non-2xx is absorbed', () => {
    const h = harness();
    h.onRequest = (tx) => tx.reply(486);
    h.receive(requestText('INVITE', { branch: null, via }));
    h.receive(requestText('INVITE', { branch: null, via }));
    assert.equal(h.requests.length, 1);
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 486', 'SIP/2.0 486']);
    h.receive(requestText('ACK', { branch: null, via, toTag: h.requests[0]!.toTag }));
    assert.equal(h.acks.length, 0);
    h.clock.advance(10 * T1);
    assert.equal(h.transport.sent.length, 2, 'Timer G stopped by the ACK');
    h.clock.runAll();
    assert.equal(h.layer.size, 0);
  });

  it('a CANCEL finds the INVITE by its legacy key', () => {
    const h = harness();
    h.receive(requestText('INVITE', { branch: null, via }));
    h.receive(requestText('CANCEL', { branch: null, via }));
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 200', 'SIP/2.0 487']);
  });
});

describe('layer: bounded', () => {
  it('over maxTransactions: 503 with Retry-After, nothing created, the TU not called', () => {
    const h = harness({ maxTransactions: 2, retryAfterSeconds: 7 });
    h.receive(requestText('OPTIONS', { branch: 'z9hG4bK-a' }));
    h.receive(requestText('OPTIONS', { branch: 'z9hG4bK-b' }));
    h.receive(requestText('OPTIONS', { branch: 'z9hG4bK-c' }));
    assert.equal(h.requests.length, 2);
    assert.equal(h.layer.size, 2);
    assert.deepEqual(h.transport.lines(), ['SIP/2.0 503']);
    assert.equal(getHeader(h.transport.sent[0]!.message, 'Retry-After'), '7');
    assert.equal(statusOf(h.transport.sent[0]), 503);
  });
});
