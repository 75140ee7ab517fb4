import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TransactionDriver } from './fake-clock.ts';
import {
  type ClientEffect,
  type ClientInput,
  type Machine,
  type NictTimer,
  transactionContext,
} from './types.ts';

/** A toy machine whose effects are scripted per input, to exercise the driver itself. */
function scripted(
  script: Record<string, ClientEffect<NictTimer>[]>,
): Machine<{ readonly name: string }, ClientInput<NictTimer>, ClientEffect<NictTimer>> {
  return {
    initial: { name: 'Idle' },
    step: (state, input) => {
      const name = input.type === 'timer' ? `timer ${input.timer}` : input.type;
      const effects = script[name] ?? [];
      return {
        state: effects.some((e) => e.type === 'terminated') ? { name: 'Terminated' } : state,
        effects,
      };
    },
  };
}
const ctx = transactionContext(false);

describe('TransactionDriver', () => {
  it('fires timers in due order, ties in start order, and moves the clock to each', () => {
    const d = new TransactionDriver(
      scripted({
        send: [
          { type: 'start-timer', timer: 'F', ms: 300 },
          { type: 'start-timer', timer: 'E', ms: 100 },
          { type: 'start-timer', timer: 'K', ms: 300 },
        ],
      }),
      ctx,
    );
    d.feed({ type: 'send' });
    assert.deepEqual(d.armedTimers(), [
      { timer: 'E', due: 100 },
      { timer: 'F', due: 300 },
      { timer: 'K', due: 300 },
    ]);
    d.advanceTo(1000);
    assert.deepEqual(
      d.steps.map((s) => [s.at, s.input]),
      [
        [0, { type: 'send' }],
        [100, { type: 'timer', timer: 'E' }],
        [300, { type: 'timer', timer: 'F' }],
        [300, { type: 'timer', timer: 'K' }],
      ],
    );
    assert.equal(d.now, 1000);
  });

  it('fires a 0 ms timer on the next advance, not inside the step that armed it', () => {
    const d = new TransactionDriver(
      scripted({ send: [{ type: 'start-timer', timer: 'K', ms: 0 }] }),
      ctx,
    );
    d.at(50, { type: 'send' });
    assert.equal(d.steps.length, 1);
    d.advance(0);
    assert.deepEqual(d.steps.at(-1)?.at, 50);
    assert.deepEqual(d.steps.at(-1)?.input, { type: 'timer', timer: 'K' });
  });

  it('steps a transport error after the effects of a step whose transmission failed', () => {
    const d = new TransactionDriver(
      scripted({
        send: [{ type: 'transmit-request' }, { type: 'start-timer', timer: 'F', ms: 10 }],
      }),
      ctx,
    );
    d.transportUp = false;
    d.feed({ type: 'send' });
    assert.deepEqual(
      d.steps.map((s) => s.input.type),
      ['send', 'transport-error'],
    );
    assert.deepEqual(d.armedTimers(), [{ timer: 'F', due: 10 }]);
  });

  it('catches timer misuse by a machine', () => {
    const twice = new TransactionDriver(
      scripted({
        send: [
          { type: 'start-timer', timer: 'E', ms: 1 },
          { type: 'start-timer', timer: 'E', ms: 1 },
        ],
      }),
      ctx,
    );
    assert.throws(() => twice.feed({ type: 'send' }), /started twice/);
    const unarmed = new TransactionDriver(
      scripted({ send: [{ type: 'cancel-timer', timer: 'E' }] }),
      ctx,
    );
    assert.throws(() => unarmed.feed({ type: 'send' }), /not armed/);
    const leaky = new TransactionDriver(
      scripted({ send: [{ type: 'start-timer', timer: 'F', ms: 5 }, { type: 'terminated' }] }),
      ctx,
    );
    assert.throws(() => leaky.feed({ type: 'send' }), /timers armed: F/);
  });

  it('runUntilIdle refuses to run forever', () => {
    const d = new TransactionDriver(
      scripted({
        send: [{ type: 'start-timer', timer: 'E', ms: 1000 }],
        'timer E': [{ type: 'start-timer', timer: 'E', ms: 1000 }],
      }),
      ctx,
    );
    d.feed({ type: 'send' });
    assert.throws(() => {
      d.runUntilIdle(10_000);
    }, /still armed/);
  });

  it('renders a readable trace', () => {
    const d = new TransactionDriver(scripted({ send: [{ type: 'transmit-request' }] }), ctx);
    d.feed({ type: 'send' });
    assert.equal(d.trace(), '0 {"type":"send"} Idle→Idle {"type":"transmit-request"}');
  });
});
