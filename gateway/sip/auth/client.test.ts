import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLinegateError } from '#shared/errors.ts';
import { type AuthHeader, type ChallengeOutcome, ClientAuthState } from './client-state.ts';
import { answerChallenge, chooseChallenges, parseDigestChallenge } from './client.ts';
import { parseAuthValue } from './params.ts';

function param(header: string, name: string): string | undefined {
  return parseAuthValue(header).params.get(name)?.value;
}

function rejects(fn: () => unknown, pattern?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isLinegateError(e, 'sip.auth'), `expected LinegateError sip.auth, got ${String(e)}`);
    if (pattern !== undefined) assert.match(e.message, pattern);
    return true;
  });
}

const base = {
  method: 'REGISTER',
  uri: 'sip:pbx.example.com',
  username: 'alice',
  password: 's3cret',
};

describe('parseDigestChallenge', () => {
  it('defaults algorithm to MD5, reads stale and qop case-insensitively', () => {
    const c = parseDigestChallenge('DIGEST realm="r", nonce="n", stale=TRUE, qop="Auth"');
    assert.equal(c.algorithm, 'MD5');
    assert.equal(c.algorithmToken, undefined);
    assert.equal(c.stale, true);
    assert.deepEqual(c.qop, ['auth']);
  });

  it('refuses other schemes, missing realm/nonce, unknown algorithms', () => {
    rejects(() => parseDigestChallenge('Basic realm="r"'), /scheme/);
    rejects(() => parseDigestChallenge('Digest nonce="n"'), /realm/);
    rejects(() => parseDigestChallenge('Digest realm="r"'), /nonce/);
    rejects(
      () => parseDigestChallenge('Digest realm="r", nonce="n", algorithm=SHA-1'),
      /algorithm/,
    );
    rejects(() => parseDigestChallenge('Digest realm="r", nonce="n'), /unterminated/);
  });
});

describe('answerChallenge', () => {
  it('uses auth-int only when it is the sole qop and a body is given', () => {
    const challenge = 'Digest realm="r", nonce="n", qop="auth-int"';
    rejects(() => answerChallenge({ ...base, challenge, nonceCount: 1 }), /auth-int/);
    const answer = answerChallenge({
      ...base,
      challenge,
      nonceCount: 1,
      body: Buffer.from('v=0\r\n'),
    });
    assert.equal(answer.qop, 'auth-int');
    assert.equal(param(answer.header, 'qop'), 'auth-int');
  });

  it('refuses an unknown qop, a -sess algorithm without qop, and bad nonce counts', () => {
    rejects(() =>
      answerChallenge({
        ...base,
        challenge: 'Digest realm="r", nonce="n", qop="x"',
        nonceCount: 1,
      }),
    );
    rejects(() =>
      answerChallenge({
        ...base,
        challenge: 'Digest realm="r", nonce="n", algorithm=MD5-sess',
        nonceCount: 1,
      }),
    );
    for (const nonceCount of [0, -1, 1.5, 2 ** 32]) {
      rejects(() =>
        answerChallenge({
          ...base,
          challenge: 'Digest realm="r", nonce="n", qop="auth"',
          nonceCount,
        }),
      );
    }
  });

  it('formats nc as 8 hex digits and generates a cnonce when none is given', () => {
    const answer = answerChallenge({
      ...base,
      challenge: 'Digest realm="r", nonce="n", qop="auth"',
      nonceCount: 255,
    });
    assert.equal(param(answer.header, 'nc'), '000000ff');
    assert.match(param(answer.header, 'cnonce') ?? '', /^[0-9a-f]{32}$/);
  });

  it('refuses a username that would inject a header line', () => {
    rejects(() =>
      answerChallenge({
        ...base,
        username: 'alice"\r\nVia: x',
        challenge: 'Digest realm="r", nonce="n", qop="auth"',
        nonceCount: 1,
      }),
    );
  });
});

describe('chooseChallenges', () => {
  it('prefers SHA-256 over MD5 within a realm, whatever the order', () => {
    const chosen = chooseChallenges([
      { name: 'WWW-Authenticate', value: 'Digest realm="r", nonce="a", algorithm=MD5, qop="auth"' },
      {
        name: 'WWW-Authenticate',
        value: 'Digest realm="r", nonce="b", algorithm=SHA-256, qop="auth"',
      },
    ]);
    assert.equal(chosen.length, 1);
    assert.equal(chosen[0]!.challenge.algorithm, 'SHA-256');
    assert.equal(chosen[0]!.headerName, 'Authorization');
  });

  it('maps Proxy-Authenticate to Proxy-Authorization and keeps one per realm', () => {
    const chosen = chooseChallenges([
      { name: 'proxy-authenticate', value: 'Digest realm="p1", nonce="a"' },
      { name: 'Proxy-Authenticate', value: 'Digest realm="p2", nonce="b", algorithm=SHA-256' },
      { name: 'Proxy-Authenticate', value: 'Digest realm="p1", nonce="c", algorithm=md5-sess' },
    ]);
    assert.deepEqual(
      chosen.map((c) => [c.headerName, c.challenge.realm, c.challenge.nonce]),
      [
        ['Proxy-Authorization', 'p1', 'a'],
        ['Proxy-Authorization', 'p2', 'b'],
      ],
    );
  });

  it('skips Basic, unknown algorithms, garbage and unrelated headers', () => {
    const chosen = chooseChallenges([
      { name: 'WWW-Authenticate', value: 'Basic realm="r"' },
      { name: 'WWW-Authenticate', value: 'Digest realm="r", nonce="x", algorithm=AKAv1-MD5' },
      { name: 'WWW-Authenticate', value: 'Digest realm="r' },
      { name: 'Via', value: 'Digest realm="r", nonce="x"' },
      { name: 'WWW-Authenticate', value: 'Digest realm="r", nonce="ok"' },
    ]);
    assert.deepEqual(
      chosen.map((c) => c.challenge.nonce),
      ['ok'],
    );
  });
});

describe('ClientAuthState', () => {
  const request = { method: 'REGISTER', uri: 'sip:pbx.example.com' };
  let counter = 0;
  const state = (): ClientAuthState =>
    new ClientAuthState({
      credentials: (realm) =>
        realm === 'pbx' ? { username: 'alice', password: 's3cret' } : undefined,
      cnonce: () => `cn${++counter}`,
    });
  const www = (value: string): { name: string; value: string } => ({
    name: 'WWW-Authenticate',
    value,
  });
  const challenge = (nonce: string, extra = ''): string =>
    `Digest realm="pbx", nonce="${nonce}", algorithm=MD5, qop="auth"${extra}`;

  function retryHeaders(outcome: ChallengeOutcome): readonly AuthHeader[] {
    assert.equal(outcome.action, 'retry');
    return outcome.headers;
  }

  it('answers a first challenge with nc=1, then reuses the nonce with increasing nc', () => {
    const s = state();
    assert.deepEqual(s.authorize(request), []);
    const headers = retryHeaders(
      s.onChallenge({ challenges: [www(challenge('n1'))], sent: [], request }),
    );
    assert.equal(headers.length, 1);
    assert.equal(headers[0]!.name, 'Authorization');
    assert.equal(param(headers[0]!.value, 'nc'), '00000001');
    const second = s.authorize(request);
    const third = s.authorize(request);
    assert.equal(param(second[0]?.value ?? '', 'nc'), '00000002');
    assert.equal(param(third[0]?.value ?? '', 'nc'), '00000003');
    assert.equal(param(third[0]?.value ?? '', 'nonce'), 'n1');
  });

  it('gives up when credentials for the realm are challenged again without stale (wrong password)', () => {
    const s = state();
    const sent = retryHeaders(
      s.onChallenge({ challenges: [www(challenge('n1'))], sent: [], request }),
    );
    const outcome = s.onChallenge({ challenges: [www(challenge('n2'))], sent, request });
    assert.deepEqual(outcome, { action: 'give-up', reason: 'rejected', realm: 'pbx' });
  });

  it('retries once on stale=true with the new nonce, then gives up if stale again', () => {
    const s = state();
    s.onChallenge({ challenges: [www(challenge('n1'))], sent: [], request });
    const reused = s.authorize(request); // nc=2 on n1, the server has expired it
    const retry = retryHeaders(
      s.onChallenge({ challenges: [www(challenge('n2', ', stale=true'))], sent: reused, request }),
    );
    assert.equal(param(retry[0]?.value ?? '', 'nonce'), 'n2');
    assert.equal(param(retry[0]?.value ?? '', 'nc'), '00000001');
    const again = s.onChallenge({
      challenges: [www(challenge('n3', ', stale=true'))],
      sent: retry,
      request,
    });
    assert.deepEqual(again, { action: 'give-up', reason: 'stale-loop', realm: 'pbx' });
  });

  it('a later genuine expiry of a nonce obtained from stale=true is retried again', () => {
    const s = state();
    const first = retryHeaders(
      s.onChallenge({ challenges: [www(challenge('n1'))], sent: [], request }),
    );
    const retry = retryHeaders(
      s.onChallenge({ challenges: [www(challenge('n2', ', stale=true'))], sent: first, request }),
    );
    assert.equal(param(retry[0]?.value ?? '', 'nonce'), 'n2');
    const later = s.authorize(request); // n2, nc=2: it worked for a while
    const outcome = s.onChallenge({
      challenges: [www(challenge('n3', ', stale=true'))],
      sent: later,
      request,
    });
    assert.equal(param(retryHeaders(outcome)[0]?.value ?? '', 'nonce'), 'n3');
  });

  it('reports missing credentials and unusable challenges', () => {
    const s = state();
    assert.deepEqual(
      s.onChallenge({ challenges: [www('Digest realm="other", nonce="x"')], sent: [], request }),
      { action: 'give-up', reason: 'no-credentials', realm: 'other' },
    );
    assert.deepEqual(s.onChallenge({ challenges: [www('Basic realm="pbx"')], sent: [], request }), {
      action: 'give-up',
      reason: 'no-usable-challenge',
      realm: undefined,
    });
  });

  it('answers 407 with Proxy-Authorization and re-sends credentials of realms not challenged now', () => {
    const s = new ClientAuthState({
      credentials: () => ({ username: 'alice', password: 's3cret' }),
      cnonce: () => 'c',
    });
    const proxy = retryHeaders(
      s.onChallenge({
        challenges: [
          { name: 'Proxy-Authenticate', value: 'Digest realm="edge", nonce="p1", qop="auth"' },
        ],
        sent: [],
        request,
      }),
    );
    assert.equal(proxy[0]?.name, 'Proxy-Authorization');
    const both = retryHeaders(
      s.onChallenge({
        challenges: [www('Digest realm="pbx", nonce="u1", qop="auth"')],
        sent: proxy,
        request,
      }),
    );
    assert.deepEqual(
      both.map((h) => [h.name, param(h.value, 'realm'), param(h.value, 'nc')]),
      [
        ['Authorization', 'pbx', '00000001'],
        ['Proxy-Authorization', 'edge', '00000002'],
      ],
    );
    s.forget('edge');
    assert.equal(s.size, 1);
  });
});
