/**
 * Calls outlive their session timers (issue #5: "a call lasting longer than
 * 2 minutes does not drop"). JsSIP runs RFC 4028 session timers by default
 * (90 s, refreshed by UPDATE at 45 s; the non-refresher hangs up at 99 s),
 * so two calls — one each way, i.e. JsSIP as refresher once as UAC and once
 * as UAS — must still be up, with audio both ways, after 130 s. This file
 * runs beside calls.test.ts (its own world), so it costs CI no extra time.
 */
import assert from 'node:assert/strict';
import { setTimeout as wait } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import { startCallWorld, type CallWorld } from './support/call-world.ts';

const PBX_HZ = 440;
/** Longer than JsSIP's 99 s expiry and our own 60 s (RFC 4028 §10) for a 90 s interval. */
const HOLD_CALL_MS = 130_000;

let w: CallWorld;

before(async () => {
  w = await startCallWorld({
    lines: '201-202',
    users: [{ username: 'alice', lines: ['pbx/201', 'pbx/202'] }],
  });
});

after(async () => {
  await (w as CallWorld | undefined)?.stop();
});

it(
  'an outgoing and an incoming call both last longer than 2 minutes',
  { timeout: 240_000 },
  async (t) => {
    const out = await w.phone('alice');
    const inc = await w.phone('alice', { codecs: ['PCMA'] });
    t.after(() => Promise.all([out.close(), inc.close()]));
    const callee = await w.pbx.addPhone('203', { toneHz: PBX_HZ });
    const caller = await w.pbx.addPhone('204', { toneHz: PBX_HZ });
    t.after(() => Promise.all([callee.stop(), caller.stop()]));

    await out.call('203');
    await out.waitEvent('confirmed');
    await caller.dial('202');
    // Both pages ring for line 202 (alice owns it); the PCMA page answers, the other declines.
    await inc.waitEvent('incoming');
    await out.waitEvent('incoming');
    await inc.answer();
    await caller.waitEvent('CALL_ESTABLISHED', 10_000);
    await Promise.all([out.waitMedia(), inc.waitMedia()]);

    // Real time is the subject of this test: nothing else can stand in for 130 s of a call.
    await wait(HOLD_CALL_MS);

    for (const phone of [out, inc]) {
      const ended = phone.events().filter((e) => e.name === 'ended' || e.name === 'failed');
      const ours = ended.filter((e) => 'session' in e && e.session === 1);
      assert.deepEqual(ours, [], 'the call did not end');
      const heard = await phone.listen({ ms: 800 });
      assert.ok(Math.abs(heard.dominantHz - PBX_HZ) < 25, `heard ${heard.dominantHz} Hz`);
    }
    assert.equal(callee.events.filter((e) => e.type === 'CALL_CLOSED').length, 0);
    assert.equal(caller.events.filter((e) => e.type === 'CALL_CLOSED').length, 0);
    const expired = w.logs.filter((r) => JSON.stringify(r['cause'] ?? '').includes('expired'));
    assert.deepEqual(expired, []);
    await out.hangup();
    await inc.hangup();
    await callee.waitEvent('CALL_CLOSED', 10_000);
    await caller.waitEvent('CALL_CLOSED', 10_000);
  },
);
