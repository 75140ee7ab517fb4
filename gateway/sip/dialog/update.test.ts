import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createResponse } from '../message/build.ts';
import { formatNameAddr } from '../message/headers.ts';
import type { SipRequest } from '../message/types.ts';
import { formatUri } from '../message/uri.ts';
import { dialogFromRequest, dialogFromResponse, terminate, type Dialog } from './dialog.ts';
import { createInDialogRequest } from './requests.ts';
import { updateFromRequest, updateFromResponse } from './update.ts';
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

/** Bob's (UAS) dialog after answering 180 or 200; remote CSeq 314159. */
function bobDialog(status = 200): Dialog {
  const res = createResponse(bobInvite(), status, undefined, {
    toTag: BOB_TAG,
    recordRoute: true,
    headers: [{ name: 'Contact', value: '<sip:bob@192.0.2.4>' }],
  });
  return dialogFromRequest(bobInvite(), res, BOB_CONTACT);
}

/** Alice's (UAC) dialog after a 180 or 200 from Bob. */
function aliceDialog(status = '200 OK'): Dialog {
  const d = dialogFromResponse(
    aliceInvite(),
    toAlice(status, { tag: BOB_TAG, contact: '<sip:bob@192.0.2.4>' }),
  );
  assert.ok(d);
  return d;
}

/** A request within the call, as Bob receives it from Alice. */
function fromAlice(method: string, seq: number, extra: readonly string[] = []): SipRequest {
  return request([
    `${method} sip:bob@192.0.2.4 SIP/2.0`,
    'Via: SIP/2.0/UDP ss2.biloxi.example.com:5060;branch=z9hG4bKnew2',
    `Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa${seq}`,
    `From: Alice <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
    `To: Bob <sip:bob@biloxi.example.com>;tag=${BOB_TAG}`,
    `Call-ID: ${CALL_ID}`,
    `CSeq: ${seq} ${method}`,
    ...extra,
  ]);
}

/** A request within the call, as Alice receives it from Bob. */
function fromBob(method: string, seq: number, extra: readonly string[] = []): SipRequest {
  return request([
    `${method} sip:alice@192.0.2.1:5060 SIP/2.0`,
    'Via: SIP/2.0/UDP ss1.atlanta.example.com:5060;branch=z9hG4bKnew1',
    `Via: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKb${seq}`,
    `From: Bob <sip:bob@biloxi.example.com>;tag=${BOB_TAG}`,
    `To: Alice <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
    `Call-ID: ${CALL_ID}`,
    `CSeq: ${seq} ${method}`,
    ...extra,
  ]);
}

const routes = (d: Dialog): string[] => d.routeSet.map(formatNameAddr);

describe('updateFromResponse: responses received (§12.2.1.2, §13.2.2.4)', () => {
  it('confirms an early dialog on the 2xx and recomputes its route set from it', () => {
    const early = aliceDialog('180 Ringing');
    assert.deepEqual(routes(early), [
      '<sip:ss1.atlanta.example.com;lr>',
      '<sip:ss2.biloxi.example.com;lr>',
    ]);
    const ok = toAlice('200 OK', {
      tag: BOB_TAG,
      contact: '<sip:bob@192.0.2.44>',
      recordRoute: ['<sip:ss1.atlanta.example.com;lr>'],
    });
    const d = updateFromResponse(early, ok);
    assert.equal(d.state, 'confirmed');
    assert.deepEqual(routes(d), ['<sip:ss1.atlanta.example.com;lr>']);
    assert.equal(formatUri(d.remoteTarget), 'sip:bob@192.0.2.44');
    assert.equal(early.state, 'early', 'the input is not mutated');
  });

  it('refreshes the remote target from the 2xx to our re-INVITE, but not the route set', () => {
    const { dialog, request: reinvite } = createInDialogRequest(aliceDialog(), 'INVITE');
    const seq = dialog.localCseq ?? 0;
    assert.equal(reinvite.method, 'INVITE');
    const ok = toAlice('200 OK', {
      tag: BOB_TAG,
      contact: '<sip:bob@[2001:db8::4]:5062;transport=tcp>',
      recordRoute: ['<sip:elsewhere.example.net;lr>'],
      cseq: `${seq} INVITE`,
    });
    const d = updateFromResponse(dialog, ok);
    assert.equal(formatUri(d.remoteTarget), 'sip:bob@[2001:db8::4]:5062;transport=tcp');
    assert.deepEqual(routes(d), routes(dialog));
    assert.equal(d.state, 'confirmed');
  });

  it('refreshes the remote target from a 2xx to UPDATE, in an early dialog too (RFC 3311)', () => {
    const { dialog } = createInDialogRequest(aliceDialog('183 Session Progress'), 'UPDATE');
    const ok = toAlice('200 OK', {
      tag: BOB_TAG,
      contact: '<sip:bob@192.0.2.5>',
      cseq: `${dialog.localCseq ?? 0} UPDATE`,
    });
    const d = updateFromResponse(dialog, ok);
    assert.equal(formatUri(d.remoteTarget), 'sip:bob@192.0.2.5');
    assert.equal(d.state, 'early', 'a 2xx to UPDATE does not confirm the dialog');
  });

  it('does not take a Contact from a 2xx to a request that is no target refresh', () => {
    const dialog = aliceDialog();
    const ok = toAlice('200 OK', {
      tag: BOB_TAG,
      contact: '<sip:bob@192.0.2.99>',
      cseq: '314160 INFO',
    });
    assert.equal(updateFromResponse(dialog, ok).remoteTarget, dialog.remoteTarget);
  });

  it('terminates on 481 or 408, and an early dialog on a final non-2xx to the INVITE', () => {
    const dialog = aliceDialog();
    for (const status of ['481 Call/Transaction Does Not Exist', '408 Request Timeout']) {
      const res = toAlice(status, { tag: BOB_TAG, cseq: '314160 INFO' });
      assert.equal(updateFromResponse(dialog, res).state, 'terminated', status);
    }
    const early = aliceDialog('180 Ringing');
    assert.equal(
      updateFromResponse(early, toAlice('486 Busy Here', { tag: BOB_TAG })).state,
      'terminated',
    );
    const refused = toAlice('403 Forbidden', { tag: BOB_TAG, cseq: '314160 UPDATE' });
    assert.equal(updateFromResponse(early, refused).state, 'early', 'a refused UPDATE leaves it');
    const glare = toAlice('491 Request Pending', { tag: BOB_TAG, cseq: '314160 INVITE' });
    assert.equal(updateFromResponse(dialog, glare), dialog, 'a refused re-INVITE leaves it');
  });

  it('terminates on the answer to BYE, unless it is a challenge', () => {
    const dialog = aliceDialog();
    const answer = (status: string) => toAlice(status, { tag: BOB_TAG, cseq: '314160 BYE' });
    assert.equal(updateFromResponse(dialog, answer('200 OK')).state, 'terminated');
    assert.equal(
      updateFromResponse(dialog, answer('500 Server Internal Error')).state,
      'terminated',
    );
    assert.equal(
      updateFromResponse(dialog, answer('407 Proxy Authentication Required')).state,
      'confirmed',
    );
  });

  it('ignores provisional responses and anything after termination', () => {
    const dialog = aliceDialog();
    const ringing = toAlice('180 Ringing', { tag: BOB_TAG, contact: '<sip:bob@192.0.2.99>' });
    assert.equal(updateFromResponse(dialog, ringing), dialog);
    const over = terminate(dialog);
    assert.equal(updateFromResponse(over, toAlice('200 OK', { tag: BOB_TAG })), over);
  });
});

describe('updateFromResponse: responses we send (§12.1.1)', () => {
  it('confirms the UAS early dialog on our 2xx; the route set stays', () => {
    const early = bobDialog(180);
    const ok = createResponse(bobInvite(), 200, undefined, {
      toTag: BOB_TAG,
      headers: [
        { name: 'Record-Route', value: '<sip:ignored.example.com;lr>' },
        { name: 'Contact', value: '<sip:bob@192.0.2.40>' },
      ],
    });
    const d = updateFromResponse(early, ok);
    assert.equal(d.state, 'confirmed');
    assert.deepEqual(routes(d), routes(early));
    assert.equal(
      formatUri(d.localTarget),
      'sip:bob@192.0.2.40',
      'our new Contact becomes the local target',
    );
    assert.equal(d.remoteTarget, early.remoteTarget);
  });

  it('terminates the UAS early dialog when we reject the INVITE', () => {
    const rejected = createResponse(bobInvite(), 603, undefined, { toTag: BOB_TAG });
    assert.equal(updateFromResponse(bobDialog(180), rejected).state, 'terminated');
  });

  it('moves our local target when our 2xx to a re-INVITE carries a new Contact', () => {
    const reinvite = fromAlice('INVITE', 314160, ['Contact: <sip:alice@192.0.2.1:5060>']);
    const ok = createResponse(reinvite, 200, undefined, {
      headers: [{ name: 'Contact', value: '<sip:bob@192.0.2.41>' }],
    });
    const d = updateFromResponse(bobDialog(), ok);
    assert.equal(formatUri(d.localTarget), 'sip:bob@192.0.2.41');
    assert.equal(d.state, 'confirmed');
  });
});

describe('updateFromRequest (§12.2.2)', () => {
  it('refreshes the remote target on a re-INVITE, leaving the route set alone', () => {
    const dialog = aliceDialog();
    const reinvite = fromBob('INVITE', 7, [
      'Record-Route: <sip:new-proxy.example.net;lr>',
      'Contact: <sip:bob@[2001:db8::4]:5062>',
    ]);
    const verdict = updateFromRequest(dialog, reinvite);
    assert.ok(verdict.ok);
    assert.equal(formatUri(verdict.dialog.remoteTarget), 'sip:bob@[2001:db8::4]:5062');
    assert.deepEqual(routes(verdict.dialog), routes(dialog));
    assert.equal(verdict.dialog.remoteCseq, 7, 'an empty remote CSeq takes the first number');
  });

  it('refreshes the remote target on UPDATE, not on INFO', () => {
    const dialog = bobDialog();
    const update = updateFromRequest(
      dialog,
      fromAlice('UPDATE', 314160, ['Contact: <sip:alice@192.0.2.7>']),
    );
    assert.ok(update.ok);
    assert.equal(formatUri(update.dialog.remoteTarget), 'sip:alice@192.0.2.7');
    const info = updateFromRequest(
      update.dialog,
      fromAlice('INFO', 314161, ['Contact: <sip:alice@192.0.2.8>']),
    );
    assert.ok(info.ok);
    assert.equal(formatUri(info.dialog.remoteTarget), 'sip:alice@192.0.2.7');
  });

  it('rejects a lower or equal CSeq with 500 and accepts a higher one', () => {
    const dialog = bobDialog();
    for (const [method, seq] of [
      ['INFO', 314158],
      ['BYE', 314159],
    ] as const) {
      const verdict = updateFromRequest(dialog, fromAlice(method, seq));
      assert.deepEqual(verdict, {
        ok: false,
        status: 500,
        reason: 'Server Internal Error',
        dialog,
      });
    }
    const later = updateFromRequest(dialog, fromAlice('INFO', 314200));
    assert.ok(later.ok);
    assert.equal(later.dialog.remoteCseq, 314200, 'gaps are allowed');
  });

  it('lets ACK and CANCEL through with the INVITE number, changing nothing', () => {
    const dialog = bobDialog();
    const after = updateFromRequest(dialog, fromAlice('INFO', 314160));
    assert.ok(after.ok);
    for (const method of ['ACK', 'CANCEL']) {
      assert.deepEqual(updateFromRequest(after.dialog, fromAlice(method, 314159)), {
        ok: true,
        dialog: after.dialog,
      });
    }
  });

  it('terminates the dialog on BYE and answers 481 afterwards', () => {
    const bye = updateFromRequest(bobDialog(), fromAlice('BYE', 314160));
    assert.ok(bye.ok);
    assert.equal(bye.dialog.state, 'terminated');
    const late = updateFromRequest(bye.dialog, fromAlice('INFO', 314161));
    assert.deepEqual(late, {
      ok: false,
      status: 481,
      reason: 'Call/Transaction Does Not Exist',
      dialog: bye.dialog,
    });
  });

  it('answers 400 to a target refresh with an unusable Contact', () => {
    const dialog = bobDialog();
    const star = updateFromRequest(dialog, fromAlice('INVITE', 314160, ['Contact: *']));
    assert.equal(!star.ok && star.status, 400);
    assert.equal(star.dialog, dialog);
    const two = updateFromRequest(
      dialog,
      fromAlice('UPDATE', 314160, ['Contact: <sip:a@192.0.2.1>, <sip:b@192.0.2.1>']),
    );
    assert.equal(!two.ok && two.reason, 'Bad Request - More than one Contact');
    const tel = updateFromRequest(
      dialog,
      fromAlice('UPDATE', 314160, ['Contact: <tel:+15551234>']),
    );
    assert.equal(!tel.ok && tel.status, 400);
  });

  it('keeps the remote target when a target refresh has no Contact', () => {
    const dialog = bobDialog();
    const verdict = updateFromRequest(dialog, fromAlice('UPDATE', 314160));
    assert.ok(verdict.ok);
    assert.equal(verdict.dialog.remoteTarget, dialog.remoteTarget);
  });
});
