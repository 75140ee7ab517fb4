/**
 * Declining (seed 003, issue #7) against the Kamailio test PBX: a line
 * group with decline.noClient 180 keeps a caller ringing while nobody is
 * signed in (and a colleague can pick it up meanwhile), and with decline.byClient 603 the caller gets 603 whatever the
 * browser refused with.
 */
import assert from 'node:assert/strict';
import { setTimeout as wait } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { JournalEntry, Session } from '#shared/api.ts';
import { pollUntil } from '../pbx/sys.ts';
import { startCallWorld, type CallWorld } from './support/call-world.ts';

const PBX_HZ = 440;

let w: CallWorld;

before(async () => {
  w = await startCallWorld({
    lines: '201-202',
    users: [
      { username: 'alice', lines: ['pbx/201'] },
      { username: 'bob', lines: ['pbx/202'], pickup: true },
      { username: 'carol', lines: ['hold/210'] },
      { username: 'dave', lines: ['busy/207', 'gone/208', 'no/209'] },
    ],
    decline: { noClient: 180, byClient: 603 },
    pickupCode: '*8<NUMBER>',
    moreGroups: [
      { id: 'busy', lines: '207', decline: { noClient: 486 } },
      { id: 'gone', lines: '208', decline: { noClient: 480 } },
      { id: 'no', lines: '209', decline: { noClient: 603 } },
      { id: 'hold', lines: '210', decline: { byClient: 180 } },
    ],
  });
});

after(async () => {
  await (w as CallWorld | undefined)?.stop();
});

function setDnd(cookie: string, line: string, on: boolean): Promise<Response> {
  return fetch(`${w.base}/api/lines/${line}/dnd`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ on }),
  });
}

describe('decline policies', () => {
  it('noClient 180: nobody signed in, the caller keeps ringing until it hangs up', async (t) => {
    const caller = await w.pbx.addPhone('203', { answer: 'auto' });
    t.after(() => caller.stop());
    await caller.dial('201');
    await caller.waitEvent('CALL_RINGING', 10_000);
    // Ringing is the state under test: it must last, so a little real time passes.
    await wait(2000);
    assert.equal(caller.events.filter((e) => e.type === 'CALL_CLOSED').length, 0);
    await caller.hangup();
    await caller.waitEvent('CALL_CLOSED', 10_000);
    await w.waitLog((r) => r['msg'] === 'the caller keeps ringing (decline 180)');
  });

  it('noClient 486, 480, 603: with nobody signed in the caller gets exactly the configured code', async (t) => {
    const caller = await w.pbx.addPhone('203');
    t.after(() => caller.stop());
    for (const [line, code] of [
      ['207', 486],
      ['208', 480],
      ['209', 603],
    ] as const) {
      const before = caller.events.filter((e) => e.type === 'CALL_CLOSED').length;
      await caller.dial(line);
      assert.ok(
        await pollUntil(
          () => caller.events.filter((e) => e.type === 'CALL_CLOSED').length > before,
          10_000,
        ),
        `the call to ${line} ended`,
      );
      const closed = caller.events.filter((e) => e.type === 'CALL_CLOSED').at(-1);
      assert.match(closed?.param ?? '', new RegExp(`^${code}\\b`), `${line}: ${closed?.param}`);
    }
    const journal = await w.journal(await w.signIn('dave'));
    assert.deepEqual(
      ['busy/207', 'gone/208', 'no/209'].map((l) => {
        const e = journal.find((j) => j.line === l);
        return [l, e?.result, e?.status];
      }),
      [
        ['busy/207', 'unavailable', 486],
        ['gone/208', 'unavailable', 480],
        ['no/209', 'unavailable', 603],
      ],
    );
  });

  it('clientChoice: the user chooses busy (486) or decline (603), and the caller gets that', async (t) => {
    const dave = await w.phone('dave');
    t.after(() => dave.close());
    const caller = await w.pbx.addPhone('205');
    t.after(() => caller.stop());
    for (const status of [486, 603] as const) {
      const before = caller.events.filter((e) => e.type === 'CALL_CLOSED').length;
      await caller.dial('207');
      await dave.waitEvent('incoming');
      await dave.hangup({ status });
      assert.ok(
        await pollUntil(
          () => caller.events.filter((e) => e.type === 'CALL_CLOSED').length > before,
          10_000,
        ),
      );
      const closed = caller.events.filter((e) => e.type === 'CALL_CLOSED').at(-1);
      assert.match(closed?.param ?? '', new RegExp(`^${status}\\b`), String(closed?.param));
    }
  });

  it('byClient 180: the user declines, the caller keeps ringing until it hangs up; the journal says declined', async (t) => {
    const carol = await w.phone('carol');
    t.after(() => carol.close());
    const caller = await w.pbx.addPhone('204');
    t.after(() => caller.stop());
    await caller.dial('210');
    await carol.waitEvent('incoming');
    await carol.hangup({ status: 603 });
    await w.waitLog(
      (r) => r['msg'] === 'the caller keeps ringing (decline 180)' && r['why'] === 'declined',
    );
    await caller.waitEvent('CALL_RINGING', 10_000);
    assert.equal(caller.events.filter((e) => e.type === 'CALL_CLOSED').length, 0, 'still ringing');
    await caller.hangup();
    await caller.waitEvent('CALL_CLOSED', 10_000);
    const cookie = await w.signIn('carol');
    let entry: JournalEntry | undefined;
    await pollUntil(async () => {
      entry = (await w.journal(cookie)).find((e) => e.line === 'hold/210' && e.endedAt);
      return entry !== undefined;
    }, 10_000);
    assert.deepEqual([entry?.result, entry?.remoteNumber], ['declined', '204']);
  });

  it('noClient 180: a colleague with the pickup permission sees it ring and picks it up at the gateway', async (t) => {
    const caller = await w.pbx.addPhone('206', { toneHz: PBX_HZ });
    t.after(() => caller.stop());
    await caller.dial('201');
    await caller.waitEvent('CALL_RINGING', 10_000);
    const bobCookie = await w.signIn('bob');
    const seen = await fetch(`${w.base}/api/session`, { headers: { cookie: bobCookie } });
    const colleagues = ((await seen.json()) as Session).colleagues ?? [];
    assert.deepEqual(
      colleagues.map((c) => [c.id, c.ringing, c.pickup]),
      [['pbx/201', 1, '*8201']],
    );
    const bob = await w.phone('bob');
    t.after(() => bob.close());
    await bob.call('*8201');
    await bob.waitEvent('confirmed');
    await caller.waitEvent('CALL_ESTABLISHED', 10_000);
    const heard = await bob.listen({ ms: 800 });
    assert.ok(Math.abs(heard.dominantHz - PBX_HZ) < 25, `bob heard ${heard.dominantHz} Hz`);
    await bob.hangup();
    await caller.waitEvent('CALL_CLOSED', 10_000);
    const aliceCookie = await w.signIn('alice');
    let entry: JournalEntry | undefined;
    await pollUntil(async () => {
      entry = (await w.journal(aliceCookie)).find((e) => e.remoteNumber === '206' && e.endedAt);
      return entry !== undefined;
    }, 10_000);
    assert.deepEqual(
      [entry?.line, entry?.result, entry?.user, entry?.pickedUp],
      ['pbx/201', 'answered', 'bob', true],
    );
  });

  it('byClient 603: the browser refuses with 486, the caller gets 603', async (t) => {
    const alice = await w.phone('alice');
    t.after(() => alice.close());
    const caller = await w.pbx.addPhone('204');
    t.after(() => caller.stop());
    await caller.dial('201');
    await alice.waitEvent('incoming');
    await alice.hangup({ status: 486 });
    const closed = await caller.waitEvent('CALL_CLOSED', 10_000);
    assert.match(closed.param, /603/);
  });

  it('do-not-disturb: the line of a signed-in user refuses calls like one nobody is signed in for', async (t) => {
    const alice = await w.phone('alice');
    t.after(() => alice.close());
    const cookie = await w.signIn('alice');
    assert.equal((await setDnd(cookie, 'pbx/202', true)).status, 403, 'not her line');
    assert.equal((await setDnd(cookie, 'pbx/201', true)).status, 204);
    const caller = await w.pbx.addPhone('205');
    t.after(() => caller.stop());
    await caller.dial('201');
    await caller.waitEvent('CALL_RINGING', 10_000);
    await w.waitLog((r) => r['msg'] === 'do-not-disturb: the call gets decline.noClient');
    assert.equal(alice.events().filter((e) => e.name === 'incoming').length, 0);
    await caller.hangup();
    await caller.waitEvent('CALL_CLOSED', 10_000);
    assert.equal((await setDnd(cookie, 'pbx/201', false)).status, 204);
    await caller.dial('201');
    await alice.waitEvent('incoming');
    await alice.hangup();
    await caller.waitEvent('CALL_CLOSED', 10_000);
  });

  it('after a gateway restart: do-not-disturb is still on, and the journal still has these calls', async () => {
    const cookie = await w.signIn('alice');
    assert.equal((await setDnd(cookie, 'pbx/201', true)).status, 204);
    await w.restartGateway();
    const again = await w.signIn('alice');
    const session = (await (
      await fetch(`${w.base}/api/session`, { headers: { cookie: again } })
    ).json()) as Session;
    assert.deepEqual(
      session.lines.map((l) => [l.id, l.dnd]),
      [['pbx/201', true]],
    );
    const journal = await w.journal(again);
    const picked = journal.find((e) => e.remoteNumber === '206');
    assert.deepEqual([picked?.result, picked?.user, picked?.pickedUp], ['answered', 'bob', true]);
    assert.ok(
      journal.every((e) => e.result !== undefined),
      'every call has its end',
    );
    const dave = await w.journal(await w.signIn('dave'));
    const statuses = (result: string) =>
      dave
        .filter((e) => e.result === result)
        .map((e) => e.status)
        .sort();
    assert.deepEqual(statuses('unavailable'), [480, 486, 603]);
    assert.deepEqual([statuses('busy'), statuses('declined')], [[486], [603]]);
    assert.equal((await setDnd(again, 'pbx/201', false)).status, 204);
  });
});
