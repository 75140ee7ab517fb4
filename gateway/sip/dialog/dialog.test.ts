import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLinegateError } from '#shared/errors.ts';
import { createResponse } from '../message/build.ts';
import { formatNameAddr } from '../message/headers.ts';
import { formatUri } from '../message/uri.ts';
import { dialogFromRequest, dialogFromResponse, terminate } from './dialog.ts';
import {
  ALICE_TAG,
  BOB_TAG,
  CALL_ID,
  aliceInvite,
  bobInvite,
  request,
  sipUri,
  toAlice,
} from './test-support.ts';

const BOB_CONTACT = sipUri('sip:bob@192.0.2.4');
const contactField = { name: 'Contact', value: '<sip:bob@192.0.2.4>' };

function bobAnswers(status: number, invite = bobInvite()) {
  return createResponse(invite, status, undefined, {
    toTag: BOB_TAG,
    recordRoute: true,
    headers: [contactField],
  });
}

describe('dialogFromRequest (UAS, §12.1.1)', () => {
  it('creates an early dialog from a 180 with To tag', () => {
    const d = dialogFromRequest(bobInvite(), bobAnswers(180), BOB_CONTACT);
    assert.equal(d.role, 'uas');
    assert.equal(d.state, 'early');
    assert.deepEqual(d.id, { callId: CALL_ID, localTag: BOB_TAG, remoteTag: ALICE_TAG });
    assert.equal(formatUri(d.localUri), 'sip:bob@biloxi.example.com');
    assert.equal(d.localDisplayName, 'Bob');
    assert.equal(formatUri(d.remoteUri), 'sip:alice@atlanta.example.com');
    assert.equal(d.remoteDisplayName, 'Alice');
    assert.equal(formatUri(d.remoteTarget), 'sip:alice@192.0.2.1:5060');
    assert.equal(d.localTarget, BOB_CONTACT);
    assert.equal(d.remoteCseq, 314159);
    assert.equal(d.localCseq, undefined, 'the local sequence number starts empty');
    assert.equal(d.secure, false);
  });

  it('keeps the Record-Route order of the request as the route set', () => {
    const d = dialogFromRequest(bobInvite(), bobAnswers(200), BOB_CONTACT);
    assert.equal(d.state, 'confirmed');
    assert.deepEqual(d.routeSet.map(formatNameAddr), [
      '<sip:ss2.biloxi.example.com;lr>',
      '<sip:ss1.atlanta.example.com;lr>',
    ]);
  });

  it('reads Record-Route values spread over comma lists and several fields', () => {
    const invite = request([
      'INVITE sip:bob@192.0.2.4 SIP/2.0',
      'Via: SIP/2.0/UDP p3.example.com;branch=z9hG4bK3',
      'Record-Route: <sip:p3.example.com;lr>, <sip:p2.example.com;lr>',
      'Record-Route: "Edge" <sip:p1.example.com;lr;transport=tcp>;x=1',
      'From: <sip:alice@example.com>;tag=a1',
      'To: <sip:bob@example.com>',
      'Call-ID: rr-order',
      'CSeq: 1 INVITE',
      'Contact: <sip:alice@192.0.2.1>',
    ]);
    const d = dialogFromRequest(invite, bobAnswers(200, invite), BOB_CONTACT);
    assert.deepEqual(d.routeSet.map(formatNameAddr), [
      '<sip:p3.example.com;lr>',
      '<sip:p2.example.com;lr>',
      'Edge <sip:p1.example.com;lr;transport=tcp>;x=1',
    ]);
  });

  it('sets the secure flag only for a sips: Request-URI over TLS', () => {
    const sips = request([
      'INVITE sips:bob@biloxi.example.com SIP/2.0',
      'Via: SIP/2.0/TLS 192.0.2.1;branch=z9hG4bKs',
      'From: <sips:alice@atlanta.example.com>;tag=a',
      'To: <sips:bob@biloxi.example.com>',
      'Call-ID: secure-1',
      'CSeq: 1 INVITE',
      'Contact: <sips:alice@192.0.2.1>',
    ]);
    const answer = bobAnswers(200, sips);
    assert.equal(
      dialogFromRequest(sips, answer, BOB_CONTACT, { secureTransport: true }).secure,
      true,
    );
    assert.equal(dialogFromRequest(sips, answer, BOB_CONTACT).secure, false);
    const plain = bobAnswers(200);
    assert.equal(
      dialogFromRequest(bobInvite(), plain, BOB_CONTACT, { secureTransport: true }).secure,
      false,
    );
  });

  it('keeps a null remote tag for an RFC 2543 caller', () => {
    const invite = request([
      'INVITE sip:bob@192.0.2.4 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1;branch=1234',
      'From: <sip:alice@example.com>',
      'To: <sip:bob@example.com>',
      'Call-ID: old-style',
      'CSeq: 5 INVITE',
      'Contact: <sip:alice@192.0.2.1>',
    ]);
    const d = dialogFromRequest(invite, bobAnswers(200, invite), BOB_CONTACT);
    assert.equal(d.id.remoteTag, undefined);
    assert.deepEqual(d.routeSet, []);
  });

  it('refuses an INVITE without a usable Contact with the 400 to answer', () => {
    const invite = request([
      'INVITE sip:bob@192.0.2.4 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKnc',
      'From: <sip:alice@example.com>;tag=a',
      'To: <sip:bob@example.com>',
      'Call-ID: no-contact',
      'CSeq: 1 INVITE',
    ]);
    assert.throws(
      () => dialogFromRequest(invite, bobAnswers(180, invite), BOB_CONTACT),
      (e) => isLinegateError(e, 'sip.parse') && e.details['status'] === 400,
    );
    const two = bobInvite(['Contact: <sip:other@192.0.2.9>']);
    assert.throws(
      () => dialogFromRequest(two, bobAnswers(180, two), BOB_CONTACT),
      (e) =>
        isLinegateError(e, 'sip.parse') &&
        e.details['reason'] === 'Bad Request - More than one Contact',
    );
  });

  it('refuses a response that cannot create a dialog (our own mistake)', () => {
    const invite = bobInvite();
    const untagged = createResponse(invite, 180);
    const failed = createResponse(invite, 486, undefined, { toTag: BOB_TAG });
    for (const res of [untagged, failed]) {
      assert.throws(
        () => dialogFromRequest(invite, res, BOB_CONTACT),
        (e) => isLinegateError(e, 'internal'),
      );
    }
  });
});

describe('dialogFromResponse (UAC, §12.1.2)', () => {
  it('creates an early dialog from a 180 with To tag, route set reversed', () => {
    const d = dialogFromResponse(
      aliceInvite(),
      toAlice('180 Ringing', { tag: BOB_TAG, contact: '<sip:bob@192.0.2.4>' }),
    );
    assert.ok(d);
    assert.equal(d.role, 'uac');
    assert.equal(d.state, 'early');
    assert.deepEqual(d.id, { callId: CALL_ID, localTag: ALICE_TAG, remoteTag: BOB_TAG });
    assert.deepEqual(d.routeSet.map(formatNameAddr), [
      '<sip:ss1.atlanta.example.com;lr>',
      '<sip:ss2.biloxi.example.com;lr>',
    ]);
    assert.equal(formatUri(d.remoteTarget), 'sip:bob@192.0.2.4');
    assert.equal(formatUri(d.localTarget), 'sip:alice@192.0.2.1:5060');
    assert.equal(formatUri(d.localUri), 'sip:alice@atlanta.example.com');
    assert.equal(formatUri(d.remoteUri), 'sip:bob@biloxi.example.com');
    assert.equal(d.localCseq, 314159);
    assert.equal(d.remoteCseq, undefined, 'the remote sequence number starts empty');
  });

  it('creates a confirmed dialog from a 2xx', () => {
    const d = dialogFromResponse(
      aliceInvite(),
      toAlice('200 OK', { tag: BOB_TAG, contact: '<sip:bob@192.0.2.4>' }),
    );
    assert.equal(d?.state, 'confirmed');
  });

  it('creates no dialog from 100, a 1xx without To tag, or a final non-2xx', () => {
    const invite = aliceInvite();
    assert.equal(dialogFromResponse(invite, toAlice('100 Trying')), undefined);
    assert.equal(
      dialogFromResponse(invite, toAlice('180 Ringing', { contact: '<sip:bob@192.0.2.4>' })),
      undefined,
    );
    assert.equal(dialogFromResponse(invite, toAlice('486 Busy Here', { tag: BOB_TAG })), undefined);
  });

  it('accepts a 2xx without To tag from an RFC 2543 callee (null remote tag)', () => {
    const d = dialogFromResponse(
      aliceInvite(),
      toAlice('200 OK', { contact: '<sip:bob@192.0.2.4>' }),
    );
    assert.equal(d?.state, 'confirmed');
    assert.equal(d.id.remoteTag, undefined);
  });

  it('uses the Request-URI as remote target until a response brings a Contact', () => {
    const d = dialogFromResponse(aliceInvite(), toAlice('183 Session Progress', { tag: BOB_TAG }));
    assert.equal(d && formatUri(d.remoteTarget), 'sip:bob@biloxi.example.com');
  });

  it('sets the secure flag for a sips: Request-URI sent over TLS', () => {
    const invite = request([
      'INVITE sips:bob@biloxi.example.com SIP/2.0',
      'Via: SIP/2.0/TLS 192.0.2.1;branch=z9hG4bKs',
      'From: <sips:alice@atlanta.example.com>;tag=a',
      'To: <sips:bob@biloxi.example.com>',
      'Call-ID: secure-2',
      'CSeq: 1 INVITE',
      'Contact: <sips:alice@192.0.2.1>',
    ]);
    const res = createResponse(invite, 200, undefined, {
      toTag: 'b',
      headers: [{ name: 'Contact', value: '<sips:bob@192.0.2.4>' }],
    });
    assert.equal(dialogFromResponse(invite, res, { secureTransport: true })?.secure, true);
  });

  it('refuses our own request without From tag or Contact', () => {
    const invite = request([
      'INVITE sip:bob@biloxi.example.com SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx',
      'From: <sip:alice@atlanta.example.com>',
      'To: <sip:bob@biloxi.example.com>',
      'Call-ID: bad-uac',
      'CSeq: 1 INVITE',
    ]);
    const res = createResponse(invite, 200, undefined, { toTag: 'b', headers: [contactField] });
    assert.throws(
      () => dialogFromResponse(invite, res),
      (e) => isLinegateError(e, 'internal'),
    );
  });
});

describe('terminate', () => {
  it('returns a terminated copy and leaves the dialog alone', () => {
    const d = dialogFromRequest(bobInvite(), bobAnswers(200), BOB_CONTACT);
    const t = terminate(d);
    assert.equal(t.state, 'terminated');
    assert.equal(d.state, 'confirmed');
    assert.equal(terminate(t), t);
  });
});
