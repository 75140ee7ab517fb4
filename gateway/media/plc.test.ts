import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContinuityTracker, MAX_CONCEALED_FRAMES } from './continuity.ts';
import { Declicker, Framer, RepeatFadeConcealer } from './plc.ts';

describe('continuity (loss vs silence vs new source)', () => {
  const start = () => {
    const t = new ContinuityTracker(8000);
    t.accept(1, 100, 16000, 160);
    return t;
  };

  it('sees the first packet and a new SSRC as a new source', () => {
    assert.deepEqual(new ContinuityTracker(8000).classify(1, 5, 0), { kind: 'new-source' });
    assert.deepEqual(start().classify(2, 101, 16160), { kind: 'new-source' });
  });

  it('classifies next, lost, jump and stale', () => {
    const t = start();
    assert.deepEqual(t.classify(1, 101, 16160), { kind: 'next' });
    assert.deepEqual(t.classify(1, 103, 16480), { kind: 'lost', frames: 2 });
    assert.deepEqual(t.classify(1, 101, 24000), { kind: 'jump' }); // DTX: seq contiguous
    assert.deepEqual(t.classify(1, 100, 16000), { kind: 'stale' });
    assert.deepEqual(t.classify(1, 99, 15840), { kind: 'stale' });
    const far = 100 + MAX_CONCEALED_FRAMES + 2;
    assert.deepEqual(t.classify(1, far, 16000 + 160 * (far - 100)), { kind: 'jump' }); // too long to conceal
  });

  it('treats events between audio packets as non-loss (seq gap, ts jump)', () => {
    const t = start();
    t.skip(1, 101);
    t.skip(1, 102);
    assert.deepEqual(t.classify(1, 103, 16160 + 800), { kind: 'jump' });
  });

  it('handles sequence and timestamp wrap-around', () => {
    const t = new ContinuityTracker(48000);
    t.accept(7, 0xffff, 0xffff_ff00, 960);
    assert.deepEqual(t.classify(7, 0, (0xffff_ff00 + 960) >>> 0), { kind: 'next' });
    assert.deepEqual(t.classify(7, 1, (0xffff_ff00 + 1920) >>> 0), { kind: 'lost', frames: 1 });
  });

  it('sees a backwards timestamp or a huge seq jump as a restart', () => {
    const t = start();
    assert.deepEqual(t.classify(1, 101, 100), { kind: 'new-source' });
    assert.deepEqual(t.classify(1, 5000, 16160), { kind: 'new-source' });
  });
});

describe('G.711 concealment, de-clicking, framing', () => {
  it('repeats the last frame and fades it to silence', () => {
    const c = new RepeatFadeConcealer();
    assert.deepEqual(c.conceal(4), new Int16Array(4)); // nothing to repeat yet
    c.good(Int16Array.from([1000, 1000, 1000, 1000]));
    const peaks = [1, 2, 3, 4, 5].map(() => Math.max(...c.conceal(4)));
    assert.equal(peaks[0], 1000);
    const [p0 = 0, p1 = 0, p2 = 0] = peaks;
    assert.ok(p1 < p0 && p2 < p1);
    assert.equal(peaks[4], 0);
    c.good(Int16Array.from([5, 5, 5, 5]));
    assert.equal(c.conceal(4)[0], 5); // a good frame ends the fade
  });

  it('cross-fades from the last sample after a reset', () => {
    const d = new Declicker();
    const a = new Int16Array(160).fill(10000);
    d.process(a);
    d.arm();
    const b = new Int16Array(160).fill(-10000);
    d.process(b);
    assert.equal(b[0], 10000); // continues where the previous frame ended
    for (let i = 1; i < 40; i++)
      assert.ok(Math.abs((b[i] ?? 0) - (b[i - 1] ?? 0)) <= 600, `step at ${i}`);
    assert.equal(b[100], -10000); // untouched after the ramp
  });

  it('frames arbitrary input into fixed frames and drops a partial one on reset', () => {
    const f = new Framer(160);
    const sizes: number[] = [];
    const firsts: number[] = [];
    const emit = (fr: Int16Array) => {
      sizes.push(fr.length);
      firsts.push(fr[0]!);
    };
    f.push(
      Int16Array.from({ length: 480 }, (_, i) => i),
      emit,
    ); // 60 ms
    f.push(
      Int16Array.from({ length: 80 }, (_, i) => 1000 + i),
      emit,
    ); // 10 ms
    f.push(
      Int16Array.from({ length: 240 }, (_, i) => 2000 + i),
      emit,
    ); // 30 ms
    assert.deepEqual(sizes, [160, 160, 160, 160, 160]);
    assert.deepEqual(firsts, [0, 160, 320, 1000, 2080]);
    f.push(new Int16Array(100), emit);
    assert.equal(f.reset(), 100);
  });
});
