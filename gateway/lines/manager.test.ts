import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configSchema } from '../config/schema.ts';
import { createLogger } from '../log.ts';
import { callId, getHeader } from '../sip/message/headers.ts';
import { LineManager, type LineManagerOptions } from './manager.ts';
import type { FailureReason } from './machine.ts';
import {
  cseqOf,
  expiresOf,
  fakeSip,
  FakeRegistrar,
  hasCredentials,
  lineOf,
  TestClock,
  type RegistrarOptions,
} from './test-support.ts';

const log = createLogger('silent');
const REGISTRAR = { host: '192.0.2.1', port: 5060 };

function config(group: Record<string, unknown> = {}, lines?: unknown[]) {
  return configSchema.parse({
    lineGroups: [
      {
        id: 'hfo',
        registrar: REGISTRAR,
        reregisterSeconds: 600,
        registerDelayMs: 300,
        natRefreshSeconds: 0,
        lines: lines ?? [{ usernames: '201-203', password: 'pw' }],
        ...group,
      },
    ],
  });
}

function setup(opts: RegistrarOptions = {}, extra: Partial<LineManagerOptions> = {}) {
  const clock = new TestClock();
  const registrar = new FakeRegistrar({ password: () => 'pw', ...opts });
  const sip = fakeSip(clock, registrar);
  const failures: { group: string; reason: FailureReason }[] = [];
  const manager = new LineManager({
    sip: sip.stack,
    log,
    clock,
    wallNow: () => 1_700_000_000_000 + clock.now(),
    random: () => 0.5,
    resolve: (host) => Promise.resolve(host === 'pbx.example' ? ['198.51.100.7'] : [host]),
    onFailure: (group, reason) => failures.push({ group, reason }),
    ...extra,
  });
  const state = (id: string) =>
    manager
      .status()
      .groups.flatMap((g) => g.lines)
      .find((l) => l.id === id);
  return { clock, registrar, sip, manager, failures, state };
}

describe('line manager: registration', () => {
  it('registers the lines of a group one after another, registerDelayMs apart, in config order', async () => {
    const t = setup();
    t.manager.apply(config());
    await t.clock.advance(2000);
    const first = new Map<string, number>();
    for (const s of t.sip.registers()) if (!first.has(lineOf(s))) first.set(lineOf(s), s.at);
    assert.deepEqual(
      [...first],
      [
        ['201', 0],
        ['202', 300],
        ['203', 600],
      ],
    );
    assert.deepEqual(t.manager.status().counts.registered, 3);
  });

  it('answers the 401 with digest, then refreshes ahead of the granted expiry with one Call-ID and a growing CSeq', async () => {
    const t = setup({ grant: () => 120 });
    t.manager.apply(config({}, [{ usernames: '201', password: 'pw' }]));
    await t.clock.advance(10);
    const [challenged, authed] = t.sip.registers();
    assert.ok(challenged && authed);
    assert.equal(hasCredentials(challenged), false);
    assert.equal(hasCredentials(authed), true);
    const s = t.state('hfo/201');
    assert.equal(s?.state, 'registered');
    assert.equal(s.until, new Date(1_700_000_000_000 + 5 + 120_000 + 5).toISOString());
    // 120 s granted (not the 600 asked): refresh 12 s before it runs out (machine.ts).
    await t.clock.advance(108_000);
    const refresh = t.sip.registers().at(-1)!;
    assert.equal(refresh.at, 10 + 108_000 - 0);
    assert.equal(hasCredentials(refresh), true, 'the nonce is re-used: no new 401 round trip');
    assert.equal(t.sip.registers().length, 3);
    const ids = new Set(t.sip.registers().map((r) => callId(r.request)));
    assert.equal(ids.size, 1);
    const seqs = t.sip.registers().map(cseqOf);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
    assert.equal(new Set(seqs).size, seqs.length);
  });

  it('registers the Contact sip:<username>@<our sent-by>', async () => {
    const t = setup();
    t.manager.apply(config({}, [{ usernames: '22', password: 'pw' }]));
    await t.clock.advance(10);
    assert.match(
      getHeader(t.sip.registers()[0]!.request, 'Contact') ?? '',
      /^<sip:22@192\.0\.2\.10:5062>;expires=600$/,
    );
    assert.equal(t.registrar.bindings.get('22')?.contact, 'sip:22@192.0.2.10:5062');
  });

  it('answers a 407 (proxy challenge) too', async () => {
    const t = setup({ proxy: true });
    t.manager.apply(config({}, [{ usernames: '201', password: 'pw' }]));
    await t.clock.advance(20);
    assert.equal(t.state('hfo/201')?.state, 'registered');
  });

  it('423: registers again at once with Min-Expires', async () => {
    const t = setup();
    t.registrar.override = (req) =>
      expiresOf({ at: 0, request: req, dest: { kind: 'udp', ...REGISTRAR } }) < 900
        ? { kind: 'reply', status: 423, headers: [{ name: 'Min-Expires', value: '900' }] }
        : undefined;
    t.manager.apply(config({}, [{ usernames: '201', password: 'pw' }]));
    await t.clock.advance(50);
    assert.deepEqual(t.sip.registers().map(expiresOf), [600, 900, 900]);
    assert.equal(t.state('hfo/201')?.state, 'registered');
  });

  it('times out, backs off (retrySeconds with jitter), then registers when the PBX answers again', async () => {
    const t = setup();
    t.registrar.override = () => ({ kind: 'drop' });
    t.manager.apply(config({ retrySeconds: 20 }, [{ usernames: '201', password: 'pw' }]));
    await t.clock.advance(32_000);
    const s = t.state('hfo/201');
    assert.equal(s?.state, 'retrying');
    assert.match(s.reason ?? '', /timeout/);
    assert.deepEqual(
      t.failures.map((f) => f.reason.kind),
      ['timeout'],
    );
    // random 0.5 → 75 % of 20 s.
    t.registrar.override = undefined;
    await t.clock.advance(14_900);
    assert.equal(t.sip.registers().length, 1);
    await t.clock.advance(200);
    assert.equal(t.state('hfo/201')?.state, 'registered');
  });

  it('a wrong password fails with a clear reason and waits minutes, not seconds', async () => {
    const t = setup({ password: () => 'right' });
    t.manager.apply(config({ retrySeconds: 1 }, [{ usernames: '201', password: 'wrong' }]));
    await t.clock.advance(100);
    const s = t.state('hfo/201');
    assert.equal(s?.state, 'failed');
    assert.match(s.reason ?? '', /refused the credentials of auth user "201"/);
    assert.equal(t.sip.registers().length, 2, 'REGISTER, 401, REGISTER with credentials, 401');
    await t.clock.advance(140_000);
    assert.equal(t.sip.registers().length, 2, 'no retry storm');
    await t.clock.advance(200_000);
    assert.equal(
      t.sip.registers().length,
      4,
      'one more attempt after the auth back-off, starting afresh',
    );
    assert.equal(hasCredentials(t.sip.registers()[2]!), false);
  });

  it('503 with Retry-After: waits at least that long', async () => {
    const t = setup();
    t.registrar.override = () => ({
      kind: 'reply',
      status: 503,
      headers: [{ name: 'Retry-After', value: '120' }],
    });
    t.manager.apply(config({ retrySeconds: 5 }, [{ usernames: '201', password: 'pw' }]));
    await t.clock.advance(119_000);
    assert.equal(t.sip.registers().length, 1);
    assert.equal(t.state('hfo/201')?.state, 'retrying');
    assert.equal(t.failures[0]?.reason.kind, 'rejected');
  });

  it('a DNS failure of the registrar is named in the reason', async () => {
    const t = setup(
      {},
      { resolve: () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' })) },
    );
    t.registrar.override = () => ({ kind: 'transport-error' });
    t.manager.apply(
      config({ registrar: { host: 'no.such.pbx' } }, [{ usernames: '201', password: 'pw' }]),
    );
    await t.clock.advance(10);
    const s = t.state('hfo/201');
    assert.equal(s?.state, 'retrying');
    assert.match(s.reason ?? '', /cannot resolve "no\.such\.pbx": ENOTFOUND/);
  });

  it('re-registers after a PBX restart that forgot its nonces (refused nonce: start afresh once)', async () => {
    const t = setup({ grant: () => 60 });
    t.manager.apply(config({}, [{ usernames: '201', password: 'pw' }]));
    await t.clock.advance(10);
    t.registrar.restart();
    await t.clock.advance(60_000);
    assert.equal(t.state('hfo/201')?.state, 'registered');
    assert.equal(t.registrar.bindings.has('201'), true);
    assert.equal(t.failures.length, 0);
  });

  it('reports contacts of other devices on the account', async () => {
    const t = setup({ foreign: () => ['sip:201@10.9.9.9:5060'] });
    t.manager.apply(config({}, [{ usernames: '201', password: 'pw' }]));
    await t.clock.advance(10);
    assert.deepEqual(t.state('hfo/201')?.foreignContacts, ['sip:201@10.9.9.9:5060']);
  });

  it('numbers: auto takes P-Associated-URI, else the AOR user; listed numbers stay', async () => {
    const t = setup({
      okHeaders: [
        {
          name: 'P-Associated-URI',
          value: '<sip:+498912345201@pbx;user=phone>, <tel:+49-89-12345-0>',
        },
      ],
    });
    t.manager.apply(
      config({}, [
        { usernames: '201', password: 'pw', numbers: 'auto' },
        { usernames: '202', password: 'pw', numbers: ['0815'] },
      ]),
    );
    await t.clock.advance(1000);
    assert.deepEqual(t.state('hfo/201')?.numbers, ['+498912345201', '+4989123450']);
    assert.deepEqual(t.state('hfo/202')?.numbers, ['0815']);
  });

  it('with registerDelayMs 0 at most `window` lines wait for an answer at once', async () => {
    const t = setup({}, { window: 4 });
    t.manager.apply(config({ registerDelayMs: 0 }, [{ usernames: '1000-1019', password: 'pw' }]));
    await t.clock.advance(0);
    assert.equal(t.sip.registers().length, 4);
    await t.clock.advance(200);
    assert.equal(t.manager.status().counts.registered, 20);
  });
});

describe('line manager: stop', () => {
  it('un-REGISTERs (expires 0) every registered line and leaves the registrar empty', async () => {
    const t = setup();
    t.manager.apply(config());
    await t.clock.advance(1000);
    assert.equal(t.registrar.bindings.size, 3);
    const stopped = t.manager.stop();
    await t.clock.advance(100);
    await stopped;
    assert.equal(t.registrar.bindings.size, 0);
    assert.deepEqual(t.sip.registers().slice(-3).map(expiresOf), [0, 0, 0]);
  });

  it('does not wait longer than its bound for a PBX that does not answer', async () => {
    const t = setup();
    t.manager.apply(config({}, [{ usernames: '201', password: 'pw' }]));
    await t.clock.advance(10);
    t.registrar.override = () => ({ kind: 'drop' });
    let done = false;
    const stopped = t.manager.stop(3000).then(() => (done = true));
    await t.clock.advance(2900);
    assert.equal(done, false);
    await t.clock.advance(200);
    await stopped;
    assert.equal(done, true);
    assert.equal(t.clock.pending > 0, true, 'only the fake transaction timer is left');
  });

  it('sends nothing for lines that never registered', async () => {
    const t = setup({ password: () => 'other' });
    t.manager.apply(config({}, [{ usernames: '201', password: 'pw' }]));
    await t.clock.advance(10);
    const before = t.sip.registers().length;
    await t.manager.stop();
    assert.equal(t.sip.registers().length, before);
  });
});
