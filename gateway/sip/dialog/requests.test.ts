import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLinegateError } from '#shared/errors.ts';
import { createResponse } from '../message/build.ts';
import {
  getHeader,
  getHeaders,
  headerValues,
  parseNameAddr,
  prependHeader,
  tagOf,
} from '../message/headers.ts';
import { startLine } from '../message/serialize.ts';
import type { SipRequest } from '../message/types.ts';
import { formatUri } from '../message/uri.ts';
import { dialogFromRequest, dialogFromResponse, terminate, type Dialog } from './dialog.ts';
import {
  createAck,
  createCancel,
  createInDialogRequest,
  createRequest,
  initialCseq,
} from './requests.ts';
import {
  ALICE_TAG,
  BOB_TAG,
  CALL_ID,
  aliceInvite,
  bobInvite,
  request,
  roundTrip,
  sipUri,
  toAlice,
} from './test-support.ts';

const BOB_CONTACT = sipUri('sip:bob@192.0.2.4');

function aliceDialog(recordRoute?: readonly string[]): Dialog {
  const ok = toAlice('200 OK', {
    tag: BOB_TAG,
    contact: '<sip:bob@192.0.2.4;transport=udp>',
    ...(recordRoute ? { recordRoute } : {}),
  });
  const d = dialogFromResponse(aliceInvite(), ok);
  assert.ok(d);
  return d;
}

function bobDialog(): Dialog {
  const res = createResponse(bobInvite(), 200, undefined, { toTag: BOB_TAG, recordRoute: true });
  return dialogFromRequest(bobInvite(), res, BOB_CONTACT);
}

const fields = (req: SipRequest, name: string): string[] =>
  getHeaders(req, name).map((f) => f.value);

describe('createInDialogRequest (§12.2.1.1)', () => {
  it('builds a BYE through loose routers: Request-URI = remote target, Route = route set', () => {
    const dialog = aliceDialog();
    const { dialog: next, request: bye } = createInDialogRequest(dialog, 'BYE');
    assert.equal(startLine(bye), 'BYE sip:bob@192.0.2.4;transport=udp SIP/2.0');
    assert.deepEqual(fields(bye, 'Route'), [
      '<sip:ss1.atlanta.example.com;lr>',
      '<sip:ss2.biloxi.example.com;lr>',
    ]);
    assert.equal(getHeader(bye, 'From'), `Alice <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`);
    assert.equal(getHeader(bye, 'To'), `Bob <sip:bob@biloxi.example.com>;tag=${BOB_TAG}`);
    assert.equal(getHeader(bye, 'Call-ID'), CALL_ID);
    assert.equal(getHeader(bye, 'CSeq'), '314160 BYE');
    assert.equal(getHeader(bye, 'Max-Forwards'), '70');
    assert.equal(getHeader(bye, 'Contact'), undefined, 'BYE carries no Contact');
    assert.equal(getHeader(bye, 'Via'), undefined, 'the transaction layer adds the Via');
    assert.equal(next.localCseq, 314160);
    assert.equal(dialog.localCseq, 314159, 'the input dialog is not mutated');
  });

  it('parses back once the transaction layer has prepended its Via', () => {
    const { request: info } = createInDialogRequest(aliceDialog(), 'INFO', {
      body: Buffer.from('Signal=5\r\nDuration=160\r\n'),
      contentType: 'application/dtmf-relay',
      headers: [{ name: 'X-Note', value: 'dtmf' }],
    });
    prependHeader(info, 'Via', 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKinfo');
    const parsed = roundTrip(info);
    assert.equal(parsed.headers[0]?.name, 'Via');
    assert.equal(getHeader(parsed, 'Content-Type'), 'application/dtmf-relay');
    assert.equal(getHeader(parsed, 'X-Note'), 'dtmf');
    assert.equal(parsed.body.toString(), 'Signal=5\r\nDuration=160\r\n');
  });

  it('routes through a strict router: its URI in the Request-URI, remote target as last Route', () => {
    // Record-Route as received in the 2xx: the strict router is nearest to Alice, so last.
    const dialog = aliceDialog([
      '<sip:p2.example.com;lr>',
      '<sip:p1.example.com;method=INVITE?X-Hdr=1>',
    ]);
    assert.equal(
      formatUri(dialog.routeSet[0]?.uri ?? BOB_CONTACT),
      'sip:p1.example.com;method=INVITE?X-Hdr=1',
    );
    const { request: bye } = createInDialogRequest(dialog, 'BYE');
    assert.equal(
      formatUri(bye.uri),
      'sip:p1.example.com',
      'method parameter and headers stripped (§19.1.1)',
    );
    assert.deepEqual(fields(bye, 'Route'), [
      '<sip:p2.example.com;lr>',
      '<sip:bob@192.0.2.4;transport=udp>',
    ]);
    assert.equal(
      formatUri(dialog.remoteTarget),
      'sip:bob@192.0.2.4;transport=udp',
      'the dialog is untouched',
    );
  });

  it('looks only at the first route to choose loose routing', () => {
    const dialog = aliceDialog(['<sip:strict.example.com>', '<sip:loose.example.com;lr>']);
    const { request: bye } = createInDialogRequest(dialog, 'BYE');
    assert.equal(formatUri(bye.uri), 'sip:bob@192.0.2.4;transport=udp');
    assert.deepEqual(fields(bye, 'Route'), [
      '<sip:loose.example.com;lr>',
      '<sip:strict.example.com>',
    ]);
  });

  it('puts the local target in the Contact of a re-INVITE and moves it on request', () => {
    const dialog = aliceDialog();
    const { request: reinvite } = createInDialogRequest(dialog, 'INVITE');
    assert.equal(getHeader(reinvite, 'Contact'), '<sip:alice@192.0.2.1:5060>');
    const moved = sipUri('sip:alice@[2001:db8::1]:5070;transport=tcp');
    const { dialog: next, request: update } = createInDialogRequest(dialog, 'UPDATE', {
      localTarget: moved,
    });
    assert.equal(getHeader(update, 'Contact'), '<sip:alice@[2001:db8::1]:5070;transport=tcp>');
    assert.equal(next.localTarget, moved);
    assert.throws(
      () => createInDialogRequest(dialog, 'INFO', { localTarget: moved }),
      (e) => isLinegateError(e, 'internal'),
    );
  });

  it('picks an initial CSeq for a UAS whose local sequence number is empty', () => {
    const dialog = bobDialog();
    assert.equal(dialog.localCseq, undefined);
    const first = createInDialogRequest(dialog, 'BYE', { initialCseq: 1 });
    assert.equal(getHeader(first.request, 'CSeq'), '1 BYE');
    assert.equal(
      getHeader(first.request, 'From'),
      `Bob <sip:bob@biloxi.example.com>;tag=${BOB_TAG}`,
    );
    assert.equal(
      getHeader(first.request, 'To'),
      `Alice <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
    );
    assert.equal(startLine(first.request), 'BYE sip:alice@192.0.2.1:5060 SIP/2.0');
    assert.deepEqual(fields(first.request, 'Route'), [
      '<sip:ss2.biloxi.example.com;lr>',
      '<sip:ss1.atlanta.example.com;lr>',
    ]);
    const second = createInDialogRequest(first.dialog, 'INFO');
    assert.equal(getHeader(second.request, 'CSeq'), '2 INFO');
    const random = createInDialogRequest(dialog, 'INFO').dialog.localCseq ?? -1;
    assert.ok(random >= 1 && random < 2 ** 31);
  });

  it('refuses ACK, CANCEL and terminated dialogs', () => {
    const dialog = aliceDialog();
    for (const method of ['ACK', 'CANCEL']) {
      assert.throws(
        () => createInDialogRequest(dialog, method),
        (e) => isLinegateError(e, 'internal'),
      );
    }
    assert.throws(
      () => createInDialogRequest(terminate(dialog), 'BYE'),
      (e) => isLinegateError(e, 'internal'),
    );
  });

  it('shares no mutable URI with the dialog', () => {
    const dialog = aliceDialog();
    const { request: bye } = createInDialogRequest(dialog, 'BYE');
    if (bye.uri.kind === 'sip') bye.uri.params.set('x', 'y');
    assert.equal(formatUri(dialog.remoteTarget), 'sip:bob@192.0.2.4;transport=udp');
  });
});

describe('createAck (§13.2.2.4)', () => {
  it('reuses the INVITE CSeq number, routes like any in-dialog request, changes nothing', () => {
    const invite = aliceInvite([
      'Proxy-Authorization: Digest username="alice", realm="atlanta.example.com", nonce="n", uri="sip:bob@biloxi.example.com", response="r"',
    ]);
    const dialog = aliceDialog();
    const ack = createAck(dialog, 314159, {
      invite,
      body: Buffer.from('v=0\r\n'),
      contentType: 'application/sdp',
    });
    assert.equal(startLine(ack), 'ACK sip:bob@192.0.2.4;transport=udp SIP/2.0');
    assert.equal(getHeader(ack, 'CSeq'), '314159 ACK');
    assert.deepEqual(fields(ack, 'Route'), [
      '<sip:ss1.atlanta.example.com;lr>',
      '<sip:ss2.biloxi.example.com;lr>',
    ]);
    assert.equal(tagOf(parseNameAddr(getHeader(ack, 'To') ?? '')), BOB_TAG);
    assert.match(getHeader(ack, 'Proxy-Authorization') ?? '', /^Digest username="alice"/);
    assert.equal(getHeader(ack, 'Content-Type'), 'application/sdp');
    assert.equal(dialog.localCseq, 314159);
  });

  it('refuses an INVITE whose CSeq is not the one acknowledged', () => {
    assert.throws(
      () => createAck(aliceDialog(), 314160, { invite: aliceInvite() }),
      (e) => isLinegateError(e, 'internal'),
    );
  });
});

describe('createCancel (§9.1)', () => {
  it('copies Request-URI, Call-ID, From, To, CSeq number, the top Via and Route', () => {
    const invite = request([
      'INVITE sip:bob@biloxi.example.com;user=phone SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKtop;rport, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKlower',
      'Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKlowest',
      'Route: <sip:ss1.atlanta.example.com;lr>',
      'Max-Forwards: 70',
      'From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl',
      'To: Bob <sip:bob@biloxi.example.com>',
      'Call-ID: cancel-me',
      'CSeq: 17 INVITE',
      'Contact: <sip:alice@192.0.2.1:5060>',
      'Require: 100rel',
    ]);
    const cancel = createCancel(invite);
    assert.equal(startLine(cancel), 'CANCEL sip:bob@biloxi.example.com;user=phone SIP/2.0');
    assert.deepEqual(headerValues(cancel, 'Via'), [
      'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKtop;rport',
    ]);
    assert.deepEqual(fields(cancel, 'Route'), ['<sip:ss1.atlanta.example.com;lr>']);
    for (const name of ['From', 'To', 'Call-ID'])
      assert.equal(getHeader(cancel, name), getHeader(invite, name));
    assert.equal(getHeader(cancel, 'CSeq'), '17 CANCEL');
    assert.equal(getHeader(cancel, 'Max-Forwards'), '70');
    assert.equal(getHeader(cancel, 'Require'), undefined);
    assert.equal(getHeader(cancel, 'Contact'), undefined);
    assert.equal(cancel.uri === invite.uri, false, 'the Request-URI is a copy');
    assert.equal(roundTrip(cancel).kind, 'request');
  });

  it('refuses a request without Via, and ACK or CANCEL', () => {
    const bare = createRequest({
      method: 'INVITE',
      requestUri: sipUri('sip:bob@biloxi.example.com'),
      from: { uri: sipUri('sip:alice@atlanta.example.com') },
      to: { uri: sipUri('sip:bob@biloxi.example.com') },
      contact: sipUri('sip:alice@192.0.2.1'),
    });
    assert.throws(
      () => createCancel(bare),
      (e) => isLinegateError(e, 'internal'),
    );
    const ack = createAck(aliceDialog(), 314159);
    prependHeader(ack, 'Via', 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKack');
    assert.throws(
      () => createCancel(ack),
      (e) => isLinegateError(e, 'internal'),
    );
  });
});

describe('createRequest (§8.1.1)', () => {
  const base = {
    method: 'INVITE',
    requestUri: sipUri('sip:1001@192.0.2.20'),
    from: { uri: sipUri('sip:alice@pbx.example.com'), displayName: 'Alice Example' },
    to: { uri: sipUri('sip:1001@pbx.example.com') },
    contact: sipUri('sip:gw@192.0.2.10:5060'),
  } as const;

  it('fills in the mandatory header fields', () => {
    const invite = createRequest({
      ...base,
      body: Buffer.from('v=0\r\n'),
      contentType: 'application/sdp',
    });
    assert.equal(startLine(invite), 'INVITE sip:1001@192.0.2.20 SIP/2.0');
    assert.deepEqual(
      invite.headers.map((f) => f.name),
      ['Max-Forwards', 'From', 'To', 'Call-ID', 'CSeq', 'Contact', 'Content-Type'],
    );
    const fromTag = tagOf(parseNameAddr(getHeader(invite, 'From') ?? ''));
    assert.ok(fromTag !== undefined && fromTag.length >= 8, 'a fresh From tag (§19.3)');
    assert.equal(
      getHeader(invite, 'From'),
      `Alice Example <sip:alice@pbx.example.com>;tag=${fromTag}`,
    );
    assert.equal(
      getHeader(invite, 'To'),
      '<sip:1001@pbx.example.com>',
      'no To tag outside a dialog',
    );
    assert.ok((getHeader(invite, 'Call-ID') ?? '').length >= 16);
    const [seq, method] = (getHeader(invite, 'CSeq') ?? '').split(' ');
    assert.equal(method, 'INVITE');
    assert.ok(Number(seq) >= 1 && Number(seq) < 2 ** 31);
    assert.equal(getHeader(invite, 'Max-Forwards'), '70');
    assert.equal(getHeader(invite, 'Contact'), '<sip:gw@192.0.2.10:5060>');
    prependHeader(invite, 'Via', 'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKout');
    assert.equal(roundTrip(invite).body.toString(), 'v=0\r\n');
  });

  it('takes given tag, Call-ID, CSeq and Max-Forwards', () => {
    const options = createRequest({
      ...base,
      method: 'OPTIONS',
      fromTag: 'ft',
      callId: 'ping-1@192.0.2.10',
      cseq: 42,
      maxForwards: 0,
    });
    assert.equal(getHeader(options, 'From'), 'Alice Example <sip:alice@pbx.example.com>;tag=ft');
    assert.equal(getHeader(options, 'Call-ID'), 'ping-1@192.0.2.10');
    assert.equal(getHeader(options, 'CSeq'), '42 OPTIONS');
    assert.equal(getHeader(options, 'Max-Forwards'), '0');
  });

  it('applies a pre-existing route set, loose or strict (§8.1.1.1)', () => {
    const loose = createRequest({ ...base, route: [parseNameAddr('<sip:[2001:db8::1]:5070;lr>')] });
    assert.equal(formatUri(loose.uri), 'sip:1001@192.0.2.20');
    assert.deepEqual(fields(loose, 'Route'), ['<sip:[2001:db8::1]:5070;lr>']);
    assert.equal(loose.headers[0]?.name, 'Route');
    const strict = createRequest({ ...base, route: [parseNameAddr('<sip:outbound.example.com>')] });
    assert.equal(formatUri(strict.uri), 'sip:outbound.example.com');
    assert.deepEqual(fields(strict, 'Route'), ['<sip:1001@192.0.2.20>']);
  });

  it('takes a Contact with header parameters (REGISTER expires)', () => {
    const contact = parseNameAddr('<sip:gw@192.0.2.10:5060;transport=udp>;expires=600');
    const register = createRequest({ ...base, method: 'REGISTER', contact });
    assert.equal(
      getHeader(register, 'Contact'),
      '<sip:gw@192.0.2.10:5060;transport=udp>;expires=600',
    );
  });

  it('refuses an INVITE without Contact, a body without Content-Type, ACK and CANCEL', () => {
    const { contact: _contact, ...noContact } = base;
    assert.throws(
      () => createRequest(noContact),
      (e) => isLinegateError(e, 'internal'),
    );
    assert.throws(
      () => createRequest({ ...base, body: Buffer.from('x') }),
      (e) => isLinegateError(e, 'internal'),
    );
    for (const method of ['ACK', 'CANCEL']) {
      assert.throws(
        () => createRequest({ ...base, method }),
        (e) => isLinegateError(e, 'internal'),
      );
    }
  });
});

describe('initialCseq (§8.1.1.5)', () => {
  it('stays below 2**31', () => {
    for (let i = 0; i < 100; i++) {
      const n = initialCseq();
      assert.ok(Number.isInteger(n) && n >= 1 && n < 2 ** 31);
    }
  });
});
