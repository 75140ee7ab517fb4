import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildTelephoneEvent,
  dtmfDigit,
  dtmfEventCode,
  parseTelephoneEvent,
  planEvent,
} from './rfc4733.ts';

describe('RFC 4733 telephone-event', () => {
  it('maps DTMF digits to event codes and back (§3.2)', () => {
    assert.equal(dtmfEventCode('0'), 0);
    assert.equal(dtmfEventCode('9'), 9);
    assert.equal(dtmfEventCode('*'), 10);
    assert.equal(dtmfEventCode('#'), 11);
    assert.equal(dtmfEventCode('a'), 12);
    assert.equal(dtmfEventCode('D'), 15);
    assert.equal(dtmfEventCode('flash'), 16);
    assert.throws(() => dtmfEventCode('x'), /not a DTMF digit/);
    assert.throws(() => dtmfEventCode('12'), /not a DTMF digit/);
    assert.equal(dtmfDigit(11), '#');
    assert.equal(dtmfDigit(99), null);
  });

  it('writes and reads the 4-byte payload (§2.3)', () => {
    const b = buildTelephoneEvent({ event: 5, end: true, volume: 10, duration: 800 });
    assert.deepEqual([...b], [5, 0x8a, 0x03, 0x20]);
    assert.deepEqual(parseTelephoneEvent(b), { event: 5, end: true, volume: 10, duration: 800 });
    assert.equal(parseTelephoneEvent(Buffer.from([1, 2])), null);
  });

  it('plans start, updates and three end packets with growing duration', () => {
    const plan = planEvent(1, 100, 8000);
    assert.equal(plan.length, 5 + 3);
    assert.equal(plan[0]?.marker, true);
    assert.ok(plan.slice(1).every((p) => !p.marker));
    assert.deepEqual(
      plan.map((p) => p.payload.duration),
      [160, 320, 480, 640, 800, 800, 800, 800],
    );
    assert.deepEqual(
      plan.map((p) => p.payload.end),
      [false, false, false, false, false, true, true, true],
    );
    assert.deepEqual(
      plan.map((p) => p.atMs),
      [0, 20, 40, 60, 80, 100, 120, 140],
    );
  });

  it('scales the duration to the clock rate and clamps the length', () => {
    const wide = planEvent(2, 100, 48000);
    assert.equal(wide.at(-1)?.payload.duration, 4800);
    const long = planEvent(2, 60_000, 48000);
    assert.equal(long.at(-1)?.payload.duration, 0xffff);
    const short = planEvent(2, 1, 8000);
    assert.equal(short.at(-1)?.payload.duration, 320); // 40 ms minimum
  });
});
