import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Encoder } from '@evan/opus';
import { g711Decode, g711Encode } from './g711.ts';
import { OutStream } from './leg.ts';
import { parseRtp, buildRtp } from './rtp.ts';
import { Transcoder } from './transcoder.ts';
import type { ClientCodec } from './types.ts';

function tone(n: number, phase0: number, amp = 8000): Int16Array {
  return Int16Array.from({ length: n }, (_, i) =>
    Math.round(amp * Math.sin(phase0 + (2 * Math.PI * 1000 * i) / 8000)),
  );
}

interface Out {
  ts: number;
  marker: boolean;
  pcm: Int16Array;
}

function harness(from: ClientCodec, to: 'PCMA' | 'PCMU') {
  const t = new Transcoder(from, to);
  const out = new OutStream();
  const got: Out[] = [];
  let now = 1000;
  const opus =
    from === 'opus' ? new Encoder({ channels: 1, sample_rate: 8000, application: 'voip' }) : null;
  const feed = (ssrc: number, seq: number, ts: number, pcm: Int16Array) => {
    now += 20;
    const payload = opus ? opus.encode(pcm) : g711Encode(from as 'PCMA', pcm);
    const pkt = parseRtp(
      buildRtp({ marker: false, payloadType: 8, seq, timestamp: ts, ssrc }, payload),
    );
    assert.ok(pkt);
    t.process(pkt, out, now, (p, outTs, marker) => {
      got.push({ ts: outTs, marker, pcm: g711Decode(to, p) });
      out.sent(outTs, now, p.length);
    });
  };
  return { feed, got, out };
}

function maxStep(x: Int16Array): number {
  let m = 0;
  for (let i = 1; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - x[i - 1]!));
  return m;
}

function joined(frames: Out[]): Int16Array {
  const all = new Int16Array(frames.length * 160);
  frames.forEach((f, i) => all.set(f.pcm, i * 160));
  return all;
}

describe('transcoder', () => {
  it('keeps timestamps contiguous and marks only the start of a run', () => {
    const h = harness('PCMA', 'PCMU');
    for (let i = 0; i < 5; i++) h.feed(1, 10 + i, 800 + i * 160, tone(160, 0));
    assert.equal(h.got.length, 5);
    assert.deepEqual(
      h.got.map((g) => g.marker),
      [true, false, false, false, false],
    );
    for (let i = 1; i < 5; i++) assert.equal((h.got[i]!.ts - h.got[i - 1]!.ts) >>> 0, 160);
  });

  it('conceals lost G.711 packets by repeating and fading, on the lost timestamps', () => {
    const h = harness('PCMA', 'PCMU');
    h.feed(1, 1, 0, tone(160, 0));
    h.feed(1, 4, 480, tone(160, 0)); // 2 and 3 lost
    assert.equal(h.got.length, 4);
    assert.deepEqual(
      h.got.map((g) => (g.ts - h.got[0]!.ts) >>> 0),
      [0, 160, 320, 480],
    );
    const peak = (x: Int16Array) => Math.max(...x.map(Math.abs));
    assert.ok(peak(h.got[1]!.pcm) > 4000, 'first concealed frame repeats the tone');
    assert.ok(peak(h.got[2]!.pcm) < peak(h.got[1]!.pcm), 'second one is quieter');
  });

  it('conceals lost Opus packets with the decoder PLC', () => {
    const h = harness('opus', 'PCMA');
    for (let i = 0; i < 10; i++) h.feed(1, i, i * 960, tone(160, 0));
    h.feed(1, 11, 11 * 960, tone(160, 0)); // 10 lost
    assert.equal(h.got.length, 12);
    const plc = h.got[10]!.pcm;
    assert.ok(Math.max(...plc.map(Math.abs)) > 1000, 'PLC continues the signal');
    assert.equal((h.got[10]!.ts - h.got[9]!.ts) >>> 0, 160);
  });

  it('starts a new run at a timestamp jump without concealing (DTX or DTMF)', () => {
    const h = harness('PCMA', 'PCMU');
    h.feed(1, 1, 0, tone(160, 0));
    h.feed(1, 2, 8000, tone(160, 0)); // seq contiguous: silence, not loss
    assert.equal(h.got.length, 2);
    assert.equal(h.got[1]!.marker, true);
    assert.equal((h.got[1]!.ts - h.got[0]!.ts) >>> 0, 8000);
  });

  it('continues our stream and de-clicks when the source (SSRC) changes', () => {
    const h = harness('PCMA', 'PCMU');
    for (let i = 0; i < 3; i++) h.feed(1, 100 + i, i * 160, tone(160, 0));
    // New source: other sequence and timestamp space, waveform in opposite phase.
    for (let i = 0; i < 3; i++) h.feed(2, 7 + i, 99_000 + i * 160, tone(160, Math.PI / 2 + 0.4));
    assert.equal(h.got.length, 6);
    assert.equal(h.got[3]!.marker, true);
    const step = (h.got[3]!.ts - h.got[2]!.ts) >>> 0;
    assert.ok(step >= 160 && step < 1000, `timestamp continues (step ${step})`);
    // A 1 kHz sine at 8000 peak moves ≤ 5657 per sample (plus the 5 ms blend); the
    // raw boundary here would jump from −5657 to +7386, a 13000 step: a click.
    assert.ok(maxStep(joined(h.got)) <= 6500, `largest step ${maxStep(joined(h.got))}`);
  });
});
