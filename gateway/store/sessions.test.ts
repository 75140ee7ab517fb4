import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { openStore } from './db.ts';
import { SessionStore } from './sessions.ts';

function setup(ttlMs = 60_000) {
  let now = 1_000_000;
  const store = openStore(':memory:');
  const sessions = new SessionStore(store.db, { realm: 'linegate', now: () => now, ttlMs });
  return { sessions, store, advance: (ms: number) => (now += ms) };
}

describe('session store', () => {
  it('keeps hashes only: the token and digest secret are not in the database', () => {
    const { sessions, store } = setup();
    const s = sessions.create('alice');
    const dump = JSON.stringify(store.db.prepare('SELECT * FROM sessions').all());
    assert.equal(dump.includes(s.secret), false);
    const ha1 = createHash('md5').update(`${s.authUser}:linegate:${s.secret}`).digest('hex');
    assert.deepEqual(sessions.digest(s.authUser, 'MD5'), { username: 'alice', ha1 });
    assert.equal(sessions.digest(s.authUser, 'SHA-256')?.ha1.length, 64);
    assert.equal(sessions.digest('alice', 'MD5'), undefined, 'users are no sessions');
  });

  it('finds a session by its token, never by a wrong or mangled one', () => {
    const { sessions } = setup();
    const s = sessions.create('alice');
    assert.equal(sessions.byToken(s.token)?.username, 'alice');
    assert.equal(sessions.byToken(`${s.id}.wrong`), undefined);
    assert.equal(sessions.byToken(s.id), undefined);
    assert.equal(sessions.byToken('.'), undefined);
    assert.equal(sessions.byToken('x'.repeat(500)), undefined);
  });

  it('expires when idle; use extends it', () => {
    const { sessions, advance } = setup(2 * 3600_000);
    const s = sessions.create('alice');
    advance(1.5 * 3600_000);
    assert.ok(sessions.byToken(s.token), 'used within its lifetime: extended');
    advance(1.5 * 3600_000);
    assert.ok(sessions.byToken(s.token), 'still alive thanks to the extension');
    advance(2 * 3600_000 + 1);
    assert.equal(sessions.byToken(s.token), undefined);
    assert.equal(sessions.digest(s.authUser, 'MD5'), undefined);
    assert.equal(sessions.prune(), 1);
  });

  it('revokes one session, or every session of users that left the config', () => {
    const { sessions } = setup();
    const a = sessions.create('alice');
    const b = sessions.create('bob');
    assert.equal(sessions.revoke(a.id)?.username, 'alice');
    assert.equal(sessions.byToken(a.token), undefined);
    assert.deepEqual(sessions.retainUsers(new Set(['alice'])), [b.id]);
    assert.equal(sessions.byToken(b.token), undefined);
  });
});
