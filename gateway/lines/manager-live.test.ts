/** The line manager under live config changes, NAT keep-alives and inbound matching (fake time). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configSchema } from '../config/schema.ts';
import { createLogger } from '../log.ts';
import { LineManager } from './manager.ts';
import { expiresOf, fakeSip, FakeRegistrar, lineOf, TestClock } from './test-support.ts';

const log = createLogger('silent');

function group(over: Record<string, unknown> = {}) {
  return {
    id: 'hfo',
    registrar: { host: '192.0.2.1', port: 5060 },
    registerDelayMs: 300,
    natRefreshSeconds: 0,
    lines: [{ usernames: '201-202', password: 'pw' }],
    ...over,
  };
}

const config = (...groups: Record<string, unknown>[]) => configSchema.parse({ lineGroups: groups });

function setup() {
  const clock = new TestClock();
  const registrar = new FakeRegistrar({ password: () => 'pw' });
  const sip = fakeSip(clock, registrar);
  const manager = new LineManager({
    sip: sip.stack,
    log,
    clock,
    random: () => 0.5,
    resolve: (host) =>
      Promise.resolve(host === 'pbx.example' ? ['198.51.100.7', '2001:db8::7'] : [host]),
  });
  const line = (id: string) =>
    manager
      .status()
      .groups.flatMap((g) => g.lines)
      .find((l) => l.id === id);
  return { clock, registrar, sip, manager, line };
}

describe('line manager: live config changes', () => {
  it('a new line registers, a removed line un-REGISTERs, untouched lines send nothing', async () => {
    const t = setup();
    t.manager.apply(config(group()));
    await t.clock.advance(1000);
    const before = t.sip.registers().length;
    const summary = t.manager.apply(
      config(group({ lines: [{ usernames: '202-203', password: 'pw' }] })),
    );
    assert.deepEqual(summary, { added: 1, removed: 1, changed: 0 });
    await t.clock.advance(1000);
    const since = t.sip.registers().slice(before);
    assert.deepEqual(
      since.map((s) => [lineOf(s), expiresOf(s)]),
      [
        ['201', 0],
        ['203', 600],
        ['203', 600],
      ],
    );
    assert.deepEqual([...t.registrar.bindings.keys()].sort(), ['202', '203']);
    assert.deepEqual(
      t.manager.status().groups[0]?.lines.map((l) => l.id),
      ['hfo/202', 'hfo/203'],
    );
  });

  it('a fixed password re-registers the failed line at its turn in the start queue, not after the back-off', async () => {
    const t = setup();
    t.manager.apply(config(group({ lines: [{ usernames: '201', password: 'typo' }] })));
    await t.clock.advance(100);
    assert.equal(t.line('hfo/201')?.state, 'failed');
    t.manager.apply(config(group({ lines: [{ usernames: '201', password: 'pw' }] })));
    await t.clock.advance(100);
    assert.equal(
      t.line('hfo/201')?.state,
      'failed',
      'through the start queue: registerDelayMs after the last start',
    );
    await t.clock.advance(300);
    assert.equal(t.line('hfo/201')?.state, 'registered');
  });

  it('a new password for a registered line: REGISTER again now, same binding', async () => {
    const t = setup();
    t.manager.apply(config(group({ lines: [{ usernames: '201', password: 'pw' }] })));
    await t.clock.advance(100);
    const n = t.sip.registers().length;
    t.manager.apply(
      config(group({ lines: [{ usernames: '201', password: 'pw', authUser: 'x201' }] })),
    );
    await t.clock.advance(400);
    const again = t.sip.registers().slice(n);
    assert.ok(again.length >= 1);
    assert.ok(
      again.every((s) => expiresOf(s) === 600),
      'no un-REGISTER in between',
    );
    assert.match(JSON.stringify(again.at(-1)!.request.headers), /username=\\"x201\\"/);
    assert.equal(t.line('hfo/201')?.state, 'registered');
  });

  it('another registrar: un-REGISTER at the old one, REGISTER at the new one', async () => {
    const t = setup();
    t.manager.apply(config(group({ lines: [{ usernames: '201', password: 'pw' }] })));
    await t.clock.advance(100);
    const n = t.sip.registers().length;
    t.manager.apply(
      config(
        group({ registrar: { host: '192.0.2.2' }, lines: [{ usernames: '201', password: 'pw' }] }),
      ),
    );
    await t.clock.advance(1000);
    const moves = t.sip
      .registers()
      .slice(n)
      .map((s) => [s.dest.kind === 'udp' ? s.dest.host : '', expiresOf(s)]);
    assert.deepEqual(moves[0], ['192.0.2.1', 0]);
    assert.ok(moves.slice(1).every(([h, e]) => h === '192.0.2.2' && e === 600));
    assert.equal(t.line('hfo/201')?.state, 'registered');
  });

  it('a line removed and added again waits for its un-REGISTER before registering', async () => {
    const t = setup();
    t.manager.apply(config(group({ lines: [{ usernames: '201', password: 'pw' }] })));
    await t.clock.advance(100);
    const n = t.sip.registers().length;
    t.manager.apply(config(group({ lines: [] })));
    t.manager.apply(config(group({ lines: [{ usernames: '201', password: 'pw' }] })));
    await t.clock.advance(1000);
    const [unregister, next] = t.sip.registers().slice(n);
    assert.ok(unregister && next);
    assert.equal(expiresOf(unregister), 0);
    assert.equal(expiresOf(next), 600);
    assert.ok(next.at >= unregister.at + 5, 'sent after the un-REGISTER was answered');
    assert.equal(t.registrar.bindings.has('201'), true, 'the new binding survives');
  });

  it('a removed group un-REGISTERs all its lines', async () => {
    const t = setup();
    t.manager.apply(
      config(
        group(),
        group({
          id: 'other',
          registrar: { host: '192.0.2.9' },
          lines: [{ usernames: '301', password: 'pw' }],
        }),
      ),
    );
    await t.clock.advance(1000);
    assert.equal(t.registrar.bindings.size, 3);
    t.manager.apply(
      config(
        group({
          id: 'other',
          registrar: { host: '192.0.2.9' },
          lines: [{ usernames: '301', password: 'pw' }],
        }),
      ),
    );
    await t.clock.advance(100);
    assert.deepEqual([...t.registrar.bindings.keys()], ['301']);
    assert.deepEqual(
      t.manager.status().groups.map((g) => g.id),
      ['other'],
    );
  });
});

describe('line manager: NAT keep-alive', () => {
  it('sends OPTIONS to the registrar every natRefreshSeconds while lines are registered and nothing else went there', async () => {
    const t = setup();
    t.manager.apply(
      config(group({ natRefreshSeconds: 30, lines: [{ usernames: '201', password: 'pw' }] })),
    );
    await t.clock.advance(95_000);
    const options = t.sip.sent.filter((s) => s.request.method === 'OPTIONS');
    assert.deepEqual(
      options.map((s) => Math.round(s.at / 1000)),
      [30, 60, 90],
    );
    assert.equal(options[0]?.dest.kind === 'udp' && options[0].dest.host, '192.0.2.1');
  });

  it('is skipped while REGISTERs refresh the mapping anyway, and off with 0', async () => {
    const t = setup();
    t.manager.apply(
      config(
        group({
          natRefreshSeconds: 30,
          reregisterSeconds: 20,
          lines: [{ usernames: '201', password: 'pw' }],
        }),
      ),
    );
    await t.clock.advance(95_000);
    assert.equal(t.sip.sent.filter((s) => s.request.method === 'OPTIONS').length, 0);
    const u = setup();
    u.manager.apply(config(group({ natRefreshSeconds: 0 })));
    await u.clock.advance(300_000);
    assert.equal(u.sip.sent.filter((s) => s.request.method === 'OPTIONS').length, 0);
  });

  it('sends nothing while no line is registered', async () => {
    const t = setup();
    t.manager.apply(
      config(group({ natRefreshSeconds: 10, lines: [{ usernames: '201', password: 'bad' }] })),
    );
    await t.clock.advance(60_000);
    assert.equal(t.sip.sent.filter((s) => s.request.method === 'OPTIONS').length, 0);
  });
});

describe('line manager: which line is a request for', () => {
  it('accepts only the registrar (resolved) and trustedAddresses, then finds the line by user or number', async () => {
    const t = setup();
    t.manager.apply(
      config(
        group({
          registrar: { host: 'pbx.example' },
          trustedAddresses: ['203.0.113.5'],
          lines: [{ usernames: '201', password: 'pw', numbers: ['+4989123201'] }],
        }),
      ),
    );
    await t.manager.resolved();
    assert.deepEqual(t.manager.match('198.51.100.7', ['201']), {
      kind: 'line',
      id: 'hfo/201',
      registered: false,
    });
    assert.equal(t.manager.match('::ffff:198.51.100.7', ['201']).kind, 'line');
    assert.equal(t.manager.match('2001:DB8::7', ['201']).kind, 'line');
    assert.equal(t.manager.match('203.0.113.5', ['x', '+4989123201']).kind, 'line');
    assert.deepEqual(t.manager.match('203.0.113.6', ['201']), { kind: 'untrusted' });
    assert.deepEqual(t.manager.match('198.51.100.7', ['999']), { kind: 'unknown-user' });
  });

  it('with no line groups there is nothing to protect', () => {
    const t = setup();
    t.manager.apply(config());
    assert.deepEqual(t.manager.match('203.0.113.6', ['x']), { kind: 'no-lines' });
  });
});
