import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseUri } from '../../sip/message/uri.ts';
import {
  MAX_TEXT,
  cleanText,
  nameAddrs,
  numberOfUri,
  phoneNumber,
  safely,
  uriParam,
} from './display.ts';
import { bare } from './test-support.ts';

describe('cleanText', () => {
  it('keeps ordinary text, trimmed', () => {
    assert.equal(cleanText('  Alice Example '), 'Alice Example');
    assert.equal(cleanText('Zoë «Ω» 佐藤'), 'Zoë «Ω» 佐藤');
    assert.equal(cleanText('"quoted" \\ back'), '"quoted" \\ back');
  });

  it('turns CR, LF and other controls into spaces: nothing can start a header line', () => {
    assert.equal(cleanText('a\r\nX-Evil: 1'), 'a  X-Evil: 1');
    assert.equal(cleanText('a\u0000b\u0007c\u007fd\u0085e\tf'), 'a b c d e f');
    assert.equal(cleanText('x\u2028y\u2029z'), 'x y z');
  });

  it('removes bidi overrides that could make a name read as another', () => {
    assert.equal(cleanText('Bank\u202e321'), 'Bank 321');
    assert.equal(cleanText('\u2066A\u2069'), 'A');
  });

  it('is undefined for nothing, bounded to 128 code points otherwise', () => {
    assert.equal(cleanText(undefined), undefined);
    assert.equal(cleanText(''), undefined);
    assert.equal(cleanText(' \r\n\t '), undefined);
    assert.equal(cleanText('x'.repeat(100_000))?.length, MAX_TEXT);
    assert.equal(cleanText('abcdef', 3), 'abc');
    // 200 emoji: cut at 128 whole code points, no lone surrogate.
    const cut = cleanText('😀'.repeat(200)) ?? '';
    assert.equal(Array.from(cut).length, MAX_TEXT);
    assert.equal(cut, '😀'.repeat(MAX_TEXT));
  });
});

describe('phoneNumber (RFC 3966)', () => {
  it('removes visual separators and parameters, keeps a leading +', () => {
    assert.equal(phoneNumber('+1-201-555-0123'), '+12015550123');
    assert.equal(phoneNumber('+49 (30) 1234.567'), '+49301234567');
    assert.equal(phoneNumber('7042;phone-context=example.com'), '7042');
    assert.equal(phoneNumber('*21#'), '*21#');
  });

  it('is undefined for what is not dialable', () => {
    for (const s of ['', 'alice', '+', '1+2', '++1', '12a', '-', 'anonymous', '1'.repeat(200)]) {
      assert.equal(phoneNumber(s), undefined, s);
    }
  });
});

describe('numberOfUri', () => {
  const of = (text: string): string | undefined => numberOfUri(parseUri(text));

  it('reads a sip user as a number when it is one, as it is otherwise', () => {
    assert.equal(of('sip:+49-30-1234@pbx.example.com'), '+49301234');
    assert.equal(of('sip:+1-212-555-1212;postd=pp22@gw.example.com;user=phone'), '+12125551212');
    assert.equal(of('sips:1001@pbx.example.com'), '1001');
    assert.equal(of('sip:alice.smith@example.com'), 'alice.smith');
    assert.equal(of('sip:%2B49%2030%201234@pbx.example.com'), '+49301234');
  });

  it('reads a tel number, escaped or not', () => {
    assert.equal(of('tel:+1-201-555-0123'), '+12015550123');
    assert.equal(of('TEL:7042;phone-context=example.com'), '7042');
    assert.equal(of('tel:%2B4930123'), '+4930123');
    assert.equal(of('tel:not-a-number'), undefined);
  });

  it('is undefined without a user or for other schemes', () => {
    assert.equal(of('sip:pbx.example.com'), undefined);
    assert.equal(of('http://example.com/alice'), undefined);
    assert.equal(of('urn:service:sos'), undefined);
  });

  it('cleans a hostile user', () => {
    assert.equal(of('sip:a%0D%0AX-Evil%3A1@example.com'), 'a  X-Evil:1');
    assert.equal(of(`sip:${'u'.repeat(500)}@example.com`)?.length, MAX_TEXT);
  });
});

describe('uriParam', () => {
  it('reads sip URI parameters and tel URI parameters', () => {
    assert.equal(uriParam(parseUri('sip:bob@x;cause=302'), 'cause'), '302');
    assert.equal(uriParam(parseUri('sip:bob@x;lr'), 'lr'), undefined);
    assert.equal(uriParam(parseUri('sip:bob@x'), 'cause'), undefined);
    assert.equal(uriParam(parseUri('tel:+4930123;CAUSE=486'), 'cause'), '486');
    assert.equal(uriParam(parseUri('tel:+4930123;cause'), 'cause'), undefined);
    assert.equal(uriParam(parseUri('tel:+4930123;x=1;cause=%34%38%36'), 'cause'), '486');
  });
});

describe('nameAddrs and safely', () => {
  it('reads every value that parses and skips the rest', () => {
    const m = bare([
      ['P-Asserted-Identity', '"A" <sip:1@x>, <<<garbage, <tel:+492>'],
      ['p-asserted-identity', 'sip:3@x'],
      ['P-Asserted-Identity', '"unterminated <sip:4@x>'],
    ]);
    const users = nameAddrs(m, 'P-Asserted-Identity').map((na) => numberOfUri(na.uri));
    assert.deepEqual(users, ['1', '3']);
  });

  it('turns a throw into undefined', () => {
    assert.equal(
      safely((): number => {
        throw new Error('x');
      }),
      undefined,
    );
    assert.equal(
      safely(() => 5),
      5,
    );
  });
});
