import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { ClientAuthState } from './client-state.ts';
import { answerChallenge, parseDigestChallenge } from './client.ts';
import { type DigestAlgorithm, DIGEST_ALGORITHMS, digestHex } from './digest.ts';
import { parseAuthValue } from './params.ts';
import {
  type DigestServer,
  type DigestServerOptions,
  type PasswordLookup,
  createDigestServer,
} from './server.ts';

const REALM = 'linegate.example';
const URI = 'sip:linegate.example';
const USERS: Record<string, string> = { alice: 's3cret', 'bob "the" \\builder': 'pässwörd' };
const lookup: PasswordLookup = (username) => USERS[username];

/** Deterministic bytes: a counter through SHA-256, so tests never depend on entropy. */
function fakeRandom(): (n: number) => Buffer {
  let counter = 0;
  return (n) => {
    const out = Buffer.alloc(n);
    for (let filled = 0; filled < n; filled += 32) {
      createHash('sha256').update(`r${counter++}`).digest().copy(out, filled);
    }
    return out;
  };
}

function setup(options: Partial<DigestServerOptions> = {}): {
  server: DigestServer;
  clock: { t: number };
} {
  const clock = { t: 1_700_000_000_000 };
  const server = createDigestServer({
    realm: REALM,
    now: () => clock.t,
    random: fakeRandom(),
    ...options,
  });
  return { server, clock };
}

function firstChallenge(server: DigestServer, algorithm: DigestAlgorithm = 'MD5'): string {
  const found = server.challenge().find((c) => parseDigestChallenge(c).algorithm === algorithm);
  assert.ok(found !== undefined, `no ${algorithm} challenge`);
  return found;
}

function answer(
  challenge: string,
  nonceCount = 1,
  overrides: Partial<Parameters<typeof answerChallenge>[0]> = {},
): string {
  return answerChallenge({
    challenge,
    method: 'REGISTER',
    uri: URI,
    username: 'alice',
    password: 's3cret',
    nonceCount,
    ...overrides,
  }).header;
}

function replaceParam(header: string, name: string, value: string): string {
  const re = new RegExp(`${name}=("[^"]*"|[^,]*)`);
  assert.match(header, re);
  return header.replace(re, `${name}=${value}`);
}

describe('challenge()', () => {
  it('offers one value per algorithm, MD5 last even if listed first, one shared nonce', () => {
    const { server } = setup({ algorithms: ['MD5', 'SHA-256'] });
    const values = server.challenge();
    assert.deepEqual(
      values.map((v) => parseDigestChallenge(v).algorithm),
      ['SHA-256', 'MD5'],
    );
    assert.equal(new Set(values.map((v) => parseDigestChallenge(v).nonce)).size, 1);
    const c = parseDigestChallenge(values[0] ?? '');
    assert.equal(c.realm, REALM);
    assert.deepEqual(c.qop, ['auth']);
    assert.equal(c.stale, false);
    assert.match(c.nonce, /^[A-Za-z0-9_-]{43}$/);
  });

  it('adds stale=true on request and mints a new nonce each time', () => {
    const { server } = setup();
    const [a, b] = [server.challenge()[0] ?? '', server.challenge({ stale: true })[0] ?? ''];
    assert.equal(parseDigestChallenge(b).stale, true);
    assert.notEqual(parseDigestChallenge(a).nonce, parseDigestChallenge(b).nonce);
  });

  it('rejects bad configuration', () => {
    assert.throws(() => setup({ realm: '' }));
    assert.throws(() => setup({ realm: 'a\r\nb' }));
    assert.throws(() => setup({ algorithms: [] }));
    assert.throws(() => setup({ nonceTtlMs: 0 }));
    assert.throws(() => setup({ secret: Buffer.alloc(4) }));
  });
});

describe('client ↔ server round trips', () => {
  for (const algorithm of DIGEST_ALGORITHMS) {
    it(`${algorithm}: accepted with a password, and with a stored HA1`, () => {
      const { server } = setup({ algorithms: [algorithm] });
      const challenge = firstChallenge(server, algorithm);
      assert.deepEqual(
        server.verify({
          header: answer(challenge, 1),
          method: 'REGISTER',
          lookup,
          requestUri: URI,
        }),
        {
          ok: true,
          username: 'alice',
          algorithm,
        },
      );
      const ha1Lookup: PasswordLookup = (user, realm, hash) => ({
        ha1: digestHex(hash, `${user}:${realm}:s3cret`),
      });
      assert.equal(
        server.verify({ header: answer(challenge, 2), method: 'REGISTER', lookup: ha1Lookup }).ok,
        true,
      );
    });
  }

  it('handles usernames that need escaping and non-ASCII passwords', () => {
    const { server } = setup();
    const header = answer(firstChallenge(server), 1, {
      username: 'bob "the" \\builder',
      password: 'pässwörd',
    });
    assert.equal(server.verify({ header, method: 'REGISTER', lookup }).ok, true);
  });

  it('ClientAuthState: 401 → retry accepted; preemptive reuse accepted; expiry → stale → retry accepted', () => {
    const { server, clock } = setup({ algorithms: ['MD5', 'SHA-256'] });
    const ua = new ClientAuthState({
      credentials: () => ({ username: 'alice', password: 's3cret' }),
    });
    const request = { method: 'REGISTER', uri: URI };
    const challenges = (stale = false): { name: string; value: string }[] =>
      server.challenge({ stale }).map((value) => ({ name: 'WWW-Authenticate', value }));
    const verify = (headers: readonly { value: string }[]): ReturnType<DigestServer['verify']> =>
      server.verify({
        header: headers[0]?.value ?? '',
        method: 'REGISTER',
        lookup,
        requestUri: URI,
      });

    const first = ua.onChallenge({ challenges: challenges(), sent: [], request });
    assert.equal(first.action, 'retry');
    assert.deepEqual(verify(first.headers), { ok: true, username: 'alice', algorithm: 'SHA-256' });
    assert.equal(verify(ua.authorize(request)).ok, true);

    clock.t += 300_000;
    const expired = ua.authorize(request);
    const result = verify(expired);
    assert.deepEqual(result, { ok: false, reason: 'stale', stale: true, username: 'alice' });
    const retry = ua.onChallenge({ challenges: challenges(result.stale), sent: expired, request });
    assert.equal(retry.action, 'retry');
    assert.equal(verify(retry.headers).ok, true);
  });
});

describe('verify() failures', () => {
  it('wrong password → bad-response; unknown user → unknown-user', () => {
    const { server } = setup();
    const challenge = firstChallenge(server);
    assert.deepEqual(
      server.verify({
        header: answer(challenge, 1, { password: 'nope' }),
        method: 'REGISTER',
        lookup,
      }),
      {
        ok: false,
        reason: 'bad-response',
        stale: false,
        username: 'alice',
      },
    );
    const header = answer(challenge, 1, { username: 'mallory' });
    assert.deepEqual(server.verify({ header, method: 'REGISTER', lookup }), {
      ok: false,
      reason: 'unknown-user',
      stale: false,
      username: 'mallory',
    });
  });

  it('replay: the same nc twice is refused; a lower nc is refused; a higher one is accepted', () => {
    const { server } = setup();
    const challenge = firstChallenge(server);
    const verify = (nc: number): string | true => {
      const r = server.verify({ header: answer(challenge, nc), method: 'REGISTER', lookup });
      return r.ok ? true : r.reason;
    };
    assert.equal(verify(1), true);
    assert.equal(verify(1), 'replay');
    assert.equal(verify(3), true);
    assert.equal(verify(2), 'replay');
    assert.equal(verify(4), true);
    // The very same header bytes again.
    const header = answer(challenge, 9);
    assert.equal(server.verify({ header, method: 'REGISTER', lookup }).ok, true);
    assert.equal(server.verify({ header, method: 'REGISTER', lookup }).ok, false);
  });

  it('expired nonce in fake time → stale when the digest is right, bad-response when not', () => {
    const { server, clock } = setup({ nonceTtlMs: 60_000 });
    const challenge = firstChallenge(server);
    clock.t += 59_999;
    assert.equal(
      server.verify({ header: answer(challenge, 1), method: 'REGISTER', lookup }).ok,
      true,
    );
    clock.t += 1;
    assert.deepEqual(server.verify({ header: answer(challenge, 2), method: 'REGISTER', lookup }), {
      ok: false,
      reason: 'stale',
      stale: true,
      username: 'alice',
    });
    const wrong = server.verify({
      header: answer(challenge, 3, { password: 'x' }),
      method: 'REGISTER',
      lookup,
    });
    assert.equal(wrong.ok ? '' : wrong.reason, 'bad-response');
  });

  it('nonces of another secret (a restart), forged or garbled → stale only with a right digest', () => {
    const { server } = setup();
    const other = setup({ secret: Buffer.alloc(32, 7) }).server;
    const result = server.verify({
      header: answer(firstChallenge(other), 1),
      method: 'REGISTER',
      lookup,
    });
    assert.equal(result.ok ? '' : result.reason, 'stale');
    const forged =
      'Digest realm="linegate.example", nonce="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", qop="auth"';
    const r2 = server.verify({ header: answer(forged, 1), method: 'REGISTER', lookup });
    assert.equal(r2.ok ? '' : r2.reason, 'stale');
  });

  it('tracker full → the least recently used nonce becomes stale, others keep working', () => {
    const { server } = setup({ maxTrackedNonces: 2 });
    const [a, b, c] = [firstChallenge(server), firstChallenge(server), firstChallenge(server)];
    const ok = (challenge: string, nc: number): string | true => {
      const r = server.verify({ header: answer(challenge, nc), method: 'REGISTER', lookup });
      return r.ok ? true : r.reason;
    };
    assert.equal(ok(a, 1), true);
    assert.equal(ok(b, 1), true);
    assert.equal(ok(a, 2), true); // a is now the most recently used
    assert.equal(ok(c, 1), true); // evicts b
    assert.equal(ok(b, 2), 'stale');
    assert.equal(ok(a, 3), true);
    assert.equal(ok(c, 2), true);
  });

  it('wrong realm, uri mismatch, unsupported algorithm', () => {
    const { server } = setup({ algorithms: ['MD5'] });
    const challenge = firstChallenge(server);
    const reason = (header: string, requestUri?: string): string => {
      const r = server.verify({ header, method: 'REGISTER', lookup, requestUri });
      return r.ok ? 'ok' : r.reason;
    };
    assert.equal(reason(replaceParam(answer(challenge), 'realm', '"elsewhere"')), 'wrong-realm');
    assert.equal(reason(answer(challenge, 1), 'sip:other.example'), 'uri-mismatch');
    assert.equal(reason(answer(challenge, 2), URI), 'ok');
    const sha = challenge.replace('algorithm=MD5', 'algorithm=SHA-256');
    assert.equal(reason(answer(sha, 3)), 'unsupported-algorithm');
    assert.equal(
      reason(replaceParam(answer(challenge, 4), 'algorithm', 'AKAv1-MD5')),
      'unsupported-algorithm',
    );
    const md5Only: PasswordLookup = () => ({ ha1: digestHex('MD5', `alice:${REALM}:s3cret`) });
    const { server: both } = setup({ algorithms: ['MD5', 'SHA-256'] });
    const r = both.verify({
      header: answer(firstChallenge(both, 'SHA-256')),
      method: 'REGISTER',
      lookup: md5Only,
    });
    assert.equal(r.ok ? '' : r.reason, 'unsupported-algorithm');
  });

  it('the method enters the digest (RFC 3261 §22.4): a REGISTER answer does not authorize an INVITE', () => {
    const { server } = setup();
    const r = server.verify({ header: answer(firstChallenge(server)), method: 'INVITE', lookup });
    assert.equal(r.ok ? '' : r.reason, 'bad-response');
  });

  it('malformed and hostile Authorization values → malformed, never a throw', () => {
    const { server } = setup();
    const good = answer(firstChallenge(server));
    const hostile = [
      '',
      'Basic YWxpY2U6czNjcmV0',
      'Digest username="alice", realm="unterminated',
      `Digest ${','.repeat(10_000)}`,
      `Digest username="${'a'.repeat(100_000)}"`,
      good.replace(/, response="[^"]*"/, ''),
      good.replace(/, nc=[^,]*/, ''),
      good.replace(/, cnonce="[^"]*"/, ''),
      good.replace(/, qop=auth/, ''), // RFC 2069 form: no replay protection, refused
      replaceParam(good, 'qop', 'auth-int'),
      replaceParam(good, 'nc', '00000000'),
      replaceParam(good, 'nc', '1'),
      replaceParam(good, 'nc', 'zzzzzzzz'),
      replaceParam(good, 'response', '"abc"'),
      replaceParam(good, 'response', `"${'g'.repeat(32)}"`),
      `${good}, userhash=true`,
      `${good}, realm="dup"`,
    ];
    for (const header of hostile) {
      const r = server.verify({ header, method: 'REGISTER', lookup });
      assert.equal(r.ok ? 'ok' : r.reason, 'malformed', header.slice(0, 120));
    }
  });
});

describe('JsSIP interop (the browser client)', () => {
  interface JsSipChallenge {
    realm: string;
    nonce: string;
  }
  interface JsSipDigest {
    authenticate(
      request: { method: string; ruri: string; body: string | null },
      challenge: JsSipChallenge,
    ): boolean;
    toString(): string;
  }
  const require = createRequire(import.meta.url);
  const grammar = require('jssip/lib/Grammar.js') as {
    parse(input: string, rule: string): JsSipChallenge | -1;
  };
  const Digest = require('jssip/lib/DigestAuthentication.js') as new (credentials: {
    username: string;
    password: string;
  }) => JsSipDigest;

  it('JsSIP reads our last challenge (MD5; its parser keeps the last field) and its answer verifies', () => {
    const { server } = setup({ algorithms: ['SHA-256', 'MD5'] });
    const parsed = grammar.parse(
      server.challenge({ stale: true }).at(-1) ?? '',
      'WWW_Authenticate',
    );
    assert.notEqual(parsed, -1);
    if (parsed === -1) return;
    const digest = new Digest({ username: 'alice', password: 's3cret' });
    assert.equal(digest.authenticate({ method: 'REGISTER', ruri: URI, body: null }, parsed), true);
    const header = digest.toString();
    assert.equal(parseAuthValue(header).params.get('qop')?.value, 'auth');
    assert.deepEqual(server.verify({ header, method: 'REGISTER', lookup, requestUri: URI }), {
      ok: true,
      username: 'alice',
      algorithm: 'MD5',
    });
  });
});
