import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ictDriver, notIgnored } from './fake-clock.ts';
import { type IctInput, type IctState, inviteClientStep } from './invite-client.ts';
import { transactionContext } from './types.ts';

const udp = transactionContext(false);
const ws = transactionContext(true);
const send: IctInput = { type: 'send' };
const response = (status: number): IctInput => ({ type: 'response', status });
const label = (i: IctInput): string =>
  i.type === 'response' ? String(i.status) : i.type === 'timer' ? `Timer ${i.timer}` : i.type;
const delivered = (d: ReturnType<typeof ictDriver>) =>
  d.effects().flatMap(({ at, effect }) => (effect.type === 'deliver' ? [[at, effect.status]] : []));

describe('ICT over UDP (unreliable)', () => {
  it('retransmits at 500, 1500, 3500, 7500, 15500, 31500 (A doubles, no cap); Timer B at 32000 → timeout', () => {
    const d = ictDriver(udp);
    assert.deepEqual(d.feed(send), [
      { type: 'transmit-request' },
      { type: 'start-timer', timer: 'A', ms: 500 },
      { type: 'start-timer', timer: 'B', ms: 32000 },
    ]);
    d.runUntilIdle();
    // §17.1.1.2: seven transmissions in 64·T1; A reaches 16 s, past T2 — it has no cap.
    assert.deepEqual(d.times('transmit-request'), [0, 500, 1500, 3500, 7500, 15500, 31500]);
    assert.deepEqual(d.steps.at(-1)?.effects, [
      { type: 'cancel-timer', timer: 'A' },
      { type: 'timeout', timer: 'B' },
      { type: 'terminated' },
    ]);
    assert.deepEqual(d.times('timeout'), [32000]);
    assert.equal(d.state.name, 'Terminated');
    assert.deepEqual(d.times('transmit-ack'), []);
  });

  it('1xx in Calling → Proceeding: delivered, A and B stop, each later 1xx delivered', () => {
    const d = ictDriver(udp);
    d.feed(send);
    assert.deepEqual(d.at(700, response(100)), [
      { type: 'cancel-timer', timer: 'A' },
      { type: 'cancel-timer', timer: 'B' },
      { type: 'deliver', status: 100 },
    ]);
    assert.deepEqual(d.state, { name: 'Proceeding' });
    assert.deepEqual(d.at(900, response(180)), [{ type: 'deliver', status: 180 }]);
    assert.deepEqual(d.at(950, response(180)), [{ type: 'deliver', status: 180 }]);
    assert.deepEqual(d.at(1000, response(183)), [{ type: 'deliver', status: 183 }]);
    // Proceeding has no timer: the INVITE may ring for as long as it likes.
    assert.deepEqual(d.armedTimers(), []);
    assert.deepEqual(d.times('transmit-request'), [0, 500]);
    assert.deepEqual(delivered(d), [
      [700, 100],
      [900, 180],
      [950, 180],
      [1000, 183],
    ]);
  });

  it('2xx → Accepted (RFC 6026): every 2xx delivered, nothing else, no ACK; Timer M → terminated', () => {
    const d = ictDriver(udp);
    d.feed(send);
    assert.deepEqual(d.at(300, response(200)), [
      { type: 'cancel-timer', timer: 'A' },
      { type: 'cancel-timer', timer: 'B' },
      { type: 'deliver', status: 200 },
      { type: 'start-timer', timer: 'M', ms: 32000 },
    ]);
    assert.equal(d.state.name, 'Accepted');
    // A retransmitted 200 and one from another fork branch both go up (the TU ACKs them).
    assert.deepEqual(d.at(800, response(200)), [{ type: 'deliver', status: 200 }]);
    assert.deepEqual(d.at(900, response(202)), [{ type: 'deliver', status: 202 }]);
    assert.deepEqual(d.at(1000, response(180)), []);
    assert.deepEqual(d.at(1100, response(486)), []);
    d.runUntilIdle();
    assert.deepEqual(d.times('terminated'), [32300]);
    assert.deepEqual(delivered(d), [
      [300, 200],
      [800, 200],
      [900, 202],
    ]);
    assert.deepEqual(d.times('transmit-ack'), []);
    assert.deepEqual(d.times('transmit-request'), [0]);
  });

  it('2xx in Proceeding → Accepted without cancelling anything more', () => {
    const d = ictDriver(udp);
    d.feed(send);
    d.at(100, response(180));
    assert.deepEqual(d.at(5000, response(200)), [
      { type: 'deliver', status: 200 },
      { type: 'start-timer', timer: 'M', ms: 32000 },
    ]);
    d.runUntilIdle();
    assert.deepEqual(d.times('terminated'), [37000]);
  });

  it('3xx–6xx → ACK + delivered once → Completed; retransmitted final → ACK again, not delivered; Timer D', () => {
    const d = ictDriver(udp);
    d.feed(send);
    assert.deepEqual(d.at(250, response(486)), [
      { type: 'cancel-timer', timer: 'A' },
      { type: 'cancel-timer', timer: 'B' },
      { type: 'transmit-ack' },
      { type: 'deliver', status: 486 },
      { type: 'start-timer', timer: 'D', ms: 32000 },
    ]);
    assert.equal(d.state.name, 'Completed');
    assert.deepEqual(d.at(750, response(486)), [{ type: 'transmit-ack' }]);
    assert.deepEqual(d.at(1750, response(486)), [{ type: 'transmit-ack' }]);
    // 1xx and 2xx cannot belong to a completed INVITE transaction.
    assert.deepEqual(d.at(1800, response(180)), []);
    assert.deepEqual(d.at(1900, response(200)), []);
    d.runUntilIdle();
    assert.deepEqual(d.times('transmit-ack'), [250, 750, 1750]);
    assert.deepEqual(delivered(d), [[250, 486]]);
    assert.deepEqual(d.times('terminated'), [32250]);
  });

  it('3xx–6xx in Proceeding → Completed (302, 603)', () => {
    for (const status of [302, 603]) {
      const d = ictDriver(udp);
      d.feed(send);
      d.at(100, response(183));
      assert.deepEqual(d.at(4000, response(status)), [
        { type: 'transmit-ack' },
        { type: 'deliver', status },
        { type: 'start-timer', timer: 'D', ms: 32000 },
      ]);
      d.runUntilIdle();
      assert.deepEqual(d.times('terminated'), [36000]);
    }
  });

  it('Timer D is at least 32 s, follows 64·T1 when T1 grows, and honours timerD', () => {
    const lateD = (ctx: typeof udp) => {
      const d = ictDriver(ctx);
      d.feed(send);
      return d.feed(response(500)).find((e) => e.type === 'start-timer');
    };
    assert.deepEqual(lateD(transactionContext(false, { t1: 100 })), {
      type: 'start-timer',
      timer: 'D',
      ms: 32000,
    });
    assert.deepEqual(lateD(transactionContext(false, { t1: 1000 })), {
      type: 'start-timer',
      timer: 'D',
      ms: 64000,
    });
    assert.deepEqual(lateD(transactionContext(false, { timerD: 40000 })), {
      type: 'start-timer',
      timer: 'D',
      ms: 40000,
    });
  });

  it('transport error in Calling → transport-failure (TU synthesizes 503) and terminated', () => {
    const d = ictDriver(udp);
    d.feed(send);
    assert.deepEqual(d.at(600, { type: 'transport-error' }), [
      { type: 'cancel-timer', timer: 'A' },
      { type: 'cancel-timer', timer: 'B' },
      { type: 'transport-failure' },
      { type: 'terminated' },
    ]);
    assert.equal(d.state.name, 'Terminated');
  });

  it('transport error in Completed (the ACK could not be sent) → transport-failure and terminated', () => {
    const d = ictDriver(udp);
    d.feed(send);
    d.transportUp = false;
    d.at(300, response(404));
    assert.deepEqual(d.steps.at(-1)?.effects, [
      { type: 'cancel-timer', timer: 'D' },
      { type: 'transport-failure' },
      { type: 'terminated' },
    ]);
    assert.equal(d.state.name, 'Terminated');
    assert.deepEqual(delivered(d), [[300, 404]]);
  });

  it('transport error in Proceeding and Accepted is ignored (nothing is sent there)', () => {
    const states: IctState[] = [{ name: 'Proceeding' }, { name: 'Accepted' }];
    for (const state of states) {
      assert.deepEqual(notIgnored(inviteClientStep, state, [{ type: 'transport-error' }], udp), []);
    }
  });
});

describe('ICT over WebSocket (reliable)', () => {
  it('sends the INVITE once: no Timer A; Timer B at 32000 → timeout', () => {
    const d = ictDriver(ws);
    assert.deepEqual(d.feed(send), [
      { type: 'transmit-request' },
      { type: 'start-timer', timer: 'B', ms: 32000 },
    ]);
    d.runUntilIdle();
    assert.deepEqual(d.times('transmit-request'), [0]);
    assert.deepEqual(d.steps.at(-1)?.effects, [
      { type: 'timeout', timer: 'B' },
      { type: 'terminated' },
    ]);
    assert.equal(d.now, 32000);
  });

  it('3xx–6xx → ACK (even on reliable transports), delivered, Timer D = 0 → terminated at once', () => {
    const d = ictDriver(ws);
    d.feed(send);
    d.at(100, response(180));
    assert.deepEqual(d.at(250, response(480)), [
      { type: 'transmit-ack' },
      { type: 'deliver', status: 480 },
      { type: 'start-timer', timer: 'D', ms: 0 },
    ]);
    d.runUntilIdle();
    assert.deepEqual(d.times('terminated'), [250]);
  });

  it('2xx → Accepted; Timer M is 64·T1 on every transport', () => {
    const d = ictDriver(ws);
    d.feed(send);
    assert.deepEqual(d.at(300, response(200)), [
      { type: 'cancel-timer', timer: 'B' },
      { type: 'deliver', status: 200 },
      { type: 'start-timer', timer: 'M', ms: 32000 },
    ]);
    assert.deepEqual(d.at(400, response(200)), [{ type: 'deliver', status: 200 }]);
    d.runUntilIdle();
    assert.deepEqual(d.times('terminated'), [32300]);
  });

  it('WebSocket closed when the INVITE is sent → transport-failure and terminated at 0', () => {
    const d = ictDriver(ws);
    d.transportUp = false;
    d.feed(send);
    assert.deepEqual(d.steps.at(-1)?.effects, [
      { type: 'cancel-timer', timer: 'B' },
      { type: 'transport-failure' },
      { type: 'terminated' },
    ]);
    assert.deepEqual(d.times('terminated'), [0]);
  });

  it('WebSocket closed when the ACK is sent: reported before the zero-length Timer D ends it', () => {
    const d = ictDriver(ws);
    d.feed(send);
    d.transportUp = false;
    d.at(200, response(503));
    assert.deepEqual(d.steps.at(-1)?.effects, [
      { type: 'cancel-timer', timer: 'D' },
      { type: 'transport-failure' },
      { type: 'terminated' },
    ]);
  });
});

describe('ICT inputs that mean nothing', () => {
  const stale = (...timers: ('A' | 'B' | 'D' | 'M')[]): IctInput[] =>
    timers.map((timer) => ({ type: 'timer', timer }));
  const cases: [IctState, IctInput[]][] = [
    [
      { name: 'Idle' },
      [response(200), response(100), { type: 'transport-error' }, ...stale('A', 'B', 'D', 'M')],
    ],
    [
      { name: 'Calling', timerA: 500 },
      [send, response(99), response(700), response(180.5), ...stale('D', 'M')],
    ],
    [{ name: 'Proceeding' }, [send, response(42), ...stale('A', 'B', 'D', 'M')]],
    [{ name: 'Completed' }, [send, response(100), response(299), ...stale('A', 'B', 'M')]],
    [
      { name: 'Accepted' },
      [send, response(183), response(302), response(1000), ...stale('A', 'B', 'D')],
    ],
    [
      { name: 'Terminated' },
      [
        send,
        response(200),
        response(486),
        { type: 'transport-error' },
        ...stale('A', 'B', 'D', 'M'),
      ],
    ],
  ];
  for (const [state, inputs] of cases) {
    it(`${state.name} ignores ${inputs.map(label).join(', ')}`, () => {
      for (const ctx of [udp, ws])
        assert.deepEqual(notIgnored(inviteClientStep, state, inputs, ctx), []);
    });
  }

  it('Timer A is ignored in Calling on a reliable transport, where it is never started', () => {
    assert.deepEqual(
      notIgnored(inviteClientStep, { name: 'Calling', timerA: 500 }, stale('A'), ws),
      [],
    );
  });
});
