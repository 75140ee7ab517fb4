/**
 * Decode → conceal → re-frame → de-click → encode for one direction.
 * Output timing follows input timing: each run (a stretch of contiguous
 * input) starts at the input timestamp mapped into the output clock (Opus
 * always counts 48 kHz, RFC 7587 §4.1; G.711 8 kHz), and frames within a
 * run advance by their length. A new source gets fresh decoder state and
 * continues our output timestamps where they were (RFC 3550 §5.1: the
 * receiver must see one continuous stream from us).
 */
import {
  createDecoder,
  createEncoder,
  FRAME_SAMPLES,
  type AudioDecoder,
  type AudioEncoder,
} from './codecs.ts';
import { ContinuityTracker } from './continuity.ts';
import type { OutStream } from './leg.ts';
import { Declicker, Framer } from './plc.ts';
import { tsDiff, type RtpPacket } from './rtp.ts';
import { clockRate } from './sdp.ts';
import type { ClientCodec } from './types.ts';

export type EmitFrame = (payload: Uint8Array, ts: number, marker: boolean) => void;

export class Transcoder {
  private readonly dec: AudioDecoder;
  private readonly enc: AudioEncoder;
  private readonly tracker: ContinuityTracker;
  private readonly framer = new Framer(FRAME_SAMPLES);
  private readonly declicker = new Declicker();
  private readonly inPerSample: number; // input clock units per 8 kHz sample
  private readonly outPerSample: number;
  private inBase = 0;
  private outBase = 0;
  private runSamples = 0;
  private marker = true;
  private started = false;
  private lastSamples = FRAME_SAMPLES;

  constructor(
    readonly from: ClientCodec,
    readonly to: ClientCodec,
  ) {
    this.dec = createDecoder(from);
    this.enc = createEncoder(to);
    this.tracker = new ContinuityTracker(clockRate(from));
    this.inPerSample = clockRate(from) / 8000;
    this.outPerSample = clockRate(to) / 8000;
  }

  process(pkt: RtpPacket, out: OutStream, nowMs: number, emit: EmitFrame): void {
    const c = this.tracker.classify(pkt.ssrc, pkt.seq, pkt.timestamp);
    switch (c.kind) {
      case 'stale':
        return;
      case 'new-source':
        this.dec.reset();
        this.startRun(
          pkt.timestamp,
          out.extrapolate(nowMs, clockRate(this.to), FRAME_SAMPLES * this.outPerSample),
        );
        break;
      case 'jump':
        this.startRun(pkt.timestamp, this.map(pkt.timestamp));
        break;
      case 'lost':
        this.push(this.dec.conceal(c.frames * this.lastSamples), emit);
        break;
      case 'next':
        break;
    }
    const pcm = this.dec.decode(pkt.payload);
    this.lastSamples = pcm.length || FRAME_SAMPLES;
    this.tracker.accept(pkt.ssrc, pkt.seq, pkt.timestamp, pcm.length * this.inPerSample);
    this.push(pcm, emit);
  }

  /** An RFC 4733 event of the same source took sequence numbers but carried no audio. */
  skip(pkt: RtpPacket): void {
    this.tracker.skip(pkt.ssrc, pkt.seq);
  }

  /** Output timestamp for an event packet of the input stream (same clock as its audio). */
  mapEventTs(inTs: number, out: OutStream, nowMs: number): number {
    if (!this.started) return out.extrapolate(nowMs, clockRate(this.to), 0);
    return this.map(inTs);
  }

  private map(inTs: number): number {
    return (
      (this.outBase +
        Math.round((tsDiff(inTs, this.inBase) / this.inPerSample) * this.outPerSample)) >>>
      0
    );
  }

  private startRun(inTs: number, outTs: number): void {
    this.framer.reset();
    this.declicker.arm();
    this.inBase = inTs >>> 0;
    this.outBase = outTs >>> 0;
    this.runSamples = 0;
    this.marker = true; // RFC 3551 §4.1: first packet of a talkspurt
    this.started = true;
  }

  private push(pcm: Int16Array, emit: EmitFrame): void {
    this.framer.push(pcm, (frame) => {
      this.declicker.process(frame);
      const ts = (this.outBase + this.runSamples * this.outPerSample) >>> 0;
      this.runSamples += frame.length;
      const marker = this.marker;
      this.marker = false;
      emit(this.enc.encode(frame), ts, marker);
    });
  }
}
