import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatNameAddr, getHeader, getHeaders } from '../message/headers.ts';
import { startLine } from '../message/serialize.ts';
import { formatUri } from '../message/uri.ts';
import {
  dialogKey,
  findDialogForRequest,
  receiveResponse,
  requestDialogId,
  responseDialogId,
  terminateEarly,
  type DialogSet,
  type ForkResult,
} from './dialog-set.ts';
import { createAck } from './requests.ts';
import { ALICE_TAG, CALL_ID, aliceInvite, request, toAlice } from './test-support.ts';

// Bob's registrar forks Alice's INVITE to his desk phone (tag "desk",
// behind ss2 and a second proxy) and to his softphone (tag "soft").
const DESK = {
  tag: 'desk',
  contact: '<sip:bob@192.0.2.4>',
  recordRoute: [
    '<sip:desk-proxy.biloxi.example.com;lr>',
    '<sip:ss2.biloxi.example.com;lr>, <sip:ss1.atlanta.example.com;lr>',
  ],
};
const SOFT = { tag: 'soft', contact: '<sip:bob@198.51.100.7:5070;transport=tcp>' };

function expectKind<K extends ForkResult['kind']>(
  r: ForkResult,
  kind: K,
): Extract<ForkResult, { kind: K }> {
  assert.equal(r.kind, kind);
  return r as Extract<ForkResult, { kind: K }>;
}

/** Alice receives 180 from both forks. */
function twoEarly(): DialogSet {
  const invite = aliceInvite();
  const a = expectKind(receiveResponse(new Map(), invite, toAlice('180 Ringing', DESK)), 'early');
  assert.equal(a.created, true);
  const b = expectKind(receiveResponse(a.set, invite, toAlice('180 Ringing', SOFT)), 'early');
  assert.equal(b.created, true);
  return b.set;
}

describe('forked INVITE (§12.1.2, §13.2.2.4, RFC 6026)', () => {
  it('keeps one early dialog per remote tag, each with its own route set and target', () => {
    const set = twoEarly();
    assert.equal(set.size, 2);
    const [desk, soft] = [...set.values()];
    assert.ok(desk !== undefined && soft !== undefined);
    assert.deepEqual([desk.id.remoteTag, soft.id.remoteTag], ['desk', 'soft']);
    assert.deepEqual(desk.routeSet.map(formatNameAddr), [
      '<sip:ss1.atlanta.example.com;lr>',
      '<sip:ss2.biloxi.example.com;lr>',
      '<sip:desk-proxy.biloxi.example.com;lr>',
    ]);
    assert.equal(formatUri(soft.remoteTarget), 'sip:bob@198.51.100.7:5070;transport=tcp');
    assert.deepEqual([desk.state, soft.state], ['early', 'early']);
  });

  it('a 2xx from one fork confirms that dialog only; terminateEarly ends the rest', () => {
    const invite = aliceInvite();
    const ok = expectKind(
      receiveResponse(twoEarly(), invite, toAlice('200 OK', SOFT)),
      'confirmed',
    );
    assert.equal(ok.dialog.id.remoteTag, 'soft');
    assert.deepEqual([ok.retransmission, ok.fork], [false, false]);
    const states = [...ok.set.values()].map((d) => `${d.id.remoteTag ?? ''}:${d.state}`);
    assert.deepEqual(states, ['desk:early', 'soft:confirmed']);

    const ack = createAck(ok.dialog, 314159);
    assert.equal(startLine(ack), 'ACK sip:bob@198.51.100.7:5070;transport=tcp SIP/2.0');
    assert.equal(getHeader(ack, 'To'), 'Bob <sip:bob@biloxi.example.com>;tag=soft');

    const done = terminateEarly(ok.set);
    assert.deepEqual(
      done.terminated.map((d) => d.id.remoteTag),
      ['desk'],
    );
    assert.deepEqual(
      [...done.set.values()].map((d) => d.state),
      ['terminated', 'confirmed'],
    );
  });

  it('reports a 2xx from a second fork, and retransmitted 2xx, so each gets its ACK', () => {
    const invite = aliceInvite();
    const first = expectKind(
      receiveResponse(twoEarly(), invite, toAlice('200 OK', SOFT)),
      'confirmed',
    );
    const second = expectKind(
      receiveResponse(first.set, invite, toAlice('200 OK', DESK)),
      'confirmed',
    );
    assert.deepEqual(
      [second.dialog.id.remoteTag, second.retransmission, second.fork],
      ['desk', false, true],
    );
    const again = expectKind(
      receiveResponse(second.set, invite, toAlice('200 OK', SOFT)),
      'confirmed',
    );
    assert.deepEqual([again.dialog.id.remoteTag, again.retransmission], ['soft', true]);
    // The desk's ACK goes through its own route set: to the first proxy, Bob's desk phone as Request-URI.
    const ack = createAck(second.dialog, 314159);
    assert.equal(getHeaders(ack, 'Route').length, 3);
    assert.equal(startLine(ack), 'ACK sip:bob@192.0.2.4 SIP/2.0');
  });

  it('creates a confirmed dialog from a 2xx that no 1xx announced', () => {
    const third = { tag: 'mobile', contact: '<sip:bob@203.0.113.5>' };
    const r = expectKind(
      receiveResponse(twoEarly(), aliceInvite(), toAlice('200 OK', third)),
      'confirmed',
    );
    assert.equal(r.set.size, 3);
    assert.equal(r.dialog.state, 'confirmed');
  });

  it('ignores 100, 1xx without To tag, and a 1xx overtaken by its 2xx', () => {
    const invite = aliceInvite();
    const set = twoEarly();
    assert.equal(receiveResponse(set, invite, toAlice('100 Trying')).kind, 'ignored');
    assert.equal(receiveResponse(set, invite, toAlice('180 Ringing')).kind, 'ignored');
    const ok = receiveResponse(set, invite, toAlice('200 OK', SOFT));
    const late = receiveResponse(ok.set, invite, toAlice('183 Session Progress', SOFT));
    assert.equal(late.kind, 'ignored');
    assert.equal(late.set, ok.set);
    const again = expectKind(
      receiveResponse(set, invite, toAlice('183 Session Progress', DESK)),
      'early',
    );
    assert.equal(again.created, false);
  });

  it('a final non-2xx terminates every early dialog (§12.3)', () => {
    const failed = expectKind(
      receiveResponse(twoEarly(), aliceInvite(), toAlice('486 Busy Here', { tag: 'desk' })),
      'failed',
    );
    assert.equal(failed.terminated.length, 2);
    assert.ok([...failed.set.values()].every((d) => d.state === 'terminated'));
    const after = receiveResponse(failed.set, aliceInvite(), toAlice('200 OK', SOFT));
    assert.equal(after.kind, 'ignored', 'nothing revives a terminated dialog');
  });
});

describe('dialog ids and keys (§12, §12.2.2)', () => {
  const bye = (toTag: string, fromTag = 'soft') =>
    request([
      'BYE sip:alice@192.0.2.1:5060 SIP/2.0',
      'Via: SIP/2.0/TCP 198.51.100.7:5070;branch=z9hG4bKbye',
      `From: <sip:bob@biloxi.example.com>;tag=${fromTag}`,
      `To: <sip:alice@atlanta.example.com>${toTag}`,
      `Call-ID: ${CALL_ID}`,
      'CSeq: 9 BYE',
    ]);

  it('finds the dialog of a received request by To tag (local) and From tag (remote)', () => {
    const set = receiveResponse(twoEarly(), aliceInvite(), toAlice('200 OK', SOFT)).set;
    assert.deepEqual(requestDialogId(bye(`;tag=${ALICE_TAG}`)), {
      callId: CALL_ID,
      localTag: ALICE_TAG,
      remoteTag: 'soft',
    });
    assert.equal(findDialogForRequest(set, bye(`;tag=${ALICE_TAG}`))?.id.remoteTag, 'soft');
    assert.equal(
      findDialogForRequest(set, bye(`;tag=${ALICE_TAG.toUpperCase()}`, 'SOFT'))?.id.remoteTag,
      'soft',
    );
    assert.equal(
      findDialogForRequest(set, bye(`;tag=${ALICE_TAG}`, 'unknown')),
      undefined,
      'answer 481',
    );
    assert.equal(requestDialogId(bye('')), undefined, 'no To tag: outside any dialog');
  });

  it('takes a response id from From tag (local) and To tag (remote)', () => {
    assert.deepEqual(responseDialogId(toAlice('180 Ringing', SOFT)), {
      callId: CALL_ID,
      localTag: ALICE_TAG,
      remoteTag: 'soft',
    });
    assert.equal(responseDialogId(toAlice('100 Trying'))?.remoteTag, undefined);
  });

  it('compares Call-IDs exactly and tags without case', () => {
    const key = dialogKey({ callId: 'abc@h', localTag: 'X', remoteTag: 'y' });
    assert.equal(key, dialogKey({ callId: 'abc@h', localTag: 'x', remoteTag: 'Y' }));
    assert.notEqual(key, dialogKey({ callId: 'ABC@h', localTag: 'x', remoteTag: 'y' }));
    assert.notEqual(
      dialogKey({ callId: 'c', localTag: 'x', remoteTag: undefined }),
      dialogKey({ callId: 'c', localTag: 'x', remoteTag: '' }),
    );
  });
});
