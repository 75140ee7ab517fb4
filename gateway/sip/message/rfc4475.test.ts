/**
 * RFC 4475 torture tests, valid messages: each one parses and means what the
 * RFC says it means. The messages are the byte-exact ones of the RFC's
 * archive (Appendix A) in fixtures/rfc4475/; each test quotes what the RFC
 * expects of an element receiving the message. Invalid ones are in
 * rfc4475-invalid.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as h from './headers.ts';
import { parseMessage } from './parse.ts';
import { FIXTURES, VERDICTS, load, request, response, sip } from './rfc4475.helpers.ts';

describe('RFC 4475 archive', () => {
  // Guards the bytes against CRLF conversion or an editor's touch.
  it('holds the messages byte for byte (SHA256SUMS)', () => {
    const sums = readFileSync(new URL('SHA256SUMS', FIXTURES), 'utf8').trim().split('\n');
    assert.equal(sums.length, 50);
    for (const line of sums) {
      const [sum, file] = line.split(/\s+/);
      assert.equal(
        createHash('sha256')
          .update(load(String(file).slice(0, -4)))
          .digest('hex'),
        sum,
        file,
      );
    }
  });

  it('has a verdict for each of its 50 messages, and the parser agrees with it', () => {
    const names = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.dat'))
      .map((f) => f.slice(0, -4))
      .sort();
    assert.equal(names.length, 50);
    assert.deepEqual(names, Object.keys(VERDICTS).sort());
    for (const name of names) {
      const parsed = parseMessage(load(name), { framing: 'datagram' }).ok;
      assert.equal(parsed ? 'valid' : 'invalid', VERDICTS[name], name);
    }
  });
});

describe('RFC 4475 §3.1.1 valid messages', () => {
  // §3.1.1.1 wsinv: "All elements should treat this as a well-formed request."
  it('wsinv: a short tortuous INVITE', () => {
    const m = request('wsinv');
    assert.equal(m.method, 'INVITE');
    const ruri = sip(m.uri);
    assert.deepEqual([ruri.user, ruri.host], ['vivekg', 'chair-dnrc.example.com']);
    assert.deepEqual([...ruri.params], [['unknownparam', null]]);
    assert.equal(h.tagOf(h.to(m)), '1918181833n');
    const from = h.from(m);
    assert.equal(from.displayName, 'J Rosenberg \\"');
    assert.equal(h.tagOf(from), '98asjd8');
    assert.equal(h.maxForwards(m), 68);
    assert.deepEqual(h.cseq(m), { seq: 9, method: 'INVITE' });
    const vias = h.vias(m);
    assert.deepEqual(
      vias.map((v) => [v.protocol, v.transport, v.host, v.params.get('branch')]),
      [
        ['SIP/2.0', 'UDP', '192.0.2.2', '390skdjuw'],
        ['SIP/2.0', 'TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
        ['SIP/2.0', 'UDP', '192.168.255.111', 'z9hG4bK30239'],
      ],
    );
    assert.equal(h.getHeader(m, 'Subject'), '');
    assert.equal(h.getHeader(m, 'NewFangledHeader'), 'newfangled value continued newfangled value');
    // Unknown header: one opaque value, not a list of empty params.
    assert.equal(h.getHeader(m, 'UnknownHeaderWithUnusualValue'), ';;,,;;,;');
    const route = h.routes(m)[0]!;
    assert.deepEqual(
      [...sip(route.uri).params],
      [
        ['lr', null],
        ['unknownwith', 'value'],
        ['unknown-no-value', null],
      ],
    );
    const contacts = h.contacts(m);
    assert.ok(Array.isArray(contacts));
    const c = contacts[0]!;
    assert.equal(c.displayName, 'Quoted string ""');
    assert.deepEqual(
      [...c.params],
      [
        ['newparam', 'newvalue'],
        ['secondparam', null],
        ['q', '0.33'],
      ],
    );
    assert.equal(m.body.length, 150);
  });

  // §3.1.1.2 intmeth: well formed; an endpoint answers 501, a proxy may 404.
  it('intmeth: wide range of valid characters', () => {
    const m = request('intmeth');
    const method = "!interesting-Method0123456789_*+`.%indeed'~";
    assert.equal(m.method, method);
    const ruri = sip(m.uri);
    assert.equal(ruri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    assert.equal(ruri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    assert.equal(ruri.host, 'example.com');
    assert.equal(h.topVia(m).params.get('branch'), "z9hG4bK-.!%66*_+`'~");
    assert.equal(h.to(m).displayName, 'BEL:\x07 NUL:\x00 DEL:\x7f');
    const from = h.from(m);
    assert.equal(from.displayName, "token1~` token2'+_ token3*%!.-");
    assert.equal(from.params.get("fromparam''~+*_!.-%"), '"работающий"');
    assert.equal(h.tagOf(from), "_token~1'+`*%!-.");
    assert.equal(h.callId(m), 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    assert.deepEqual(h.cseq(m), { seq: 139122385, method });
    assert.equal(h.maxForwards(m), 255);
    assert.equal(h.getHeader(m, "extensionHeader-!.%*+_`'~"), '\uFEFF大停電');
  });

  // §3.1.1.3 esc01: syntactically valid; % HEX HEX equals the character.
  it('esc01: valid use of the % escaping mechanism', () => {
    const m = request('esc01');
    const ruri = sip(m.uri);
    assert.deepEqual([ruri.user, ruri.host], ['sips:user@example.com', 'example.net']);
    assert.equal(sip(h.to(m).uri).user, 'user');
    assert.equal(sip(h.from(m).uri).user, 'I have spaces');
    assert.equal(h.callId(m), 'esc01.239409asdfakjkn23onasd0-3234');
    assert.equal(h.contentType(m)?.subtype, 'sdp');
    const contact = h.contacts(m);
    assert.ok(Array.isArray(contact));
    const uri = sip(contact[0]!.uri);
    assert.equal(uri.user, 'caller');
    // "value%41" is NOT "valueA": unescaping is never recursive.
    assert.deepEqual(
      [...uri.params],
      [
        ['lr', null],
        ['name', 'value%41'],
      ],
    );
  });

  // §3.1.1.4 escnull: parsers must accept; "%00" must not shorten the user.
  it('escnull: escaped NULs in URIs', () => {
    const m = request('escnull');
    assert.equal(sip(h.to(m).uri).user, 'null-\0-null');
    assert.equal(sip(h.from(m).uri).user, 'null-\0-null');
    const contacts = h.contacts(m);
    assert.ok(Array.isArray(contacts));
    assert.deepEqual(
      contacts.map((c) => sip(c.uri).user),
      ['\0', '\0\0'],
    );
    assert.equal(h.getHeader(m, 'Content-Length'), '0');
  });

  // §3.1.1.5 esc02: well formed; % is no escape in method, display name, header name.
  it('esc02: use of % when it is not an escape', () => {
    const m = request('esc02');
    assert.equal(m.method, 'RE%47IST%45R');
    assert.equal(h.cseq(m).method, 'RE%47IST%45R');
    assert.equal(h.to(m).displayName, '%Z%45');
    assert.equal(h.topVia(m).params.get('branch'), 'z9hG4bK209%fzsnel234');
    const contacts = h.contacts(m);
    assert.ok(Array.isArray(contacts));
    assert.deepEqual(
      contacts.map((c) => sip(c.uri).user),
      ['alias1', 'alias3'],
    );
    assert.equal(h.getHeader(m, 'C%6Fntact'), '<sip:alias2@host2.example.com>');
  });

  // §3.1.1.6 lwsdisp: no LWS between display name and "<"; accept.
  it('lwsdisp: no LWS between display name and <', () => {
    const from = h.from(request('lwsdisp'));
    assert.equal(from.displayName, 'caller');
    assert.equal(sip(from.uri).user, 'caller');
    assert.equal(h.tagOf(from), '323');
  });

  // §3.1.1.7 longreq: well formed, long values and many Via values.
  it('longreq: long values in header fields', () => {
    const m = request('longreq');
    const to = h.to(m);
    assert.match(to.displayName ?? '', /^I have a user name of (extreme){10} proportion$/);
    const toUri = sip(to.uri);
    assert.equal(toUri.port, 6000);
    assert.equal(toUri.params.size, 3);
    assert.equal(
      toUri.params.get(
        'verylonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglongparameternamewithnovalue',
      ),
      null,
    );
    const from = h.from(m);
    assert.equal(h.tagOf(from)?.length, 155);
    assert.equal(from.params.size, 3);
    const vias = h.vias(m);
    assert.equal(vias.length, 34);
    assert.equal(vias[0]!.host, 'sip33.example.com');
    assert.equal(vias[33]!.params.get('received'), '192.0.2.5');
    assert.equal(h.callId(m).length, 141);
    assert.equal(m.body.length, 150);
  });

  // §3.1.1.8 dblreq: octets after Content-Length are noise to ignore (§18.3).
  it('dblreq: extra octets after the body are ignored', () => {
    const m = request('dblreq');
    assert.equal(m.method, 'REGISTER');
    assert.equal(m.body.length, 0);
    assert.equal(h.callId(m), 'dblreq.0ha0isndaksdj99sdfafnl3lk233412');
    assert.equal(h.getHeaders(m, 'CSeq').length, 1);
  });

  // §3.1.1.9 semiuri: the user part is "user;par=u@example.net".
  it('semiuri: semicolon-separated parameters in the user part', () => {
    const m = request('semiuri');
    const ruri = sip(m.uri);
    assert.deepEqual(
      [ruri.user, ruri.host, ruri.params.size],
      ['user;par=u@example.net', 'example.com', 0],
    );
    assert.deepEqual(h.headerValues(m, 'Accept'), [
      'application/sdp',
      'application/pkcs7-mime',
      'multipart/mixed',
      'multipart/signed',
      'message/sip',
      'message/sipfrag',
    ]);
  });

  // §3.1.1.10 transports: all transports, including an unknown one, are fine.
  it('transports: varied and unknown transport types', () => {
    const vias = h.vias(request('transports'));
    assert.deepEqual(
      vias.map((v) => v.transport),
      ['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP'],
    );
    assert.equal(h.callId(request('transports')), 'transports.kijh4akdnaqjkwendsasfdj');
  });

  // §3.1.1.11 mpart01: parsers must accept; the binary body must be framed whole.
  it('mpart01: multipart MIME message with a binary part', () => {
    const m = request('mpart01');
    assert.equal(m.method, 'MESSAGE');
    assert.equal(m.body.length, 553);
    assert.ok(m.body.includes(0));
    const ct = h.contentType(m);
    assert.deepEqual(
      [ct?.type, ct?.subtype, ct?.params.get('boundary')],
      ['multipart', 'mixed', '7a9cbec02ceef655'],
    );
    assert.equal(h.date(m)?.toISOString(), '2005-10-15T04:44:56.000Z');
    assert.equal(h.topVia(m).params.get('rport'), null);
  });

  // §3.1.1.12 unreason: any UTF-8 reason phrase is well formed.
  it('unreason: reason phrase of unreserved and non-ASCII UTF-8', () => {
    const m = response('unreason');
    assert.equal(m.status, 200);
    assert.equal(m.reason, '= 2**3 * 5**2 но сто девяносто девять - простое');
    assert.equal(h.tagOf(h.to(m)), '2229');
    assert.equal(m.body.length, 154);
  });

  // §3.1.1.13 noreason: an empty reason phrase is well formed.
  it('noreason: empty reason phrase', () => {
    const m = response('noreason');
    assert.deepEqual([m.status, m.reason], [100, '']);
    assert.deepEqual(h.cseq(m), { seq: 35, method: 'INVITE' });
  });
});

describe('RFC 4475 §3.2 transaction layer semantics', () => {
  // §3.2.1 badbranch: a parser must not break; the element may 400 or fall back
  // to RFC 2543 matching — that is the transaction layer's decision.
  it('badbranch: missing transaction identifier', () => {
    const m = request('badbranch');
    assert.equal(h.topVia(m).params.get('branch'), 'z9hG4bK');
    assert.equal(h.cseq(m).method, 'OPTIONS');
  });
});

describe('RFC 4475 §3.3 application layer semantics', () => {
  // §3.3.2 unkscm: a well-formed request; the element answers 416.
  it('unkscm: Request-URI with unknown scheme', () => {
    const m = request('unkscm');
    assert.deepEqual(m.uri, {
      kind: 'absolute',
      scheme: 'nobodyknowsthisscheme',
      text: 'nobodyKnowsThisScheme:totallyopaquecontent',
    });
  });

  // §3.3.3 novelsc: well formed; 416, or 404 if the scheme is served.
  it('novelsc: Request-URI with known but atypical scheme', () => {
    const m = request('novelsc');
    assert.deepEqual(m.uri, {
      kind: 'absolute',
      scheme: 'soap.beep',
      text: 'soap.beep://192.0.2.103:3002',
    });
  });

  // §3.3.4 unksm2: syntactically valid; a registrar would answer 400 (AOR not SIP).
  it('unksm2: unknown URI schemes in header fields', () => {
    const m = request('unksm2');
    assert.deepEqual(h.to(m).uri, { kind: 'absolute', scheme: 'isbn', text: 'isbn:2983792873' });
    const from = h.from(m);
    assert.deepEqual(
      [from.uri.kind, from.uri.scheme, h.tagOf(from)],
      ['absolute', 'http', '3234233'],
    );
    const contacts = h.contacts(m);
    assert.ok(Array.isArray(contacts));
    assert.deepEqual(contacts[0]!.uri, {
      kind: 'absolute',
      scheme: 'name',
      text: 'name:John_Smith',
    });
  });

  // §3.3.5 bext01: the element answers 420 listing the unsupported extensions.
  it('bext01: Proxy-Require and Require', () => {
    const m = request('bext01');
    assert.deepEqual(h.headerValues(m, 'Require'), [
      'nothingSupportsThis',
      'nothingSupportsThisEither',
    ]);
    assert.deepEqual(h.headerValues(m, 'Proxy-Require'), [
      'noProxiesSupportThis',
      'norDoAnyProxiesSupportThis',
    ]);
    assert.equal(h.topVia(m).transport, 'TLS');
  });

  // §3.3.6 invut: syntactically valid; an endpoint answers 415.
  it('invut: unknown Content-Type', () => {
    const m = request('invut');
    assert.deepEqual(
      [h.contentType(m)?.type, h.contentType(m)?.subtype],
      ['application', 'unknownformat'],
    );
    assert.equal(m.body.toString(), '<audio>\r\n <pcmu port="443"/>\r\n</audio>\r\n');
  });

  // §3.3.7 regaut01: well formed; a registrar may 401 with a scheme it knows.
  it('regaut01: unknown authorization scheme', () => {
    const m = request('regaut01');
    assert.equal(h.getHeader(m, 'authorization'), 'NoOneKnowsThisScheme opaque-data=here');
    assert.deepEqual(h.headerValues(m, 'Authorization'), ['NoOneKnowsThisScheme opaque-data=here']);
  });

  // §3.3.10 bcast: well formed; endpoints discard, proxies should drop it.
  it('bcast: 200 OK with broadcast Via', () => {
    const m = response('bcast');
    assert.deepEqual(
      h.vias(m).map((v) => v.host),
      ['192.0.2.198', '255.255.255.255'],
    );
    assert.equal(m.body.length, 154);
  });

  // §3.3.11 zeromf: legal; a proxy answers 483, an endpoint processes it.
  it('zeromf: Max-Forwards of zero', () => {
    assert.equal(h.maxForwards(request('zeromf')), 0);
  });

  // §3.3.12 cparam01: ";unknownparam" is a contact-param, not a url-param.
  it('cparam01: REGISTER with a Contact header parameter', () => {
    const contacts = h.contacts(request('cparam01'));
    assert.ok(Array.isArray(contacts));
    assert.equal(sip(contacts[0]!.uri).params.size, 0);
    assert.equal(sip(contacts[0]!.uri).user, '+19725552222');
    assert.deepEqual([...contacts[0]!.params], [['unknownparam', null]]);
  });

  // §3.3.13 cparam02: the unknown parameter belongs to the URI.
  it('cparam02: REGISTER with a url-parameter', () => {
    const contacts = h.contacts(request('cparam02'));
    assert.ok(Array.isArray(contacts));
    assert.deepEqual([...sip(contacts[0]!.uri).params], [['unknownparam', null]]);
    assert.equal(contacts[0]!.params.size, 0);
  });

  // §3.3.14 regescrt: the escaped Route stays part of the contact URI.
  it('regescrt: REGISTER with a URL escaped header', () => {
    const contacts = h.contacts(request('regescrt'));
    assert.ok(Array.isArray(contacts));
    assert.deepEqual([...sip(contacts[0]!.uri).headers], [['Route', '<sip:sip.example.com>']]);
  });

  // §3.3.15 sdp01: well formed; the UAS may answer 406 (or 400).
  it('sdp01: unacceptable Accept offering', () => {
    const m = request('sdp01');
    assert.deepEqual(h.headerValues(m, 'Accept'), ['text/nobodyKnowsThis']);
    assert.equal(h.contentType(m)?.subtype, 'sdp');
  });
});

describe('RFC 4475 §3.4 backward compatibility', () => {
  // §3.4.1 inv2543: accept for RFC 2543 compatibility: no branch, no From
  // tag, no Content-Length (body = rest of the datagram), no Max-Forwards.
  it('inv2543: INVITE with RFC 2543 syntax', () => {
    const m = request('inv2543');
    const via = h.topVia(m);
    assert.deepEqual([via.host, via.params.size], ['iftgw.example.com', 0]);
    assert.equal(h.tagOf(h.from(m)), undefined);
    assert.equal(h.maxForwards(m), undefined);
    assert.equal(h.getHeader(m, 'Content-Length'), undefined);
    assert.equal(m.body.length, 105);
    assert.equal(sip(h.recordRoutes(m)[0]!.uri).params.get('maddr'), 'ss1.example.com');
    // addr-spec form: ";user=phone" is a To parameter, not a URI one (§20.10);
    // in the From's name-addr it belongs to the URI.
    assert.equal(h.to(m).params.get('user'), 'phone');
    assert.equal(sip(h.from(m).uri).params.get('user'), 'phone');
  });
});
