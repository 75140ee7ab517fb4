/**
 * Pickup (seeds 000/003/004, issue #7): a call rings on a colleague's line
 * held by the gateway; a user with the pickup permission calls the group's
 * pickup code with that line's number and the gateway hands the call over
 * itself — the picker talks to the caller, the ringing browser gets CANCEL
 * "Call completed elsewhere". Without the permission, the code goes to the
 * PBX like any other number.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JournalEntry } from '#shared/api.ts';
import { pollUntil } from '../pbx/sys.ts';
import { startCallWorld, type CallWorld } from './support/call-world.ts';

const PBX_HZ = 440;
let w: CallWorld;

before(async () => {
  w = await startCallWorld({
    lines: '201-202',
    pickupCode: '*8<NUMBER>',
    users: [
      { username: 'alice', lines: ['pbx/201'] },
      { username: 'bob', lines: ['pbx/202'], pickup: true },
      { username: 'carol', lines: ['pbx/202'] },
    ],
  });
});

after(async () => {
  await (w as CallWorld | undefined)?.stop();
});

describe('pickup', () => {
  it('a colleague with the permission picks up a ringing call at the gateway', async (t) => {
    const alice = await w.phone('alice');
    const bob = await w.phone('bob');
    t.after(() => Promise.all([alice.close(), bob.close()]));
    const caller = await w.pbx.addPhone('203', { toneHz: PBX_HZ });
    t.after(() => caller.stop());
    await caller.dial('201');
    await alice.waitEvent('incoming');
    await bob.call('*8201');
    await bob.waitEvent('confirmed');
    await caller.waitEvent('CALL_ESTABLISHED', 10_000);
    const cancelled = await alice.waitEvent('failed');
    assert.match(cancelled.headers['reason']?.[0] ?? '', /cause=200/);
    const heard = await bob.listen({ ms: 800 });
    assert.ok(Math.abs(heard.dominantHz - PBX_HZ) < 25, `bob heard ${heard.dominantHz} Hz`);
    await w.waitLog((r) => r['msg'] === 'picked up at the gateway' && r['by'] === 'bob');
    await bob.hangup();
    await caller.waitEvent('CALL_CLOSED', 10_000);
    // Alice's journal: the call on her line, answered — picked up by bob.
    const cookie = await w.signIn('alice');
    let entry: JournalEntry | undefined;
    await pollUntil(async () => {
      entry = (await w.journal(cookie)).find((e) => e.remoteNumber === '203' && e.endedAt);
      return entry !== undefined;
    }, 10_000);
    assert.deepEqual(
      [entry?.direction, entry?.line, entry?.result, entry?.user, entry?.pickedUp],
      ['incoming', 'pbx/201', 'answered', 'bob', true],
    );
  });

  it('without the permission the pickup code is an ordinary call to the PBX', async (t) => {
    const alice = await w.phone('alice');
    const carol = await w.phone('carol');
    t.after(() => Promise.all([alice.close(), carol.close()]));
    const caller = await w.pbx.addPhone('204', { toneHz: PBX_HZ });
    t.after(() => caller.stop());
    await caller.dial('201');
    await alice.waitEvent('incoming');
    await carol.call('*8201');
    // The test PBX's *8 answers the picker with 480 (it cannot bridge: test/pbx/README.md).
    const failed = await carol.waitEvent('failed');
    assert.ok((failed.statusCode ?? 0) >= 400);
    assert.equal(alice.events().filter((e) => e.name === 'failed').length, 0, 'alice still rings');
    await caller.hangup();
  });
});
