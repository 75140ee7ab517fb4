import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nistDriver, notIgnored } from './fake-clock.ts';
import { type NistInput, type NistState, nonInviteServerStep } from './non-invite-server.ts';
import { transactionContext } from './types.ts';

const udp = transactionContext(false);
const ws = transactionContext(true);
const request: NistInput = { type: 'request' };
const ack: NistInput = { type: 'ack' };
const tu = (status: number): NistInput => ({ type: 'tu-response', status });
const timerJ: NistInput = { type: 'timer', timer: 'J' };
const label = (i: NistInput): string =>
  i.type === 'tu-response' ? `TU ${i.status}` : i.type === 'timer' ? `Timer ${i.timer}` : i.type;

describe('NIST over UDP (unreliable)', () => {
  it('request → Trying, up to the TU once; retransmissions in Trying are absorbed (no 100 of its own)', () => {
    const d = nistDriver(udp);
    assert.deepEqual(d.feed(request), [{ type: 'deliver-request' }]);
    assert.equal(d.state.name, 'Trying');
    assert.deepEqual(d.at(500, request), []);
    assert.deepEqual(d.at(1500, request), []);
    assert.deepEqual(d.armedTimers(), []);
    assert.deepEqual(d.times('deliver-request'), [0]);
  });

  it('1xx → Proceeding; retransmission → latest provisional again; final → Completed, J = 64·T1; retransmission → final again; J → terminated', () => {
    const d = nistDriver(udp);
    d.feed(request);
    assert.deepEqual(d.at(100, tu(100)), [{ type: 'transmit-response', status: 100 }]);
    assert.deepEqual(d.state, { name: 'Proceeding', provisional: 100 });
    assert.deepEqual(d.at(500, request), [{ type: 'transmit-response', status: 100 }]);
    assert.deepEqual(d.at(600, tu(182)), [{ type: 'transmit-response', status: 182 }]);
    assert.deepEqual(d.at(1500, request), [{ type: 'transmit-response', status: 182 }]);
    assert.deepEqual(d.at(2000, tu(200)), [
      { type: 'transmit-response', status: 200 },
      { type: 'start-timer', timer: 'J', ms: 32000 },
    ]);
    assert.deepEqual(d.state, { name: 'Completed', status: 200 });
    assert.deepEqual(d.at(3500, request), [{ type: 'transmit-response', status: 200 }]);
    // §17.2.2: later responses from the TU are discarded.
    assert.deepEqual(d.at(3600, tu(500)), []);
    assert.deepEqual(d.at(3700, tu(180)), []);
    d.runUntilIdle();
    assert.deepEqual(d.times('terminated'), [34_000]);
    assert.deepEqual(d.times('transmit-response'), [100, 500, 600, 1500, 2000, 3500]);
  });

  for (const status of [200, 401, 481, 503]) {
    it(`final ${status} straight from Trying → Completed`, () => {
      const d = nistDriver(udp);
      d.feed(request);
      assert.deepEqual(d.at(10, tu(status)), [
        { type: 'transmit-response', status },
        { type: 'start-timer', timer: 'J', ms: 32000 },
      ]);
      assert.deepEqual(d.at(500, request), [{ type: 'transmit-response', status }]);
      d.runUntilIdle();
      assert.deepEqual(d.times('terminated'), [32_010]);
    });
  }

  it('transport errors (RFC 6026 §8.8): Proceeding and Completed inform the TU and stay; Trying ignores them', () => {
    const proceeding: NistState = { name: 'Proceeding', provisional: 180 };
    const completed: NistState = { name: 'Completed', status: 200 };
    for (const state of [proceeding, completed]) {
      assert.deepEqual(nonInviteServerStep(state, { type: 'transport-error' }, udp), {
        state,
        effects: [{ type: 'transport-failure' }],
      });
    }
    assert.deepEqual(
      notIgnored(nonInviteServerStep, { name: 'Trying' }, [{ type: 'transport-error' }], udp),
      [],
    );
  });

  it('a failed resend in Completed is reported; Timer J still ends the transaction', () => {
    const d = nistDriver(udp);
    d.feed(request);
    d.at(10, tu(200));
    d.transportUp = false;
    d.at(500, request);
    assert.deepEqual(d.times('transport-failure'), [500]);
    assert.equal(d.state.name, 'Completed');
    d.runUntilIdle();
    assert.deepEqual(d.times('terminated'), [32_010]);
  });
});

describe('NIST over WebSocket (reliable)', () => {
  it('final → Completed with Timer J = 0 → terminated at once', () => {
    const d = nistDriver(ws);
    d.feed(request);
    d.at(100, tu(100));
    assert.deepEqual(d.at(200, tu(200)), [
      { type: 'transmit-response', status: 200 },
      { type: 'start-timer', timer: 'J', ms: 0 },
    ]);
    d.runUntilIdle();
    assert.deepEqual(d.times('terminated'), [200]);
  });

  it('WebSocket closed when the final is sent → the TU learns it before the zero-length Timer J ends it', () => {
    const d = nistDriver(ws);
    d.feed(request);
    d.transportUp = false;
    d.at(100, tu(200));
    assert.deepEqual(d.times('transport-failure'), [100]);
    d.runUntilIdle();
    assert.deepEqual(d.times('terminated'), [100]);
  });

  it('WebSocket closed when a provisional is sent → TU informed, Proceeding kept until the final', () => {
    const d = nistDriver(ws);
    d.feed(request);
    d.transportUp = false;
    d.at(100, tu(180));
    assert.deepEqual(d.state, { name: 'Proceeding', provisional: 180 });
    assert.deepEqual(d.times('transport-failure'), [100]);
    d.at(200, tu(408));
    d.runUntilIdle();
    assert.deepEqual(d.times('terminated'), [200]);
  });
});

describe('NIST inputs that mean nothing', () => {
  const cases: [NistState, NistInput[]][] = [
    [{ name: 'Idle' }, [ack, tu(200), timerJ, { type: 'transport-error' }]],
    [{ name: 'Trying' }, [request, ack, tu(99), tu(700), timerJ]],
    [{ name: 'Proceeding', provisional: 180 }, [ack, tu(0), timerJ]],
    [{ name: 'Completed', status: 404 }, [ack, tu(100), tu(200), tu(404)]],
    [{ name: 'Terminated' }, [request, ack, tu(200), timerJ, { type: 'transport-error' }]],
  ];
  for (const [state, inputs] of cases) {
    it(`${state.name} ignores ${inputs.map(label).join(', ')}`, () => {
      for (const ctx of [udp, ws])
        assert.deepEqual(notIgnored(nonInviteServerStep, state, inputs, ctx), []);
    });
  }
});
