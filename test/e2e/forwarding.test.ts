/**
 * Server-side call forwarding (seeds 001/002, issue #7) against the
 * Kamailio test PBX, which follows a 302 to its target (follow302): rules
 * set over the API by the signed-in user; "always, internal calls" sends
 * an internal caller to another phone while an "external" rule lets it
 * ring; "busy" forwards only a second call during a call; the journal
 * says where forwarded calls went; and with mailboxForwarding a user who is
 * not signed in gets the calls in their mailbox (seed 002).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { ForwardRule, JournalPage } from '#shared/api.ts';
import { startCallWorld, type CallWorld } from './support/call-world.ts';

let w: CallWorld;
let cookie: string;
let base: string;

before(async () => {
  w = await startCallWorld({
    lines: '201',
    users: [{ username: 'alice', lines: ['pbx/201'], mailbox: '208' }],
    mailboxForwarding: true,
    // A cloud PBX in Munich whose DIDs are +49 89 12345 <extension>.
    location: {
      countryCode: '49',
      areaCode: '89',
      outsideLine: '',
      pbxNumber: '12345',
      extensionDigits: 3,
    },
  });
  await w.pbx.kamcmd('htable.seti', 'opt', 'follow302', '1');
  base = `http://127.0.0.1:${w.gateway.http.port}`;
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: 'pw-alice' }),
  });
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
});

after(async () => {
  await (w as CallWorld | undefined)?.stop();
});

async function setRules(rules: Partial<ForwardRule>[]): Promise<Response> {
  const full = rules.map((r) => ({
    line: 'pbx/201',
    when: 'always',
    calls: 'all',
    target: '206',
    enabled: true,
    ...r,
  }));
  return fetch(`${base}/api/forwarding`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ rules: full }),
  });
}

async function phones(t: TestContext, ...exts: string[]) {
  const list = await Promise.all(exts.map((e) => w.pbx.addPhone(e)));
  t.after(() => Promise.all(list.map((p) => p.stop())));
  return list;
}

describe('forwarding', () => {
  it('refuses rules for lines that are not yours and undialable targets', async () => {
    assert.equal((await setRules([{ line: 'pbx/999' }])).status, 400);
    const bad = await setRules([{ target: 'reception' }]);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /rule 0: target/);
  });

  it('always/internal: an internal caller goes to the target by 302; an external rule lets it ring', async (t) => {
    const alice = await w.phone('alice');
    t.after(() => alice.close());
    const [caller, target] = await phones(t, '203', '206');
    assert.ok(caller && target);
    assert.equal((await setRules([{ calls: 'external' }])).status, 200);
    await caller.dial('201');
    await alice.waitEvent('incoming');
    await caller.hangup();
    await alice.waitEvent('failed');
    assert.equal((await setRules([{ calls: 'internal' }])).status, 200);
    await caller.dial('201');
    await target.waitEvent('CALL_ESTABLISHED', 10_000);
    assert.equal(alice.events().filter((e) => e.name === 'incoming').length, 1);
    await caller.hangup();
  });

  it('busy: only a second call during a call is forwarded; the journal says where', async (t) => {
    const alice = await w.phone('alice');
    t.after(() => alice.close());
    const [first, second, target] = await phones(t, '204', '205', '207');
    assert.ok(first && second && target);
    assert.equal((await setRules([{ when: 'busy', target: '207' }])).status, 200);
    await first.dial('201');
    await alice.waitEvent('incoming');
    await alice.answer();
    await first.waitEvent('CALL_ESTABLISHED', 10_000);
    await second.dial('201');
    await target.waitEvent('CALL_ESTABLISHED', 10_000);
    assert.equal(alice.events().filter((e) => e.name === 'incoming').length, 1);
    await second.hangup();
    await first.hangup();
    await alice.waitEvent('ended');
    const page = (await (
      await fetch(`${base}/api/journal?result=forwarded`, { headers: { cookie } })
    ).json()) as JournalPage;
    const forwarded = page.entries.find((e) => e.remoteNumber === '205');
    assert.deepEqual(
      [forwarded?.forwardedTo, forwarded?.forwardedBy, forwarded?.status],
      ['207', 'alice', 302],
    );
    await setRules([]);
  });

  it("mailbox forwarding: with nobody signed in, calls go to the user's mailbox", async (t) => {
    const [caller, mailbox] = await phones(t, '209', '208');
    assert.ok(caller && mailbox);
    await caller.dial('201');
    await mailbox.waitEvent('CALL_ESTABLISHED', 10_000);
    await caller.hangup();
    await w.waitLog((r) => r['msg'] === 'call forwarded' && r['why'] === 'mailbox');
  });

  it('dialling rules: the full number of a colleague (+49 89 12345 207) is dialled as extension 207', async (t) => {
    const alice = await w.phone('alice');
    t.after(() => alice.close());
    const [colleague] = await phones(t, '207');
    assert.ok(colleague);
    await alice.call('+4989 12345-207'.replace(/[ -]/g, ''));
    const answered = await colleague.waitEvent('CALL_ESTABLISHED', 10_000);
    assert.match(answered.peeruri, /sip:201@/);
    await alice.waitEvent('confirmed');
    await alice.hangup();
    await colleague.waitEvent('CALL_CLOSED', 10_000);
  });

  it('after a gateway restart the session, the rules and the journal are still there', async () => {
    assert.equal((await setRules([{ calls: 'external', target: '209' }])).status, 200);
    await w.restartGateway();
    base = `http://127.0.0.1:${w.gateway.http.port}`;
    const rules = (await (
      await fetch(`${base}/api/forwarding`, { headers: { cookie } })
    ).json()) as { rules: ForwardRule[] };
    assert.deepEqual(
      rules.rules.map((r) => [r.calls, r.target]),
      [['external', '209']],
    );
    const page = (await (
      await fetch(`${base}/api/journal?limit=200`, { headers: { cookie } })
    ).json()) as JournalPage;
    const results = new Set(page.entries.map((e) => e.result));
    for (const want of ['forwarded', 'answered', 'missed'] as const)
      assert.ok(results.has(want), `${want} in ${[...results].join(', ')}`);
    assert.ok(
      page.entries.every((e) => e.result !== undefined),
      'every call has its end',
    );
    await setRules([]);
  });
});
