import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nictDriver, notIgnored } from './fake-clock.ts';
import { type NictInput, type NictState, nonInviteClientStep } from './non-invite-client.ts';
import { transactionContext } from './types.ts';

const udp = transactionContext(false);
const ws = transactionContext(true);
const send: NictInput = { type: 'send' };
const response = (status: number): NictInput => ({ type: 'response', status });
const label = (i: NictInput): string =>
  i.type === 'response' ? String(i.status) : i.type === 'timer' ? `Timer ${i.timer}` : i.type;

describe('NICT over UDP (unreliable)', () => {
  it('sent at 0, retransmitted at 500, 1500, 3500, 7500, 11500 … (E capped at T2), Timer F at 32000 → timeout', () => {
    const d = nictDriver(udp);
    assert.deepEqual(d.feed(send), [
      { type: 'transmit-request' },
      { type: 'start-timer', timer: 'F', ms: 32000 },
      { type: 'start-timer', timer: 'E', ms: 500 },
    ]);
    d.runUntilIdle();
    assert.deepEqual(
      d.times('transmit-request'),
      [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500],
    );
    const reArmed = d
      .effects()
      .flatMap(({ effect }) =>
        effect.type === 'start-timer' && effect.timer === 'E' ? [effect.ms] : [],
      );
    assert.deepEqual(reArmed, [500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000]);
    assert.deepEqual(d.steps.at(-1), {
      at: 32000,
      input: { type: 'timer', timer: 'F' },
      from: 'Trying',
      to: 'Terminated',
      effects: [
        { type: 'cancel-timer', timer: 'E' },
        { type: 'timeout', timer: 'F' },
        { type: 'terminated' },
      ],
    });
  });

  it('1xx → Proceeding: delivered; Timer E keeps running and re-arms with T2; final → Completed; K → terminated', () => {
    const d = nictDriver(udp);
    d.feed(send);
    assert.deepEqual(d.at(100, response(100)), [{ type: 'deliver', status: 100 }]);
    assert.equal(d.state.name, 'Proceeding');
    assert.deepEqual(d.at(200, response(180)), [{ type: 'deliver', status: 180 }]);
    // The E armed at 0 for 500 ms fires in Proceeding: retransmit, then every T2.
    assert.deepEqual(d.at(10_000, response(200)), [
      { type: 'cancel-timer', timer: 'E' },
      { type: 'cancel-timer', timer: 'F' },
      { type: 'deliver', status: 200 },
      { type: 'start-timer', timer: 'K', ms: 5000 },
    ]);
    assert.deepEqual(d.times('transmit-request'), [0, 500, 4500, 8500]);
    d.runUntilIdle();
    assert.deepEqual(d.times('terminated'), [15_000]);
  });

  for (const status of [200, 202, 404, 503, 603]) {
    it(`final ${status} in Trying → delivered once, Completed absorbs retransmissions, Timer K = T4`, () => {
      const d = nictDriver(udp);
      d.feed(send);
      assert.deepEqual(d.at(300, response(status)), [
        { type: 'cancel-timer', timer: 'E' },
        { type: 'cancel-timer', timer: 'F' },
        { type: 'deliver', status },
        { type: 'start-timer', timer: 'K', ms: 5000 },
      ]);
      assert.equal(d.state.name, 'Completed');
      assert.deepEqual(d.at(400, response(status)), []);
      assert.deepEqual(d.at(500, response(100)), []);
      d.runUntilIdle();
      assert.deepEqual(d.times('deliver'), [300]);
      assert.deepEqual(d.times('terminated'), [5300]);
      assert.deepEqual(d.times('transmit-request'), [0]);
    });
  }

  it('Timer F in Proceeding → timeout; E paced at T2 until then', () => {
    const d = nictDriver(udp);
    d.feed(send);
    d.at(100, response(100));
    d.runUntilIdle();
    assert.deepEqual(
      d.times('transmit-request'),
      [0, 500, 4500, 8500, 12500, 16500, 20500, 24500, 28500],
    );
    assert.deepEqual(d.times('timeout'), [32000]);
    assert.equal(d.state.name, 'Terminated');
  });

  for (const [name, prelude] of [
    ['Trying', [] as NictInput[]],
    ['Proceeding', [response(100)]],
  ] as const) {
    it(`transport error in ${name} → transport-failure (TU synthesizes 503), E and F cancelled, terminated`, () => {
      const d = nictDriver(udp);
      d.feed(send);
      for (const input of prelude) d.at(50, input);
      assert.equal(d.state.name, name);
      assert.deepEqual(d.at(700, { type: 'transport-error' }), [
        { type: 'cancel-timer', timer: 'E' },
        { type: 'cancel-timer', timer: 'F' },
        { type: 'transport-failure' },
        { type: 'terminated' },
      ]);
    });
  }

  it('a failed retransmission (Timer E) ends the transaction as a transport failure', () => {
    const d = nictDriver(udp);
    d.feed(send);
    d.transportUp = false;
    d.advanceTo(500);
    assert.deepEqual(d.times('transport-failure'), [500]);
    assert.equal(d.state.name, 'Terminated');
  });

  it('transport error in Completed is ignored (nothing is sent there)', () => {
    assert.deepEqual(
      notIgnored(nonInviteClientStep, { name: 'Completed' }, [{ type: 'transport-error' }], udp),
      [],
    );
  });
});

describe('NICT over WebSocket (reliable)', () => {
  it('sends once: no Timer E; Timer F at 32000 → timeout', () => {
    const d = nictDriver(ws);
    assert.deepEqual(d.feed(send), [
      { type: 'transmit-request' },
      { type: 'start-timer', timer: 'F', ms: 32000 },
    ]);
    d.runUntilIdle();
    assert.deepEqual(d.times('transmit-request'), [0]);
    assert.deepEqual(d.steps.at(-1)?.effects, [
      { type: 'timeout', timer: 'F' },
      { type: 'terminated' },
    ]);
  });

  it('1xx then final → Completed with Timer K = 0 → terminated at once', () => {
    const d = nictDriver(ws);
    d.feed(send);
    assert.deepEqual(d.at(100, response(100)), [{ type: 'deliver', status: 100 }]);
    assert.deepEqual(d.at(200, response(200)), [
      { type: 'cancel-timer', timer: 'F' },
      { type: 'deliver', status: 200 },
      { type: 'start-timer', timer: 'K', ms: 0 },
    ]);
    d.runUntilIdle();
    assert.deepEqual(d.times('terminated'), [200]);
  });

  it('WebSocket closed when the request is sent → transport-failure and terminated at 0', () => {
    const d = nictDriver(ws);
    d.transportUp = false;
    d.feed(send);
    assert.deepEqual(d.steps.at(-1)?.effects, [
      { type: 'cancel-timer', timer: 'F' },
      { type: 'transport-failure' },
      { type: 'terminated' },
    ]);
    assert.deepEqual(d.times('terminated'), [0]);
  });

  it('transport error in Proceeding → transport-failure and terminated', () => {
    const d = nictDriver(ws);
    d.feed(send);
    d.at(100, response(183));
    assert.deepEqual(d.at(200, { type: 'transport-error' }), [
      { type: 'cancel-timer', timer: 'F' },
      { type: 'transport-failure' },
      { type: 'terminated' },
    ]);
  });
});

describe('NICT inputs that mean nothing', () => {
  const stale = (...timers: ('E' | 'F' | 'K')[]): NictInput[] =>
    timers.map((timer) => ({ type: 'timer', timer }));
  const cases: [NictState, NictInput[]][] = [
    [{ name: 'Idle' }, [response(200), { type: 'transport-error' }, ...stale('E', 'F', 'K')]],
    [
      { name: 'Trying', timerE: 500 },
      [send, response(0), response(700), response(NaN), ...stale('K')],
    ],
    [{ name: 'Proceeding' }, [send, response(99), ...stale('K')]],
    [
      { name: 'Completed' },
      [send, response(100), response(200), response(500), ...stale('E', 'F')],
    ],
    [
      { name: 'Terminated' },
      [send, response(200), { type: 'transport-error' }, ...stale('E', 'F', 'K')],
    ],
  ];
  for (const [state, inputs] of cases) {
    it(`${state.name} ignores ${inputs.map(label).join(', ')}`, () => {
      for (const ctx of [udp, ws])
        assert.deepEqual(notIgnored(nonInviteClientStep, state, inputs, ctx), []);
    });
  }

  it('Timer E is ignored on a reliable transport, where it is never started', () => {
    for (const state of [{ name: 'Trying', timerE: 500 }, { name: 'Proceeding' }] as const) {
      assert.deepEqual(notIgnored(nonInviteClientStep, state, stale('E'), ws), []);
    }
  });
});
