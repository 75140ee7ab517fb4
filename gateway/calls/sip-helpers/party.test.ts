import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRequest, type Party } from '../../sip/dialog/requests.ts';
import { roundTrip } from '../../sip/dialog/test-support.ts';
import {
  addHeader,
  formatNameAddr,
  getHeader,
  parseNameAddr,
  prependHeader,
} from '../../sip/message/headers.ts';
import type { SipRequest } from '../../sip/message/types.ts';
import { formatUri, parseUri } from '../../sip/message/uri.ts';
import {
  browserFrom,
  browserIdentityHeaders,
  calledOf,
  callerOf,
  diversionOf,
  type Caller,
} from './party.ts';
import { bare, pbxInvite } from './test-support.ts';

describe('callerOf: From', () => {
  it('reads name and number, without visual separators', () => {
    const invite = pbxInvite([], { from: '"Alice Example" <sip:+49-30-1234.567@pbx.example.com>' });
    assert.deepEqual(callerOf(invite), {
      number: '+49301234567',
      name: 'Alice Example',
      anonymous: false,
    });
  });

  it('keeps a user that is no number, and has no name without a display name', () => {
    const invite = pbxInvite([], { from: 'sip:alice@pbx.example.com' });
    assert.deepEqual(callerOf(invite), { number: 'alice', name: undefined, anonymous: false });
  });

  it('reads a tel From', () => {
    assert.equal(callerOf(pbxInvite([], { from: '<tel:+1-201-555-0123>' })).number, '+12015550123');
  });

  it('gives nothing for a From that does not parse, and still no throw', () => {
    const invite = bare([['From', '"unterminated <sip:1@x>']]);
    assert.deepEqual(callerOf(invite), { number: undefined, name: undefined, anonymous: false });
    assert.deepEqual(callerOf(bare([])), { number: undefined, name: undefined, anonymous: false });
  });

  it('cleans a hostile display name', () => {
    const invite = bare([['From', `"Evil\u202e Name\u0007${'x'.repeat(500)}" <sip:666@x>;tag=1`]]);
    const c = callerOf(invite);
    assert.ok(c.name !== undefined);
    assert.ok(c.name.startsWith('Evil  Name x'), c.name);
    assert.equal(c.name.length, 128);
    assert.equal(c.number, '666');
  });
});

describe('callerOf: P-Asserted-Identity (RFC 3325)', () => {
  it('prefers the asserted identity over From', () => {
    const invite = pbxInvite(['P-Asserted-Identity: "Reception" <sip:+4930999@pbx.example.com>']);
    assert.deepEqual(callerOf(invite), { number: '+4930999', name: 'Reception', anonymous: false });
  });

  it('reads a tel identity, and the first one with a number', () => {
    const tel = pbxInvite(['P-Asserted-Identity: <tel:+1-201-555-0123;phone-context=x>']);
    assert.equal(callerOf(tel).number, '+12015550123');
    const both = pbxInvite([
      'P-Asserted-Identity: <sip:pbx.example.com>, "Bob" <tel:+4930222>',
      'P-Asserted-Identity: <sip:+4930333@pbx>',
    ]);
    assert.deepEqual(callerOf(both), { number: '+4930222', name: 'Bob', anonymous: false });
  });

  it("takes From's display name when the identity has none", () => {
    const invite = pbxInvite(['P-Asserted-Identity: <sip:+4930999@pbx.example.com>']);
    assert.deepEqual(callerOf(invite), {
      number: '+4930999',
      name: 'Alice Example',
      anonymous: false,
    });
  });

  it('ignores identities that do not parse or are neither sip nor tel', () => {
    const invite = pbxInvite([
      'P-Asserted-Identity: <http://example.com/alice>, "broken <sip:1@x>',
      'P-Asserted-Identity: <urn:service:sos>',
    ]);
    assert.equal(callerOf(invite).number, '+4930123456');
  });
});

describe('callerOf: withheld caller ID (RFC 3323)', () => {
  const asserted = 'P-Asserted-Identity: "Real Name" <sip:+4930999@pbx.example.com>';

  it('is anonymous with Privacy: id or user, in any case or combination', () => {
    for (const privacy of ['id', 'ID', 'header;id', 'user', 'header; Id ;critical', 'none, id']) {
      const c = callerOf(pbxInvite([asserted, `Privacy: ${privacy}`]));
      assert.deepEqual(c, { number: undefined, name: undefined, anonymous: true }, privacy);
    }
  });

  it('is not anonymous for other privacy values', () => {
    for (const privacy of ['none', 'session', 'header', 'critical', 'identity', '']) {
      assert.equal(
        callerOf(pbxInvite([asserted, `Privacy: ${privacy}`])).anonymous,
        false,
        privacy,
      );
    }
  });

  it('is anonymous for the anonymous From, whatever was asserted', () => {
    for (const from of [
      '"Anonymous" <sip:anonymous@anonymous.invalid>',
      '<sip:Anonymous@pbx.example.com>',
      '<sip:x@anonymous.invalid>',
    ]) {
      const c = callerOf(pbxInvite([asserted], { from }));
      assert.deepEqual(c, { number: undefined, name: undefined, anonymous: true }, from);
    }
  });

  it('is anonymous for an anonymous asserted identity', () => {
    const invite = pbxInvite(['P-Asserted-Identity: <sip:anonymous@anonymous.invalid>']);
    assert.equal(callerOf(invite).anonymous, true);
  });
});

describe('calledOf', () => {
  it('reads the To user, which keeps what was dialed', () => {
    const invite = pbxInvite([], { to: '<sip:+49-30-555@pbx.example.com>' });
    assert.equal(calledOf(invite), '+4930555');
    assert.equal(calledOf(pbxInvite([], { to: '<tel:+4930555>' })), '+4930555');
  });

  it('falls back to the Request-URI user', () => {
    assert.equal(calledOf(pbxInvite([], { to: '<sip:pbx.example.com>' })), '1001');
    assert.equal(calledOf(bare([['To', '<<garbage']])), '1001');
    const none: SipRequest = { ...bare([]), uri: parseUri('sip:192.0.2.99') };
    assert.equal(calledOf(none), undefined);
  });
});

describe('browserIdentityHeaders', () => {
  it('names the line, the number called and the original number', () => {
    const invite = pbxInvite(['Diversion: <sip:+4930111@pbx>;reason=user-busy']);
    const headers = browserIdentityHeaders({
      line: 'office/1001',
      called: calledOf(invite),
      diversion: diversionOf(invite),
    });
    assert.deepEqual(headers, [
      { name: 'X-Linegate-Line', value: 'office/1001' },
      { name: 'X-Linegate-Called', value: '1001' },
      { name: 'X-Linegate-Diverted-From', value: '+4930111;reason=user-busy' },
    ]);
  });

  it('leaves out what is absent or empty', () => {
    assert.deepEqual(
      browserIdentityHeaders({ line: '', called: undefined, diversion: undefined }),
      [],
    );
    const noReason = browserIdentityHeaders({
      line: 'g/u',
      called: ' ',
      diversion: { originalNumber: '100', count: 1 },
    });
    assert.deepEqual(noReason, [
      { name: 'X-Linegate-Line', value: 'g/u' },
      { name: 'X-Linegate-Diverted-From', value: '100' },
    ]);
    const emptyNumber = browserIdentityHeaders({
      line: 'g/u',
      called: undefined,
      diversion: { originalNumber: ';;', reason: 'x', count: 1 },
    });
    assert.equal(emptyNumber.length, 1);
  });

  it('cannot be used to inject header lines or parameters', () => {
    const headers = browserIdentityHeaders({
      line: 'g/u\r\nX-Evil: 1',
      called: `1001\nVia: x${'9'.repeat(500)}`,
      diversion: {
        originalNumber: '100;reason=evil, <sip:x>\r\nX: y',
        reason: 'User Busy";\r\nX: 1',
        count: 1,
      },
    });
    const msg = bare([]);
    for (const h of headers) {
      assert.doesNotMatch(h.value, /[\r\n]/);
      assert.ok(h.value.length <= 128, h.name);
      addHeader(msg, h.name, h.value); // refuses control characters
    }
    assert.equal(headers[0]?.value, 'g/u  X-Evil: 1');
    assert.equal(headers[2]?.value, '100reason=evilsip:xX:y;reason=userbusyx1');
  });

  it('survives serialization and parsing on the INVITE', () => {
    const headers = browserIdentityHeaders({
      line: 'büro/1001',
      called: '+4930555',
      diversion: { originalNumber: '+4930111', reason: 'no-answer', count: 2 },
    });
    const invite = createRequest({
      method: 'INVITE',
      requestUri: parseUri('sip:o2bl9uu2@9k3h2l0dkd8a.invalid'),
      from: browserFrom({ number: '+4930123', name: 'A', anonymous: false }, 'gw.example.com'),
      to: { uri: parseUri('sip:1001@gw.example.com') },
      contact: parseUri('sip:gw@192.0.2.99'),
      headers,
    });
    prependHeader(invite, 'Via', 'SIP/2.0/WSS gw.example.com;branch=z9hG4bK-1');
    const msg = roundTrip(invite);
    assert.equal(getHeader(msg, 'x-linegate-line'), 'büro/1001');
    assert.equal(getHeader(msg, 'X-Linegate-Diverted-From'), '+4930111;reason=no-answer');
  });
});

/** The From value the dialog layer writes for a Party (requests.ts partyValue, no tag). */
function asNameAddr(party: Party): string {
  return formatNameAddr({ displayName: party.displayName, uri: party.uri, params: new Map() });
}

describe('browserFrom', () => {
  const from = (caller: Caller): string => asNameAddr(browserFrom(caller, 'gw.example.com'));

  it("shows the caller's name and number at our domain", () => {
    assert.equal(
      from({ number: '+4930123', name: 'Alice Example', anonymous: false }),
      'Alice Example <sip:+4930123@gw.example.com>',
    );
  });

  it('is the RFC 3323 anonymous From for a withheld caller', () => {
    assert.equal(
      from({ number: undefined, name: undefined, anonymous: true }),
      'Anonymous <sip:anonymous@anonymous.invalid>',
    );
    // Even when a caller object carries data it should not.
    assert.equal(
      from({ number: '+4930123', name: 'Secret', anonymous: true }),
      'Anonymous <sip:anonymous@anonymous.invalid>',
    );
  });

  it('is user "anonymous" at our domain without a number', () => {
    assert.equal(
      from({ number: undefined, name: 'Door', anonymous: false }),
      'Door <sip:anonymous@gw.example.com>',
    );
  });

  it('quotes and escapes the display name so that it parses back unchanged', () => {
    for (const name of [
      'Alice "Al" Smith',
      'back\\slash',
      'Müller, Hans',
      '<sip:evil@x>',
      'a;tag=1',
    ]) {
      const text = from({ number: '1', name, anonymous: false });
      assert.equal(parseNameAddr(text).displayName, name, text);
    }
  });

  it('cleans a hostile name and number before they reach a header', () => {
    const party = browserFrom(
      { number: 'a\r\nb@c d', name: `x\r\nVia: evil${'y'.repeat(300)}`, anonymous: false },
      'gw.example.com',
    );
    const text = asNameAddr(party);
    addHeader(bare([]), 'From', text); // refuses control characters
    const back = parseNameAddr(text);
    assert.equal(back.displayName?.length, 128);
    assert.equal(back.uri.kind === 'sip' && back.uri.user, 'a  b@c d');
    assert.equal(formatUri(back.uri), 'sip:a%20%20b%40c%20d@gw.example.com');
  });
});
