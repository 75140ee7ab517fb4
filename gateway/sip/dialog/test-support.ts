/**
 * Test helpers: SIP messages from their text, through the real parser, so
 * the dialog tests exercise what the transport will hand up. Lines are
 * joined with CRLF and Content-Length is computed.
 */
import { parseMessage } from '../message/parse.ts';
import { serializeMessage } from '../message/serialize.ts';
import type { SipMessage, SipRequest, SipResponse, SipUri } from '../message/types.ts';
import { parseUri } from '../message/uri.ts';

export function parseLines(lines: readonly string[], body = ''): SipMessage {
  const head = [...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
  const result = parseMessage(Buffer.from(head, 'utf8'), { framing: 'frame' });
  if (!result.ok) throw result.error;
  return result.message;
}

export function request(lines: readonly string[], body = ''): SipRequest {
  const msg = parseLines(lines, body);
  if (msg.kind !== 'request') throw new Error('not a request');
  return msg;
}

export function response(lines: readonly string[], body = ''): SipResponse {
  const msg = parseLines(lines, body);
  if (msg.kind !== 'response') throw new Error('not a response');
  return msg;
}

/** Serializes and parses again: what the peer would receive. */
export function roundTrip(msg: SipMessage): SipMessage {
  const result = parseMessage(serializeMessage(msg), { framing: 'frame' });
  if (!result.ok) throw result.error;
  return result.message;
}

export function sipUri(text: string): SipUri {
  const uri = parseUri(text);
  if (uri.kind !== 'sip') throw new Error(`not a SIP URI: ${text}`);
  return uri;
}

// ------------------------------------------------------------ a call
// Alice (192.0.2.1) calls Bob through two loose routers: P1
// (ss1.atlanta.example.com) then P2 (ss2.biloxi.example.com), after RFC 3665 §3.2.

export const CALL_ID = '3848276298220188511@atlanta.example.com';
export const ALICE_TAG = '9fxced76sl';
export const BOB_TAG = '314159';

/** The INVITE as Alice sends it: one Via, no Record-Route yet. */
export function aliceInvite(extra: readonly string[] = []): SipRequest {
  return request([
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9',
    'Max-Forwards: 70',
    `From: Alice <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
    'To: Bob <sip:bob@biloxi.example.com>',
    `Call-ID: ${CALL_ID}`,
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@192.0.2.1:5060>',
    ...extra,
  ]);
}

/** The INVITE as Bob receives it: P2 and P1 added their Via and Record-Route. */
export function bobInvite(extra: readonly string[] = []): SipRequest {
  return request([
    'INVITE sip:bob@192.0.2.4 SIP/2.0',
    'Via: SIP/2.0/UDP ss2.biloxi.example.com:5060;branch=z9hG4bK721e4.1',
    'Via: SIP/2.0/UDP ss1.atlanta.example.com:5060;branch=z9hG4bK2d4790.1;received=192.0.2.111',
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9;received=192.0.2.101',
    'Max-Forwards: 68',
    'Record-Route: <sip:ss2.biloxi.example.com;lr>',
    'Record-Route: <sip:ss1.atlanta.example.com;lr>',
    `From: Alice <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
    'To: Bob <sip:bob@biloxi.example.com>',
    `Call-ID: ${CALL_ID}`,
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@192.0.2.1:5060>',
    ...extra,
  ]);
}

/** A response to Alice's INVITE as Alice receives it, from Bob's contact. */
export function toAlice(
  status: string,
  opts: { tag?: string; contact?: string; recordRoute?: readonly string[]; cseq?: string } = {},
): SipResponse {
  const toTag = opts.tag === undefined ? '' : `;tag=${opts.tag}`;
  const rr = opts.recordRoute ?? [
    '<sip:ss2.biloxi.example.com;lr>, <sip:ss1.atlanta.example.com;lr>',
  ];
  return response([
    `SIP/2.0 ${status}`,
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9;received=192.0.2.101',
    ...rr.map((v) => `Record-Route: ${v}`),
    `From: Alice <sip:alice@atlanta.example.com>;tag=${ALICE_TAG}`,
    `To: Bob <sip:bob@biloxi.example.com>${toTag}`,
    `Call-ID: ${CALL_ID}`,
    `CSeq: ${opts.cseq ?? '314159 INVITE'}`,
    ...(opts.contact === undefined ? [] : [`Contact: ${opts.contact}`]),
  ]);
}
