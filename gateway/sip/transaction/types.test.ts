import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLinegateError } from '#shared/errors.ts';
import { type TimerName, classifyStatus, timerDuration, transactionContext } from './types.ts';

const all: TimerName[] = ['A', 'B', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'trying'];
const durations = (reliable: boolean) =>
  Object.fromEntries(all.map((t) => [t, timerDuration(t, transactionContext(reliable))]));

describe('timer values (RFC 3261 Table 4, RFC 6026 §8.4, §8.7)', () => {
  it('UDP: retransmissions from T1, 64·T1 timeouts, D 32 s, I and K T4, J 64·T1', () => {
    assert.deepEqual(durations(false), {
      A: 500,
      B: 32000,
      D: 32000,
      E: 500,
      F: 32000,
      G: 500,
      H: 32000,
      I: 5000,
      J: 32000,
      K: 5000,
      L: 32000,
      M: 32000,
      trying: 200,
    });
  });
  it('WebSocket: D, I, J, K are zero; timeouts unchanged', () => {
    assert.deepEqual(durations(true), {
      A: 500,
      B: 32000,
      D: 0,
      E: 500,
      F: 32000,
      G: 500,
      H: 32000,
      I: 0,
      J: 0,
      K: 0,
      L: 32000,
      M: 32000,
      trying: 200,
    });
  });
  it('derives from configured T1 and T4', () => {
    const ctx = transactionContext(false, { t1: 200, t4: 2500 });
    assert.equal(timerDuration('B', ctx), 12800);
    assert.equal(timerDuration('K', ctx), 2500);
    assert.equal(timerDuration('D', ctx), 32000);
  });
});

describe('transactionContext', () => {
  it('fills RFC 3261 defaults', () => {
    assert.deepEqual(transactionContext(true), {
      reliable: true,
      timers: { t1: 500, t2: 4000, t4: 5000 },
    });
  });
  for (const bad of [
    { t1: 0 },
    { t1: NaN },
    { t2: 100 },
    { t4: -1 },
    { timerD: -5 },
    { tryingDelay: Infinity },
  ]) {
    it(`refuses ${JSON.stringify(bad)} as config.invalid`, () => {
      assert.throws(
        () => transactionContext(false, bad),
        (e) => isLinegateError(e, 'config.invalid'),
      );
    });
  }
});

describe('classifyStatus', () => {
  it('classes 100–699 and nothing else', () => {
    assert.deepEqual([99, 100, 199, 200, 299, 300, 699, 700, 180.5, NaN].map(classifyStatus), [
      undefined,
      '1xx',
      '1xx',
      '2xx',
      '2xx',
      '3xx-6xx',
      '3xx-6xx',
      undefined,
      undefined,
      undefined,
    ]);
  });
});
