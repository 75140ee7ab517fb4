import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  callId,
  contacts,
  cseq,
  getHeader,
  getHeaders,
  headerValues,
  topVia,
  vias,
} from './headers.ts';
import {
  MAX_HEADER_COUNT,
  MAX_LINE_LENGTH,
  MAX_MESSAGE_SIZE,
  isKeepAlive,
  parseMessage,
} from './parse.ts';
import { sample200, sampleInvite } from './samples.ts';
import type { Framing, ParseResult, SipMessage, SipUri } from './types.ts';

const CRLF = '\r\n';
const BASE = [
  'OPTIONS sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'To: <sip:bob@example.com>',
  'From: <sip:alice@example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
  'CSeq: 63104 OPTIONS',
];

function raw(lines: string[], body = '', withLength = true): Buffer {
  const head = withLength ? [...lines, `Content-Length: ${Buffer.byteLength(body)}`] : lines;
  return Buffer.from(head.join(CRLF) + CRLF + CRLF + body);
}

function parse(data: Buffer | string, framing: Framing = 'datagram'): ParseResult {
  return parseMessage(typeof data === 'string' ? Buffer.from(data, 'latin1') : data, { framing });
}

function ok(data: Buffer | string, framing: Framing = 'datagram'): SipMessage {
  const r = parse(data, framing);
  if (!r.ok) assert.fail(String(r.error.details['reason']));
  return r.message;
}

function reason(data: Buffer | string, framing: Framing = 'datagram'): string {
  const r = parse(data, framing);
  if (r.ok) assert.fail('accepted');
  return String(r.error.details['reason']);
}

describe('parseMessage: requests and responses', () => {
  it('parses the sample INVITE and 200 OK', () => {
    const inv = ok(sampleInvite());
    assert.equal(inv.kind, 'request');
    assert.equal(inv.method, 'INVITE');
    assert.equal(topVia(inv).transport, 'WSS');
    assert.equal(inv.body.toString().split('\r\n')[0], 'v=0');
    const res = ok(sample200());
    assert.equal(res.kind === 'response' && `${res.status} ${res.reason}`, '200 OK');
    assert.equal(vias(res).length, 2);
  });

  it('canonicalises names, resolves compact forms, keeps unknown names', () => {
    const m = ok(
      raw([
        ...BASE.slice(0, 3),
        't: <sip:bob@example.com>',
        'f: <sip:a@b.com>;tag=1',
        'i: x1',
        'CSEQ: 1 OPTIONS',
        'x-Odd-Name: 1',
        'M: <sip:a@b>',
      ]),
    );
    assert.deepEqual(
      m.headers.map((f) => f.name),
      [
        'Via',
        'Max-Forwards',
        'To',
        'From',
        'Call-ID',
        'CSeq',
        'x-Odd-Name',
        'Contact',
        'Content-Length',
      ],
    );
  });

  it('unfolds continuation lines into one SP (§7.3.1)', () => {
    const m = ok(
      raw([
        ...BASE,
        "Subject: I know you're there,",
        '   pick up the phone  ',
        '\tand talk to me!',
        'X-Empty:',
        'X-Tab:\t v \t',
      ]),
    );
    assert.equal(getHeader(m, 'Subject'), "I know you're there, pick up the phone and talk to me!");
    assert.equal(getHeader(m, 'X-Empty'), '');
    assert.equal(getHeader(m, 'X-Tab'), 'v');
  });

  it('reads several values per line and across lines', () => {
    const m = ok(
      raw([
        ...BASE,
        'Contact: <sip:a@1.com>, <sip:b@2.com>',
        'Contact: sip:c@3.com;expires=5',
        'Route: <sip:p1;lr>,<sip:p2;lr>',
      ]),
    );
    const c = contacts(m);
    assert.ok(Array.isArray(c));
    assert.deepEqual(
      c.map((x) => (x.uri as SipUri).host),
      ['1.com', '2.com', '3.com'],
    );
    assert.deepEqual(headerValues(m, 'Route'), ['<sip:p1;lr>', '<sip:p2;lr>']);
  });

  it('ignores CRLFs before the start line (§7.5)', () => {
    assert.equal(callId(ok(Buffer.concat([Buffer.from('\r\n\r\n'), raw(BASE)]))), 'a84b4c76e66710');
  });

  it('accepts the SIP-Version in any case and an absent reason phrase SP', () => {
    assert.equal(
      ok(raw(['OPTIONS sip:bob@example.com sip/2.0', ...BASE.slice(1)])).kind,
      'request',
    );
    const r = ok(raw(['SIP/2.0 180', ...BASE.slice(1)]));
    assert.equal(r.kind === 'response' && r.reason, '');
  });

  it('accepts ACK and CANCEL with their own CSeq methods', () => {
    const ack = BASE.map((l) => l.replace('OPTIONS', 'ACK'));
    assert.equal(cseq(ok(raw(ack))).method, 'ACK');
  });

  it('rejects what RFC 3261 §7 forbids', () => {
    const cases: [string[], RegExp][] = [
      [['OPTIONS sip:bob@example.com SIP/2.0', ...BASE.slice(2)], /Missing Via/],
      [[...BASE, 'To: <sip:x@y>'], /Multiple To header fields/],
      [[...BASE, 'Max-Forwards: 1'], /Multiple Max-Forwards/],
      [['OPTIONS sip:bob@example.com SIP/3.0', ...BASE.slice(1)], /Version Not Supported/],
      [['OPTIONS sip:bob@example.com HTTP/1.1', ...BASE.slice(1)], /Malformed SIP-Version/],
      [['OPT\tIONS sip:bob@example.com SIP/2.0', ...BASE.slice(1)], /Bad Method/],
      [['OPTIONS sip:bob@example.com SIP/2.0', ' Via: x', ...BASE.slice(1)], /Continuation line/],
      [[...BASE, 'Bad Name: x'], /Bad header field name/],
      [[...BASE, ': x'], /Bad header field name/],
      [['SIP/2.0 2000 OK', ...BASE.slice(1)], /Bad Status-Code/],
      [['SIP/2.0 099 Hm', ...BASE.slice(1)], /Bad Status-Code/],
      [['SIP/2.0 700 Hm', ...BASE.slice(1)], /Bad Status-Code/],
      [['SIP/2.0 200 O\x01K', ...BASE.slice(1)], /Control character in Reason-Phrase/],
      [[...BASE, 'Expires: 1', 'Expires: 2'], /Multiple Expires/],
      [[...BASE.slice(0, 6), 'CSeq: 1 INVITE'], /CSeq method does not match/],
      [[...BASE, 'X-A: a\0b'], /Control character in X-A/],
    ];
    for (const [lines, re] of cases) assert.match(reason(raw(lines)), re, lines.join(' | '));
  });

  it('allows controls only as quoted-pairs inside a quoted string (§25.1)', () => {
    assert.equal(ok(raw([...BASE, 'X-Q: "a\\\x07b"'])).kind, 'request');
    assert.match(reason(raw([...BASE, 'X-Q: "a\x07b"'])), /Control character/);
  });

  it('rejects bare LF and bare CR line ends', () => {
    const lf = BASE.join('\n') + '\n\n';
    assert.match(reason(lf), /Bad Request - /);
    const mixed = [BASE[0]!, BASE[1]! + '\n' + BASE[2]!, ...BASE.slice(3)];
    assert.match(reason(raw(mixed)), /Bare CR or LF in Via/);
    const cr = [BASE[0]!, ...BASE.slice(1, 6), 'CSeq: 63104\rOPTIONS'];
    assert.match(reason(raw(cr)), /Bare CR or LF in CSeq/);
  });

  it('rejects invalid UTF-8 in the header section', () => {
    const head = Buffer.from(BASE.join(CRLF) + CRLF + 'X-A: ');
    const data = Buffer.concat([
      head,
      Buffer.from([0xc3, 0x28]),
      Buffer.from(CRLF + 'Content-Length: 0' + CRLF + CRLF),
    ]);
    assert.match(reason(data), /Invalid UTF-8/);
    assert.equal(getHeader(ok(raw([...BASE, 'X-A: caf\u00e9 \uFFFD'])), 'X-A'), 'café \uFFFD');
  });

  it('requires the empty line after the header fields', () => {
    assert.match(reason(BASE.join(CRLF) + CRLF), /Missing empty line/);
    assert.match(reason(BASE.join(CRLF)), /Missing empty line/);
  });

  it('tells an empty datagram and keep-alives apart', () => {
    const r = parse('\r\n\r\n');
    assert.ok(!r.ok && r.error.details['keepAlive'] === true);
    assert.ok(isKeepAlive(Buffer.from('\r\n\r\n')));
    assert.ok(isKeepAlive(Buffer.from('\r\n')));
    assert.ok(!isKeepAlive(Buffer.from('\r\n\r')));
    assert.ok(!isKeepAlive(raw(BASE)));
  });
});

describe('parseMessage: Content-Length framing', () => {
  const body = 'v=0\r\n';

  it('datagram: ignores octets past Content-Length (§18.3)', () => {
    const m = ok(Buffer.concat([raw(BASE, body), Buffer.from('garbage')]));
    assert.equal(m.body.toString(), body);
  });

  it('datagram: without Content-Length the body is the rest', () => {
    assert.equal(ok(raw(BASE, body, false)).body.toString(), body);
  });

  it('datagram: rejects a length larger than what arrived, negative or non-numeric', () => {
    assert.match(
      reason(raw([...BASE, 'Content-Length: 6'], body, false)),
      /Content-Length larger than message/,
    );
    assert.match(reason(raw([...BASE, 'l: -1'], '', false)), /negative/);
    assert.match(reason(raw([...BASE, 'l: 1a'], '', false)), /not a number/);
    assert.match(reason(raw([...BASE, 'l: 99999999999999999999'], '', false)), /too large/);
    assert.match(reason(raw([...BASE, 'l: 1', 'l: 2'], 'ab', false)), /Conflicting Content-Length/);
  });

  it('datagram: agreeing duplicate Content-Length values are tolerated', () => {
    assert.equal(
      ok(raw([...BASE, 'l: 2', 'Content-Length: 2'], 'ab', false)).body.toString(),
      'ab',
    );
  });

  it('frame: Content-Length optional, body is the rest, a mismatch is an error (RFC 7118)', () => {
    assert.equal(ok(raw(BASE, body, false), 'frame').body.toString(), body);
    assert.equal(ok(raw(BASE, body), 'frame').body.toString(), body);
    assert.match(
      reason(Buffer.concat([raw(BASE, body), Buffer.from('x')]), 'frame'),
      /does not match the frame/,
    );
    assert.match(
      reason(raw([...BASE, 'Content-Length: 9'], body, false), 'frame'),
      /does not match the frame/,
    );
  });

  it('keeps a binary body intact, CRLFs and NULs included', () => {
    const bin = Buffer.from([0, 13, 10, 13, 10, 255, 0]);
    const data = Buffer.concat([
      Buffer.from([...BASE, `Content-Length: ${bin.length}`].join(CRLF) + CRLF + CRLF),
      bin,
    ]);
    assert.deepEqual(ok(data).body, bin);
  });
});

describe('parseMessage: limits', () => {
  it('rejects messages over MAX_MESSAGE_SIZE before reading them', () => {
    const r = parse(Buffer.alloc(MAX_MESSAGE_SIZE + 1, 0x41));
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'sip.too-large');
    assert.equal(r.error.details['status'], 513);
  });

  it('rejects more than MAX_HEADER_COUNT header fields', () => {
    const many = Array.from({ length: MAX_HEADER_COUNT }, (_, i) => `X-${i}: ${i}`);
    const r = parse(raw([...BASE, ...many]));
    assert.ok(!r.ok && r.error.code === 'sip.too-large');
    assert.equal(
      ok(raw([...BASE, ...many.slice(0, MAX_HEADER_COUNT - BASE.length)])).headers.length,
      MAX_HEADER_COUNT,
    );
  });

  it('rejects a header field or start line longer than MAX_LINE_LENGTH', () => {
    const long = 'X-Long: ' + 'a'.repeat(MAX_LINE_LENGTH);
    const r = parse(raw([...BASE, long]));
    assert.ok(!r.ok && r.error.code === 'sip.too-large');
    const folded = 'X-Long: ' + Array.from({ length: 20 }, () => 'b'.repeat(500)).join('\r\n ');
    assert.ok(!parse(raw([...BASE, folded])).ok);
    const start = parse(
      raw([`OPTIONS sip:${'u'.repeat(MAX_LINE_LENGTH)}@example.com SIP/2.0`, ...BASE.slice(1)]),
    );
    assert.ok(!start.ok && start.error.code === 'sip.too-large');
  });
});

describe('parseMessage: what a 400 needs', () => {
  it('returns the method, URI and the fields a response copies', () => {
    const r = parse(raw([...BASE, 'Timestamp: 54', 'Call-ID: second']));
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'sip.parse');
    assert.deepEqual(r.partial && [r.partial.method, r.partial.uri, r.partial.status], [
      'OPTIONS',
      'sip:bob@example.com',
      400,
    ]);
    assert.equal(r.partial?.reason, 'Bad Request - Multiple Call-ID header fields');
    assert.deepEqual(
      r.partial.headers.map((f) => f.name),
      ['Via', 'To', 'From', 'Call-ID', 'CSeq', 'Timestamp', 'Call-ID'],
    );
  });

  it('still collects the fields when one header line is broken', () => {
    const r = parse(raw([BASE[0]!, 'Broken line', ...BASE.slice(1)]));
    assert.ok(!r.ok);
    assert.equal(r.partial?.reason, 'Bad Request - Header line without a colon');
    assert.equal(getHeaders({ headers: r.partial.headers }, 'Via').length, 1);
  });

  it('gives no partial for responses or for start lines without a method', () => {
    const res = parse(raw(['SIP/2.0 200 OK', ...BASE.slice(2)]));
    assert.ok(!res.ok && res.partial === undefined);
    const junk = parse(raw(['\x00\x01 garbage', ...BASE.slice(1)]));
    assert.ok(!junk.ok && junk.partial === undefined);
  });
});
