import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore } from './db.ts';
import { Journal, type JournalOffer } from './journal.ts';

const offer = (over: Partial<JournalOffer> = {}): JournalOffer => ({
  id: 'c1',
  direction: 'incoming',
  line: 'pbx/201',
  user: undefined,
  remoteNumber: '203',
  remoteName: 'Bob',
  calledNumber: '201',
  divertedFrom: undefined,
  at: 1000,
  ...over,
});

describe('journal', () => {
  it('writes a call as it happens: offered, answered, ended with stats', () => {
    const j = new Journal(openStore(':memory:').db);
    j.offered(offer());
    assert.equal(j.list({ lines: ['pbx/201'], user: 'alice', limit: 10 })[0]?.result, undefined);
    j.answered('c1', { user: 'alice', at: 2000 });
    j.ended('c1', { at: 5000, result: 'answered', stats: { mode: 'relay' } });
    j.ended('c1', { at: 9000, result: 'failed' }); // a second end changes nothing
    const [e] = j.list({ lines: ['pbx/201'], user: 'alice', limit: 10 });
    assert.deepEqual(
      [e?.user, e?.answeredAt, e?.endedAt, e?.result, e?.stats],
      ['alice', 2000, 5000, 'answered', { mode: 'relay' }],
    );
  });

  it('says who forwarded a call and who picked one up', () => {
    const j = new Journal(openStore(':memory:').db);
    j.offered(offer({ id: 'f' }));
    j.ended('f', {
      at: 2,
      result: 'forwarded',
      status: 302,
      forwardedTo: '0891',
      forwardedBy: 'alice',
    });
    j.offered(offer({ id: 'p', at: 3 }));
    j.answered('p', { user: 'bob', at: 4, pickedUp: true });
    const byId = new Map(j.list({ lines: ['pbx/201'], user: 'x', limit: 9 }).map((e) => [e.id, e]));
    assert.deepEqual(
      [byId.get('f')?.forwardedTo, byId.get('f')?.forwardedBy, byId.get('f')?.pickedUp],
      ['0891', 'alice', false],
    );
    assert.deepEqual([byId.get('p')?.user, byId.get('p')?.pickedUp], ['bob', true]);
  });

  it('shows a user the calls of their lines and their own, filtered and paged newest first', () => {
    const j = new Journal(openStore(':memory:').db);
    j.offered(offer({ id: 'a', at: 1 }));
    j.ended('a', { at: 2, result: 'missed', status: 487 });
    j.offered(offer({ id: 'b', at: 3, line: 'pbx/202' }));
    j.offered(offer({ id: 'c', at: 4, direction: 'outgoing', user: 'alice', line: 'pbx/209' }));
    j.offered(offer({ id: 'd', at: 5 }));
    const ids = (q: Parameters<Journal['list']>[0]) => j.list(q).map((e) => e.id);
    assert.deepEqual(ids({ lines: ['pbx/201'], user: 'alice', limit: 10 }), ['d', 'c', 'a']);
    assert.deepEqual(ids({ lines: ['pbx/201'], user: 'alice', limit: 2 }), ['d', 'c']);
    assert.deepEqual(ids({ lines: ['pbx/201'], user: 'alice', limit: 2, before: 4 }), ['a']);
    assert.deepEqual(ids({ lines: ['pbx/201'], user: 'alice', limit: 9, result: 'missed' }), ['a']);
    assert.deepEqual(ids({ lines: [], user: 'bob', limit: 9 }), []);
    assert.deepEqual(ids({ lines: ['pbx/201'], user: 'x', limit: 9, line: 'pbx/202' }), []);
  });

  it('pages without losing calls that started in the same millisecond', () => {
    const j = new Journal(openStore(':memory:').db);
    for (const [id, at] of [
      ['a', 5],
      ['b', 4],
      ['c', 3],
      ['d', 3],
      ['e', 3],
      ['f', 1],
    ] as const)
      j.offered(offer({ id, at }));
    const q = { lines: ['pbx/201'], user: 'alice' };
    const first = j.page({ ...q, limit: 3 });
    assert.deepEqual([first.entries.map((e) => e.id), first.next], [['a', 'b', 'c', 'd', 'e'], 3]);
    const second = j.page({ ...q, limit: 3, before: first.next });
    assert.deepEqual([second.entries.map((e) => e.id), second.next], [['f'], undefined]);
    const exact = j.page({ ...q, limit: 2 });
    assert.deepEqual([exact.entries.map((e) => e.id), exact.next], [['a', 'b'], 4]);
  });

  it('repairs the calls a crash left open with the last heartbeat', () => {
    const store = openStore(':memory:');
    const j = new Journal(store.db);
    j.offered(offer({ id: 'open', at: 1000 }));
    j.answered('open', { user: 'alice', at: 1500 });
    j.heartbeat(60_000);
    const after = new Journal(store.db);
    assert.equal(after.repair(500_000), 1);
    const [e] = after.list({ lines: ['pbx/201'], user: 'alice', limit: 1 });
    assert.deepEqual([e?.endedAt, e?.result], [60_000, 'interrupted']);
    assert.equal(after.repair(600_000), 0);
    assert.equal(after.prune(2000), 1);
  });

  it('never repairs a call to end before its answer (answered after the last heartbeat)', () => {
    const store = openStore(':memory:');
    const j = new Journal(store.db);
    j.heartbeat(60_000);
    j.offered(offer({ id: 'late', at: 70_000 }));
    j.answered('late', { user: 'alice', at: 75_000 });
    j.offered(offer({ id: 'ringing', at: 80_000 }));
    assert.equal(new Journal(store.db).repair(90_000), 2);
    const ends = Object.fromEntries(
      j.list({ lines: ['pbx/201'], user: 'alice', limit: 9 }).map((e) => [e.id, e.endedAt]),
    );
    assert.deepEqual(ends, { late: 75_000, ringing: 80_000 });
  });
});
