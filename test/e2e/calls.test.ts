/**
 * Calls end to end (issue #5), real parts only: headless Chromium running
 * JsSIP against the gateway, the gateway registered at the Kamailio test
 * PBX, baresip phones and SIPp on the PBX side. The browser's microphone
 * plays 1000 Hz and the PBX phones 440 Hz, so each direction is told apart
 * from an echo.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it, type TestContext } from 'node:test';
import { analyzeWav, type Phone } from '../pbx/world.ts';
import { pollUntil } from '../pbx/sys.ts';
import type { BrowserPhone, CallEventOf, Codec } from './support/browser-phone.ts';
import { atLeast, startCallWorld, type CallWorld } from './support/call-world.ts';

const BROWSER_HZ = 1000;
const PBX_HZ = 440;

let w: CallWorld;

before(async () => {
  w = await startCallWorld({
    lines: '201-202',
    browserToneHz: BROWSER_HZ,
    users: [
      { username: 'alice', lines: ['pbx/201', 'pbx/202'] },
      { username: 'bob', lines: ['pbx/201'] },
      { username: 'carol', lines: [] },
    ],
  });
});

after(async () => {
  await (w as CallWorld | undefined)?.stop();
});

afterEach(() => {
  // What the gateway said about calls, for a failure's report (spec reporter shows it per test).
  const tail = w.logs.filter((r) => atLeast(r, 'warn'));
  for (const r of tail) console.log(JSON.stringify(r).slice(0, 500));
  w.logs.length = 0;
});

/** A registered browser page, closed when the test ends whatever happens. */
async function phone(
  t: TestContext,
  username: string,
  opts: { codecs?: Codec[] } = {},
): Promise<BrowserPhone> {
  const p = await w.phone(username, opts);
  t.after(() => p.close());
  return p;
}

/** A baresip phone at the PBX, stopped (un-REGISTERed) when the test ends. */
async function pbxPhone(
  t: TestContext,
  ext: string,
  opts: { toneHz?: number; answer?: 'auto' | 'manual' } = {},
): Promise<Phone> {
  const p = await w.pbx.addPhone(ext, { toneHz: PBX_HZ, ...opts });
  t.after(() => p.stop());
  return p;
}

/** The browser hears the PBX phone's tone. */
async function assertHears(phone: BrowserPhone, hz: number): Promise<void> {
  const heard = await phone.listen({ ms: 800 });
  assert.ok(
    Math.abs(heard.dominantHz - hz) < 25,
    `browser heard ${heard.dominantHz} Hz, not ${hz}`,
  );
  assert.ok(heard.levelDb > -30, `browser heard only ${heard.levelDb} dBFS`);
}

/** The PBX phone recorded the browser's tone (read once the call is over). */
async function assertRecorded(phone: Phone, known: readonly string[] = []): Promise<void> {
  const rec = await analyzeWav(await phone.waitRecording(known));
  assert.ok(
    Math.abs(rec.dominantHz - BROWSER_HZ) < 25,
    `baresip recorded ${rec.dominantHz} Hz, not ${BROWSER_HZ}`,
  );
  assert.ok(rec.rms > 0.05, `baresip recorded rms ${rec.rms}`);
}

function header(e: { headers: Record<string, string[]> }, name: string): string | undefined {
  return e.headers[name.toLowerCase()]?.[0];
}

describe('incoming calls (PBX → browsers)', () => {
  it('rings every device of every owner; the first answer wins, the others get CANCEL with Reason cause=200; Opus both ways; the PBX hangs up', async (t) => {
    const desk = await phone(t, 'alice');
    const mobile = await phone(t, 'alice');
    const bob = await phone(t, 'bob');
    const carol = await phone(t, 'carol');
    const caller = await pbxPhone(t, '203');
    await caller.dial('201');
    const rings = await Promise.all([desk, mobile, bob].map((p) => p.waitEvent('incoming')));
    for (const ring of rings) {
      assert.equal(ring.user, '203', 'the caller number is shown');
      assert.equal(header(ring, 'X-Linegate-Line'), 'pbx/201');
      assert.equal(header(ring, 'X-Linegate-Called'), '201');
    }
    assert.equal(carol.events().filter((e) => e.name === 'incoming').length, 0);
    await caller.waitEvent('CALL_RINGING', 10_000);
    await mobile.answer();
    const cancelled = await Promise.all([desk, bob].map((p) => p.waitEvent('failed')));
    for (const f of cancelled) {
      assert.equal(f.method, 'CANCEL');
      assert.match(header(f, 'Reason') ?? '', /cause=200/);
    }
    await caller.waitEvent('CALL_ESTABLISHED', 10_000);
    const stats = await mobile.waitMedia();
    assert.equal(stats.sendCodec, 'opus');
    await assertHears(mobile, PBX_HZ);
    await caller.hangup();
    const ended = await mobile.waitEvent('ended');
    assert.equal(ended.originator, 'remote');
    await assertRecorded(caller);
    await Promise.all([desk, mobile, bob, carol].map((p) => p.close()));
  });

  it('PCMA from the browser is relayed; the browser hangs up; nobody registered → 486', async (t) => {
    const alice = await phone(t, 'alice', { codecs: ['PCMA'] });
    const caller = await pbxPhone(t, '204');
    await caller.dial('201');
    await alice.waitEvent('incoming');
    await alice.answer();
    await caller.waitEvent('CALL_ESTABLISHED', 10_000);
    const stats = await alice.waitMedia();
    assert.equal(stats.sendCodec, 'PCMA');
    assert.equal(stats.recvCodec, 'PCMA');
    await assertHears(alice, PBX_HZ);
    await w.waitLog((r) => r['msg'] === 'call ended' || r['msg'] === 'incoming call');
    await alice.hangup();
    await caller.waitEvent('CALL_CLOSED', 10_000);
    await assertRecorded(caller);
    const relay = w.logs.find(
      (r) => r['msg'] === 'call ended' && JSON.stringify(r['stats']).includes('"mode":"relay"'),
    );
    assert.ok(relay, 'the call was relayed without transcoding');
    await alice.close();
    // Now nobody is registered for line 202's owner alice: the PBX gets 486.
    await caller.dial('202');
    const closed = await caller.waitEvent('CALL_CLOSED', 10_000);
    assert.match(closed.param, /486/);
  });

  it('late offer: an INVITE without SDP gets our offer in the 200 and the answer from the ACK', async (t) => {
    const alice = await phone(t, 'alice');
    await w.pbx.tone(PBX_HZ);
    const scenario = await w.pbx.scenario('uac-late-offer', { toneHz: PBX_HZ });
    const run = await w.pbx.sipp([
      '-sf',
      scenario,
      '-key',
      'caller',
      '205',
      '-key',
      'callee',
      '201',
      '-au',
      '205',
      '-ap',
      'pw205',
      '-d',
      '4000',
      '-m',
      '1',
      w.pbx.address,
    ]);
    const ring = await Promise.race([
      alice.waitEvent('incoming'),
      run.exited.then((r) => {
        throw new Error(`SIPp ended first (${r.code}):\n${r.stdout}\n${r.stderr}`);
      }),
    ]);
    assert.equal(ring.hasSdp, false, 'the browser makes the offer (incoming.ts says why)');
    await alice.answer();
    await alice.waitMedia();
    await assertHears(alice, PBX_HZ);
    await alice.waitEvent('ended', { timeoutMs: 15_000 });
    const result = await run.exited;
    assert.equal(result.code, 0, result.stdout + result.stderr);
    await alice.close();
  });

  it('call waiting: a second call rings the browser during the first; declined with 486, the first goes on', async (t) => {
    const alice = await phone(t, 'alice');
    const first = await pbxPhone(t, '206');
    await first.dial('201');
    const ring1 = await alice.waitEvent('incoming');
    await alice.answer({ session: ring1.session });
    await first.waitEvent('CALL_ESTABLISHED', 10_000);
    const second = await pbxPhone(t, '207');
    await second.dial('201');
    const ring2 = await alice.waitEvent('incoming', {
      match: (e) => e.session !== ring1.session,
    });
    assert.equal(ring2.user, '207');
    await alice.hangup({ session: ring2.session, status: 486 });
    const closed = await second.waitEvent('CALL_CLOSED', 10_000);
    assert.match(closed.param, /486|Busy/i);
    await assertHears(alice, PBX_HZ);
    await alice.hangup({ session: ring1.session });
    await first.waitEvent('CALL_CLOSED', 10_000);
    await alice.close();
  });

  it('hold from the PBX side reaches the browser (re-INVITE sendonly), and resume', async (t) => {
    const alice = await phone(t, 'alice');
    const caller = await pbxPhone(t, '208');
    await caller.dial('201');
    await alice.waitEvent('incoming');
    await alice.answer();
    await caller.waitEvent('CALL_ESTABLISHED', 10_000);
    await alice.waitMedia();
    await caller.command('hold');
    const held = await alice.waitEvent('hold');
    assert.equal(held.originator, 'remote');
    await caller.command('resume');
    const resumed = await alice.waitEvent('unhold');
    assert.equal(resumed.originator, 'remote');
    await assertHears(alice, PBX_HZ);
    await caller.hangup();
    await alice.waitEvent('ended');
    await alice.close();
  });
});

describe('outgoing calls (browser → PBX)', () => {
  it('Opus on the first line: ringing, answer, both tones, DTMF by INFO and RFC 4733, hold and resume, browser hangs up', async (t) => {
    const callee = await pbxPhone(t, '203');
    const alice = await phone(t, 'alice');
    await alice.call('203');
    const answered = await callee.waitEvent('CALL_ESTABLISHED', 10_000);
    assert.match(answered.peeruri, /sip:201@/, 'the call goes out on line 201');
    await alice.waitEvent('confirmed');
    await alice.waitMedia();
    assert.equal((await alice.mediaStats()).sendCodec, 'opus');
    await assertHears(alice, PBX_HZ);
    await alice.sendDtmf('5');
    assert.equal((await callee.waitEvent('CALL_DTMF_START', 5000)).param, '5');
    await alice.sendDtmf('#', { transport: 'RFC2833' });
    assert.equal((await callee.waitEvent('CALL_DTMF_START', 5000)).param, '#');
    const sdpBefore = callee.events.filter((e) => e.type === 'CALL_REMOTE_SDP').length;
    await alice.hold();
    await alice.unhold();
    await pollUntil(
      () => callee.events.filter((e) => e.type === 'CALL_REMOTE_SDP').length >= sdpBefore + 2,
      5000,
    );
    assert.ok(
      callee.events.filter((e) => e.type === 'CALL_REMOTE_SDP').length >= sdpBefore + 2,
      'hold and resume reached the PBX phone as re-INVITEs',
    );
    await assertHears(alice, PBX_HZ);
    await alice.hangup();
    await callee.waitEvent('CALL_CLOSED', 10_000);
    await assertRecorded(callee);
    await alice.close();
  });

  it('PCMA on the line named in X-Linegate-Line; the PBX hangs up', async (t) => {
    const callee = await pbxPhone(t, '204');
    const alice = await phone(t, 'alice', { codecs: ['PCMA'] });
    await alice.call('204', { extraHeaders: ['X-Linegate-Line: pbx/202'] });
    const answered = await callee.waitEvent('CALL_ESTABLISHED', 10_000);
    assert.match(answered.peeruri, /sip:202@/, 'the call goes out on line 202');
    await alice.waitEvent('confirmed');
    const stats = await alice.waitMedia();
    assert.equal(stats.sendCodec, 'PCMA');
    await assertHears(alice, PBX_HZ);
    await callee.hangup();
    const ended = await alice.waitEvent('ended');
    assert.equal(ended.originator, 'remote');
    await assertRecorded(callee);
    await alice.close();
  });

  it('blind transfer: the browser REFERs its PBX partner to another number; the partner calls it', async (t) => {
    const first = await pbxPhone(t, '205');
    const target = await pbxPhone(t, '206');
    const alice = await phone(t, 'alice');
    await alice.call('205');
    await alice.waitEvent('confirmed');
    await first.waitEvent('CALL_ESTABLISHED', 10_000);
    const outcome = alice.transfer('206', { timeoutMs: 15_000 });
    // The transfer itself: the PBX phone places the call to the target.
    const transferred = await target.waitEvent('CALL_ESTABLISHED', 15_000);
    assert.match(transferred.peeruri, /sip:205@/);
    // The browser hears of it through the NOTIFYs the gateway passes on (or, when
    // the PBX phone hangs up before its last NOTIFY, the 200 sipfrag the gateway sends).
    assert.deepEqual(await outcome, { result: 'accepted' });
    await alice.hangup();
    await alice.waitEvent('ended');
  });

  it('early media: the PBX side plays a tone in its 183 before answering, and the browser hears it', async (t) => {
    const register = await w.pbx.sipp([
      '-sf',
      await w.pbx.scenario('register'),
      '-key',
      'user',
      '209',
      '-au',
      '209',
      '-ap',
      'pw209',
      '-m',
      '1',
      w.pbx.address,
    ]);
    const registered = await register.exited;
    assert.equal(registered.code, 0, registered.stdout + registered.stderr);
    const uas = await w.pbx.sipp(
      [
        '-sf',
        await w.pbx.scenario('uas-early-media'),
        '-p',
        String(register.port),
        '-m',
        '1',
        w.pbx.address,
      ],
      { name: 'early-media' },
    );
    t.after(() => uas.kill());
    const alice = await phone(t, 'alice');
    await alice.call('209');
    const progress = await alice.waitEvent('progress', { match: (e) => e.statusCode === 183 });
    assert.equal(progress.statusCode, 183);
    // Before the answer: what the browser hears is the early media.
    await assertHears(alice, PBX_HZ);
    assert.equal(alice.events().filter((e) => e.name === 'accepted').length, 0, 'not answered yet');
    await alice.waitEvent('confirmed', { timeoutMs: 10_000 });
    await alice.hangup();
    const result = await uas.exited;
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  it('refusals reach the browser with their status: unknown number 404, a line not yours 403, no line 403', async (t) => {
    const alice = await phone(t, 'alice');
    await alice.call('299');
    const unknown: CallEventOf<'failed'> = await alice.waitEvent('failed');
    assert.equal(unknown.statusCode, 404);
    await alice.call('203', { extraHeaders: ['X-Linegate-Line: pbx/999'] });
    const notMine = await alice.waitEvent('failed', { match: (e) => e.statusCode !== 404 });
    assert.equal(notMine.statusCode, 403);
    assert.match(notMine.reasonPhrase ?? '', /not yours/);
    await alice.close();
    const carol = await phone(t, 'carol');
    await carol.call('203');
    const none = await carol.waitEvent('failed');
    assert.equal(none.statusCode, 403);
    await carol.close();
  });

  it('the browser cancels while the PBX phone rings', async (t) => {
    const callee = await pbxPhone(t, '209', { answer: 'manual' });
    const alice = await phone(t, 'alice');
    await alice.call('209');
    await callee.waitEvent('CALL_INCOMING', 10_000);
    await alice.waitEvent('progress');
    await alice.hangup();
    const failed = await alice.waitEvent('failed');
    assert.equal(failed.originator, 'local');
    await callee.waitEvent('CALL_CLOSED', 10_000);
    await alice.close();
  });

  it('a closed browser ends its call: the PBX phone gets BYE', async (t) => {
    const callee = await pbxPhone(t, '210');
    const alice = await phone(t, 'alice');
    await alice.call('210');
    await alice.waitEvent('confirmed');
    await callee.waitEvent('CALL_ESTABLISHED', 10_000);
    await alice.close();
    await callee.waitEvent('CALL_CLOSED', 10_000);
  });
});

describe('journal', () => {
  it('lists the calls of this run for alice with their results (GET /api/journal)', async () => {
    const base = `http://127.0.0.1:${w.gateway.http.port}`;
    const signIn = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'pw-alice' }),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const res = await fetch(`${base}/api/journal?limit=200`, { headers: { cookie } });
    assert.equal(res.status, 200);
    const { entries } = (await res.json()) as {
      entries: { direction: string; result: string; remoteNumber: string; line: string }[];
    };
    const seen = new Set(entries.map((e) => `${e.direction} ${e.result}`));
    for (const want of [
      'incoming answered',
      'incoming unavailable',
      'incoming busy',
      'outgoing answered',
      'outgoing cancelled',
      'outgoing not-found',
    ]) {
      assert.ok(seen.has(want), `${want} in ${[...seen].join(', ')}`);
    }
    assert.ok(entries.every((e) => e.line === 'pbx/201' || e.line === 'pbx/202'));
    const missed = await fetch(`${base}/api/journal?result=bogus`, { headers: { cookie } });
    assert.equal(missed.status, 400);
  });
});
