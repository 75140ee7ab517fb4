import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { istDriver, notIgnored } from './fake-clock.ts';
import { type IstInput, type IstState, inviteServerStep } from './invite-server.ts';
import { type IstTimer, transactionContext } from './types.ts';

const udp = transactionContext(false);
const ws = transactionContext(true);
const invite: IstInput = { type: 'request' };
const ack: IstInput = { type: 'ack' };
const tu = (status: number): IstInput => ({ type: 'tu-response', status });
const label = (i: IstInput): string =>
  i.type === 'tu-response' ? `TU ${i.status}` : i.type === 'timer' ? `Timer ${i.timer}` : i.type;
const sent = (d: ReturnType<typeof istDriver>) =>
  d.effects().flatMap(({ at, effect }) => {
    if (effect.type === 'transmit-response') return [[at, effect.status]];
    return effect.type === 'transmit-trying' ? [[at, 100]] : [];
  });

describe('IST: 100 Trying (§17.2.1)', () => {
  it('INVITE → Proceeding, up to the TU; the TU stays silent → 100 Trying at 200 ms', () => {
    const d = istDriver(udp);
    assert.deepEqual(d.feed(invite), [
      { type: 'deliver-request' },
      { type: 'start-timer', timer: 'trying', ms: 200 },
    ]);
    assert.equal(d.state.name, 'Proceeding');
    d.advanceTo(1000);
    assert.deepEqual(sent(d), [[200, 100]]);
    // The 100 is now the provisional response a retransmitted INVITE gets.
    assert.deepEqual(d.feed(invite), [{ type: 'transmit-response', status: 100 }]);
  });

  it('the TU answers within 200 ms → no 100 Trying', () => {
    const d = istDriver(udp);
    d.feed(invite);
    assert.deepEqual(d.at(50, tu(180)), [
      { type: 'cancel-timer', timer: 'trying' },
      { type: 'transmit-response', status: 180 },
    ]);
    d.advanceTo(1000);
    assert.deepEqual(sent(d), [[50, 180]]);
  });

  it('a TU that rejects at once costs one message: 486 at 10 ms, no 100', () => {
    const d = istDriver(udp);
    d.feed(invite);
    assert.deepEqual(d.at(10, tu(486)), [
      { type: 'cancel-timer', timer: 'trying' },
      { type: 'transmit-response', status: 486 },
      { type: 'start-timer', timer: 'G', ms: 500 },
      { type: 'start-timer', timer: 'H', ms: 32000 },
    ]);
  });

  it('tryingDelay 0 → 100 Trying with the INVITE', () => {
    const d = istDriver(transactionContext(false, { tryingDelay: 0 }));
    assert.deepEqual(d.feed(invite), [{ type: 'deliver-request' }, { type: 'transmit-trying' }]);
    assert.deepEqual(d.armedTimers(), []);
    assert.deepEqual(d.at(500, invite), [{ type: 'transmit-response', status: 100 }]);
  });

  it('a retransmitted INVITE before any provisional response gets the 100 at once', () => {
    const d = istDriver(transactionContext(false, { tryingDelay: 1000 }));
    d.feed(invite);
    assert.deepEqual(d.at(500, invite), [
      { type: 'cancel-timer', timer: 'trying' },
      { type: 'transmit-trying' },
    ]);
    assert.deepEqual(d.at(1500, invite), [{ type: 'transmit-response', status: 100 }]);
  });
});

describe('IST over UDP (unreliable)', () => {
  it('retransmitted INVITE in Proceeding → the most recent provisional response again', () => {
    const d = istDriver(udp);
    d.feed(invite);
    d.at(50, tu(180));
    assert.deepEqual(d.at(100, tu(183)), [{ type: 'transmit-response', status: 183 }]);
    assert.deepEqual(d.state, { name: 'Proceeding', provisional: 183, tryingPending: false });
    assert.deepEqual(d.at(500, invite), [{ type: 'transmit-response', status: 183 }]);
    assert.deepEqual(d.at(1500, invite), [{ type: 'transmit-response', status: 183 }]);
    assert.deepEqual(d.times('deliver-request'), [0]);
  });

  it('2xx → Accepted (RFC 6026): sent once, never retransmitted by the transaction; INVITE copies absorbed; TU copies of the 2xx sent; ACKs up; Timer L', () => {
    const d = istDriver(udp);
    d.feed(invite);
    d.at(50, tu(180));
    assert.deepEqual(d.at(1000, tu(200)), [
      { type: 'transmit-response', status: 200 },
      { type: 'start-timer', timer: 'L', ms: 32000 },
    ]);
    assert.equal(d.state.name, 'Accepted');
    assert.deepEqual(d.at(1500, invite), []);
    // The UAS core retransmits its 2xx (§13.3.1.4) through the transaction.
    assert.deepEqual(d.at(1500, tu(200)), [{ type: 'transmit-response', status: 200 }]);
    assert.deepEqual(d.at(1600, ack), [{ type: 'deliver-ack' }]);
    assert.deepEqual(d.at(2000, ack), [{ type: 'deliver-ack' }]);
    assert.deepEqual(d.at(2100, tu(486)), []);
    assert.deepEqual(d.at(2200, tu(180)), []);
    d.runUntilIdle();
    assert.deepEqual(sent(d), [
      [50, 180],
      [1000, 200],
      [1500, 200],
    ]);
    assert.deepEqual(d.times('terminated'), [33000]);
    assert.deepEqual(d.times('deliver-request'), [0]);
  });

  it('3xx–6xx → Completed: G retransmits at T1, 2·T1, 4·T1 … until the ACK; ACK → Confirmed; Timer I = T4', () => {
    const d = istDriver(udp);
    d.feed(invite);
    d.at(100, tu(486));
    assert.deepEqual(d.state, { name: 'Completed', status: 486, timerG: 500 });
    // A retransmitted INVITE gets the final response too.
    assert.deepEqual(d.at(2000, invite), [{ type: 'transmit-response', status: 486 }]);
    assert.deepEqual(d.at(10_000, ack), [
      { type: 'cancel-timer', timer: 'G' },
      { type: 'cancel-timer', timer: 'H' },
      { type: 'start-timer', timer: 'I', ms: 5000 },
    ]);
    assert.equal(d.state.name, 'Confirmed');
    // Confirmed absorbs further ACKs and INVITE copies.
    assert.deepEqual(d.at(10_500, ack), []);
    assert.deepEqual(d.at(10_600, invite), []);
    d.runUntilIdle();
    assert.deepEqual(sent(d), [
      [100, 486],
      [600, 486],
      [1600, 486],
      [2000, 486],
      [3600, 486],
      [7600, 486],
    ]);
    assert.deepEqual(d.times('terminated'), [15_000]);
    assert.deepEqual(d.times('deliver-ack'), []);
  });

  it('no ACK: G retransmits, capped at T2, until Timer H → timeout + terminated', () => {
    const d = istDriver(udp);
    d.feed(invite);
    d.at(100, tu(603));
    d.runUntilIdle();
    assert.deepEqual(
      d.times('transmit-response'),
      [100, 600, 1600, 3600, 7600, 11600, 15600, 19600, 23600, 27600, 31600],
    );
    assert.deepEqual(d.steps.at(-1), {
      at: 32100,
      input: { type: 'timer', timer: 'H' },
      from: 'Completed',
      to: 'Terminated',
      effects: [
        { type: 'cancel-timer', timer: 'G' },
        { type: 'timeout', timer: 'H' },
        { type: 'terminated' },
      ],
    });
  });

  it('transport errors (RFC 6026 §8.8): Proceeding, Accepted, Completed inform the TU and stay', () => {
    const states: IstState[] = [
      { name: 'Proceeding', provisional: 180, tryingPending: false },
      { name: 'Accepted' },
      { name: 'Completed', status: 486, timerG: 1000 },
    ];
    for (const state of states) {
      assert.deepEqual(inviteServerStep(state, { type: 'transport-error' }, udp), {
        state,
        effects: [{ type: 'transport-failure' }],
      });
    }
  });

  it('every failed retransmission in Completed is reported; Timer H still ends the transaction', () => {
    const d = istDriver(udp);
    d.feed(invite);
    d.transportUp = false;
    d.at(100, tu(500));
    d.runUntilIdle();
    assert.equal(d.times('transport-failure').length, 11);
    assert.deepEqual(d.times('timeout'), [32100]);
  });
});

describe('IST over WebSocket (reliable)', () => {
  it('3xx–6xx → Completed without Timer G; ACK → Confirmed, Timer I = 0 → terminated at once', () => {
    const d = istDriver(ws);
    d.feed(invite);
    d.advanceTo(200);
    assert.deepEqual(d.at(3000, tu(487)), [
      { type: 'transmit-response', status: 487 },
      { type: 'start-timer', timer: 'H', ms: 32000 },
    ]);
    assert.deepEqual(d.at(3100, ack), [
      { type: 'cancel-timer', timer: 'H' },
      { type: 'start-timer', timer: 'I', ms: 0 },
    ]);
    d.runUntilIdle();
    assert.deepEqual(d.times('terminated'), [3100]);
    assert.deepEqual(sent(d), [
      [200, 100],
      [3000, 487],
    ]);
  });

  it('no ACK: the final response is sent once; Timer H at 64·T1 → timeout', () => {
    const d = istDriver(ws);
    d.feed(invite);
    d.at(100, tu(404));
    d.runUntilIdle();
    assert.deepEqual(d.times('transmit-response'), [100]);
    assert.deepEqual(d.steps.at(-1)?.effects, [
      { type: 'timeout', timer: 'H' },
      { type: 'terminated' },
    ]);
    assert.equal(d.now, 32100);
  });

  it('2xx → Accepted; Timer L is 64·T1 on every transport', () => {
    const d = istDriver(ws);
    d.feed(invite);
    assert.deepEqual(d.at(100, tu(200)), [
      { type: 'cancel-timer', timer: 'trying' },
      { type: 'transmit-response', status: 200 },
      { type: 'start-timer', timer: 'L', ms: 32000 },
    ]);
    assert.deepEqual(d.at(150, ack), [{ type: 'deliver-ack' }]);
    d.runUntilIdle();
    assert.deepEqual(d.times('terminated'), [32100]);
  });

  it('WebSocket closed when the final is sent → TU informed, Completed kept until Timer H', () => {
    const d = istDriver(ws);
    d.feed(invite);
    d.transportUp = false;
    d.at(100, tu(486));
    assert.deepEqual(d.steps.at(-1), {
      at: 100,
      input: { type: 'transport-error' },
      from: 'Completed',
      to: 'Completed',
      effects: [{ type: 'transport-failure' }],
    });
    d.runUntilIdle();
    assert.deepEqual(d.times('timeout'), [32100]);
  });
});

describe('IST inputs that mean nothing', () => {
  const stale = (...timers: IstTimer[]): IstInput[] =>
    timers.map((timer) => ({ type: 'timer', timer }));
  const proceeding: IstState = { name: 'Proceeding', provisional: 180, tryingPending: false };
  const cases: [IstState, IstInput[]][] = [
    [
      { name: 'Idle' },
      [ack, tu(200), { type: 'transport-error' }, ...stale('trying', 'G', 'H', 'I', 'L')],
    ],
    [proceeding, [ack, tu(99), tu(700), ...stale('trying', 'G', 'H', 'I', 'L')]],
    [
      { name: 'Accepted' },
      [invite, tu(100), tu(183), tu(486), tu(1), ...stale('trying', 'G', 'H', 'I')],
    ],
    [
      { name: 'Completed', status: 486, timerG: 500 },
      [tu(200), tu(180), tu(500), ...stale('trying', 'I', 'L')],
    ],
    [
      { name: 'Confirmed' },
      [invite, ack, tu(200), { type: 'transport-error' }, ...stale('trying', 'G', 'H', 'L')],
    ],
    [
      { name: 'Terminated' },
      [invite, ack, tu(200), { type: 'transport-error' }, ...stale('trying', 'G', 'H', 'I', 'L')],
    ],
  ];
  for (const [state, inputs] of cases) {
    it(`${state.name} ignores ${inputs.map(label).join(', ')}`, () => {
      for (const ctx of [udp, ws])
        assert.deepEqual(notIgnored(inviteServerStep, state, inputs, ctx), []);
    });
  }

  it('Timer G is ignored in Completed on a reliable transport, where it is never started', () => {
    const completed: IstState = { name: 'Completed', status: 486, timerG: 500 };
    assert.deepEqual(notIgnored(inviteServerStep, completed, stale('G'), ws), []);
  });
});
