import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createResponse } from '../message/build.ts';
import { getHeaders, parseNameAddr, prependHeader } from '../message/headers.ts';
import { startLine } from '../message/serialize.ts';
import { formatUri } from '../message/uri.ts';
import { dialogFromRequest, dialogFromResponse } from './dialog.ts';
import { createInDialogRequest, createRequest } from './requests.ts';
import { isLooseRoute, nextHop, routeRequest } from './route.ts';
import { request, response, roundTrip, sipUri } from './test-support.ts';

const target = sipUri('sip:bob@192.0.2.4');

describe('routeRequest (§12.2.1.1)', () => {
  it('sends straight to the target without a route set', () => {
    const r = routeRequest([], target);
    assert.equal(formatUri(r.requestUri), 'sip:bob@192.0.2.4');
    assert.deepEqual(r.route, []);
    assert.notEqual(r.requestUri, target, 'a copy');
  });

  it('tells loose from strict routers by "lr"', () => {
    assert.equal(isLooseRoute(parseNameAddr('<sip:p.example.com;lr>')), true);
    assert.equal(isLooseRoute(parseNameAddr('<sip:p.example.com;lr=on>')), true);
    assert.equal(isLooseRoute(parseNameAddr('<sip:p.example.com>')), false);
    assert.equal(isLooseRoute(parseNameAddr('<urn:service:sos>')), false);
  });
});

describe('nextHop (§8.1.2, §16.12)', () => {
  const req = (uri: string, ...route: string[]) =>
    request([
      `OPTIONS ${uri} SIP/2.0`,
      'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKh',
      ...route.map((r) => `Route: ${r}`),
      'From: <sip:alice@example.com>;tag=a',
      'To: <sip:bob@example.com>',
      'Call-ID: hop',
      'CSeq: 1 OPTIONS',
    ]);

  it('is the top Route when it is a loose router', () => {
    const hop = nextHop(
      req('sip:bob@192.0.2.4', '<sip:192.0.2.10:5070;lr;transport=TCP>', '<sip:192.0.2.11;lr>'),
    );
    assert.deepEqual(
      { host: hop?.host, port: hop?.port, transport: hop?.transport, secure: hop?.secure },
      { host: '192.0.2.10', port: 5070, transport: 'tcp', secure: false },
    );
  });

  it('is the Request-URI without Route, or when the top Route is a strict router', () => {
    assert.equal(nextHop(req('sip:bob@192.0.2.4:5062'))?.port, 5062);
    const strict = nextHop(req('sip:strict.example.com;transport=udp', '<sip:bob@192.0.2.4>'));
    assert.equal(strict?.host, 'strict.example.com');
    assert.equal(strict.transport, 'udp');
  });

  it('prefers maddr to the host (§19.1.1) and drops IPv6 brackets', () => {
    assert.equal(nextHop(req('sip:bob@example.com;maddr=192.0.2.99'))?.host, '192.0.2.99');
    const v6 = nextHop(req('sip:bob@example.com', '<sip:[2001:db8::1]:5070;lr>'));
    assert.deepEqual([v6?.host, v6?.port], ['2001:db8::1', 5070]);
    assert.equal(nextHop(req('sip:bob@example.com;maddr=[2001:db8::9]'))?.host, '2001:db8::9');
  });

  it('marks sips: hops secure and gives up on non-SIP URIs', () => {
    assert.equal(nextHop(req('sips:bob@example.com'))?.secure, true);
    assert.equal(nextHop(req('tel:+15551234567')), undefined);
    assert.equal(
      nextHop(req('tel:+15551234567', '<sip:gw.example.com;lr>'))?.host,
      'gw.example.com',
    );
  });
});

describe('IPv6 hosts in Contact and Record-Route (RFC 5118)', () => {
  it('UAC: builds in-dialog requests to an IPv6 remote target through an IPv6 proxy', () => {
    const invite = createRequest({
      method: 'INVITE',
      requestUri: sipUri('sip:bob@[2001:db8::20]'),
      from: { uri: sipUri('sip:alice@[2001:db8::10]') },
      to: { uri: sipUri('sip:bob@[2001:db8::20]') },
      contact: sipUri('sip:alice@[2001:db8::10]:5060'),
      route: [parseNameAddr('<sip:[2001:db8::1]:5070;lr>')],
      fromTag: 'a6',
      callId: 'v6-call',
      cseq: 1,
    });
    const ok = response([
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP [2001:db8::10]:5060;branch=z9hG4bKv6',
      'Record-Route: <sip:[2001:db8::1]:5070;lr>',
      'From: <sip:alice@[2001:db8::10]>;tag=a6',
      'To: <sip:bob@[2001:db8::20]>;tag=b6',
      'Call-ID: v6-call',
      'CSeq: 1 INVITE',
      'Contact: <sip:bob@[2001:DB8::20]:5062;transport=tcp>',
    ]);
    const dialog = dialogFromResponse(invite, ok);
    assert.ok(dialog);
    const { request: bye } = createInDialogRequest(dialog, 'BYE');
    assert.equal(startLine(bye), 'BYE sip:bob@[2001:db8::20]:5062;transport=tcp SIP/2.0');
    assert.deepEqual(
      getHeaders(bye, 'Route').map((f) => f.value),
      ['<sip:[2001:db8::1]:5070;lr>'],
    );
    assert.deepEqual(nextHop(bye), {
      uri: sipUri('sip:[2001:db8::1]:5070;lr'),
      host: '2001:db8::1',
      port: 5070,
      transport: undefined,
      secure: false,
    });
  });

  it('UAS: takes an IPv6 Contact as remote target and routes straight to it', () => {
    const invite = request([
      'INVITE sip:bob@[2001:db8::20] SIP/2.0',
      'Via: SIP/2.0/WSS [2001:db8::10]:443;branch=z9hG4bKws6',
      'From: <sip:alice@example.com>;tag=a',
      'To: <sip:bob@example.com>',
      'Call-ID: v6-uas',
      'CSeq: 9 INVITE',
      'Contact: <sip:alice@[2001:db8::10]:443;transport=wss;ob>',
    ]);
    const ok = createResponse(invite, 200, undefined, { toTag: 'b' });
    const dialog = dialogFromRequest(invite, ok, sipUri('sip:bob@[2001:db8::20]'));
    const { request: bye } = createInDialogRequest(dialog, 'BYE', { initialCseq: 100 });
    prependHeader(bye, 'Via', 'SIP/2.0/WSS [2001:db8::20];branch=z9hG4bKbye6');
    const parsed = roundTrip(bye);
    assert.equal(
      parsed.kind === 'request' && formatUri(parsed.uri),
      'sip:alice@[2001:db8::10]:443;transport=wss;ob',
    );
    const hop = nextHop(bye);
    assert.deepEqual([hop?.host, hop?.port, hop?.transport], ['2001:db8::10', 443, 'wss']);
  });
});
