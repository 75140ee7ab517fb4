import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createResponse } from '../sip/message/build.ts';
import { cseq, getHeader } from '../sip/message/headers.ts';
import type { SipRequest, SipResponse } from '../sip/message/types.ts';
import { dialogFromRequest } from '../sip/dialog/index.ts';
import { request, sipUri } from '../sip/dialog/test-support.ts';
import type {
  ClientHandlers,
  Destination,
  ServerTransaction,
  SipStack,
  UdpFlow,
} from '../sip/stack.ts';
import { FakeClock } from '../sip/transaction/layer-clock.ts';
import { ClientAuthState } from '../sip/auth/client-state.ts';
import { Leg } from './leg.ts';

const FLOW: UdpFlow = {
  transport: 'udp',
  remoteAddress: '192.0.2.9',
  remotePort: 5060,
  localAddress: '127.0.0.1',
  localPort: 5062,
};

function invite(): SipRequest {
  return request([
    'INVITE sip:201@127.0.0.1:5062 SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK-1',
    'Record-Route: <sip:192.0.2.9;lr>',
    'From: <sip:202@pbx>;tag=caller',
    'To: <sip:201@pbx>',
    'Call-ID: leg-test',
    'CSeq: 7 INVITE',
    'Contact: <sip:202@192.0.2.20:5080>',
    'Max-Forwards: 70',
  ]);
}

interface Sent {
  readonly request: SipRequest;
  readonly dest: Destination;
  readonly handlers: ClientHandlers;
}

function fakeStack(): { stack: SipStack; sent: Sent[]; acks: SipRequest[] } {
  const sent: Sent[] = [];
  const acks: SipRequest[] = [];
  const stack = {
    udpAddress: { address: '127.0.0.1', port: 5062 },
    udpSentBy: '127.0.0.1:5062',
    transactions: 0,
    sendRequest: (req: SipRequest, dest: Destination, handlers: ClientHandlers) => {
      sent.push({ request: req, dest, handlers });
      return {
        request: req,
        destination: dest,
        branch: 'z9hG4bK-x',
        state: 'Calling',
        cancel() {},
      };
    },
    sendAck: (ack: SipRequest) => {
      acks.push(ack);
      return true;
    },
    connectionFor: () => undefined,
  } as unknown as SipStack;
  return { stack, sent, acks };
}

function serverTx(req: SipRequest): { tx: ServerTransaction; responses: SipResponse[] } {
  const responses: SipResponse[] = [];
  const tx = {
    request: req,
    method: req.method,
    flow: FLOW,
    state: 'Proceeding',
    toTag: 'gw',
    cancelled: false,
    onCancel: undefined,
    onFailure: undefined,
    respond: (r: SipResponse) => responses.push(r),
    reply: () => undefined,
  } as ServerTransaction;
  return { tx, responses };
}

function pbxLeg() {
  const clock = new FakeClock();
  const { stack, sent, acks } = fakeStack();
  const req = invite();
  const ok = createResponse(req, 200, 'OK', { toTag: 'gw', recordRoute: true });
  const dialog = dialogFromRequest(req, ok, sipUri('sip:201@127.0.0.1:5062'));
  const leg = new Leg(
    'pbx',
    dialog,
    {
      kind: 'pbx',
      fallback: { host: '192.0.2.9', port: 5060 },
      auth: new ClientAuthState({ credentials: () => undefined }),
    },
    { sip: stack, clock, t1: 500, t2: 4000 },
  );
  return { clock, leg, req, ok, sent, acks };
}

describe('Leg', () => {
  it('retransmits its 2xx over UDP at T1, 2·T1 … T2 until the ACK (§13.3.1.4)', async () => {
    const { clock, leg, req, ok } = pbxLeg();
    const { tx, responses } = serverTx(req);
    const acked = leg.respond2xx(tx, ok);
    assert.equal(responses.length, 1);
    assert.equal(leg.busy, true);
    clock.advance(500);
    assert.equal(responses.length, 2);
    clock.advance(1000);
    assert.equal(responses.length, 3);
    clock.advance(2000);
    assert.equal(responses.length, 4);
    clock.advance(4000);
    assert.equal(responses.length, 5);
    clock.advance(4000);
    assert.equal(responses.length, 6, 'capped at T2');
    const ack = request([
      'ACK sip:201@127.0.0.1:5062 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK-2',
      'From: <sip:202@pbx>;tag=caller',
      'To: <sip:201@pbx>;tag=gw',
      'Call-ID: leg-test',
      'CSeq: 7 ACK',
      'Max-Forwards: 70',
    ]);
    assert.equal(leg.ack(ack), true);
    assert.equal(await acked, ack);
    assert.equal(leg.busy, false);
    clock.advance(60_000);
    assert.equal(responses.length, 6, 'no retransmission after the ACK');
  });

  it('gives up after 64·T1 without ACK', async () => {
    const { clock, leg, req, ok } = pbxLeg();
    const { tx } = serverTx(req);
    const acked = leg.respond2xx(tx, ok);
    clock.advance(64 * 500);
    assert.equal(await acked, undefined);
  });

  it('an ACK of another CSeq does not count', () => {
    const { leg, req, ok } = pbxLeg();
    const { tx } = serverTx(req);
    void leg.respond2xx(tx, ok);
    const ack = request([
      'ACK sip:201@127.0.0.1:5062 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK-3',
      'From: <sip:202@pbx>;tag=caller',
      'To: <sip:201@pbx>;tag=gw',
      'Call-ID: leg-test',
      'CSeq: 6 ACK',
    ]);
    assert.equal(leg.ack(ack), false);
    leg.close();
  });

  it('sends BYE along the route set to the loose router, and ACKs a re-INVITE 2xx with its credentials', async () => {
    const { leg, sent, acks } = pbxLeg();
    const bye = leg.request('BYE', { headers: [{ name: 'Reason', value: 'Q.850;cause=16' }] });
    const first = sent[0];
    assert.ok(first);
    assert.equal(first.request.method, 'BYE');
    assert.deepEqual(first.dest, { kind: 'udp', host: '192.0.2.9', port: 5060 });
    assert.equal(getHeader(first.request, 'Route'), '<sip:192.0.2.9;lr>');
    assert.equal(getHeader(first.request, 'Reason'), 'Q.850;cause=16');
    first.handlers.onFinal(createResponse(first.request, 200, 'OK'), 'network');
    const r = await bye;
    assert.equal(r.response.status, 200);
    assert.equal(leg.ended, true);
    assert.equal(acks.length, 0);
  });

  it('a 481 to a request ends the dialog (§12.2.1.2); later requests fail locally', async () => {
    const { leg, sent } = pbxLeg();
    const p = leg.request('INVITE', {
      body: Buffer.from('v=0\r\n'),
      contentType: 'application/sdp',
    });
    assert.equal(leg.busy, true);
    const s = sent[0];
    assert.ok(s);
    s.handlers.onFinal(createResponse(s.request, 481), 'network');
    assert.equal((await p).response.status, 481);
    assert.equal(leg.ended, true);
    assert.equal(leg.busy, false);
    const again = await leg.request('BYE');
    assert.equal(again.response.status, 481);
    assert.equal(sent.length, 1);
  });

  it('ACKs the 2xx of its re-INVITE and repeats that ACK for a retransmitted 2xx (§13.2.2.4)', async () => {
    const { leg, sent, acks } = pbxLeg();
    const p = leg.request('INVITE', {
      body: Buffer.from('v=0\r\n'),
      contentType: 'application/sdp',
    });
    const s = sent[0];
    assert.ok(s);
    const ok = createResponse(s.request, 200, 'OK', { toTag: 'caller' });
    s.handlers.onFinal(ok, 'network');
    await p;
    assert.equal(acks.length, 1);
    assert.equal(cseq(acks[0] as SipRequest).seq, cseq(s.request).seq);
    leg.resendAck(ok);
    assert.equal(acks.length, 2);
    assert.equal(acks[1], acks[0]);
  });
});
