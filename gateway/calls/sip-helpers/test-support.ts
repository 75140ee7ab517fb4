/**
 * Test helpers: requests and responses from their text, through the real
 * parser (dialog/test-support.ts), as the PBX or a browser sends them; and
 * bare ones that skip the parser, for what it would refuse or canonicalize.
 */
import { request, response } from '../../sip/dialog/test-support.ts';
import type { HeaderField, SipRequest, SipResponse } from '../../sip/message/types.ts';
import { parseUri } from '../../sip/message/uri.ts';

export interface InviteOptions {
  readonly requestUri?: string;
  readonly from?: string;
  readonly to?: string;
}

/** An INVITE from the PBX to a line's Contact, with extra header lines. */
export function pbxInvite(extra: readonly string[] = [], opts: InviteOptions = {}): SipRequest {
  return request([
    `INVITE ${opts.requestUri ?? 'sip:1001@192.0.2.99:5060'} SIP/2.0`,
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-pbx-1',
    'Max-Forwards: 70',
    `From: ${opts.from ?? '"Alice Example" <sip:+4930123456@pbx.example.com>'};tag=pbx1`,
    `To: ${opts.to ?? '<sip:1001@pbx.example.com>'}`,
    'Call-ID: 8c1f2a@192.0.2.10',
    'CSeq: 102 INVITE',
    'Contact: <sip:asterisk@192.0.2.10:5060>',
    ...extra,
  ]);
}

/** A request within a dialog (UPDATE, INFO, re-INVITE) with extra header lines and a body. */
export function inDialog(method: string, extra: readonly string[] = [], body = ''): SipRequest {
  return request(
    [
      `${method} sip:o2bl9uu2@9k3h2l0dkd8a.invalid;transport=ws SIP/2.0`,
      'Via: SIP/2.0/WSS 9k3h2l0dkd8a.invalid;branch=z9hG4bK-browser-7',
      'Max-Forwards: 70',
      'From: <sip:1001@linegate.example.com>;tag=b1',
      'To: <sip:+4930123456@linegate.example.com>;tag=g1',
      'Call-ID: 2g2n4ef6ps0dqk5rnmcc',
      `CSeq: 7 ${method}`,
      ...extra,
    ],
    body,
  );
}

/** A 200 OK to our INVITE, with extra header lines. */
export function ok(extra: readonly string[] = []): SipResponse {
  return response([
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bK-gw-1',
    'From: <sip:1001@pbx.example.com>;tag=gw1',
    'To: <sip:200@pbx.example.com>;tag=pbx2',
    'Call-ID: gw-call-1',
    'CSeq: 1 INVITE',
    'Contact: <sip:200@192.0.2.10:5060>',
    ...extra,
  ]);
}

/**
 * A request built without the parser: header names kept as given (compact
 * forms, odd case) and values the parser would refuse (repeated
 * Content-Type, control characters).
 */
export function bare(headers: readonly (readonly [string, string])[], body = ''): SipRequest {
  return {
    kind: 'request',
    method: 'INVITE',
    uri: parseUri('sip:1001@192.0.2.99'),
    headers: headers.map(([name, value]): HeaderField => ({ name, value })),
    body: Buffer.from(body, 'utf8'),
  };
}
