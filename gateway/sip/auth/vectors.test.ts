/**
 * Published Digest test vectors. RFC 8760 (SIP Digest with SHA-256 and
 * SHA-512/256) defines the algorithm names for SIP but publishes no vectors
 * of its own; its computation is RFC 7616's, checked here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerChallenge } from './client.ts';
import { computeResponse, digestHex, userHash } from './digest.ts';
import { parseAuthValue } from './params.ts';

function param(header: string, name: string): string | undefined {
  return parseAuthValue(header).params.get(name)?.value;
}

describe('RFC 2617 §3.5 (MD5, qop=auth)', () => {
  const challenge =
    'Digest realm="testrealm@host.com", qop="auth,auth-int", ' +
    'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"';

  it('answers with response 6629fae49393a05397450978507c4ef1, choosing auth over auth-int', () => {
    const answer = answerChallenge({
      challenge,
      method: 'GET',
      uri: '/dir/index.html',
      username: 'Mufasa',
      password: 'Circle Of Life',
      cnonce: '0a4f113b',
      nonceCount: 1,
    });
    assert.equal(answer.qop, 'auth');
    assert.equal(answer.algorithm, 'MD5');
    assert.equal(param(answer.header, 'response'), '6629fae49393a05397450978507c4ef1');
    assert.equal(param(answer.header, 'nc'), '00000001');
    assert.equal(param(answer.header, 'cnonce'), '0a4f113b');
    assert.equal(param(answer.header, 'opaque'), '5ccc069c403ebaf9f0171e9517f40e41');
    // No algorithm in the challenge → none in the answer (RFC 2069/2617 servers).
    assert.equal(param(answer.header, 'algorithm'), undefined);
  });
});

describe('RFC 2069 §2.4 (no qop), with the response corrected by its erratum', () => {
  it('computes 1949323746fe6a43ef61f9606e7febea (the RFC prints e966c932…, known wrong)', () => {
    const answer = answerChallenge({
      challenge:
        'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'opaque="5ccc069c403ebaf9f0171e9517f40e41"',
      method: 'GET',
      uri: '/dir/index.html',
      username: 'Mufasa',
      password: 'CircleOfLife',
      nonceCount: 1,
    });
    assert.equal(answer.qop, undefined);
    assert.equal(param(answer.header, 'response'), '1949323746fe6a43ef61f9606e7febea');
    for (const absent of ['qop', 'nc', 'cnonce'])
      assert.equal(param(answer.header, absent), undefined);
  });
});

describe('RFC 7616 §3.9.1 (MD5 and SHA-256)', () => {
  const base = {
    method: 'GET',
    uri: '/dir/index.html',
    username: 'Mufasa',
    // Lower-case "of": RFC 7616 erratum 4495 (RFC 2617 used "Of").
    password: 'Circle of Life',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    nonceCount: 1,
  };
  const challenge = (algorithm: string): string =>
    `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, ` +
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", ' +
    'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

  const cases: Array<[string, string]> = [
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ];
  for (const [algorithm, response] of cases) {
    it(`${algorithm} → ${response}`, () => {
      const answer = answerChallenge({ ...base, challenge: challenge(algorithm) });
      assert.equal(answer.algorithm, algorithm);
      assert.equal(param(answer.header, 'response'), response);
      assert.equal(param(answer.header, 'algorithm'), algorithm);
      assert.equal(param(answer.header, 'opaque'), 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS');
      assert.equal(param(answer.header, 'qop'), 'auth');
    });
  }
});

describe('RFC 7616 §3.9.2 (SHA-512-256, userhash), values as corrected by erratum 4897', () => {
  // The RFC as printed (username 488869…, response ae66e6…) used a wrong
  // SHA-512/256; the erratum recomputes with FIPS 180-4 §6.7, as node does.
  const username = 'J\u00e4s\u00f8n Doe';
  const challenge =
    'Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, ' +
    'nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", ' +
    'opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true';

  it('hashes the username to 793263ca…9b0b and answers 3798d413…68a5', () => {
    const answer = answerChallenge({
      challenge,
      method: 'GET',
      uri: '/doe.json',
      username,
      password: 'Secret, or not?',
      cnonce: 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v',
      nonceCount: 1,
      userhash: true,
    });
    assert.equal(
      param(answer.header, 'username'),
      '793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b',
    );
    assert.equal(param(answer.header, 'userhash'), 'true');
    assert.equal(
      param(answer.header, 'response'),
      '3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5',
    );
  });

  it('sends the plain username when userhash was not asked for', () => {
    const answer = answerChallenge({
      challenge,
      method: 'GET',
      uri: '/doe.json',
      username,
      password: 'Secret, or not?',
      nonceCount: 1,
    });
    assert.equal(param(answer.header, 'username'), username);
    assert.equal(param(answer.header, 'userhash'), undefined);
    assert.equal(userHash('SHA-512-256', username, 'api@example.org').slice(0, 8), '793263ca');
  });

  it('SHA-512/256 itself matches FIPS 180-4 ("abc")', () => {
    assert.equal(
      digestHex('SHA-512-256', 'abc'),
      '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23',
    );
  });
});

describe('session variants (RFC 7616 §3.4.2)', () => {
  it('-sess folds nonce and cnonce into HA1, and the stored-HA1 path agrees', () => {
    const input = {
      algorithm: 'MD5-sess' as const,
      username: 'Mufasa',
      realm: 'testrealm@host.com',
      nonce: 'n',
      method: 'REGISTER',
      uri: 'sip:example.com',
      qop: 'auth' as const,
      cnonce: 'c',
      nc: '00000001',
      body: undefined,
    };
    const ha1 = digestHex('MD5', 'Mufasa:testrealm@host.com:Circle Of Life');
    const sessHa1 = digestHex('MD5', `${ha1}:n:c`);
    const expected = digestHex(
      'MD5',
      `${sessHa1}:n:00000001:c:auth:${digestHex('MD5', 'REGISTER:sip:example.com')}`,
    );
    assert.equal(
      computeResponse({ ...input, secret: { kind: 'password', password: 'Circle Of Life' } }),
      expected,
    );
    assert.equal(
      computeResponse({ ...input, secret: { kind: 'ha1', ha1: ha1.toUpperCase() } }),
      expected,
    );
  });
});
