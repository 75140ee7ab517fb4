import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLinegateError } from '#shared/errors.ts';
import {
  MAX_AUTH_PARAMS,
  MAX_AUTH_VALUE_LENGTH,
  formatAuthValue,
  parseAuthValue,
  quoteString,
  splitParamList,
} from './params.ts';

function rejects(fn: () => unknown, pattern?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isLinegateError(e, 'sip.auth'), `expected LinegateError sip.auth, got ${String(e)}`);
    if (pattern !== undefined) assert.match(e.message, pattern);
    return true;
  });
}

function values(text: string): Record<string, string> {
  return Object.fromEntries([...parseAuthValue(text).params].map(([k, v]) => [k, v.value]));
}

describe('parseAuthValue', () => {
  it('reads the RFC 3261 §22.4 example credentials', () => {
    const parsed = parseAuthValue(
      'Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", ' +
        'response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    assert.equal(parsed.scheme, 'Digest');
    assert.deepEqual(
      [...parsed.params.keys()],
      ['username', 'realm', 'nonce', 'uri', 'qop', 'nc', 'cnonce', 'response', 'opaque'],
    );
    assert.deepEqual(parsed.params.get('qop'), { value: 'auth', quoted: false });
    assert.deepEqual(parsed.params.get('uri'), { value: 'sip:bob@biloxi.com', quoted: true });
  });

  it('lower-cases names, keeps unknown parameters and value case', () => {
    assert.deepEqual(values('digest REALM="Atlanta.com", Algorithm=SHA-256, X-Foo=Bar'), {
      realm: 'Atlanta.com',
      algorithm: 'SHA-256',
      'x-foo': 'Bar',
    });
  });

  it('accepts LWS around "=" and ",", leading/trailing blanks and folded lines', () => {
    assert.deepEqual(values('  Digest\trealm = "a" ,\r\n  nonce\t=\tx ,qop="auth, auth-int"  '), {
      realm: 'a',
      nonce: 'x',
      qop: 'auth, auth-int',
    });
  });

  it('unescapes quoted-pairs and keeps commas and "=" inside quotes', () => {
    assert.deepEqual(values('Digest realm="a \\"b\\" \\\\ c, d=e", nonce=""'), {
      realm: 'a "b" \\ c, d=e',
      nonce: '',
    });
  });

  it('reads a fold inside a quoted-string as one space, keeps UTF-8', () => {
    assert.equal(values('Digest realm="Jäsøn\r\n Doe"').realm, 'Jäsøn Doe');
  });

  it('accepts a scheme alone', () => {
    assert.equal(parseAuthValue('Digest').params.size, 0);
  });

  it('rejects malformed values with LinegateError sip.auth', () => {
    const bad: Array<[string, RegExp]> = [
      ['', /expected auth scheme/],
      ['Digest realm="unterminated', /unterminated/],
      ['Digest realm="a\\', /unterminated/],
      ['Digest realm', /expected "="/],
      ['Digest realm=', /expected parameter value/],
      ['Digest realm=a b=c', /expected ","/],
      ['Digest realm=a,', /expected parameter name/],
      ['Digest realm=a,,nonce=b', /expected parameter name/],
      ['Digest ,realm=a', /expected parameter name/],
      ['Digest realm=a, Realm=b', /duplicate/],
      ['Digest,realm=a', /whitespace/],
      ['Digest realm="a\nb"', /control/],
      ['Digest realm="a\rb"', /bare CR/],
      ['Digest realm="a\\\r\n b"', /CR\/LF/],
      ['Digest realm="a\u0000"', /control/],
      ['Digest realm=a\r\nVia: x', /expected ","/],
      ['Digest realm=@', /expected parameter value/],
      ['"Digest" realm=a', /expected auth scheme/],
    ];
    for (const [text, pattern] of bad) rejects(() => parseAuthValue(text), pattern);
  });

  describe('hostile input', () => {
    it('10,000 commas → clean rejection, fast', () => {
      // Generous bound against quadratic parsing; the fastest of 3 runs, so a
      // loaded machine's one slow reading does not fail it.
      const runs = Array.from({ length: 3 }, () => {
        const started = performance.now();
        rejects(() => parseAuthValue(`Digest realm="r"${','.repeat(10_000)}`));
        rejects(() => parseAuthValue(`Digest ${','.repeat(10_000)}`));
        return performance.now() - started;
      });
      assert.ok(Math.min(...runs) < 200);
    });

    it('an unterminated quote over the whole length limit → clean rejection', () => {
      rejects(() => parseAuthValue(`Digest realm="${'\\"'.repeat(4000)}`), /unterminated/);
    });

    it('values above the length limit are refused up front', () => {
      rejects(
        () => parseAuthValue(`Digest nonce="${'a'.repeat(MAX_AUTH_VALUE_LENGTH)}"`),
        /longer/,
      );
      rejects(() => parseAuthValue(`Digest realm=${'x'.repeat(10_000_000)}`), /longer/);
    });

    it('too many parameters are refused', () => {
      const many = Array.from({ length: MAX_AUTH_PARAMS + 1 }, (_, i) => `p${i}=v`).join(',');
      rejects(() => parseAuthValue(`Digest ${many}`), /more than/);
    });

    it('random garbage only ever yields a result or LinegateError sip.auth', () => {
      const alphabet = [
        'Digest',
        ' ',
        '\t',
        '\r\n',
        '\r',
        '\n',
        '"',
        '\\',
        ',',
        '=',
        'a',
        'realm',
        'é',
        '\u0000',
      ];
      let seed = 42;
      const next = (): number => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed;
      };
      for (let i = 0; i < 3000; i++) {
        const length = next() % 40;
        let text = '';
        for (let j = 0; j < length; j++) text += alphabet[next() % alphabet.length] ?? '';
        try {
          parseAuthValue(text);
        } catch (e) {
          assert.ok(
            isLinegateError(e, 'sip.auth'),
            `unexpected ${String(e)} for ${JSON.stringify(text)}`,
          );
        }
      }
    });
  });
});

describe('formatAuthValue / quoteString', () => {
  it('formats tokens bare and escapes quoted values, and round-trips', () => {
    const text = formatAuthValue('Digest', [
      { name: 'realm', value: 'a "b" \\ c', quoted: true },
      { name: 'algorithm', value: 'SHA-256', quoted: false },
    ]);
    assert.equal(text, 'Digest realm="a \\"b\\" \\\\ c", algorithm=SHA-256');
    assert.deepEqual(values(text), { realm: 'a "b" \\ c', algorithm: 'SHA-256' });
  });

  it('refuses CR/LF (header injection), non-token bare values and bad names', () => {
    rejects(() => quoteString('bob\r\nVia: evil'));
    rejects(() => formatAuthValue('Digest', [{ name: 'nc', value: 'a b', quoted: false }]));
    rejects(() => formatAuthValue('Digest', [{ name: 'a=b', value: 'x', quoted: true }]));
    rejects(() => formatAuthValue('Dig est', []));
  });
});

describe('splitParamList', () => {
  it('splits qop-options, trimming and lower-casing', () => {
    assert.deepEqual(splitParamList(' Auth , auth-INT,,'), ['auth', 'auth-int']);
  });
});
