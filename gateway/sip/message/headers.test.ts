import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLinegateError } from '#shared/errors.ts';
import * as h from './headers.ts';
import type { HeaderField, SipUri } from './types.ts';

const syntax = (e: unknown): boolean => isLinegateError(e, 'sip.parse');

function msg(...lines: [string, string][]): h.HasHeaders {
  return { headers: lines.map(([name, value]): HeaderField => ({ name, value })) };
}

describe('header lookup', () => {
  const m = msg(
    ['Via', 'SIP/2.0/UDP a;branch=z9hG4bK1'],
    ['v', 'SIP/2.0/UDP b'],
    ['X-Custom', 'one'],
    ['x-CUSTOM', 'two'],
  );

  it('is case-insensitive and knows compact forms (§7.3.1, §7.3.3)', () => {
    assert.equal(h.getHeader(m, 'VIA'), 'SIP/2.0/UDP a;branch=z9hG4bK1');
    assert.equal(h.getHeaders(m, 'v').length, 2);
    assert.deepEqual(
      h.getHeaders(m, 'x-custom').map((f) => f.value),
      ['one', 'two'],
    );
    assert.equal(h.getHeader(m, 'Missing'), undefined);
  });

  it('maps every compact form to its header', () => {
    const compact: Record<string, string> = {
      i: 'Call-ID',
      m: 'Contact',
      e: 'Content-Encoding',
      l: 'Content-Length',
      s: 'Subject',
      k: 'Supported',
      f: 'From',
      t: 'To',
      v: 'Via',
      c: 'Content-Type',
      o: 'Event',
      u: 'Allow-Events',
      r: 'Refer-To',
      b: 'Referred-By',
      y: 'Identity',
      x: 'Session-Expires',
      a: 'Accept-Contact',
      j: 'Reject-Contact',
      d: 'Request-Disposition',
    };
    for (const [short, long] of Object.entries(compact)) {
      assert.equal(h.canonicalName(short), long);
      assert.equal(h.canonicalName(short.toUpperCase()), long);
      assert.ok(h.sameName(short, long.toUpperCase()));
    }
    assert.equal(h.canonicalName('www-authenticate'), 'WWW-Authenticate');
    assert.equal(h.canonicalName('cseq'), 'CSeq');
    assert.equal(h.canonicalName('X-Unknown'), 'X-Unknown');
  });

  it('splits list values outside quotes and <> (headerValues)', () => {
    const list = msg(
      ['Contact', '"Doe, John" <sip:j@a.com;x=1,2>;q=0.5, <sip:k@b.com>'],
      ['Contact', 'sip:l@c.com'],
      ['Allow', 'INVITE, ACK,,BYE '],
      ['Date', 'Sat, 13 Nov 2010 23:29:00 GMT'],
      ['WWW-Authenticate', 'Digest realm="a, b", nonce="x"'],
    );
    assert.deepEqual(h.headerValues(list, 'm'), [
      '"Doe, John" <sip:j@a.com;x=1,2>;q=0.5',
      '<sip:k@b.com>',
      'sip:l@c.com',
    ]);
    assert.deepEqual(h.headerValues(list, 'Allow'), ['INVITE', 'ACK', 'BYE']);
    assert.deepEqual(h.headerValues(list, 'Date'), ['Sat, 13 Nov 2010 23:29:00 GMT']);
    assert.deepEqual(h.headerValues(list, 'WWW-Authenticate'), ['Digest realm="a, b", nonce="x"']);
  });
});

describe('header mutation', () => {
  it('sets, adds, prepends and removes, canonicalising names', () => {
    const m = msg(
      ['Via', 'SIP/2.0/UDP a'],
      ['To', '<sip:a@b>'],
      ['Via', 'SIP/2.0/UDP b'],
      ['Max-Forwards', '70'],
    );
    h.prependHeader(m, 'v', 'SIP/2.0/WS c');
    h.setHeader(m, 'max-forwards', '69');
    h.addHeader(m, 'x-trace', '1');
    assert.deepEqual(
      m.headers.map((f) => `${f.name}: ${f.value}`),
      [
        'Via: SIP/2.0/WS c',
        'Via: SIP/2.0/UDP a',
        'To: <sip:a@b>',
        'Via: SIP/2.0/UDP b',
        'Max-Forwards: 69',
        'x-trace: 1',
      ],
    );
    h.setHeader(m, 'Via', 'SIP/2.0/UDP only');
    assert.deepEqual(
      h.getHeaders(m, 'Via').map((f) => f.value),
      ['SIP/2.0/UDP only'],
    );
    assert.equal(m.headers[0]?.name, 'Via');
    assert.equal(h.removeHeader(m, 'X-TRACE'), 1);
    assert.equal(h.removeHeader(m, 'X-TRACE'), 0);
    h.setHeader(m, 'Subject', 'new');
    assert.equal(m.headers.at(-1)?.value, 'new');
  });

  it('refuses names that are not tokens and values that would inject lines', () => {
    const m = msg();
    assert.throws(() => h.addHeader(m, 'Bad Name', 'x'), syntax);
    assert.throws(() => h.addHeader(m, 'X', 'a\r\nVia: evil'), syntax);
    assert.throws(() => h.setHeader(m, 'X', 'a\0b'), syntax);
    assert.equal(m.headers.length, 0);
  });
});

describe('Via', () => {
  it('parses sent-protocol, sent-by and parameters', () => {
    const via = h.parseVia(
      'SIP/2.0/wss df7jal23ls0d.invalid:443;branch=z9hG4bK56sdasks;rport;received=192.0.2.7;TTL=16',
    );
    assert.deepEqual(
      [via.protocol, via.transport, via.host, via.port],
      ['SIP/2.0', 'WSS', 'df7jal23ls0d.invalid', 443],
    );
    assert.deepEqual(
      [...via.params],
      [
        ['branch', 'z9hG4bK56sdasks'],
        ['rport', null],
        ['received', '192.0.2.7'],
        ['ttl', '16'],
      ],
    );
  });

  it('allows LWS around "/", ":", ";" and "=" (§25.1)', () => {
    const via = h.parseVia(
      'SIP / 2.0 / UDP  [2001:db8::9:1] : 5070 ; branch = z9hG4bKa ; received=[2001:db8::9:255]',
    );
    assert.deepEqual(
      [via.host, via.port, via.params.get('received')],
      ['[2001:db8::9:1]', 5070, '[2001:db8::9:255]'],
    );
    // RFC 5118 §4.5: received without brackets is what RFC 3261 specifies.
    assert.equal(
      h.parseVia('SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255').params.get('received'),
      '2001:db8::9:255',
    );
  });

  it('parses lists across fields, top first', () => {
    const m = msg(
      ['Via', 'SIP/2.0/UDP a.com;branch=z9hG4bK1, SIP/2.0/TCP b.com'],
      ['Via', 'SIP/2.0/TLS c.com:5061'],
    );
    assert.deepEqual(
      h.vias(m).map((v) => v.host),
      ['a.com', 'b.com', 'c.com'],
    );
    assert.equal(h.topVia(m).params.get('branch'), 'z9hG4bK1');
  });

  it('rejects malformed values', () => {
    const bad = [
      '',
      'SIP/2.0',
      'SIP/2.0/UDP',
      'SIP/2.0/UDPhost',
      'SIP/2.0 UDP host',
      'SIP/2.0/UDP host;',
      'SIP/2.0/UDP host;;',
      'SIP/2.0/UDP host;branch',
      'SIP/2.0/UDP host:99999',
      'SIP/2.0/UDP host;ttl=256',
      'SIP/2.0/UDP host;rport=x',
      'SIP/2.0/UDP host, ',
      'SIP/2.0/UDP [::1',
      'SIP/2.0/UDP ho st',
      'SIP/2.0/UDP host;a="x',
    ];
    for (const v of bad) assert.throws(() => h.parseViaList(v), syntax, JSON.stringify(v));
    assert.throws(() => h.parseVia('SIP/2.0/UDP a, SIP/2.0/UDP b'), syntax);
    assert.throws(() => h.topVia(msg()), syntax);
  });

  it('formats what it parses', () => {
    for (const text of [
      'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx;rport',
      'SIP/2.0/WSS [2001:db8::1];branch=z9hG4bKy;x="a b"',
    ]) {
      assert.equal(h.formatVia(h.parseVia(text)), text);
    }
    const via = h.parseVia('SIP/2.0/UDP a');
    via.params.set('note', 'needs quoting');
    assert.equal(h.formatVia(via), 'SIP/2.0/UDP a;note="needs quoting"');
  });
});

describe('name-addr', () => {
  it('parses quoted, token and absent display names', () => {
    const a = h.parseNameAddr('"Alice \\"Al\\" Smith" <sip:alice@a.com;transport=ws>;tag=abc;x');
    assert.deepEqual(
      [a.displayName, (a.uri as SipUri).params.get('transport'), h.tagOf(a), a.params.get('x')],
      ['Alice "Al" Smith', 'ws', 'abc', null],
    );
    assert.equal(h.parseNameAddr('Bob  Jones <sip:b@b.com>').displayName, 'Bob  Jones');
    assert.equal(h.parseNameAddr('<sip:c@c.com>').displayName, undefined);
    assert.equal(h.parseNameAddr('"" <sip:c@c.com>').displayName, '');
    assert.equal(h.parseNameAddr('"Zoë" <sip:z@c.com>').displayName, 'Zoë');
  });

  it('gives the parameters of an addr-spec to the header (§20.10)', () => {
    const na = h.parseNameAddr('sip:+15551234@gw.example.com;user=phone;tag=9');
    assert.equal((na.uri as SipUri).params.size, 0);
    assert.deepEqual(
      [...na.params],
      [
        ['user', 'phone'],
        ['tag', '9'],
      ],
    );
  });

  it('keeps quoted parameter values with their quotes', () => {
    const na = h.parseNameAddr(
      '<sip:a@b.com;ob>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>";reg-id=1',
    );
    assert.equal(
      na.params.get('+sip.instance'),
      '"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"',
    );
    assert.equal(
      h.unquote(na.params.get('+sip.instance') ?? ''),
      '<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>',
    );
  });

  it('rejects malformed values', () => {
    const bad = [
      '',
      '"unterminated <sip:a@b>',
      'Bell, Alexander <sip:a@b>',
      '< sip:a@b>',
      '<sip:a@b >',
      '<sip:a@b',
      '<>',
      'sip:a@b?x=y',
      '"name" sip:a@b',
      '<sip:a@b>;',
      '<sip:a@b>;tag=1;tag=2',
      '<sip:a@b> junk',
      '<sip:a@b>, <sip:c@d>',
      'not a uri',
      '<sip:a@b>;q="1',
    ];
    for (const v of bad) assert.throws(() => h.parseNameAddr(v), syntax, JSON.stringify(v));
    assert.throws(
      () => h.parseNameAddrList('sip:a@b;x, sip:c@d', { requireBrackets: true }),
      syntax,
    );
  });

  it('formats as name-addr and round-trips', () => {
    for (const text of [
      '"J Rosenberg \\\\\\"" <sip:jdrosen@example.com>;tag=98asjd8',
      'Alice <sip:alice@a.com>;tag=1',
      '<sip:b@b.com;lr>',
      '"a, b" <tel:+1234>;x="quoted value"',
    ]) {
      const na = h.parseNameAddr(text);
      assert.deepEqual(h.parseNameAddr(h.formatNameAddr(na)), na, text);
    }
    assert.equal(h.formatNameAddr(h.parseNameAddr('sip:a@b.com;tag=1')), '<sip:a@b.com>;tag=1');
    assert.equal(h.formatNameAddr(h.parseNameAddr('"Bob" <sip:b@b.com>')), 'Bob <sip:b@b.com>');
  });
});

describe('typed views of a message', () => {
  const m = msg(
    ['From', '"A" <sip:a@a.com>;tag=fa'],
    ['To', 'sip:b@b.com'],
    ['Call-ID', 'abc@host'],
    ['CSeq', '4711 INVITE'],
    ['Max-Forwards', '70'],
    ['Expires', '3600'],
    ['Content-Type', 'Application/SDP; charset="utf-8"'],
    ['Record-Route', '<sip:p1.com;lr>, <sip:p2.com;lr>'],
    ['Record-Route', '<sip:p3.com;lr>'],
    ['Route', '<sip:r.com;lr>'],
    ['Contact', '<sip:a@10.0.0.1>;expires=60;q=0.7, "B" <sip:b@10.0.0.2>'],
    ['Date', 'Sat, 13 Nov 2010 23:29:00 GMT'],
  );

  it('reads the usual headers', () => {
    assert.equal(h.tagOf(h.from(m)), 'fa');
    assert.equal(h.tagOf(h.to(m)), undefined);
    assert.equal(h.callId(m), 'abc@host');
    assert.deepEqual(h.cseq(m), { seq: 4711, method: 'INVITE' });
    assert.equal(h.maxForwards(m), 70);
    assert.equal(h.expires(m), 3600);
    const ct = h.contentType(m);
    assert.deepEqual(
      [ct?.type, ct?.subtype, ct?.params.get('charset')],
      ['application', 'sdp', '"utf-8"'],
    );
    assert.deepEqual(
      h.recordRoutes(m).map((r) => (r.uri as SipUri).host),
      ['p1.com', 'p2.com', 'p3.com'],
    );
    assert.equal(h.routes(m).length, 1);
    const contacts = h.contacts(m);
    assert.ok(Array.isArray(contacts));
    assert.deepEqual(
      contacts.map((c) => c.params.get('expires') ?? null),
      ['60', null],
    );
    assert.equal(h.date(m)?.getTime(), Date.UTC(2010, 10, 13, 23, 29, 0));
  });

  it('returns undefined for absent optional headers and throws for absent required ones', () => {
    const empty = msg();
    assert.equal(h.maxForwards(empty), undefined);
    assert.equal(h.expires(empty), undefined);
    assert.equal(h.contentType(empty), undefined);
    assert.deepEqual(h.contacts(empty), []);
    assert.deepEqual(h.routes(empty), []);
    for (const f of [h.from, h.to, h.callId, h.cseq]) assert.throws(() => f(empty), syntax);
    assert.throws(() => h.from(msg(['From', '<sip:a@b>'], ['f', '<sip:c@d>'])), syntax);
  });

  it('understands the Contact wildcard (§10.2.2)', () => {
    assert.equal(h.contacts(msg(['Contact', '*'])), '*');
    assert.throws(() => h.contacts(msg(['Contact', '*'], ['Contact', '<sip:a@b>'])), syntax);
  });

  it('rejects out-of-range scalars (RFC 4475 §3.1.2.4)', () => {
    const cases: [string, string, (m: h.HasHeaders) => unknown][] = [
      ['CSeq', '4294967296 INVITE', h.cseq],
      ['CSeq', '1  ', h.cseq],
      ['CSeq', 'INVITE', h.cseq],
      ['CSeq', '1 INVITE x', h.cseq],
      ['Max-Forwards', '256', h.maxForwards],
      ['Max-Forwards', '-1', h.maxForwards],
      ['Expires', '4294967296', h.expires],
      ['Contact', '<sip:a@b>;expires=4294967296', h.contacts],
      ['Contact', '<sip:a@b>;q=1.5', h.contacts],
      ['Contact', '<sip:a@b>;q=0.1234', h.contacts],
      ['Date', 'Fri, 01 Jan 2010 16:00:00 EST', h.date],
      ['Date', 'Fri, 01 Jan 2010 25:00:00 GMT', h.date],
      ['Content-Type', 'application', h.contentType],
      ['Call-ID', 'a b', h.callId],
      ['Call-ID', 'a@b@c', h.callId],
      ['Route', 'sip:a@b', h.routes],
    ];
    for (const [name, value, view] of cases) {
      assert.throws(() => view(msg([name, value])), syntax, `${name}: ${value}`);
    }
    assert.equal(h.cseq(msg(['CSeq', '4294967295 ACK'])).seq, 4294967295);
  });

  it('formats CSeq and Content-Type', () => {
    assert.equal(h.formatCSeq({ seq: 1, method: 'BYE' }), '1 BYE');
    const ct = h.parseContentType('multipart/mixed;boundary=abc');
    assert.equal(h.formatContentType(ct), 'multipart/mixed;boundary=abc');
  });
});
