import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backoffSeconds,
  DEFAULT_TIMING,
  INITIAL,
  lineStep,
  refreshDelaySeconds,
  type LineContext,
  type LineEffect,
  type LineInput,
  type LineState,
} from './machine.ts';

const timing = { ...DEFAULT_TIMING, reregisterSeconds: 600 };

/** Runs inputs at given times, collecting effects; random fixed at 0.5 unless given. */
function run(
  inputs: [at: number, input: LineInput][],
  random = () => 0.5,
  start: LineState = INITIAL,
) {
  let state = start;
  const log: { at: number; effects: readonly LineEffect[]; state: LineState }[] = [];
  for (const [at, input] of inputs) {
    const ctx: LineContext = { timing, now: at, random };
    const step = lineStep(state, input, ctx);
    state = step.state;
    log.push({ at, effects: step.effects, state });
  }
  return { state, log };
}

describe('line registration machine', () => {
  it('registers, arms the refresh ahead of expiry and refreshes', () => {
    const { log } = run([
      [0, { type: 'start' }],
      [100, { type: 'registered', expires: 600, foreignContacts: [] }],
      [540_100, { type: 'timer' }],
    ]);
    assert.deepEqual(log[0]!.effects, [
      { type: 'clear-timer' },
      { type: 'send-register', expires: 600 },
    ]);
    assert.deepEqual(log[1]!.state, {
      kind: 'registered',
      until: 600_100,
      refreshAt: 540_100,
      foreignContacts: [],
    });
    assert.deepEqual(log[1]!.effects, [{ type: 'set-timer', at: 540_100 }]);
    assert.equal(log[2]!.state.kind, 'registering');
    assert.deepEqual(log[2]!.effects.at(-1), { type: 'send-register', expires: 600 });
  });

  it('honours a shorter lifetime granted by the PBX', () => {
    const { state } = run([
      [0, { type: 'start' }],
      [0, { type: 'registered', expires: 60, foreignContacts: [] }],
    ]);
    assert.deepEqual(state, {
      kind: 'registered',
      until: 60_000,
      refreshAt: 54_000,
      foreignContacts: [],
    });
  });

  it('a timer that is early does nothing', () => {
    const { log } = run([
      [0, { type: 'start' }],
      [0, { type: 'registered', expires: 600, foreignContacts: [] }],
      [1000, { type: 'timer' }],
    ]);
    assert.deepEqual(log[2]!.effects, []);
  });

  it('423: retries at once with Min-Expires; a nonsensical Min-Expires is a failure', () => {
    const { log } = run([
      [0, { type: 'start' }],
      [10, { type: 'interval-too-brief', minExpires: 1200 }],
      [20, { type: 'interval-too-brief', minExpires: 1200 }],
    ]);
    assert.deepEqual(log[1]!.effects.at(-1), { type: 'send-register', expires: 1200 });
    assert.equal(log[2]!.state.kind, 'retrying');
  });

  it('backs off exponentially with jitter after timeouts, up to the ceiling', () => {
    const waits: number[] = [];
    let state: LineState = INITIAL;
    let now = 0;
    state = lineStep(
      state,
      { type: 'start' },
      { timing, now, random: () => 1 - Number.EPSILON },
    ).state;
    for (let i = 0; i < 8; i++) {
      const s = lineStep(
        state,
        { type: 'failed', reason: { kind: 'timeout' } },
        { timing, now, random: () => 1 - Number.EPSILON },
      );
      assert.equal(s.state.kind, 'retrying');
      const at = (s.state as { at: number }).at;
      waits.push(Math.round((at - now) / 1000));
      now = at;
      state = lineStep(s.state, { type: 'timer' }, { timing, now, random: () => 0 }).state;
      assert.equal(state.kind, 'registering');
    }
    assert.deepEqual(waits, [30, 60, 120, 240, 480, 960, 1800, 1800]);
  });

  it('jitter keeps a retry between 50 % and 100 % of the back-off', () => {
    assert.equal(
      backoffSeconds(0, { kind: 'timeout' }, timing, () => 0),
      15,
    );
    assert.equal(
      backoffSeconds(2, { kind: 'timeout' }, timing, () => 0),
      60,
    );
  });

  it('a wrong password fails with a clear reason and waits long (no retry storm)', () => {
    const { state } = run([
      [0, { type: 'start' }],
      [
        50,
        {
          type: 'failed',
          reason: { kind: 'auth', detail: 'credentials rejected (wrong password?)' },
        },
      ],
    ]);
    assert.ok(state.kind === 'retrying');
    assert.equal(state.reason.kind, 'auth');
    assert.ok(state.at - 50 >= 150_000, 'at least half of the 300 s auth back-off');
  });

  it('honours a longer Retry-After', () => {
    assert.equal(
      backoffSeconds(0, { kind: 'rejected', status: 503, reason: 'x' }, timing, () => 0, 900),
      900,
    );
  });

  it('a refresh that times out goes to retrying, then re-registers', () => {
    const { log } = run([
      [0, { type: 'start' }],
      [0, { type: 'registered', expires: 600, foreignContacts: [] }],
      [540_000, { type: 'timer' }],
      [572_000, { type: 'failed', reason: { kind: 'timeout' } }],
      [594_500, { type: 'timer' }],
    ]);
    assert.equal(log[3]!.state.kind, 'retrying');
    assert.deepEqual(log[4]!.effects.at(-1), { type: 'send-register', expires: 600 });
  });

  it('reports contacts that are not ours', () => {
    const { state } = run([
      [0, { type: 'start' }],
      [0, { type: 'registered', expires: 600, foreignContacts: ['<sip:201@10.0.0.9:5060>'] }],
    ]);
    assert.ok(state.kind === 'registered');
    assert.deepEqual(state.foreignContacts, ['<sip:201@10.0.0.9:5060>']);
  });

  it('stop: un-REGISTERs a registered line, then reports stopped', () => {
    const { log } = run([
      [0, { type: 'start' }],
      [0, { type: 'registered', expires: 600, foreignContacts: [] }],
      [5000, { type: 'stop' }],
      [5100, { type: 'registered', expires: 0, foreignContacts: [] }],
    ]);
    assert.deepEqual(log[2]!.effects, [
      { type: 'clear-timer' },
      { type: 'send-register', expires: 0 },
    ]);
    assert.deepEqual(log[3]!.effects, [{ type: 'clear-timer' }, { type: 'stopped' }]);
    assert.equal(log[3]!.state.kind, 'stopped');
  });

  it('stop while retrying or never registered sends nothing', () => {
    const { log } = run([
      [0, { type: 'start' }],
      [10, { type: 'failed', reason: { kind: 'timeout' } }],
      [20, { type: 'stop' }],
    ]);
    assert.deepEqual(log[2]!.effects, [{ type: 'clear-timer' }, { type: 'stopped' }]);
    assert.deepEqual(
      lineStep(INITIAL, { type: 'stop' }, { timing, now: 0, random: Math.random }).effects.at(-1),
      { type: 'stopped' },
    );
  });

  it('stop completes even when the un-REGISTER fails', () => {
    const { state } = run([
      [0, { type: 'start' }],
      [0, { type: 'registered', expires: 600, foreignContacts: [] }],
      [1, { type: 'stop' }],
      [32_001, { type: 'failed', reason: { kind: 'timeout' } }],
    ]);
    assert.equal(state.kind, 'stopped');
  });

  it('a 200 without a lifetime for our contact is a failure', () => {
    const { state } = run([
      [0, { type: 'start' }],
      [0, { type: 'registered', expires: 0, foreignContacts: [] }],
    ]);
    assert.ok(state.kind === 'retrying' && state.reason.kind === 'bad-response');
  });

  it('refresh margin is 10 % of the lifetime within [1 s, 60 s]', () => {
    assert.equal(refreshDelaySeconds(600), 540);
    assert.equal(refreshDelaySeconds(3600), 3540);
    assert.equal(refreshDelaySeconds(10), 9);
    assert.equal(refreshDelaySeconds(2), 1);
  });
});
