import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLinegateError } from '#shared/errors.ts';
import { hostEquals, isIPv6 } from './host.ts';
import type { SipUri, Uri } from './types.ts';
import { formatUri, parseUri, uriEquals } from './uri.ts';

function sip(text: string): SipUri {
  const u = parseUri(text);
  assert.equal(u.kind, 'sip');
  return u;
}

describe('parseUri', () => {
  it('reads every component of a SIP URI', () => {
    const u = sip(
      'sips:alice:secret@Atlanta.Example.COM:5061;transport=tcp;lr?subject=project%20x&priority=urgent',
    );
    assert.equal(u.scheme, 'sips');
    assert.equal(u.user, 'alice');
    assert.equal(u.password, 'secret');
    assert.equal(u.host, 'atlanta.example.com');
    assert.equal(u.port, 5061);
    assert.deepEqual(
      [...u.params],
      [
        ['transport', 'tcp'],
        ['lr', null],
      ],
    );
    assert.deepEqual(
      [...u.headers],
      [
        ['subject', 'project x'],
        ['priority', 'urgent'],
      ],
    );
  });

  it('reads host-only URIs and lower-cases the scheme and parameter names', () => {
    const u = sip('SIP:192.0.2.4;Maddr=239.255.255.1;TTL=15');
    assert.deepEqual(
      [u.scheme, u.user, u.host, u.port],
      ['sip', undefined, '192.0.2.4', undefined],
    );
    assert.deepEqual(
      [...u.params],
      [
        ['maddr', '239.255.255.1'],
        ['ttl', '15'],
      ],
    );
  });

  it('unescapes user, password, parameters and headers (§19.1.2)', () => {
    const u = sip('sip:%61lice%20b:p%40ss@example.com;n%61me=v%61lue%25%34%31');
    assert.equal(u.user, 'alice b');
    assert.equal(u.password, 'p@ss');
    assert.deepEqual([...u.params], [['name', 'value%41']]);
  });

  it('decodes escaped UTF-8, and keeps invalid octets as ISO-8859-1 characters', () => {
    assert.equal(sip('sip:Jos%C3%A9@example.com').user, 'José');
    assert.equal(sip('sip:%FF%00@example.com').user, '\u00ff\u0000');
  });

  it('finds the userinfo at the only unescaped "@" (RFC 4475 §3.1.1.9)', () => {
    const u = sip('sip:user;par=u%40example.net@example.com;x=1');
    assert.equal(u.user, 'user;par=u@example.net');
    assert.deepEqual([...u.params], [['x', '1']]);
  });

  it('accepts IPv6 references (RFC 5118)', () => {
    const cases: [string, string, number | undefined][] = [
      ['sip:[2001:db8::10]', '[2001:db8::10]', undefined],
      ['sip:user@[2001:DB8::10]:5070', '[2001:db8::10]', 5070],
      ['sip:[2001:db8::10:5070]', '[2001:db8::10:5070]', undefined], // §4.3: a valid, different address
      ['sip:[::ffff:192.0.2.10]', '[::ffff:192.0.2.10]', undefined], // §4.9 IPv4-mapped
      ['sip:[2001:db8::192.0.2.1]', '[2001:db8::192.0.2.1]', undefined], // §4.10 the correct form
      ['sip:[::1]:5060', '[::1]', 5060],
    ];
    for (const [text, host, port] of cases) {
      const u = sip(text);
      assert.deepEqual([u.host, u.port], [host, port], text);
    }
  });

  it('keeps other URIs as text with a lower-cased scheme', () => {
    assert.deepEqual(parseUri('TEL:+1-201-555-0123;phone-context=example.com'), {
      kind: 'absolute',
      scheme: 'tel',
      text: 'TEL:+1-201-555-0123;phone-context=example.com',
    });
    assert.equal(parseUri('urn:service:sos').kind, 'absolute');
    assert.equal(parseUri('http://[2001:db8::1]/x?y=z').kind, 'absolute');
  });

  it('rejects malformed URIs with sip.parse', () => {
    const bad = [
      '',
      'sip',
      ':foo',
      '1sip:x',
      'sip:',
      'sip:user@',
      'sip:@example.com',
      'sip:example.com:',
      'sip:example.com:65536',
      'sip:example.com:5x',
      'sip:exa mple.com',
      'sip:example.com;',
      'sip:example.com;=x',
      'sip:example.com;a=',
      'sip:example.com;a;a',
      'sip:example.com?',
      'sip:example.com?a',
      'sip:user@-host.com',
      'sip:user@host-.com',
      'sip:user@999.1.1.1',
      'sip:user@1.2.3',
      'sip:[2001:db8::10',
      'sip:[2001:db8:::192.0.2.1]', // RFC 5954 §4.1 (RFC 5118 §4.10)
      'sip:2001:db8::10',
      'sip:[1:2:3:4:5:6:7:8:9]',
      'sip:us%2er@h%ost.com',
      'sip:user@example.com>',
      'sip:a@b@c',
      '<sip:a@b>',
      'tel:',
      'tel:12 34',
      'http://x/<y>',
      'sip:user%@example.com',
    ];
    for (const text of bad) {
      assert.throws(
        () => parseUri(text),
        (e: unknown) => isLinegateError(e, 'sip.parse'),
        text,
      );
    }
  });
});

describe('formatUri', () => {
  it('round-trips through parse, escaping only what must be', () => {
    const texts = [
      'sip:alice@atlanta.example.com',
      'sips:alice:secret@example.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent',
      'sip:user;par=u%40example.net@example.com',
      'sip:[2001:db8::10]:5070;maddr=[2001:db8::20]',
      "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
      'sip:null-%00-null@example.com',
      'tel:+1-201-555-0123',
    ];
    for (const text of texts) assert.equal(formatUri(parseUri(text)), text);
  });

  it('escapes what the grammar forbids, as UTF-8 octets', () => {
    const u = sip('sip:x@example.com');
    u.user = 'José @ home%';
    u.params.set('name', 'a b;c');
    u.headers.set('Subject', 'hi&bye=1');
    assert.equal(
      formatUri(u),
      'sip:Jos%C3%A9%20%40%20home%25@example.com;name=a%20b%3Bc?Subject=hi%26bye%3D1',
    );
    assert.deepEqual(parseUri(formatUri(u)), u);
  });

  it('normalizes escapes of unreserved characters away', () => {
    assert.equal(formatUri(parseUri('sip:%61lice@example.com')), 'sip:alice@example.com');
  });
});

describe('uriEquals (RFC 3261 §19.1.4)', () => {
  const eq = (a: string, b: string): boolean => uriEquals(parseUri(a), parseUri(b));

  it('accepts the equivalent pairs of §19.1.4', () => {
    const pairs: [string, string][] = [
      ['sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'],
      ['sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'],
      ['sip:carol@chicago.com', 'sip:carol@chicago.com;security=on'],
      ['sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on'],
      [
        'sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com',
        'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com',
      ],
      [
        'sip:alice@atlanta.com?subject=project%20x&priority=urgent',
        'sip:alice@atlanta.com?priority=urgent&subject=project%20x',
      ],
      ['sip:[2001:db8::10]', 'sip:[2001:0db8:0:0:0:0:0:0010]'],
      ['tel:+1-201-555-0123', 'TEL:+1-201-555-%30123'],
    ];
    for (const [a, b] of pairs) {
      assert.ok(eq(a, b), `${a} = ${b}`);
      assert.ok(eq(b, a), `${b} = ${a}`);
    }
  });

  it('rejects the non-equivalent pairs of §19.1.4', () => {
    const pairs: [string, string][] = [
      ['SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP'],
      ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060'],
      ['sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp'],
      ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp'],
      ['sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting'],
      ['sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4'],
      ['sip:a@b.com', 'sips:a@b.com'],
      ['sip:a@b.com;maddr=x.com', 'sip:a@b.com'],
      ['sip:a@b.com', 'tel:+1'],
      ['sip:[2001:db8::10]', 'sip:[2001:db8::10:5070]'],
    ];
    for (const [a, b] of pairs) {
      assert.ok(!eq(a, b), `${a} ≠ ${b}`);
      assert.ok(!eq(b, a), `${b} ≠ ${a}`);
    }
  });
});

describe('hosts', () => {
  it('validates IPv6 forms', () => {
    for (const ok of [
      '::',
      '::1',
      '1::',
      '2001:db8::1',
      '1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6:1.2.3.4',
      '::ffff:1.2.3.4',
    ]) {
      assert.ok(isIPv6(ok), ok);
    }
    for (const bad of [
      '',
      ':',
      ':::',
      '1:2',
      '1::2::3',
      '12345::',
      'g::1',
      '1:2:3:4:5:6:7:8:9',
      '::1.2.3',
      '1.2.3.4',
    ]) {
      assert.ok(!isIPv6(bad), bad);
    }
  });

  it('compares hosts case-insensitively and IPv6 by value', () => {
    assert.ok(hostEquals('Example.COM', 'example.com'));
    assert.ok(hostEquals('[::ffff:192.0.2.1]', '[::FFFF:c000:201]'));
    assert.ok(!hostEquals('[::1]', '[::2]'));
  });

  it('parses what formatUri produced for a constructed URI', () => {
    const u: Uri = {
      kind: 'sip',
      scheme: 'sip',
      user: 'a',
      password: undefined,
      host: '[2001:db8::1]',
      port: 5060,
      params: new Map([['transport', 'ws']]),
      headers: new Map(),
    };
    assert.deepEqual(parseUri(formatUri(u)), u);
  });
});
